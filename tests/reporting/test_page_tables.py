"""The tables the overview and the scorecard pages cache per data version (reporting/overview.py, the
scorecard's Screen, freshness.summary): expected values worked out by hand from small frames."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from indicators.reporting import freshness
from indicators.reporting import overview as ov
from indicators.reporting import scorecard as report

NAMES = {"a": ("甲市", "A"), "b": ("乙市", "B"), "c": ("丙市", "C"), "d": ("丁市", "D")}


def evaluated() -> pd.DataFrame:
    rows = [  # city, domain, indicator, status, progress ratio, as of, lead unit
        ("a", "air", "i1", "met", 1.0, dt.date(2025, 12, 31), "环保局"),
        ("a", "air", "i2", "lagging", 0.5, dt.date(2025, 12, 31), "环保局"),
        ("a", "water", "i3", "no_data", np.nan, dt.date(2025, 12, 31), "水务局"),
        ("b", "air", "i1", "missed", 0.2, dt.date(2025, 11, 30), "环保局"),
        ("b", "air", "i2", "off_track", 0.3, dt.date(2025, 11, 30), "住建局"),
        ("b", "water", "i3", "lagging", 0.9, dt.date(2025, 11, 30), "水务局"),
        ("b", "water", "i4", "missed", 0.1, dt.date(2025, 11, 30), "水务局"),
        ("c", "soil", "i1", "no_data", np.nan, dt.date(2025, 12, 31), "农业局"),
        ("d", "air", "i1", "on_schedule", 0.8, dt.date(2025, 12, 31), "环保局"),
    ]
    frame = pd.DataFrame(
        rows, columns=["city", "domain", "indicator", "status", "progress_ratio", "as_of", "lead"]
    )
    frame["city_zh"] = frame["city"].map(lambda c: NAMES[c][0])
    frame["city_en"] = frame["city"].map(lambda c: NAMES[c][1])
    frame["indicator_zh"] = "指标" + frame["indicator"]
    frame["indicator_en"] = "Indicator " + frame["indicator"]
    frame["responsible"] = frame.pop("lead").map(lambda u: [u])
    frame["cooperating"] = [[] for _ in range(len(frame))]
    frame["target_id"] = [f"t{i}" for i in range(len(frame))]
    frame.index = frame.index * 10  # labels other than positions: the screen's positions are positions
    return frame


def test_more_cities_than_cards_shows_those_needing_most_attention():
    out = ov.overview(evaluated(), ["d", "a", "x", "b", "c"], limit=2)
    assert (out.evaluated_cities, out.listed, out.truncated) == (4, 4, True)
    # every city counted by its worst status: a lagging, b missed, c nothing with data, d on schedule
    assert out.worst_counts == {"lagging": 1, "missed": 1, "no_data": 1, "on_schedule": 1}
    assert out.cities["city"].tolist() == ["b", "a"]  # missed before lagging
    assert out.cities.set_index("city").loc["b", ["n", "missed", "off_track", "lagging"]].tolist() == [
        4,
        2,
        1,
        1,
    ]
    # b's worst items: both missed (the lower progress first), then off track; a's only one behind
    worst = out.worst
    assert worst[worst.city == "b"]["indicator"].tolist() == ["i4", "i1", "i2"]
    assert worst[worst.city == "a"][["indicator", "indicator_en", "status"]].values.tolist() == [
        ["i2", "Indicator i2", "lagging"]
    ]
    grid = out.grid.set_index(["city", "domain"])
    assert grid.loc[("b", "air"), ["worst", "n"]].tolist() == ["missed", 2]
    assert grid.loc[("b", "water"), ["worst", "n"]].tolist() == ["missed", 2]
    assert grid.loc[("a", "air"), ["worst", "n"]].tolist() == ["lagging", 2]
    assert grid.loc[("a", "water"), ["worst", "n"]].tolist() == ["no_data", 1]
    assert len(grid) == 4 and out.domains == ["air", "water"]  # soil is c's only: c is not shown
    assert out.indicator_names["indicator"].tolist() == ["i1", "i2", "i3", "i4"]


def test_few_cities_are_all_shown_in_the_catalogs_order():
    out = ov.overview(evaluated(), ["d", "a", "x", "b", "c"], limit=12)
    assert not out.truncated and out.cities["city"].tolist() == ["d", "a", "b", "c"]
    assert out.domains == ["air", "soil", "water"]
    assert out.worst[out.worst.city == "d"].empty  # on schedule: nothing behind


def test_an_empty_evaluation_has_an_empty_overview():
    assert ov.overview(evaluated().iloc[0:0], ["a"], limit=12).empty


def test_the_screen_is_the_filtered_rows_worst_first_without_copying_them():
    frame = evaluated()
    whole = report.screen(frame)
    # missed (b i1, b i4), off track (b i2), lagging (a i2, b i3), on schedule, met, no data (a i3, c i1)
    assert whole.order.tolist() == [3, 6, 4, 1, 5, 8, 0, 2, 7]
    assert whole.counts == {
        "no_data": 2,
        "missed": 2,
        "met": 1,
        "on_schedule": 1,
        "lagging": 2,
        "off_track": 1,
    }
    assert whole.months == ("2025-11", "2025-12")
    assert whole.rows(frame, 1, 3)["target_id"].tolist() == ["t6", "t4"]
    assert whole.rows(frame, 1, 3).index.tolist() == [60, 40]  # the rows' own labels kept
    # a department, lead or cooperating, and a city
    water = report.screen(frame, department="水务局")
    assert water.order.tolist() == [6, 5, 2] and water.counts == {"no_data": 1, "missed": 1, "lagging": 1}
    only_a = report.screen(frame, cities=["a"], statuses=["met", "lagging"])
    assert only_a.order.tolist() == [1, 0] and only_a.months == ("2025-12",)
    nothing = report.screen(frame, cities=["x"])
    assert len(nothing) == 0 and nothing.counts == {} and nothing.months == ()


def test_the_screen_takes_the_rows_the_filtered_table_has():
    frame = evaluated()
    for kwargs in ({}, {"domains": ["air"]}, {"department": "环保局", "statuses": ["missed", "met"]}):
        screen = report.screen(frame, **kwargs)
        pd.testing.assert_frame_equal(
            screen.rows(frame), report.worst_first(report.filter_evaluated(frame, **kwargs))
        )


def test_the_freshness_summary_lists_every_city_or_those_behind():
    month = pd.Timestamp("2025-12-01")
    fresh = pd.DataFrame(
        {
            "city": ["a", "b", "c"],
            "month": [month] * 3,
            "expected": [4, 4, 4],
            "reported": [1, 3, 4],  # least complete first, as freshness() sorts them
        }
    )
    few = freshness.summary(fresh, limit=3)
    assert (few.month, few.cities, few.behind, few.up) == (month, 3, 2, 1)
    assert few.rows["city"].tolist() == ["a", "b", "c"]  # at most `limit` cities: every one, up to date too
    many = freshness.summary(fresh, limit=1)
    assert (many.cities, many.behind, many.up) == (3, 2, 1)
    assert many.rows["city"].tolist() == ["a"]  # the first of those behind
    none = freshness.summary(fresh.iloc[0:0], limit=3)
    assert none.month is None and none.cities == 0 and none.rows.empty
