"""Status history: a target's status at every month end since its plan started, and per city the counts.

Hand-built values as in test_meeting.py: 灵武市 forest coverage 15.0 % in 2018-12 rising 0.1 a month to 15.5
in 2019-05 and 2019-06. The path expects 15 + 1.5 · days/731 (15.06 at the end of January … 15.37 at the end
of June) and the value is ahead every month: on schedule from January to June; before 2019 the plan had not
started. Revising June to 13.0 turns June (only) off track.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from test_meeting import FIRST, FOREST, upload

from indicators import store
from indicators.catalog import rules
from indicators.meeting import history
from indicators.status import engine
from indicators.status import service as status
from indicators.store import db

JUNE = dt.date(2019, 6, 30)


def strip(frame: pd.DataFrame, target_id: str) -> list[object]:
    row = frame[frame["target_id"] == target_id].iloc[0]
    return [row[c] for c in frame.columns if isinstance(c, pd.Timestamp)]


def test_a_targets_strip_of_statuses_month_by_month(tmp_path):
    path = tmp_path / "history.duckdb"
    store.init(path)
    upload(path, FIRST)
    frame = history.status_history(path, "灵武市", JUNE, months=8)
    months = [c for c in frame.columns if isinstance(c, pd.Timestamp)]
    assert [f"{m:%Y-%m-%d}" for m in months] == [
        "2018-11-30", "2018-12-31", "2019-01-31", "2019-02-28",
        "2019-03-31", "2019-04-30", "2019-05-31", "2019-06-30",
    ]  # fmt: skip
    assert strip(frame, FOREST) == [None, None] + ["on_schedule"] * 6
    assert set(frame["city"]) == {"lingwu"}

    upload(path, [("2019-06", 13.0)], "revision.csv")
    after = history.status_history(path, "lingwu", JUNE, months=8)
    assert strip(after, FOREST) == [None, None] + ["on_schedule"] * 5 + ["off_track"]

    counts = history.city_counts(after).set_index("month")
    june = counts.loc[pd.Timestamp(JUNE)]
    started = int(after[pd.Timestamp(JUNE)].notna().sum())
    assert (june["off_track"], june["on_schedule"], june["no_data"]) == (1, 0, started - 1)
    assert int(june[["no_data", "missed", "met", "on_schedule", "lagging", "off_track"]].sum()) == started
    assert pd.Timestamp("2018-11-30") not in counts.index  # nothing had started: no row


def test_history_is_the_engine_at_every_month_end_including_after_deadlines(demo_db):
    """The demo's Lingwu targets due 2019-12-31 close inside this span: carried, they must still equal what
    the engine says when called on its own at each month end."""
    with db.connect(demo_db, read_only=True) as con:
        targets = status.engine_targets(store.targets_frame(con), store.plans_frame(con))
        monthly = store.monthly_values(con)
    ends = history.month_ends(2019 * 12 + 8, 2020 * 12 + 3)  # 2019-09 … 2020-04
    the_rules = rules.load()
    frame = history.evaluate_months(targets, monthly, ends, the_rules)
    start = history.plan_start(targets.reset_index(drop=True))
    closing = (pd.to_datetime(targets["deadline"]) == "2019-12-31").sum()
    assert closing > 0
    for j, when in enumerate(ends):
        alone = engine.evaluate(targets, monthly, when, the_rules)["status"].to_numpy(dtype=object)
        alone[start > 2019 * 12 + 8 + j] = None
        assert list(frame.iloc[:, j]) == list(alone), when
