"""Imported plans: stored once per document with their candidates as a draft, audited, listed, exported."""

from __future__ import annotations

import shutil

import pytest
import yaml
from conftest import run_cli

from indicators.accounts import audit
from indicators.accounts.actor import Actor, local_operator
from indicators.catalog import load as cat
from indicators.errors import NotPermitted, PlanUnreadable, UnknownName
from indicators.paths import DATA_DIR
from indicators.plans import service

PLAN = (
    "某区2020年生态环境工作要点\n"
    "一、主要目标\n"
    "PM2.5年均浓度不高于40微克/立方米,森林覆盖率达到45%。\n"
    "二、重点工作\n"
    "完成10家企业废气治理。(污防科牵头)\n"
).encode("gbk")


def test_import_stores_the_document_once_as_a_draft_and_audits_it(tmp_path):
    db = tmp_path / "plans.duckdb"
    first = service.import_plan(db, PLAN, "要点.txt", "江津区", local_operator())
    assert (first.plan_id, first.candidates, first.already) == (1, 3, False)
    again = service.import_plan(db, PLAN, "copy.txt", "jiangjin", local_operator())
    assert (again.plan_id, again.candidates, again.already) == (1, 3, True)
    (listed,) = service.plan_list(db)
    assert (listed["title"], listed["city"], listed["status"], listed["candidates"]) == (
        "某区2020年生态环境工作要点",
        "jiangjin",
        "draft",
        3,
    )
    document, candidates = service.plan_show(db, 1)
    assert "content" not in document and document["file_name"] == "要点.txt"
    assert [(c["n"], c["review"], c["indicator"], c["value"]) for c in candidates] == [
        (1, "pending", "pm25", 40),
        (2, "pending", "forest_coverage", 45),
        (3, "pending", None, 10),
    ]
    assert candidates[2]["responsible"] == ["污防科"]
    log = audit.log(db)
    imports = log[log.action == "plan_import"]
    assert len(imports) == 1 and imports.iloc[0]["subject"] == "plan 1"
    assert imports.iloc[0]["detail"]["candidates"] == 3


def test_only_administrators_import_and_bad_input_is_refused(tmp_path):
    db = tmp_path / "plans.duckdb"
    staff = Actor("小王", frozenset({"jiangjin"}), "staff")
    with pytest.raises(NotPermitted):
        service.import_plan(db, PLAN, "要点.txt", "江津区", staff)
    with pytest.raises(PlanUnreadable):
        service.import_plan(db, b"\x00\x01binary", "x.doc", "江津区", local_operator())
    with pytest.raises(UnknownName):
        service.import_plan(db, PLAN, "要点.txt", "火星市", local_operator())
    with pytest.raises(UnknownName):
        service.plan_show(db, 99)
    assert service.plan_list(db) == []


def test_an_exported_plan_loads_as_catalog_data(tmp_path):
    db = tmp_path / "plans.duckdb"
    mapped = "某区2020年生态环境工作要点\nPM2.5年均浓度不高于40微克/立方米,森林覆盖率达到45%。\n".encode()
    service.import_plan(db, mapped, "yaodian.txt", "江津区", local_operator())
    text = service.export_yaml(db, 1)
    data = yaml.safe_load(text)
    assert data["city"] == "jiangjin" and data["plan"]["first_year"] == 2020
    assert [(t["indicator"], t["comparator"], t["value"]) for t in data["targets"]] == [
        ("pm25", "<=", 40),
        ("forest_coverage", ">=", 45),
    ]
    copy = tmp_path / "data"
    shutil.copytree(DATA_DIR, copy)
    (copy / "targets" / "900_jiangjin_imported.yaml").write_text(text, encoding="utf-8")
    loaded = cat.load(copy)
    ids = {t.id for t in loaded.targets}
    assert {"jiangjin-plan1-1", "jiangjin-plan1-2"} <= ids


def test_plan_commands(tmp_path):
    db = tmp_path / "cli.duckdb"
    doc = tmp_path / "要点.txt"
    doc.write_bytes(PLAN)
    out = run_cli("plan", "import", str(doc), "--city", "江津区", db=db)
    assert out.returncode == 0, out.stderr
    assert "plan 1: 3" in out.stdout
    assert "the same document" in run_cli("plan", "import", str(doc), "--city", "江津区", db=db).stdout
    assert "某区2020年生态环境工作要点" in run_cli("plan", "list", db=db).stdout
    shown = run_cli("plan", "show", "1", db=db)
    assert "pm25 ≤ 40 微克/立方米 by 2020-12-31" in shown.stdout
    exported = tmp_path / "plan.yaml"
    assert run_cli("plan", "export", "1", "--out", str(exported), db=db).returncode == 0
    assert yaml.safe_load(exported.read_text(encoding="utf-8"))["city"] == "jiangjin"
    missing = run_cli("plan", "show", "5", db=db)
    assert missing.returncode == 2 and "no plan with id 5" in missing.stderr
