"""Validation of every fixture: each good file gives the same hand-computed values, each bad file exactly its
one typed error at its row and column. Real catalog, names read from a real DuckDB file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import FIXTURES

from indicators import store
from indicators.accounts.actor import Actor
from indicators.ingest import errors as ue
from indicators.ingest import validate as ingest
from indicators.ingest.names import Lookup
from indicators.store import db

UPLOADS = FIXTURES / "uploads"
TODAY = dt.date(2026, 11, 23)
EVERYONE = Actor("tester")
LINGWU_STAFF = Actor("灵武填报员", frozenset({"lingwu"}))

# Hand-computed: 0.035 毫克/立方米 = 35 微克/立方米; 0.062 mg/m3 = 62 µg/m³; 0.041 mg = 41 µg; 87.1 % stays.
EXPECTED = [
    ("lingwu", "good_air_days_ratio", "2020-03", 87.1),
    ("lingwu", "pm10", "2020-03", 62.0),
    ("lingwu", "pm25", "2020-03", 35.0),
    ("lingwu", "pm25", "2020-04", 28.0),
    ("nanchang", "pm25", "2020-03", 41.0),
]
GOOD = {
    "long_utf8.csv": ("long", "utf-8"),
    "long_utf8_bom_en.csv": ("long", "utf-8-sig"),
    "long_gbk_excel.csv": ("long", "gbk"),
    "long_gb18030.csv": ("long", "gb18030"),
    "long_utf16.txt": ("long", "utf-16"),
    "long.xlsx": ("long", None),
    "wide.xlsx": ("wide", None),
    "named_sheet.xlsx": ("long", None),
    "wide_units.csv": ("wide", "utf-8"),
}
SHEETS = {"named_sheet.xlsx": "2020年数据", "sheet_not_found.xlsx": "不存在"}
# bad file -> the errors it must give, as (code, row, column)
BAD = {
    "encoding.csv": [("encoding", None, None)],
    "unsupported_format.xls": [("unsupported_format", None, None)],
    "unreadable.xlsx": [("unreadable", None, None)],
    "sheet_not_found.xlsx": [("sheet_not_found", None, None)],
    "empty_file.csv": [("empty_file", None, None)],
    "missing_column.csv": [("missing_column", 1, "单位 unit")],
    "missing_value.csv": [("missing_value", 3, "数值")],
    "unknown_city.csv": [("unknown_city", 3, "城市")],
    "not_permitted.csv": [("not_permitted", 3, "城市")],
    "unknown_indicator.csv": [("unknown_indicator", 3, "指标")],
    "missing_unit.csv": [("missing_unit", 3, "单位")],
    "unknown_unit.csv": [("unknown_unit", 3, "单位")],
    "incompatible_unit.csv": [("incompatible_unit", 3, "单位")],
    "not_a_number.csv": [("not_a_number", 3, "数值")],
    "out_of_range.csv": [("out_of_range", 3, "数值")],
    "bad_period.csv": [("bad_period", 3, "月份")],
    "future_period.csv": [("future_period", 3, "月份")],
    "duplicate.csv": [("duplicate", 2, "数值"), ("duplicate", 4, "数值")],
    "duplicate_column.csv": [("duplicate_column", 1, "value")],
    "extra_cells.csv": [("extra_cells", 3, None)],
    "cell_too_long.csv": [("cell_too_long", None, None)],
    "too_large.xlsx": [("too_large", None, None)],
    "wide_missing_unit.csv": [("missing_unit", 1, "PM10")],
    "wide_unknown_indicator.csv": [("unknown_indicator", 1, "臭氧(微克/立方米)")],
    # issue 12: counts sent as running totals (口径 累计)
    "bad_basis.csv": [("bad_basis", 3, "数值")],
    "basis_not_count.csv": [("basis_not_count", 3, "数值")],
    "cumulative_decrease.csv": [("cumulative_decrease", 3, "数值")],
    # issue 12: day counts (有效天数, 优良天数, good/valid)
    "bad_days.csv": [("bad_days", 3, "数值")],
    "valid_days_over_month.csv": [("valid_days_over_month", 3, "数值")],  # April has 30 days
    "good_over_valid.csv": [("good_over_valid", 3, "数值")],
    "good_days_without_valid.csv": [("good_days_without_valid", 3, "数值")],
    "good_days_not_ratio.csv": [("good_days_not_ratio", 3, "数值")],
    "good_days_mismatch.csv": [("good_days_mismatch", 3, "数值")],  # 21/29 = 72.41 %, not 50
    "good_days_wide.csv": [("good_days_wide", 1, "优良天数")],
}


@pytest.fixture(scope="module")
def names(tmp_path_factory) -> Lookup:
    path = tmp_path_factory.mktemp("names") / "names.duckdb"
    store.init(path)
    with db.connect(path, read_only=True) as con:
        return Lookup(*store.name_frames(con))


def check(folder: str, name: str, names: Lookup, actor: Actor = EVERYONE) -> ingest.Report:
    data = (UPLOADS / folder / name).read_bytes()
    return ingest.check(data, name, names, actor, TODAY, SHEETS.get(name))


def values(report: ingest.Report) -> list[tuple[str, str, str, float]]:
    a = report.accepted
    return sorted(
        (c, i, p.strftime("%Y-%m"), round(v, 9))
        for c, i, p, v in zip(a.city, a.indicator, a.period, a.value, strict=True)
    )


def test_every_fixture_is_covered_and_every_error_code_has_a_bad_file():
    assert {p.name for p in (UPLOADS / "good").iterdir()} == set(GOOD) | {"periods.csv"}
    assert {p.name for p in (UPLOADS / "bad").iterdir()} == set(BAD)
    assert {code for errors in BAD.values() for code, _, _ in errors} == set(ue.MESSAGES)


@pytest.mark.parametrize("name", GOOD)
def test_good_file_gives_the_hand_computed_values(names, name):
    report = check("good", name, names)
    assert report.errors == [] and report.rejected == 0
    assert (report.layout, report.encoding) == GOOD[name]
    assert values(report) == EXPECTED


def test_gbk_file_exported_the_way_excel_does_round_trips(names):
    report = check("good", "long_gbk_excel.csv", names)
    row = report.accepted[report.accepted.row == 2].iloc[0]
    assert (row.city, row.indicator, row.note) == ("lingwu", "pm25", "市环境监测站")
    # the value as written and its unit are kept beside the converted one
    assert row.original_value == 0.035 and row.original_unit == "毫克/立方米"
    assert row.value == pytest.approx(35.0, rel=1e-12)


def test_gb18030_characters_outside_gbk_survive(names):
    report = check("good", "long_gb18030.csv", names)
    row = report.accepted[report.accepted.row == 2].iloc[0]
    assert row.note == "填报人 𠮷" and row.original_unit == "µg/m³"


def test_every_period_spelling(names):
    report = check("good", "periods.csv", names)
    assert report.errors == []
    assert values(report) == [("lingwu", "pm25", f"2019-{m:02d}", float(m)) for m in range(1, 13)]


@pytest.mark.parametrize("name", BAD)
def test_bad_file_gives_its_one_error(names, name):
    actor = LINGWU_STAFF if name == "not_permitted.csv" else EVERYONE
    report = check("bad", name, names, actor)
    assert [(e.code, e.row, e.column) for e in report.errors] == BAD[name]
    assert all(e.message_zh and e.message_en for e in report.errors)
    assert report.fatal == (BAD[name][0][0] in ue.FATAL)
    if not report.fatal:  # the file's other row is valid and accepted
        assert len(report.accepted) == 1 and report.accepted.iloc[0].row != BAD[name][0][1]


def test_messages_name_the_problem(names):
    report = check("bad", "out_of_range.csv", names)
    assert report.errors[0].message_zh == "120 % 超出空气质量优良天数比例的有效范围 [0, 100]"
    assert report.errors[0].message_en == (
        "120 % is outside the valid range of Share of days with good air quality [0, 100]"
    )
    assert check("bad", "duplicate.csv", names).errors[0].message_en.endswith("rows 2, 4")


def test_every_problem_of_a_row_is_reported_in_one_pass(names):
    text = "城市,指标,月份,数值,单位\n亚特兰蒂斯,臭氧,2020-13,abc,斤\n灵武市,pm25,2020-03,-5,ug/m3\n"
    report = ingest.check(text.encode(), "x.csv", names, EVERYONE, TODAY)
    assert [(e.code, e.row, e.column) for e in report.errors] == [
        ("unknown_city", 2, "城市"),
        ("unknown_indicator", 2, "指标"),
        ("bad_period", 2, "月份"),
        ("not_a_number", 2, "数值"),
        ("out_of_range", 3, "数值"),  # a negative concentration
    ]
    assert report.rejected == 2 and report.accepted.empty


def test_actor_for_lingwu_with_a_nanchang_row(names):
    report = check("bad", "not_permitted.csv", names, LINGWU_STAFF)
    assert report.errors[0].message_zh == "灵武填报员 无权上报南昌市的数据"
    assert set(report.accepted.city) == {"lingwu"}
    assert check("bad", "not_permitted.csv", names, EVERYONE).errors == []


def test_units_convert_whole_column_keeping_what_was_written(names):
    text = "城市,指标,月份,数值,单位\n" + "".join(
        f"灵武市,pm25,2020-{m:02d},{v},{u}\n"
        for m, v, u in [
            (1, 0.05, "毫克/立方米"),
            (2, 0.04, "mg/m3"),
            (3, 45, "μg/m³"),
            (4, 0.03, "毫克每立方米"),
        ]
    )
    report = ingest.check(text.encode(), "x.csv", names, EVERYONE, TODAY)
    a = report.accepted
    # hand-computed: 1 毫克/立方米 = 1000 微克/立方米
    assert a.value.round(9).tolist() == [50.0, 40.0, 45.0, 30.0]
    assert a.original_value.tolist() == [0.05, 0.04, 45.0, 0.03]
    assert a.original_unit.tolist() == ["毫克/立方米", "mg/m3", "μg/m³", "毫克每立方米"]


def test_area_in_hectares_converts_to_wan_mu(names):
    text = "城市,指标,月份,数值,单位\n灵武市,高效节水灌溉面积,2020-03,1500,公顷\n"
    report = ingest.check(text.encode(), "x.csv", names, EVERYONE, TODAY)
    # hand-computed: 1500 公顷 = 15,000,000 m² = 22,500 亩 = 2.25 万亩
    assert report.errors == [] and report.accepted.value.round(9).tolist() == [2.25]


def test_a_unitless_coefficient_needs_no_unit(names):
    text = "城市,月份,农田灌溉水有效利用系数\n灵武市,2020-03,0.55\n"
    report = ingest.check(text.encode(), "x.csv", names, EVERYONE, TODAY)
    assert report.errors == [] and report.accepted.value.tolist() == [0.55]


def test_the_current_month_is_not_future_but_next_month_is(names):
    text = "城市,指标,月份,数值,单位\n灵武市,pm25,2026-11,30,ug/m3\n灵武市,pm25,2026-12,30,ug/m3\n"
    report = ingest.check(text.encode(), "x.csv", names, EVERYONE, TODAY)
    assert [(e.code, e.row) for e in report.errors] == [("future_period", 3)]


def test_content_hash_and_file_name_are_kept(names):
    report = check("good", "long_utf8.csv", names)
    assert report.file_name == "long_utf8.csv" and len(report.content_sha) == 64


def test_fixture_script_reproduces_the_committed_files(tmp_path, monkeypatch):
    import make_uploads  # type: ignore[import-not-found]

    monkeypatch.setattr(make_uploads, "HERE", tmp_path)
    for written in make_uploads.write():
        committed = UPLOADS / written.relative_to(tmp_path)
        assert written.read_bytes() == committed.read_bytes(), committed.name


@pytest.fixture(autouse=True)
def _fixture_script_importable(monkeypatch):
    monkeypatch.syspath_prepend(str(Path(FIXTURES)))


def test_names_resolve_by_code_name_or_alias(names):
    spellings = ["pm25", "PM2.5", "细颗粒物", "PM2.5年均浓度", "ＰＭ２．５"]
    spellings += ["pm2.5 annual mean concentration"]
    for text in spellings:
        assert names.indicator(text) == "pm25", text
    for text in ["lingwu", "灵武市", "灵武", "Lingwu", "lingwu city", " 灵 武 市 "]:
        assert names.city(text) == "lingwu", text
    assert names.city("Atlantis") is None and names.indicator("") is None
    assert names.ambiguous_cities == set() and names.ambiguous_indicators == set()


def test_a_city_alias_naming_two_cities_is_a_catalog_problem(tmp_path):
    import shutil

    from indicators.catalog import load as cat
    from indicators.paths import DATA_DIR

    shutil.copytree(DATA_DIR, tmp_path / "data")
    cities = tmp_path / "data" / "cities.yaml"
    text = cities.read_text(encoding="utf-8").replace("[南昌, Nanchang City]", "[南昌, 灵武]")
    cities.write_text(text, encoding="utf-8")
    with pytest.raises(cat.CatalogInvalid) as err:
        cat.load(tmp_path / "data")
    assert [(p.item, p.field) for p in err.value.problems] == [("灵武", "name or alias")]
