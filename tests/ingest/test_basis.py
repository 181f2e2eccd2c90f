"""Counts sent as running totals (口径 累计, issue 12 item 7): a running total counts once."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from conftest import run_cli

from indicators.accounts.actor import Actor
from indicators.ingest import service as uploads
from indicators.status import service as status

TODAY = dt.date(2026, 11, 15)
ME = Actor("tester")
TARGET = "changde-gas-station-vapor-43-2017"  # 加油站油气回收治理完成数 count_done 43 in 2017, from 1 January


def _long(rows: list[tuple[str, float, str]]) -> bytes:
    lines = ["城市,指标,月份,数值,单位,口径"] + [
        f"常德市,加油站油气回收治理完成数,{p},{v},座,{b}" for p, v, b in rows
    ]
    return ("\n".join(lines) + "\n").encode()


def _value(db: Path, as_of: dt.date) -> float:
    frame = status.status(db, "常德市", as_of, explain=False)
    return float(frame.set_index("target_id").at[TARGET, "value"])


def test_running_totals_count_once(tmp_path: Path):
    # 累计 50, 100, 150 in Jan-Mar 2017: increments 50, 50, 50; the count is 150, not 50 + 100 + 150 = 300
    db = tmp_path / "basis.duckdb"
    totals = _long([("2017-01", 50, "累计"), ("2017-02", 100, "累计"), ("2017-03", 150, "累计")])
    out = uploads.ingest_file(db, totals, "t.csv", ME, today=TODAY)
    assert (out.new, out.rejected) == (3, 0)
    assert _value(db, dt.date(2017, 3, 31)) == 150
    # the same file again changes nothing; April as this month's increment (当月) 7 adds to it: 157
    again = uploads.ingest_file(db, totals, "t.csv", ME, today=TODAY)
    assert (again.new, again.changed, again.unchanged) == (0, 0, 3)
    uploads.ingest_file(db, _long([("2017-04", 7, "当月")]), "t2.csv", ME, today=TODAY)
    assert _value(db, dt.date(2017, 4, 30)) == 157
    # May's running total 170 counted against the 157 stored before it: increment 13
    uploads.ingest_file(db, _long([("2017-05", 170, "cumulative")]), "t3.csv", ME, today=TODAY)
    assert _value(db, dt.date(2017, 5, 31)) == 170


def test_a_running_total_that_goes_down_is_rejected(tmp_path: Path):
    # 10, 25, then 20 < 25: March is rejected with its own code; January and February are fine
    db = tmp_path / "down.duckdb"
    data = _long([("2017-01", 10, "累计"), ("2017-02", 25, "累计"), ("2017-03", 20, "累计")])
    out = uploads.ingest_file(db, data, "down.csv", ME, dry_run=True, today=TODAY)
    assert [(e.row, e.code) for e in out.errors] == [(4, "cumulative_decrease")]
    assert out.rejected == 1 and out.exit_code == 1


def test_an_unknown_basis_and_a_basis_for_a_level_are_rejected(tmp_path: Path):
    db = tmp_path / "bad.duckdb"
    text = "城市,指标,月份,数值,单位,口径\n常德市,加油站油气回收治理完成数,2017-01,5,座,半年\n"
    out = uploads.ingest_file(db, text.encode(), "bad.csv", ME, dry_run=True, today=TODAY)
    assert [e.code for e in out.errors] == ["bad_basis"]
    level = "城市,指标,月份,数值,单位,口径\n灵武市,PM2.5,2019-01,50,微克/立方米,累计\n"
    out = uploads.ingest_file(db, level.encode(), "level.csv", ME, dry_run=True, today=TODAY)
    assert [e.code for e in out.errors] == ["basis_not_count"]


def test_the_wide_template_says_the_basis_in_the_header(tmp_path: Path):
    # "加油站油气回收治理完成数累计(座)": the column's values are running totals: 30, 40 -> 40
    db = tmp_path / "wide.duckdb"
    text = "城市,月份,加油站油气回收治理完成数累计(座)\n常德市,2017-01,30\n常德市,2017-02,40\n"
    out = uploads.ingest_file(db, text.encode(), "wide.csv", ME, today=TODAY)
    assert (out.new, out.rejected) == (2, 0)
    assert _value(db, dt.date(2017, 2, 28)) == 40


def test_status_json_from_the_command_line(tmp_path: Path):
    db = tmp_path / "cli.duckdb"
    f = tmp_path / "counts.csv"
    f.write_bytes(_long([("2017-01", 50, "累计"), ("2017-02", 100, "累计"), ("2017-03", 150, "累计")]))
    assert run_cli("ingest", str(f), db=db).returncode == 0
    out = run_cli("status", "--city", "常德市", "--as-of", "2017-03-31", "--format", "json", db=db)
    row = next(r for r in json.loads(out.stdout) if r["target_id"] == TARGET)
    assert row["value"] == 150 and row["status"] == "met"  # 150 ≥ 43
