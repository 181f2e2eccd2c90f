"""Read an uploaded file into one record per value: CSV (UTF-8, UTF-8 with BOM, GBK/GB18030) or XLSX.

Two layouts: long (one row per value: city, indicator, period, value, unit, optional note) and wide (one row
per city and period, one column per indicator with the unit in its header: "PM2.5(微克/立方米)"). Headers
may be Chinese or English. Nothing here knows the catalog: names, units and numbers are checked by ingest.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import warnings
import zipfile
import zlib
from dataclasses import dataclass, field

import numpy as np
import openpyxl
import pandas as pd
import pyarrow as pa

from indicators.ingest import errors as ue
from indicators.ingest.cells import empty_mask, is_empty
from indicators.ingest.encoding import looks_utf16
from indicators.ingest.grid import FULL_WIDTH, Grid, csv_grid, limits, rows_grid
from indicators.ingest.names import key

ROLES: dict[str, tuple[str, ...]] = {
    "city": ("城市", "city", "城市名称", "地区", "区县", "市县", "行政区", "cityname"),
    "indicator": ("指标", "indicator", "指标名称", "指标代码", "indicatorcode", "indicatorname"),
    "period": ("月份", "period", "month", "年月", "统计月份", "时间", "日期", "date"),
    "value": ("数值", "value", "值", "监测值"),
    "unit": ("单位", "unit", "units", "计量单位"),
    "note": ("备注", "note", "notes", "说明", "remark", "remarks"),
    "basis": ("口径", "basis", "统计口径", "数据口径"),  # 累计 cumulative or 当月 monthly (issue 12)
}
ROLE_LABELS = {r: f"{names[0]} {names[1]}" for r, names in ROLES.items()}  # "城市 city"
LONG_REQUIRED = ("city", "indicator", "period", "value", "unit")
WIDE_REQUIRED = ("city", "period")
RECORD_COLUMNS = ["row", "city", "indicator", "period", "value", "unit", "note", "column", "basis"]
# a wide header's indicator name may end in its basis: "燃煤锅炉淘汰数累计(台)", "…（累计）(台)",
# "boilers cumulative (台)"
_BASIS_SUFFIX = re.compile(
    r"^(?P<name>.*?)[\s_·\-]*[(（\[【]?(?P<basis>累计|当月|cumulative|monthly)[)）\]】]?$", re.I
)

_BY_NAME = {key(name): role for role, names in ROLES.items() for name in names}
_SPLIT = re.compile(r"[\s/()（）\[\]【】]+")
_UNIT_IN_HEADER = re.compile(r"^(?P<name>.*\S)\s*[(（\[【](?P<unit>[^()（）\[\]【】]*)[)）\]】]\s*$")
_PERIOD = re.compile(
    r"^([0-9]{4})\s*[-/.年]\s*([0-9]{1,2})\s*(?:月份?)?"
    r"(?:\s*[-/.]?\s*([0-9]{1,2})\s*日?)?(?:[\sT]+[0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?)?$"
)
_YYYYMM = re.compile(r"^([0-9]{4})([0-9]{2})$")


@dataclass(frozen=True)
class WideColumn:
    header: str
    indicator: str
    unit: str | None
    basis: str | None = None  # as written in the header's suffix (累计, 当月, cumulative, monthly)


def wide_column(header: str) -> WideColumn:
    """A wide header -> its indicator name, unit and basis suffix ("燃煤锅炉淘汰数累计(台)")."""
    name, unit = split_header(header)
    m = _BASIS_SUFFIX.match(name)
    if m and m["name"].strip():
        return WideColumn(header, m["name"].strip(), unit, m["basis"])
    return WideColumn(header, name, unit)


@dataclass(frozen=True)
class Table:
    """One record per value, with the spreadsheet row it came from and the header of its value cell."""

    layout: str  # "long" | "wide"
    records: pd.DataFrame  # RECORD_COLUMNS
    columns: dict[str, str]  # role -> header as written in the file
    header_row: int = 1
    header: tuple[str, ...] = ()
    encoding: str | None = None  # None for XLSX
    sheet: str | None = None
    wide_columns: list[WideColumn] = field(default_factory=list)


def role_of(header: str) -> str | None:
    """Which required or optional column a header names: "数值", "value", "城市/city" or "城市 (city)"."""
    if key(header) in _BY_NAME:
        return _BY_NAME[key(header)]
    roles = {_BY_NAME.get(key(t)) for t in _SPLIT.split(header) if t.strip()}
    return roles.pop() if len(roles) == 1 and None not in roles else None


def split_header(header: str) -> tuple[str, str | None]:
    """ "PM2.5(微克/立方米)" -> ("PM2.5", "微克/立方米"); without a unit in brackets: (header, None)."""
    m = _UNIT_IN_HEADER.match(header.strip())
    if not m or not m["unit"].strip():
        return header.strip(), None
    return m["name"], m["unit"].strip()


def parse_period(cell: object) -> dt.date | None:
    """The month a cell names (its first day): "2020-03", "2020/3", "2020年3月", 202003 or an Excel date."""
    if isinstance(cell, dt.datetime | dt.date):  # an Excel date: before 1900 it is a serial <= 0 or nonsense
        return dt.date(cell.year, cell.month, 1) if 1900 <= cell.year <= 2100 else None
    if isinstance(cell, bool) or not isinstance(cell, int | str):
        return None
    text = str(cell).translate(FULL_WIDTH).strip()  # full-width digits yes; "٢٠٢٠", "2020-0³" no
    m = _PERIOD.match(text) or _YYYYMM.match(text)
    if not m:
        return None
    year, month = int(m[1]), int(m[2])
    day = int(m[3]) if m.lastindex and m.lastindex >= 3 and m[3] else 1
    if not 1900 <= year <= 2100:
        return None
    try:
        dt.date(year, month, day)
    except ValueError:
        return None
    return dt.date(year, month, 1)


def sheet_names(data: bytes) -> list[str]:
    """The worksheets of an XLSX file (empty for anything else)."""
    if not data.startswith(b"PK\x03\x04"):
        return []
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    except _DAMAGED:
        return []
    try:
        return list(book.sheetnames)
    finally:
        book.close()


def read(data: bytes, sheet: str | None = None) -> Table:
    """The file's records; raises upload_errors.Unusable when the file as a whole cannot be used."""
    if data.startswith(b"PK\x03\x04"):
        grid, used_sheet, encoding = rows_grid(_xlsx_rows(data, sheet)), sheet, None
        used_sheet = used_sheet or next(iter(sheet_names(data)), None)
    elif data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ue.Unusable(ue.error("unsupported_format", kind="XLS, Excel 97-2003"))
    else:
        _refuse_nul(data)
        (grid, encoding), used_sheet = csv_grid(data), None
        if len(grid.numbers) > limits().upload_max_rows:
            raise ue.Unusable(ue.error("too_large", template="too_many_rows", limit=limits().upload_max_rows))
    return _table(grid, encoding, used_sheet)


# What openpyxl raises on a damaged workbook: a broken archive, XML that does not parse (ParseError is a
# SyntaxError), a part that is missing or of the wrong kind.
_DAMAGED = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    KeyError,
    IndexError,
    AttributeError,
    TypeError,
    ValueError,
    SyntaxError,
    OSError,
)


def _refuse_nul(data: bytes) -> None:
    """A NUL byte anywhere in a text file (not UTF-16, whose text is full of them) marks a binary file."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return
    at = data.find(b"\x00")
    if at >= 0:
        if looks_utf16(data):
            raise ue.Unusable(ue.error("encoding", template="encoding_utf16"))
        line = data.count(b"\n", 0, at) + 1
        raise ue.Unusable(ue.error("unsupported_format", template="binary_nul", line=line))


def _refuse_bomb(data: bytes) -> None:
    """An archive that unpacks to more than the rules allow is refused before anything is unpacked (the
    sizes are the archive's own; zipfile stops at the size an entry declares)."""
    limit = limits().upload_max_xlsx_mb
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            size = sum(i.file_size for i in archive.infolist())
    except _DAMAGED as exc:
        raise ue.Unusable(ue.error("unreadable")) from exc
    if size > limit * 1e6:
        raise ue.Unusable(
            ue.error("too_large", template="too_large_xlsx", mb=f"{size / 1e6:.0f}", limit=limit)
        )


def _xlsx_rows(data: bytes, sheet: str | None) -> list[list[object]]:
    _refuse_bomb(data)
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except _DAMAGED as exc:
        raise ue.Unusable(ue.error("unreadable")) from exc
    try:
        if sheet is not None and sheet not in book.sheetnames:
            names = "、".join(book.sheetnames)
            raise ue.Unusable(ue.error("sheet_not_found", sheet=sheet, sheets=names))
        ws = book[sheet if sheet is not None else book.sheetnames[0]]
        if not hasattr(ws, "reset_dimensions"):  # a chartsheet holds no cells
            raise ue.Unusable(ue.error("unreadable"))
        ws.reset_dimensions()  # read every row and cell there is, not only those the sheet's header claims
        with warnings.catch_warnings():  # openpyxl warns about impossible dates: they are bad_period
            warnings.simplefilter("ignore")
            return _bounded_rows(ws.iter_rows(min_row=1, values_only=True))
    except ue.Unusable:
        raise
    except _DAMAGED as exc:
        raise ue.Unusable(ue.error("unreadable")) from exc
    finally:
        book.close()


def _bounded_rows(rows: object) -> list[list[object]]:
    """The rows of a sheet, refused as soon as there are more rows or columns than the rules allow."""
    max_rows, max_columns = limits().upload_max_rows, limits().upload_max_columns
    out: list[list[object]] = []
    for row in rows:  # type: ignore[attr-defined]
        if len(out) >= max_rows:
            raise ue.Unusable(ue.error("too_large", template="too_many_rows", limit=max_rows))
        if len(row) > max_columns:
            raise ue.Unusable(ue.error("too_large", template="too_many_columns", limit=max_columns))
        out.append(list(row))
    return out


_MAX_LISTED = 20  # rows named by extra_cells


def _refuse_extra_cells(grid: Grid, header: list[str]) -> None:
    """A filled cell right of the header's last named column is refused (extra_cells), never dropped."""
    named = max((i + 1 for i, h in enumerate(header) if h and not is_empty(h)), default=0)
    beyond = np.zeros(len(grid.numbers), dtype=bool)
    for column in grid.columns[named:]:
        beyond |= ~empty_mask(column)
    rows = grid.numbers[np.flatnonzero(beyond)][:_MAX_LISTED]
    if len(rows):
        raise ue.Unusable(*(ue.error("extra_cells", int(n), number=int(n), width=named) for n in rows))


def _table(grid: Grid, encoding: str | None, sheet: str | None) -> Table:
    if len(grid.numbers) < 2:
        raise ue.Unusable(ue.error("empty_file"))
    header_row = int(grid.numbers[0])
    header = ["" if c is None else str(c).strip() for c in (col.iat[0] for col in grid.columns)]
    _refuse_extra_cells(grid, header)
    columns: dict[str, int] = {}
    twice = []
    for i, h in enumerate(header):
        role = role_of(h) if h else None
        if role is not None and role in columns:
            first = header[columns[role]]
            twice.append(
                ue.error("duplicate_column", header_row, h, column=h, first=first, role=ROLE_LABELS[role])
            )
        elif role is not None:
            columns[role] = i
    if twice:
        raise ue.Unusable(*twice)
    layout = "long" if "value" in columns or "indicator" in columns else "wide"
    wide = [i for i, h in enumerate(header) if h and role_of(h) is None] if layout == "wide" else []
    required = LONG_REQUIRED if layout == "long" else WIDE_REQUIRED
    missing = [r for r in required if r not in columns]
    if layout == "wide" and not wide:
        missing.append("indicator")
    if missing:
        raise ue.Unusable(
            *(ue.error("missing_column", header_row, ROLE_LABELS[m], column=ROLE_LABELS[m]) for m in missing)
        )
    names = {role: header[i] for role, i in columns.items()}
    data = [col.iloc[1:].reset_index(drop=True) for col in grid.columns]
    rows = grid.numbers[1:]

    def cells(role: str, at: np.ndarray | None = None) -> pd.Series:
        i = columns.get(role)
        n = len(rows) if at is None else len(at)
        if i is None:
            return pa.nulls(n, pa.string()).to_pandas()
        return data[i] if at is None else data[i].iloc[at].reset_index(drop=True)

    if layout == "long":
        records = {
            role: cells(role) for role in ("city", "indicator", "period", "value", "unit", "note", "basis")
        }
        frame = _frame(rows, records, [names["value"]], np.zeros(len(rows), dtype=np.intp))
        return Table("long", frame, names, header_row, tuple(header), encoding, sheet)
    wide_columns = [wide_column(header[i]) for i in wide]
    # one record per filled cell, row by row and within a row in the order of the columns
    filled = [np.flatnonzero(~empty_mask(data[i])) for i in wide]
    at = np.concatenate(filled)
    which = np.concatenate([np.full(len(f), j) for j, f in enumerate(filled)])
    order = np.lexsort((which, at))
    at, which = at[order], which[order]
    if not len(at):
        raise ue.Unusable(ue.error("empty_file"))
    value = np.empty(len(at), dtype=object)
    for j, i in enumerate(wide):
        mine = which == j
        value[mine] = data[i].to_numpy(dtype=object)[at[mine]]
    indicators = np.array([wc.indicator for wc in wide_columns], dtype=object)
    written = np.array([wc.unit for wc in wide_columns], dtype=object)
    records = {
        "city": cells("city", at),
        "indicator": pd.Series(indicators[which], dtype=object),
        "period": cells("period", at),
        "value": pd.Series(value, dtype=object),
        "unit": pd.Series(written[which], dtype=object),
        "note": cells("note", at),
        "basis": pd.Series(np.array([wc.basis for wc in wide_columns], dtype=object)[which], dtype=object),
    }
    frame = _frame(rows[at], records, [wc.header for wc in wide_columns], which)
    return Table("wide", frame, names, header_row, tuple(header), encoding, sheet, wide_columns)


def _frame(
    rows: np.ndarray, records: dict[str, pd.Series], headers: list[str], which: np.ndarray
) -> pd.DataFrame:
    """Cells keep what they were read as (text, number, date): pandas must not guess column types here.
    `column` is the header of each record's value cell: headers[which]."""
    frame = pd.DataFrame({"row": np.asarray(rows, dtype=np.int64), **records})
    frame["column"] = pa.array(headers, type=pa.string()).take(pa.array(which)).to_pandas()
    return frame[RECORD_COLUMNS]
