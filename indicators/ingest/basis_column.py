"""The 口径/basis column of an upload (issue 12): whether a count is this month's increment (当月, the
default) or the running total so far (累计), read once per distinct cell, and running totals that go down
within the file (`cumulative_decrease`). ingest/basis.py turns the accepted running totals into increments."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from indicators.ingest.cells import is_empty
from indicators.ingest.names import Lookup

if TYPE_CHECKING:
    from indicators.ingest.validate import _Column, _Errors


BASIS_WORDS = {
    "累计": "cumulative",
    "cumulative": "cumulative",
    "累计值": "cumulative",
    "total": "cumulative",
}
BASIS_WORDS |= {
    "当月": "monthly",
    "monthly": "monthly",
    "本月": "monthly",
    "当期": "monthly",
    "月度": "monthly",
}


def bases(r: pd.DataFrame, indicator: _Column, lookup: Lookup, err: _Errors) -> np.ndarray:
    """Each value's basis (issue 12): "cumulative" (累计, a running total so far) or "monthly" (当月, this
    month's increment, the default). A running total only makes sense for a cumulative-count indicator.
    Read once per distinct cell: a file without a basis column costs one look."""
    monthly = np.empty(len(r), dtype=object)
    monthly.fill("monthly")  # (np.full would make a string per record)
    if "basis" not in r or r["basis"].isna().all():
        return monthly
    codes, distinct = pd.factorize(r["basis"].astype(object), use_na_sentinel=True)
    words = [None if is_empty(c) else str(c).strip() for c in distinct]
    named = np.array([None if w is None else BASIS_WORDS.get(w.lower(), "?") for w in words] + [None])
    basis = named[codes]  # code -1 (an empty cell): None
    written = np.array([*words, None], dtype=object)[codes]
    err.add(basis == "?", "bad_basis", r["column"], value=written)
    running = basis == "cumulative"
    if running.any():
        info = lookup.indicators
        kinds = np.array([getattr(info.get(c), "aggregation", None) for c in indicator.per_record()[running]])
        wrong = np.zeros(len(r), dtype=bool)
        wrong[np.flatnonzero(running)] = kinds != "cumulative_count"
        err.add(wrong, "basis_not_count", r["column"], value=written)
    monthly[running] = "cumulative"
    return monthly


def check_running_totals(
    r: pd.DataFrame,
    city: _Column,
    indicator: _Column,
    period: _Column,
    basis: np.ndarray,
    value: np.ndarray,
    err: _Errors,
) -> None:
    """A running total below the file's previous running total of its series: `cumulative_decrease`
    (against the stored values: ingest/basis.py)."""
    running = np.flatnonzero((basis == "cumulative") & ~err.bad)
    if len(running) < 2:
        return
    frame = pd.DataFrame(
        {
            "city": city.per_record()[running],
            "indicator": indicator.per_record()[running],
            "period": period.per_record()[running],
            "value": value[running],
            "at": running,
        }
    ).sort_values(["city", "indicator", "period"], kind="stable")
    before = frame.groupby(["city", "indicator"])["value"].shift()
    down = frame["value"].to_numpy() < before.to_numpy() - 1e-9
    mask = np.zeros(len(r), dtype=bool)
    mask[frame["at"].to_numpy()[down]] = True
    previous = np.full(len(r), np.nan)
    previous[frame["at"].to_numpy()] = before.to_numpy()
    err.add(mask, "cumulative_decrease", r["column"], value=_fmts(value), before=_fmts(previous))


def _fmts(values: np.ndarray) -> np.ndarray:
    return np.array([f"{v:g}" for v in values], dtype=object)
