"""Closed targets keep their outcome; caps that can no longer be met are missed at once (issue 12, 10)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indicators.status import explain
from indicators.status.engine import evaluate
from tests.status.scenario import RULES, every_month, monthly, run, target

OUTCOME = ["status", "value", "expected", "progress_ratio", "projected", "cagr_category", "trend_category",
           "latest_period", "baseline", "target_level", "required_average", "closed"]  # fmt: skip


def named(frame: pd.DataFrame, t: dict[str, object]) -> pd.DataFrame:
    """An evaluated frame with the name columns the sentences read."""
    return frame.assign(
        aggregation=t["aggregation"],
        canonical_unit=t["canonical_unit"],
        baseline_year_stated=t["baseline_year"],
        indicator_zh="指标",
        indicator_en="Indicator",
    )


def outcome(r: pd.Series) -> list[object]:
    """The outcome fields, every kind of missing as None (NaN never equals NaN)."""
    return [None if pd.isna(x) else x for x in r[OUTCOME]]


def test_a_closed_target_is_frozen_at_its_deadline():
    # ≥ 90 due 2020-12-31: 89 in Dec 2020 -> missed. 95 reported in 2021 changes nothing of the outcome.
    m = monthly({"2018-12": 80, "2020-10": 88, "2020-12": 89})
    later = pd.concat([m, monthly(every_month("2021-01", "2021-06", 95.0))])
    at_deadline = run(target(), m, dt.date(2020, 12, 31))
    after = run(target(), later, dt.date(2021, 6, 30))
    assert at_deadline.status == after.status == "missed"
    assert after.closed and after.value == 89
    assert outcome(after) == outcome(at_deadline)


dates = st.dates(dt.date(2021, 1, 1), dt.date(2023, 12, 31))
later_values = st.lists(st.floats(0, 100, allow_nan=False), min_size=1, max_size=24)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.floats(0, 100, allow_nan=False), min_size=25, max_size=25),
    later_values,
    dates,
    st.sampled_from(
        [
            (">=", "level"),
            ("<=", "annual_mean"),
            ("~", "day_ratio"),
            ("<=", "annual_amount"),
            ("count_done", "cumulative_count"),
            ("reduce_by", "annual_mean"),
        ]
    ),  # fmt: skip
)
def test_data_after_the_deadline_never_changes_a_closed_target(vals, after, as_of, kind):
    comparator, aggregation = kind
    goal = 5.0 if comparator == "reduce_by" else 50.0
    polarity = "higher" if comparator in (">=", "count_done") else "lower"
    t = target(comparator=comparator, aggregation=aggregation, value_canonical=goal, polarity=polarity)
    months = pd.date_range("2018-12-01", "2020-12-01", freq="MS")
    m = pd.DataFrame({"city": "c", "indicator": "i", "period": months, "value": vals})
    more = pd.DataFrame(
        {"city": "c", "indicator": "i", "period": pd.date_range("2021-01-01", periods=len(after), freq="MS"),
         "value": after}
    )  # fmt: skip
    a = evaluate(pd.DataFrame([t]), m, dt.date(2020, 12, 31), RULES).iloc[0]
    b = evaluate(pd.DataFrame([t]), pd.concat([m, more]), as_of, RULES).iloc[0]
    assert outcome(a) == outcome(b)


def test_closed_sentences_say_final_result():
    m = monthly({"2018-12": 80, "2020-10": 88, "2020-12": 89})
    t = target()
    zh, en = explain._sentences(named(evaluate(pd.DataFrame([t]), m, dt.date(2021, 6, 30), RULES), t))
    assert zh[0].startswith("到期结果：") and en[0].startswith("Final result at the deadline: ")


def test_no_data_at_the_deadline_names_the_latest_report_before_it():
    # 灵武市 PM2.5 due 2020-12-31, reported to 2020-09, then again in 2026-11: as of 2026-11-30 the target is
    # judged at its deadline (Oct-Dec 2020 empty: no data) and the sentence names 2020-09 as the latest
    # report *before the deadline*, not as the latest report.
    t = target(comparator="<=", value_canonical=33.0, aggregation="annual_mean", polarity="lower",
               canonical_unit="ug/m3")  # fmt: skip
    m = monthly({**every_month("2018-01", "2020-09", 40.0), "2026-11": 30.0})
    r = named(evaluate(pd.DataFrame([t]), m, dt.date(2026, 11, 30), RULES), t)
    assert r.iloc[0].status == "no_data"
    zh, en = explain._sentences(r)
    assert zh[0] == "到期结果：无数据：截止日期2020-12-31前近期无上报（截止前最近一次上报为2020-09）。"
    assert "latest before it 2020-09" in en[0]


# --- caps that can no longer be met -------------------------------------------------------------------------
def test_a_cumulative_count_above_its_limit_is_missed_at_once():
    # ≤ 5 (cumulative count from 1 January 2019): 1 a month Jan-Jun 2019 = 6 > 5, deadline 2020-12-31
    t = target(comparator="<=", value_canonical=5.0, aggregation="cumulative_count", polarity="lower",
               canonical_unit="item")  # fmt: skip
    m = monthly(every_month("2019-01", "2019-06", 1.0))
    r = named(evaluate(pd.DataFrame([t]), m, dt.date(2019, 6, 30), RULES), t)
    assert r.iloc[0].status == "missed" and not r.iloc[0].closed
    assert r.iloc[0].cannot_meet == "count_over_cap" and r.iloc[0].cannot_meet_amount == 6
    assert "已无法完成：累计已达 6 个，超过上限 5 个" in explain._sentences(r)[0][0]


def test_an_annual_amount_over_its_cap_so_far_this_year_is_missed_at_once():
    # ≤ 100 t in 2020: Jan-Jun 2020 20 t each = 120 t > 100 t by 2020-06-30 (2019: 5 t a month)
    t = target(comparator="<=", value_canonical=100.0, aggregation="annual_amount", polarity="lower",
               canonical_unit="tonne")  # fmt: skip
    m = monthly({**every_month("2019-01", "2019-12", 5.0), **every_month("2020-01", "2020-06", 20.0)})
    r = named(evaluate(pd.DataFrame([t]), m, dt.date(2020, 6, 30), RULES), t)
    assert r.iloc[0].status == "missed"
    assert r.iloc[0].cannot_meet == "ytd_over_cap" and r.iloc[0].cannot_meet_amount == pytest.approx(120.0)
    assert "已无法完成：2020年已累计 120 吨，超过全年上限 100 吨" in explain._sentences(r)[0][0]
    # as of 2020-04-30: 80 t so far, not yet over: not missed
    assert run(t, m, dt.date(2020, 4, 30)).status != "missed"


def test_no_event_target_is_missed_once_one_occurred():
    # 不发生较大突发环境事件 (≤ 0 events a year) in 2017: one event in March 2017
    t = target(comparator="<=", value_canonical=0.0, aggregation="annual_amount", polarity="lower",
               canonical_unit="item", plan_first_year=2017, deadline=dt.date(2017, 12, 31))  # fmt: skip
    m = monthly({**every_month("2016-01", "2017-06", 0.0), "2017-03": 1.0})
    r = named(evaluate(pd.DataFrame([t]), m, dt.date(2017, 6, 30), RULES), t)
    assert r.iloc[0].status == "missed" and r.iloc[0].cannot_meet == "event_occurred"
    assert "已无法完成：规划期内已发生 1 个" in explain._sentences(r)[0][0]
    # an event in 2016, before the plan period, does not count
    quiet = monthly({**every_month("2016-01", "2017-06", 0.0), "2016-05": 1.0})
    assert run(t, quiet, dt.date(2017, 6, 30)).status == "met"


def test_a_year_on_year_target_is_missed_once_a_year_failed():
    # cut 10 % a year from 2018 (100) to 2021: 2019 = 95 (cut 5 %) -> as of 2020-06-30 it can no longer hold
    t = target(comparator="yoy_reduce_by", value_canonical=10.0, aggregation="annual_mean", polarity="lower",
               canonical_unit="tonne", deadline=dt.date(2021, 12, 31))  # fmt: skip
    m = monthly({**every_month("2018-01", "2018-12", 100.0), **every_month("2019-01", "2019-12", 95.0),
                 **every_month("2020-01", "2020-06", 80.0)})  # fmt: skip
    r = named(evaluate(pd.DataFrame([t]), m, dt.date(2020, 6, 30), RULES), t)
    assert r.iloc[0].status == "missed" and r.iloc[0].cannot_meet == "year_failed"
    assert "2019年较上年下降 5%，未达到每年下降 10% 的要求" in explain._sentences(r)[0][0]
