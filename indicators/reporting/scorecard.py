"""Scorecards (红绿灯): the table leaders read, and its exports to XLSX and PDF. Pure except the writers."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from itertools import chain
from pathlib import Path

import pandas as pd

from indicators import units
from indicators.status import explain

# Okabe-Ito colours: distinguishable with colour-blindness; light and dark alternate for grey print.
STATUS_COLOURS = {
    "met": "009E73",
    "on_schedule": "56B4E9",
    "lagging": "E69F00",
    "off_track": "D55E00",
    "missed": "882255",
    "no_data": "BBBBBB",
}
STATUS_TEXT_COLOURS = {
    "met": "FFFFFF",
    "on_schedule": "000000",
    "lagging": "000000",
    "off_track": "FFFFFF",
    "missed": "FFFFFF",
    "no_data": "000000",
}
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


@dataclass(frozen=True)
class Section:
    title: str
    table: pd.DataFrame  # COLUMNS, plus the status code in "status_code"


def _fmt(x: object) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "—"
    return f"{float(x):,.2f}".rstrip("0").rstrip(".")  # type: ignore[arg-type]


def scorecard(evaluated: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """One row per target: value, target, expected and gap as numbers (gap > 0: better than the target),
    status, owner and the explanation as text (built here for these rows when `evaluated` has none)."""
    zh = lang == "zh"
    return pd.DataFrame(
        {
            "city": evaluated["city_zh"] if zh else evaluated["city_en"],
            "indicator": evaluated["indicator_zh"] if zh else evaluated["indicator_en"],
            "value": evaluated["value"].astype(float).round(4),
            "target": evaluated["target_level"].astype(float).round(4),
            "unit": evaluated["canonical_unit"].map(lambda u: units.label(u, lang)),
            "deadline": pd.to_datetime(evaluated["deadline"]).dt.strftime("%Y-%m-%d"),
            "expected": evaluated["expected"].astype(float).round(4),
            "gap": (evaluated["direction"] * (evaluated["value"] - evaluated["target_level"]))
            .astype(float)
            .round(4),
            "status": evaluated["status"].map(lambda s: explain.status_label(s, lang)),
            "owner": evaluated["responsible"].map(lambda r: "、".join(r) or "—"),
            "why": explain.explanations(evaluated, lang),
            "status_code": evaluated["status"],
        }
    ).reset_index(drop=True)


def headers(lang: str) -> list[str]:
    return [HEADERS[c][0 if lang == "zh" else 1] for c in COLUMNS]


def cell_text(column: str, value: object) -> str:
    """How a scorecard cell reads on screen and on paper."""
    if column == "gap" and isinstance(value, float) and not math.isnan(value):
        return f"{value:+,.2f}".rstrip("0").rstrip(".")
    if column in NUMERIC:
        return _fmt(value)
    return str(value)


def sections(evaluated: pd.DataFrame, by: str, lang: str) -> list[Section]:
    """One section per city (by='city') or per lead department (by='department')."""
    return [Section(title, scorecard(group, lang)) for title, group in section_frames(evaluated, by)]


def section_frames(evaluated: pd.DataFrame, by: str) -> list[tuple[str, pd.DataFrame]]:
    """(title, evaluated rows) per section, without building the tables: meeting mode shows one screen."""
    if by == "department":
        exploded = (
            evaluated.assign(dept=evaluated["responsible"].map(list)).explode("dept").dropna(subset=["dept"])
        )
        return [(str(dept), group) for dept, group in exploded.groupby("dept", sort=True)]
    return [
        (f"{zh} {en}", group) for (zh, en), group in evaluated.groupby(["city_zh", "city_en"], sort=False)
    ]


def departments(evaluated: pd.DataFrame) -> list[str]:
    """Every responsible unit named, lead or cooperating, sorted."""
    names = set(chain.from_iterable(evaluated["responsible"])) | set(
        chain.from_iterable(evaluated["cooperating"])
    )
    return sorted(str(n) for n in names if n is not None)


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def write_xlsx(parts: list[Section], path: Path | str, title: str, lang: str = "zh") -> None:
    """One sheet per section; status cells coloured; text from data can never become a formula."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

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
                if isinstance(value, str) and value.startswith(_FORMULA_START):
                    cell.data_type = "s"  # stored as text, never evaluated
            status_cell = ws.cell(row=r, column=COLUMNS.index("status") + 1)
            code = row.status_code
            status_cell.fill = PatternFill("solid", fgColor=STATUS_COLOURS[code])
            status_cell.font = Font(color=STATUS_TEXT_COLOURS[code], bold=True)
            ws.cell(row=r, column=COLUMNS.index("why") + 1).alignment = Alignment(wrap_text=True)
        for letter, width in zip("ABCDEFGHIJK", (10, 28, 11, 11, 8, 11, 10, 9, 12, 22, 70), strict=True):
            ws.column_dimensions[letter].width = width
    wb.save(path)


def _sheet_name(title: str, i: int) -> str:
    clean = "".join("_" if ch in "[]:*?/\\" else ch for ch in title)[:28]
    return clean or f"S{i + 1}"


FONT_REGULAR = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
FONT_BOLD = "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"
FONT_SYMBOLS = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def write_pdf(
    parts: list[Section], path: Path | str, title: str, as_of: dt.date | None, lang: str = "zh"
) -> int:
    """A4 landscape, CJK font embedded, one section per city or department, status colour + symbol per row,
    page numbers. Returns the number of pages."""
    from indicators.reporting.pdf import ScorecardPDF

    pdf = ScorecardPDF(title, as_of, lang)
    for part in parts:
        pdf.section(part.title, headers(lang), part.table, COLUMNS, STATUS_COLOURS, STATUS_TEXT_COLOURS)
    pdf.output(str(path))
    return int(pdf.page_no())


def scorecard_html(table: pd.DataFrame, lang: str = "zh", large: bool = False) -> str:
    """The scorecard as an HTML table: status cells coloured, with symbol and word; all text escaped."""
    import html

    size = "1.35rem" if large else ".9rem"
    cols = [c for c in COLUMNS if not (large and c in ("deadline", "expected", "unit"))]
    head = "".join(f"<th>{html.escape(HEADERS[c][0 if lang == 'zh' else 1])}</th>" for c in cols)
    rows = []
    for row in table.itertuples(index=False):
        cells = []
        for c in cols:
            text = html.escape(cell_text(c, getattr(row, c)))
            if c == "status":
                code = row.status_code
                cells.append(
                    f"<td style='background:#{STATUS_COLOURS[code]};color:#{STATUS_TEXT_COLOURS[code]};"
                    f"font-weight:700'>{text}</td>"
                )
            elif c == "why":
                cells.append(f"<td class='why'>{text}</td>")
            else:
                cells.append(f"<td>{text}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    style = (
        f"<style>.sc table{{width:100%;border-collapse:collapse;font-size:{size};table-layout:fixed}}"
        ".sc th{background:#eef3f9;text-align:left;padding:.35rem .4rem}"
        ".sc td{padding:.35rem .4rem;border-bottom:1px solid #dde3ea;vertical-align:top;"
        "overflow-wrap:break-word}"
        f".sc td.why{{font-size:{'1.05rem' if large else '.8rem'};color:#333}}</style>"
    )
    widths = "".join(f"<col style='width:{_WIDTHS[c]}%'>" for c in cols)
    table = f"<table><colgroup>{widths}</colgroup><tr>{head}</tr>{''.join(rows)}</table>"
    return f"{style}<div class='sc'>{table}</div>"


# relative column widths of the on-screen scorecard (the explanation gets the most room)
_WIDTHS = {
    "city": 8,
    "indicator": 13,
    "value": 7,
    "target": 7,
    "unit": 6,
    "deadline": 8,
    "expected": 7,
    "gap": 6,
    "status": 9,
    "owner": 9,
    "why": 20,
}


def filter_evaluated(
    evaluated: pd.DataFrame,
    cities: list[str] | None = None,
    domains: list[str] | None = None,
    department: str | None = None,
    statuses: list[str] | None = None,
) -> pd.DataFrame:
    """Targets by city codes, domains, a responsible unit (lead or cooperating) and statuses."""
    keep = pd.Series(True, index=evaluated.index)
    if cities:
        keep &= evaluated["city"].isin(cities)
    if domains:
        keep &= evaluated["domain"].isin(domains)
    if department:
        keep &= evaluated["responsible"].map(lambda r: department in list(r)) | evaluated["cooperating"].map(
            lambda r: department in list(r)
        )
    if statuses:
        keep &= evaluated["status"].isin(statuses)
    return evaluated[keep]


def export_bytes(
    evaluated: pd.DataFrame, fmt: str, by: str, title: str, as_of: dt.date | None, lang: str = "zh"
) -> bytes:
    """The scorecard as PDF or XLSX bytes, one section per city or department."""
    import io
    import tempfile

    parts = sections(evaluated, by, lang)
    if fmt == "xlsx":
        buffer = io.BytesIO()
        write_xlsx(parts, buffer, title, lang)
        return buffer.getvalue()
    with tempfile.NamedTemporaryFile(suffix=".pdf") as tmp:
        write_pdf(parts, tmp.name, title, as_of, lang)
        return Path(tmp.name).read_bytes()
