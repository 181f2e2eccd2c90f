"""Roll-ups: counts per status, the worst status and the share met or on schedule, computed by hand."""

import pandas as pd

from indicators.status.rollup import by_department, rollup


def frame() -> pd.DataFrame:
    rows = [
        ("a", "air", "met", ["环保局"], []),
        ("a", "air", "lagging", ["环保局"], ["住建局"]),
        ("a", "water", "no_data", ["水务局"], []),
        ("b", "air", "on_schedule", ["环保局"], []),
        ("b", "air", "missed", [], ["环保局"]),
        ("c", "soil", "no_data", ["农业局"], []),
    ]
    return pd.DataFrame(rows, columns=["city", "domain", "status", "responsible", "cooperating"])


def test_city_rollup():
    out = rollup(frame(), ["city"]).set_index("city")
    # a: met, lagging, no data -> worst lagging; 1 good of 2 with data
    assert out.loc["a", ["n", "met", "lagging", "no_data", "worst"]].tolist() == [3, 1, 1, 1, "lagging"]
    assert out.loc["a", "share_good"] == 0.5
    # b: on schedule and missed -> worst missed; 1 of 2
    assert out.loc["b", "worst"] == "missed" and out.loc["b", "share_good"] == 0.5
    # c: nothing has data -> worst no_data, share undefined
    assert out.loc["c", "worst"] == "no_data" and pd.isna(out.loc["c", "share_good"])


def test_domain_rollup():
    out = rollup(frame(), ["domain"]).set_index("domain")
    assert out.loc["air", ["n", "worst"]].tolist() == [4, "missed"]
    assert out.loc["air", "share_good"] == 2 / 4


def test_department_rollup_keeps_lead_and_cooperating_apart():
    out = by_department(frame()).set_index(["department", "role"])
    assert out.loc[("环保局", "lead"), ["n", "worst"]].tolist() == [3, "lagging"]
    assert out.loc[("环保局", "cooperating"), ["n", "worst"]].tolist() == [1, "missed"]
    assert out.loc[("住建局", "cooperating"), "worst"] == "lagging"


def test_the_share_over_all_targets_never_rises_when_targets_lose_their_data():
    out = rollup(frame(), ["city"]).set_index("city")
    assert out.loc["a", "share_good_all"] == 1 / 3  # met of (met, lagging, no data)
    lost = frame()
    lost.loc[1, "status"] = "no_data"  # a's lagging target loses its data
    after = rollup(lost, ["city"]).set_index("city")
    assert after.loc["a", "share_good"] == 1.0  # among targets with data it rose from 0.5 ...
    assert after.loc["a", "share_good_all"] == 1 / 3  # ... over all targets it stays


def test_worst_items_are_the_most_severe_then_the_least_progress():
    from indicators.status.rollup import worst_items

    rows = pd.DataFrame(
        {
            "target_id": ["a", "b", "c", "d", "e"],
            "status": ["lagging", "missed", "off_track", "met", "lagging"],
            "progress_ratio": [0.9, None, 0.2, 1.5, 0.85],
        }
    )
    assert worst_items(rows, 3).target_id.tolist() == ["b", "c", "e"]


def test_worst_items_name_an_indicator_once():
    from indicators.status.rollup import worst_items

    rows = pd.DataFrame(
        {
            "indicator": ["x", "x", "y"],
            "status": ["missed", "off_track", "lagging"],
            "progress_ratio": [None, 0.1, 0.5],
        }
    )
    assert worst_items(rows, 3).status.tolist() == ["missed", "lagging"]
