"""The scorecard as an XLSX workbook (openpyxl): one sheet per section, status cells coloured."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from indicators.reporting.scorecard import Section
from indicators.reporting.style import COLUMNS, FORMULA_START, XLSX_WIDTHS, headers
from indicators.vocabulary import STATUS


def write_xlsx(parts: list[Section], path: Path | str, title: str, lang: str = "zh") -> None:
    """One sheet per section; status cells coloured; text from data can never become a formula."""
    wb = Workbook()
    wb.remove(wb.active)
    for i, part in enumerate(parts or [Section(title, pd.DataFrame(columns=[*COLUMNS, "status_code"]))]):
        ws = wb.create_sheet(_sheet_name(part.title, i))
        ws.append([f"{title} · {part.title}"])
        ws["A1"].font = Font(bold=True, size=14)
        ws.append(headers(lang))
        for cell in ws[2]:
            cell.font = Font(bold=True)
        for row in part.table.itertuples(index=False):
            values = [getattr(row, c) for c in COLUMNS]
            ws.append([None] * len(values))
            r = ws.max_row
            for j, value in enumerate(values, start=1):
                cell = ws.cell(row=r, column=j)
                if isinstance(value, float) and math.isnan(value):
                    value = None
                cell.value = value
                if isinstance(value, str) and value.startswith(FORMULA_START):
                    cell.data_type = "s"  # stored as text, never evaluated
            status_cell = ws.cell(row=r, column=COLUMNS.index("status") + 1)
            code = row.status_code
            status_cell.fill = PatternFill("solid", fgColor=STATUS[code].colour)
            status_cell.font = Font(color=STATUS[code].text_colour, bold=True)
            ws.cell(row=r, column=COLUMNS.index("why") + 1).alignment = Alignment(wrap_text=True)
        for letter, width in zip("ABCDEFGHIJK", XLSX_WIDTHS, strict=True):
            ws.column_dimensions[letter].width = width
    wb.save(path)


def _sheet_name(title: str, i: int) -> str:
    clean = "".join("_" if ch in "[]:*?/\\" else ch for ch in title)[:28]
    return clean or f"S{i + 1}"
