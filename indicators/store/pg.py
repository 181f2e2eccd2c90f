"""PostgreSQL through psycopg 3, behind the part of DuckDB's connection API that the store uses.

The store's modules are written against one connection surface: `execute(sql, params)` returning something
with fetchone/fetchall/df/fetchnumpy/description, `executemany`, `sql(...).to_arrow_table()`, `register` of
a pandas or Arrow frame under a name, `cursor()`. `PgConnection` gives that surface over a psycopg
connection, so that one store API serves both backends; the SQL that must differ is chosen by
`db.dialect(con)` where it is written.

What is translated here, and only this: parameter marks (`?`, `$1`, `$name` -> psycopg's `%s`/`%(name)s`,
a literal `%` doubled), the result rows into Arrow (one column type per PostgreSQL type) and from there
into pandas or numpy by DuckDB itself, so that a frame read from PostgreSQL has the dtypes of the same frame
read from DuckDB; and a registered frame becomes a temporary table filled with COPY.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import duckdb
import numpy as np
import pandas as pd
import psycopg
import pyarrow as pa

# PostgreSQL type OIDs -> Arrow types (what the store's tables hold; anything else is read as text)
_ARROW: dict[int, pa.DataType] = {
    16: pa.bool_(),
    17: pa.binary(),
    20: pa.int64(),
    21: pa.int16(),
    23: pa.int32(),
    25: pa.string(),
    700: pa.float32(),
    701: pa.float64(),
    1043: pa.string(),
    1042: pa.string(),
    1082: pa.date32(),
    1114: pa.timestamp("us"),
    1184: pa.timestamp("us", tz="UTC"),
    1700: pa.float64(),  # numeric: sums and averages
    1009: pa.list_(pa.string()),  # text[]
    1015: pa.list_(pa.string()),  # varchar[]
    1007: pa.list_(pa.int32()),
    1016: pa.list_(pa.int64()),
    114: pa.string(),  # json
    3802: pa.string(),  # jsonb
}
# Arrow types -> PostgreSQL column types of a registered frame
_PG_TYPES = [
    (pa.types.is_boolean, "BOOLEAN"),
    (pa.types.is_int8, "SMALLINT"),
    (pa.types.is_int16, "SMALLINT"),
    (pa.types.is_int32, "INTEGER"),
    (pa.types.is_integer, "BIGINT"),
    (pa.types.is_floating, "DOUBLE PRECISION"),
    (pa.types.is_date, "DATE"),
    (pa.types.is_timestamp, "TIMESTAMP"),
    (pa.types.is_binary, "BYTEA"),
    (pa.types.is_large_binary, "BYTEA"),
]

_MARKS = re.compile(r"'(?:[^']|'')*'|\"[^\"]*\"|\$\d+|\$[A-Za-z_]\w*|\?|%")


def translate(sql: str, params: object) -> tuple[str, Sequence[Any] | Mapping[str, Any]]:
    """DuckDB's parameter marks -> psycopg's, outside quoted text: `?` -> %s, `$1` and `$name` -> %(…)s."""
    named: dict[str, object] = dict(params) if isinstance(params, dict) else {}
    positional = list(params) if isinstance(params, (list, tuple)) else []
    uses_numbers = False

    def mark(m: re.Match[str]) -> str:
        nonlocal uses_numbers
        token = m.group(0)
        if token[0] in "'\"":
            return token.replace("%", "%%")
        if token == "%":
            return "%%"
        if token == "?":
            return "%s"
        if token[1:].isdigit():
            uses_numbers = True
            return f"%(p{token[1:]})s"
        return f"%({token[1:]})s"

    text = _MARKS.sub(mark, sql)
    if uses_numbers:
        return text, {f"p{i}": v for i, v in enumerate(positional, 1)}
    if isinstance(params, dict):
        return text, named
    return text, positional


def _column_type(oid: int) -> pa.DataType:
    return _ARROW.get(oid, pa.string())


def _values(oid: int, cells: list[Any]) -> list[Any]:
    if oid == 1700:
        return [None if c is None else float(c) for c in cells]
    if oid in (114, 3802) or oid not in _ARROW:
        return [None if c is None or isinstance(c, str) else str(c) for c in cells]
    return cells


def rows_to_arrow(description: Sequence[Any] | None, rows: list[tuple[Any, ...]]) -> pa.Table:
    if not description:
        return pa.table({})
    columns = list(zip(*rows, strict=True)) if rows else [() for _ in description]
    arrays = {}
    names: list[str] = []
    for i, (col, cells) in enumerate(zip(description, columns, strict=True)):
        name = col.name
        while name in names:  # DuckDB names a repeated column name_1
            name = f"{col.name}_{i}"
        names.append(name)
        arrays[name] = pa.array(_values(col.type_code, list(cells)), type=_column_type(col.type_code))
    return pa.table(arrays)


def _to_pandas(table: pa.Table) -> pd.DataFrame:
    """The frame DuckDB's .df() gives of the same rows (DuckDB converts the Arrow table)."""
    return duckdb.from_arrow(table).df()


class Result:
    """What `execute` returns: the rows of the last statement."""

    def __init__(self, description: Sequence[Any] | None, rows: list[tuple[Any, ...]]):
        self.description = description
        self._rows = rows
        self._at = 0

    def fetchone(self) -> tuple[Any, ...] | None:
        if self._at >= len(self._rows):
            return None
        self._at += 1
        return self._rows[self._at - 1]

    def fetchall(self) -> list[tuple[Any, ...]]:
        rest, self._at = self._rows[self._at :], len(self._rows)
        return rest

    def to_arrow_table(self) -> pa.Table:
        return rows_to_arrow(self.description, self.fetchall())

    def arrow(self) -> pa.Table:
        return self.to_arrow_table()

    def to_arrow_reader(self, batch_size: int = 1 << 20) -> pa.RecordBatchReader:
        table = self.to_arrow_table()
        return pa.RecordBatchReader.from_batches(table.schema, table.to_batches(batch_size))

    def df(self) -> pd.DataFrame:
        return _to_pandas(self.to_arrow_table())

    def fetchnumpy(self) -> dict[str, np.ndarray]:
        return duckdb.from_arrow(self.to_arrow_table()).fetchnumpy()


class PgConnection:
    """A psycopg connection with the DuckDB connection's surface (see the module's docstring)."""

    dialect = "postgresql"

    def __init__(self, raw: psycopg.Connection[Any]):
        self.raw = raw
        self._last: Result | None = None

    # --- DuckDB's surface -------------------------------------------------------------------------------
    def execute(self, sql: str, params: object = None) -> Result:
        with self.raw.cursor() as cur:
            if params is None:  # sent as it is: several statements (a migration) may run at once
                cur.execute(sql.encode("utf-8"))
            else:
                text, values = translate(sql, params)
                cur.execute(text.encode("utf-8"), values)
            rows = cur.fetchall() if cur.description else []
            self._last = Result(cur.description, rows)
        return self._last

    def sql(self, sql: str, params: object = None) -> Result:
        return self.execute(sql, params)

    def executemany(self, sql: str, rows: Sequence[Sequence[object]]) -> None:
        text, _ = translate(sql, [])
        with self.raw.cursor() as cur:
            cur.executemany(text.encode("utf-8"), [list(r) for r in rows])

    def fetchone(self) -> tuple[Any, ...] | None:
        return self._last.fetchone() if self._last else None

    def fetchall(self) -> list[tuple[Any, ...]]:
        return self._last.fetchall() if self._last else []

    def df(self) -> pd.DataFrame:
        return self._last.df() if self._last else pd.DataFrame()

    def register(self, name: str, frame: pd.DataFrame | pa.Table) -> None:
        """A temporary table `name` holding the frame's rows (filled with COPY)."""
        table = frame if isinstance(frame, pa.Table) else pa.Table.from_pandas(frame, preserve_index=False)
        columns = ", ".join(f'"{f.name}" {_pg_type(f.type)}' for f in table.schema)
        self.raw.execute(f'DROP TABLE IF EXISTS pg_temp."{name}"'.encode())
        self.raw.execute(f'CREATE TEMPORARY TABLE "{name}" ({columns})'.encode())
        copy_rows(self.raw, name, table)

    def unregister(self, name: str) -> None:
        self.raw.execute(f'DROP TABLE IF EXISTS pg_temp."{name}"'.encode())

    def cursor(self) -> PgConnection:
        return self  # one connection: a read inside the caller's transaction sees its writes

    def __enter__(self) -> PgConnection:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def close(self) -> None:
        self.raw.close()


def _pg_type(arrow: pa.DataType) -> str:
    if pa.types.is_list(arrow) or pa.types.is_large_list(arrow):
        return _pg_type(arrow.value_type) + "[]"
    if pa.types.is_dictionary(arrow):
        return _pg_type(arrow.value_type)
    for test, name in _PG_TYPES:
        if test(arrow):
            return name
    return "VARCHAR"


def _batches(table: pa.Table, size: int = 65_536) -> Iterator[list[tuple[Any, ...]]]:
    for batch in table.to_batches(size):
        columns = [_python(batch.column(i)) for i in range(batch.num_columns)]
        yield list(zip(*columns, strict=True))


def _python(column: pa.Array) -> list[Any]:
    return column.to_pylist()


def copy_rows(raw: psycopg.Connection[Any], name: str, table: pa.Table) -> None:
    """COPY the rows of an Arrow table into table `name` (its columns in the table's order)."""
    if not table.num_rows:
        return
    columns = ", ".join(f'"{f}"' for f in table.schema.names)
    with raw.cursor() as cur, cur.copy(f'COPY "{name}" ({columns}) FROM STDIN'.encode()) as copy:
        for rows in _batches(table):
            for row in rows:
                copy.write_row(row)
