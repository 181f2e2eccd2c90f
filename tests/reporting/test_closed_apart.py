"""Pages and exports (issue 12 items 9 and 10): active targets first, closed ones apart under 已到期 Closed;
a provisional evaluation marked beside its status."""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd
from openpyxl import load_workbook
from test_report import _evaluated_row

from indicators.reporting import export
from indicators.reporting import html as report_html
from indicators.reporting import scorecard as report


def _rows() -> pd.DataFrame:
    return pd.DataFrame(
        [
            _evaluated_row(indicator_zh="已到期一", deadline=dt.date(2017, 12, 31), deadline_reached=True),
            _evaluated_row(
                indicator_zh="进行中",
                deadline=dt.date(2027, 12, 31),
                deadline_reached=False,
                status="lagging",
                provisional=True,
            ),  # fmt: skip
            _evaluated_row(
                indicator_zh="已到期二",
                city_zh="灵武市",
                city_en="Lingwu",
                city="lingwu",
                deadline=dt.date(2019, 12, 31),
                deadline_reached=True,
            ),  # fmt: skip
        ]
    )


def test_the_html_scorecard_shows_active_targets_first_and_closed_ones_under_their_heading():
    page = report_html.scorecard_html(report.scorecard(_rows(), "zh"), "zh")
    heading = page.index("已到期 Closed (2)")
    assert page.index("进行中") < heading < page.index("已到期一") < page.index("已到期二")


def test_a_provisional_status_is_marked_in_both_languages():
    zh, en = (report.scorecard(_rows(), lang).status.tolist() for lang in ("zh", "en"))
    assert [s.endswith("（暂定）") for s in zh] == [False, True, False]
    assert [s.endswith(" (provisional)") for s in en] == [False, True, False]


def test_a_frame_without_the_new_columns_is_all_active_and_not_provisional():
    rows = _rows().drop(columns=["deadline_reached", "provisional"])
    table = report.scorecard(rows, "zh")
    assert not table.at_deadline.any() and not table.provisional.any()
    assert "已到期 Closed" not in report_html.scorecard_html(table, "zh")


def test_exports_put_every_active_section_before_the_closed_ones():
    # two cities: 常德市 with one active and one closed target, 灵武市 with one closed
    book = load_workbook(io.BytesIO(export.export_bytes(_rows(), "xlsx", "city", "红绿灯", None, "zh")))
    titles = [ws["A1"].value for ws in book.worksheets]
    assert titles == [
        "红绿灯 · 常德市 Changde",
        "红绿灯 · 已到期 Closed · 常德市 Changde",
        "红绿灯 · 已到期 Closed · 灵武市 Lingwu",
    ]
    assert [ws.max_row - 2 for ws in book.worksheets] == [1, 1, 1]
