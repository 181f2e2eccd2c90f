"""`indicators note`, `indicators snapshot` and `indicators export briefing` as a user runs them."""

from __future__ import annotations

import json

from conftest import run_cli

from indicators.status.records import STATUS_FIELDS

FOREST = "lingwu-pc-forest-coverage-2020"
MONTHS = ["2018-12", "2019-01", "2019-02", "2019-03", "2019-04", "2019-05", "2019-06"]


def csv(values: list[tuple[str, float]]) -> str:
    return "城市,指标,月份,数值,单位\n" + "".join(f"灵武市,森林覆盖率,{m},{v},%\n" for m, v in values)


def test_notes_snapshots_diff_and_briefing_on_the_command_line(tmp_path):
    db = tmp_path / "cli.duckdb"
    first = tmp_path / "forest.csv"
    first.write_text(csv(list(zip(MONTHS, [15.0, 15.1, 15.2, 15.3, 15.4, 15.5, 15.5], strict=True))), "utf-8")
    assert run_cli("ingest", str(first), db=db).returncode == 0
    added = run_cli("user", "add", "小王", "--role", "staff", "--city", "灵武市", "--password-stdin",
                    db=db, stdin="a long password\n")  # fmt: skip
    assert added.returncode == 0, added.stderr

    note = run_cli(
        "note", "add", "--target", FOREST, "--text", "补植推迟", "--month", "2019-06", "--user", "小王", db=db
    )
    assert note.returncode == 0, note.stderr
    refused = run_cli("note", "add", "--target", "nanchang-pm25-2020", "--text", "x", "--user", "小王", db=db)
    assert refused.returncode == 2 and "无权" in refused.stderr and "may not" in refused.stderr
    bad_month = run_cli("note", "add", "--target", FOREST, "--text", "x", "--month", "六月", db=db)
    assert bad_month.returncode == 2 and "YYYY-MM" in bad_month.stderr
    listed = json.loads(run_cli("note", "list", "--city", "灵武", "--format", "json", db=db).stdout)
    assert [(n["target_id"], n["month"], n["text"], n["written_by"], n["version"]) for n in listed] == [
        (FOREST, "2019-06", "补植推迟", "小王", 1)
    ]

    assert run_cli("snapshot", "create", "六月", "--as-of", "2019-06-30", db=db).returncode == 0
    staff = run_cli("snapshot", "create", "小王的", "--user", "小王", db=db)
    assert staff.returncode == 2 and "may not take a meeting snapshot" in staff.stderr
    again = run_cli("snapshot", "create", "六月", db=db)
    assert again.returncode == 2 and "exists" in again.stderr
    shown = json.loads(run_cli("snapshot", "show", "六月", "--format", "json", db=db).stdout)
    (forest,) = [r for r in shown if r["target_id"] == FOREST]
    assert set(STATUS_FIELDS) <= set(forest) and (forest["status"], forest["note"]) == (
        "on_schedule",
        "补植推迟",
    )

    revision = tmp_path / "revision.csv"
    revision.write_text(csv([("2019-06", 13.0)]), "utf-8")
    assert run_cli("ingest", str(revision), db=db).returncode == 0
    assert run_cli("snapshot", "create", "七月", "--as-of", "2019-06-30", db=db).returncode == 0
    listed = json.loads(run_cli("snapshot", "list", "--format", "json", db=db).stdout)
    assert [(s["name"], s["max_batch_id"], s["rows"]) for s in listed] == [("六月", 1, 165), ("七月", 2, 165)]
    found = json.loads(run_cli("snapshot", "diff", "六月", "七月", "--format", "json", db=db).stdout)
    assert [(c["target_id"], c["status_before"], c["status_after"]) for c in found["status_changes"]] == [
        (FOREST, "on_schedule", "off_track")
    ]
    assert [
        (v["period"], v["old_value"], v["new_value"], v["new_batch_id"]) for v in found["revised_values"]
    ] == [("2019-06", 15.5, 13.0, 2)]
    text = run_cli("snapshot", "diff", "六月", "now", db=db).stdout
    assert "↓ 灵武市 森林覆盖率：↗ 序时推进 → ✕ 严重滞后" in text and "↓ Lingwu Forest coverage" in text

    out = tmp_path / "briefing.pdf"
    made = run_cli("export", "briefing", "--snapshot", "七月", "--format", "pdf", "--out", str(out), db=db)
    assert made.returncode == 0, made.stderr
    assert out.read_bytes().startswith(b"%PDF") and "7 pages" in made.stdout
    unknown = run_cli("export", "briefing", "--snapshot", "没有", "--format", "pdf", "--out", str(out), db=db)
    assert unknown.returncode == 2 and "no snapshot named 没有" in unknown.stderr
