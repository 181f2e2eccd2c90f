"""The demo generator: deterministic, complete, flagged, within range, with one stale city."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from indicators import store
from indicators.catalog import demo
from indicators.store import db


def test_same_seed_same_values(catalog):
    assert demo.generate(catalog).equals(demo.generate(catalog))


def test_a_different_seed_gives_different_values(catalog):
    config = demo.load_config()
    other = demo.DemoConfig(
        config.seed + 1,
        config.present,
        config.missing_recent_month,
        config.stale_series,
        config.scenarios,
        config.progress,
        config.noise,
    )
    assert not demo.generate(catalog).equals(demo.generate(catalog, other))


def test_every_target_city_and_indicator_has_a_series(catalog):
    frame = demo.generate(catalog)
    assert {(t.city, t.indicator) for t in catalog.targets} == set(
        zip(frame.city, frame.indicator, strict=True)
    )


def test_series_span_the_year_before_the_plan_to_its_present(catalog):
    frame = demo.generate(catalog)
    config = demo.load_config()
    lingwu_pm25 = frame[(frame.city == "lingwu") & (frame.indicator == "pm25")]
    # the Lingwu plans start in 2019, so the series starts in January 2018 and ends at the present, 2020-09
    assert lingwu_pm25.period.min() == dt.date(2018, 1, 1)
    assert lingwu_pm25.period.max() == config.present["lingwu"] == dt.date(2020, 9, 1)
    assert len(lingwu_pm25) == 12 + 12 + 9
    # a stated baseline year before the plan is covered: heavy metals "较2013年"
    metals = frame[(frame.city == "lingwu") & (frame.indicator == "heavy_metal_emissions")]
    assert metals.period.min() == dt.date(2013, 1, 1)


def test_one_city_misses_its_latest_month(catalog):
    frame = demo.generate(catalog)
    config = demo.load_config()
    latest = frame.groupby("city").period.max()
    stale = config.missing_recent_month
    assert latest[stale] < config.present[stale]
    assert all(latest[c] == config.present[c] for c in latest.index if c != stale)


def test_values_stay_in_each_indicators_valid_range(catalog):
    frame = demo.generate(catalog)
    ranges = pd.DataFrame(
        [(i.code, i.valid_min, i.valid_max) for i in catalog.indicators], columns=["indicator", "lo", "hi"]
    )
    merged = frame.merge(ranges, on="indicator")
    assert ((merged.value >= merged.lo) & (merged.value <= merged.hi)).all()


def test_scenarios_are_mixed(catalog):
    config = demo.load_config()
    pairs = {(t.city, t.indicator) for t in catalog.targets}
    drawn = {demo.scenario_for(config, c, i) for c, i in pairs}
    assert drawn == {"met", "on_schedule", "lagging", "off_track"}


def test_demo_values_are_flagged_in_the_database(demo_db):
    with db.connect(demo_db, read_only=True) as con:
        assert store.demo_share(con) == 1.0
        kinds = con.execute("SELECT DISTINCT kind FROM batches").fetchall()
    assert kinds == [("demo",)]
