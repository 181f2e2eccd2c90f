"""The explanation sentences: built for the rows given, the same whether built eagerly or on demand."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from indicators.reporting import scorecard as report
from indicators.status import explain
from indicators.status import service as status


def _evaluated(**kw: object) -> pd.DataFrame:
    """One evaluated row as status.evaluate_frames gives it, without the sentences."""
    row = dict(
        status="met",
        baseline_missing=False,
        baseline_year=2018,
        baseline_year_stated=pd.NA,
        latest_period=dt.date(2020, 6, 30),
        aggregation="level",
        comparator=">=",
        target_value=90.0,
        target_level=90.0,
        indicator_zh="森林覆盖率",
        indicator_en="Forest cover",
        canonical_unit="percent",
        deadline=pd.Timestamp("2020-12-31"),
        as_of=dt.date(2020, 6, 30),
        value=91.5,
        baseline=80.0,
        direction=1.0,
        expected=87.48,
        projected=float("nan"),
        required_average=float("nan"),
    )
    row.update(kw)
    return pd.DataFrame([row])


def test_a_met_target_in_both_languages():
    frame = _evaluated()
    assert explain.explanations(frame, "zh").tolist() == [
        "森林覆盖率最新值 91.5 %，目标 ≥ 90 %（2020-12-31前）；已达到目标。"
    ]
    assert explain.explanations(frame, "en").tolist() == [
        "Forest cover latest value 91.5 %, target ≥ 90 % by 2020-12-31; the target is met."
    ]


def test_behind_schedule_says_by_how_much():
    # higher is better: 85 against 87.48 expected is 2.48 behind
    frame = _evaluated(status="lagging", value=85.0, projected=89.0)
    assert explain.explanations(frame, "en").tolist() == [
        "Forest cover latest value 85 %, target ≥ 90 % by 2020-12-31; expected now 87.48, behind by 2.48; "
        "trend projects 89 at the deadline."
    ]


def test_a_frame_that_has_its_sentences_keeps_them():
    frame = _evaluated().assign(explanation_zh="说明", explanation_en="why")
    assert explain.explanations(frame, "zh").tolist() == ["说明"]
    assert explain.explanations(frame, "en").tolist() == ["why"]


def test_on_demand_sentences_follow_the_rows_they_are_built_for():
    frame = pd.concat([_evaluated(), _evaluated(status="lagging", value=85.0)], ignore_index=True)
    frame.index = [7, 3]
    built = explain.explanations(frame.iloc[::-1], "en")
    assert list(built.index) == [3, 7] and built[3].startswith("Forest cover latest value 85 %")


def test_the_status_path_without_sentences_gives_the_same_sentences_on_demand(demo_db):
    eager = status.status(demo_db, as_of=dt.date(2020, 12, 31))
    lazy = status.status(demo_db, as_of=dt.date(2020, 12, 31), explain=False)
    assert "explanation_zh" not in lazy and "explanation_en" not in lazy
    pd.testing.assert_frame_equal(eager.drop(columns=["explanation_zh", "explanation_en"]), lazy)
    shown = lazy.iloc[5:40]  # the rows a page shows
    for lang in ("zh", "en"):
        assert explain.explanations(shown, lang).tolist() == eager[f"explanation_{lang}"].iloc[5:40].tolist()
        pd.testing.assert_frame_equal(report.scorecard(shown, lang), report.scorecard(eager.iloc[5:40], lang))
    added = explain.add_explanations(shown)
    assert added["explanation_zh"].tolist() == eager["explanation_zh"].iloc[5:40].tolist()
