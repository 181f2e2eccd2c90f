"""PostgreSQL: the whole store's values read in two streams side by side (store/pg_values.py)."""

from __future__ import annotations

import numpy as np
import pytest

from indicators import store
from indicators.store import db, pg_values
from indicators.store import measurements as reads


@pytest.fixture
def pg_demo_copy(pg_cluster, pg_demo):
    return pg_cluster.create(template=pg_demo)


def _cities(con) -> list[str]:
    return [c for (c,) in con.execute("SELECT DISTINCT city FROM targets ORDER BY city").fetchall()]


def test_the_groups_are_whole_partitions_and_hold_every_city_once(pg_demo_copy):
    with db.connect(pg_demo_copy, read_only=True) as con:
        cities = _cities(con)
        groups = pg_values.city_groups(con, cities)
        # the partition each city's rows are in, as PostgreSQL routed them
        where = dict(
            con.execute(
                "SELECT DISTINCT city, tableoid::regclass::text FROM measurements WHERE city = ANY(?)",
                [cities],
            ).fetchall()
        )
    assert groups is not None
    assert sorted(c for g in groups for c in g) == cities
    for one in groups:
        for other in groups:
            if one is not other:  # no partition is read by two streams
                assert not {where[c] for c in one if c in where} & {where[c] for c in other if c in where}


def test_side_by_side_reads_equal_the_one_stream_read(pg_demo_copy, monkeypatch):
    with db.connect(pg_demo_copy, read_only=True) as con:
        cities = _cities(con)
        assert len(pg_values.city_groups(con, cities) or []) == 2  # the demo's cities fill both streams
        read, taken = pg_values.read_side_by_side, []

        def spy(*args):
            got = read(*args)
            taken.append(got is not None)
            return got

        monkeypatch.setattr(pg_values, "read_side_by_side", spy)
        both = store.monthly_values(con)
        assert taken == [True]  # the values came in two streams
        monkeypatch.setattr(reads, "_side_by_side", lambda *a: None)
        one = store.monthly_values(con)
    assert list(both.keys) == list(one.keys)
    # the two spans may differ (one stream's span is that of every value); compare month by month
    ends = (both.first + both.raw.shape[1], one.first + one.raw.shape[1])
    months = range(min(both.first, one.first), max(ends))
    for month in months:
        a = both.raw[:, month - both.first] if 0 <= month - both.first < both.raw.shape[1] else None
        b = one.raw[:, month - one.first] if 0 <= month - one.first < one.raw.shape[1] else None
        if a is None or b is None:
            assert np.isnan(a if a is not None else b).all()
        else:
            np.testing.assert_array_equal(a, b)


def test_a_write_during_the_read_sends_it_back_to_one_stream(pg_demo_copy):
    """A commit between the streams' snapshots could show one part before it and the other after: the
    parts are dropped and the caller reads again."""
    with db.connect(pg_demo_copy) as con:
        cities = _cities(con)
        groups = pg_values.city_groups(con, cities)
        assert groups is not None
        wrote: list[int] = []

        def convert(batch):
            if not wrote:
                with db.connect(pg_demo_copy) as other:
                    wrote.append(store.new_batch(other, "upload", "test"))
            return batch.num_rows

        sql = "SELECT city, period, value FROM measurements WHERE city = ANY($cities::VARCHAR[])"
        assert pg_values.read_side_by_side(con, sql, groups, convert) is None
        assert wrote
        # and without a write, every row comes once
        got = pg_values.read_side_by_side(con, sql, groups, lambda b: b.num_rows)
        total = con.execute("SELECT count(*) FROM measurements WHERE city = ANY(?)", [cities]).fetchone()
    assert got is not None and sum(got) == total[0]
