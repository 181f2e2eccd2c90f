"""Numbers by each indicator's precision, freshness per indicator, and exports that hold exactly the rows a
screen shows (issue 14 items 2, 3, 4, 9). Expected values by hand."""

from __future__ import annotations

import datetime as dt
import io
import subprocess

import pandas as pd
import pytest
from openpyxl import load_workbook

from indicators.catalog import load as cat
from indicators.reporting import export, freshness, numbers
from indicators.reporting import scorecard as report
from indicators.reporting.style import cell_text
from indicators.status import service as status


def test_rounding_is_half_up_from_the_decimal_form_and_never_minus_zero():
    assert numbers.text(40.65, 1) == "40.7"  # the float 40.65 is 40.6499…: round() gives 40.6
    assert numbers.text(0.525, 3) == "0.525"
    assert numbers.text(0.525, 2) == "0.53"
    assert numbers.text(-0.004, 2) == "0" and numbers.text(-0.0, 1) == "0"
    assert numbers.text(-3.25, 1, signed=True) == "-3.3" and numbers.text(4.0, 1, signed=True) == "+4"
    assert numbers.text(1234.5, 0) == "1,235"
    assert numbers.text(float("nan")) == "—"
    assert cell_text("gap", -0.0) == "0"


def test_every_shipped_indicator_declares_its_precision_and_a_coefficient_has_no_unit_word():
    raw = [p.read_text(encoding="utf-8") for p in (cat.DATA_DIR / "indicators").glob("*.yaml")]
    catalog = cat.load()
    assert sum(text.count("\n  decimals: ") for text in raw) == len(catalog.indicators)
    coefficient = next(i for i in catalog.indicators if i.unit == "dimensionless")
    assert numbers.decimals(coefficient.code) == 3
    assert numbers.decimals("pm25") == 1
    assert numbers.unit_label("dimensionless", "en") == "" and numbers.unit_label("percent", "zh") == "%"


def test_a_bad_precision_is_a_catalog_problem(tmp_path):
    import shutil

    data = tmp_path / "data"
    shutil.copytree(cat.DATA_DIR, data)
    core = data / "indicators" / "core.yaml"
    core.write_text(core.read_text(encoding="utf-8").replace("decimals: 1", "decimals: 1.5", 1), "utf-8")
    with pytest.raises(cat.CatalogInvalid, match="decimals"):
        cat.load(data)


def test_the_scorecard_rounds_by_indicator_and_says_when_a_value_is_the_one_at_the_deadline():
    row = dict(
        city_zh="灵武市",
        city_en="Lingwu",
        indicator="pm25",
        indicator_zh="PM2.5",
        indicator_en="PM2.5",
        value=40.65,
        target_level=33.0,
        canonical_unit="ug/m3",
        deadline=dt.date(2020, 12, 31),
        expected=38.04,
        direction=-1.0,
        status="missed",
        responsible=["市生态环境局"],
        cooperating=[],
        explanation_zh="说明",
        explanation_en="why",
        city="lingwu",
        domain="air",
        as_of=dt.date(2021, 3, 31),
        deadline_reached=True,
    )
    table = report.scorecard(pd.DataFrame([row]))
    assert table.loc[0, ["value", "target", "expected", "gap"]].tolist() == [40.7, 33.0, 38.0, -7.7]
    assert table.loc[0, "as_of_month"] == "2021-03" and bool(table.loc[0, "at_deadline"])
    from indicators.reporting import html

    assert "截止时的值" in html.scorecard_html(table, "zh")


def test_freshness_counts_indicators_reported_for_the_latest_month():
    reported = pd.DataFrame(
        {
            "city": ["a", "a", "a", "b", "b"],
            "indicator": ["x", "y", "z", "x", "y"],
            "period": pd.to_datetime(["2026-11-01", "2020-09-01", None, "2026-11-01", "2026-11-01"]),
        }
    )
    cities = pd.DataFrame({"code": ["a", "b"], "name_zh": ["甲", "乙"], "name_en": ["A", "B"]})
    out = freshness.freshness(reported, cities).set_index("city")
    # a sent one of its three indicators for 2026-11: it is not up to date though its latest month is
    assert out.loc["a", ["expected", "reported"]].tolist() == [3, 1]
    assert out.loc["a", "missing"] == ["y", "z"] and out.loc["a", "months_behind"] == 0
    assert out.loc["b", ["expected", "reported"]].tolist() == [2, 2]
    assert list(out.index) == ["a", "b"]  # the least complete first


@pytest.fixture(scope="module")
def evaluated(demo_db):
    return status.status(demo_db, explain=False)


def test_a_department_export_holds_exactly_the_screen_rows_under_the_screen_title(evaluated, tmp_path):
    dept = "市农业农村局"
    shown = report.filter_evaluated(evaluated, department=dept)  # what the scorecard page shows
    assert len(shown) > 0
    book = load_workbook(
        io.BytesIO(export.export_bytes(shown, "xlsx", None, "红绿灯 Scorecard", None, "zh", dept))
    )
    # the active targets under the screen's title, then the closed ones apart (issue 12)
    closed = int(shown["deadline_reached"].sum())
    assert 0 < closed < len(shown)  # the demo has both
    assert book.sheetnames == [dept, f"已到期 Closed · {dept}"]
    active_ws, closed_ws = book.worksheets
    assert active_ws["A1"].value == f"红绿灯 Scorecard · {dept}"
    assert closed_ws["A1"].value == f"红绿灯 Scorecard · 已到期 Closed · {dept}"
    # title and header rows, then one row per target on screen: every row once, in one of the two
    assert (active_ws.max_row - 2, closed_ws.max_row - 2) == (len(shown) - closed, closed)
    pdf = tmp_path / "dept.pdf"
    pdf.write_bytes(export.export_bytes(shown, "pdf", None, "红绿灯 Scorecard", None, "zh", dept))
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
    pages = text.split("\f")
    assert pages[0].lstrip().startswith(f"红绿灯 Scorecard · {dept}")
    headings = [p.lstrip().splitlines()[0] for p in pages if p.strip()]
    # no section of another department; the closed section after the active one
    assert set(headings) == {f"红绿灯 Scorecard · {dept}", f"红绿灯 Scorecard · 已到期 Closed · {dept}"}
    assert headings[-1] == f"红绿灯 Scorecard · 已到期 Closed · {dept}"


def test_the_xlsx_is_ready_for_a_meeting(evaluated):
    shown = evaluated[evaluated.city == "lingwu"]
    ws = load_workbook(
        io.BytesIO(export.export_bytes(shown, "xlsx", None, "红绿灯", None, "zh", "灵武市"))
    ).active
    assert ws.freeze_panes == "A3"
    assert ws.auto_filter.ref == f"A2:M{ws.max_row}"
    assert ws.cell(row=2, column=12).value == "情况说明"  # the owner's note: a column of its own
    assert ws.cell(row=2, column=13).value == "评价月份"
    deadline = ws.cell(row=3, column=6)
    assert isinstance(deadline.value, dt.datetime) and deadline.number_format == "yyyy-mm-dd"
    month = ws.cell(row=3, column=13)
    assert month.value == dt.datetime(2020, 9, 1) and month.number_format == "yyyy-mm"


def test_the_pdf_states_the_month_when_each_city_is_at_its_latest(evaluated, tmp_path):
    shown = evaluated[evaluated.city == "changde"]
    pdf = tmp_path / "c.pdf"
    pdf.write_bytes(export.export_bytes(shown, "pdf", None, "红绿灯", None, "zh", "常德市"))
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "评价月份 2017-09" in text and "evaluated as of 2017-09" in text


def test_collective_addressees_are_not_departments(evaluated):
    names = report.departments(evaluated)
    assert "各有关单位" not in names and not any(n.startswith("各") for n in names)
    assert "市农业农村局" in names
