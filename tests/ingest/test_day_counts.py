"""Good-days shares sent as day counts and valid days per month (issue 12 items 8 and 9), through the
upload path: the stored share is 100 × good / valid, the window's share Σ good / Σ valid, and every bad
count is refused with its own code."""

from __future__ import annotations

import calendar
import datetime as dt
from pathlib import Path

from indicators import store
from indicators.accounts.actor import Actor
from indicators.ingest import service as uploads
from indicators.status import service as status
from indicators.store import db as db_

TODAY = dt.date(2026, 11, 15)
ME = Actor("tester")
TARGET = "lingwu-pc-good-air-days-ratio-2020"  # 灵武市 空气质量优良天数比例 ≥ 88 % by 2020-12-31
SHARE = "空气质量优良天数比例"


def _csv(lines: list[str], header: str = "城市,指标,月份,数值,单位,有效天数,优良天数") -> bytes:
    return ("\n".join([header, *lines]) + "\n").encode()


def _row(db: Path, as_of: dt.date) -> dict[str, object]:
    frame = status.status(db, "灵武市", as_of, explain=True)
    return frame.set_index("target_id").loc[TARGET].to_dict()


def _year_2020(valid: dict[int, int]) -> list[str]:
    """Every month of 2020 with good = valid − 3; valid = the month's days unless given. Odd months written
    as good/valid in the value cell, even months in the two columns."""
    lines = []
    for m in range(1, 13):
        v = valid.get(m, calendar.monthrange(2020, m)[1])
        if m % 2:
            lines.append(f"灵武市,{SHARE},2020-{m:02d},{v - 3}/{v},,,")
        else:
            lines.append(f"灵武市,{SHARE},2020-{m:02d},,,{v},{v - 3}")
    return lines


def test_a_year_of_day_counts_is_good_over_valid_and_provisional(tmp_path: Path):
    # 2020 has 366 days; February reports 24 valid days (below 25), March 20 (below 27):
    # Σ valid = 366 − (29 − 24) − (31 − 20) = 350, Σ good = 350 − 12·3 = 314, share 314/350 = 89.714 %
    # (the mean of the 12 monthly shares weighted by calendar days would be another number)
    db = tmp_path / "days.duckdb"
    out = uploads.ingest_file(db, _csv(_year_2020({2: 24, 3: 20})), "d.csv", ME, today=TODAY)
    assert (out.new, out.rejected) == (12, 0)
    r = _row(db, dt.date(2020, 12, 31))
    assert abs(float(r["value"]) - 314 / 350 * 100) < 1e-9
    assert r["status"] == "met"  # 89.71 ≥ 88
    # 2 of 12 months below the minimum: 10 sufficient < 12 required -> provisional, the status kept
    assert r["provisional"] and int(r["insufficient_months"]) == 2
    assert "2 of 12 months below 27 valid days" in str(r["provisional_reason_en"])
    assert "暂定" in str(r["explanation_zh"]) and "provisional" in str(r["explanation_en"])
    # the city page's chart line reads the same weights: 314/350 at December
    with db_.connect(db, read_only=True) as con:
        meas = store.measurements_frame(con, "lingwu")
    line = status.evaluation_series(meas, "lingwu", "good_air_days_ratio", "day_ratio", dt.date(2020, 12, 31))
    assert abs(float(line["evaluation"].iloc[-1]) - 314 / 350 * 100) < 1e-9


def test_valid_days_are_kept_by_revisions_and_undo(tmp_path: Path):
    db = tmp_path / "undo.duckdb"
    uploads.ingest_file(db, _csv(_year_2020({3: 20})), "a.csv", ME, today=TODAY)
    assert _row(db, dt.date(2020, 12, 31))["provisional"]
    # March again with 31 valid days (share 28/31): a changed value; nothing is short any more
    fixed = uploads.ingest_file(db, _csv([f"灵武市,{SHARE},2020-03,28/31,,,"]), "b.csv", ME, today=TODAY)
    assert fixed.changed == 1
    assert not _row(db, dt.date(2020, 12, 31))["provisional"]
    # undoing the correction restores March's 17/20 and the provisional mark
    assert fixed.batch_id is not None
    uploads.undo(db, fixed.batch_id, ME)
    assert _row(db, dt.date(2020, 12, 31))["provisional"]


def test_the_same_value_with_other_valid_days_is_a_change(tmp_path: Path):
    db = tmp_path / "same.duckdb"
    uploads.ingest_file(db, _csv([f"灵武市,{SHARE},2020-03,90,%,20,"]), "a.csv", ME, today=TODAY)
    again = uploads.ingest_file(db, _csv([f"灵武市,{SHARE},2020-03,90,%,31,"]), "b.csv", ME, today=TODAY)
    assert (again.changed, again.unchanged) == (1, 0)


def test_bad_day_counts_are_refused_each_with_its_code(tmp_path: Path):
    db = tmp_path / "bad.duckdb"
    lines = [
        f"灵武市,{SHARE},2020-01,,,30,31",  # row 2: good 31 > valid 30
        f"灵武市,{SHARE},2020-02,,,-3,",  # row 3: negative valid days
        f"灵武市,{SHARE},2020-04,,,31,20",  # row 4: April has 30 days
        f"灵武市,{SHARE},2020-05,,,,20",  # row 5: good days without valid days
        "灵武市,PM2.5,2020-06,30,微克/立方米,30,20",  # row 6: good days on a concentration
        f"灵武市,{SHARE},2020-07,50,%,30,27",  # row 7: 50 % but 27/30 = 90 %
        f"灵武市,{SHARE},2020-08,,,30.5,20",  # row 8: not a whole number
        f"灵武市,{SHARE},2020-09,27/30,,30,",  # row 9: fine, 90 %
        "灵武市,PM2.5,2020-09,30,微克/立方米,30,",  # row 10: fine, valid days on any indicator
        f"灵武市,{SHARE},2020-02,10/30,,,",  # row 11: February 2020 has 29 days
    ]
    out = uploads.ingest_file(db, _csv(lines), "bad.csv", ME, dry_run=True, today=TODAY)
    assert [(e.row, e.code) for e in out.errors] == [
        (2, "good_over_valid"),
        (3, "bad_days"),
        (4, "valid_days_over_month"),
        (5, "good_days_without_valid"),
        (6, "good_days_not_ratio"),
        (7, "good_days_mismatch"),
        (8, "bad_days"),
        (11, "valid_days_over_month"),
    ]
    assert out.rejected == 8 and out.exit_code == 1
    assert all(e.message_zh and e.message_en for e in out.errors)


def test_wide_layout_valid_days_column_and_counts_in_the_cell(tmp_path: Path):
    # the wide template: 有效天数 is the row's; the share's cell holds good/valid
    db = tmp_path / "wide.duckdb"
    text = f"城市,月份,{SHARE}(%),PM2.5(微克/立方米),有效天数\n灵武市,2020-03,18/20,35,20\n"
    out = uploads.ingest_file(db, text.encode(), "w.csv", ME, today=TODAY)
    assert (out.new, out.rejected) == (2, 0)
    # a good-days column of its own is refused in the wide layout (it belongs to one column of the row)
    bad = f"城市,月份,{SHARE}(%),优良天数\n灵武市,2020-03,90,18\n"
    refused = uploads.ingest_file(db, bad.encode(), "w2.csv", ME, dry_run=True, today=TODAY)
    assert [e.code for e in refused.errors] == ["good_days_wide"]


def test_hostile_day_counts_are_refused_not_crashed_on(tmp_path: Path):
    db = tmp_path / "hostile.duckdb"
    lines = [
        f"灵武市,{SHARE},2020-01,123456789012345678901234567890/1,%,,",  # row 2: no such days: not a number
        f"灵武市,{SHARE},2020-02,0/0,,,",  # row 3: no valid day to divide by
        f"灵武市,{SHARE},2020-03,,,1e400,1",  # row 4: not a whole number of days
        f"灵武市,{SHARE},2020-04,,,99999999999,1",  # row 5: more than April's 30 days
    ]
    out = uploads.ingest_file(db, _csv(lines), "h.csv", ME, dry_run=True, today=TODAY)
    assert [(e.row, e.code) for e in out.errors] == [
        (2, "not_a_number"),
        (3, "good_days_without_valid"),
        (4, "bad_days"),
        (5, "valid_days_over_month"),
    ]
