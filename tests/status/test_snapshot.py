"""The shared evaluation (status/snapshot.py) on a real DuckDB file: the same frame as the status path,
kept in the store per data version, computed again by after_write, and not invalidated by sign-ins,
which change no data."""

from __future__ import annotations

import shutil

import pandas as pd

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
