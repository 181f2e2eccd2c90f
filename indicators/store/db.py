"""Open the store and bring its schema up to date. The only module that opens it.

The store is a DuckDB file (a path, the default) or a PostgreSQL database (an address postgresql://…, for a
team: several processes and app servers writing at once). Both are spoken to through one connection surface
(DuckDB's; `pg.PgConnection` gives it over psycopg) and the few statements that must differ are chosen by
`dialect(con)`. Migrations are the same numbered files for both; for PostgreSQL the type names DOUBLE and
BLOB are translated, and a file migrations/postgresql/NNNN_name.sql replaces NNNN_name.sql where the SQL
itself must differ.

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
from typing import TYPE_CHECKING, Any, TypeAlias, cast

import duckdb

from indicators.errors import StoreBusy, StoreDamaged, StoreReadOnly, StoreUnreachable, StoreWriteFailed
from indicators.paths import MIGRATIONS_DIR
from indicators.store.tx import transaction

if TYPE_CHECKING:
    import psycopg

# The connection every store function takes: DuckDB's, or pg.PgConnection with the same surface.
Connection: TypeAlias = duckdb.DuckDBPyConnection
Address: TypeAlias = Path | str
URL_SCHEMES = ("postgresql://", "postgres://")

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


# an account's cities (user_cities c joined to users u) as a sorted array, empty for none: the same SQL on
# DuckDB and PostgreSQL (store.accounts, store.sessions)
ACCOUNT_CITIES = (
    "coalesce(array_agg(c.city ORDER BY c.city) FILTER (WHERE c.city IS NOT NULL), ARRAY[]::VARCHAR[])"
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


def is_url(path: Address) -> bool:
    """A PostgreSQL address (postgresql://…) rather than the path of a DuckDB file."""
    return isinstance(path, str) and path.startswith(URL_SCHEMES)


def dialect(con: Connection) -> str:
    """'duckdb' or 'postgresql': which SQL the connection speaks."""
    return str(getattr(con, "dialect", "duckdb"))


def exists(path: Address) -> bool:
    """Is there a store at `path`? (A PostgreSQL database answers when connected to.)"""
    return True if is_url(path) else Path(path).exists()


def may_write(path: Address) -> bool:
    """May this process write the store? (PostgreSQL says so itself, through its grants.)"""
    return True if is_url(path) else writable(Path(path))


def address(path: Address) -> Address:
    """A store's address as given: a URL stays text, anything else is a path."""
    return str(path) if is_url(path) else Path(path)


def version(path: Address) -> float:
    """A number that changes whenever the store is written (what caches of its reads are keyed on): a DuckDB
    file's modification time; in PostgreSQL, which other processes write, the newest audit row (every write
    appends one) and when the catalog was loaded. 0 when there is no store yet."""
    if not is_url(path):
        try:
            return os.path.getmtime(path)
        except OSError:
            return 0.0
    try:
        with connect(path, read_only=True) as con:
            row = con.execute(
                "SELECT (SELECT coalesce(max(id), 0) FROM audit_log), "
                "(SELECT max(loaded_at) FROM catalog_state)"
            ).fetchone()
    except missing_table_errors():
        return 0.0
    if row is None:
        return 0.0
    loaded = row[1].timestamp() if row[1] is not None else 0.0
    return float(row[0]) * 1e6 + loaded % 1e6  # exact while there are fewer than 9e9 audit rows


def bulk_cursor(con: Connection) -> Connection:
    """A cursor for a large read (the whole store's values or targets), used as `with bulk_cursor(con) as
    cur: cur.sql(...).to_arrow_reader()`: DuckDB's cursor; on PostgreSQL one whose reads outside a
    transaction come as Arrow through ADBC (binary COPY) instead of row by row through psycopg."""
    bulk = getattr(con, "bulk", None)
    return cast(Connection, bulk()) if bulk is not None else con.cursor()


def key_hash(con: Connection, *columns: str) -> str:
    """SQL of a 64-bit hash of the columns' values (DuckDB's hash; on PostgreSQL the 32-bit hashtext of
    each of two columns side by side, else hashtextextended of their text): the same values give the same
    hash within one store. Distinct values may share one; the readers check (store.monthly_values)."""
    if dialect(con) == "duckdb":
        return f"hash({', '.join(columns)})"
    if len(columns) == 2:  # a series (city, indicator): the 32-bit hashes of the two side by side, half
        # the server's time of one hash of the joined text (measured at 6 million values: 2.8 s vs 4.1 s)
        first, second = (f"coalesce(hashtext(({c})::text), 0)::BIGINT" for c in columns)
        return f"(({first} << 32) | ({second} & 4294967295))"
    text = " || chr(31) || ".join(f"coalesce(({c})::text, chr(30))" for c in columns)
    return f"hashtextextended({text}, 0)"


def hex_bits(con: Connection, text: str, digits: int = 8) -> str:
    """SQL of the first `digits` (at most 15) hexadecimal digits of the text `text` as a non-negative
    BIGINT: the same number on both backends (e.g. of an md5())."""
    if dialect(con) == "duckdb":
        return f"CAST('0x' || substr({text}, 1, {digits}) AS BIGINT)"
    return f"CAST(CAST('x' || lpad(substr({text}, 1, {digits}), 16, '0') AS BIT(64)) AS BIGINT)"


def missing_table_errors() -> tuple[type[BaseException], ...]:
    """What a read of a table that does not exist raises, on either backend."""
    import psycopg

    return (duckdb.CatalogException, psycopg.errors.UndefinedTable)


@contextmanager
def _connect_pg(url: str, read_only: bool) -> Iterator[Connection]:
    import psycopg

    from indicators.store.pg import PgConnection

    try:
        raw: psycopg.Connection[Any] = psycopg.connect(url, autocommit=True, connect_timeout=10)
    except psycopg.OperationalError as exc:
        raise StoreUnreachable(url) from exc
    con = PgConnection(raw, url)
    try:  # read_only changes nothing here: a read holds no lock (and may make temporary tables)
        yield cast(Connection, con)
    except psycopg.errors.ReadOnlySqlTransaction as exc:
        raise StoreReadOnly() from exc
    except psycopg.errors.DiskFull as exc:
        raise StoreWriteFailed() from exc
    except psycopg.OperationalError as exc:  # the server went away
        raise StoreUnreachable(url) from exc
    finally:
        con.close()


@contextmanager
def connect(
    path: Address, read_only: bool = False, retry_seconds: float = RETRY_SECONDS
) -> Iterator[Connection]:
    """A connection held only inside the `with`; retried while another process holds the file."""
    if is_url(path):
        with _connect_pg(str(path), read_only) as pg_con:
            yield pg_con
        return
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


# DuckDB's type names that PostgreSQL spells otherwise (outside quoted text and comments)
_PG_NAMES = re.compile(r"'(?:[^']|'')*'|--[^\n]*|\b(DOUBLE)\b(?!\s+PRECISION)|\b(BLOB)\b", re.I)


def migration_sql(path: Path, dialect_name: str) -> str:
    """A migration's SQL for a dialect: for PostgreSQL its override file when there is one, else the file
    with DOUBLE -> DOUBLE PRECISION and BLOB -> BYTEA."""
    if dialect_name == "duckdb":
        return path.read_text(encoding="utf-8")
    override = path.parent / dialect_name / path.name
    if override.exists():
        return override.read_text(encoding="utf-8")

    def name(m: re.Match[str]) -> str:
        if m.group(1):
            return "DOUBLE PRECISION"
        return "BYTEA" if m.group(2) else m.group(0)

    return _PG_NAMES.sub(name, path.read_text(encoding="utf-8"))


def applied_migrations(con: Connection) -> list[str]:
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (name VARCHAR PRIMARY KEY, applied_at TIMESTAMP)"
    )
    return [r[0] for r in con.execute("SELECT name FROM schema_migrations ORDER BY name").fetchall()]


def applied_migrations_read(con: Connection) -> list[str]:
    """The migrations recorded, read without writing (missing_table_errors() on a store never initialised)."""
    return [r[0] for r in con.execute("SELECT name FROM schema_migrations ORDER BY name").fetchall()]


# PostgreSQL: one process at a time upgrades the schema and reloads the catalog (an advisory lock's key)
SCHEMA_LOCK = 7_480_001


@contextmanager
def schema_lock(con: Connection) -> Iterator[None]:
    """Held while a process migrates and loads the catalog; other processes wait (PostgreSQL only: a
    DuckDB file has one writing process anyway)."""
    if dialect(con) == "duckdb":
        yield
        return
    con.execute("SELECT pg_advisory_lock(?)", [SCHEMA_LOCK])
    try:
        yield
    finally:
        con.execute("SELECT pg_advisory_unlock(?)", [SCHEMA_LOCK])


def migrate(con: Connection) -> list[str]:
    """Apply each migration not yet recorded, each in its own transaction; return the names applied."""
    done = set(applied_migrations(con))
    applied = []
    for path in migration_files():
        name = path.stem
        if name in done:
            continue
        with transaction(con):
            con.execute(migration_sql(path, dialect(con)))
            con.execute("INSERT INTO schema_migrations VALUES (?, ?)", [name, dt.datetime.now()])
        applied.append(name)
    return applied


def schema_state(con: Connection) -> str:
    """ "current", "behind" (a migration of this code is not applied, or none is) or "ahead" (the file was
    upgraded by newer code); reads only, so it works on a read-only connection."""
    known = {p.stem for p in migration_files()}
    try:
        applied = set(applied_migrations_read(con))
    except missing_table_errors():
        return "behind"
    if known - applied:
        return "behind"
    return "ahead" if applied - known else "current"
