"""Validate an upload: every problem in one pass, as typed errors per row and column, and the accepted values.

Every check is made once per distinct cell (a city name, a unit, a month) or per distinct pair (a unit
with an indicator: one conversion factor each, applied to all the values written in that unit at once),
and its answer spread to the records by position; numbers written as plain ASCII are parsed by Arrow all
at once. The value as written and its unit are kept beside the converted one. Nothing here writes:
store.py compares and commits, uploads.py opens the store.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from indicators import units
from indicators.accounts.actor import Actor
from indicators.ingest import basis_column, day_counts
from indicators.ingest import errors as ue
from indicators.ingest import read as ur
from indicators.ingest.cells import arrow, distinct, each, empty_cells, is_empty, is_text
from indicators.ingest.names import IndicatorInfo, Lookup
from indicators.ingest.numbers import numbers

ACCEPTED_COLUMNS = ["row", "column", "city", "indicator", "period", "value", "original_value"]
ACCEPTED_COLUMNS += ["original_unit", "note", "basis", "valid_days", "good_days"]


@dataclass(frozen=True)
class Report:
    file_name: str
    content_sha: str
    layout: str | None
    encoding: str | None
    sheet: str | None
    accepted: pd.DataFrame  # ACCEPTED_COLUMNS; value in the indicator's canonical unit
    errors: list[ue.UploadError]
    rejected: int  # values that will not be written

    @property
    def fatal(self) -> bool:
        return any(e.fatal for e in self.errors)


def check(
    data: bytes, file_name: str, lookup: Lookup, actor: Actor, today: dt.date, sheet: str | None = None
) -> Report:
    """Read and validate a file; a file that cannot be used gives a report of its fatal errors only."""
    sha = hashlib.sha256(data).hexdigest()
    try:
        table = ur.read(data, sheet)
    except ue.Unusable as exc:
        empty = pd.DataFrame({c: pd.Series(dtype=object) for c in ACCEPTED_COLUMNS})
        return Report(file_name, sha, None, None, sheet, empty, exc.problems, 0)
    accepted, errors, rejected = validate(table, lookup, actor, today)
    return Report(file_name, sha, table.layout, table.encoding, table.sheet, accepted, errors, rejected)


class _Errors:
    """Collects errors and marks the records they reject. A field given as an array or Series is read per
    record (only for the records in the mask)."""

    def __init__(self, records: pd.DataFrame):
        self.rows = records["row"].to_numpy()
        self.items: list[ue.UploadError] = []
        self.bad = np.zeros(len(records), dtype=bool)

    def add(self, mask: np.ndarray, code: str, where: str | pd.Series, **fields: object) -> None:
        """One error per record in `mask`, in the column `where` (a header, or one per record)."""
        for i in np.flatnonzero(mask):
            self.bad[i] = True
            values = {k: _at(v, int(i)) for k, v in fields.items()}
            self.items.append(ue.error(code, int(self.rows[i]), _at(where, i), **values))  # type: ignore[arg-type]


def _at(field: object, i: int) -> object:
    if isinstance(field, pd.Series):
        return field.iat[i]
    return field[i] if isinstance(field, np.ndarray) else field


class _Cells:
    """The records, and the distinct cells of each of their columns (found once per column)."""

    def __init__(self, records: pd.DataFrame):
        self.r = records
        self._found: dict[str, tuple[np.ndarray, pd.Index]] = {}

    def __getitem__(self, column: str) -> tuple[np.ndarray, pd.Index]:
        if column not in self._found:
            self._found[column] = distinct(self.r[column])
        return self._found[column]

    def empty(self, column: str) -> np.ndarray:
        codes, uniques = self[column]
        return empty_cells(uniques)[codes]


@dataclass(frozen=True)
class _Column:
    """Something about each record, as positions into one answer per distinct cell."""

    codes: np.ndarray
    answers: np.ndarray
    as_written: bool = False  # each answer is its cell's text as written (text read by Arrow)

    @classmethod
    def of(cls, found: tuple[np.ndarray, pd.Index], f: Callable[[Any], object]) -> _Column:
        """f of each cell, computed once per distinct cell."""
        codes, uniques = found
        answers = each(uniques, f)
        same = is_text(uniques) and all(
            (a == u) if isinstance(a, str) and isinstance(u, str) else (a is None and u is not u)  # NaN
            for a, u in zip(answers, uniques, strict=True)
        )
        return cls(codes, answers, same)

    def answer(self, f: Callable[[Any], object]) -> _Column:
        return _Column(self.codes, each(self.answers, f))

    def per_record(self) -> np.ndarray:
        return self.answers[self.codes]

    def where(self, f: Callable[[Any], bool]) -> np.ndarray:
        return np.array([bool(f(a)) for a in self.answers], dtype=bool)[self.codes]

    def is_none(self) -> np.ndarray:
        return self.where(lambda a: a is None)

    def text(self, records: np.ndarray, written: pd.Series | None = None) -> pd.Series:
        """The answers (text or None) of some records, as a column of text held by Arrow. `written`: the
        cells the answers were found from; when each answer is its cell as written and every record is
        kept, the answers are those cells, and are not taken one by one."""
        if written is not None and self.as_written and len(records) == len(self.codes):
            return arrow(written).cast(pa.large_string()).to_pandas()
        answers = pa.array(list(self.answers), type=pa.large_string())
        return answers.take(pa.array(self.codes[records])).to_pandas()

    def months(self, records: np.ndarray) -> pd.Series:
        """The answers (first days of months) of some records, as datetimes."""
        days = np.array([np.datetime64(a, "s") if a else np.datetime64("NaT", "s") for a in self.answers])
        return pd.Series(days[self.codes[records]], dtype="datetime64[s]")


def _fmt(x: float) -> str:
    return format(x, ".10g")


def _text(cell: object) -> str | None:
    return None if is_empty(cell) else str(cell).strip()


def _ids(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(an id per value, -1 for None; the distinct values by id) for answers such as codes or units."""
    ids, found = pd.factorize(pd.Series(values, dtype=object))
    return ids.astype(np.intp), np.asarray(found, dtype=object)


def _wide_indicators(table: ur.Table, lookup: Lookup, err: _Errors, cells: _Cells) -> tuple[_Column, _Column]:
    """Each wide column's indicator and unit, checked once per header that holds values: an unknown name or
    a missing unit rejects the whole column with one error on the header row."""
    column_codes, headers = cells["column"]
    codes = np.empty(len(headers), dtype=object)
    written = np.empty(len(headers), dtype=object)
    by_header = {h: k for k, h in enumerate(headers)}
    for wc in table.wide_columns:
        named = lookup.indicator(wc.indicator) if wc.unit else None
        whole = lookup.indicator(wc.header)  # a name or alias that itself ends in brackets
        if named is not None and (_parses(wc.unit or "") or whole is None):
            code, unit = named, wc.unit  # "PM2.5(微克/立方米)"; a bad unit is reported with the units
        else:
            # "人均公园绿地面积(平方米)" is an alias; the unit is then missing
            code, unit = whole, None  # type: ignore[assignment]
        problem = None
        if code is None:
            problem = ue.error("unknown_indicator", table.header_row, wc.header, value=wc.indicator)
        elif unit is None and not _unitless(lookup, code):
            problem = ue.error("missing_unit", table.header_row, wc.header)
        k = by_header.get(wc.header)
        if k is None:  # a column without values
            continue
        if problem is not None:
            err.items.append(problem)
            err.bad |= column_codes == k
        codes[k] = None if problem else code
        written[k] = _text(unit)
    return _Column(column_codes, codes), _Column(column_codes, written)


def _unit_factors(
    r: pd.DataFrame,
    unit: _Column,
    indicator: _Column,
    lookup: Lookup,
    err: _Errors,
    table: ur.Table,
) -> np.ndarray:
    """The factor to the indicator's canonical unit for each record, computed once per distinct pair of
    unit and indicator. A wide file's unit is in the header: a bad one is reported once, on the header row."""
    unit_id, unit_text = _ids(unit.answers)
    code_id, codes = _ids(indicator.answers)
    u, c = unit_id[unit.codes], code_id[indicator.codes]
    both = (u >= 0) & (c >= 0)
    pair = np.where(both, u * len(codes) + c, -1)
    found = pd.unique(pair[both])  # in the order of first occurrence
    factors = np.full(len(found), np.nan)
    for k, p in enumerate(found):
        written, code = unit_text[p // len(codes)], codes[p % len(codes)]
        info = lookup.indicators[code]
        try:
            units.parse(written)
            factors[k] = units.factor(written, info.unit)
            continue
        except units.UnitError:
            known = _parses(written)
        fields = {"unit": written} | (
            {"indicator_zh": info.name_zh, "indicator_en": info.name_en}
            | {"canonical_zh": units.label(info.unit, "zh"), "canonical_en": units.label(info.unit, "en")}
            if known
            else {}
        )
        mask = pair == p
        code_ = "incompatible_unit" if known else "unknown_unit"
        if table.layout == "wide":
            header = r["column"].iat[int(np.argmax(mask))]
            err.items.append(ue.error(code_, table.header_row, header, **fields))
            err.bad |= mask
        else:
            err.add(mask, code_, table.columns["unit"], **fields)
    factor = np.full(len(pair), np.nan)
    if len(unit_text) * len(codes) <= max(len(pair), 1 << 16):  # each pair's factor by position
        slot = np.zeros(len(unit_text) * len(codes), dtype=np.intp)
        slot[found] = np.arange(len(found))
        factor[both] = factors[slot[pair[both]]]
    else:
        factor[both] = factors[pd.Index(found).get_indexer(pair[both])]
    unitless = _unitless_answers(indicator, lookup)
    factor[(u < 0) & unitless] = 1.0
    return factor


def _unitless(lookup: Lookup, code: str) -> bool:
    """A coefficient with no unit at all (not a percentage) may be written without one."""
    return units.parse(lookup.indicators[code].unit) == units.parse("dimensionless")


def _unitless_answers(indicator: _Column, lookup: Lookup) -> np.ndarray:
    """Per record: is its indicator unitless? Decided once per distinct indicator."""
    known = np.array([isinstance(c, str) and _unitless(lookup, c) for c in indicator.answers], dtype=bool)
    return known[indicator.codes]


def _parses(unit: str) -> bool:
    try:
        units.parse(unit)
    except units.UnitError:
        return False
    return True


def validate(
    table: ur.Table, lookup: Lookup, actor: Actor, today: dt.date
) -> tuple[pd.DataFrame, list[ue.UploadError], int]:
    """(accepted values, every error, number of values rejected) for a table read by upload_read."""
    records, days = day_counts.read(table.records.reset_index(drop=True))
    cells = _Cells(records)
    r, err = cells.r, _Errors(cells.r)
    city = _cities(cells, table.columns, lookup, actor, err)
    if table.layout == "long":
        indicator, unit = _long_indicators(cells, table.columns, lookup, err)
    else:
        indicator, unit = _wide_indicators(table, lookup, err, cells)
    factor = _unit_factors(r, unit, indicator, lookup, err, table)
    period = _periods(cells, table.columns, today, err)
    written, empty = numbers(r["value"])
    err.add(empty, "missing_value", r["column"], column=r["column"])
    err.add(~empty & np.isnan(written), "not_a_number", r["column"], value=r["value"])
    value = written * factor
    _check_range(r, value, indicator, lookup, err)
    _check_duplicates(r, city, indicator, period, err)
    day_counts.check(r, days, indicator, period, value, lookup, err)
    basis = basis_column.bases(r, indicator, lookup, err)
    basis_column.check_running_totals(r, city, indicator, period, basis, value, err)

    keep = np.flatnonzero(~err.bad)
    accepted = pd.DataFrame(
        {
            "row": r["row"].to_numpy()[keep],
            "column": _Column.of(cells["column"], str).text(keep, r["column"]),
            "city": city.text(keep),
            "indicator": indicator.text(keep),
            "period": period.months(keep),
            "value": value[keep],
            "original_value": written[keep],
            "original_unit": unit.text(keep, r["unit"] if table.layout == "long" else None),
            "note": _Column.of(cells["note"], _text).text(keep, r["note"]),
            "basis": _bases_text(basis[keep]),
            "valid_days": days.valid[keep],
            "good_days": days.good[keep],
        }
    )
    err.items = day_counts.first_cause(err.items, table.layout == "wide")
    order = {h: i for i, h in enumerate(table.header)}
    errors = sorted(err.items, key=lambda e: (e.row or 0, order.get(e.column or "", len(order))))
    return accepted, errors, int(err.bad.sum())


def _bases_text(basis: np.ndarray) -> pd.Series | np.ndarray:
    """The bases ("monthly" or "cumulative") as the text column pandas would make of them, made without a
    string per record (none: the empty array, a column of objects)."""
    if not len(basis):
        return basis
    words = pa.array(["monthly", "cumulative"], type=pa.large_string())
    return words.take(pa.array((basis == "cumulative").astype(np.int8))).to_pandas()


def _cities(cells: _Cells, cols: dict[str, str], lookup: Lookup, actor: Actor, err: _Errors) -> _Column:
    empty = cells.empty("city")
    city = _Column.of(cells["city"], lambda c: None if is_empty(c) else lookup.city(c))
    err.add(empty, "missing_value", cols["city"], column=cols["city"])
    err.add(~empty & city.is_none(), "unknown_city", cols["city"], value=cells.r["city"])
    denied = city.where(lambda c: isinstance(c, str) and not actor.may_write(c))
    if denied.any():
        names = city.answer(lambda c: lookup.city_names.get(c, ("", "")))
        zh, en = names.answer(lambda n: n[0]).per_record(), names.answer(lambda n: n[1]).per_record()
        err.add(denied, "not_permitted", cols["city"], actor=actor.name, city_zh=zh, city_en=en)
    return city


def _long_indicators(
    cells: _Cells, cols: dict[str, str], lookup: Lookup, err: _Errors
) -> tuple[_Column, _Column]:
    empty = cells.empty("indicator")
    indicator = _Column.of(cells["indicator"], lambda c: None if is_empty(c) else lookup.indicator(c))
    err.add(empty, "missing_value", cols["indicator"], column=cols["indicator"])
    unknown = ~empty & indicator.is_none()
    err.add(unknown, "unknown_indicator", cols["indicator"], value=cells.r["indicator"])
    err.add(cells.empty("unit") & ~_unitless_answers(indicator, lookup), "missing_unit", cols["unit"])
    return indicator, _Column.of(cells["unit"], _text)


def _periods(cells: _Cells, cols: dict[str, str], today: dt.date, err: _Errors) -> _Column:
    empty = cells.empty("period")
    period = _Column.of(cells["period"], lambda c: None if is_empty(c) else ur.parse_period(c))
    err.add(empty, "missing_value", cols["period"], column=cols["period"])
    err.add(~empty & period.is_none(), "bad_period", cols["period"], value=cells.r["period"])
    this_month = dt.date(today.year, today.month, 1)
    future = period.where(lambda p: p is not None and p > this_month)
    if future.any():
        month = period.answer(lambda p: p.strftime("%Y-%m") if p else "").per_record()
        err.add(future, "future_period", cols["period"], period=month)
    return period


def _check_range(
    r: pd.DataFrame, value: np.ndarray, indicator: _Column, lookup: Lookup, err: _Errors
) -> None:
    info = each(indicator.answers, lambda c: lookup.indicators.get(c) if c else None)
    low = np.array([i.valid_min if i else np.nan for i in info], dtype=float)[indicator.codes]
    high = np.array([i.valid_max if i else np.nan for i in info], dtype=float)[indicator.codes]
    outside = (value < low) | (value > high)
    if not outside.any():
        return
    at = np.flatnonzero(outside)
    where = info[indicator.codes[at]]

    def fields(f: Callable[[IndicatorInfo], str]) -> np.ndarray:
        return _spread(len(value), at, [f(i) for i in where])

    err.add(
        outside,
        "out_of_range",
        r["column"],
        value=_spread(len(value), at, [_fmt(v) for v in value[at]]),
        canonical_zh=fields(lambda i: units.label(i.unit, "zh")),
        canonical_en=fields(lambda i: units.label(i.unit, "en")),
        indicator_zh=fields(lambda i: i.name_zh),
        indicator_en=fields(lambda i: i.name_en),
        low=_spread(len(value), at, [_fmt(v) for v in low[at]]),
        high=_spread(len(value), at, [_fmt(v) for v in high[at]]),
    )


def _spread(n: int, at: np.ndarray, values: list[object]) -> np.ndarray:
    """An array of n fields with `values` at the positions `at` (the records an error is reported for)."""
    out = np.empty(n, dtype=object)
    out[at] = values
    return out


def _check_duplicates(
    r: pd.DataFrame, city: _Column, indicator: _Column, period: _Column, err: _Errors
) -> None:
    """Every record of a city, indicator and period that occurs more than once is rejected."""
    key = np.zeros(len(r), dtype=np.int64)
    valid = np.ones(len(r), dtype=bool)
    for column in (city, indicator, period):
        ids, found = _ids(column.answers)
        at = ids[column.codes]
        key, valid = key * max(len(found), 1) + at, valid & (at >= 0)
    where = np.flatnonzero(valid)
    ordered = np.sort(key[where])
    if not (ordered[1:] == ordered[:-1]).any():  # the usual case, found without hashing
        return
    dup = where[pd.Series(key[where]).duplicated(keep=False).to_numpy()]
    rows = pd.Series(r["row"].to_numpy()[dup]).groupby(key[dup]).agg(lambda s: sorted(set(s)))
    listed = rows.reindex(key[dup]).to_numpy()
    mask = np.zeros(len(r), dtype=bool)
    mask[dup] = True
    zh = _spread(len(r), dup, ["、".join(map(str, s)) for s in listed])
    en = _spread(len(r), dup, [", ".join(map(str, s)) for s in listed])
    err.add(mask, "duplicate", r["column"], rows_zh=zh, rows_en=en)
