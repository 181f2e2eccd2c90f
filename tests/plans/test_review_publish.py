"""Review and publish of an imported plan, cities and indicators added (issue 15 items 2-3), one
commitment shown once (item 5): each rule on a real store with the real migrations."""

from __future__ import annotations

import pandas as pd
import pytest

from indicators import store
from indicators.accounts.actor import Actor
from indicators.catalog import additions
from indicators.catalog import load as cat
from indicators.catalog.commitments import merge_restated
from indicators.errors import CatalogInvalid, NotPermitted, PlanRefused
from indicators.plans import review, service
from indicators.store import db

ADMIN = Actor("chief", None, "admin")
STAFF = Actor("clerk", frozenset({"xingqing"}), "staff")
PLAN = """银川市兴庆区2021年大气污染防治工作方案
到2021年底，细颗粒物（PM2.5）年均浓度控制在35微克/立方米以下，优良天数比例达到80%以上。（区生态环境局牵头）
2021年6月底前，完成12家餐饮企业油烟治理。
城市生活污水集中处理率达到95%以上。
"""
CITY = {
    "code": "xingqing",
    "name_zh": "兴庆区",
    "name_en": "Xingqing",
    "province_zh": "宁夏回族自治区",
    "province_en": "Ningxia",
    "level": "district",
    "source_file": "test",
    "aliases": ["兴庆"],
}


@pytest.fixture
def imported(tmp_path):
    path = tmp_path / "plans.duckdb"
    additions.add_city(path, ADMIN, CITY)
    done = service.import_plan(path, PLAN.encode("utf-8"), "兴庆.txt", "兴庆", ADMIN)
    assert done.candidates == 4  # PM2.5, good days, 12 catering businesses, sewage treatment
    return path, done.plan_id


def _codes(con, action):  # type: ignore[no-untyped-def]
    return [
        r[0]
        for r in con.execute(
            "SELECT subject FROM audit_log WHERE action = ? ORDER BY id", [action]
        ).fetchall()
    ]


def test_publish_turns_accepted_candidates_into_targets_with_provenance(imported):
    path, plan_id = imported
    review.review(path, ADMIN, plan_id, 1, "accepted")
    review.review(
        path, ADMIN, plan_id, 2, "accepted", {"responsible": review.parse_edit("responsible", "甲局、乙局")}
    )
    review.review(path, ADMIN, plan_id, 3, "accepted", {"value": review.parse_edit("value", "15")})
    review.review(path, ADMIN, plan_id, 4, "rejected")
    ids = review.publish(path, ADMIN, plan_id)
    assert ids == [f"xingqing-plan{plan_id}-1", f"xingqing-plan{plan_id}-2", f"xingqing-plan{plan_id}-3"]
    with db.connect(path, read_only=True) as con:
        targets = store.targets_frame(con, "xingqing").set_index("id")
        where = store.published_target(con, ids[2])
        assert _codes(con, "plan_publish") == [f"plan {plan_id}"]
        assert len(_codes(con, "plan_review")) == 4
    assert list(targets.loc[ids[1], "responsible"]) == ["甲局", "乙局"]
    assert targets.loc[ids[2], "value"] == 15 and targets.loc[ids[2], "comparator"] == "count_done"
    assert targets.loc[ids[2], "quote"] == "2021年6月底前，完成12家餐饮企业油烟治理"
    assert pd.Timestamp(targets.loc[ids[2], "deadline"]).date().isoformat() == "2021-06-30"
    assert PLAN[where["quote_start"] : where["quote_end"]] == "2021年6月底前，完成12家餐饮企业油烟治理"
    assert where["file_name"] == "兴庆.txt" and where["n"] == 3


def test_publish_is_refused_twice_and_with_undecided_candidates(imported):
    path, plan_id = imported
    review.review(path, ADMIN, plan_id, 1, "accepted")
    with pytest.raises(PlanRefused) as unresolved:
        review.publish(path, ADMIN, plan_id)
    assert unresolved.value.code == "plan_unresolved" and "2、3、4" in unresolved.value.message_zh
    for n in (2, 3, 4):
        review.review(path, ADMIN, plan_id, n, "rejected")
    review.publish(path, ADMIN, plan_id)
    with pytest.raises(PlanRefused) as twice:
        review.publish(path, ADMIN, plan_id)
    assert twice.value.code == "plan_published" and twice.value.message_en
    with pytest.raises(PlanRefused) as late:
        review.review(path, ADMIN, plan_id, 2, "accepted")
    assert late.value.code == "plan_published"


def test_an_accepted_candidate_is_checked_as_a_catalog_target_and_nothing_is_written(imported):
    path, plan_id = imported
    # PM2.5 of 5000 µg/m³ lies outside the indicator's valid range: the same problem the YAML load lists
    with pytest.raises(CatalogInvalid) as bad:
        review.review(path, ADMIN, plan_id, 1, "accepted", {"value": 5000.0})
    assert [p.field for p in bad.value.problems] == ["value"]
    with pytest.raises(PlanRefused) as field:
        review.parse_edit("quote", "another clause")  # the clause stays verbatim
    assert field.value.code == "review_invalid"
    with db.connect(path, read_only=True) as con:
        assert store.latest_reviews(con, plan_id) == {}


def test_only_administrators_review_publish_and_add(imported):
    path, plan_id = imported
    with pytest.raises(NotPermitted):
        review.review(path, STAFF, plan_id, 1, "accepted")
    with pytest.raises(NotPermitted):
        review.publish(path, STAFF, plan_id)
    with pytest.raises(NotPermitted):
        additions.add_indicator(path, STAFF, {})


def test_the_same_document_imported_twice_is_recognised(imported):
    path, plan_id = imported
    again = service.import_plan(path, PLAN.encode("utf-8"), "another-name.txt", "兴庆区", ADMIN)
    assert again.already and again.plan_id == plan_id
    assert len(service.plan_list(path)) == 1


def test_a_city_is_checked_as_cities_yaml_is_with_every_problem(imported):
    path, _ = imported
    with pytest.raises(CatalogInvalid) as bad:
        additions.add_city(
            path, ADMIN, {"code": "Bad", "name_zh": "灵武市", "level": "town", "source_file": "x"}
        )
    fields = sorted(p.field for p in bad.value.problems)
    # not snake case, 3 missing names, an unknown level, and 灵武市 named twice (as name_zh and as a name)
    assert fields == ["code", "level", "name or alias", "name_en", "name_zh", "province_en", "province_zh"]


def test_added_items_and_published_targets_outlive_a_reload_of_the_catalog(imported):
    path, plan_id = imported
    additions.add_indicator(
        path,
        ADMIN,
        {
            "code": "sewage_collection_rate",
            "name_zh": "污水集中收集率",
            "name_en": "Sewage collection rate",
            "domain": "water",
            "unit": "%",
            "polarity": "higher",
            "aggregation": "level",
            "valid_min": 0,
            "valid_max": 100,
        },
    )
    review.review(path, ADMIN, plan_id, 4, "accepted", None, "sewage_collection_rate")
    for n in (1, 2, 3):
        review.review(path, ADMIN, plan_id, n, "rejected")
    review.publish(path, ADMIN, plan_id)
    catalog = cat.load()
    catalog.targets = catalog.targets[1:]  # another catalog: the catalog tables are replaced
    store.init(path, catalog)
    with db.connect(path, read_only=True) as con:
        targets = store.targets_frame(con, "xingqing")
        assert store.resolve_city(con, "兴庆") == "xingqing"
    assert list(targets["indicator"]) == ["sewage_collection_rate"]


def test_a_restated_commitment_is_one_target_with_every_clause_and_the_union_of_units():
    rows = [
        ("a", "x", "pm25", "<=", 35.0, "2020-12-31", None, "plan 1", "到2020年PM2.5不高于35", ["甲"], ["乙"]),
        (
            "b",
            "x",
            "pm25",
            "<=",
            35.0,
            "2020-12-31",
            None,
            "plan 2",
            "PM2.5控制在35以下",
            ["丙", "甲"],
            ["丁"],
        ),
        ("c", "x", "pm25", "<=", 35.0, "2019-12-31", None, "plan 2", "2019年PM2.5控制在35以下", [], []),
    ]
    frame = pd.DataFrame(
        rows,
        columns=[
            "id",
            "city",
            "indicator",
            "comparator",
            "value_canonical",
            "deadline",
            "baseline_year",
            "plan_title_zh",
            "quote",
            "responsible",
            "cooperating",
        ],
    ).assign(source_file="f.txt")
    merged = merge_restated(frame)
    assert list(merged["id"]) == ["a", "c"]  # another deadline is another commitment
    assert list(merged.loc[0, "responsible"]) == ["甲", "丙"] and list(merged.loc[0, "cooperating"]) == [
        "乙",
        "丁",
    ]
    assert [m["quote"] for m in merged.loc[0, "restated"]] == ["PM2.5控制在35以下"]
    assert merged.loc[1, "restated"] is None
