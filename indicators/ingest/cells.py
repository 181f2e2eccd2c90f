"""The cells of an uploaded file: which are empty, and each column as its distinct cells.

A file of a million values repeats a few thousand cities, a few dozen indicators and units and a dozen
months, so every check is made once per distinct cell and its answer spread to the rows by position.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from indicators.ingest.names import key

EMPTY = frozenset({"", "-", "--", "—", "——", "/", "无", "na", "n/a", "null", "none", "nan"})

_IN_BULK = 512  # from this many distinct cells on, strings are checked by Arrow
_PLAIN = r"^[!-~]*$"  # printable ASCII without spaces: `key` changes nothing in it but the case
_EMPTY_ARROW = pa.array(sorted(EMPTY))


def is_empty(cell: object) -> bool:
    if cell is None:
        return True
    if isinstance(cell, float) and cell != cell:  # NaN
        return True
    return isinstance(cell, str) and key(cell) in EMPTY


def distinct(cells: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """(each cell's position among the distinct cells, the distinct cells). Text read by Arrow is encoded
    by Arrow; cells read one by one are compared as a dict would (1, 1.0 and True are one; NaN and None
    are kept as cells)."""
    if is_text(cells):
        encoded = pc.dictionary_encode(arrow(cells), null_encoding="encode")
        codes = encoded.indices.to_numpy(zero_copy_only=False).astype(np.intp)
        return codes, pd.Index(encoded.dictionary.to_pandas())
    codes, found = pd.factorize(cells.to_numpy(dtype=object), use_na_sentinel=False)
    return codes.astype(np.intp), pd.Index(found, dtype=object)


def arrow(cells: pd.Series | pd.Index) -> pa.Array:
    """The Arrow array behind text cells (one array, not chunks)."""
    array = pa.array(cells)
    return array.combine_chunks() if isinstance(array, pa.ChunkedArray) else array


def is_text(cells: pd.Series | pd.Index) -> bool:
    """Are the cells strings held by Arrow (a CSV read by Arrow) rather than Python objects?"""
    dtype = cells.dtype
    return isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow"


def each(cells: Sequence[object] | pd.Index | np.ndarray, f: Callable[[Any], object]) -> np.ndarray:
    """f of each distinct cell, as an object array (to be indexed by the positions of `distinct`)."""
    if isinstance(cells, pd.Index) and is_text(cells):  # the same cells (str, NaN), not boxed one by one
        cells = cells.to_numpy(dtype=object)
    out = np.empty(len(cells), dtype=object)
    for i, cell in enumerate(cells):
        out[i] = f(cell)
    return out


def empty_cells(cells: pd.Index) -> np.ndarray:
    """is_empty of each cell. Strings of printable ASCII without spaces ("35.2", "PM10", "-", "NA") are
    compared with EMPTY by Arrow all at once; any other cell is checked by itself."""
    if len(cells) < _IN_BULK or not is_text(cells):
        return np.fromiter((is_empty(c) for c in cells), dtype=bool, count=len(cells))
    text = arrow(cells)
    plain = pc.match_substring_regex(text, _PLAIN).to_numpy(zero_copy_only=False)
    empty = np.array(pc.is_in(pc.utf8_lower(text), value_set=_EMPTY_ARROW).to_numpy(zero_copy_only=False))
    rest = np.flatnonzero(~plain)
    for i, cell in zip(rest, cells[rest].to_numpy(dtype=object), strict=True):
        empty[i] = is_empty(cell)
    return empty


def empty_mask(cells: pd.Series) -> np.ndarray:
    """is_empty per cell of a column, decided once per distinct cell."""
    codes, uniques = distinct(cells)
    return empty_cells(uniques)[codes]
