"""Data sufficiency (issue 12; GB 3095-2012 as applied): a month reported with fewer valid monitoring days
than rules.yaml's minimum (27, 25 in February) is insufficient, and an evaluation whose window holds fewer
sufficient months than required is provisional. The status is still computed; the mark and its reason go
beside it.

The window is the one the status reads at its reference month (the as-of month, or the deadline's once it
passed): the 12 months ending there for a rolling mean, share or annual amount (`min_sufficient_months` of
them must be sufficient), the latest reported month for a level (that month must be). A running count has
no monitoring days and is never provisional. Only values reported with their valid days can be found
insufficient: a window without any is judged as before (its missing months are the minimum-months rule's).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from indicators import months as mo
from indicators.catalog.rules import Rules

WINDOWED = ("annual_mean", "day_ratio", "annual_amount")


@dataclass(frozen=True)
class Sufficiency:
    provisional: np.ndarray  # bool per target
    insufficient: np.ndarray  # months of the window below the minimum (NaN: a running count, or no series)
    window: np.ndarray  # months in the window (12, or 1 for a level; NaN: not applicable)
    reason_zh: list[str | None]
    reason_en: list[str | None]


def judge(
    aggregation: pd.Series,
    raw: np.ndarray,
    valid: np.ndarray | None,
    first: int,
    rows: np.ndarray,
    ref_m: np.ndarray,
    latest_m: np.ndarray,
    rules: Rules,
) -> Sufficiency:
    n = len(rows)
    none: list[str | None] = [None] * n
    out = Sufficiency(np.zeros(n, dtype=bool), np.full(n, np.nan), np.full(n, np.nan), none, list(none))
    if not n:
        return out
    kind = aggregation.to_numpy(dtype=object)
    windowed = np.isin(kind, WINDOWED) & (rows >= 0)
    level = (kind == "level") & (rows >= 0) & ~np.isnan(latest_m)
    which = np.flatnonzero(windowed | level)
    span = np.where(level[which], 1, 12)
    out.insufficient[which], out.window[which] = 0, span  # whether or not any valid days were given
    if valid is None or not len(which):
        return out
    ref = np.asarray(ref_m, dtype=int)[which]
    last = np.where(level[which], np.nan_to_num(latest_m[which]).astype(int), ref)
    months = last[:, None] - 11 + np.arange(12)[None, :]  # the 12 months ending at the reference month
    months = np.where(np.arange(12)[None, :] >= 12 - span[:, None], months, -1)  # a level: its one month
    cols = months - first
    inside = (months >= 0) & (cols >= 0) & (cols < raw.shape[1])
    safe = np.where(inside, cols, 0)
    r = rows[which][:, None]
    reported = inside & ~np.isnan(raw[r, safe])
    days = np.where(reported, valid[r, safe], np.nan)
    february = months % 12 == 1
    minimum = np.where(february, rules.min_valid_days_february, rules.min_valid_days)
    with np.errstate(invalid="ignore"):
        short = reported & (days < minimum)
    k = short.sum(axis=1)
    sufficient = reported.sum(axis=1) - k
    required = np.where(level[which], 1, min(rules.min_sufficient_months, 12))
    provisional = (k > 0) & (sufficient < required)
    out.provisional[which] = provisional
    out.insufficient[which] = k
    for j in np.flatnonzero(provisional):
        i = which[j]
        feb = bool((short[j] & february[j]).any())
        if level[i]:
            month, got = mo.label(int(last[j])), int(days[j, -1])
            need = int(minimum[j, -1])
            out.reason_zh[i] = f"最新月份{month}有效监测天数{got}天，不足{need}天"
            out.reason_en[i] = f"the latest month {month} has {got} valid days, below {need}"
        else:
            feb_zh = f"，2月{rules.min_valid_days_february}天" if feb else ""
            feb_en = f" ({rules.min_valid_days_february} in February)" if feb else ""
            out.reason_zh[i] = (
                f"{int(span[j])}个月中{int(k[j])}个月有效监测天数不足{rules.min_valid_days}天{feb_zh}"
            )
            out.reason_en[i] = (
                f"{int(k[j])} of {int(span[j])} months below {rules.min_valid_days} valid days{feb_en}"
            )
    return out
