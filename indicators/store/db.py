"""Open the DuckDB file and bring its schema up to date. The only module that opens the file.

DuckDB lets one process hold a file for writing and then no other process can open it at all, so every
caller holds a connection only for the work at hand (`connect` is a context manager) and a busy file is
retried briefly before `StoreBusy` is raised.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from indicators.errors import StoreBusy
from indicators.paths import MIGRATIONS_DIR
from indicators.store.tx import transaction

RETRY_SECONDS = 10.0


def _is_lock_error(exc: duckdb.Error) -> bool:
    text = str(exc).lower()
    # "different configuration": the same process has the file open read-only in another thread
    return any(m in text for m in ("lock", "conflicting", "being used", "different configuration"))


@contextmanager
def connect(
    path: Path | str, read_only: bool = False, retry_seconds: float = RETRY_SECONDS
) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection held only inside the `with`; retried while another process holds the file."""
    target = str(path)
    if target != ":memory:":
        Path(target).parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + retry_seconds
    delay = 0.02
    while True:
        try:
            con = duckdb.connect(target, read_only=read_only)
            break
        except duckdb.Error as exc:
            if not _is_lock_error(exc) or time.monotonic() >= deadline:
                if _is_lock_error(exc):
                    raise StoreBusy() from exc
                raise
            time.sleep(delay)
            delay = min(delay * 2, 0.5)
    try:
        yield con
    finally:
        con.close()


def migration_files() -> list[Path]:
    return sorted(MIGRATIONS_DIR.glob("[0-9][0-9][0-9][0-9]_*.sql"))


def applied_migrations(con: duckdb.DuckDBPyConnection) -> list[str]:
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (name VARCHAR PRIMARY KEY, applied_at TIMESTAMP)"
    )
    return [r[0] for r in con.execute("SELECT name FROM schema_migrations ORDER BY name").fetchall()]


def migrate(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Apply each migration not yet recorded, each in its own transaction; return the names applied."""
    done = set(applied_migrations(con))
    applied = []
    for path in migration_files():
        name = path.stem
        if name in done:
            continue
        with transaction(con):
            con.execute(path.read_text(encoding="utf-8"))
            con.execute("INSERT INTO schema_migrations VALUES (?, ?)", [name, dt.datetime.now()])
        applied.append(name)
    return applied


def schema_state(con: duckdb.DuckDBPyConnection) -> str:
    """ "current", "behind" (a migration of this code is not applied, or none is) or "ahead" (the file was
    upgraded by newer code); reads only, so it works on a read-only connection."""
    known = {p.stem for p in migration_files()}
    try:
        applied = {r[0] for r in con.execute("SELECT name FROM schema_migrations").fetchall()}
    except duckdb.CatalogException:
        return "behind"
    if known - applied:
        return "behind"
    return "ahead" if applied - known else "current"
