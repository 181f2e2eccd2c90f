"""The status engine on small hand-made series; every expectation is worked out by hand in the test."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math

import pandas as pd
import pytest

from tests.status.scenario import RULES, every_month, monthly, run, target

# --- level (>=): baseline is Dec 2018 for a plan starting 2019 ----------------------------------------------
# t_base 2018-12-31, deadline 2020-12-31: 731 days; as_of 2020-06-30 is 365 + 182 = 547 days in: f = 547/731
F = 547 / 731
EXPECTED = 80 + (90 - 80) * F  # 87.48…


def level_series(last: float) -> pd.DataFrame:
    return monthly({"2018-12": 80, "2019-06": 84, "2019-12": 86, "2020-06": last})


def test_level_on_schedule():
    r = run(target(), level_series(88), dt.date(2020, 6, 30))
    assert r.baseline == 80
    assert r.expected == pytest.approx(EXPECTED)
    assert r.progress_ratio == pytest.approx((88 - 80) / (EXPECTED - 80))  # 1.069
    assert r.status == "on_schedule"


def test_level_lagging_when_ratio_at_least_0_8():
    r = run(target(), level_series(86), dt.date(2020, 6, 30))
    assert r.progress_ratio == pytest.approx(6 / (EXPECTED - 80))  # 0.8018 >= 0.8
    assert r.status == "lagging"


def test_level_off_track_when_moving_the_wrong_way():
    r = run(target(), level_series(79), dt.date(2020, 6, 30))
    assert r.progress_ratio < 0 and r.status == "off_track"


def test_level_met_and_exactly_at_target():
    assert run(target(), level_series(91), dt.date(2020, 6, 30)).status == "met"
    assert run(target(), level_series(90), dt.date(2020, 6, 30)).status == "met"


def test_exactly_on_the_path_is_on_schedule():
    r = run(target(), level_series(EXPECTED), dt.date(2020, 6, 30))
    assert r.progress_ratio == pytest.approx(1.0) and r.status == "on_schedule"


def test_the_deadline_day_decides_met_or_missed():
    m = monthly({"2018-12": 80, "2020-12": 89})
    assert run(target(), m, dt.date(2020, 12, 31)).status == "missed"
    m = monthly({"2018-12": 80, "2020-12": 90})
    assert run(target(), m, dt.date(2020, 12, 31)).status == "met"
    # the day before the deadline December is not complete: November's 80 stands, deadline not reached
    assert run(target(), m, dt.date(2020, 12, 30)).status != "missed"


def test_after_the_deadline_the_value_at_the_deadline_counts():
    m = monthly({"2018-12": 80, "2020-12": 89, "2021-03": 95})
    r = run(target(), m, dt.date(2021, 3, 31))
    assert r.value == 89 and r.status == "missed"


def test_as_of_before_any_data_is_no_data():
    r = run(target(), level_series(88), dt.date(2018, 6, 30))
    assert r.status == "no_data"


def test_missing_recent_months():
    # latest report March 2020; as of 2020-06-30 the last 3 months (Apr, May, Jun) are empty -> no data
    m = monthly({"2018-12": 80, "2020-03": 85})
    assert run(target(), m, dt.date(2020, 6, 30)).status == "no_data"
    # with April reported only May and June are missing: evaluated
    m = monthly({"2018-12": 80, "2020-04": 85})
    assert run(target(), m, dt.date(2020, 6, 30)).status != "no_data"


def test_stated_baseline_year_absent_from_the_data():
    t = target(
        comparator="reduce_by",
        value_canonical=5.0,
        baseline_year=2013,
        aggregation="annual_amount",
        polarity="lower",
        canonical_unit="tonne",
    )
    r = run(t, monthly(every_month("2019-01", "2020-06", 9.4)), dt.date(2020, 6, 30))
    assert r.status == "no_data" and r.baseline_missing


def test_reduce_by_against_the_baseline_year():
    # 2013: 12 months of 10 t = 120 t; target 5 % below = 114 t.
    # Last 12 months (2019-07..2020-06) at 9.4 t = 112.8 t
    t = target(
        comparator="reduce_by",
        value_canonical=5.0,
        baseline_year=2013,
        aggregation="annual_amount",
        polarity="lower",
        canonical_unit="tonne",
    )
    m = monthly({**every_month("2013-01", "2013-12", 10.0), **every_month("2019-01", "2020-06", 9.4)})
    r = run(t, m, dt.date(2020, 6, 30))
    assert r.baseline == pytest.approx(120) and r.target_level == pytest.approx(114)
    assert r.value == pytest.approx(112.8) and r.status == "met"


def test_annual_mean_rolling_12_months_day_weighted_and_required_average():
    # Jul-Dec 2019 at 40 (184 days), Jan-Jun 2020 at 30 (182 days, 2020 is a leap year)
    # rolling mean = (40·184 + 30·182) / 366 = 12820 / 366 = 35.027 > 35: not met
    t = target(
        comparator="<=",
        value_canonical=35.0,
        aggregation="annual_mean",
        polarity="lower",
        canonical_unit="ug/m3",
    )
    m = monthly(
        {
            **every_month("2018-01", "2018-12", 45.0),
            **every_month("2019-01", "2019-06", 40.0),
            **every_month("2019-07", "2019-12", 40.0),
            **every_month("2020-01", "2020-06", 30.0),
        }
    )
    r = run(t, m, dt.date(2020, 6, 30))
    assert r.value == pytest.approx(12820 / 366)
    assert r.status != "met"
    # the remaining 6 months must average (12·35 − 6·30) / 6 = (420 − 180) / 6 = 40
    assert r.required_average == pytest.approx(40.0)
    assert r.baseline == pytest.approx(45.0)  # calendar 2018, every month 45


def test_day_ratio_from_monthly_percentages_is_day_weighted():
    # Jan 2020 80 % of 31 days, Feb 2020 90 % of 29 days: (0.8·31 + 0.9·29) / 60 = 50.9 / 60 = 84.833 %
    t = target(comparator=">=", value_canonical=80.0, aggregation="day_ratio", plan_first_year=2020)
    rules = dataclasses.replace(RULES, min_months_in_year=1)
    r = run(t, monthly({"2019-12": 70, "2020-01": 80, "2020-02": 90}), dt.date(2020, 2, 29), rules)
    # the 12 months to Feb 2020 also hold Dec 2019 (70 % of 31 days): (21.7 + 24.8 + 26.1) / 91 = 72.6 / 91
    assert r.value == pytest.approx((0.7 * 31 + 0.8 * 31 + 0.9 * 29) / 91 * 100)
    r2 = run(t, monthly({"2020-01": 80, "2020-02": 90}), dt.date(2020, 2, 29), rules)
    assert r2.value == pytest.approx(50.9 / 60 * 100)


def test_annual_amount_days_count():
    # 300 good days or more: the last 12 months sum 25 days each = 300 -> met
    t = target(comparator=">=", value_canonical=300.0, aggregation="annual_amount", canonical_unit="day")
    r = run(t, monthly(every_month("2018-01", "2020-06", 25.0)), dt.date(2020, 6, 30))
    assert r.value == pytest.approx(300.0) and r.status == "met"


def test_count_done_in_a_yearly_plan_counts_from_1_january():
    # Changde's 2017 work points (a one-year plan dated 2017-03-16): 9 boilers by 2017-03-31, counted from
    # 1 January 2017: 3 in January + 4 in March = 7 < 9 at the deadline -> missed
    t = target(
        comparator="count_done",
        value_canonical=9.0,
        deadline=dt.date(2017, 3, 31),
        aggregation="cumulative_count",
        canonical_unit="item",
        plan_first_year=2017,
        plan_last_year=2017,
        plan_document_date=dt.date(2017, 3, 16),
    )
    m = monthly({"2016-11": 5, "2017-01": 3, "2017-03": 4})
    r = run(t, m, dt.date(2017, 3, 31))
    assert r.value == 7 and r.status == "missed"  # November 2016 was before the plan
    # 26 by 2017-04-30: as of 2017-03-31, f = 89 / 119 days from 1 January; expected 26 · 89/119 = 19.45
    t26 = {**t, "value_canonical": 26.0, "deadline": dt.date(2017, 4, 30)}
    r = run(t26, monthly({"2017-01": 12, "2017-03": 10}), dt.date(2017, 3, 31))
    assert r.expected == pytest.approx(26 * 89 / 119)
    assert r.progress_ratio == pytest.approx(22 / (26 * 89 / 119))  # 1.131 -> on schedule
    assert r.status == "on_schedule"


def test_count_done_in_a_multi_year_plan_counts_from_the_document_date():
    # Lingwu's 2019-2020 plan dated 2019-07-05: work reported in March 2019 predates it
    t = target(
        comparator="count_done",
        value_canonical=10.0,
        deadline=dt.date(2020, 12, 31),
        aggregation="cumulative_count",
        canonical_unit="item",
        plan_first_year=2019,
        plan_last_year=2020,
        plan_document_date=dt.date(2019, 7, 5),
    )
    r = run(t, monthly({"2019-03": 5, "2019-08": 4}), dt.date(2019, 8, 31))
    assert r.value == 4


def test_yoy_reduce_by_must_hold_every_year():
    # 15 % a year from 2018: 2018 = 100, 2019 = 84 (−16 %), 2020 = 72 (> 84 · 0.85 = 71.4): missed
    t = target(
        comparator="yoy_reduce_by",
        value_canonical=15.0,
        aggregation="annual_amount",
        polarity="lower",
        canonical_unit="tonne",
    )
    m = monthly(
        {
            **every_month("2018-01", "2018-12", 100 / 12),
            **every_month("2019-01", "2019-12", 84 / 12),
            **every_month("2020-01", "2020-12", 72 / 12),
        }
    )
    assert run(t, m, dt.date(2020, 12, 31)).status == "missed"
    m = monthly(
        {
            **every_month("2018-01", "2018-12", 100 / 12),
            **every_month("2019-01", "2019-12", 84 / 12),
            **every_month("2020-01", "2020-12", 71 / 12),
        }
    )
    assert run(t, m, dt.date(2020, 12, 31)).status == "met"


def test_growth_le_is_a_compound_cap():
    # at most 2.6 % a year from 2015 to 2020: 1000 · 1.026^5 = 1136.97; 1100 in 2020 is within the cap
    t = target(
        comparator="growth_le",
        value_canonical=2.6,
        baseline_year=2015,
        aggregation="annual_amount",
        polarity="lower",
        canonical_unit="tce",
        plan_first_year=2016,
    )
    m = monthly(
        {**every_month("2015-01", "2015-12", 1000 / 12), **every_month("2020-01", "2020-12", 1100 / 12)}
    )
    r = run(t, m, dt.date(2020, 12, 31))
    assert r.target_level == pytest.approx(1000 * 1.026**5) and r.status == "met"


def test_around_target_uses_the_tolerance():
    # 98 % 左右 with a tolerance of 1 percentage point: 97.2 is met, 96.9 is not
    t = target(comparator="~", value_canonical=98.0)
    assert run(t, monthly({"2018-12": 90, "2020-06": 97.2}), dt.date(2020, 6, 30)).status == "met"
    assert run(t, monthly({"2018-12": 90, "2020-06": 96.9}), dt.date(2020, 6, 30)).status != "met"


def test_zero_target():
    t = target(
        comparator="<=",
        value_canonical=0.0,
        aggregation="annual_amount",
        polarity="lower",
        canonical_unit="item",
    )
    quiet = every_month("2018-01", "2020-06", 0.0)
    assert run(t, monthly(quiet), dt.date(2020, 6, 30)).status == "met"
    assert run(t, monthly({**quiet, "2020-02": 1.0}), dt.date(2020, 6, 30)).status != "met"


def test_cagr_category():
    # x0 = 80 at 2018-12-31, x_t = 85 at 2020-06-30 (547 days), target 90 at 2020-12-31 (731 days)
    r = run(target(), level_series(85), dt.date(2020, 6, 30))
    observed = (85 / 80) ** (365.25 / 547) - 1  # 4.13 % a year
    required = (90 / 80) ** (365.25 / 731) - 1  # 6.06 % a year
    assert 0.60 <= observed / required < 0.95  # 0.68
    assert r.cagr_category == "acceleration_needed"


def test_german_trend_category():
    # Dec values 2015..2019: 60, 62, 64, 66, 68 -> +2 a year; projected 2020: 70
    m = monthly({"2015-12": 60, "2016-12": 62, "2017-12": 64, "2018-12": 66, "2019-12": 68, "2020-06": 69})
    far = run(target(value_canonical=75.0, plan_first_year=2016), m, dt.date(2020, 6, 30))
    assert far.trend_category == "cloud"  # misses by 5 of |75 − 68| = 7: 71 % > 20 %
    near = run(target(value_canonical=70.2, plan_first_year=2016), m, dt.date(2020, 6, 30))
    assert near.trend_category == "sun_cloud"  # misses by 0.2 of 2.2: 9 %
    reach = run(target(value_canonical=70.0, plan_first_year=2016), m, dt.date(2020, 6, 30))
    assert reach.trend_category == "sun"
    short = run(target(), level_series(85), dt.date(2020, 6, 30))
    assert short.trend_category is None  # fewer than 4 yearly points


def test_trend_projection_is_a_straight_line_to_the_deadline():
    # +1 a month from Dec 2018 (80) to Jun 2020 (98): slope 1, 6 months to Dec 2020 -> 98 + 6 = 104
    m = monthly(
        {f"{p:%Y-%m}": 80 + i for i, p in enumerate(pd.date_range("2018-12-01", "2020-06-01", freq="MS"))}
    )
    r = run(
        target(value_canonical=110.0, canonical_unit="item", aggregation="level"), m, dt.date(2020, 6, 30)
    )
    assert r.projected == pytest.approx(104.0)
    assert not math.isnan(r.progress_ratio)
