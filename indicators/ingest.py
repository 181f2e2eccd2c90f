"""Validate an upload: every problem in one pass, as typed errors per row and column, and the accepted values.

Units are converted whole-column: one factor per distinct (written unit, indicator) pair, applied to all the
values written in that unit at once; the value as written and its unit are kept beside the converted one.
Nothing here writes: store.py compares and commits, uploads.py opens the store.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from indicators import units
from indicators import upload_errors as ue
from indicators import upload_read as ur
from indicators.actor import Actor
from indicators.names import Lookup

ACCEPTED_COLUMNS = ["row", "column", "city", "indicator", "period", "value", "original_value"]
ACCEPTED_COLUMNS += ["original_unit", "note"]
_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")


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
    """Collects errors and marks the records they reject. A field given as a Series is read per record."""

    def __init__(self, records: pd.DataFrame):
        self.rows = records["row"].to_numpy()
        self.items: list[ue.UploadError] = []
        self.bad = np.zeros(len(records), dtype=bool)

    def add(self, mask: np.ndarray, code: str, where: str | pd.Series, **fields: object) -> None:
        """One error per record in `mask`, in the column `where` (a header, or one per record)."""
        for i in np.flatnonzero(mask):
            self.bad[i] = True
            values = {k: (v.iat[i] if isinstance(v, pd.Series) else v) for k, v in fields.items()}
            col = where.iat[i] if isinstance(where, pd.Series) else where
            self.items.append(ue.error(code, int(self.rows[i]), col, **values))


def _number(cell: object) -> float | None:
    if isinstance(cell, bool) or ur.is_empty(cell):
        return None
    if isinstance(cell, int | float):
        return float(cell) if math.isfinite(cell) else None
    text = unicodedata.normalize("NFKC", str(cell)).strip().replace(",", "").replace(" ", "")
    return float(text) if _NUMBER.match(text) else None


def _distinct(cells: pd.Series, f: Callable[[object], object]) -> pd.Series:
    """f of each cell, computed once per distinct cell: a file repeats a few cities, indicators, months."""
    done: dict[object, object] = {}
    out = [done[c] if c in done else done.setdefault(c, f(c)) for c in cells]
    return pd.Series(out, index=cells.index, dtype=object)


def _fmt(x: float) -> str:
    return format(x, ".10g")


def _text(cell: object) -> str | None:
    return None if ur.is_empty(cell) else str(cell).strip()


def _wide_indicators(table: ur.Table, lookup: Lookup, err: _Errors, r: pd.DataFrame) -> pd.Series:
    """Each wide column's indicator, checked once per header that holds values: an unknown name or a
    missing unit rejects the whole column with one error on the header row. Sets r["unit"] per column."""
    codes: dict[str, str | None] = {}
    written: dict[str, str | None] = {}
    for wc in table.wide_columns:
        in_column = (r["column"] == wc.header).to_numpy()
        named = lookup.indicator(wc.indicator) if wc.unit else None
        whole = lookup.indicator(wc.header)  # a name or alias that itself ends in brackets
        if named is not None and (_parses(wc.unit or "") or whole is None):
            code, unit = named, wc.unit  # "PM2.5(微克/立方米)"; a bad unit is reported with the units
        else:
            code, unit = whole, None  # "人均公园绿地面积(平方米)" is an alias; the unit is then missing
        problem = None
        if code is None:
            problem = ue.error("unknown_indicator", table.header_row, wc.header, value=wc.indicator)
        elif unit is None and not _unitless(lookup, code):
            problem = ue.error("missing_unit", table.header_row, wc.header)
        if problem is not None and in_column.any():
            err.items.append(problem)
            err.bad |= in_column
        codes[wc.header] = None if problem else code
        written[wc.header] = unit
    r["unit"] = r["column"].map(written)
    return r["column"].map(codes)


def _unit_factors(
    r: pd.DataFrame, indicator: pd.Series, lookup: Lookup, err: _Errors, table: ur.Table
) -> pd.Series:
    """The factor to the indicator's canonical unit for each record, computed once per distinct pair.
    A wide file's unit is in the header: a bad one is reported once, on the header row."""
    unit = _distinct(r["unit"], _text)
    pairs = pd.DataFrame({"unit": unit, "indicator": indicator}).dropna().drop_duplicates()
    factors: dict[tuple[str, str], float] = {}
    for u, code in pairs.itertuples(index=False):
        info = lookup.indicators[code]
        try:
            units.parse(u)
            factors[(u, code)] = units.factor(u, info.unit)
            continue
        except units.UnitError:
            known = _parses(u)
        fields = {"unit": u} | (
            {"indicator_zh": info.name_zh, "indicator_en": info.name_en}
            | {"canonical_zh": units.label(info.unit, "zh"), "canonical_en": units.label(info.unit, "en")}
            if known
            else {}
        )
        mask = ((unit == u) & (indicator == code)).to_numpy()
        code_ = "incompatible_unit" if known else "unknown_unit"
        if table.layout == "wide":
            header = r["column"][mask].iat[0]
            err.items.append(ue.error(code_, table.header_row, header, **fields))
            err.bad |= mask
        else:
            err.add(mask, code_, table.columns["unit"], **fields)
    keys = list(zip(unit, indicator, strict=True))
    factor = pd.Series([factors.get(k, np.nan) for k in keys], index=r.index, dtype=float)
    return factor.mask(unit.isna() & _unitless_mask(indicator, lookup), 1.0)


def _unitless(lookup: Lookup, code: str) -> bool:
    """A coefficient with no unit at all (not a percentage) may be written without one."""
    return units.parse(lookup.indicators[code].unit) == units.parse("dimensionless")


def _unitless_mask(indicator: pd.Series, lookup: Lookup) -> pd.Series:
    """Per record: is its indicator unitless? Decided once per distinct indicator."""
    known = {c: _unitless(lookup, c) for c in indicator.dropna().unique() if isinstance(c, str)}
    return indicator.map(lambda c: known.get(c, False)).astype(bool)


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
    r = table.records.reset_index(drop=True)
    cols, err = table.columns, _Errors(r)
    empty = {
        c: _distinct(r[c], ur.is_empty).to_numpy(dtype=bool) for c in ("city", "indicator", "period", "value")
    }

    city = _distinct(r["city"], lambda c: None if ur.is_empty(c) else lookup.city(c))
    err.add(empty["city"], "missing_value", cols["city"], column=cols["city"])
    err.add(~empty["city"] & city.isna().to_numpy(), "unknown_city", cols["city"], value=r["city"])
    denied = city.map(lambda c: isinstance(c, str) and not actor.may_write(c)).to_numpy(dtype=bool)
    names = city.map(lambda c: lookup.city_names.get(c, ("", "")))
    zh, en = names.map(lambda n: n[0]), names.map(lambda n: n[1])
    err.add(denied, "not_permitted", cols["city"], actor=actor.name, city_zh=zh, city_en=en)

    if table.layout == "long":
        indicator = _distinct(r["indicator"], lambda c: None if ur.is_empty(c) else lookup.indicator(c))
        err.add(empty["indicator"], "missing_value", cols["indicator"], column=cols["indicator"])
        unknown = ~empty["indicator"] & indicator.isna().to_numpy()
        err.add(unknown, "unknown_indicator", cols["indicator"], value=r["indicator"])
        no_unit = _distinct(r["unit"], ur.is_empty) & ~_unitless_mask(indicator, lookup)
        err.add(no_unit.to_numpy(dtype=bool), "missing_unit", cols["unit"])
    else:
        indicator = _wide_indicators(table, lookup, err, r)
    factor = _unit_factors(r, indicator, lookup, err, table)

    period = _distinct(r["period"], lambda c: None if ur.is_empty(c) else ur.parse_period(c))
    err.add(empty["period"], "missing_value", cols["period"], column=cols["period"])
    err.add(~empty["period"] & period.isna().to_numpy(), "bad_period", cols["period"], value=r["period"])
    this_month = dt.date(today.year, today.month, 1)
    future = period.map(lambda p: p is not None and p > this_month).to_numpy(dtype=bool)
    month = period.map(lambda p: p.strftime("%Y-%m") if p else "")
    err.add(future, "future_period", cols["period"], period=month)

    written = r["value"].map(_number)
    err.add(empty["value"], "missing_value", r["column"], column=r["column"])
    err.add(~empty["value"] & written.isna().to_numpy(), "not_a_number", r["column"], value=r["value"])
    value = written.astype(float) * factor
    _check_range(r, value, indicator, lookup, err)
    _check_duplicates(r, city, indicator, period, err)

    ok = ~err.bad
    accepted = pd.DataFrame(
        {
            "row": r["row"],
            "column": r["column"],
            "city": city,
            "indicator": indicator,
            "period": period,
            "value": value,
            "original_value": written.astype(float),
            "original_unit": _distinct(r["unit"], _text),
            "note": r["note"].map(_text),
        }
    )[ok].reset_index(drop=True)
    order = {h: i for i, h in enumerate(table.header)}
    errors = sorted(err.items, key=lambda e: (e.row or 0, order.get(e.column or "", len(order))))
    return accepted, errors, int(err.bad.sum())


def _check_range(
    r: pd.DataFrame, value: pd.Series, indicator: pd.Series, lookup: Lookup, err: _Errors
) -> None:
    info = indicator.map(lambda c: lookup.indicators.get(c) if c else None)
    low = info.map(lambda i: i.valid_min if i else np.nan).astype(float)
    high = info.map(lambda i: i.valid_max if i else np.nan).astype(float)
    outside = ((value < low) | (value > high)).to_numpy(dtype=bool)
    if not outside.any():
        return
    err.add(
        outside,
        "out_of_range",
        r["column"],
        value=value.map(_fmt),
        canonical_zh=info.map(lambda i: units.label(i.unit, "zh") if i else ""),
        canonical_en=info.map(lambda i: units.label(i.unit, "en") if i else ""),
        indicator_zh=info.map(lambda i: i.name_zh if i else ""),
        indicator_en=info.map(lambda i: i.name_en if i else ""),
        low=low.map(_fmt),
        high=high.map(_fmt),
    )


def _check_duplicates(
    r: pd.DataFrame, city: pd.Series, indicator: pd.Series, period: pd.Series, err: _Errors
) -> None:
    """Every record of a city, indicator and period that occurs more than once is rejected."""
    keys = pd.DataFrame({"c": city, "i": indicator, "p": period, "row": r["row"]}).dropna()
    dup = keys[keys.duplicated(["c", "i", "p"], keep=False)]
    if dup.empty:
        return
    rows = dup.groupby(["c", "i", "p"])["row"].agg(list).rename("rows")
    listed = dup.join(rows, on=["c", "i", "p"])["rows"].reindex(r.index)
    zh, en = (
        listed.map(lambda s: "、".join(map(str, sorted(set(s)))) if isinstance(s, list) else ""),
        listed.map(lambda s: ", ".join(map(str, sorted(set(s)))) if isinstance(s, list) else ""),
    )
    err.add(r.index.isin(dup.index), "duplicate", r["column"], rows_zh=zh, rows_en=en)
