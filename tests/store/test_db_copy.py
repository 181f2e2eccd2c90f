"""`indicators db copy SOURCE TARGET`: a deployment moved from a DuckDB file into PostgreSQL and back keeps
every row of every table (compared here row by row, apart from the command's own checksums), numbers new
batches after the copied ones, and refuses a target that holds anything."""

from __future__ import annotations

import datetime as dt

from conftest import FIXTURES, run_cli

from indicators import service, store
from indicators.accounts import auth
from indicators.accounts.actor import local_operator
from indicators.ingest import service as uploads
from indicators.store import copy, db

UPLOADS = FIXTURES / "uploads"
OP = local_operator()


def everything(path) -> dict[str, list[str]]:
    """Every table's rows, each spelled by repr with its columns in name order, sorted (schema_migrations:
    only the names; when the target's schema was made is its own)."""
    with db.connect(path, read_only=True) as con:
        names = [t for t in copy.tables(con) if t != "schema_migrations"]
        out = {}
        for table in names:
            cols = ", ".join(sorted(copy.columns(con, table)))
            out[table] = sorted(repr(r) for r in con.execute(f"SELECT {cols} FROM {table}").fetchall())
        out["schema_migrations"] = [
            r[0] for r in con.execute("SELECT name FROM schema_migrations").fetchall()
        ]
    return out


def busy_deployment(path) -> None:
    """Demo data, two uploads (one undone), an account: batches, revisions, an undo, audit rows."""
    service.add_demo(path)
    data = (UPLOADS / "good" / "long_utf8.csv").read_bytes()
    first = uploads.ingest_file(path, data, "a.csv", OP, today=dt.date(2026, 11, 23))
    changed = data.replace(b",35,", b",36,")
    uploads.ingest_file(path, changed, "b.csv", OP, today=dt.date(2026, 11, 23))
    assert first.batch_id is not None
    uploads.undo(path, first.batch_id, OP)
    auth.add_user(path, OP, "wu", "staff", ["灵武市"], "correct horse battery")


def test_duckdb_to_postgresql_and_back_keeps_every_row(tmp_path, pg_cluster):
    source, back = tmp_path / "source.duckdb", tmp_path / "back.duckdb"
    busy_deployment(source)
    url = pg_cluster.create()
    done = run_cli("db", "copy", str(source), url)
    assert done.returncode == 0, done.stderr
    assert "copied and verified" in done.stdout and "已复制并核对" in done.stdout
    before = everything(source)
    assert everything(url) == before
    assert [len(before[t]) for t in ("batches", "batch_undos", "users")] == [4, 1, 1]  # demo, a, b, undo
    assert run_cli("db", "copy", url, str(back)).returncode == 0
    assert everything(back) == before
    # new writes continue the numbering: batch 5 after the four copied, on both copies
    for target in (url, back):
        with db.connect(target) as con:
            assert store.new_batch(con, "upload", "t") == 5


def test_a_target_with_rows_is_refused_and_left_as_it_was(tmp_path, pg_cluster):
    source = tmp_path / "source.duckdb"
    service.add_demo(source)
    url = pg_cluster.create()
    store.init(url)  # the catalog is loaded: not empty
    before = everything(url)
    refused = run_cli("db", "copy", str(source), url)
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
    assert "目标数据库不是空的" in refused.stderr and "the target is not empty" in refused.stderr
    assert everything(url) == before
    # and a DuckDB target with rows likewise
    other = tmp_path / "other.duckdb"
    store.init(other)
    assert run_cli("db", "copy", url, str(other)).returncode == 2
