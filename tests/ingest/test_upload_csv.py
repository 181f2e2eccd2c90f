"""Reading a CSV column by column with Arrow: the same rows, cells and row numbers as Python's csv module,
found once per distinct cell; and the checks made on whole columns at once (empty cells, numbers)."""

from __future__ import annotations

import csv
import io
import math

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from indicators.ingest import cells
from indicators.ingest import grid as upload_csv
from indicators.ingest import numbers as upload_numbers

CELLS = ["a", "b c", '"q"', '"a,b"', '"x""y"', '""', "", " ", 'a"b', '"a"b', "中文", '"l1\nl2"', "1.5", "-"]


def as_rows(grid: upload_csv.Grid) -> list[tuple[int, list[object]]]:
    columns = [c.astype(object).where(c.notna(), None).tolist() for c in grid.columns]
    return [(int(n), [col[i] for col in columns]) for i, n in enumerate(grid.numbers)]


def by_the_csv_module(text: str) -> list[tuple[int, list[object]]]:
    return as_rows(upload_csv.rows_grid(list(csv.reader(io.StringIO(text, newline="")))))


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.lists(st.sampled_from(CELLS), min_size=1, max_size=4), min_size=1, max_size=6),
    st.sampled_from(["\n", "\r\n", "\r"]),
    st.booleans(),
)
def test_arrow_reads_a_csv_as_the_csv_module_does(rows, newline, last_newline):
    text = newline.join(",".join(r) for r in rows) + (newline if last_newline else "")
    grid, encoding = upload_csv.csv_grid(text.encode("utf-8"))
    assert encoding == "utf-8"
    assert as_rows(grid) == by_the_csv_module(text)


def test_a_regular_file_is_read_by_arrow_with_blank_rows_numbered():
    text = "城市,指标,数值\n灵武市,pm25,35\n\n,,\n南昌市,pm10,\n"
    grid, encoding = upload_csv.csv_grid(text.encode("utf-8"))
    assert encoding == "utf-8" and cells.is_text(grid.columns[0])
    # rows 3 (blank line) and 4 (empty cells) are left out but still counted
    assert as_rows(grid) == [
        (1, ["城市", "指标", "数值"]),
        (2, ["灵武市", "pm25", "35"]),
        (5, ["南昌市", "pm10", ""]),
    ]


def test_rows_of_different_widths_are_read_row_by_row():
    # the grid is as wide as its widest row (issue 13: "extra" was cut silently; read.py now refuses it)
    text = "城市,指标,数值\n灵武市,pm25\n南昌市,pm10,41,extra\n"
    grid, _ = upload_csv.csv_grid(text.encode("utf-8"))
    assert not cells.is_text(grid.columns[0])
    assert as_rows(grid) == [
        (1, ["城市", "指标", "数值", None]),
        (2, ["灵武市", "pm25", None, None]),
        (3, ["南昌市", "pm10", "41", "extra"]),
    ]


def test_a_file_that_is_not_utf8_after_its_first_lines_is_decoded_as_gbk():
    # the first 64 KiB are ASCII (valid UTF-8); the Chinese row at the end is GBK
    text = "city,value\n" + "x,1\n" * 20000 + "灵武市,2\n"
    grid, encoding = upload_csv.csv_grid(text.encode("gbk"))
    assert encoding == "gbk"
    assert as_rows(grid)[-1] == (20002, ["灵武市", "2"])


def test_empty_cells_in_bulk():
    padding = [str(i) for i in range(600)]  # enough distinct cells to be checked by Arrow
    found = pd.Index(["", "-", "NA", " ", "35", "—", "Ｎａ", "null", "x", " n / a "] + padding, dtype="str")
    # " " and " n / a " lose their spaces; "Ｎａ" is "na" in half-width form; "—" is a dash people write
    expected = [True, True, True, True, False, True, True, True, False, True]
    assert cells.empty_cells(found)[:10].tolist() == expected
    assert not cells.empty_cells(found)[10:].any()


def test_distinct_cells_of_text_and_of_objects():
    codes, uniques = cells.distinct(pd.Series(["b", "a", "b", "b"], dtype="str"))
    assert codes.tolist() == [0, 1, 0, 0] and uniques.tolist() == ["b", "a"]
    codes, uniques = cells.distinct(pd.Series([1, "1", None, 1.0], dtype=object))
    assert codes.tolist() == [0, 1, 2, 0] and len(uniques) == 3  # 1 and 1.0 are one cell, as in a dict


def test_numbers_of_a_text_column():
    written = ["35", "1,234", "１２", " 12 ", "abc", "", "-", "1e3", "+3", ".5", "1e999", "-0.5"]
    number, empty = upload_numbers.numbers(pd.Series(written + [str(i) for i in range(600)], dtype="str"))
    expected = [35.0, 1234.0, 12.0, 12.0, math.nan, math.nan, math.nan, 1000.0, 3.0, 0.5, math.inf, -0.5]
    np.testing.assert_array_equal(number[:12], expected)
    assert number[12:].tolist() == [float(i) for i in range(600)]
    assert empty[:12].tolist() == [False] * 5 + [True, True] + [False] * 5
