"""Rating profiles (issue 12, item 11): named bands in data/rules.yaml; statuses keep their six names."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from indicators.catalog import rules as rules_mod
from indicators.errors import RulesInvalid
from indicators.paths import DATA_DIR
from tests.status.scenario import monthly, run, target

POINTS = rules_mod.load(profile="percentage_points")
# ≥ 90 from 80 (Dec 2018) by 2020-12-31; as of 2020-06-30 f = 547/731 = 0.7483: 序时进度 74.83 %.
F = 547 / 731


def series(last: float):
    return monthly({"2018-12": 80, "2019-06": 84, "2019-12": 86, "2020-06": last})


@pytest.mark.parametrize(
    ("last", "behind", "status"),
    [
        (88, 100 * (F - 0.8), "on_schedule"),  # 80 % of the way done: 5.17 points ahead
        (86, 100 * (F - 0.6), "lagging"),  # 60 % done: 14.83 behind, in 10-30 (yellow)
        (85, 100 * (F - 0.5), "lagging"),  # 24.83 behind
        (84, 100 * (F - 0.4), "off_track"),  # 34.83 behind: more than 30 (red)
        (79, 100 * (F + 0.1), "off_track"),  # moved the wrong way
    ],
)
def test_points_behind_the_schedule(last, behind, status):
    r = run(target(), series(last), dt.date(2020, 6, 30), POINTS)
    assert r.points_behind == pytest.approx(behind)
    assert r.status == status


def test_the_default_profile_rates_the_progress_ratio():
    # 86: R = 6/(10·F) = 0.8018 >= 0.8: lagging; 88: R = 8/(10·F) = 1.069: on schedule
    default = rules_mod.load(profile="default")
    assert run(target(), series(86), dt.date(2020, 6, 30), default).status == "lagging"
    assert run(target(), series(88), dt.date(2020, 6, 30), default).status == "on_schedule"


def test_bands_are_configurable(tmp_path: Path):
    text = (
        (DATA_DIR / "rules.yaml")
        .read_text(encoding="utf-8")
        .replace("lagging_points: 10", "lagging_points: 20")
    )
    path = tmp_path / "rules.yaml"
    path.write_text(text, encoding="utf-8")
    wider = rules_mod.load(path, profile="percentage_points")
    assert run(target(), series(86), dt.date(2020, 6, 30), wider).status == "on_schedule"  # 14.83 < 20


def test_a_deployment_chooses_its_profile(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv(rules_mod.PROFILE_VARIABLE, "percentage_points")
    assert rules_mod.load().profile.kind == "points_behind"
    monkeypatch.setenv(rules_mod.PROFILE_VARIABLE, "nonsense")
    with pytest.raises(RulesInvalid, match="nonsense"):
        rules_mod.load()


def test_a_bad_profile_is_refused(tmp_path: Path):
    text = (
        (DATA_DIR / "rules.yaml")
        .read_text(encoding="utf-8")
        .replace("off_track_points: 30", "off_track_points: 5")
    )
    path = tmp_path / "rules.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RulesInvalid, match="lagging_points < off_track_points"):
        rules_mod.load(path, profile="percentage_points")


def test_the_readme_count_example():
    # README rulebook: 9 boilers in a 2017 work plan (from 1 January), 1 closed a month Jan-Jun 2017.
    # As of 2017-06-30: 180 of 364 days, e = 9·180/364 = 4.45; R = 6/4.45 = 1.35 -> on schedule
    t = target(comparator="count_done", value_canonical=9.0, aggregation="cumulative_count",
               canonical_unit="item", plan_first_year=2017, plan_last_year=2017,
               deadline=dt.date(2017, 12, 31))  # fmt: skip
    r = run(t, monthly({f"2017-0{k}": 1.0 for k in range(1, 7)}), dt.date(2017, 6, 30))
    assert r.value == 6 and r.expected == pytest.approx(9 * 180 / 364)
    assert r.progress_ratio == pytest.approx(6 / (9 * 180 / 364)) and r.status == "on_schedule"
