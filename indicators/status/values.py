"""What the status engine reads of each target's series: the evaluation values at the months a status
reads (declared up front, computed for those months only) and the latest reported month."""

from __future__ import annotations

import numpy as np
import pandas as pd

from indicators.status import series


def last_reported(raw: np.ndarray, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """Per target: the last column of raw up to its column `cols` with a reported value (-1: none).

    Looks back one column at a time from `cols`, only for the targets still unresolved: nearly every series
    reported in its latest month, so this reads a column or two rather than each series' whole history."""
    out = np.full(len(rows), -1)
    col = np.minimum(cols, raw.shape[1] - 1)
    todo = np.flatnonzero((rows >= 0) & (col >= 0))
    while todo.size:
        hit = ~np.isnan(raw[rows[todo], col[todo]])
        out[todo[hit]] = col[todo[hit]]
        todo = todo[~hit]
        col[todo] -= 1
        todo = todo[col[todo] >= 0]
    return out


def target_rows(t: pd.DataFrame, monthly: series.Monthly) -> tuple[np.ndarray, int, np.ndarray, np.ndarray]:
    """The reported values (rows: series, columns: months from `first` on), each target's row, and each
    row's aggregation (None where no target reads it). A series without values gets an empty row."""
    rows = monthly.rows_of(t["city"], t["indicator"])
    if (rows < 0).any():
        lacking = rows < 0
        missing = pd.MultiIndex.from_arrays([t["city"][lacking], t["indicator"][lacking]]).unique()
        empty = np.full((len(missing), monthly.raw.shape[1]), np.nan)
        monthly = series.Monthly(monthly.keys.append(missing), monthly.first, np.vstack([monthly.raw, empty]))
        rows = monthly.rows_of(t["city"], t["indicator"])
    codes, names = pd.factorize(t["aggregation"])
    kinds = np.full(len(monthly.keys), None, dtype=object)
    kinds[rows] = np.asarray([*names, None], dtype=object)[codes]  # code -1: none
    return monthly.raw, monthly.first, rows, kinds


def target_valid(monthly: series.Monthly, n_rows: int) -> np.ndarray | None:
    """The valid days beside target_rows' values (its rows: the held series, then the empty ones it
    appended), or None when no value came with them."""
    if monthly.valid is None:
        return None
    extra = n_rows - monthly.valid.shape[0]
    return (
        np.vstack([monthly.valid, np.full((extra, monthly.valid.shape[1]), np.nan)])
        if extra
        else monthly.valid
    )


class Values:
    """The evaluation value of each target's series at the months a status reads: declared up front and
    computed for those months only (series.evaluation_at). Months outside first_m..last_m read NaN."""

    def __init__(
        self,
        raw: np.ndarray,
        kinds: np.ndarray,
        first: int,
        rows: np.ndarray,
        span: tuple[int, int],
        months: np.ndarray,
        min_months: int,
        valid: np.ndarray | None = None,
    ) -> None:
        self.first_m, self.last_m = span
        self.valid = valid
        months = np.unique(np.asarray(months, dtype=int))
        months = months[(months >= self.first_m) & (months <= self.last_m)]
        self.raw, self.kinds, self.first, self.rows, self.min_months = raw, kinds, first, rows, min_months
        self.pos = np.full(self.last_m - self.first_m + 1, -1)
        self.pos[months - self.first_m] = np.arange(len(months))
        of_series = series.evaluation_at(raw, kinds, first, months - first, min_months, valid)
        self.values = of_series[np.maximum(rows, 0)]  # one row per target
        self.values[rows < 0] = np.nan

    def _where(self, months: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        inside = (months >= self.first_m) & (months <= self.last_m)
        pos = self.pos[np.where(inside, months - self.first_m, 0)]
        if (inside & (pos < 0)).any():
            raise ValueError("a month the status reads was not declared to Values")
        return inside, pos

    def __call__(self, months: np.ndarray | int, which: np.ndarray | None = None) -> np.ndarray:
        """The value of every target (or of the targets `which`, positions) at its month (NaN: none)."""
        targets = np.arange(len(self.rows)) if which is None else which
        inside, pos = self._where(np.broadcast_to(np.asarray(months, dtype=int), targets.shape))
        out = np.full(len(targets), np.nan)
        out[inside] = self.values[targets[inside], pos[inside]]
        return out

    def block(self, months: np.ndarray, which: np.ndarray | None = None) -> np.ndarray:
        """Every target's (or the targets `which`'s) values at the same months (columns), stored row by row:
        the sums over a row (the trend's) depend on that order to the last bit."""
        inside, pos = self._where(np.asarray(months, dtype=int))
        out = np.ascontiguousarray((self.values if which is None else self.values[which])[:, pos])
        out[:, ~inside] = np.nan
        return out

    def first_after(self, which: np.ndarray, months: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Per target of `which` (positions of targets that have a series): the first value from its month
        up to last_m and that value's month (NaN: none). Computed over the whole span, on these targets'
        series only."""
        lo = max(int(months.min()), self.first_m)
        if lo > self.last_m:
            return np.full(len(which), np.nan), np.full(len(which), np.nan)
        span = np.arange(lo, self.last_m + 1)
        own, inverse = np.unique(self.rows[which], return_inverse=True)
        valid = None if self.valid is None else self.valid[own]
        values = series.evaluation_at(
            self.raw[own], self.kinds[own], self.first, span - self.first, self.min_months, valid
        )[inverse]
        values[span[None, :] < months[:, None]] = np.nan
        has = ~np.isnan(values)
        found = has.any(axis=1)
        col = has.argmax(axis=1)
        value = np.where(found, values[np.arange(len(which)), col], np.nan)
        return value, np.where(found, span[col], np.nan)

    def reported_in_years(self, years: np.ndarray, which: np.ndarray) -> np.ndarray:
        """Per target of `which` (positions; rows) and year (columns): whether its own series reported any
        month of that year. Reads only those targets' series and those years' months."""
        out = np.zeros((len(which), len(years)), dtype=bool)
        rows = self.rows[which]
        has = np.flatnonzero(rows >= 0)
        if not len(has) or not len(years):
            return out
        width = self.raw.shape[1]
        c0 = int(np.clip(int(years.min()) * 12 - self.first, 0, width))
        c1 = int(np.clip(int(years.max()) * 12 + 12 - self.first, c0, width))
        own = self.raw[rows[has], c0:c1]  # only the months of these years
        for j, year in enumerate(years):
            lo = int(np.clip(int(year) * 12 - self.first, c0, c1)) - c0
            hi = int(np.clip(int(year) * 12 + 12 - self.first, c0, c1)) - c0
            if hi > lo:
                out[has, j] = (~np.isnan(own[:, lo:hi])).any(axis=1)
        return out
