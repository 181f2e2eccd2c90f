"""Reading uploads: encodings detected (never guessed), periods, Chinese or English headers, two layouts."""

from __future__ import annotations

import datetime as dt

import pytest

from indicators.ingest import encoding as text_encoding
from indicators.ingest import errors as ue
from indicators.ingest import read as upload_read

TEXT = "城市,指标,月份,数值,单位,备注\r\n灵武市,细颗粒物,2020年3月,35,微克/立方米,市环境监测站\r\n"


@pytest.mark.parametrize(
    "encoding, expected",
    [
        ("utf-8", "utf-8"),
        ("utf-8-sig", "utf-8-sig"),
        ("gbk", "gbk"),
        ("gb18030", "gbk"),
        ("utf-16", "utf-16"),
    ],
)
def test_each_encoding_is_detected_and_round_trips(encoding, expected):
    text, found = text_encoding.decode(TEXT.encode(encoding))
    assert text == TEXT and found == expected


def test_characters_outside_gbk_are_named_gb18030():
    text = "城市,单位,备注\n灵武市,µg/m³,填报人 𠮷\n"
    assert text_encoding.decode(text.encode("gb18030")) == (text, "gb18030")


@pytest.mark.parametrize(
    "text, encoding",
    [
        ("city,note\nlingwu,relevé à Montréal, côté été\n", "latin-1"),
        ("city,note\nZürich,Größe über naïve café\n", "cp1252"),
        ("城市,指標,數值\n靈武市,細顆粒物,35\n", "big5"),
        ("都市,指標\n東京,マイクログラム毎立方メートル\n", "shift_jis"),
    ],
)
def test_files_in_other_encodings_are_rejected_not_guessed(text, encoding):
    with pytest.raises(ue.Unusable) as err:
        text_encoding.decode(text.encode(encoding))
    assert [p.code for p in err.value.problems] == ["encoding"]


def test_a_rare_character_in_real_gbk_text_is_accepted():
    text = "城市,指标,月份,数值,单位,备注\r\n灵武市,PM2.5,2020年3月,35,微克/立方米,张喆填报\r\n"
    assert text_encoding.decode(text.encode("gbk")) == (text, "gbk")


@pytest.mark.parametrize(
    "cell, month",
    [
        ("2020-03", (2020, 3)),
        ("2020-3", (2020, 3)),
        ("2020/3", (2020, 3)),
        ("2020/03", (2020, 3)),
        ("2020.3", (2020, 3)),
        ("2020年3月", (2020, 3)),
        ("2020年03月", (2020, 3)),
        ("2020年3月份", (2020, 3)),
        ("２０２０年３月", (2020, 3)),
        ("202003", (2020, 3)),
        (202003, (2020, 3)),
        ("2020-03-01", (2020, 3)),
        ("2020/3/31", (2020, 3)),
        ("2020年3月1日", (2020, 3)),
        ("2020-03-01 00:00:00", (2020, 3)),
        (dt.datetime(2020, 3, 1), (2020, 3)),
        (dt.date(2020, 3, 15), (2020, 3)),
        (" 2020 / 12 ", (2020, 12)),
    ],
)
def test_period_spellings(cell, month):
    assert upload_read.parse_period(cell) == dt.date(*month, 1)


@pytest.mark.parametrize(
    "cell",
    ["2020-13", "2020-00", "2020-02-30", "三月", "2020", "20203", 2020.3, True, None, "1899-01", "03/2020"],
)
def test_unreadable_periods(cell):
    assert upload_read.parse_period(cell) is None


@pytest.mark.parametrize(
    "header, role",
    [
        ("城市", "city"),
        ("City", "city"),
        ("城市/city", "city"),
        ("城市 (city)", "city"),
        (" 指标名称 ", "indicator"),
        ("月份", "period"),
        ("period", "period"),
        ("数值", "value"),
        ("VALUE", "value"),
        ("单位", "unit"),
        ("备注", "note"),
        ("PM2.5(微克/立方米)", None),
        ("优良天数比例(%)", None),
    ],
)
def test_header_roles(header, role):
    assert upload_read.role_of(header) == role


@pytest.mark.parametrize(
    "header, split",
    [
        ("PM2.5(微克/立方米)", ("PM2.5", "微克/立方米")),
        ("优良天数比例(%)", ("优良天数比例", "%")),
        ("PM10（mg/m3）", ("PM10", "mg/m3")),
        (
            "地表水考核断面水质优良（达到或好于Ⅲ类）比例(%)",
            ("地表水考核断面水质优良（达到或好于Ⅲ类）比例", "%"),
        ),
        ("PM10", ("PM10", None)),
        ("PM10()", ("PM10()", None)),
    ],
)
def test_unit_in_a_wide_header(header, split):
    assert upload_read.split_header(header) == split


def test_wide_layout_gives_one_record_per_filled_cell():
    text = (
        "城市,月份,PM2.5(微克/立方米),PM10(微克/立方米),备注\n"
        "灵武市,2020-03,35,,站点\n\n南昌市,2020-04,-,50,\n"
    )
    table = upload_read.read(text.encode("utf-8"))
    assert table.layout == "wide" and table.header_row == 1
    records = table.records[["row", "city", "indicator", "value", "unit", "note"]].values.tolist()
    assert records == [
        [2, "灵武市", "PM2.5", "35", "微克/立方米", "站点"],
        [4, "南昌市", "PM10", "50", "微克/立方米", ""],
    ]


def test_rows_are_numbered_as_the_spreadsheet_shows_them():
    text = "\n\n城市,指标,月份,数值,单位\n灵武市,pm25,2020-03,35,ug/m3\n,,,,\n灵武市,pm25,2020-04,30,ug/m3\n"
    table = upload_read.read(text.encode("utf-8"))
    assert table.header_row == 3 and table.records["row"].tolist() == [4, 6]


def test_missing_columns_are_all_reported():
    with pytest.raises(ue.Unusable) as err:
        upload_read.read("城市,指标,数值\n灵武市,pm25,35\n".encode())
    assert [(p.code, p.row, p.column) for p in err.value.problems] == [
        ("missing_column", 1, "月份 period"),
        ("missing_column", 1, "单位 unit"),
    ]
