"""The PDF layout of a scorecard (fpdf2): fonts, title, footer with page numbers, wrapped table rows."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
from fpdf import FPDF
from fpdf.fonts import FontFace

from indicators.reporting.scorecard import Section
from indicators.reporting.style import (
    COLUMNS,
    FONT_BOLD,
    FONT_REGULAR,
    FONT_SYMBOLS,
    PDF_COLLECTION_INDEX,
    PDF_WIDTHS,
    cell_text,
    headers,
    rgb,
)
from indicators.vocabulary import STATUS


class LandscapePDF(FPDF):
    """A4 landscape with the CJK font embedded (DejaVu for the status symbols it lacks) and page numbers:
    the paper of every export leaders read (the scorecard, the briefing book)."""

    def __init__(self) -> None:
        super().__init__(orientation="L", unit="mm", format="A4")
        self.add_font("cjk", "", FONT_REGULAR, collection_font_number=PDF_COLLECTION_INDEX)
        self.add_font("cjk", "B", FONT_BOLD, collection_font_number=PDF_COLLECTION_INDEX)
        self.add_font("symbols", "", FONT_SYMBOLS)
        self.add_font("symbols", "B", FONT_SYMBOLS.replace(".ttf", "-Bold.ttf"))
        self.set_fallback_fonts(["symbols"])
        self.set_margins(10, 12, 10)
        self.set_auto_page_break(True, margin=14)

    def footer(self) -> None:
        self.set_y(-10)
        self.set_font("cjk", "", 8)
        self.cell(0, 5, f"第 {self.page_no()} 页 / page {self.page_no()} of {{nb}}", align="C")


class ScorecardPDF(LandscapePDF):
    def __init__(self, title: str, as_of: dt.date | None, lang: str):
        super().__init__()
        self.doc_title, self.as_of, self.lang = title, as_of, lang
        self.set_title(title)
        self.current_section = ""
        self.current_months = ""  # the months the section's rows are evaluated as of, e.g. 2020-09

    def header(self) -> None:
        self.set_font("cjk", "B", 13)
        if self.as_of:
            as_of, as_of_en = f"截至 {self.as_of:%Y-%m-%d}", f"as of {self.as_of:%Y-%m-%d}"
        else:  # each city's latest month: say which month that is, never only "latest"
            as_of = f"评价月份 {self.current_months}（各市最新上报月份）"
            as_of_en = f"evaluated as of {self.current_months} (each city's latest month)"
        heading = self.doc_title if self.current_section in ("", self.doc_title) else None
        self.cell(
            0, 7, heading or f"{self.doc_title} · {self.current_section}", new_x="LMARGIN", new_y="NEXT"
        )
        self.set_font("cjk", "", 9)
        self.cell(0, 5, f"{as_of} / {as_of_en}", new_x="LMARGIN", new_y="NEXT")
        self.ln(1)

    def section(
        self,
        title: str,
        headers: list[str],
        table: pd.DataFrame,
        columns: list[str],
    ) -> None:
        self.current_section = title
        if "as_of_month" in table and table["as_of_month"].notna().any():
            self.current_months = "、".join(sorted(set(table["as_of_month"].dropna())))
        self.add_page()
        self.set_font("cjk", "", 8)
        with self.table(
            col_widths=PDF_WIDTHS,
            line_height=4.2,
            text_align="LEFT",
            first_row_as_headings=True,
            headings_style=FontFace(emphasis="BOLD", fill_color=(230, 236, 244)),
            repeat_headings=1,
        ) as pdf_table:
            head = pdf_table.row()
            for h in headers:
                head.cell(h)
            for row in table.itertuples(index=False):
                r = pdf_table.row()
                code = row.status_code
                for c in columns:
                    value = cell_text(c, getattr(row, c))
                    if c == "status":
                        style = FontFace(
                            color=rgb(STATUS[code].text_colour),
                            fill_color=rgb(STATUS[code].colour),
                            emphasis="BOLD",
                        )
                        r.cell(value, style=style)
                    else:
                        r.cell(value)


def write_pdf(
    parts: list[Section], path: Path | str, title: str, as_of: dt.date | None, lang: str = "zh"
) -> int:
    """A4 landscape, CJK font embedded, one section per city or department, status colour + symbol per row,
    page numbers. Returns the number of pages."""
    pdf = ScorecardPDF(title, as_of, lang)
    for part in parts:
        pdf.section(part.title, headers(lang), part.table, COLUMNS)
    pdf.output(str(path))
    return int(pdf.page_no())
