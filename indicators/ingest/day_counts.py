"""Day counts in an upload (issue 12): the month's valid monitoring days (有效天数, any indicator) and, for a
good-days share (优良天数比例), its good days (优良天数) instead of, or beside, the percentage.

Written as columns of the long layout (有效天数 valid_days, 优良天数 good_days), as a 有效天数 column of the
wide layout (the row's valid days, for each of its values), or in the share's own cell as good/valid
("25/30"), in either layout. A share given as day counts is stored as 100 × good / valid with both counts,
and the engine weighs each month by its valid days, so the share over a window is Σ good / Σ valid.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from indicators.ingest.cells import is_empty
from indicators.ingest.names import Lookup
from indicators.ingest.numbers import number

if TYPE_CHECKING:
    from indicators.ingest.errors import UploadError
    from indicators.ingest.validate import _Column, _Errors

_FRACTION = re.compile(r"^\s*([0-9０-９]{1,4})\s*[/／]\s*([0-9０-９]{1,4})\s*$")  # good/valid days


@dataclass(frozen=True)
class Days:
    valid: np.ndarray  # float per record, NaN: not given
    good: np.ndarray
    bad_valid: np.ndarray  # the cell is not a whole number >= 0
    bad_good: np.ndarray
    counted: np.ndarray  # the value is (or is checked against) 100 × good / valid
    written: np.ndarray  # the value cell held a number of its own (checked against the counts)


def _whole(cells: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(days per cell, NaN where empty or unreadable; unreadable: not a whole number >= 0)."""
    codes, distinct = pd.factorize(cells.astype(object), use_na_sentinel=True)
    days, bad = np.full(len(distinct) + 1, np.nan), np.zeros(len(distinct) + 1, dtype=bool)
    for k, cell in enumerate(distinct):
        if is_empty(cell):
            continue
        x = number(cell)
        if x is None or not np.isfinite(x) or x < 0 or x != int(x):
            bad[k] = True
        else:
            days[k] = x
    return days[codes], bad[codes]


def read(records: pd.DataFrame) -> tuple[pd.DataFrame, Days]:
    """The records with a day-count share turned into its percentage (value 100 × good / valid, unit % when
    none is written), and the counts of every record. Reads the value cells once per distinct cell."""
    n = len(records)
    for column in ("valid_days", "good_days"):  # a table read without these columns: none given
        if column not in records:
            records = records.assign(**{column: pd.Series([None] * n, dtype=object, index=records.index)})
    valid, bad_valid = _whole(records["valid_days"]) if n else (np.empty(0), np.empty(0, dtype=bool))
    good, bad_good = _whole(records["good_days"]) if n else (np.empty(0), np.empty(0, dtype=bool))
    codes, distinct = pd.factorize(records["value"].astype(object), use_na_sentinel=True)
    pairs = [_FRACTION.match(c) if isinstance(c, str) else None for c in distinct] + [None]
    fraction = np.array([p is not None for p in pairs], dtype=bool)[codes]
    if fraction.any():
        parsed = np.array(
            [(int(p[1].translate(_FULL)), int(p[2].translate(_FULL))) if p else (-1, -1) for p in pairs]
        )[codes]
        conflict = fraction & ~np.isnan(valid) & (valid != parsed[:, 1])
        bad_valid = bad_valid | conflict
        good = np.where(fraction, parsed[:, 0], good)
        valid = np.where(fraction & ~conflict, parsed[:, 1], valid)
    empty_value = np.array([is_empty(c) for c in distinct] + [True], dtype=bool)[codes]
    counted = ~np.isnan(good) | bad_good
    written = counted & ~fraction & ~empty_value
    computes = counted & (fraction | empty_value) & ~np.isnan(good) & (valid > 0)
    out = records
    if computes.any():
        out = records.copy()
        with np.errstate(all="ignore"):
            share = 100 * good / valid
        value = out["value"].astype(object).to_numpy().copy()
        value[computes] = share[computes]
        out["value"] = pd.Series(value, dtype=object, index=out.index)
        unit = out["unit"].astype(object).to_numpy().copy()
        no_unit = computes & np.array([is_empty(u) for u in unit], dtype=bool)
        unit[no_unit] = "%"
        out["unit"] = pd.Series(unit, dtype=object, index=out.index)
    return out, Days(valid, good, bad_valid, bad_good, counted, written)


_FULL = str.maketrans("０１２３４５６７８９", "0123456789")


def check(
    r: pd.DataFrame,
    days: Days,
    indicator: _Column,
    period: _Column,
    value: np.ndarray,
    lookup: Lookup,
    err: _Errors,
) -> None:
    """Typed errors per record: unreadable days, valid days beyond the month's, good days above the valid
    ones or without them, good days on an indicator that is not a good-days share, and a percentage that
    does not match the counts written beside it."""
    column = r["column"]
    err.add(days.bad_valid, "bad_days", column, value=r["valid_days"].astype(str))
    err.add(days.bad_good & ~days.bad_valid, "bad_days", column, value=r["good_days"].astype(str))
    months = period.per_record()
    in_month = np.array([calendar.monthrange(p.year, p.month)[1] if p else 31 for p in months], dtype=float)
    over = ~np.isnan(days.valid) & (days.valid > in_month)
    label = np.array([p.strftime("%Y-%m") if p else "" for p in months], dtype=object)
    err.add(
        over, "valid_days_over_month", column, valid=_ints(days.valid), period=label, days=_ints(in_month)
    )
    good = days.counted & ~days.bad_good & ~days.bad_valid
    if not good.any():
        return
    kinds = np.array([getattr(lookup.indicators.get(c), "aggregation", None) for c in indicator.per_record()])
    not_ratio = good & (kinds != "day_ratio") & ~indicator.is_none()
    err.add(not_ratio, "good_days_not_ratio", column)
    ok = good & ~not_ratio
    without = ok & (np.isnan(days.valid) | (days.valid < 1))
    err.add(without, "good_days_without_valid", column)
    above = ok & ~without & (days.good > days.valid)
    err.add(above & ~over, "good_over_valid", column, good=_ints(days.good), valid=_ints(days.valid))
    with np.errstate(all="ignore"):
        share = 100 * days.good / days.valid
    differs = ok & ~without & ~above & days.written & ~(np.abs(value - share) <= 0.05)
    err.add(
        differs,
        "good_days_mismatch",
        column,
        value=r["value"].astype(str),
        good=_ints(days.good),
        valid=_ints(days.valid),
        share=np.array([f"{x:.2f}" for x in share], dtype=object),
    )


def _ints(x: np.ndarray) -> np.ndarray:
    return np.array(["" if np.isnan(v) else str(int(v)) for v in x], dtype=object)


CODES = frozenset(
    {
        "bad_days",
        "valid_days_over_month",
        "good_over_valid",
        "good_days_without_valid",
        "good_days_not_ratio",
        "good_days_mismatch",
    }
)


def first_cause(items: list[UploadError], wide: bool) -> list[UploadError]:
    """Where a value's day counts are wrong, that is the one error said about it: the share computed from
    them (out of range, missing) follows from it. A long row is one value; a wide value is a row's cell."""

    def at(e: UploadError) -> object:
        return (e.row, e.column) if wide else e.row

    caused = {at(e) for e in items if e.code in CODES}
    if not caused:
        return items
    return [e for e in items if e.code in CODES or at(e) not in caused]
