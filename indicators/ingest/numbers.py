"""Numbers in uploaded cells: plain ASCII (or full-width) decimals, thousands groups of three, nothing else.
Text read by Arrow is parsed all at once where it is a plain number, the rest once per distinct cell."""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from indicators.ingest.cells import arrow, distinct, empty_cells, is_empty, is_text
from indicators.ingest.grid import FULL_WIDTH

# ASCII digits only: "٣٥" (Arabic-Indic) and "3⁵" (a superscript) are not numbers a bureau writes, and
# neither are "1,5" or "3 5"; full-width digits (Chinese input methods) are read as ASCII.
_NUMBER = re.compile(r"^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$")
_GROUPED = re.compile(r"^[+-]?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?$")
# _NUMBER on text that the full-width mapping and the removal of grouping commas leave as it is: Arrow parses
# it as float() does (both round correctly; "1e999" is inf in both)
_ASCII_NUMBER = r"^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$"


def number(cell: object) -> float | None:
    if isinstance(cell, bool) or is_empty(cell):
        return None
    if isinstance(cell, int | float):
        return float(cell) if math.isfinite(cell) else None
    text = str(cell).translate(FULL_WIDTH).strip()
    if _GROUPED.match(text):  # 1,234,567.8: commas only as thousands separators, in groups of three
        text = text.replace(",", "")
    return float(text) if _NUMBER.match(text) else None


def numbers(cells: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(the number in each cell, NaN where there is none; is the cell empty). Text read by Arrow: plain
    ASCII numbers are parsed by Arrow all at once, any other text once per distinct cell. Cells read one by
    one (XLSX: numbers, booleans, text) each by itself, since a dict would take True for 1."""
    if not is_text(cells):
        written = np.array([number(c) for c in cells.to_numpy(dtype=object)], dtype=float)
        codes, uniques = distinct(cells)
        return written, empty_cells(uniques)[codes]
    text = arrow(cells)
    plain = pc.match_substring_regex(text, _ASCII_NUMBER).to_numpy(zero_copy_only=False)
    out = np.full(len(cells), np.nan)
    out[plain] = pc.cast(text.filter(pa.array(plain)), pa.float64()).to_numpy(zero_copy_only=False)
    empty = np.zeros(len(cells), dtype=bool)
    rest = np.flatnonzero(~plain)
    if len(rest):
        codes, uniques = distinct(cells.iloc[rest])
        parsed = np.array([number(c) for c in uniques], dtype=float)  # None is NaN
        out[rest], empty[rest] = parsed[codes], empty_cells(uniques)[codes]
    return out, empty
