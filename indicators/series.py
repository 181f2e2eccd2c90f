"""Monthly measurements -> evaluation values, vectorised as a (series × month) matrix.

Months are integers `year * 12 + month - 1`. For every (city, indicator) series and every month m, E[s, m] is
the value comparable with a target at the end of month m (DOMAIN.md):
- annual_mean / day_ratio: the day-weighted mean of the 12 months ending at m
  (at December: the calendar year);
- annual_amount: the sum of the 12 months ending at m, annualised when some months are missing;
- level: the latest reported value up to m;
- cumulative_count: the running sum of increments (a target subtracts the sum at its start).
A window needs `min_months_in_year` reported months, otherwise E is NaN.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

WINDOW = 12


def month_index(year: np.ndarray | int, month: np.ndarray | int) -> np.ndarray | int:
    return year * 12 + month - 1


def month_of(date: dt.date) -> int:
    return int(month_index(date.year, date.month))


def last_complete_month(date: dt.date) -> int:
    """The latest month whose last day is on or before `date`."""
    last_day = calendar.monthrange(date.year, date.month)[1]
    return month_of(date) if date.day == last_day else month_of(date) - 1


def month_end(m: int) -> dt.date:
    year, month = divmod(int(m), 12)
    return dt.date(year, month + 1, calendar.monthrange(year, month + 1)[1])


@dataclass
class Matrix:
    """Evaluation values E and raw monthly values V for a set of series over months m0..m0+n-1."""

    keys: pd.MultiIndex  # (city, indicator) per row
    m0: int
    raw: np.ndarray  # V: reported monthly values, NaN where missing
    value: np.ndarray  # E: evaluation value at the end of each month

    def row(self, city: str, indicator: str) -> int:
        return int(self.keys.get_loc((city, indicator)))

    def col(self, m: np.ndarray | int) -> np.ndarray | int:
        return m - self.m0


def _rolling_sum(a: np.ndarray) -> np.ndarray:
    c = np.cumsum(a, axis=1)
    out = c.copy()
    out[:, WINDOW:] = c[:, WINDOW:] - c[:, :-WINDOW]
    return out


def _ffill(a: np.ndarray) -> np.ndarray:
    idx = np.where(~np.isnan(a), np.arange(a.shape[1]), 0)
    np.maximum.accumulate(idx, axis=1, out=idx)
    filled = a[np.arange(a.shape[0])[:, None], idx]
    seen = np.maximum.accumulate(~np.isnan(a), axis=1)
    return np.where(seen, filled, np.nan)


def build(
    measurements: pd.DataFrame, aggregation: pd.Series, first_month: int, last_month: int, min_months: int
) -> Matrix:
    """The matrix for every (city, indicator) in `aggregation` (indexed by that pair) up to last_month.

    measurements: city, indicator, period (first day of the month), value; rows after last_month ignored.
    """
    keys = pd.MultiIndex.from_tuples(list(aggregation.index), names=["city", "indicator"])
    n_months = max(last_month - first_month + 1, 1)
    raw = np.full((len(keys), n_months), np.nan)
    if len(measurements):
        periods = pd.to_datetime(measurements["period"])
        m = month_index(periods.dt.year.to_numpy(), periods.dt.month.to_numpy()) - first_month
        rows = keys.get_indexer(pd.MultiIndex.from_arrays([measurements["city"], measurements["indicator"]]))
        ok = (rows >= 0) & (m >= 0) & (m < n_months) & measurements["value"].notna().to_numpy()
        raw[rows[ok], m[ok]] = measurements["value"].to_numpy(dtype=float)[ok]
    months = np.arange(first_month, first_month + n_months)
    days = np.array([calendar.monthrange(int(x) // 12, int(x) % 12 + 1)[1] for x in months], dtype=float)
    present = ~np.isnan(raw)
    filled = np.nan_to_num(raw)
    count = _rolling_sum(present.astype(float))
    enough = count >= min_months

    weighted = _rolling_sum(filled * days) / np.where(enough, _rolling_sum(present * days), np.nan)
    annual = _rolling_sum(filled) * WINDOW / np.where(enough, count, np.nan)
    value = np.full_like(raw, np.nan)
    kinds = aggregation.to_numpy()
    for kind, source in (
        ("annual_mean", weighted),
        ("day_ratio", weighted),
        ("annual_amount", annual),
        ("level", _ffill(raw)),
        ("cumulative_count", np.cumsum(filled, axis=1)),
    ):
        sel = kinds == kind
        value[sel] = source[sel]
    return Matrix(keys, first_month, raw, value)
