"""Targets that can no longer be met before their deadline (issue 12; DOMAIN.md, rules added after the first
round): a cumulative count already above a ≤ limit, an annual amount whose year-to-date sum already exceeds
its cap, a "不发生…" (zero events) target once an event occurred, a year-on-year target once a year failed.
Such a target is missed at once; the code says why and the amount shows it."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

CANNOT_MEET = ("count_over_cap", "ytd_over_cap", "event_occurred", "year_failed")


@dataclass(frozen=True)
class Caps:
    code: np.ndarray  # position in CANNOT_MEET, -1: the target can still be met
    amount: np.ndarray  # the figure that shows it (a running total, a year's sum so far, a cut in percent)


def sums(raw: np.ndarray, first: int, rows: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """Per target: the sum of its series' reported values over the months lo..hi (inclusive; 0 if none)."""
    out = np.zeros(len(rows))
    ok = (rows >= 0) & (hi >= lo)
    if not ok.any() or raw.shape[1] == 0:
        return out
    own, inverse = np.unique(rows[ok], return_inverse=True)
    running = np.concatenate([np.zeros((len(own), 1)), np.nancumsum(raw[own], axis=1)], axis=1)
    width = raw.shape[1]
    a = np.clip(lo[ok] - first, 0, width)
    b = np.clip(hi[ok] - first + 1, 0, width)
    out[ok] = running[inverse, b] - running[inverse, np.minimum(a, b)]
    return out


def cannot_meet(
    t: pd.DataFrame,
    raw: np.ndarray,
    first: int,
    rows: np.ndarray,
    ref_m: np.ndarray,
    count_start_m: np.ndarray,
    t_base_m: np.ndarray,
    due_year: np.ndarray,
    level: np.ndarray,
    tolerance: np.ndarray,
    failed_year: np.ndarray,
    failed_cut: np.ndarray,
) -> Caps:
    """Up to the reference month (the as-of month, or the deadline's once it passed: a closed target's
    outcome is read there)."""
    n = len(t)
    code, amount = np.full(n, -1), np.full(n, np.nan)
    comparator = t["comparator"].to_numpy(dtype=object)
    aggregation = t["aggregation"].to_numpy(dtype=object)
    cap = comparator == "<="
    lower_cap = cap | np.isin(comparator, ["reduce_by", "yoy_reduce_by", "growth_le"])

    def mark(which: np.ndarray, figure: np.ndarray, k: int) -> None:
        new = which & (code < 0)
        code[new], amount[new] = k, figure[new]

    with np.errstate(invalid="ignore"):
        counted = cap & (aggregation == "cumulative_count")
        total = sums(raw, first, np.where(counted, rows, -1), count_start_m, ref_m)
        mark(counted & (total > level + tolerance), total, 0)
        amounts = aggregation == "annual_amount"
        zero_cap = amounts & cap & (level <= tolerance)
        events = sums(raw, first, np.where(zero_cap, rows, -1), t_base_m + 1, ref_m)
        mark(zero_cap & (events > tolerance), events, 2)
        in_year = amounts & lower_cap & ~zero_cap & (ref_m // 12 == due_year)
        ytd = sums(raw, first, np.where(in_year, rows, -1), due_year * 12, ref_m)
        mark(in_year & (ytd > level + tolerance), ytd, 1)
    mark(~np.isnan(failed_year), failed_cut, 3)
    return Caps(code, amount)
