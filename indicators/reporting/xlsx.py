"""The scorecard as an XLSX workbook (openpyxl): one sheet per section, status cells coloured, the header
row frozen and filterable, deadlines and as-of months stored as dates, numbers rounded as on screen."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from typing import IO, Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from indicators.reporting.scorecard import Section
from indicators.reporting.style import COLUMNS, FORMULA_START, XLSX_WIDTHS, headers
from indicators.vocabulary import STATUS

AS_OF_HEADER = ("评价月份", "As of month")
DATE_COLUMNS = {"deadline": "yyyy-mm-dd"}


def write_xlsx(parts: list[Section], path: Path | str | IO[bytes], title: str, lang: str = "zh") -> None:
    """One sheet per section; status cells coloured; text from data can never become a formula."""
    wb = Workbook()
    wb.remove(wb.active)
    empty = Section(title, pd.DataFrame(columns=[*COLUMNS, "status_code", "as_of_month"]))
    for i, part in enumerate(parts or [empty]):
        ws = wb.create_sheet(_sheet_name(part.title, i))
        ws.append([f"{title} · {part.title}" if part.title != title else title])
        ws["A1"].font = Font(bold=True, size=14)
        ws.append([*headers(lang), AS_OF_HEADER[0 if lang == "zh" else 1]])
        for cell in ws[2]:
            cell.font = Font(bold=True)
        for row in part.table.itertuples(index=False):
            _row(ws, row)
        for j, width in enumerate((*XLSX_WIDTHS, 11), start=1):
            ws.column_dimensions[get_column_letter(j)].width = width
        last = get_column_letter(len(COLUMNS) + 1)
        ws.freeze_panes = "A3"  # the title and the header row stay while scrolling
        ws.auto_filter.ref = f"A2:{last}{max(ws.max_row, 2)}"
    wb.save(path)


def _row(ws: Worksheet, row: Any) -> None:
    values: list[object] = [getattr(row, c) for c in COLUMNS]
    month = getattr(row, "as_of_month", None)
    values.append(dt.datetime.strptime(month, "%Y-%m").date() if isinstance(month, str) else None)
    ws.append([None] * len(values))
    r = ws.max_row
    for j, value in enumerate(values, start=1):
        cell = ws.cell(row=r, column=j)
        column = COLUMNS[j - 1] if j <= len(COLUMNS) else "as_of_month"
        if isinstance(value, float) and math.isnan(value):
            value = None
        if column in DATE_COLUMNS and isinstance(value, str):
            value = dt.date.fromisoformat(value)
            cell.number_format = DATE_COLUMNS[column]
        if column == "as_of_month":
            cell.number_format = "yyyy-mm"
        cell.value = value
        if isinstance(value, str) and value.startswith(FORMULA_START):
            cell.data_type = "s"  # stored as text, never evaluated
    status_cell = ws.cell(row=r, column=COLUMNS.index("status") + 1)
    code = row.status_code
    status_cell.fill = PatternFill("solid", fgColor=STATUS[code].colour)
    status_cell.font = Font(color=STATUS[code].text_colour, bold=True)
    why = ws.cell(row=r, column=COLUMNS.index("why") + 1)
    why.alignment = Alignment(wrap_text=True)


def _sheet_name(title: str, i: int) -> str:
    clean = "".join("_" if ch in "[]:*?/\\" else ch for ch in title)[:28]
    return clean or f"S{i + 1}"
