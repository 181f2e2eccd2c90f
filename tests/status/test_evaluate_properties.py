"""Invariants of the status engine, checked on generated series (hypothesis)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from indicators.catalog import rules as rules_mod
from indicators.status.engine import evaluate

RULES = rules_mod.load()
# best to worst, for targets whose deadline has not passed (missed before it: a cap that can no longer be
# met, issue 12 — an annual amount whose year-to-date sum already exceeds its cap)
RANK = {"met": 0, "on_schedule": 1, "lagging": 2, "off_track": 3, "missed": 4}
MONTHS = pd.date_range("2018-12-01", "2020-06-01", freq="MS")
AS_OF = dt.date(2020, 6, 30)

values = st.lists(
    st.floats(min_value=0, max_value=100, allow_nan=False), min_size=len(MONTHS), max_size=len(MONTHS)
)
aggregations = st.sampled_from(["level", "annual_mean", "day_ratio", "annual_amount"])


def _frame(vals: list[float]) -> pd.DataFrame:
    return pd.DataFrame({"city": "c", "indicator": "i", "period": MONTHS, "value": vals})


def _target(comparator: str, value: float, aggregation: str, polarity: str) -> pd.DataFrame:
    return pd.DataFrame(
        [
            dict(
                id="t",
                city="c",
                indicator="i",
                comparator=comparator,
                value_canonical=value,
                deadline=dt.date(2020, 12, 31),
                baseline_year=None,
                baseline_value=None,
                aggregation=aggregation,
                polarity=polarity,
                canonical_unit="percent",
                plan_first_year=2019,
                plan_document_date=None,
            )
        ]
    )


def _status(t: pd.DataFrame, m: pd.DataFrame, as_of: dt.date = AS_OF) -> str:
    return str(evaluate(t, m, as_of, RULES).iloc[0].status)


@settings(max_examples=150, deadline=None)
@given(values, st.floats(min_value=1, max_value=100), st.floats(min_value=0.1, max_value=50), aggregations)
def test_raising_the_latest_value_of_a_higher_is_better_target_never_worsens_it(vals, goal, bump, agg):
    t = _target(">=", goal, agg, "higher")
    before = _status(t, _frame(vals))
    raised = [*vals[:-1], vals[-1] + bump]
    after = _status(t, _frame(raised))
    assert RANK[after] <= RANK[before]


@settings(max_examples=150, deadline=None)
@given(values, st.floats(min_value=1, max_value=100), st.floats(min_value=0.1, max_value=50), aggregations)
def test_lowering_the_latest_value_of_a_lower_is_better_target_never_worsens_it(vals, goal, drop, agg):
    t = _target("<=", goal, agg, "lower")
    before = _status(t, _frame(vals))
    lowered = [*vals[:-1], max(vals[-1] - drop, 0.0)]
    after = _status(t, _frame(lowered))
    assert RANK[after] <= RANK[before]


@settings(max_examples=100, deadline=None)
@given(
    values,
    st.lists(st.floats(min_value=0, max_value=100, allow_nan=False), min_size=1, max_size=12),
    st.sampled_from([">=", "<=", "~"]),
    aggregations,
)
def test_data_after_as_of_changes_nothing(vals, later, comparator, agg):
    t = _target(comparator, 50.0, agg, "higher")
    base = _frame(vals)
    future = pd.DataFrame(
        {
            "city": "c",
            "indicator": "i",
            "period": pd.date_range("2020-07-01", periods=len(later), freq="MS"),
            "value": later,
        }
    )
    a = evaluate(t, base, AS_OF, RULES)
    b = evaluate(t, pd.concat([base, future], ignore_index=True), AS_OF, RULES)
    pd.testing.assert_frame_equal(a, b)


@settings(max_examples=60, deadline=None)
@given(values)
def test_status_is_always_one_of_the_six_codes(vals):
    for comparator in (">=", "<=", "~", "reduce_by", "count_done"):
        s = _status(_target(comparator, 20.0, "level", "higher"), _frame(vals))
        assert s in {"no_data", "missed", "met", "on_schedule", "lagging", "off_track"}
