"""The plan clock: when each target's plan starts (the baseline year, a count's start) and when it is due,
against an as-of date. The status engine and the demo generator both read it from here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from indicators import months as mo


def january_first(years: np.ndarray) -> np.ndarray:
    return (np.asarray(years, dtype=int) - 1970).astype("datetime64[Y]").astype("datetime64[D]")


def year_of(dates: np.ndarray) -> np.ndarray:
    return dates.astype("datetime64[Y]").astype(int) + 1970


def base_years(stated: np.ndarray, first_year: np.ndarray) -> np.ndarray:
    """The baseline year: the one the plan states, else the year before the plan's first year (DOMAIN.md)."""
    stated = np.asarray(stated, dtype=float)
    return np.where(~np.isnan(stated), np.nan_to_num(stated), np.asarray(first_year) - 1).astype(int)


def count_starts(
    first_year: np.ndarray, last_year: np.ndarray, doc_date: np.ndarray, deadline: np.ndarray
) -> np.ndarray:
    """When a count target starts at 0: 1 January of the first year for a yearly work plan, for a stage due
    in the document's own year or when the plan has no date; otherwise the document date (DOMAIN.md)."""
    from_january = np.isnat(doc_date) | (last_year == first_year) | (year_of(deadline) == year_of(doc_date))
    return np.where(from_january, january_first(first_year), doc_date)


@dataclass(frozen=True)
class Clock:
    """When each target's plan starts and is due, against the as-of date."""

    as_of: dt.date
    as_of_m: int  # the last complete month
    deadline: np.ndarray  # datetime64[D]
    deadline_m: np.ndarray  # the last complete month at the deadline
    due_year: np.ndarray
    base_year: np.ndarray
    is_count: np.ndarray
    count_start: np.ndarray  # datetime64[D]
    count_base_m: np.ndarray  # the month before a count starts: its running total there is subtracted
    t_base: np.ndarray  # datetime64[D]: where the schedule path starts
    reached: np.ndarray  # the deadline has passed
    ref_m: np.ndarray  # the month the status reads: the as-of month, or the deadline's once it passed


def _dates(values: pd.Series) -> np.ndarray:
    return pd.to_datetime(values).to_numpy(dtype="datetime64[D]")


def plan_clock(t: pd.DataFrame, as_of: dt.date) -> Clock:
    n = len(t)
    as_of_m = mo.last_complete(as_of)
    deadline = _dates(t["deadline"])
    first_year = t["plan_first_year"].to_numpy(dtype=int)
    base_year = base_years(t["baseline_year"].to_numpy(dtype=float), first_year)
    is_count = t["comparator"].isin(["count_done"]).to_numpy(dtype=bool)
    doc_date = _dates(t["plan_document_date"].fillna(pd.NaT))
    last_year = (
        t["plan_last_year"].fillna(-1).to_numpy(dtype=int) if "plan_last_year" in t else np.full(n, -1)
    )
    count_start = count_starts(first_year, last_year, doc_date, deadline)
    t_base = np.where(is_count, count_start, january_first(base_year + 1) - 1)
    deadline_m = mo.last_complete_of_dates(deadline)
    return Clock(
        as_of=as_of,
        as_of_m=as_of_m,
        deadline=deadline,
        deadline_m=deadline_m,
        due_year=year_of(deadline),
        base_year=base_year,
        is_count=is_count,
        count_start=count_start,
        count_base_m=mo.of_dates(count_start) - 1,
        t_base=t_base,
        reached=deadline <= np.datetime64(as_of),
        ref_m=np.minimum(deadline_m, as_of_m),
    )
