"""The write side of uploads without a primary-key index (migration 0006): revisions computed inside the
transaction, one write transaction at a time, keys written twice in one upload, a month not yet stored. On
both backends (PostgreSQL keeps the primary key)."""

from __future__ import annotations

import datetime as dt
import threading
import time

import duckdb
import pandas as pd
import pytest

from indicators import store
from indicators.store import db


@pytest.fixture
def path(new_store):
    path = new_store("store")
    store.init(path)
    return path


def rows(*values: tuple[str, str, float]) -> pd.DataFrame:
    """Accepted values of lingwu's pm25 as ingest gives them: (month, note, value in µg/m³)."""
    return pd.DataFrame(
        {
            "row": range(2, 2 + len(values)),
            "column": "数值",
            "city": "lingwu",
            "indicator": "pm25",
            "period": [dt.date(*map(int, m.split("-")), 1) for m, _, _ in values],
            "value": [v for _, _, v in values],
            "original_value": [v for _, _, v in values],
            "original_unit": "ug/m3",
            "note": [n or None for _, n, _ in values],
        }
    )


def revisions(path) -> list[tuple[str, int, float, int]]:
    with db.connect(path, read_only=True) as con:
        found = con.execute(
            "SELECT period, revision, value, batch_id FROM measurements "
            "WHERE city = 'lingwu' AND indicator = 'pm25' ORDER BY period, revision"
        ).fetchall()
    return [(p.strftime("%Y-%m"), r, v, b) for p, r, v, b in found]


def commit(path, frame: pd.DataFrame, **hooks) -> store.CommitResult:
    with db.connect(path) as con:
        return store.commit_upload(con, frame, "tester", "f.csv", "sha", "long utf-8", **hooks)


def test_measurements_have_no_primary_key_and_postgresql_splits_them_by_city(path, backend):
    with db.connect(path, read_only=True) as con:
        kinds = con.execute(
            "SELECT constraint_type FROM information_schema.table_constraints "
            "WHERE table_name = 'measurements' AND table_schema = current_schema()"
        ).fetchall()
        assert ("PRIMARY KEY",) not in kinds
        if backend == "postgresql":  # migration 0015: 16 hash partitions, no B-tree over every value
            parts = con.execute(
                "SELECT count(*) FROM pg_inherits WHERE inhparent = 'measurements'::regclass"
            ).fetchall()
            assert parts == [(16,)]
            indexes = con.execute(
                "SELECT indexdef FROM pg_indexes WHERE tablename = 'measurements' ORDER BY indexname"
            ).fetchall()
            assert [d for (d,) in indexes if "WHERE" not in d and "brin" not in d] == []


def test_postgresql_migration_0015_keeps_every_row_and_the_current_values(pg_cluster):
    """The rows before the split are the rows after it, and the view still picks the newest revision of a
    batch not undone (here: March's second revision undone, so its first is current)."""
    url = pg_cluster.create()
    files = db.migration_files()
    with db.connect(url) as con:
        con.execute("CREATE TABLE schema_migrations (name VARCHAR PRIMARY KEY, applied_at TIMESTAMP)")
        for file in files[: [f.stem for f in files].index("0015_measurements_by_city")]:
            con.execute(db.migration_sql(file, "postgresql"))
        con.execute("INSERT INTO batches (kind, actor, created_at) VALUES ('upload', 'a', now())")
        con.execute("INSERT INTO batches (kind, actor, created_at) VALUES ('upload', 'a', now())")
        con.execute("INSERT INTO batches (kind, actor, created_at) VALUES ('undo', 'a', now())")
        stored = [
            ("lingwu", "pm25", dt.date(2020, 3, 1), 1, 35.0, 0.035, "mg/m3", None, False, 1, None, None),
            ("lingwu", "pm25", dt.date(2020, 3, 1), 2, 36.0, 36.0, "ug/m3", "x", False, 2, None, None),
            ("alpha", "pm10", dt.date(2019, 1, 1), 1, None, None, None, None, True, 1, 31, None),
            ("alpha", "good_air_days_ratio", dt.date(2019, 2, 1), 1, 50.0, 50.0, "%", None, False, 1, 28, 14),
        ]
        con.executemany("INSERT INTO measurements VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", stored)
        con.execute("INSERT INTO batch_undos VALUES (2, 3)")
        con.execute(db.migration_sql(files[0].parent / "0015_measurements_by_city.sql", "postgresql"))
        order = "ORDER BY city, indicator, period, revision"
        assert con.execute(f"SELECT * FROM measurements {order}").fetchall() == sorted(
            stored, key=lambda r: (r[0], r[1], r[2], r[3])
        )
        current = con.execute(f"SELECT city, indicator, period, revision FROM current_measurements {order}")
        assert current.fetchall() == [
            ("alpha", "good_air_days_ratio", dt.date(2019, 2, 1), 1),
            ("alpha", "pm10", dt.date(2019, 1, 1), 1),
            ("lingwu", "pm25", dt.date(2020, 3, 1), 1),
        ]


def test_the_migration_keeps_every_row_in_order():
    con = duckdb.connect(":memory:")
    files = db.migration_files()
    for file in files[: [f.stem for f in files].index("0006_measurements_without_index")]:
        con.execute(file.read_text(encoding="utf-8"))
    con.execute("INSERT INTO batches (kind, actor, created_at) VALUES ('upload', 'a', now())")
    stored = [
        ("lingwu", "pm25", dt.date(2020, 3, 1), 1, 35.0, 0.035, "mg/m3", None, False, 1),
        ("lingwu", "pm25", dt.date(2020, 3, 1), 2, 36.0, 36.0, "ug/m3", "x", False, 1),
        ("alpha", "pm10", dt.date(2019, 1, 1), 1, None, None, None, None, True, 1),
    ]
    con.executemany("INSERT INTO measurements VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", stored)
    con.execute((files[-1].parent / "0006_measurements_without_index.sql").read_text(encoding="utf-8"))
    assert con.execute("SELECT * FROM measurements").fetchall() == stored
    assert con.execute("SELECT count(*) FROM current_measurements").fetchall() == [(2,)]


def test_each_write_is_one_above_the_newest_revision_undone_or_not(path):
    first = commit(path, rows(("2020-03", "", 35.0)))
    with db.connect(path) as con:
        store.undo_batch(con, first.batch_id, "tester", None)
    second = commit(path, rows(("2020-03", "", 36.0), ("2020-04", "", 30.0)))
    assert second.diff["status"].tolist() == ["new", "new"]  # the only revision of March is undone
    assert revisions(path) == [
        ("2020-03", 1, 35.0, first.batch_id),
        ("2020-03", 2, 36.0, second.batch_id),  # not a second revision 1
        ("2020-04", 1, 30.0, second.batch_id),
    ]


def test_a_key_twice_in_one_upload_gets_two_revisions_in_order(path):
    result = commit(path, rows(("2020-03", "", 35.0), ("2020-04", "", 30.0), ("2020-03", "", 37.0)))
    assert revisions(path) == [
        ("2020-03", 1, 35.0, result.batch_id),
        ("2020-03", 2, 37.0, result.batch_id),
        ("2020-04", 1, 30.0, result.batch_id),
    ]


def test_a_key_thrice_among_others_follows_its_stored_revision_in_the_uploads_order(path):
    first = commit(path, rows(("2020-03", "", 10.0)))
    second = commit(
        path,
        rows(
            ("2020-03", "", 35.0),
            ("2020-04", "", 30.0),
            ("2020-03", "", 37.0),
            ("2020-05", "", 1.0),
            ("2020-03", "", 38.0),
        ),
    )
    assert revisions(path) == [
        ("2020-03", 1, 10.0, first.batch_id),
        ("2020-03", 2, 35.0, second.batch_id),
        ("2020-03", 3, 37.0, second.batch_id),
        ("2020-03", 4, 38.0, second.batch_id),
        ("2020-04", 1, 30.0, second.batch_id),
        ("2020-05", 1, 1.0, second.batch_id),
    ]


def test_an_upload_of_months_never_stored_is_all_new_and_a_month_stored_is_compared(path):
    commit(path, rows(("2020-03", "", 10.0)))
    with db.connect(path, read_only=True) as con:
        later = store.diff_upload(con, rows(("2020-04", "", 10.0), ("2021-03", "", 10.0)))
        mixed = store.diff_upload(con, rows(("2020-04", "", 10.0), ("2020-03", "", 10.0)))
    assert later["status"].tolist() == ["new", "new"]
    assert mixed["status"].tolist() == ["new", "unchanged"]


def test_two_threads_committing_the_same_key_write_revisions_one_and_two(path):
    """The second commit waits for the first: without the wait both would write revision 1."""
    paused = threading.Event()

    def pause() -> None:
        paused.set()
        time.sleep(0.5)

    first = threading.Thread(
        target=commit, args=(path, rows(("2020-03", "", 35.0))), kwargs={"before_commit": pause}
    )
    first.start()
    assert paused.wait(30)
    commit(path, rows(("2020-03", "", 40.0)))  # starts while the first is inside its transaction
    first.join()
    assert [(m, r, v) for m, r, v, _ in revisions(path)] == [("2020-03", 1, 35.0), ("2020-03", 2, 40.0)]


def test_old_values_and_status_beside_each_row(path):
    stored = commit(path, rows(("2020-03", "站点", 35.0), ("2020-04", "", 30.0)))
    with db.connect(path, read_only=True) as con:
        diff = store.diff_upload(
            con, rows(("2020-04", "", 30.0), ("2020-03", "站点", 35.5), ("2021-01", "", 1.0))
        )
    assert diff["status"].tolist() == ["unchanged", "changed", "new"]
    assert diff["old_value"].tolist()[:2] == [30.0, 35.0] and pd.isna(diff["old_value"].iloc[2])
    assert diff["old_batch_id"].tolist()[:2] == [stored.batch_id] * 2 and pd.isna(
        diff["old_batch_id"].iloc[2]
    )
    assert diff["old_is_demo"].tolist() == [False, False, None]
    assert diff["period"].dt.strftime("%Y-%m").tolist() == ["2020-04", "2020-03", "2021-01"]
