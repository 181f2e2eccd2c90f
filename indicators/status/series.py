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

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import pandas as pd

from indicators import months as mo

WINDOW = 12


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


@dataclass
class Monthly:
    """Reported monthly values of a set of series as one matrix: rows `keys`, columns the months from
    `first` on, NaN where nothing was reported. What the store hands the engine at national scale (150,000
    series × 120 months) instead of a frame with a row, a city and an indicator per value."""

    keys: pd.MultiIndex  # (city, indicator) per row
    first: int  # the month (year * 12 + month - 1) of column 0
    raw: np.ndarray
    # the valid monitoring days reported with each value (issue 12), the same shape as raw, NaN where not
    # given; None when no value of these series came with them (the usual case: nothing else is allocated)
    valid: np.ndarray | None = None

    @classmethod
    def empty(cls, keys: pd.MultiIndex, first: int, last: int) -> Monthly:
        return cls(keys, first, np.full((len(keys), max(last - first + 1, 0)), np.nan))

    def put_valid(self, rows: np.ndarray, months: np.ndarray, days: np.ndarray) -> None:
        """Write valid days at (row, month) (NaN: not given); rows < 0 are skipped."""
        ok = (rows >= 0) & ~np.isnan(days)
        if not ok.any():
            return
        if self.valid is None:
            self.valid = np.full(self.raw.shape, np.nan)
        self.valid[rows[ok], months[ok] - self.first] = days[ok]

    def put(self, rows: np.ndarray, months: np.ndarray, values: np.ndarray) -> None:
        """Write values at (row, month); rows < 0 (series not wanted) are skipped."""
        ok = rows >= 0
        if not ok.all():
            rows, months, values = rows[ok], months[ok], values[ok]
        if self.raw.flags.c_contiguous:  # through the flat cell number: twice as fast as (row, column)
            cell = rows * self.raw.shape[1]
            cell += months
            cell -= self.first
            self.raw.reshape(-1)[cell] = values
        else:
            self.raw[rows, months - self.first] = values

    @classmethod
    def from_frame(cls, measurements: pd.DataFrame) -> Monthly:
        """From a frame of city, indicator, period (first day of the month), value; empty values dropped."""
        m = measurements[measurements["value"].notna()] if len(measurements) else measurements
        pairs = pd.MultiIndex.from_arrays([m["city"], m["indicator"]], names=["city", "indicator"])
        codes, keys = pairs.factorize()
        periods = pd.to_datetime(m["period"])
        month = np.asarray(mo.index(periods.dt.year.to_numpy(), periods.dt.month.to_numpy()), dtype=int)
        if not len(month):
            return cls.empty(keys, 0, -1)
        out = cls.empty(keys, int(month.min()), int(month.max()))
        out.put(np.asarray(codes), month, m["value"].to_numpy(dtype=float))
        if "valid_days" in m:
            out.put_valid(np.asarray(codes), month, pd.to_numeric(m["valid_days"]).to_numpy(dtype=float))
        return out

    def rows_of(self, city: pd.Series, indicator: pd.Series) -> np.ndarray:
        """The row of each (city, indicator) pair (-1: not held). Through the keys' integer codes: a lookup
        of 150,000 pairs as tuples took a tenth of a second."""
        keys = self.keys
        c, i = (_codes_in(keys.levels[level], names) for level, names in enumerate((city, indicator)))
        width = len(keys.levels[1])
        held = pd.Index(keys.codes[0].astype(np.int64) * width + keys.codes[1])
        rows = held.get_indexer(c.astype(np.int64) * width + i)
        return np.where((c < 0) | (i < 0), -1, rows)

    @property
    def first_month(self) -> int | None:
        """The first month with a value (None when there is none); usually the first column, so the
        columns are looked at one by one from the left rather than the whole matrix at once."""
        for col in range(self.raw.shape[1]):
            if not np.isnan(self.raw[:, col]).all():
                return self.first + col
        return None

    def matrix(
        self, keys: pd.MultiIndex, first_month: int, n_months: int, held: np.ndarray | None = None
    ) -> np.ndarray:
        """Values of the series `keys` (rows) over months first_month.. (columns), NaN where missing (of
        `held`, raw's shape, instead of raw when given: the valid days).
        When the keys and months are the ones held, the matrix itself (not a copy): read it, never write."""
        source = self.raw if held is None else held
        same_rows = keys is self.keys or keys.equals(self.keys)
        lo, hi = first_month - self.first, first_month - self.first + n_months
        if same_rows and lo >= 0 and hi <= source.shape[1]:
            return source[:, lo:hi]
        raw = np.full((len(keys), n_months), np.nan)
        rows = np.arange(len(keys)) if same_rows else self.keys.get_indexer(keys)
        src_lo, src_hi = max(lo, 0), min(hi, source.shape[1])
        if src_hi > src_lo:
            found = rows >= 0
            raw[found, src_lo - lo : src_hi - lo] = source[rows[found], src_lo:src_hi]
        return raw


def _codes_in(index: pd.Index, names: pd.Series) -> np.ndarray:
    """index.get_indexer(names), each distinct name looked up once (3,000 cities among 150,000 targets)."""
    codes, distinct = pd.factorize(names)
    return np.append(index.get_indexer(distinct), -1)[codes]  # code -1 (a missing name): not found


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
    valid = None if monthly.valid is None else monthly.matrix(keys, first_month, n_months, monthly.valid)
    kinds = aggregation.to_numpy()
    return Matrix(keys, first_month, raw, evaluation(raw, kinds, first_month, min_months, valid))


def evaluation(
    raw: np.ndarray, kinds: np.ndarray, first_month: int, min_months: int, valid: np.ndarray | None = None
) -> np.ndarray:
    """E from the reported values V at every month of the matrix, row by row by each row's aggregation
    (valid: the valid days beside V, weighing a mean's months where given)."""
    return evaluation_at(raw, kinds, first_month, np.arange(raw.shape[1]), min_months, valid)


BLOCK = 16384  # rows evaluated at a time: the temporaries stay small at national scale
WINDOWED = ("annual_mean", "day_ratio", "annual_amount")


def evaluation_at(
    raw: np.ndarray,
    kinds: np.ndarray,
    first_month: int,
    cols: np.ndarray,
    min_months: int,
    valid: np.ndarray | None = None,
) -> np.ndarray:
    """E at the columns `cols` only (rows × len(cols)): the numbers `evaluation` gives there, without
    computing the months nobody reads (a status reads a few dozen of a series' months).

    raw reads as if nothing were reported before its first column or after its last one, so a column may
    lie outside it (before: NaN, a running total 0; after: the figures of the last column carried on).
    Rows whose kind is None are not computed (NaN), nor are rows of an unknown kind.
    valid (raw's shape, NaN where not given): a month's valid days weigh its value in a mean instead of the
    month's days (issue 12: a good-days share is then Σ good / Σ valid over the window)."""
    cols = np.asarray(cols, dtype=np.intp)
    out = np.full((raw.shape[0], len(cols)), np.nan)
    width = int(np.clip(cols.max() + 1, 0, raw.shape[1])) if len(cols) else 0
    days = mo.days_of(first_month, width)
    codes, names = pd.factorize(np.asarray(kinds, dtype=object))  # None: code -1, not computed
    order = np.argsort(codes, kind="stable")
    bounds = np.searchsorted(codes[order], np.arange(len(names) + 1))
    blocks = []
    for k, kind in enumerate(names):
        rows = order[bounds[k] : bounds[k + 1]]
        together = len(rows) and rows[-1] - rows[0] + 1 == len(rows)  # see store.monthly_values
        for start in range(0, len(rows), BLOCK):
            sel = rows[start : start + BLOCK]
            blocks.append((slice(sel[0], sel[-1] + 1) if together else sel, kind))  # a slice: a view of raw

    def evaluate_block(block: slice | np.ndarray, kind: str) -> None:
        weights: np.ndarray = days
        if valid is not None and kind in ("annual_mean", "day_ratio"):
            weights = np.where(np.isnan(valid[block, :width]), days, valid[block, :width])
        out[block] = _rows_at(raw[block, :width], kind, weights, cols, min_months)

    # numpy lets go of the interpreter on arrays this large: blocks on two threads use two cores
    with ThreadPoolExecutor(max_workers=2 if len(blocks) > 1 else 1) as pool:
        list(pool.map(lambda b: evaluate_block(*b), blocks))
    return out


def _rows_at(part: np.ndarray, kind: str, days: np.ndarray, cols: np.ndarray, min_months: int) -> np.ndarray:
    """E at `cols` for rows that all have the aggregation `kind` (NaN for an unknown kind); days: the weight
    of each month in a mean (one per column, or one per cell)."""
    if kind not in (*WINDOWED, "level", "cumulative_count"):
        return np.full((len(part), len(cols)), np.nan)
    if part.shape[1] == 0:  # every column before the first month: nothing reported yet
        return np.full((len(part), len(cols)), 0.0 if kind == "cumulative_count" else np.nan)
    present = ~np.isnan(part)
    if kind == "level":
        last = _at(_last_index(present), cols, before=-1)
        picked = part[np.arange(len(part))[:, None], np.maximum(last, 0)]
        return np.where(last >= 0, picked, np.nan)
    filled = np.where(present, part, 0.0)
    if kind == "cumulative_count":
        return _at(np.cumsum(filled, axis=1), cols, before=0.0)
    count = _rolling_at(np.cumsum(present, axis=1, dtype=np.int32), cols)
    enough = count >= min_months
    if kind == "annual_amount":
        return _rolling_at(np.cumsum(filled, axis=1), cols) * WINDOW / np.where(enough, count, np.nan)
    weights = np.where(enough, _rolling_at(np.cumsum(present * days, axis=1), cols), np.nan)
    return _rolling_at(np.cumsum(filled * days, axis=1), cols) / weights


def _last_index(present: np.ndarray) -> np.ndarray:
    """Per cell, the last column up to it that is present (-1: none yet)."""
    idx = np.where(present, np.arange(present.shape[1], dtype=np.int32), np.int32(-1))
    return np.maximum.accumulate(idx, axis=1, out=idx)


def _at(running: np.ndarray, cols: np.ndarray, before: float) -> np.ndarray:
    """Columns of a running figure (a cumulative sum, a last index): `before` left of column 0, the last
    column's value right of the end."""
    out = running[:, np.clip(cols, 0, running.shape[1] - 1)]
    out[:, cols < 0] = before
    return out


def _rolling_at(running: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """The sum over the WINDOW months ending at each column, from a running sum."""
    return _at(running, cols, before=0) - _at(running, cols - WINDOW, before=0)
