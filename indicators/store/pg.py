"""PostgreSQL through psycopg 3 (and ADBC for large reads), behind the part of DuckDB's connection API that
the store uses.

The store's modules are written against one connection surface: `execute(sql, params)` returning something
with fetchone/fetchall/df/fetchnumpy/description, `executemany`, `sql(...).to_arrow_table()` and
`.to_arrow_reader()`, `register` of a pandas or Arrow frame under a name, `cursor()`. `PgConnection` gives
that surface over a psycopg connection, so that one store API serves both backends; the SQL that must
differ is chosen by `db.dialect(con)` where it is written.

What is translated here, and only this: parameter marks (`?`, `$1`, `$name` -> psycopg's `%s`/`%(name)s`,
a literal `%` doubled), the result rows into Arrow (one column type per PostgreSQL type) and from there
into pandas or numpy by DuckDB itself, so that a frame read from PostgreSQL has the dtypes of the same frame
read from DuckDB; and a registered frame becomes a temporary table filled with COPY.

Fast where it counts (issue 18):
- Reads of the whole store (the evaluation's values and targets: `db.bulk_cursor`, here `bulk()`) come as
  Arrow record batches from ADBC's PostgreSQL driver, which reads them with binary COPY, instead of Python
  row tuples: on its own ADBC connection per bulk cursor (opened by its first read, about a tenth of a
  second, closed with the cursor), its parameters written into the SQL as literals quoted by psycopg (so
  that the driver may COPY), its column types cast to those of the row path (`arrow_schema`: numeric and
  json, which the driver reads as text, a float and text). A read inside a transaction, or while a frame is
  registered (a temporary table of this session only), stays on psycopg, which sees them; so does every
  read when the driver cannot connect (logged without the address, which may hold a password).
- `copy_rows` (registered frames, uploads, `db copy`) writes CSV text that Arrow writes in pieces of
  131,072 rows (`COPY … (FORMAT csv, NULL '')`: NULL is an empty unquoted field and Arrow quotes every
  text, so an empty text stays empty; floats in their shortest exact spelling, -0.0, NaN and ±Infinity
  included); lists, bytes and zoned or nanosecond timestamps go row by row as before.
"""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import duckdb
import numpy as np
import pandas as pd
import psycopg
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

log = logging.getLogger(__name__)

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
# the same by type name (what ADBC gives in a field's metadata)
_BY_NAME: dict[str, pa.DataType] = {
    "bool": pa.bool_(),
    "bytea": pa.binary(),
    "int8": pa.int64(),
    "int2": pa.int16(),
    "int4": pa.int32(),
    "text": pa.string(),
    "float4": pa.float32(),
    "float8": pa.float64(),
    "varchar": pa.string(),
    "bpchar": pa.string(),
    "date": pa.date32(),
    "timestamp": pa.timestamp("us"),
    "timestamptz": pa.timestamp("us", tz="UTC"),
    "numeric": pa.float64(),
    "_text": pa.list_(pa.string()),
    "_varchar": pa.list_(pa.string()),
    "_int4": pa.list_(pa.int32()),
    "_int8": pa.list_(pa.int64()),
    "json": pa.string(),
    "jsonb": pa.string(),
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


class ArrowResult:
    """What `sql` returns outside a transaction: a query run by ADBC's PostgreSQL driver, whose rows come as
    Arrow record batches (the driver reads them with binary COPY), cast to the types of `_ARROW`."""

    def __init__(self, cursor: Any):
        self._cursor = cursor
        self._rows: Result | None = None  # the rows as tuples, once asked for

    def to_arrow_reader(self, batch_size: int = 1 << 20) -> pa.RecordBatchReader:
        reader = self._cursor.fetch_record_batch()
        schema = arrow_schema(reader.schema)
        if schema.equals(reader.schema):
            return reader
        return pa.RecordBatchReader.from_batches(schema, (_cast(b, schema) for b in reader))

    def to_arrow_table(self) -> pa.Table:
        table = self._cursor.fetch_arrow_table()
        schema = arrow_schema(table.schema)
        return table if schema.equals(table.schema) else _cast(table, schema)

    def arrow(self) -> pa.Table:
        return self.to_arrow_table()

    @property
    def description(self) -> Sequence[Any] | None:
        return self._cursor.description  # type: ignore[no-any-return]

    def _fetched(self) -> Result:
        if self._rows is None:
            table = self.to_arrow_table()
            cells = [c.to_pylist() for c in table.columns]
            self._rows = Result(self.description, list(zip(*cells, strict=True)))
        return self._rows

    def fetchall(self) -> list[tuple[Any, ...]]:
        return self._fetched().fetchall()

    def fetchone(self) -> tuple[Any, ...] | None:
        return self._fetched().fetchone()

    def df(self) -> pd.DataFrame:
        return _to_pandas(self.to_arrow_table())

    def fetchnumpy(self) -> dict[str, np.ndarray]:
        return duckdb.from_arrow(self.to_arrow_table()).fetchnumpy()


def arrow_schema(schema: pa.Schema) -> pa.Schema:
    """The schema `rows_to_arrow` gives the same columns: the type of `_ARROW` for each column's PostgreSQL
    type (which ADBC names in the field's metadata), text for any other; a repeated name as there."""
    fields: list[pa.Field] = []
    names: list[str] = []
    for i, field in enumerate(schema):
        typname = (field.metadata or {}).get(b"POSTGRESQL:type", b"").decode()
        name = field.name
        while name in names:
            name = f"{field.name}_{i}"
        names.append(name)
        fields.append(pa.field(name, _BY_NAME.get(typname, pa.string())))
    return pa.schema(fields)


def _cast(data: Any, schema: pa.Schema) -> Any:
    """A table or record batch of ADBC's as `schema` (arrow_schema of its own)."""
    columns = []
    for column, field in zip(data.columns, schema, strict=True):
        if isinstance(column.type, pa.BaseExtensionType):  # numeric, json: the text inside
            column = _storage(column)
        if not column.type.equals(field.type):
            try:
                column = pc.cast(column, field.type)
            except (pa.ArrowNotImplementedError, pa.ArrowInvalid):  # e.g. an interval: its Python text
                column = pa.array([None if c is None else str(c) for c in column.to_pylist()], field.type)
        columns.append(column)
    return type(data).from_arrays(columns, schema=schema)


def _storage(column: Any) -> Any:
    """An extension column's storage (ADBC reads numeric and json as text inside one)."""
    if isinstance(column, pa.ChunkedArray):
        return pa.chunked_array([c.storage for c in column.chunks], type=column.type.storage_type)
    return column.storage


class _Arrow:
    """The ADBC connection of a PgConnection (or of one of its cursors), opened on first use. Failing to
    open it is not an error: the reads then go through psycopg, as they would inside a transaction."""

    def __init__(self, url: str | None):
        self.url = url
        self.con: Any = None
        self.cursor: Any = None
        self.failed = url is None

    def run(self, sql: str) -> ArrowResult | None:
        if self.failed:
            return None
        if self.con is None:
            try:
                from adbc_driver_postgresql import dbapi

                self.con = dbapi.connect(self.url, autocommit=True)
            except Exception as exc:  # the message may hold the address: only the kind is logged
                log.warning("PostgreSQL Arrow reads unavailable (%s); reading through psycopg", type(exc))
                self.failed = True
                return None
        if self.cursor is not None:  # one query at a time on a connection: the previous one ends here
            self.cursor.close()
        self.cursor = self.con.cursor()
        self.cursor.execute(sql)
        return ArrowResult(self.cursor)

    def close(self) -> None:
        for thing in (self.cursor, self.con):
            if thing is not None:
                try:
                    thing.close()
                except Exception:  # the server went away: nothing to close
                    pass
        self.cursor = self.con = None


class PgConnection:
    """A psycopg connection with the DuckDB connection's surface (see the module's docstring)."""

    dialect = "postgresql"

    def __init__(
        self,
        raw: psycopg.Connection[Any],
        url: str | None = None,
        registered: set[str] | None = None,
        owner: bool = True,
        arrow: bool = False,
    ):
        self.raw = raw
        self._last: Result | ArrowResult | None = None
        self._url = url
        self._arrow = _Arrow(url if arrow else None)  # only a bulk() cursor reads through ADBC
        self._registered = registered if registered is not None else set()  # temporary tables, shared
        self._owner = owner  # the connection itself, not one of its cursors

    # --- DuckDB's surface -------------------------------------------------------------------------------
    def execute(self, sql: str, params: object = None) -> Result:
        with self.raw.cursor() as cur:
            if params is None:  # sent as it is: several statements (a migration) may run at once
                cur.execute(sql.encode("utf-8"))
            else:
                text, values = translate(sql, params)
                cur.execute(text.encode("utf-8"), values)
            rows = cur.fetchall() if cur.description else []
            result = Result(cur.description, rows)
        self._last = result
        return result

    def sql(self, sql: str, params: object = None) -> Result | ArrowResult:
        """A read. On a bulk() cursor, outside a transaction and while no frame is registered (a temporary
        table only this session sees), through ADBC as Arrow; else through psycopg, which sees the
        transaction's writes."""
        if self._arrow.failed or not self._arrow_reads():
            return self.execute(sql, params)
        if params is not None:  # the values written into the SQL as literals, quoted by psycopg
            text, values = translate(sql, params)
            sql = psycopg.ClientCursor(self.raw).mogrify(text, values)
        result = self._arrow.run(sql)
        return result if result is not None else self.execute(sql)

    def _arrow_reads(self) -> bool:
        idle = self.raw.info.transaction_status == psycopg.pq.TransactionStatus.IDLE
        return idle and not self._registered

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
        self._registered.add(name)
        self.raw.execute(f'DROP TABLE IF EXISTS pg_temp."{name}"'.encode())
        self.raw.execute(f'CREATE TEMPORARY TABLE "{name}" ({columns})'.encode())
        copy_rows(self.raw, name, table)

    def unregister(self, name: str) -> None:
        self.raw.execute(f'DROP TABLE IF EXISTS pg_temp."{name}"'.encode())
        self._registered.discard(name)

    def cursor(self) -> PgConnection:
        """The same psycopg connection: a read inside the caller's transaction sees its writes."""
        return PgConnection(self.raw, self._url, self._registered, owner=False)

    def bulk(self) -> PgConnection:
        """A cursor for large reads: the same psycopg connection, and an ADBC connection of its own (opened by
        its first read outside a transaction, closed with the cursor) that `sql` reads through, so that
        threads may read side by side. Opening it costs a tenth of a second: for reads of the whole store."""
        return PgConnection(self.raw, self._url, self._registered, owner=False, arrow=True)

    def __enter__(self) -> PgConnection:
        return self

    def __exit__(self, *exc: object) -> None:
        if not self._owner:
            self.close()

    def close(self) -> None:
        self._arrow.close()
        if self._owner:
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


def _csv_type(arrow: pa.DataType) -> bool:
    """Does COPY's CSV read back exactly what Arrow's CSV writer writes of this type?"""
    return any(
        test(arrow)
        for test in (
            pa.types.is_string,
            pa.types.is_large_string,
            pa.types.is_integer,
            pa.types.is_floating,
            pa.types.is_boolean,
            pa.types.is_date32,
            pa.types.is_null,
        )
    ) or (pa.types.is_timestamp(arrow) and arrow.tz is None and arrow.unit != "ns")


_CSV_CHUNK = 1 << 17  # rows written as one piece of CSV text


def copy_rows(raw: psycopg.Connection[Any], name: str, table: pa.Table) -> None:
    """COPY the rows of an Arrow table into table `name` (its columns in the table's order).

    Text, numbers, booleans, dates and timestamps go as CSV that Arrow writes in large pieces (a NULL as an
    empty unquoted field, text always quoted, so an empty text stays empty; floats in their shortest exact
    spelling); any other column (lists, bytes) makes the rows go one by one."""
    if not table.num_rows:
        return
    columns = ", ".join(f'"{f}"' for f in table.schema.names)
    table = _plain(table)
    if all(_csv_type(f.type) for f in table.schema):
        options = pacsv.WriteOptions(include_header=False, batch_size=_CSV_CHUNK)
        sql = f"COPY \"{name}\" ({columns}) FROM STDIN (FORMAT csv, NULL '')"
        with raw.cursor() as cur, cur.copy(sql.encode()) as copy:
            for start in range(0, table.num_rows, _CSV_CHUNK):
                buffer = io.BytesIO()
                pacsv.write_csv(table.slice(start, _CSV_CHUNK), buffer, options)
                copy.write(buffer.getbuffer())
        return
    with raw.cursor() as cur, cur.copy(f'COPY "{name}" ({columns}) FROM STDIN'.encode()) as copy:
        for rows in _batches(table):
            for row in rows:
                copy.write_row(row)


def _plain(table: pa.Table) -> pa.Table:
    """Dictionary columns as their values (COPY writes the values); nanosecond timestamps as microseconds,
    PostgreSQL's unit, where no digit is lost (else they stay, and go row by row)."""
    for i, field in enumerate(table.schema):
        column = table.column(i)
        if pa.types.is_dictionary(field.type):
            column = column.cast(field.type.value_type)
        elif pa.types.is_timestamp(field.type) and field.type.unit == "ns":
            try:
                column = column.cast(pa.timestamp("us", tz=field.type.tz))
            except pa.ArrowInvalid:
                continue
        else:
            continue
        table = table.set_column(i, field.name, column)
    return table
