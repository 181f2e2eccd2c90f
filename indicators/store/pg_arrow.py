"""PostgreSQL results as Arrow, whichever way they were read (store/pg.py's connection surface): the rows
psycopg fetched (`Result`, converted column by column with one Arrow type per PostgreSQL type), or the
record batches of ADBC's PostgreSQL driver, which reads with binary COPY (`ArrowResult`, on the connection
`AdbcReads` opens on first use), cast to the same types; pandas and numpy from there by DuckDB itself, so
that a frame read from PostgreSQL has the dtypes of the same frame read from DuckDB."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

log = logging.getLogger("indicators.store.pg")

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


def to_pandas(table: pa.Table) -> pd.DataFrame:
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
        return to_pandas(self.to_arrow_table())

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
        return to_pandas(self.to_arrow_table())

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


class AdbcReads:
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
