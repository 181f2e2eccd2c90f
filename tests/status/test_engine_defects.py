"""Issue 12's engine defects, each reproduced with the arithmetic worked out by hand."""

from __future__ import annotations

import datetime as dt
import math

import pytest

from tests.status.scenario import every_month, monthly, run, target


# --- 1. a baseline that already meets the target: the path is "hold the target" ---------------------------
def test_falling_below_a_target_the_baseline_met_is_off_track_not_on_schedule():
    # 灵武市 污染地块安全利用率 ≥ 90: Dec 2018 = 95, falling 10/12 a month to 85 in Dec 2019.
    # Before: e = 95 + (90 − 95)·0.5 = 92.5, R = (85 − 95)/(92.5 − 95) = 4.0 -> on_schedule (wrong).
    # Now: the path holds 90; 85 fails it; the trend falls 10/12 a month, 12 months more: 85 − 10 = 75 < 90.
    values = {
        f"{2019 + (k - 1) // 12 if k else 2018}-{(k - 1) % 12 + 1 if k else 12:02d}": 95 - k * 10 / 12
        for k in range(13)
    }
    r = run(target(), monthly(values), dt.date(2019, 12, 31))
    assert r.value == pytest.approx(85.0)
    assert r.expected == pytest.approx(90.0)  # hold the target
    assert math.isnan(r.progress_ratio)  # only defined when the baseline fails the target
    assert r.projected == pytest.approx(75.0)
    assert r.status == "off_track"


def test_lower_is_better_baseline_met_then_rising_is_not_on_schedule():
    # 江津区 PM2.5 ≤ 40: every month of 2019 = 30 (baseline 30 meets), Jan-Jun 2020 = 60.
    # Rolling 12 months to Jun 2020, day-weighted: Jul-Dec 2019 184 days at 30, Jan-Jun 2020 182 days at 60:
    # (184·30 + 182·60)/366 = (5520 + 10920)/366 = 44.918 > 40.
    t = target(comparator="<=", value_canonical=40.0, aggregation="annual_mean", polarity="lower",
               canonical_unit="ug/m3", plan_first_year=2020)  # fmt: skip
    m = monthly({**every_month("2019-01", "2019-12", 30.0), **every_month("2020-01", "2020-06", 60.0)})
    r = run(t, m, dt.date(2020, 6, 30))
    assert r.value == pytest.approx(16440 / 366)
    assert r.baseline == pytest.approx(30.0)
    assert r.expected == pytest.approx(40.0)
    assert math.isnan(r.progress_ratio)
    assert r.status == "off_track"  # the rolling mean rises: the trend does not come back under 40


def test_baseline_met_failing_now_but_trend_back_above_is_lagging():
    # ≥ 90, Dec 2018 = 95, then Jan-Jun 2019: 80, 82, 84, 86, 88, 89 (as of 2019-06-30 89 fails 90).
    # Trend over the 7 points x = 0..6, y = 95, 80, 82, 84, 86, 88, 89 (mean 604/7):
    # Σ dx·dy = 2.0, Σ dx² = 28 -> slope 1/14 a month; 18 months to Dec 2020: 89 + 18/14 = 90.29 ≥ 90.
    m = monthly({"2018-12": 95, "2019-01": 80, "2019-02": 82, "2019-03": 84, "2019-04": 86, "2019-05": 88,
                 "2019-06": 89})  # fmt: skip
    r = run(target(), m, dt.date(2019, 6, 30))
    assert r.projected == pytest.approx(89 + 18 / 14)
    assert r.status == "lagging"


# --- 3. the remaining-months average: the deadline's own year, months after the as-of month ----------------
PM = dict(comparator="<=", value_canonical=35.0, aggregation="annual_mean", polarity="lower",
          canonical_unit="ug/m3")  # fmt: skip


def test_required_average_counts_the_months_after_the_as_of_month():
    # 2020: Jan, Feb, Mar, May, Jun = 30 (April not reported); as of 2020-06-30 six months are left (Jul-Dec).
    # (12·35 − 5·30)/6 = (420 − 150)/6 = 45 (before: 12 − 5 reported = 7 left: 270/7 = 38.57)
    m = monthly({**every_month("2019-01", "2019-12", 45.0), "2020-01": 30, "2020-02": 30, "2020-03": 30,
                 "2020-05": 30, "2020-06": 30})  # fmt: skip
    r = run(target(**PM), m, dt.date(2020, 6, 30))
    assert r.required_average == pytest.approx(45.0)


def test_required_average_only_in_the_deadline_year():
    # deadline 2022-12-31, as of 2020-06-30: 2020's remaining months do not decide a 2022 target -> none
    m = monthly({**every_month("2019-01", "2019-12", 45.0), **every_month("2020-01", "2020-06", 30.0)})
    r = run(target(**PM, deadline=dt.date(2022, 12, 31)), m, dt.date(2020, 6, 30))
    assert math.isnan(r.required_average)


# --- 4. a year-on-year target that failed in one year says which and by how much ---------------------------
def test_yoy_failure_names_the_year_and_the_cut():
    # cut 10 % a year from 2018 (every month 100): 2019 every month 95 (cut 5 %), 2020 every month 80
    # (cut (95 − 80)/95 = 15.79 %). Level 100·0.9² = 81; 80 meets it, but 2019 cut only 5 % -> missed.
    t = target(comparator="yoy_reduce_by", value_canonical=10.0, aggregation="annual_mean", polarity="lower",
               canonical_unit="tonne")  # fmt: skip
    m = monthly({**every_month("2018-01", "2018-12", 100.0), **every_month("2019-01", "2019-12", 95.0),
                 **every_month("2020-01", "2020-12", 80.0)})  # fmt: skip
    r = run(t, m, dt.date(2020, 12, 31))
    assert r.target_level == pytest.approx(81.0)
    assert r.status == "missed"
    assert r.yoy_failed_year == 2019
    assert r.yoy_failed_cut == pytest.approx(5.0)


# --- 5. baseline year absent: the path starts at the first later value's month ------------------------------
def test_path_starts_at_the_first_later_value_month():
    # ≥ 90, plan 2019-2020, nothing in 2018; first value Jun 2019 = 80.
    # As of 2019-06-30: the path starts there (f = 0): expected 80, nothing was needed yet -> on schedule
    # (before: it started on 2018-12-31, f = 181/731, e = 82.5, R = 0 -> off_track).
    m = monthly({"2019-06": 80, "2019-12": 84})
    first = run(target(), m, dt.date(2019, 6, 30))
    assert first.baseline == 80 and first.expected == pytest.approx(80.0)
    assert first.status == "on_schedule"
    # As of 2019-12-31: span 2019-06-30 .. 2020-12-31 = 550 days, 184 elapsed: e = 80 + 10·184/550 = 83.345,
    # R = 4/3.345 = 1.196 -> on schedule
    later = run(target(), m, dt.date(2019, 12, 31))
    assert later.expected == pytest.approx(80 + 10 * 184 / 550)
    assert later.progress_ratio == pytest.approx(4 / (10 * 184 / 550))
    assert later.status == "on_schedule"
