"""Helpers shared by the status tests: a target row and monthly values written as {"2020-03": 84}."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from indicators.catalog import rules as rules_mod
from indicators.status.engine import evaluate

RULES = rules_mod.load()


def target(**kw: object) -> dict[str, object]:
    base: dict[str, object] = dict(
        id="t",
        city="c",
        indicator="i",
        comparator=">=",
        value_canonical=90.0,
        deadline=dt.date(2020, 12, 31),
        baseline_year=None,
        baseline_value=None,
        aggregation="level",
        polarity="higher",
        canonical_unit="percent",
        plan_first_year=2019,
        plan_document_date=None,
    )
    base.update(kw)
    return base


def monthly(values: dict[str, float], city: str = "c", indicator: str = "i") -> pd.DataFrame:
    return pd.DataFrame(
        [(city, indicator, pd.Timestamp(p + "-01"), v) for p, v in values.items()],
        columns=["city", "indicator", "period", "value"],
    )


def every_month(start: str, end: str, value: float) -> dict[str, float]:
    return {p.strftime("%Y-%m"): value for p in pd.date_range(start + "-01", end + "-01", freq="MS")}


def run(t: dict[str, object], m: pd.DataFrame, as_of: dt.date, rules: rules_mod.Rules = RULES) -> pd.Series:
    return evaluate(pd.DataFrame([t]), m, as_of, rules).iloc[0]
