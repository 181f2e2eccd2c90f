"""The extraction benchmark's matching, and the seed documents' quality kept from sliding back."""

from __future__ import annotations

from benchmarks import extraction


def test_the_seed_plans_meet_the_goals(catalog):
    r = extraction.evaluate(catalog)
    assert r["targets"] == len(catalog.targets)
    assert r["recall"] >= 0.9 and r["precision"] >= 0.85, (r["recall"], r["precision"])


def test_a_candidate_is_found_by_value_and_overlapping_quote(catalog):
    t = next(t for t in catalog.targets if t.id == "changde-urban-coal-boilers-9-2017")
    from indicators.plans.extract import Candidate

    def candidate(value, quote, start, end):
        return Candidate(
            quote, "count_done", value, "台", "2017-03-31", None, None, "2017", None, {}, start=start, end=end
        )

    text = "前文。" + t.quote + "。"
    at = text.index(t.quote)
    assert extraction._same_place(text, t, candidate(9, t.quote[5:20], at + 5, at + 20))
    assert not extraction._same_place(text, t, candidate(9, "前文", 0, 2))
    checks = extraction.field_checks(t, candidate(9, t.quote, at, at + len(t.quote)))
    assert checks == {
        "comparator": True,
        "unit": True,
        "deadline": True,
        "baseline": True,
        "responsible": False,  # the candidate names nobody; the catalog names 污防科
        "cooperating": True,
        "indicator": False,
    }
