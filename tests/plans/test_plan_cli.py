"""`indicators plan extract`: the JSON contract the extractor is scored through, and its exit codes."""

from __future__ import annotations

import json

from conftest import run_cli

from indicators.paths import PLANS_DIR

FIELDS = {
    "quote",
    "comparator",
    "value",
    "unit",
    "deadline",
    "baseline_year",
    "baseline_value",
    "stage",
    "indicator",
    "proposed_indicator",
    "responsible",
    "cooperating",
    "confidence",
    "start",
    "end",
}


def test_extract_prints_a_json_list_with_the_contract_fields():
    path = PLANS_DIR / "004_bad18f3f3b3b7a0c.txt"
    out = run_cli("plan", "extract", str(path), "--format", "json")
    assert out.returncode == 0, out.stderr
    records = json.loads(out.stdout)
    assert records and all(set(r) == FIELDS for r in records)
    text = path.read_text(encoding="utf-8")
    assert all(text[r["start"] : r["end"]] == r["quote"] for r in records)
    boiler = next(r for r in records if r["value"] == 9 and r["unit"] == "台")
    assert (boiler["comparator"], boiler["deadline"], boiler["responsible"]) == (
        "count_done",
        "2017-03-31",
        ["污防科"],
    )
    assert set(boiler["proposed_indicator"]) == {"name_zh", "unit", "polarity", "aggregation"}


def test_a_document_without_targets_gives_an_empty_list(tmp_path):
    path = tmp_path / "notice.txt"
    path.write_text("关于召开会议的通知\n请各单位准时参加。\n", encoding="utf-8")
    out = run_cli("plan", "extract", str(path))
    assert (out.returncode, json.loads(out.stdout)) == (0, [])


def test_text_format_lists_quotes(tmp_path):
    path = tmp_path / "plan.txt"
    path.write_text("到2020年,森林覆盖率达到45%。\n", encoding="utf-8")
    out = run_cli("plan", "extract", str(path), "--format", "text")
    assert out.returncode == 0
    assert (
        "forest_coverage ≥ 45 % by 2020-12-31" in out.stdout and "“到2020年,森林覆盖率达到45%”" in out.stdout
    )


def test_an_unreadable_file_exits_2_with_a_message(tmp_path):
    out = run_cli("plan", "extract", str(tmp_path / "missing.pdf"))
    assert out.returncode == 2 and out.stdout == ""
    assert "无法读取规划文件" in out.stderr and "cannot read the plan document" in out.stderr
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7 truncated")
    out = run_cli("plan", "extract", str(broken))
    assert out.returncode == 2 and "not a valid PDF" in out.stderr
