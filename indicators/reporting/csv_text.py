"""CSV as every export writes it (the command line's `--format csv`, the pages' CSV downloads, the upload
template): text that a spreadsheet would run as a formula is neutralised exactly as the XLSX export keeps it
text — here by a leading apostrophe, which Excel, LibreOffice and Sheets show as text and do not evaluate."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

import pandas as pd

from indicators.reporting.style import FORMULA_START


def neutral(value: object) -> object:
    """A text cell that starts like a formula (= + - @ tab CR) with an apostrophe before it; others as
    they are."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def frame_csv(frame: pd.DataFrame, lineterminator: str = "\r\n") -> str:
    """The frame as CSV text (no index), its headers and text cells neutralised. Lines end in CRLF (RFC
    4180), so that a cell holding a carriage return is quoted (the csv module quotes only the characters of
    the line ending)."""
    safe = frame.map(neutral).rename(columns=neutral)
    return safe.to_csv(index=False, lineterminator=lineterminator)


def rows_csv(rows: Iterable[Sequence[object]], lineterminator: str = "\r\n") -> str:
    """Rows (the header first) as CSV text, every text cell neutralised."""
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator=lineterminator).writerows([neutral(c) for c in r] for r in rows)
    return out.getvalue()
