"""The shortcuts validation takes on files read by Arrow give what the cell-by-cell way gives: text columns
kept as read only when every cell is its own answer and every row is accepted, fraction cells found by their
slash (ASCII or full-width), day counts read only where given."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from indicators.accounts.actor import Actor
from indicators.ingest import service as uploads

TODAY = dt.date(2026, 11, 15)
ME = Actor("tester")
SHARE = "空气质量优良天数比例"  # a percentage; good/valid days may be written in its cell


HEADER = "城市,指标,月份,数值,单位,备注"


def _dry_run(tmp_path: Path, lines: list[str], header: str = HEADER) -> uploads.Outcome:
    data = ("\n".join([header, *lines]) + "\n").encode()
    return uploads.ingest_file(tmp_path / "s.duckdb", data, "s.csv", ME, dry_run=True, today=TODAY)


def _column(out: uploads.Outcome, name: str) -> list[object]:
    return [None if pd.isna(v) else v for v in out.diff[name]]


def test_units_and_notes_as_written_when_clean_and_all_accepted(tmp_path: Path):
    out = _dry_run(tmp_path, [f"灵武市,{SHARE},2020-0{m},80,%,备注{m}" for m in (1, 2, 3)])
    assert (out.new, out.rejected) == (3, 0)
    assert _column(out, "original_unit") == ["%", "%", "%"]
    assert _column(out, "note") == ["备注1", "备注2", "备注3"]
    assert _column(out, "column") == ["数值", "数值", "数值"]


def test_units_and_notes_stripped_and_emptied_when_not_clean(tmp_path: Path):
    # a unit with spaces around it is kept stripped; "—" is an empty note; the empty unit cell of a
    # percentage is missing_unit, so that row is rejected and the others are taken record by record
    lines = [
        f"灵武市,{SHARE},2020-01,80, ％ ,  备注 ",
        f"灵武市,{SHARE},2020-02,81,%,—",
        f"灵武市,{SHARE},2020-03,82,,",
        f"灵武市,{SHARE},2020-04,83,%,",
    ]
    out = _dry_run(tmp_path, lines)
    assert (out.new, out.rejected) == (3, 1)
    assert [e.code for e in out.errors] == ["missing_unit"] and out.errors[0].row == 4
    assert _column(out, "original_unit") == ["％", "%", "%"]
    assert _column(out, "note") == ["备注", None, None]
    assert list(out.diff["value"]) == [80.0, 81.0, 83.0]


def test_fractions_with_either_slash_and_numbers_with_slashes_that_are_not(tmp_path: Path):
    lines = [
        f"灵武市,{SHARE},2020-01,24/30,,",  # 80 %
        f"灵武市,{SHARE},2020-02,２７／２９,,",  # full-width digits and slash (2020-02 has 29 days)
        f"灵武市,{SHARE},2020-03, 15 / 30 ,%,",  # spaces around: 50 %
        f"灵武市,{SHARE},2020-04,1/2/3,%,",  # not good/valid days: not a number
        f"灵武市,{SHARE},2020-05,88,%,",
    ]
    out = _dry_run(tmp_path, lines)
    assert [(e.row, e.code) for e in out.errors] == [(5, "not_a_number")]
    assert list(out.diff["value"]) == [80.0, 100 * 27 / 29, 50.0, 88.0]
    assert _column(out, "good_days") == [24, 27, 15, None]
    assert _column(out, "valid_days") == [30, 29, 30, None]
    assert _column(out, "original_unit") == ["%", "%", "%", "%"]


def test_valid_days_beyond_the_month_named_only_for_that_row(tmp_path: Path):
    header = "城市,指标,月份,数值,单位,有效天数"
    lines = [f"灵武市,{SHARE},2020-{m},80,%,{days}" for m, days in (("02", 30), ("03", 31), ("04", ""))]
    out = _dry_run(tmp_path, lines, header)
    assert [(e.row, e.code) for e in out.errors] == [(2, "valid_days_over_month")]
    assert "2020-02" in out.errors[0].message_zh and "29" in out.errors[0].message_zh
    assert _column(out, "valid_days") == [31, None]
