"""Status of every target as of a date: read the store, run the pure engine, add the sentences."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from indicators import db, evaluate, explain, rules, series, store

NAME_COLUMNS = [
    "city_zh",
    "city_en",
    "indicator_zh",
    "indicator_en",
    "domain",
    "unit",
    "value",
    "responsible",
    "cooperating",
    "stage",
    "quote",
    "source_file",
]


def engine_targets(targets: pd.DataFrame, plans: pd.DataFrame) -> pd.DataFrame:
    """store.targets_frame joined with its plan's first year and document date, as evaluate() needs."""
    plan_cols = plans[["source_file", "title_zh", "first_year", "last_year", "document_date"]].rename(
        columns={
            "title_zh": "plan_title_zh",
            "first_year": "plan_first_year",
            "last_year": "plan_last_year",
            "document_date": "plan_document_date",
        }
    )
    return targets.merge(plan_cols, on=["source_file", "plan_title_zh"], how="left")


def default_as_of(latest: pd.DataFrame) -> dict[str, dt.date]:
    """Per city: the last day of its latest uploaded month (from a frame of city, period)."""
    if latest.empty:
        return {}
    latest = pd.to_datetime(latest.groupby("city")["period"].max())
    return {c: series.month_end(int(p.year * 12 + p.month - 1)) for c, p in latest.items()}


def evaluate_frames(
    targets: pd.DataFrame,
    measurements: pd.DataFrame | series.Monthly,
    as_of: dt.date | None,
    the_rules: rules.Rules,
    latest: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Evaluate every target (as_of None: each city as of its own latest month) and explain it.

    latest (city, period) gives each city's latest month; by default it is read from a measurements frame."""
    if as_of is not None:
        groups = [(as_of, targets)]
    else:
        if latest is None:
            assert isinstance(measurements, pd.DataFrame), "latest months are needed with Monthly values"
            latest = measurements[["city", "period"]]
        dates = default_as_of(latest)
        fallback = max(dates.values(), default=dt.date.today())
        keyed = targets.assign(_as_of=targets["city"].map(dates).fillna(fallback))
        groups = [(d, g.drop(columns="_as_of")) for d, g in keyed.groupby("_as_of", sort=True)]
    parts = []
    for date, group in groups:
        result = evaluate.evaluate(group, measurements, date, the_rules)
        names = group[["id", "aggregation", "canonical_unit", "baseline_year", *NAME_COLUMNS]].rename(
            columns={"id": "target_id", "baseline_year": "baseline_year_stated", "value": "value_as_written"}
        )
        parts.append(result.merge(names, on="target_id", how="left"))
    if not parts:
        return pd.DataFrame()
    return explain.add_explanations(pd.concat(parts, ignore_index=True))


def status(path: Path | str, city: str | None = None, as_of: dt.date | None = None) -> pd.DataFrame:
    """The status of every target (of one city) as of a date, with explanations."""
    with db.connect(path, read_only=True) as con:
        code = store.resolve_city(con, city) if city else None
        targets = engine_targets(store.targets_frame(con, code), store.plans_frame(con))
        monthly = store.monthly_values(con, code)
        latest = store.latest_months(con, code) if as_of is None else None
    return evaluate_frames(targets, monthly, as_of, rules.load(), latest)


def evaluation_series(
    measurements: pd.DataFrame,
    city: str,
    indicator: str,
    aggregation: str,
    as_of: dt.date,
    start: dt.date | None = None,
) -> pd.DataFrame:
    """Monthly reported values and the evaluation value at each month end, for one city and indicator.

    For counts the evaluation value is the running total since `start` (the target's plan start).
    """
    mine = measurements[(measurements["city"] == city) & (measurements["indicator"] == indicator)]
    last = series.last_complete_month(as_of)
    if mine.empty:
        return pd.DataFrame(columns=["period", "reported", "evaluation"])
    p = pd.to_datetime(mine["period"])
    first = int((p.dt.year * 12 + p.dt.month - 1).min())
    key = pd.Series([aggregation], index=pd.MultiIndex.from_tuples([(city, indicator)]))
    m = series.build(mine, key, first, last, rules.load().min_months_in_year)
    months = pd.Series([series.month_end(first + i) for i in range(m.raw.shape[1])])
    out = pd.DataFrame({"period": pd.to_datetime(months), "reported": m.raw[0], "evaluation": m.value[0]})
    if aggregation == "cumulative_count" and start is not None:
        before = out["period"] < pd.Timestamp(start).replace(day=1)
        out["evaluation"] = out["evaluation"] - (out.loc[before, "reported"].sum() if before.any() else 0)
        out.loc[before, "evaluation"] = float("nan")
    return out
