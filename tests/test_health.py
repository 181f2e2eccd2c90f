"""/healthz's answer (web/health.state) on real files: current, behind, ahead, damaged (a DuckDB file cut
short, a foreign file) and missing; one word each, never a path. The served route is tested in
tests/browser/test_browser_health.py."""

from __future__ import annotations

import shutil

from indicators.store import db
from web import health


def test_current_behind_ahead(demo_db, tmp_path):
    path = tmp_path / "h.duckdb"
    shutil.copy(demo_db, path)
    assert health.state(path) == "current"
    with db.connect(path) as con:
        con.execute("DELETE FROM schema_migrations WHERE name = '0012_sessions'")
    assert health.state(path) == "behind"
    with db.connect(path) as con:
        con.execute("INSERT INTO schema_migrations VALUES ('0012_sessions', now()), ('9999_newer', now())")
    assert health.state(path) == "ahead"


def test_damaged_and_missing(demo_db, tmp_path):
    cut = tmp_path / "cut.duckdb"
    data = demo_db.read_bytes()
    cut.write_bytes(data[: len(data) // 3])  # a real DuckDB header, most blocks gone
    foreign = tmp_path / "foreign.duckdb"
    foreign.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(4096))
    assert health.state(cut) == "damaged"
    assert health.state(foreign) == "damaged"
    assert health.state(tmp_path / "none.duckdb") == "missing"
    assert cut.read_bytes() == data[: len(data) // 3]  # looking changed nothing
