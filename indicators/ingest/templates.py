"""The upload template of one city, as CSV or XLSX: the wide layout staff fill in month by month.

One row per month (the twelve months up to last month), one column per indicator the city has targets for,
the unit in each header as staff write it ("PM2.5年均浓度(微克/立方米)"). The CSV is UTF-8 with a BOM and
CRLF line ends so that Excel opens it with the Chinese intact; the XLSX adds a sheet listing the indicators
with their names, units and aliases, and a sheet of instructions. Uploading a filled template as it is works.
"""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pandas as pd
from openpyxl.styles import Alignment, Font, PatternFill

from indicators import months as months_
from indicators import units
from indicators.reporting.csv_text import rows_csv

# Canonical units as staff write them in a header; a unitless coefficient has no unit in its header.
HEADER_UNITS = {
    "ug/m3": "微克/立方米",
    "percent": "%",
    "day": "天",
    "item": "个",
    "tonne": "吨",
    "yuan": "元",
    "tce": "吨标准煤",
    "dimensionless": "",
}
CITY, PERIOD, NOTE = "城市", "月份", "备注"
VALID_DAYS = "有效天数"  # the row's valid monitoring days, for each of its values (issue 12; optional)
HELP = [
    "填写说明 How to fill in",
    "每行一个月份，每列一项指标；单位写在列名括号中，可改为能换算的单位（如 毫克/立方米）。",
    "One row per month, one column per indicator; the unit is in the header's brackets and may be changed "
    "to any convertible unit (e.g. 毫克/立方米).",
    "月份可写作 2020-03、2020/3、2020年3月 或 Excel 日期；没有数据的格子留空。",
    "Periods may be written 2020-03, 2020/3, 2020年3月 or as an Excel date; leave cells without data empty.",
    "有效天数列（可空）填该月的有效监测天数；优良天数比例可直接写“优良天数/有效天数”，如 25/30。",
    "The 有效天数 column (optional) holds the month's valid monitoring days; a good-days share may be "
    "written "
    "as good/valid days, e.g. 25/30.",
    "也可使用长表：城市、指标、月份、数值、单位、备注 六列，每行一个数值。",
    "A long layout also works: city, indicator, period, value, unit, note — one value per row.",
    "上传后先预览全部变更，确认后一次性提交，可撤销。",
    "Every upload is previewed first, committed in one step, and can be undone.",
]


def header(indicator: pd.Series) -> str:
    unit = HEADER_UNITS.get(indicator["unit"], indicator["unit"])
    return f"{indicator['name_zh']}({unit})" if unit else str(indicator["name_zh"])


def months(today: dt.date, count: int = 12) -> list[str]:
    """The `count` months up to the one before `today`'s, oldest first, as YYYY-MM."""
    last = months_.of(today) - 1
    return [months_.label(m) for m in range(last - count + 1, last + 1)]


def frame(city_zh: str, indicators: pd.DataFrame, today: dt.date) -> pd.DataFrame:
    columns = [CITY, PERIOD, *(header(i) for _, i in indicators.iterrows()), VALID_DAYS, NOTE]
    rows = [[city_zh, m] + [""] * (len(columns) - 2) for m in months(today)]
    return pd.DataFrame(rows, columns=columns)


def build(
    city_code: str, city_zh: str, indicators: pd.DataFrame, fmt: str, today: dt.date
) -> tuple[str, bytes]:
    """(file name, content) of the template; fmt is "csv" or "xlsx"."""
    indicators = indicators.sort_values(["domain", "code"])
    table = frame(city_zh, indicators, today)
    name = f"dabiao_template_{city_code}.{fmt}"
    if fmt == "csv":
        text = rows_csv([table.columns, *table.itertuples(index=False)], lineterminator="\r\n")
        return name, text.encode("utf-8-sig")
    if fmt != "xlsx":
        raise ValueError(f"template format must be csv or xlsx, not {fmt!r}")
    return name, _xlsx(table, indicators)


def _xlsx(table: pd.DataFrame, indicators: pd.DataFrame) -> bytes:
    book = openpyxl.Workbook()
    data = book.active
    data.title = "数据 Data"
    data.append(list(table.columns))
    for row in table.itertuples(index=False):
        data.append(list(row))
    for cell in data["B"]:
        cell.number_format = "@"  # keep "2020-03" as written; Excel would turn it into a date
    _style(data, [8, 10, *([18] * (len(table.columns) - 4)), 10, 16])
    ref = book.create_sheet("指标 Indicators")
    ref.append(["代码 code", "指标 indicator", "English", "单位 unit", "别名 aliases", "有效范围 range"])
    for _, i in indicators.iterrows():
        aliases = "、".join(list(i.get("aliases", [])))
        valid = f"{i['valid_min']:g} – {i['valid_max']:g}"
        ref.append([i["code"], i["name_zh"], i["name_en"], units.label(i["unit"]), aliases, valid])
    _style(ref, [28, 36, 48, 14, 30, 18])
    help_sheet = book.create_sheet("说明 Help")
    for line in HELP:
        help_sheet.append([line])
    help_sheet.column_dimensions["A"].width = 110
    help_sheet["A1"].font = Font(bold=True)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _style(sheet, widths: list[int]) -> None:  # type: ignore[no-untyped-def]
    fill = PatternFill("solid", fgColor="DDE8F5")
    for cell in sheet[1]:
        cell.font, cell.fill = Font(bold=True), fill
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[openpyxl.utils.get_column_letter(i)].width = width
    sheet.freeze_panes = "C2" if sheet.title.startswith("数据") else "A2"
