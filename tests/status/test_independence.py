"""A target's evaluation depends on its own series only (issue 12, defect 2)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from indicators.status.engine import evaluate
from tests.status.scenario import RULES, every_month, monthly, target

BOILERS = dict(comparator="count_done", value_canonical=9.0, aggregation="cumulative_count",
               canonical_unit="item", plan_first_year=2017, plan_last_year=2017,
               deadline=dt.date(2017, 12, 31))  # fmt: skip


def test_german_category_of_a_count_ignores_other_cities_data():
    # 常德市 boilers: 1 closed a month Jan-Jun 2017, as of 2017-06-30. The German method reads the
    # Decembers of 2012-2016: this series reported in none of them, so it has no points (None). Before,
    # another city's 2012 value widened the span and the count read 0 in each of those years:
    # 5 points of 0, no change -> thunderstorm.
    own = monthly(every_month("2017-01", "2017-06", 1.0))
    other = monthly({"2012-12": 5.0}, city="other")
    alone = evaluate(pd.DataFrame([target(**BOILERS)]), own, dt.date(2017, 6, 30), RULES).iloc[0]
    both = evaluate(pd.DataFrame([target(**BOILERS)]), pd.concat([own, other]), dt.date(2017, 6, 30), RULES)
    assert alone.value == 6.0
    assert alone.trend_category is None
    assert both.iloc[0].trend_category is None


def test_a_target_without_data_has_no_german_category():
    other = monthly(every_month("2012-01", "2017-06", 1.0), city="other")
    r = evaluate(pd.DataFrame([target(**BOILERS)]), other, dt.date(2017, 6, 30), RULES).iloc[0]
    assert r.status == "no_data" and r.trend_category is None


MONTHS = pd.date_range("2013-01-01", "2021-06-01", freq="MS")
KINDS = [
    (">=", "level", "higher", 80.0),
    ("<=", "annual_mean", "lower", 35.0),
    ("~", "day_ratio", "higher", 90.0),
    ("reduce_by", "annual_amount", "lower", 10.0),
    ("yoy_reduce_by", "annual_mean", "lower", 5.0),
    ("growth_le", "annual_amount", "lower", 2.6),
    ("count_done", "cumulative_count", "higher", 30.0),
]
cells = st.lists(
    st.tuples(st.integers(0, len(MONTHS) - 1), st.floats(0, 100, allow_nan=False)), min_size=0, max_size=40
)


def _frame(points: list[tuple[int, float]], city: str, indicator: str) -> pd.DataFrame:
    d = dict(points)  # one value per month
    return pd.DataFrame(
        {"city": city, "indicator": indicator, "period": MONTHS[list(d)], "value": list(d.values())}
    )


@settings(max_examples=60, deadline=None)
@given(
    st.sampled_from(KINDS),
    cells,
    cells,
    cells,
    st.integers(2015, 2020),
    st.dates(dt.date(2016, 1, 1), dt.date(2021, 6, 30)),
)
def test_other_cities_and_indicators_never_change_a_target(kind, own, other_city, other_ind, first, as_of):
    comparator, aggregation, polarity, value = kind
    t = target(comparator=comparator, aggregation=aggregation, polarity=polarity, value_canonical=value,
               plan_first_year=first, deadline=dt.date(first + 1, 12, 31),
               plan_last_year=first + 1)  # fmt: skip
    mine = _frame(own, "c", "i")
    alone = evaluate(pd.DataFrame([t]), mine, as_of, RULES)
    # another city's target (an earlier plan) and its data, and this city's other indicator
    t2 = {**t, "id": "t2", "city": "d", "plan_first_year": 2013}
    more = pd.concat([mine, _frame(other_city, "d", "i"), _frame(other_ind, "c", "j")])
    together = evaluate(pd.DataFrame([t, t2]), more, as_of, RULES).iloc[[0]].reset_index(drop=True)
    assert list(alone.columns) == list(together.columns)
    assert _plain(alone) == _plain(together)


def _plain(frame: pd.DataFrame) -> dict[str, object]:
    """The row's fields with every kind of missing (None, NaN, NaT, pd.NA) as None: a label column of one
    row is None where a column of several holds a null; the values are what must agree."""
    return {k: (None if pd.isna(v) else v) for k, v in frame.astype(object).iloc[0].items()}
