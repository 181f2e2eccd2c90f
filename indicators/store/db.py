"""Open the DuckDB file and bring its schema up to date. The only module that opens the file.

DuckDB lets one process hold a file for writing and then no other process can open it at all, so every
caller holds a connection only for the work at hand (`connect` is a context manager) and a busy file is
retried briefly before `StoreBusy` is raised.

What is not busy says so at once: a file that does not start like a DuckDB database (empty, a PNG, an SQLite
file, which would make DuckDB look for an extension: autoloading is off anyway) or that DuckDB cannot read
is `StoreDamaged`; a write to a read-only file or mount is `StoreReadOnly`; a disk that refuses a write
(full) is `StoreWriteFailed`, after which the connection is dropped, so that the next one reads the file
afresh.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from indicators.errors import StoreBusy, StoreDamaged, StoreReadOnly, StoreWriteFailed
from indicators.paths import MIGRATIONS_DIR
from indicators.store.tx import transaction

RETRY_SECONDS = 10.0


# Never fetch or load code because of a file's content (an SQLite file otherwise asks for the extension).
CONFIG: dict[str, str | bool | int | float | list[str]] = {
    "autoload_known_extensions": False,
    "autoinstall_known_extensions": False,
}
MAGIC = b"DUCK"  # bytes 8-11 of every DuckDB database file
_LOCK = re.compile(
    r"could not set lock|conflicting lock|being used|different configuration|unique file handle conflict",
    re.I,
)
_READ_ONLY = re.compile(r"read-only file system|permission denied|read.only mode", re.I)
_NO_SPACE = re.compile(
    r"no space left|disk (is )?full|could not write|failed to write|could not truncate", re.I
)
_DAMAGED = re.compile(
    r"not a valid duckdb|could not read enough bytes|corrupt|checksum|serializ|invalid (block|header)"
    r"|unsupported .*version|created with",
    re.I,
)


def _is_lock_error(exc: duckdb.Error) -> bool:
    # "different configuration": the same process has the file open read-only in another thread;
    # "unique file handle conflict": another thread of this process is attaching or closing the same file
    return bool(_LOCK.search(str(exc)))


def check_header(path: Path) -> None:
    """StoreDamaged unless an existing file starts as a DuckDB database does (read before DuckDB sees it)."""
    try:
        with path.open("rb") as f:
            head = f.read(12)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise StoreDamaged() from exc
    if head[8:12] != MAGIC:
        raise StoreDamaged()


def writable(path: Path) -> bool:
    """May this process write the file (or create it)? False on a read-only file or mount."""
    if path.exists():
        return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)
    parent = next((p for p in path.parents if p.exists()), Path("."))
    return os.access(parent, os.W_OK)


def _open(target: str, read_only: bool, retry_seconds: float) -> duckdb.DuckDBPyConnection:
    deadline = time.monotonic() + retry_seconds
    delay = 0.02
    while True:
        try:
            return duckdb.connect(target, read_only=read_only, config=CONFIG)
        except duckdb.Error as exc:
            if _is_lock_error(exc):
                if time.monotonic() >= deadline:
                    raise StoreBusy() from exc
                time.sleep(delay)
                delay = min(delay * 2, 0.5)
                continue
            if _READ_ONLY.search(str(exc)):
                raise StoreReadOnly() from exc
            raise StoreDamaged() from exc


@contextmanager
def connect(
    path: Path | str, read_only: bool = False, retry_seconds: float = RETRY_SECONDS
) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection held only inside the `with`; retried while another process holds the file."""
    target = str(path)
    if target != ":memory:":
        check_header(Path(target))
        if not read_only and not writable(Path(target)):
            raise StoreReadOnly()
        Path(target).parent.mkdir(parents=True, exist_ok=True)
    con = _open(target, read_only, retry_seconds)
    try:
        yield con
    except duckdb.Error as exc:  # only what the file or the disk caused is translated; the rest is a bug
        text = str(exc)
        if _NO_SPACE.search(text):
            raise StoreWriteFailed() from exc
        if _READ_ONLY.search(text):
            raise StoreReadOnly() from exc
        if _DAMAGED.search(text):
            raise StoreDamaged() from exc
        raise
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
