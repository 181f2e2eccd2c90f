"""The store's reads for the status path: the same targets and current values, however they are fetched
(on both backends)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from indicators import months as mo
from indicators import store
from indicators.catalog.commitments import merge_restated
from indicators.status import series
from indicators.store import catalog as store_catalog
from indicators.store import db


@pytest.fixture
def demo_any(demo_store):
    """A copy of the demo database on each backend."""
    return demo_store("demo")


TARGETS_SQL = """
    SELECT t.*, c.name_zh AS city_zh, c.name_en AS city_en,
           i.name_zh AS indicator_zh, i.name_en AS indicator_en, i.domain, i.unit AS canonical_unit,
           i.polarity, i.aggregation
    FROM targets t JOIN cities c ON c.code = t.city JOIN indicators i ON i.code = t.indicator
    ORDER BY t.source_file, t.city, i.domain, t.indicator, t.deadline, t.id
"""


def test_targets_frame_is_duckdbs_own_ordered_frame(demo_any):
    with db.connect(demo_any, read_only=True) as con:
        # restated commitments once (catalog.commitments), as targets_frame gives them
        expected = merge_restated(con.execute(TARGETS_SQL).df())
        got = store.targets_frame(con)
    assert list(got.columns) == list(expected.columns)
    for column in ("responsible", "cooperating"):
        assert [list(x) for x in got[column]] == [list(x) for x in expected[column]]
        assert all(isinstance(x, np.ndarray) and x.dtype == object for x in got[column])
    lists = ["responsible", "cooperating"]
    pd.testing.assert_frame_equal(got.drop(columns=lists), expected.drop(columns=lists))


def test_list_cells_are_told_apart_even_when_a_name_holds_the_separator():
    with db.connect(":memory:") as con:
        con.execute(
            "CREATE TABLE t AS SELECT * FROM (VALUES (1, ['a\x1fb']), (2, ['a', 'b']), (3, []),"
            " (4, ['a', 'b']), (5, ['a\x1fb'])) v(k, names)"
        )
        frame = store_catalog._frame(con, "SELECT * FROM t", {}, order=["k"])
    assert [list(x) for x in frame["names"]] == [["a\x1fb"], ["a", "b"], [], ["a", "b"], ["a\x1fb"]]


def _monthly_from_frames(con) -> series.Monthly:  # type: ignore[no-untyped-def]
    """The current values as the current_measurements view defines them, through a plain frame."""
    view = con.execute("SELECT city, indicator, period, value FROM current_measurements").df()
    assert_frames_agree(view, store.measurements_frame(con))
    return series.Monthly.from_frame(view)


def assert_frames_agree(view: pd.DataFrame, frame: pd.DataFrame) -> None:
    """store.measurements_frame (which skips the view while every row is current) says what the view says."""
    key = ["city", "indicator", "period"]
    a = view[view.value.notna()].sort_values(key).reset_index(drop=True)
    pd.testing.assert_frame_equal(a, frame[[*key, "value"]].reset_index(drop=True), check_dtype=False)


def _same_values(a: series.Monthly, b: series.Monthly) -> None:
    first = min(a.first, b.first)
    n = max(a.first + a.raw.shape[1], b.first + b.raw.shape[1]) - first
    np.testing.assert_array_equal(a.matrix(a.keys, first, n), b.matrix(a.keys, first, n))


def test_monthly_values_are_the_current_values_of_the_target_series(demo_any):
    with db.connect(demo_any, read_only=True) as con:
        got = store.monthly_values(con)
        expected = _monthly_from_frames(con)
        targets = store.targets_frame(con)
    assert set(got.keys) == set(zip(targets.city, targets.indicator, strict=True))
    _same_values(got, expected)
    # one aggregation's series side by side (the engine evaluates them as one block)
    kinds = targets.drop_duplicates(["city", "indicator"]).set_index(["city", "indicator"])["aggregation"]
    in_order = kinds.reindex(got.keys).to_numpy()
    assert (pd.Series(in_order) != pd.Series(in_order).shift()).sum() == len(set(in_order))


@pytest.fixture
def rewritten_db(demo_store):
    """A copy of the demo database where one value was written again and one batch was undone."""
    path = demo_store("rewritten")
    with db.connect(path) as con:
        city, indicator, period = con.execute(
            "SELECT city, indicator, max(period) FROM measurements GROUP BY city, indicator "
            "ORDER BY city, indicator LIMIT 1"
        ).fetchone()
        newer = store.new_batch(con, "upload", "test")
        undone = store.new_batch(con, "upload", "test")
        con.execute(
            "INSERT INTO measurements VALUES (?, ?, ?, 2, 123.0, 123.0, NULL, NULL, FALSE, ?, NULL, NULL), "
            "(?, ?, CAST(?::DATE - INTERVAL '1 month' AS DATE), 2, 456.0, 456.0, NULL, NULL, FALSE, ?, "
            "NULL, NULL)",
            [city, indicator, period, newer, city, indicator, period, undone],
        )
        undo = store.new_batch(con, "undo", "test")
        con.execute("INSERT INTO batch_undos VALUES (?, ?)", [undone, undo])
    return path, city, indicator, period


def test_monthly_values_read_through_the_view_once_a_key_was_rewritten(rewritten_db):
    path, city, indicator, period = rewritten_db
    with db.connect(path, read_only=True) as con:
        got = store.monthly_values(con)
        _same_values(got, _monthly_from_frames(con))
    row = got.rows_of(pd.Series([city]), pd.Series([indicator]))[0]
    month = mo.of(period)
    assert got.raw[row, month - got.first] == 123.0  # the newer revision
    assert got.raw[row, month - 1 - got.first] != 456.0  # the undone batch's value is not current


def test_monthly_values_of_one_city_and_of_an_empty_store(demo_any, new_store):
    with db.connect(demo_any, read_only=True) as con:
        one = store.monthly_values(con, "lingwu")
        assert set(one.keys.get_level_values("city")) == {"lingwu"}
        _same_values(one, series.Monthly.from_frame(store.measurements_frame(con, "lingwu")))
    empty = new_store("empty")
    store.init(empty)
    with db.connect(empty, read_only=True) as con:
        nothing = store.monthly_values(con)
    assert nothing.raw.shape[1] == 0 and nothing.first_month is None
