"""The rows of a file as a grid of columns: a CSV read by Arrow column by column, or rows read one by one.

Arrow reads a CSV in a fraction of the time Python's csv module needs and gives each column as codes into
its distinct cells. It is used only where it reads a file exactly as the csv module does (a test compares
the two on generated files); any other file is read row by row, as XLSX files are.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from indicators.catalog import rules as rules_file
from indicators.ingest import errors as ue
from indicators.ingest.cells import distinct, empty_cells, is_empty
from indicators.ingest.encoding import decode

_HEAD_BYTES = 1 << 16  # the header row is read from this much of the file
_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
_FIELD_LIMIT = csv.field_size_limit()  # the csv module refuses a longer cell


@dataclass(frozen=True)
class Grid:
    """The rows that are not blank, as columns by position (cells as written; the header row first)."""

    numbers: np.ndarray  # the row number a spreadsheet shows for each row
    columns: list[pd.Series]  # text held by Arrow, or Python objects; each as long as `numbers`


# full-width ASCII (Chinese input methods) read as ASCII; no other digits are
FULL_WIDTH = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


def rows_grid(rows: list[list[object]]) -> Grid:
    """The grid of rows read one by one, as wide as its widest row that is not blank (a cell beyond the
    header is kept, for read.py to refuse: extra_cells)."""
    numbered = [(n, r) for n, r in enumerate(rows, start=1) if not all(is_empty(c) for c in r)]
    width = max((len(r) for _, r in numbered), default=0)
    if width > limits().upload_max_columns:
        raise ue.Unusable(
            ue.error("too_large", template="too_many_columns", limit=limits().upload_max_columns)
        )
    columns = [
        pd.Series([r[i] if i < len(r) else None for _, r in numbered], dtype=object) for i in range(width)
    ]
    return Grid(np.array([n for n, _ in numbered], dtype=np.int64), columns)


@lru_cache(maxsize=1)
def limits() -> rules_file.Rules:
    """The upload limits of data/rules.yaml (`uploads:`)."""
    return rules_file.load()


def _refuse_wide(data: bytes) -> None:
    """A header line with more cells than the rules allow is refused before anything is parsed."""
    end = data.find(b"\n")
    first = data if end < 0 else data[:end]
    limit = limits().upload_max_columns
    if max(first.count(b","), first.count(b"\t")) + 1 > limit:
        raise ue.Unusable(ue.error("too_large", template="too_many_columns", limit=limit))


def csv_grid(data: bytes) -> tuple[Grid, str]:
    """(the grid of a CSV file, its encoding as text_encoding.decode names it). Tab- or comma-separated,
    as the first line says. A file without a byte-order mark is first given to Arrow as UTF-8: Arrow checks
    that every cell is UTF-8, so a file it reads is one that would decode as UTF-8, and is not decoded by
    Python at all."""
    _refuse_wide(data)
    head = None if data.startswith(_BOMS) else _utf8_head(data)
    if head is not None:
        grid = _arrow_grid(head, data, _delimiter(head))  # head holds the whole first line
        if grid is not None:
            return grid, "utf-8"
    text, encoding = decode(data)
    if head is None or encoding != "utf-8":  # bytes Arrow has not been given yet
        utf8 = data if encoding == "utf-8" else data[3:] if encoding == "utf-8-sig" else text.encode("utf-8")
        grid = _arrow_grid(text[:_HEAD_BYTES], utf8, _delimiter(text))
        if grid is not None:
            return grid, encoding
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise ue.Unusable(ue.error("unsupported_format", template="binary_nul", line=line))
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        read = list(rows)
    except csv.Error as exc:  # the only error left once NULs are refused: a cell above the size limit
        raise ue.Unusable(ue.error("cell_too_long", line=rows.line_num, limit=_FIELD_LIMIT)) from exc
    return rows_grid(read), encoding  # type: ignore[arg-type]


def _utf8_head(data: bytes) -> str | None:
    """The lines at the start of the file, decoded, or None when they are not UTF-8 or the first line is
    longer than the part looked at."""
    head = data[:_HEAD_BYTES]
    if len(data) > len(head):
        end = head.rfind(b"\n")
        if end < 0:
            return None
        head = head[: end + 1]
    try:
        return head.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _delimiter(text: str) -> str:
    end = text.find("\n")
    first = text if end < 0 else text[:end]
    return "\t" if first.count("\t") > first.count(",") else ","


def _arrow_grid(head: str, utf8: bytes, delimiter: str) -> Grid | None:
    """The grid of the file (`utf8` its bytes as UTF-8, `head` its first lines decoded) read by Arrow, or
    None for a file Arrow would read differently from the csv module: one with a NUL, a row of another width
    than the first, or a cell above the csv module's size limit. (A blank line is a row of empty cells for
    both.) None too for a file that is not UTF-8."""
    if not utf8 or b"\x00" in utf8:
        return None
    header = next(csv.reader(io.StringIO(head, newline=""), delimiter=delimiter), [])
    names = [f"c{i}" for i in range(len(header))]
    if not names:
        return None
    try:
        table = pacsv.read_csv(
            pa.BufferReader(utf8),
            read_options=pacsv.ReadOptions(column_names=names),
            parse_options=pacsv.ParseOptions(
                delimiter=delimiter, newlines_in_values=b'"' in utf8, ignore_empty_lines=False
            ),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.large_string()), strings_can_be_null=False
            ),
        )
    except pa.ArrowInvalid:  # rows of different widths, or not UTF-8
        return None
    if any((pc.max(pc.binary_length(c)).as_py() or 0) > _FIELD_LIMIT for c in table.columns):
        return None
    columns = [c.combine_chunks().to_pandas() for c in table.columns]
    blank = _blank_rows(columns)
    if not blank.any():
        return Grid(np.arange(1, len(blank) + 1), columns)
    kept = np.flatnonzero(~blank)
    return Grid(kept + 1, [c.iloc[kept].reset_index(drop=True) for c in columns])


def _blank_rows(columns: list[pd.Series]) -> np.ndarray:
    """Rows whose every cell is empty, looking in each next column only at the rows still blank."""
    blank = np.ones(len(columns[0]), dtype=bool)
    for column in columns:
        rows = np.flatnonzero(blank)
        if not len(rows):
            break
        codes, uniques = distinct(column if len(rows) == len(blank) else column.iloc[rows])
        blank[rows] = empty_cells(uniques)[codes]
    return blank
