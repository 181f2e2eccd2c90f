"""The extractor's rules, one sentence each, expected values worked out by hand from the sentence."""

from __future__ import annotations

import pytest

from indicators.plans.extract import Candidate, extract_text

# A yearly work plan: a bare month ("3月底前") belongs to its year.
YEARLY = "2017年某市环境保护工作要点\n"
# A plan with a horizon: a clause without a year belongs to the horizon's end.
HORIZON = "某市推进净土保卫战行动方案(2019-2020年)\n"


def found(text: str, catalog, head: str = HORIZON) -> list[Candidate]:
    return extract_text(head + text, catalog.indicators)


def one(text: str, catalog, head: str = HORIZON) -> Candidate:
    candidates = found(text, catalog, head)
    assert len(candidates) == 1, [(c.quote, c.comparator, c.value) for c in candidates]
    return candidates[0]


@pytest.mark.parametrize(
    ("sentence", "comparator", "value", "unit"),
    [
        ("到2020年,受污染耕地安全利用率达到98%以上。", ">=", 98, "%"),
        ("污染地块安全利用率不低于90%。", ">=", 90, "%"),
        ("全区森林覆盖率稳定在76%以上。", ">=", 76, "%"),
        ("PM2.5年均浓度不高于40微克每立方米。", "<=", 40, "微克/立方米"),
        ("PM2.5平均浓度降至49微克/立方米以下。", "<=", 49, "微克/立方米"),
        ("细颗粒物年均浓度控制在35微克/立方米以内。", "<=", 35, "微克/立方米"),
        # "reach" a level of a lower-is-better indicator is at most (polarity decides)
        ("到2020年,PM2.5年均浓度达到33微克/立方米。", "<=", 33, "微克/立方米"),
        ("受污染耕地安全利用率达到95%左右。", "~", 95, "%"),
        ("能源消耗总量年均增长不超过2.6%。", "growth_le", 2.6, "%"),
        ("化肥用量每年同比下降5%。", "yoy_reduce_by", 5, "%"),
        ("完成293家规模餐饮企业油烟治理任务。", "count_done", 293, "家"),
        ("淘汰、治理柴油车不少于300辆。", "count_done", 300, "辆"),
        ("空气质量优良天数达到300天以上。", ">=", 300, "天"),
        ("天然气消费总量达到7500万立方米。", ">=", 7500, "万立方米"),
        ("农田灌溉水有效利用系数达到0.525。", ">=", 0.525, "dimensionless"),
    ],
)
def test_comparator_value_and_unit_as_written(catalog, sentence, comparator, value, unit):
    c = one(sentence, catalog)
    assert (c.comparator, c.value, c.unit) == (comparator, value, unit)


def test_reduce_by_names_its_baseline_year(catalog):
    c = one("到2020年,重点行业的重点重金属污染物排放量较2013年下降5%。", catalog)
    assert (c.comparator, c.value, c.baseline_year, c.baseline_value) == ("reduce_by", 5, 2013, None)
    c = one("单位GDP能耗在2015年基础上下降15.5%。", catalog)
    assert (c.comparator, c.value, c.baseline_year) == ("reduce_by", 15.5, 2015)


def test_from_to_states_the_baseline_value(catalog):
    c = one("PM2.5年均浓度由2015年的45微克/立方米下降到35微克/立方米。", catalog)
    assert (c.comparator, c.value, c.baseline_year, c.baseline_value) == ("<=", 35, 2015, 45)


@pytest.mark.parametrize(
    ("sentence", "deadline"),
    [
        ("2020年6月底前,全市完成耕地土壤环境质量类别划定,划定率达到100%。", "2020-06-30"),
        ("到2020年,污染地块安全利用率不低于90%。", "2020-12-31"),
        ("2019年7月31日前,完成10家企业整治。", "2019-07-31"),
        ("2019年上半年,完成10家企业整治。", "2019-06-30"),
        ("污染地块安全利用率不低于90%。", "2020-12-31"),  # no year: the horizon's end
        ("到“十四五”末,森林覆盖率达到50%。", "2025-12-31"),
    ],
)
def test_deadlines(catalog, sentence, deadline):
    assert one(sentence, catalog).deadline == deadline


def test_a_bare_month_in_a_yearly_plan_is_that_years_month(catalog):
    c = one("市城区剩下的9台燃煤锅炉关闭任务3月底前必须完成。", catalog, YEARLY)
    assert (c.comparator, c.value, c.unit, c.deadline, c.stage) == (
        "count_done",
        9,
        "台",
        "2017-03-31",
        "2017",
    )


def test_a_quarter_in_a_yearly_plan_and_a_five_year_plan_title(catalog):
    c = one("一季度末前完成10家企业整治。", catalog, YEARLY)
    assert (c.comparator, c.value, c.deadline) == ("count_done", 10, "2017-03-31")
    c = one("森林覆盖率达到50%。", catalog, "某市“十四五”生态环境保护规划\n")
    assert (c.indicator, c.deadline) == ("forest_coverage", "2025-12-31")


def test_a_deadline_after_the_value_in_the_same_sentence(catalog):
    c = one("12家粘土砖瓦厂淘汰任务,2018年底前必须完成。", catalog)
    assert (c.value, c.deadline) == (12, "2018-12-31")


def test_enumerated_values_are_one_candidate_each_with_their_own_indicator(catalog):
    found_ = found(
        "可吸入颗粒物(PM10)、细颗粒物(PM2.5)年均浓度分别达到80微克/立方米、33微克/立方米。", catalog
    )
    assert [(c.indicator, c.comparator, c.value) for c in found_] == [("pm10", "<=", 80), ("pm25", "<=", 33)]
    assert found_[0].quote == found_[1].quote


def test_one_value_shared_by_two_subjects(catalog):
    found_ = found("污染地块安全利用率和受污染耕地安全利用率均达到93%以上。", catalog)
    assert sorted(c.indicator for c in found_) == [
        "contaminated_land_safe_use_rate",
        "farmland_safe_use_rate",
    ]
    assert {c.value for c in found_} == {93}


@pytest.mark.parametrize(
    ("sentence", "comparator", "value", "unit"),
    [
        ("2020年,城市建成区黑臭水体全面消除。", "<=", 0, "个"),
        ("不发生较大突发环境事件。", "<=", 0, "件"),
        ("2020年全面淘汰10蒸吨/小时以下燃煤锅炉。", "<=", 0, "台"),
        ("禁养区畜禽养殖场全部退出。", "<=", 0, "家"),
        ("实现固定污染源排污许可全覆盖。", ">=", 100, "%"),
        ("城市集中式饮用水水源水质达到或优于Ⅲ类。", ">=", 100, "%"),
    ],
)
def test_all_or_none_wording(catalog, sentence, comparator, value, unit):
    c = one(sentence, catalog)
    assert (c.comparator, c.value, c.unit) == (comparator, value, unit)


@pytest.mark.parametrize(
    "sentence",
    [
        "建筑工地全面落实“六个100%”的扬尘防控措施。",  # a slogan that holds a number
        "完成受污染耕地安全利用、治理与修复等3项指标任务。",  # an enumeration
        "不再新建20蒸吨/小时以下的燃煤锅炉。",  # a scope threshold in a standing rule
        "到2020年,黑臭水体基本消除。",  # a qualitative aim
        "根据《关于印发方案的通知》(银党办〔2019〕89号)制定本方案。",  # a document number
        "2019年7月5日",  # a date
        "截至2018年11月底,交办信访件257件,销号167件,销号率65%。",  # the past
        "文港镇20多家制笔喷涂企业仍存在废气处理设施不够完善的问题。",  # an approximate description
        "严格落实中央八项规定精神。",  # a name with a numeral
        "至少每月研究一次生态环境保护工作。",  # a standing rule
        "基本完成常住人口1000人以上的农村居民聚居点污水处理设施建设。",  # scope + qualitative
        "2020年是全面建成小康社会和十三五规划收官之年。",  # a fixed phrase
    ],
)
def test_not_targets(catalog, sentence):
    assert found(sentence, catalog) == []


def test_responsible_and_cooperating_lines_after_the_item(catalog):
    text = (
        "(三)推进污染耕地安全利用\n"
        "2020年,受污染耕地安全利用率达到98%以上。\n"
        "责任单位:市农业农村局\n"
        "配合单位:市自然资源局、发改局、各县(区)人民政府\n"
    )
    c = one(text, catalog)
    assert c.responsible == ["市农业农村局"]
    assert c.cooperating == ["市自然资源局", "发改局", "各县(区)人民政府"]


def test_lead_notes_in_brackets_and_headings_close_an_item(catalog):
    text = (
        "一、主要目标\n森林覆盖率达到45%。\n"
        "二、重点工作\n(1)完成43座加油站油气回收治理。(污防科牵头,减排办配合)\n"
        "(2)完成10座污水处理厂提质改造(责任单位:市住建局、市水务局)。\n"
        "(3)建成5个垃圾分类示范小区(市住建局、市城管局按职责分工负责)。\n"
    )
    forest, stations, plants, communities = found(text, catalog)
    assert communities.responsible == ["市住建局", "市城管局"]
    assert (forest.responsible, forest.cooperating) == ([], [])  # a heading came before any note
    assert (stations.responsible, stations.cooperating) == (["污防科"], ["减排办"])
    assert (plants.value, plants.responsible) == (10, ["市住建局", "市水务局"])


def test_indicator_mapped_by_alias_or_proposed(catalog):
    mapped = one("细颗粒物浓度不高于35微克/立方米。", catalog)
    assert mapped.indicator == "pm25"
    new = one("工业固体废物综合利用率达到92%。", catalog)
    assert new.indicator is None
    assert new.proposed_indicator == {
        "name_zh": "工业固体废物综合利用率",
        "unit": "%",
        "polarity": "higher",
        "aggregation": "level",
    }
    assert 0 < new.confidence < mapped.confidence <= 1


def test_an_indicator_table_gives_one_target_per_row(catalog):
    text = (
        "某市生态环境保护规划\n"
        "序号\t指标\t2020年\t2025年\t属性\n"
        "1\t细颗粒物(PM2.5)浓度(微克/立方米)\t35\t30\t约束性\n"
        "2\t空气质量优良天数比率(%)\t87.5\t≥90\t约束性\n"
        "3\t单位GDP二氧化碳排放降低(%)\t—\t[18]\t约束性\n"
    )
    pm25, days, carbon = found(text, catalog, head="")
    assert (pm25.indicator, pm25.comparator, pm25.value, pm25.unit) == ("pm25", "<=", 30, "微克/立方米")
    assert (pm25.deadline, pm25.baseline_year, pm25.baseline_value) == ("2025-12-31", 2020, 35)
    assert pm25.quote == "1\t细颗粒物(PM2.5)浓度(微克/立方米)\t35\t30\t约束性"
    assert (days.indicator, days.comparator, days.value) == ("good_air_days_ratio", ">=", 90)
    assert (carbon.comparator, carbon.value, carbon.baseline_year, carbon.baseline_value) == (
        "reduce_by",
        18,
        2020,
        None,
    )
    assert carbon.proposed_indicator["name_zh"] == "单位GDP二氧化碳排放降低"
