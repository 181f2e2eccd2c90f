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
