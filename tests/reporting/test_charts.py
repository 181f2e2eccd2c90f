"""Target charts (issue 14 item 7): the evaluation line stops at the last month reported, labels sit on a
white box, the unit is written level above the axis, and a closed target marks the value it is judged on."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from indicators.reporting import charts


def row(**kw) -> pd.Series:
    base = dict(
        canonical_unit="item",
        aggregation="cumulative_count",
        indicator="coal_boilers_closed",
        indicator_zh="燃煤锅炉淘汰",
        indicator_en="Coal boilers closed",
        status="met",
        deadline=dt.date(2017, 3, 31),
        t_base=dt.date(2017, 1, 1),
        as_of=dt.date(2017, 9, 30),
        baseline=0.0,
        target_level=5.0,
        value=5.0,
        projected=np.nan,
        deadline_reached=True,
    )
    base.update(kw)
    return pd.Series(base)


def history() -> pd.DataFrame:
    months = pd.to_datetime([f"2017-{m:02d}-28" for m in range(1, 10)])
    reported = [1, 2, 2, 3, 4, 4, np.nan, np.nan, np.nan]  # nothing after June
    evaluation = [1, 3, 5, 8, 12, 16, 16, 16, 16]
    return pd.DataFrame({"period": months, "reported": reported, "evaluation": evaluation})


def test_the_evaluation_line_stops_at_the_last_reported_month():
    fig = charts.target_chart(row(), history(), "zh")
    line = next(t for t in fig.data if t.name == "评价值")
    assert pd.Timestamp(line.x[-1]) == pd.Timestamp("2017-06-28") and len(line.x) == 6


def test_the_unit_is_written_above_the_axis_not_along_it():
    fig = charts.target_chart(row(), history(), "zh")
    assert not fig.layout.yaxis.title.text
    assert "单位：个" in [a.text for a in fig.layout.annotations]


def test_a_closed_target_marks_the_value_at_its_deadline_and_labels_are_boxed():
    fig = charts.target_chart(row(), history(), "zh")
    marker = next(t for t in fig.data if t.name and t.name.startswith("截止时的值"))
    assert marker.name == "截止时的值 5" and list(marker.y) == [5.0]
    assert pd.Timestamp(marker.x[0]) == pd.Timestamp("2017-03-31")
    labelled = [a for a in fig.layout.annotations if a.text and a.text.startswith(("目标", "截止"))]
    assert len(labelled) == 2 and all(a.bgcolor for a in labelled)
