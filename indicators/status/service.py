"""Status of every target as of a date: read the store, run the pure engine, add the sentences.

The sentences (explain.py) cost more than the evaluation itself at national scale (150,000 targets), and a
page shows a few hundred of them: `explain=False` leaves them out, and whoever shows rows builds them for
those rows (explain.add_explanations; report.scorecard does it for the rows it is given)."""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pandas as pd

from indicators import months as mo
from indicators import store
from indicators.catalog import rules
from indicators.status import engine as evaluate
from indicators.status import explain as explain_mod
from indicators.status import series
from indicators.store import db

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
    "restated",  # the other clauses of a restated commitment (catalog.commitments), or None
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
    return {c: mo.end(mo.of(p)) for c, p in latest.items()}


def evaluate_frames(
    targets: pd.DataFrame,
    measurements: pd.DataFrame | series.Monthly,
    as_of: dt.date | None,
    the_rules: rules.Rules,
    latest: pd.DataFrame | None = None,
    explain: bool = True,
) -> pd.DataFrame:
    """Evaluate every target (as_of None: each city as of its own latest month) and explain it (unless
    explain is False: then without explanation_zh and explanation_en).

    latest (city, period) gives each city's latest month; by default it is read from a measurements frame."""
    if as_of is not None:
        groups = [(as_of, targets)]
    else:
        if latest is None:
            assert isinstance(measurements, pd.DataFrame), "latest months are needed with Monthly values"
            latest = measurements[["city", "period"]]
        dates = default_as_of(latest)
        fallback = max(dates.values(), default=dt.date.today())
        when = targets["city"].map(dates).fillna(fallback)
        if when.nunique() == 1:  # every city up to the same month (a whole country, often): no split
            groups = [(when.iloc[0], targets)]
        else:
            keyed = targets.assign(_as_of=when)
            groups = [(d, g.drop(columns="_as_of")) for d, g in keyed.groupby("_as_of", sort=True)]
    parts = []
    for date, group in groups:
        result = evaluate.evaluate(group, measurements, date, the_rules)
        # one result row per target, in the group's order: the names are set beside it, row by row
        names = group[["aggregation", "canonical_unit", "baseline_year", *NAME_COLUMNS]].rename(
            columns={"baseline_year": "baseline_year_stated", "value": "value_as_written"}
        )
        parts.append(pd.concat([result, names.reset_index(drop=True)], axis=1))
    if not parts:
        return pd.DataFrame()
    evaluated = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
    return explain_mod.add_explanations(evaluated) if explain else evaluated


def status(
    path: Path | str, city: str | None = None, as_of: dt.date | None = None, explain: bool = True
) -> pd.DataFrame:
    """The status of every target (of one city) as of a date, with explanations unless explain is False."""
    with db.connect(path, read_only=True) as con:
        code = store.resolve_city(con, city) if city else None
        # the values (the larger read) and the latest months on connections of their own while this one
        # reads the targets: DuckDB, Arrow and numpy let go of the interpreter, so they share the cores
        with con.cursor() as values_con, con.cursor() as latest_con, ThreadPoolExecutor(2) as pool:
            values = pool.submit(store.monthly_values, values_con, code)
            latest = pool.submit(store.latest_months, latest_con, code) if as_of is None else None
            targets = engine_targets(store.targets_frame(con, code), store.plans_frame(con))
            monthly = values.result()
    latest_months = latest.result() if latest is not None else None
    return evaluate_frames(targets, monthly, as_of, rules.load(), latest_months, explain)


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
    last = mo.last_complete(as_of)
    if mine.empty:
        return pd.DataFrame(columns=["period", "reported", "evaluation"])
    p = pd.to_datetime(mine["period"])
    first = mo.of(p.min())
    key = pd.Series([aggregation], index=pd.MultiIndex.from_tuples([(city, indicator)]))
    m = series.build(mine, key, first, last, rules.load().min_months_in_year)
    months = pd.Series([mo.end(first + i) for i in range(m.raw.shape[1])])
    out = pd.DataFrame({"period": pd.to_datetime(months), "reported": m.raw[0], "evaluation": m.value[0]})
    if aggregation == "cumulative_count" and start is not None:
        before = out["period"] < pd.Timestamp(start).replace(day=1)
        out["evaluation"] = out["evaluation"] - (out.loc[before, "reported"].sum() if before.any() else 0)
        out.loc[before, "evaluation"] = float("nan")
    return out
