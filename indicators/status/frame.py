"""The engine's result: one row per target built from the stages' arrays (status/engine.py), with the text
columns built in Arrow and the month ends computed once per distinct month."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import pyarrow as pa

from indicators import months as mo
from indicators.catalog.rules import Rules
from indicators.status import methods
from indicators.status.clock import Clock
from indicators.vocabulary import STATUSES

if TYPE_CHECKING:
    from indicators.status.engine import Levels, Reading, Schedule


def result_frame(
    t: pd.DataFrame,
    clock: Clock,
    reading: Reading,
    levels: Levels,
    plan: Schedule,
    met_now: np.ndarray,
    codes: np.ndarray,
    rules: Rules,
) -> pd.DataFrame:
    """The evaluated rows: the stages' arrays as columns, with the methods' categories (CAGR, trend) and the
    average the remaining months need."""
    c, reached = clock, clock.reached
    out = pd.DataFrame(
        {
            "target_id": t["id"],
            "city": t["city"],
            "indicator": t["indicator"],
            "comparator": t["comparator"],
            "target_value": t["value_canonical"],
            "target_level": levels.level,
            "deadline": c.deadline,
            "deadline_reached": reached,
            "status": labels(STATUSES, codes),
            "value": reading.value,
            "baseline": levels.baseline,
            "baseline_year": c.base_year,
            "baseline_fallback": levels.baseline_fallback,
            "baseline_missing": levels.baseline_missing,
            "expected": np.where(reached, levels.level, plan.expected),
            "progress_ratio": np.where(np.isfinite(plan.ratio), plan.ratio, np.nan),
            "points_behind": plan.points_behind,
            "projected": plan.projected,
            "fraction_elapsed": plan.fraction,
            "t_base": levels.t_base,
            "direction": levels.direction,
            "latest_period": month_ends(reading.latest_m),
            "stale": reading.stale,
        }
    )
    annual_mean = (t["aggregation"] == "annual_mean").to_numpy(dtype=bool)
    out["required_average"] = required_average(annual_mean, c, reading, levels.level)
    cagr = methods.cagr(
        levels.baseline,
        reading.value,
        levels.level,
        levels.direction,
        levels.t_base,
        c.deadline,
        np.minimum(c.deadline, np.datetime64(c.as_of)),
        met_now,
        c.is_count,
        rules,
    )
    out["cagr_category"] = labels(methods.CAGR_CATEGORIES, cagr, optional=True)
    start_m = np.where(c.is_count, c.count_base_m, -(2**40))  # the months before a count's start: none
    trend = methods.german(
        reading.at,
        c.as_of_m,
        levels.level,
        levels.direction,
        c.deadline,
        met_now,
        reading.offset,
        start_m,
        c.reached,
        rules,
    )
    out["trend_category"] = labels(methods.TREND_CATEGORIES, trend, optional=True)
    out["as_of"] = c.as_of
    return out


def labels(names: tuple[str, ...], codes: np.ndarray, optional: bool = False) -> pd.Series:
    """names[code] per row as a text column (missing where the code is negative), built in Arrow: a tenth
    of the time that a numpy array of Python strings takes to become one. An optional label is a column of
    objects, None where missing, whether or not any row has it: one dtype for every group evaluated, so
    that their concatenation does not mix None with NaN."""
    found = pa.array(names).take(pa.array(codes, mask=codes < 0))
    if optional:
        return pd.Series(found.to_numpy(zero_copy_only=False), dtype=object)
    return found.to_pandas()


def month_ends(months: np.ndarray) -> list[dt.date | None]:
    """The last day of each month index (NaN: None), as dates; computed once per distinct month."""
    codes, distinct = pd.factorize(months)  # NaN -> code -1 -> the None appended last
    ends = np.array([mo.end(int(m)) for m in distinct] + [None], dtype=object)
    return list(ends[codes])


def required_average(
    annual_mean: np.ndarray, clock: Clock, reading: Reading, level: np.ndarray
) -> np.ndarray:
    """Annual-mean targets in their deadline's year: what the months of that year after the as-of month must
    average, (12·T − Σ months so far)/(months left) (DOMAIN.md; months left as issue 12 counts them)."""
    as_of_m, raw, first, rows = clock.as_of_m, reading.raw, reading.first, reading.rows
    year = as_of_m // 12
    left = 11 - as_of_m % 12  # the months of the year after the as-of month
    out = np.full(len(rows), np.nan)
    applies = annual_mean & ~clock.reached & (rows >= 0) & (clock.due_year == year)
    if left == 0 or not applies.any():
        return out
    cols = np.arange(year * 12, as_of_m + 1) - first
    so_far = raw[np.ix_(rows[applies], cols[(cols >= 0) & (cols < raw.shape[1])])]
    out[applies] = (12 * level[applies] - np.nansum(so_far, axis=1)) / left
    return out
