"""Moving a deployment: every table of one store copied into another, DuckDB -> PostgreSQL or back.

The target gets the schema by the same migrations, then, in one transaction, every row of every table (the
catalog, every revision, batch, undo, account, target edit, note, snapshot and audit row) and its id
sequences set past the copied ids. Each table is then verified: the same row count and the same checksum
(SHA-256 of its rows in a canonical order and spelling) on both sides. A target that holds any row is
refused (nothing is merged), and so is a source whose schema is older than this program's.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

import pyarrow as pa

from indicators.errors import DabiaoError
from indicators.store import db
from indicators.store.db import Address, Connection
from indicators.store.tx import transaction


class CopyRefused(DabiaoError, ValueError):
    """`db copy` refused before writing anything."""

    code = "copy_refused"


@dataclass(frozen=True)
class TableCopy:
    table: str
    rows: int
    checksum: str  # equal on both sides


def tables(con: Connection) -> list[str]:
    """The store's base tables (not views, and on PostgreSQL not the partitions of one: their rows are the
    table's), by name."""
    if db.dialect(con) == "postgresql":
        found = con.execute(
            "SELECT c.relname FROM pg_class c WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition "
            "AND c.relnamespace = current_schema()::regnamespace ORDER BY c.relname"
        ).fetchall()
    else:
        found = con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE' "
            "AND table_schema = current_schema() ORDER BY table_name"
        ).fetchall()
    return [str(r[0]) for r in found]


def columns(con: Connection, table: str) -> list[str]:
    found = con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = ? "
        "AND table_schema = current_schema() ORDER BY ordinal_position",
        [table],
    ).fetchall()
    return [str(r[0]) for r in found]


def _sequences(con: Connection) -> dict[str, tuple[str, str]]:
    """sequence name -> (table, column) whose default draws from it."""
    found = con.execute(
        "SELECT table_name, column_name, column_default FROM information_schema.columns "
        "WHERE table_schema = current_schema() AND column_default LIKE '%nextval%'"
    ).fetchall()
    out = {}
    for table, column, default in found:
        m = re.search(r"nextval\('+\"?([A-Za-z_]\w*)", str(default))
        if m:
            out[m.group(1)] = (str(table), str(column))
    return out


def checksum(con: Connection, table: str, names: list[str]) -> tuple[int, str]:
    """(row count, SHA-256 of the rows in a canonical spelling, sorted): the same on either backend."""
    cols = ", ".join(f'"{c}"' for c in sorted(names))
    lines = sorted(_canonical(row) for row in con.execute(f'SELECT {cols} FROM "{table}"').fetchall())
    digest = hashlib.sha256()
    for line in lines:
        digest.update(line.encode("utf-8"))
        digest.update(b"\n")
    return len(lines), digest.hexdigest()


def _canonical(row: tuple[object, ...]) -> str:
    return repr(tuple(list(v) if isinstance(v, (list, tuple)) else v for v in row))


def _schema_current(con: Connection) -> bool:
    try:
        done = set(db.applied_migrations_read(con))
    except db.missing_table_errors():
        return False
    return {p.stem for p in db.migration_files()} <= done


def _write(con: Connection, table: str, names: list[str], data: pa.Table) -> None:
    if not data.num_rows:
        return
    if db.dialect(con) == "postgresql":
        from indicators.store.pg import PgConnection, copy_rows

        assert isinstance(con, PgConnection)
        copy_rows(con.raw, table, data)
        return
    cols = ", ".join(f'"{c}"' for c in names)
    con.register("copy_rows", data)
    try:
        con.execute(f'INSERT INTO "{table}" ({cols}) SELECT {cols} FROM copy_rows')
    finally:
        con.unregister("copy_rows")


def _advance(con: Connection, sequence: str, table: str, column: str) -> None:
    """Let the sequence's next value lie above every copied id."""
    row = con.execute(f'SELECT max("{column}") FROM "{table}"').fetchone()
    top = int(row[0]) if row and row[0] is not None else 0
    if not top:
        return
    if db.dialect(con) == "postgresql":
        con.execute("SELECT setval(?, ?)", [sequence, top])
    else:  # DuckDB's sequences cannot be set: draw up to the top
        con.execute(f"SELECT max(nextval('{sequence}')) FROM range(?)", [top])


def copy_store(source: Address, target: Address) -> list[TableCopy]:
    """Copy every table of `source` into the empty store `target`; verified table by table."""
    if str(db.address(source)) == str(db.address(target)):
        raise CopyRefused("源与目标相同", "the source and the target are the same store", "copy_same")
    if not db.exists(source):
        raise CopyRefused(f"源数据库不存在：{source}", f"no store at {source}", "copy_no_source")
    with db.connect(source, read_only=True) as src:
        if not _schema_current(src):
            raise CopyRefused(
                "源数据库的结构不是最新的，请先对它运行 indicators init",
                "the source's schema is not up to date: run indicators init on it first",
                "copy_source_old",
            )
        names = [t for t in tables(src) if t != "schema_migrations"]
        with db.connect(target) as dst, db.schema_lock(dst):
            db.migrate(dst)
            filled = [t for t in tables(dst) if t != "schema_migrations" and _has_rows(dst, t)]
            if filled:
                raise CopyRefused(
                    f"目标数据库不是空的（{', '.join(filled)} 有数据），没有复制任何内容",
                    f"the target is not empty ({', '.join(filled)} hold rows): nothing was copied",
                    "copy_target_not_empty",
                )
            missing = sorted(set(names) - set(tables(dst)))
            if missing:
                raise CopyRefused(
                    f"目标数据库缺少表：{', '.join(missing)}",
                    f"the target lacks tables: {', '.join(missing)}",
                )
            with transaction(dst):
                for table in names:
                    cols = columns(src, table)
                    quoted = ", ".join(f'"{c}"' for c in cols)
                    data = src.sql(f'SELECT {quoted} FROM "{table}"').to_arrow_table()
                    _write(dst, table, cols, data)
                for sequence, (table, column) in _sequences(dst).items():
                    _advance(dst, sequence, table, column)
            report = []
            for table in names:
                cols = columns(src, table)
                count, digest = checksum(src, table, cols)
                if checksum(dst, table, cols) != (count, digest):
                    raise RuntimeError(f"bug: table {table} differs after the copy")
                report.append(TableCopy(table, count, digest))
    return report


def _has_rows(con: Connection, table: str) -> bool:
    return con.execute(f'SELECT 1 FROM "{table}" LIMIT 1').fetchone() is not None
