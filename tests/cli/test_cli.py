"""The command-line contract, run as a user runs it: the installed `indicators` script on a real file."""

from __future__ import annotations

import csv
import io
import json

from conftest import run_cli

from indicators.paths import SEEDS_DIR

REQUIRED = {
    "id",
    "city",
    "indicator",
    "indicator_name",
    "comparator",
    "value",
    "unit",
    "deadline",
    "baseline_year",
    "stage",
    "source_file",
    "quote",
    "responsible",
}


def test_init_twice_then_targets_json(tmp_path, catalog):
    path = tmp_path / "cli.duckdb"
    first = run_cli("init", db=path)
    assert first.returncode == 0, first.stderr
    assert "0001_initial" in first.stdout and "catalog loaded" in first.stdout
    second = run_cli("init", db=path)
    assert "migrations applied: none" in second.stdout and "catalog unchanged" in second.stdout

    out = run_cli("targets", "--format", "json", db=path)
    records = json.loads(out.stdout)
    # 176 catalog targets; 11 restate another (9 in Lingwu's two plans, 2 in Liandu's): shown once, 165
    assert len(records) == len(catalog.targets) - 11 == 165
    assert all(REQUIRED <= set(r) for r in records)
    seeds = {p.name for p in SEEDS_DIR.glob("*.txt")}
    assert {r["source_file"] for r in records} == seeds
    assert {r["city"] for r in records} == {"灵武市", "莲都区", "南昌市", "江津区", "常德市"}
    boiler = next(r for r in records if r["id"] == "changde-urban-coal-boilers-9-2017")
    assert boiler["deadline"] == "2017-03-31" and boiler["responsible"] == ["污防科"]
    assert boiler["value"] == 9 and boiler["unit"] == "台" and boiler["baseline_year"] is None
    # restated in Lingwu's second plan: one target, the first plan's clause kept among its mentions
    metals = next(r for r in records if r["id"] == "lingwu-pc-heavy-metal-emissions-2020")
    assert [m["id"] for m in metals["restated"]] == ["lingwu-soil-heavy-metal-emissions-2020"]
    assert metals["baseline_year"] == 2013 and metals["comparator"] == "reduce_by"


def test_targets_city_filter_by_chinese_or_english_name(tmp_path):
    path = tmp_path / "cli.duckdb"
    run_cli("init", db=path)
    zh = json.loads(run_cli("targets", "--city", "江津区", "--format", "json", db=path).stdout)
    en = json.loads(run_cli("targets", "--city", "Jiangjin", "--format", "json", db=path).stdout)
    assert zh == en and zh and {r["city"] for r in zh} == {"江津区"}


def test_targets_csv_and_text(tmp_path):
    path = tmp_path / "cli.duckdb"
    run_cli("init", db=path)
    rows = list(
        csv.DictReader(io.StringIO(run_cli("targets", "--format", "csv", "--city", "常德市", db=path).stdout))
    )
    assert rows and {r["city"] for r in rows} == {"常德市"}
    assert REQUIRED <= set(rows[0])
    text = run_cli("targets", "--city", "changde", db=path).stdout
    assert "常德市 Changde" in text and "市城区剩下的9台" in text


def test_unknown_city_is_a_clear_error(tmp_path):
    path = tmp_path / "cli.duckdb"
    run_cli("init", db=path)
    out = run_cli("targets", "--city", "Atlantis", db=path)
    assert out.returncode == 2 and "unknown city: Atlantis" in out.stderr and "Traceback" not in out.stderr


def test_dabiao_db_environment_variable(tmp_path):
    path = tmp_path / "env.duckdb"
    out = run_cli("init", env={"DABIAO_DB": str(path)})
    assert out.returncode == 0 and path.exists()


def test_demo_is_flagged_and_idempotent(tmp_path):
    path = tmp_path / "demo.duckdb"
    first = run_cli("demo", db=path)
    assert first.returncode == 0 and "示例数据 demo data" in first.stdout
    again = run_cli("demo", db=path)
    assert "already present" in again.stdout


def test_every_documented_command_is_in_the_readme():
    from pathlib import Path

    from indicators.cli.main import build_parser

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    commands = build_parser()._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    for name in commands:
        assert f"indicators {name}" in readme, name


STATUS_REQUIRED = {
    "target_id",
    "city",
    "indicator",
    "indicator_name",
    "comparator",
    "target_value",
    "deadline",
    "status",
    "value",
    "expected",
    "progress_ratio",
    "projected",
    "explanation_zh",
    "explanation_en",
    "cagr_category",
    "trend_category",
}


def test_status_json_on_the_demo_shows_every_status(demo_db, catalog):
    out = run_cli("status", "--format", "json", db=demo_db)
    assert out.returncode == 0, out.stderr
    records = json.loads(out.stdout)
    assert len(records) == len(catalog.targets) - 11  # restated commitments once (see test_init_twice…)
    assert all(STATUS_REQUIRED <= set(r) for r in records)
    assert {r["status"] for r in records} == {
        "no_data",
        "missed",
        "met",
        "on_schedule",
        "lagging",
        "off_track",
    }
    # each city is evaluated as of the end of its own latest month; Nanchang's latest month is missing
    as_of = {r["city"]: r["as_of"] for r in records}
    assert as_of["灵武市"] == "2020-09-30" and as_of["南昌市"] == "2020-08-31"
    assert all(r["explanation_zh"] and r["explanation_en"] for r in records)


def test_status_as_of_and_city(demo_db):
    out = run_cli("status", "--city", "Changde", "--as-of", "2017-06-30", "--format", "json", db=demo_db)
    records = json.loads(out.stdout)
    assert records and {r["city"] for r in records} == {"常德市"}
    assert {r["as_of"] for r in records} == {"2017-06-30"}
    boiler = next(r for r in records if r["target_id"] == "changde-urban-coal-boilers-9-2017")
    assert boiler["status"] in {"met", "missed"}  # its deadline, 2017-03-31, has passed
    bad = run_cli("status", "--as-of", "2017-13-01", db=demo_db)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr


def test_export_scorecard_pdf_and_xlsx(demo_db, tmp_path):
    import subprocess

    from openpyxl import load_workbook

    pdf = tmp_path / "changde.pdf"
    out = run_cli("export", "scorecard", "--format", "pdf", "--out", str(pdf), "--city", "常德市", db=demo_db)
    assert out.returncode == 0, out.stderr
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "常德市" in text and "灵武市" not in text
    xlsx = tmp_path / "dept.xlsx"
    out = run_cli(
        "export", "scorecard", "--format", "xlsx", "--out", str(xlsx), "--department", "污防科", db=demo_db
    )
    assert out.returncode == 0, out.stderr
    sheets = load_workbook(xlsx).sheetnames
    # only that department: its active targets, then (issue 12) its closed ones apart on their own sheet
    assert sheets in (["污防科"], ["污防科", "已到期 Closed · 污防科"])
    bad = run_cli(
        "export", "scorecard", "--format", "pdf", "--out", str(pdf), "--department", "无此单位", db=demo_db
    )
    assert bad.returncode == 2 and "no targets for responsible unit" in bad.stderr
