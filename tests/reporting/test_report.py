"""Scorecard exports: XLSX safe against formula injection with numbers kept numeric; PDF pages and text."""

from __future__ import annotations

import datetime as dt
import re
import subprocess

import pandas as pd
import pytest
from openpyxl import load_workbook

from indicators import vocabulary
from indicators.reporting import pdf, xlsx
from indicators.reporting import scorecard as report
from indicators.status import service as status


def _evaluated_row(**kw) -> dict:
    row = dict(
        city_zh="常德市",
        city_en="Changde",
        indicator_zh="PM2.5年均浓度",
        indicator_en="PM2.5",
        value=54.1,
        target_level=49.0,
        canonical_unit="ug/m3",
        deadline=dt.date(2017, 12, 31),
        expected=51.05,
        direction=-1.0,
        status="off_track",
        responsible=["污防科"],
        cooperating=[],
        explanation_zh="说明",
        explanation_en="why",
        city="changde",
        domain="air",
    )
    row.update(kw)
    return row


def test_scorecard_gap_is_signed_so_that_positive_is_better():
    table = report.scorecard(pd.DataFrame([_evaluated_row(), _evaluated_row(value=45.0, status="met")]))
    # lower is better: 54.1 vs 49 is 5.1 short (−5.1); 45 vs 49 is 4 better (+4)
    assert table.gap.tolist() == pytest.approx([-5.1, 4.0])


def test_xlsx_never_turns_user_text_into_formulas_and_keeps_numbers(tmp_path):
    evil = ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)"]
    rows = [_evaluated_row(responsible=[owner], indicator_zh=owner) for owner in evil]
    parts = report.sections(pd.DataFrame(rows), "city", "zh")
    path = tmp_path / "sc.xlsx"
    xlsx.write_xlsx(parts, path, "红绿灯")
    ws = load_workbook(path).worksheets[0]
    owner_col = report.COLUMNS.index("owner") + 1
    indicator_col = report.COLUMNS.index("indicator") + 1
    for i, text in enumerate(evil, start=3):
        for col in (owner_col, indicator_col):
            cell = ws.cell(row=i, column=col)
            assert cell.data_type == "s" and cell.value == text
        value = ws.cell(row=i, column=report.COLUMNS.index("value") + 1)
        assert value.data_type == "n" and value.value == pytest.approx(54.1)
    status_cell = ws.cell(row=3, column=report.COLUMNS.index("status") + 1)
    assert status_cell.fill.fgColor.rgb.endswith(vocabulary.STATUS["off_track"].colour)
    assert status_cell.value == "✕ 严重滞后"


def test_pdf_has_a_section_per_city_with_chinese_text_and_page_numbers(demo_db, tmp_path):
    evaluated = status.status(demo_db)
    path = tmp_path / "sc.pdf"
    parts = report.sections(evaluated, "city", "zh")
    pages = pdf.write_pdf(parts, path, "红绿灯 Scorecard", None)
    assert pages >= len(parts) == 5
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    assert re.search(rf"Pages:\s+{pages}\n", info) and "841.89 x 595.28" in info  # A4 landscape, points
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True).stdout
    assert "NotoSansCJK" in fonts and " yes yes " in fonts  # embedded, subset
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True).stdout
    for city in ("灵武市", "莲都区", "南昌市", "江津区", "常德市"):
        assert city in text
    assert f"page 1 of {pages}" in text and "✕" in text and "✓" in text


def test_department_sections(demo_db):
    evaluated = status.status(demo_db)
    parts = report.sections(evaluated, "department", "en")
    assert "污防科" in {p.title for p in parts}
    mine = next(p for p in parts if p.title == "污防科")
    assert set(mine.table.city) == {"Changde"}
