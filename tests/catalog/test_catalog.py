"""The declarative catalog: provenance against the seed plans, units, and validation of bad data."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
import yaml

from indicators import units
from indicators.catalog import load as cat
from indicators.paths import DATA_DIR, SEEDS_DIR

SEED_FILES = sorted(p.name for p in SEEDS_DIR.glob("*.txt"))


def test_the_five_seed_files_are_there():
    assert SEEDS_DIR == DATA_DIR / "plans", "the seed plans ship inside the repository"
    assert len(SEED_FILES) == 5, f"the five seed plan documents are missing from {SEEDS_DIR}"


def test_every_quote_occurs_verbatim_in_its_seed_file(catalog):
    texts = {name: (SEEDS_DIR / name).read_text(encoding="utf-8") for name in SEED_FILES}
    missing = [t.id for t in catalog.targets if t.quote not in texts[t.source_file]]
    assert missing == []


def test_every_seed_file_contributes_targets(catalog):
    contributing = {t.source_file for t in catalog.targets}
    assert contributing == set(SEED_FILES)


def test_every_city_has_targets_from_its_own_seed(catalog):
    by_city = {c.code: c.source_file for c in catalog.cities}
    assert {(t.city, t.source_file) for t in catalog.targets} == set(by_city.items())


def test_every_target_unit_converts_to_its_indicator_unit(catalog):
    for t in catalog.targets:
        ind = catalog.indicator(t.indicator)
        if t.comparator in cat.RELATIVE_COMPARATORS:
            assert units.is_percent(t.unit), t.id
        else:
            units.factor(t.unit, ind.unit)  # raises UnitError if not convertible


def test_known_targets_read_from_the_source_documents(catalog):
    """A few targets checked by hand against the seed text."""

    def find(city, indicator, deadline):
        hits = [
            t
            for t in catalog.targets
            if t.city == city and t.indicator == indicator and t.deadline == deadline
        ]
        assert hits, (city, indicator, deadline)
        return hits[0]

    # 常德: "PM2.5平均浓度降至49微克/立方米以下" in the 2017 work points
    pm = find("changde", "pm25", dt.date(2017, 12, 31))
    assert (pm.comparator, pm.value, pm.value_canonical) == ("<=", 49, 49)
    # 常德: "市城区剩下的9台…燃煤锅炉关闭或改烧任务3月底前必须结账" -> 9 by 2017-03-31
    boilers = find("changde", "urban_district_coal_boilers_closed", dt.date(2017, 3, 31))
    assert (boilers.comparator, boilers.value, boilers.responsible) == ("count_done", 9, ("污防科",))
    # 常德: "PM10年均浓度较2016年下降6%以上"
    pm10 = find("changde", "pm10", dt.date(2017, 12, 31))
    assert (pm10.comparator, pm10.value, pm10.baseline_year) == ("reduce_by", 6, 2016)
    # 灵武: "重点重金属污染物排放量较2013年下降5%"
    metals = find("lingwu", "heavy_metal_emissions", dt.date(2020, 12, 31))
    assert (metals.comparator, metals.value, metals.baseline_year) == ("reduce_by", 5, 2013)
    # 江津: "空气质量优良天数达到300天以上", "PM2.5年均浓度不高于40微克每立方米"
    assert find("jiangjin", "good_air_days", dt.date(2020, 12, 31)).value == 300
    assert find("jiangjin", "pm25", dt.date(2020, 12, 31)).value == 40


def test_interim_stages_are_separate_targets(catalog):
    liandu = [t for t in catalog.targets if t.city == "liandu" and t.indicator == "farmland_safe_use_rate"]
    assert {t.deadline.year for t in liandu} >= {2020, 2022}
    assert len({t.id for t in liandu}) == len(liandu)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2020", dt.date(2020, 12, 31)),
        ("2020-10", dt.date(2020, 10, 31)),
        ("2020-02", dt.date(2020, 2, 29)),  # leap year: 2020 is divisible by 4
        ("2019-02", dt.date(2019, 2, 28)),
        ("2017-05-30", dt.date(2017, 5, 30)),
    ],
)
def test_deadlines(text, expected):
    assert cat.parse_deadline(text) == expected


@pytest.mark.parametrize("bad", ["20", "2020/10", "2020年", "2020-13", ""])
def test_bad_deadlines_are_refused(bad):
    with pytest.raises(ValueError):
        cat.parse_deadline(bad)


# --- validation: each broken copy of data/ must fail with a specific, located problem ------------------


def _copy_data(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    return data


def _edit_first_target(data: Path, **changes: object) -> None:
    path = data / "targets" / "004_changde.yaml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    doc["targets"][0].update(changes)
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")


def _problems(data: Path) -> list[cat.Problem]:
    with pytest.raises(cat.CatalogInvalid) as info:
        cat.load(data)
    return info.value.problems


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"indicator": "no_such_indicator"}, "indicator", "unknown indicator"),
        ({"comparator": "=>"}, "comparator", "is not one of"),
        ({"unit": "万元"}, "unit", "cannot be converted"),
        ({"unit": "斤斤"}, "unit", "unknown unit"),
        ({"deadline": "2017年底"}, "deadline", "is not YYYY"),
        ({"quote": ""}, "quote", "missing"),
        ({"value": "eighty"}, "value", "is not a number"),
        ({"value": 180}, "value", "outside"),
        ({"comparator": "reduce_by", "baseline_year": None}, "baseline_year", "needs the baseline year"),
        ({"comparator": "growth_le", "unit": "微克/立方米"}, "unit", "is a percentage"),
        ({"responsible": "污防科"}, "responsible", "list"),
    ],
)
def test_a_broken_target_is_reported_with_its_file_item_and_field(tmp_path, changes, field, message):
    data = _copy_data(tmp_path)
    _edit_first_target(data, **changes)
    problems = _problems(data)
    assert [(p.file, p.field) for p in problems if message in p.message] == [
        ("targets/004_changde.yaml", field)
    ]


def test_every_problem_is_reported_at_once(tmp_path):
    data = _copy_data(tmp_path)
    _edit_first_target(data, indicator="nope", deadline="soon")
    ind_path = data / "indicators" / "core.yaml"
    inds = yaml.safe_load(ind_path.read_text(encoding="utf-8"))
    inds[0]["domain"] = "weather"
    inds[1]["unit"] = "bogus_unit"
    ind_path.write_text(yaml.safe_dump(inds, allow_unicode=True), encoding="utf-8")
    found = {(p.file, p.field) for p in _problems(data)}
    assert found >= {
        ("targets/004_changde.yaml", "deadline"),
        ("targets/004_changde.yaml", "indicator"),
        ("indicators/core.yaml", "domain"),
        ("indicators/core.yaml", "unit"),
    }


def test_duplicate_ids_and_aliases_are_refused(tmp_path):
    data = _copy_data(tmp_path)
    path = data / "targets" / "004_changde.yaml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    doc["targets"].append(dict(doc["targets"][0]))
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    ind_path = data / "indicators" / "core.yaml"
    inds = yaml.safe_load(ind_path.read_text(encoding="utf-8"))
    inds[1]["aliases"] = [*inds[1].get("aliases", []), inds[0]["aliases"][0]]
    ind_path.write_text(yaml.safe_dump(inds, allow_unicode=True), encoding="utf-8")
    messages = {(p.field, p.message) for p in _problems(data)}
    assert ("id", "duplicate") in messages
    assert ("name or alias", "duplicate") in messages


def test_unknown_city_in_a_target_file(tmp_path):
    data = _copy_data(tmp_path)
    path = data / "targets" / "003_jiangjin.yaml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    doc["city"] = "atlantis"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    assert any(p.field == "city" and "atlantis" in p.message for p in _problems(data))


def test_error_message_names_every_problem(tmp_path):
    data = _copy_data(tmp_path)
    _edit_first_target(data, comparator="=>")
    with pytest.raises(cat.CatalogInvalid, match=r"(?s)1 problem.*004_changde\.yaml.*comparator"):
        cat.load(data)
