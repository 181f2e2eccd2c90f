"""COPY into PostgreSQL from Arrow (store/pg.py): the column types of a registered frame's temporary table,
and the rows written as CSV text that Arrow writes in large pieces, or row by row where CSV would not read
back exactly."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import psycopg
import pyarrow as pa
import pyarrow.csv as pacsv

from indicators.store import pg_binary

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


def pg_type(arrow: pa.DataType) -> str:
    if pa.types.is_list(arrow) or pa.types.is_large_list(arrow):
        return pg_type(arrow.value_type) + "[]"
    if pa.types.is_dictionary(arrow):
        return pg_type(arrow.value_type)
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


_PIECE = 1 << 17  # rows written as one piece of binary or CSV text


def copy_rows(
    raw: psycopg.Connection[Any], name: str, table: pa.Table, progress: Callable[[float], None] | None = None
) -> None:
    """COPY the rows of an Arrow table into table `name` (its columns in the table's order).

    When every target column has a type store/pg_binary.py spells (text, booleans, integers, floats, dates)
    and every value casts to it exactly, the rows go in PostgreSQL's binary format. Else text, numbers,
    booleans, dates and timestamps go as CSV that Arrow writes in large pieces (a NULL as an empty unquoted
    field, text always quoted, so an empty text stays empty; floats in their shortest exact spelling); any
    other column (lists, bytes) makes the rows go one by one. `progress` is told the share written after each
    piece of the binary format."""
    if not table.num_rows:
        return
    columns = ", ".join(f'"{f}"' for f in table.schema.names)
    oids = _column_oids(raw, name, table.schema.names)
    binary = pg_binary.cast(table, oids)
    if binary is not None:
        sql = f'COPY "{name}" ({columns}) FROM STDIN (FORMAT binary)'
        pieces = [binary.slice(start, _PIECE) for start in range(0, binary.num_rows, _PIECE)]
        # the next piece is encoded (Arrow, without the interpreter's lock) while the server reads this one
        with raw.cursor() as cur, cur.copy(sql.encode()) as copy, ThreadPoolExecutor(1) as encoder:
            copy.write(pg_binary.HEADER)
            encoded = [encoder.submit(pg_binary.rows, piece, oids) for piece in pieces]
            for k, piece in enumerate(encoded, 1):
                copy.write(memoryview(piece.result()))
                if progress is not None:
                    progress(k / len(encoded))
            copy.write(pg_binary.TRAILER)
        return
    table = _plain(table)
    if all(_csv_type(f.type) for f in table.schema):
        options = pacsv.WriteOptions(include_header=False, batch_size=_PIECE)
        sql = f"COPY \"{name}\" ({columns}) FROM STDIN (FORMAT csv, NULL '')"
        with raw.cursor() as cur, cur.copy(sql.encode()) as copy:
            for start in range(0, table.num_rows, _PIECE):
                buffer = io.BytesIO()
                pacsv.write_csv(table.slice(start, _PIECE), buffer, options)
                copy.write(buffer.getbuffer())
        return
    with raw.cursor() as cur, cur.copy(f'COPY "{name}" ({columns}) FROM STDIN'.encode()) as copy:
        for rows in _batches(table):
            for row in rows:
                copy.write_row(row)


def _column_oids(raw: psycopg.Connection[Any], name: str, columns: list[str]) -> list[int]:
    """The type OIDs of the named columns of table `name` (a temporary table too), in that order."""
    found = dict(
        raw.execute(
            "SELECT attname, atttypid::INTEGER FROM pg_attribute "
            "WHERE attrelid = to_regclass(%s) AND attnum > 0 AND NOT attisdropped",
            ['"' + name.replace('"', '""') + '"'],
        ).fetchall()
    )
    return [int(found.get(c, 0)) for c in columns]


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
