"""Statuses at many as-of dates at once (status/history.py) are exactly the engine's, date by date."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from indicators import months as mo
from indicators.catalog import rules as rules_mod
from indicators.status import history
from indicators.status.engine import evaluate
from indicators.vocabulary import STATUSES
from tests.status.scenario import every_month, monthly, target

DEFAULT = rules_mod.load(profile="default")
POINTS = rules_mod.load(profile="percentage_points")
ENDS = [mo.end(m) for m in range(mo.index(2018, 6), mo.index(2021, 6) + 1)]  # 37 month ends


def _one_by_one(t: pd.DataFrame, m: pd.DataFrame, ends: list[dt.date], rules: rules_mod.Rules) -> np.ndarray:
    """The engine called once per date: what the history must equal."""
    columns = [evaluate(t, m, when, rules)["status"] for when in ends]
    return np.array([[STATUSES.index(s) for s in col] for col in columns]).T


def _hand_built() -> tuple[pd.DataFrame, pd.DataFrame]:
    """One target of each kind the rules treat apart, on its own series."""
    rows, series = [], []

    def add(name: str, values: dict[str, float], **kw: object) -> None:
        rows.append(target(id=name, indicator=name, **kw))
        series.append(monthly(values, indicator=name))

    ramp = {f"{p:%Y-%m}": 80 + 0.5 * k for k, p in enumerate(pd.date_range("2018-01", "2020-12", freq="MS"))}
    add("ge_level", ramp)  # ≥ 90 from 80: on schedule, then met
    add("ge_slow", {k: 80 + (v - 80) * 0.3 for k, v in ramp.items()})  # too slow: lagging/off track
    add("le_mean", every_month("2018-01", "2020-06", 45) | every_month("2020-07", "2020-12", 35),
        comparator="<=", value_canonical=40.0, aggregation="annual_mean", polarity="lower",
        canonical_unit="ug/m3")  # fmt: skip
    add("around", every_month("2018-01", "2020-12", 97.2), comparator="~", value_canonical=98.0)
    add("reduce", every_month("2013-01", "2013-12", 10) | every_month("2019-01", "2021-06", 9.4),
        comparator="reduce_by", value_canonical=5.0, baseline_year=2013, aggregation="annual_amount",
        polarity="lower", canonical_unit="t")  # fmt: skip
    add("no_base", every_month("2019-01", "2021-06", 9.4), comparator="reduce_by", value_canonical=5.0,
        baseline_year=2013, aggregation="annual_amount", polarity="lower", canonical_unit="t")  # fmt: skip
    add("yoy", every_month("2018-01", "2018-12", 100) | every_month("2019-01", "2019-12", 95)
        | every_month("2020-01", "2021-06", 80), comparator="yoy_reduce_by", value_canonical=10.0,
        baseline_year=2018, deadline=dt.date(2021, 12, 31), aggregation="annual_mean", polarity="lower",
        canonical_unit="t")  # fmt: skip
    add("growth", every_month("2015-01", "2015-12", 1000 / 12) | every_month("2019-01", "2021-06", 1100 / 12),
        comparator="growth_le", value_canonical=2.6, baseline_year=2015, aggregation="annual_amount",
        polarity="lower", canonical_unit="t")  # fmt: skip
    add("count", every_month("2017-01", "2017-06", 1), comparator="count_done", value_canonical=9.0,
        deadline=dt.date(2017, 12, 31), aggregation="cumulative_count", plan_first_year=2017,
        canonical_unit="unit")  # fmt: skip
    add("count_cap", every_month("2019-01", "2020-12", 2), comparator="<=", value_canonical=20.0,
        aggregation="cumulative_count", polarity="lower", canonical_unit="unit")  # fmt: skip
    add("ytd_cap", every_month("2019-01", "2020-12", 20), comparator="<=", value_canonical=100.0,
        aggregation="annual_amount", polarity="lower", canonical_unit="t")  # fmt: skip
    add("events", {"2019-03": 0, "2019-04": 0, "2020-03": 1, "2020-04": 0}, comparator="<=",
        value_canonical=0.0, aggregation="annual_amount", polarity="lower",
        canonical_unit="unit")  # fmt: skip
    add("stale", every_month("2018-01", "2019-08", 85))  # reports stop: no data three months later
    add("fallback", every_month("2019-05", "2021-03", 33), comparator="<=", value_canonical=30.0,
        aggregation="annual_mean", polarity="lower", canonical_unit="ug/m3")  # fmt: skip
    add("early", every_month("2018-01", "2021-06", 70), deadline=dt.date(2019, 6, 30))  # closed in mid-run
    rows.append(target(id="nothing", indicator="nothing"))  # a target without any series
    return pd.DataFrame(rows), pd.concat(series, ignore_index=True)


@pytest.mark.parametrize("rules", [DEFAULT, POINTS], ids=["default", "percentage_points"])
def test_the_history_of_hand_built_targets_is_the_engine_date_by_date(rules: rules_mod.Rules):
    t, m = _hand_built()
    got = history.statuses(t, m, ENDS, rules)
    expected = _one_by_one(t, m, ENDS, rules)
    differ = [(t.id[r], f"{ENDS[c]:%Y-%m}") for r, c in zip(*np.nonzero(got != expected), strict=True)]
    assert differ == []
    assert len(set(expected.ravel())) >= 5  # the dataset reaches most statuses, so the check means something


def test_a_worked_example_reads_on_schedule_then_met():
    # ≥ 90 from Dec 2018 = 80, +0.5 a month from Jan 2018 (Dec 2018 is month 11: 85.5 — the baseline is the
    # value of the baseline year's December). Jun 2020 = 80 + 0.5·29 = 94.5 ≥ 90: met.
    # Jun 2019 = 80 + 0.5·17 = 88.5; f = 181/731; e = 85.5 + 4.5·181/731 = 86.61; R = 3/1.11 > 1: on schedule.
    t, m = _hand_built()
    one = t[t.id == "ge_level"]
    ends = [dt.date(2019, 6, 30), dt.date(2020, 6, 30)]
    got = history.statuses(one, m, ends, DEFAULT)
    assert [STATUSES[c] for c in got[0]] == ["on_schedule", "met"]


def test_generated_targets_agree_with_the_engine_at_every_month():
    """Many targets on random series with gaps: every comparator and aggregation, evaluated together (so
    that one target's months never change another's status)."""
    rng = np.random.default_rng(7)
    kinds = [
        (">=", "level", "higher"), ("<=", "annual_mean", "lower"), ("~", "day_ratio", "higher"),
        ("reduce_by", "annual_amount", "lower"), ("growth_le", "annual_amount", "lower"),
        ("yoy_reduce_by", "annual_mean", "lower"), ("count_done", "cumulative_count", "higher"),
        ("<=", "cumulative_count", "lower"), ("<=", "annual_amount", "lower"),
    ]  # fmt: skip
    rows, series = [], []
    periods = pd.date_range("2016-01", "2021-06", freq="MS")
    for k in range(120):
        comparator, aggregation, polarity = kinds[k % len(kinds)]
        values = rng.uniform(0, 100, len(periods)) * (rng.uniform() < 0.9)
        values[rng.uniform(size=len(periods)) < 0.2] = np.nan
        if comparator == "count_done" or aggregation == "cumulative_count":
            values = np.round(values / 40)
        due = dt.date(int(rng.integers(2019, 2022)), int(rng.choice([6, 12])), 30 if k % 2 else 1)
        rows.append(
            target(
                id=f"t{k}", city=f"c{k % 7}", indicator=f"i{k}", comparator=comparator,
                value_canonical=float(np.round(rng.uniform(1, 60))), deadline=due, aggregation=aggregation,
                polarity=polarity, baseline_year=[None, 2017, 2015][k % 3], plan_first_year=2018,
                baseline_value=None if k % 5 else 50.0,
            )
        )  # fmt: skip
        keep = ~np.isnan(values)
        series.append(
            pd.DataFrame(
                {"city": f"c{k % 7}", "indicator": f"i{k}", "period": periods[keep], "value": values[keep]}
            )
        )
    t, m = pd.DataFrame(rows), pd.concat(series, ignore_index=True)
    for rules in (DEFAULT, POINTS):
        got = history.statuses(t, m, ENDS, rules)
        assert (got == _one_by_one(t, m, ENDS, rules)).all()


def test_only_the_wanted_pairs_are_evaluated():
    t, m = _hand_built()
    wanted = np.zeros((len(t), len(ENDS)), dtype=bool)
    wanted[0, -1] = True
    got = history.statuses(t, m, ENDS, DEFAULT, wanted)
    assert (got[wanted] >= 0).all() and (got[~wanted] == -1).all()
