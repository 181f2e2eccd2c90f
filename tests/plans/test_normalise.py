"""Normalisation for matching (Traditional, compatibility glyphs, Chinese numerals), quotes kept verbatim."""

from __future__ import annotations

import pytest

from indicators.plans.extract import extract_text
from indicators.plans.normalise import normalise

HEAD = "某市行動方案(2019-2020年)\n"


def test_every_normalised_character_points_back_to_its_original():
    original = "受污染耕地安全利用率達到百分之九十八以上，關閉十台燃煤鍋爐"
    n = normalise(original)
    assert n.text == "受污染耕地安全利用率达到98%以上,关闭10台燃煤锅炉"
    at = n.text.index("98%")
    assert n.original_text(at, at + 3) == "百分之九十八"
    at = n.text.index("10台")
    assert n.original_text(0, at + 3) == "受污染耕地安全利用率達到百分之九十八以上，關閉十台"


@pytest.mark.parametrize(
    ("original", "normal"),
    [
        ("⼟壤", "土壤"),  # U+2F1F KANGXI RADICAL EARTH
        ("ＰＭ２．５不高於４０微克／立方米", "PM2.5不高于40微克/立方米"),  # full-width forms, Traditional
        ("三千座", "3000座"),
        ("一万二千亩", "12000亩"),
        ("百分之九十五点五", "95.5%"),
        # numerals that do not count anything stay as they are
        ("十三五规划", "十三五规划"),
        ("进一步统一", "进一步统一"),
        ("作为一项专题", "作为一项专题"),
        ("第一个", "第一个"),
    ],
)
def test_normal_forms(original, normal):
    assert normalise(original).text == normal


def test_a_traditional_plan_gives_simplified_matches_and_traditional_quotes(catalog):
    text = (
        HEAD + "到2020年，受污染耕地安全利用率達到百分之九十八以上；細顆粒物年均濃度不高於三十五微克/立方米。"
    )
    farmland, pm25 = extract_text(text, catalog.indicators)
    assert (farmland.indicator, farmland.comparator, farmland.value) == ("farmland_safe_use_rate", ">=", 98)
    assert farmland.quote == "到2020年，受污染耕地安全利用率達到百分之九十八以上"
    assert (pm25.indicator, pm25.comparator, pm25.value) == ("pm25", "<=", 35)
    assert pm25.quote == "細顆粒物年均濃度不高於三十五微克/立方米"
    assert text[pm25.start : pm25.end] == pm25.quote


def test_chinese_numeral_counts(catalog):
    (c,) = extract_text(HEAD + "2019年底前關閉十台燃煤鍋爐。", catalog.indicators)
    assert (c.comparator, c.value, c.unit, c.deadline, c.quote) == (
        "count_done",
        10,
        "台",
        "2019-12-31",
        "2019年底前關閉十台燃煤鍋爐",
    )
