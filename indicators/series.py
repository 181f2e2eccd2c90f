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


@dataclass
class Monthly:
    """Reported monthly values of a set of series as one matrix: rows `keys`, columns the months from
    `first` on, NaN where nothing was reported. What the store hands the engine at national scale (150,000
    series × 120 months) instead of a frame with a row, a city and an indicator per value."""

    keys: pd.MultiIndex  # (city, indicator) per row
    first: int  # the month (year * 12 + month - 1) of column 0
    raw: np.ndarray

    @classmethod
    def empty(cls, keys: pd.MultiIndex, first: int, last: int) -> Monthly:
        return cls(keys, first, np.full((len(keys), max(last - first + 1, 0)), np.nan))

    def put(self, rows: np.ndarray, months: np.ndarray, values: np.ndarray) -> None:
        """Write values at (row, month); rows < 0 (series not wanted) are skipped."""
        ok = rows >= 0
        if not ok.all():
            rows, months, values = rows[ok], months[ok], values[ok]
        self.raw[rows, months - self.first] = values

    @classmethod
    def from_frame(cls, measurements: pd.DataFrame) -> Monthly:
        """From a frame of city, indicator, period (first day of the month), value; empty values dropped."""
        m = measurements[measurements["value"].notna()] if len(measurements) else measurements
        pairs = pd.MultiIndex.from_arrays([m["city"], m["indicator"]], names=["city", "indicator"])
        codes, keys = pairs.factorize()
        periods = pd.to_datetime(m["period"])
        month = np.asarray(month_index(periods.dt.year.to_numpy(), periods.dt.month.to_numpy()), dtype=int)
        if not len(month):
            return cls.empty(keys, 0, -1)
        out = cls.empty(keys, int(month.min()), int(month.max()))
        out.put(np.asarray(codes), month, m["value"].to_numpy(dtype=float))
        return out

    @property
    def first_month(self) -> int | None:
        """The first month with a value (None when there is none)."""
        present = ~np.isnan(self.raw).all(axis=0)
        return self.first + int(present.argmax()) if present.any() else None

    def matrix(self, keys: pd.MultiIndex, first_month: int, n_months: int) -> np.ndarray:
        """Values of the series `keys` (rows) over months first_month.. (columns), NaN where missing.
        When the keys and months are the ones held, the matrix itself (not a copy): read it, never write."""
        same_rows = keys.equals(self.keys)
        lo, hi = first_month - self.first, first_month - self.first + n_months
        if same_rows and lo >= 0 and hi <= self.raw.shape[1]:
            return self.raw[:, lo:hi]
        raw = np.full((len(keys), n_months), np.nan)
        rows = np.arange(len(keys)) if same_rows else self.keys.get_indexer(keys)
        src_lo, src_hi = max(lo, 0), min(hi, self.raw.shape[1])
        if src_hi > src_lo:
            found = rows >= 0
            raw[found, src_lo - lo : src_hi - lo] = self.raw[rows[found], src_lo:src_hi]
        return raw


def build(
    measurements: pd.DataFrame | Monthly,
    aggregation: pd.Series,
    first_month: int,
    last_month: int,
    min_months: int,
) -> Matrix:
    """The matrix for every (city, indicator) in `aggregation` (indexed by that pair) up to last_month.

    measurements: city, indicator, period (first day of the month), value — or the same as Monthly;
    values after last_month are ignored.
    """
    index = aggregation.index
    if isinstance(index, pd.MultiIndex):
        keys = index.set_names(["city", "indicator"])
    else:
        keys = pd.MultiIndex.from_tuples(list(index), names=["city", "indicator"])
    n_months = max(last_month - first_month + 1, 1)
    monthly = measurements if isinstance(measurements, Monthly) else Monthly.from_frame(measurements)
    raw = monthly.matrix(keys, first_month, n_months)
    return Matrix(keys, first_month, raw, evaluation(raw, aggregation.to_numpy(), first_month, min_months))


def evaluation(raw: np.ndarray, kinds: np.ndarray, first_month: int, min_months: int) -> np.ndarray:
    """E from the reported values V, row by row by each row's aggregation (computed only on its rows)."""
    n_months = raw.shape[1]
    months = np.arange(first_month, first_month + n_months)
    days = np.array([calendar.monthrange(int(x) // 12, int(x) % 12 + 1)[1] for x in months], dtype=float)
    value = np.full(raw.shape, np.nan)
    for kind in np.unique(kinds):
        for sel in np.array_split(np.flatnonzero(kinds == kind), max(1, (kinds == kind).sum() // BLOCK)):
            value[sel] = _evaluate_rows(raw[sel], kind, days, min_months)
    return value


BLOCK = 16384  # rows evaluated at a time: the temporaries stay small at national scale


def _evaluate_rows(part: np.ndarray, kind: str, days: np.ndarray, min_months: int) -> np.ndarray:
    """E for rows that all have the aggregation `kind` (NaN for an unknown kind)."""
    if kind in ("annual_mean", "day_ratio", "annual_amount"):
        present = ~np.isnan(part)
        filled = np.nan_to_num(part)
        count = _rolling_sum(present.astype(float))
        enough = count >= min_months
        if kind == "annual_amount":
            return _rolling_sum(filled) * WINDOW / np.where(enough, count, np.nan)
        weights = np.where(enough, _rolling_sum(present * days), np.nan)
        return _rolling_sum(filled * days) / weights
    if kind == "level":
        return _ffill(part)
    if kind == "cumulative_count":
        return np.cumsum(np.nan_to_num(part), axis=1)
    return np.full(part.shape, np.nan)
