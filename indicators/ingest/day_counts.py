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
import pyarrow.compute as pc

from indicators.ingest.cells import arrow, is_empty, is_text
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
    if cells.isna().all():  # the column is not in the file (missing cells are empty: NaN, not unreadable)
        return np.full(len(cells), np.nan), np.zeros(len(cells), dtype=bool)
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
    none is written), and the counts of every record. Reads the value cells once per distinct cell, and
    only those that could hold day counts: a cell with a slash, or the value of a record with good days."""
    n = len(records)
    for column in ("valid_days", "good_days"):  # a table read without these columns: none given
        if column not in records:
            records = records.assign(**{column: pd.Series([None] * n, dtype=object, index=records.index)})
    valid, bad_valid = _whole(records["valid_days"]) if n else (np.empty(0), np.empty(0, dtype=bool))
    good, bad_good = _whole(records["good_days"]) if n else (np.empty(0), np.empty(0, dtype=bool))
    fraction, parsed = _fractions(records["value"])
    if fraction.any():
        conflict = fraction & ~np.isnan(valid) & (valid != parsed[:, 1])
        bad_valid = bad_valid | conflict
        good = np.where(fraction, parsed[:, 0], good)
        valid = np.where(fraction & ~conflict, parsed[:, 1], valid)
    counted = ~np.isnan(good) | bad_good
    empty_value = _empty_at(records["value"], np.flatnonzero(counted))  # only read where counted
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


def _fractions(cells: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(does the cell hold good/valid days, "25/30"; (good, valid) of each cell, -1 where not), matched
    once per distinct cell. Of text read by Arrow only the cells with a slash are looked at."""
    n = len(cells)
    if is_text(cells):
        text = arrow(cells)
        slash = pc.fill_null(pc.or_(pc.match_substring(text, "/"), pc.match_substring(text, "／")), False)
        at = np.flatnonzero(slash.to_numpy(zero_copy_only=False))
    else:
        at = np.arange(n)
    fraction, parsed = np.zeros(n, dtype=bool), np.full((n, 2), -1, dtype=np.int64)
    if not len(at):
        return fraction, parsed
    codes, distinct = pd.factorize(cells.iloc[at].astype(object), use_na_sentinel=True)
    pairs = [_FRACTION.match(c) if isinstance(c, str) else None for c in distinct] + [None]
    fraction[at] = np.array([p is not None for p in pairs], dtype=bool)[codes]
    pair = [(int(p[1].translate(_FULL)), int(p[2].translate(_FULL))) if p else (-1, -1) for p in pairs]
    parsed[at] = np.array(pair, dtype=np.int64)[codes]
    return fraction, parsed


def _empty_at(cells: pd.Series, at: np.ndarray) -> np.ndarray:
    """is_empty of the cells at positions `at` (once per distinct cell); False elsewhere."""
    empty = np.zeros(len(cells), dtype=bool)
    if len(at):
        codes, distinct = pd.factorize(cells.iloc[at].astype(object), use_na_sentinel=True)
        empty[at] = np.array([is_empty(c) for c in distinct] + [True], dtype=bool)[codes]
    return empty


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
    # the fields of an error are computed only when some record has it (err.add reads them for those)
    if days.bad_valid.any():
        err.add(days.bad_valid, "bad_days", column, value=r["valid_days"].astype(str))
    bad_good = days.bad_good & ~days.bad_valid
    if bad_good.any():
        err.add(bad_good, "bad_days", column, value=r["good_days"].astype(str))
    # the days of each record's month, found once per distinct month
    month_days = [calendar.monthrange(p.year, p.month)[1] if p else 31 for p in period.answers]
    in_month = np.array(month_days, dtype=float)[period.codes]
    over = ~np.isnan(days.valid) & (days.valid > in_month)
    if over.any():
        label = period.answer(lambda p: p.strftime("%Y-%m") if p else "").per_record()
        err.add(
            over, "valid_days_over_month", column, valid=_ints(days.valid), period=label, days=_ints(in_month)
        )
    good = days.counted & ~days.bad_good & ~days.bad_valid
    if not good.any():
        return
    kinds = indicator.answer(lambda c: getattr(lookup.indicators.get(c), "aggregation", None)).per_record()
    not_ratio = good & (kinds != "day_ratio") & ~indicator.is_none()
    err.add(not_ratio, "good_days_not_ratio", column)
    ok = good & ~not_ratio
    without = ok & (np.isnan(days.valid) | (days.valid < 1))
    err.add(without, "good_days_without_valid", column)
    above = ok & ~without & (days.good > days.valid)
    if (above & ~over).any():
        err.add(above & ~over, "good_over_valid", column, good=_ints(days.good), valid=_ints(days.valid))
    with np.errstate(all="ignore"):
        share = 100 * days.good / days.valid
    differs = ok & ~without & ~above & days.written & ~(np.abs(value - share) <= 0.05)
    if not differs.any():
        return
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
