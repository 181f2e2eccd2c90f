"""The shared evaluation (status/snapshot.py) on a real DuckDB file: the same frame as the status path,
kept in the store per data version, computed again by after_write, and not invalidated by sign-ins,
which change no data."""

from __future__ import annotations

import shutil
import threading

import pandas as pd
from conftest import wait_until

from indicators import store
from indicators.accounts import auth, sessions
from indicators.accounts.actor import local_operator
from indicators.ingest import service as uploads
from indicators.status import service as status
from indicators.status import snapshot
from indicators.store import db


def kept(path) -> list[str]:
    with db.connect(path, read_only=True) as con:
        return [r[0] for r in con.execute("SELECT data_version FROM evaluations").fetchall()]


def test_the_shared_evaluation_is_the_status_path_kept_per_data_version(demo_db, tmp_path):
    path = tmp_path / "snap.duckdb"
    shutil.copy(demo_db, path)
    first = snapshot.evaluation(path)
    pd.testing.assert_frame_equal(first, status.status(path, None, None, explain=False))
    # an optional label is one dtype for every city: missing is None, never NaN from another city's group
    assert first.trend_category.dtype == object and first.cannot_meet.dtype == object
    assert {type(v) for v in first.trend_category} == {str, type(None)}
    version = snapshot.version(path)
    assert kept(path) == [version]
    snapshot._MEMO.clear()  # as another server process, or this one after a restart, would find it
    pd.testing.assert_frame_equal(snapshot.evaluation(path), first)

    auth.add_user(path, local_operator(), "chief", "admin", [], "a long password")
    sessions.sign_in(path, "chief", "a long password")
    assert snapshot.version(path) == version  # accounts and sessions are not data

    data = "城市,指标,月份,数值,单位\n灵武市,pm25,2020-03,99,ug/m3\n".encode()
    batch = uploads.ingest_file(path, data, "march.csv", local_operator()).batch_id
    assert batch is not None
    snapshot.after_write(path).join()  # not yet called by the writers (see snapshot.after_write)
    after = snapshot.version(path)
    assert after != version and kept(path) == [after]  # only the newest kept
    snapshot._MEMO.clear()
    with db.connect(path, read_only=True) as con:
        assert store.load_evaluation(con, after) is not None
    pd.testing.assert_frame_equal(snapshot.evaluation(path), status.status(path, None, None, explain=False))


def test_keep_warm_computes_each_new_version_as_soon_as_it_is_written(demo_db, tmp_path):
    path = tmp_path / "warm.duckdb"
    shutil.copy(demo_db, path)
    stop = threading.Event()
    warm = threading.Thread(target=snapshot.keep_warm, args=(path, stop, 0.1))
    warm.start()
    try:
        first = snapshot.version(path)
        assert wait_until(lambda: kept(path) == [first])  # before anyone asked
        data = "城市,指标,月份,数值,单位\n灵武市,pm25,2020-03,77,ug/m3\n".encode()
        # a write in this process while the thread reads the file: retried, not a handle conflict
        assert uploads.ingest_file(path, data, "march.csv", local_operator()).batch_id is not None
        new = snapshot.version(path)
        assert new != first
        assert wait_until(lambda: kept(path) == [new])  # nobody called evaluation()
    finally:
        stop.set()
        warm.join()
    with db.connect(path, read_only=True) as con:
        blob = store.load_evaluation(con, new)
    assert blob is not None
    # what was kept is the evaluation of the data with the upload, exactly (dtypes too)
    pd.testing.assert_frame_equal(snapshot._from_bytes(blob), status.status(path, None, None, explain=False))
