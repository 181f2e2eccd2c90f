"""How a scorecard reads: its columns and their headers, cell text, colours and widths, fonts.

Shared by the screen (html), the XLSX and the PDF, so that the three say the same thing the same way.
"""

from __future__ import annotations

import math

from indicators.reporting import numbers

HEADERS = {
    "city": ("城市", "City"),
    "indicator": ("指标", "Indicator"),
    "value": ("当前值", "Value"),
    "target": ("目标", "Target"),
    "expected": ("序时应达", "Expected now"),
    "gap": ("差距", "Gap"),
    "status": ("状态", "Status"),
    "owner": ("责任单位", "Responsible"),
    "why": ("说明", "Why"),
    "deadline": ("截止", "Deadline"),
    "unit": ("单位", "Unit"),
    "note": ("情况说明", "Owner's note"),
    "change": ("较上次快照", "Since last snapshot"),
    "as_of_month": ("评价月份", "As of"),
}
COLUMNS = [
    "city",
    "indicator",
    "value",
    "target",
    "unit",
    "deadline",
    "expected",
    "gap",
    "status",
    "owner",
    "why",
]
NUMERIC = ("value", "target", "expected", "gap")
# the exports: the owner's note as its own column beside the computed "why", and the month each row is
# evaluated as of (every export states each city's as-of month, never only "latest")
EXPORT_COLUMNS = [*COLUMNS, "note", "as_of_month"]

# Text that a spreadsheet would run as a formula starts with one of these (OWASP's CSV injection list).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

FONT_REGULAR = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
FONT_BOLD = "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"
FONT_SYMBOLS = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
PDF_COLLECTION_INDEX = 2  # Simplified Chinese face inside the Noto Sans CJK collection
# per EXPORT_COLUMNS
PDF_WIDTHS = (15, 30, 14, 14, 12, 17, 14, 12, 19, 28, 48, 40, 14)  # mm, sum 277 = A4 landscape less margins
XLSX_WIDTHS = (10, 28, 11, 11, 8, 11, 10, 9, 12, 22, 70, 40, 11)  # characters
# relative column widths of the on-screen scorecard (the explanation gets the most room)
SCREEN_WIDTHS = {
    "city": 6,
    "indicator": 12,
    "value": 7,
    "target": 7,
    "unit": 6,
    "deadline": 8,
    "expected": 7,
    "gap": 6,
    "status": 8,
    "owner": 9,
    "why": 18,
    "note": 12,
    "change": 8,
}


def headers(lang: str, columns: list[str] | None = None) -> list[str]:
    return [HEADERS[c][0 if lang == "zh" else 1] for c in columns or COLUMNS]


def cell_text(column: str, value: object) -> str:
    """How a scorecard cell reads on screen and on paper (numbers arrive rounded to their indicator's
    precision by scorecard.scorecard; here only the text: separators, sign, no trailing zeros, no -0)."""
    if column in ("note", "change", "as_of_month") and (
        value is None or (isinstance(value, float) and math.isnan(value))
    ):
        return "—"
    if column in NUMERIC:
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return "—"
        return numbers.text(float(value), signed=column == "gap")  # type: ignore[arg-type]
    return str(value)


def rgb(hex_colour: str) -> tuple[int, int, int]:
    return int(hex_colour[0:2], 16), int(hex_colour[2:4], 16), int(hex_colour[4:6], 16)
