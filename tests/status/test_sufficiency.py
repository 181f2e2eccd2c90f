"""Valid days per month (issue 12 items 8 and 9) in the engine: a share weighted by valid days is Σ good /
Σ valid; a window with fewer sufficient months than rules.yaml requires is provisional, the status kept."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st
from scenario import RULES, every_month, monthly, run, target

from indicators.status.engine import evaluate


def _with_days(values: dict[str, float], valid: dict[str, float]) -> pd.DataFrame:
    m = monthly(values)
    m["valid_days"] = [valid.get(p.strftime("%Y-%m"), float("nan")) for p in m["period"]]
    return m


SHARE = target(aggregation="day_ratio", comparator=">=", value_canonical=80.0, deadline=dt.date(2021, 12, 31))


def test_three_months_of_day_counts_are_good_over_valid():
    # 25/30, 28/31, 20/28 good/valid days: Σ good / Σ valid = 73/89 = 82.02 % (not the mean of the three
    # shares, (83.33 + 90.32 + 71.43)/3 = 81.70, nor weighted by calendar days); a rule reading 3 months
    rules = dataclasses.replace(RULES, min_months_in_year=3)
    m = _with_days(
        {"2021-01": 2500 / 30, "2021-02": 2800 / 31, "2021-03": 2000 / 28},
        {"2021-01": 30, "2021-02": 31, "2021-03": 28},
    )
    r = run(SHARE, m, dt.date(2021, 3, 31), rules)
    assert abs(r["value"] - 73 / 89 * 100) < 1e-9


def test_without_valid_days_a_share_weighs_calendar_days_as_before():
    # 90 % in January (31 days) and 60 % in February 2021 (28 days): (90·31 + 60·28)/59 = 75.76 %
    rules = dataclasses.replace(RULES, min_months_in_year=2)
    r = run(SHARE, monthly({"2021-01": 90, "2021-02": 60}), dt.date(2021, 2, 28), rules)
    assert abs(r["value"] - (90 * 31 + 60 * 28) / 59) < 1e-9
    assert not r["provisional"] and r["insufficient_months"] == 0


def _year(valid: dict[str, float]) -> pd.DataFrame:
    return _with_days(every_month("2021-01", "2021-12", 85.0), valid)


def test_two_short_months_of_twelve_make_the_evaluation_provisional():
    # 2021-03 with 26 valid days (< 27) and 2021-07 with 20: 10 of 12 sufficient < 12 required
    r = run(SHARE, _year({"2021-03": 26, "2021-07": 20}), dt.date(2021, 12, 31))
    assert r["status"] == "met"  # 85 ≥ 80: the status is still computed
    assert r["provisional"] and r["insufficient_months"] == 2
    assert r["provisional_reason_en"] == "2 of 12 months below 27 valid days"
    assert r["provisional_reason_zh"] == "12个月中2个月有效监测天数不足27天"


def test_february_needs_25_valid_days():
    # February 2021 with 25 valid days is sufficient; with 24 it is not (and the reason says February's 25)
    assert not run(SHARE, _year({"2021-02": 25}), dt.date(2021, 12, 31))["provisional"]
    short = run(SHARE, _year({"2021-02": 24}), dt.date(2021, 12, 31))
    assert short["provisional"]
    assert short["provisional_reason_en"] == "1 of 12 months below 27 valid days (25 in February)"


def test_the_required_number_of_sufficient_months_is_the_rules():
    # with 10 required, 2 short months of 12 leave 10: not provisional; 3 short leave 9: provisional
    rules = dataclasses.replace(RULES, min_sufficient_months=10)
    two = {"2021-03": 26, "2021-07": 20}
    assert not run(SHARE, _year(two), dt.date(2021, 12, 31), rules)["provisional"]
    assert run(SHARE, _year(two | {"2021-09": 1}), dt.date(2021, 12, 31), rules)["provisional"]


def test_a_level_reads_its_latest_month():
    # a level (≥ 90 %) reported in 2021-05 with 20 valid days: that month decides; June with 30 clears it
    t = target(comparator=">=", value_canonical=90.0, deadline=dt.date(2021, 12, 31))
    r = run(t, _with_days({"2021-05": 95}, {"2021-05": 20}), dt.date(2021, 5, 31))
    assert (
        r["provisional"]
        and r["provisional_reason_en"] == "the latest month 2021-05 has 20 valid days, below 27"
    )
    later = _with_days({"2021-05": 95, "2021-06": 95}, {"2021-05": 20, "2021-06": 30})
    assert not run(t, later, dt.date(2021, 6, 30))["provisional"]


def test_a_running_count_is_never_provisional():
    t = target(aggregation="cumulative_count", comparator="count_done", value_canonical=10.0)
    r = run(t, _with_days({"2020-03": 4}, {"2020-03": 3}), dt.date(2020, 3, 31))
    assert not r["provisional"]


def test_no_data_is_not_provisional():
    # the only value, 2021-01 with 10 valid days, is more than 3 months before the as-of month: no data
    r = run(SHARE, _with_days({"2021-01": 85}, {"2021-01": 10}), dt.date(2021, 12, 31))
    assert r["status"] == "no_data" and not r["provisional"]


# --- properties with valid days --------------------------------------------------------------------------
MONTHS = pd.date_range("2019-01-01", "2021-12-01", freq="MS")
KINDS = [("level", ">="), ("annual_mean", "<="), ("day_ratio", ">="), ("annual_amount", "<=")]
cells = st.lists(
    st.tuples(st.integers(0, len(MONTHS) - 1), st.floats(0, 100, allow_nan=False), st.integers(0, 31)),
    max_size=36,
)


def _frame(points: list[tuple[int, float, int]], city: str = "c") -> pd.DataFrame:
    d = {m: (v, days) for m, v, days in points}
    return pd.DataFrame(
        {
            "city": city,
            "indicator": "i",
            "period": MONTHS[list(d)],
            "value": [v for v, _ in d.values()],
            "valid_days": [float(days) for _, days in d.values()],
        }
    )


def _plain(frame: pd.DataFrame) -> dict[str, object]:
    return {k: (None if pd.isna(v) else v) for k, v in frame.astype(object).iloc[0].items()}


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(KINDS), cells, cells, cells, st.dates(dt.date(2019, 6, 1), dt.date(2021, 6, 30)))
def test_valid_days_elsewhere_or_later_never_change_a_target(kind, own, other, later, as_of):
    aggregation, comparator = kind
    t = target(aggregation=aggregation, comparator=comparator, value_canonical=50.0,
               deadline=dt.date(2021, 12, 31))  # fmt: skip
    before = [p for p in own if MONTHS[p[0]].date() <= as_of]
    after = [p for p in later if MONTHS[p[0]].date() > as_of and p[0] not in {q[0] for q in before}]
    alone = evaluate(pd.DataFrame([t]), _frame(before), as_of, RULES)
    # another city's values and valid days, and this series' months after as_of with theirs
    t2 = {**t, "id": "t2", "city": "d"}
    more = pd.concat([_frame(before), _frame(after), _frame(other, "d")], ignore_index=True)
    together = evaluate(pd.DataFrame([t, t2]), more, as_of, RULES).iloc[[0]].reset_index(drop=True)
    assert _plain(alone) == _plain(together)


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(KINDS), cells, st.integers(0, len(MONTHS) - 1), st.integers(0, 31))
def test_more_valid_days_never_make_an_evaluation_provisional(kind, own, month, extra):
    # raising one month's valid days (its value the same) can only remove the provisional mark
    aggregation, comparator = kind
    t = target(aggregation=aggregation, comparator=comparator, value_canonical=50.0,
               deadline=dt.date(2021, 12, 31))  # fmt: skip
    points = {m: (v, d) for m, v, d in own}
    if month not in points:
        return
    v, d = points[month]
    raised = [(m, *((v, min(d + extra, 31)) if m == month else p)) for m, p in points.items()]
    as_of = dt.date(2021, 12, 31)
    a = run(t, _frame([(m, *p) for m, p in points.items()]), as_of)
    b = run(t, _frame(raised), as_of)
    assert b["status"] == a["status"]  # valid days never change the status itself
    assert not (b["provisional"] and not a["provisional"])
