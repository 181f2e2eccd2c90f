"""Status history: each target's status at every month end since its plan started, and per city the counts
per status per month (the trajectory, not only today's colour).

Every month end is evaluated at once (status/history.py: the engine's stages applied to every (target,
month end) pair together, the evaluation values computed once), not by calling the engine once per month.
A target is evaluated from the month its plan starts, and once its deadline has passed its outcome is final
(DOMAIN.md, closed targets), so it is evaluated at the first month end on or after its deadline and carried
on from there.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

from indicators import months as mo
from indicators import store
from indicators.catalog import rules as rules_mod
from indicators.status import history as multi
from indicators.status import series
from indicators.status import service as status
from indicators.store import db
from indicators.vocabulary import STATUSES


def month_ends(first: int, last: int) -> list[dt.date]:
    """The last day of each month from month index `first` to `last` (inclusive)."""
    return [mo.end(m) for m in range(first, last + 1)]


def plan_start(targets: pd.DataFrame) -> np.ndarray:
    """Per target, the month its plan starts: January of the plan's first year (or the document's month
    when that is earlier)."""
    first = targets["plan_first_year"].to_numpy(dtype=int) * 12
    doc = pd.to_datetime(targets["plan_document_date"])
    doc_m = np.where(doc.notna(), doc.dt.year.fillna(0) * 12 + doc.dt.month.fillna(1) - 1, first)
    return np.minimum(first, doc_m.astype(int))


def trimmed(
    monthly: series.Monthly, targets: pd.DataFrame, first_end: dt.date, trend_points: int
) -> series.Monthly:
    """The matrix from the earliest month any status of the history reads (less a year for the windowed
    means and sums) instead of from the first upload: the running sums then cover fewer months. What the
    statuses read stays the same: a windowed value needs its 12 months, a running count the difference of
    two running totals after the start, and a level (the latest value reported) the last value before the
    cut, which is carried into its first month."""
    rows = monthly.rows_of(targets["city"], targets["indicator"])
    reported = ~np.isnan(monthly.raw).all(axis=1) if monthly.raw.size else np.zeros(len(monthly.keys), bool)
    held = (rows >= 0) & reported[np.maximum(rows, 0)]  # the targets with any value: the others read nothing
    if not held.any():
        return monthly
    t = targets[held]
    deadline_m = mo.of_dates(pd.to_datetime(t["deadline"]).to_numpy(dtype="datetime64[D]"))
    base_year = t["baseline_year"].fillna(t["plan_first_year"] - 1).to_numpy(dtype=int)
    first = mo.of(first_end)
    cut = min(
        int(base_year.min()) * 12 - 12,
        int(plan_start(t).min()) - 12,
        int(np.minimum(deadline_m, first).min()) - 12,
        first - trend_points - 12,
    )
    if cut <= monthly.first:
        return monthly
    raw = monthly.raw[:, cut - monthly.first :].copy()
    kinds = pd.Series(
        targets["aggregation"].to_numpy(),
        index=pd.MultiIndex.from_arrays([targets["city"], targets["indicator"]]),
    )
    kinds = kinds[~kinds.index.duplicated()]
    level = np.flatnonzero(kinds.reindex(monthly.keys).to_numpy() == "level")
    if len(level):
        before = monthly.raw[level, : cut - monthly.first + 1]
        present = ~np.isnan(before)
        last = np.where(present.any(axis=1), before.shape[1] - 1 - present[:, ::-1].argmax(axis=1), -1)
        carried = np.where(last >= 0, before[np.arange(len(level)), np.maximum(last, 0)], np.nan)
        raw[level, 0] = carried
    return series.Monthly(monthly.keys, cut, raw)


def evaluate_months(
    targets: pd.DataFrame,
    monthly: series.Monthly,
    ends: list[dt.date],
    the_rules: rules_mod.Rules,
) -> pd.DataFrame:
    """Status codes of every target (rows, in the targets' order) at each month end (columns, `ends`,
    ascending); None before a target's plan starts. All month ends at once (status/history.py); a closed
    target is evaluated at the first month end on or after its deadline and carried on from there."""
    t = targets.reset_index(drop=True)
    if not len(ends) or t.empty:
        return pd.DataFrame(index=t.index, columns=pd.to_datetime(ends), dtype=object)
    monthly = trimmed(monthly, t, ends[0], the_rules.trend_max_points)
    start = plan_start(t)
    end_m = np.array([mo.of(e) for e in ends])
    started = start[:, None] <= end_m[None, :]
    deadline = pd.to_datetime(t["deadline"]).to_numpy(dtype="datetime64[D]")
    closing = started & (deadline[:, None] <= np.array(ends, dtype="datetime64[D]")[None, :])
    closed_at = np.where(closing.any(axis=1), closing.argmax(axis=1), len(ends))
    wanted = started & (np.arange(len(ends))[None, :] <= closed_at[:, None])
    codes = multi.statuses(t, monthly, ends, the_rules, wanted)
    after = started & ~wanted  # after the first month end on or past the deadline: the outcome is final
    rows = np.nonzero(after)[0]
    codes[after] = codes[rows, closed_at[rows]]
    labels = np.array([*STATUSES, None], dtype=object)
    frame = pd.DataFrame(labels[codes], columns=pd.to_datetime(ends), dtype=object)
    return frame.where(frame.notna(), None)


def status_history(
    path: Path | str,
    city: str | None = None,
    last: dt.date | None = None,
    months: int | None = None,
) -> pd.DataFrame:
    """Per target (rows: target_id, city, indicator, then one column per month end) its status at every
    month end up to `last` (default: the latest uploaded month), the last `months` of them or, by default,
    every month since the earliest plan start."""
    with db.connect(path, read_only=True) as con:
        code = store.resolve_city(con, city) if city else None
        targets = status.engine_targets(store.targets_frame(con, code), store.plans_frame(con))
        monthly = store.monthly_values(con, code)
        latest = store.latest_months(con, code)
    if last is None:
        latest_as_of = status.default_as_of(latest)
        last = max(latest_as_of.values(), default=dt.date.today())
    last_m = mo.last_complete(last)
    first_m = last_m - months + 1 if months else int(plan_start(targets).min()) if len(targets) else last_m
    ends = month_ends(first_m, last_m)
    frame = evaluate_months(targets, monthly, ends, rules_mod.load())
    keys = targets[["id", "city", "city_zh", "city_en", "indicator"]].rename(columns={"id": "target_id"})
    return pd.concat([keys.reset_index(drop=True), frame], axis=1)


def city_counts(history: pd.DataFrame) -> pd.DataFrame:
    """Per city and month end, the number of targets in each status (columns: city, month, then one per
    status in evaluation order); targets whose plan had not started are not counted."""
    months = [c for c in history.columns if isinstance(c, pd.Timestamp)]
    long = history.melt(id_vars=["city"], value_vars=months, var_name="month", value_name="status").dropna()
    counts = long.groupby(["city", "month", "status"]).size().unstack("status", fill_value=0)
    counts = counts.reindex(columns=list(STATUSES), fill_value=0)
    return counts.reset_index().rename_axis(columns=None)
