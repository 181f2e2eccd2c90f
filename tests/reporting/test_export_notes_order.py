"""The scorecard's exports hold the owners' notes as their own column and each row's as-of month, and list
exceptions first (issue 16, items 1, 5 and 6), on a real DuckDB file with hand-built values.

灵武市 forest coverage (≥ 16.5 % by 2020-12-31 from 15.0 in 2018-12) as of 2019-06-30 expects
15 + 1.5 · 181/731 = 15.37 %: 13.0 in 2019-06 is behind (R = (13 − 15)/0.37 < 0, off track); every other
target has no values (no data).
"""

from __future__ import annotations

import datetime as dt
import io
import subprocess

from openpyxl import load_workbook

from indicators import store
from indicators.accounts.actor import Actor
from indicators.ingest import service as uploads
from indicators.meeting import notes
from indicators.reporting import export
from indicators.reporting import scorecard as report

ADMIN = Actor("主任", None, "admin")
FOREST = "lingwu-pc-forest-coverage-2020"
AS_OF = dt.date(2019, 6, 30)


def forest_db(tmp_path):
    path = tmp_path / "notes.duckdb"
    store.init(path)
    rows = [("2018-12", 15.0), ("2019-01", 15.1), ("2019-02", 15.2), ("2019-06", 13.0)]
    text = "城市,指标,月份,数值,单位\n" + "".join(f"灵武市,森林覆盖率,{m},{v},%\n" for m, v in rows)
    outcome = uploads.ingest_file(path, text.encode(), "forest.csv", ADMIN, today=dt.date(2026, 11, 23))
    assert outcome.exit_code == 0, outcome.errors
    notes.add_note(path, ADMIN, FOREST, "苗木推迟到位，预计9月回到序时", dt.date(2019, 6, 1))
    return path


def test_the_xlsx_has_the_note_in_its_own_column_and_the_off_track_row_first(tmp_path):
    path = forest_db(tmp_path)
    out = tmp_path / "sc.xlsx"
    export.export_scorecard(path, "xlsx", out, city="灵武市", as_of=AS_OF)
    ws = load_workbook(io.BytesIO(out.read_bytes())).active
    header = [c.value for c in ws[2]]
    assert header[-2:] == ["情况说明", "评价月份"] and header[10] == "说明"  # beside the computed "why"
    first = [c.value for c in ws[3]]
    assert first[1] == "森林覆盖率" and first[8].endswith("严重滞后")  # the one exception comes first
    assert first[11] == "苗木推迟到位，预计9月回到序时"
    assert first[12] == dt.datetime(2019, 6, 1)  # the month it is evaluated as of, as a date
    assert all(row[11].value is None for row in ws.iter_rows(min_row=4))  # no other target has a note


def test_the_pdf_has_the_note_and_the_as_of_month_of_each_row(tmp_path):
    path = forest_db(tmp_path)
    out = tmp_path / "sc.pdf"
    export.export_scorecard(path, "pdf", out, city="灵武市")  # no date: the city's latest month
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert "情况说明" in text and "苗木推迟到位" in text
    assert "灵武市 Lingwu · 截至 as of 2019-06" in text and "评价月份" in text


def test_worst_first_keeps_each_statuses_rows_in_their_order():
    import pandas as pd

    rows = pd.DataFrame(
        {
            "target_id": list("abcdefg"),
            "status": ["met", "lagging", "no_data", "missed", "lagging", "off_track", "on_schedule"],
        }
    )
    # missed, off track, lagging (b before e, as given), then on schedule, met, no data
    assert list(report.worst_first(rows)["target_id"]) == ["d", "f", "b", "e", "g", "a", "c"]
