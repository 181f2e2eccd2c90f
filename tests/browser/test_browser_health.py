"""/healthz of the real server: 200 "ok" when the database opens with a current schema; 503 and one word
(damaged, behind, missing) otherwise, never a path. The server starts even when the file is damaged."""

from __future__ import annotations

import urllib.error
import urllib.request

import pytest
from browser import served_app

from indicators.store import db

pytestmark = pytest.mark.browser


def health(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(f"{url}/healthz", timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def test_up_then_behind_then_missing(tmp_path):
    path = tmp_path / "app.duckdb"
    with served_app(path) as url:  # the lifespan builds the database before the server answers
        assert health(url) == (200, "ok")
        with db.connect(path) as con:  # as if this code were newer than the file
            con.execute("DELETE FROM schema_migrations WHERE name = '0012_sessions'")
        assert health(url) == (503, "behind")
        with db.connect(path) as con:
            con.execute("INSERT INTO schema_migrations VALUES ('0012_sessions', now())")
        assert health(url) == (200, "ok")
        path.unlink()
        assert health(url) == (503, "missing")


def test_a_damaged_file(tmp_path):
    broken = tmp_path / "broken.duckdb"
    broken.write_bytes(b"this is not a DuckDB database" * 1000)
    with served_app(broken) as url:
        status, word = health(url)
    assert (status, word) == (503, "damaged")
    assert str(tmp_path) not in word
