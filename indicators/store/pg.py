"""PostgreSQL through psycopg 3 (and ADBC for large reads), behind the part of DuckDB's connection API that
the store uses.

The store's modules are written against one connection surface: `execute(sql, params)` returning something
with fetchone/fetchall/df/fetchnumpy/description, `executemany`, `sql(...).to_arrow_table()` and
`.to_arrow_reader()`, `register` of a pandas or Arrow frame under a name, `cursor()`. `PgConnection` gives
that surface over a psycopg connection, so that one store API serves both backends; the SQL that must
differ is chosen by `db.dialect(con)` where it is written.

What is translated here, and only this: parameter marks (`?`, `$1`, `$name` -> psycopg's `%s`/`%(name)s`,
a literal `%` doubled); the result rows become Arrow (one column type per PostgreSQL type) and from there
pandas or numpy by DuckDB itself, so that a frame read from PostgreSQL has the dtypes of the same frame
read from DuckDB (store/pg_arrow.py); and a registered frame becomes a temporary table filled with COPY
(store/pg_copy.py).

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

import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

import pandas as pd
import psycopg
import pyarrow as pa

from indicators.store.pg_arrow import AdbcReads, ArrowResult, Result, rows_to_arrow
from indicators.store.pg_copy import copy_rows, pg_type

__all__ = ["ArrowResult", "PgConnection", "Result", "copy_rows", "rows_to_arrow", "translate"]

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
        self._arrow = AdbcReads(url if arrow else None)  # only a bulk() cursor reads through ADBC
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
        columns = ", ".join(f'"{f.name}" {pg_type(f.type)}' for f in table.schema)
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

    @contextmanager
    def without_scans(self) -> Iterator[None]:
        """Within the block, reads of measurements by period go through the period's block-range index
        (migration 0015), not a scan of every row. The planner would scan when the rows are not in period
        order (its estimate for a BRIN index assumes the worst), though the index skips every block range
        outside the months asked for; and without parallel workers, whose start costs more than such a read.
        Undone by RESET, or by the rollback of a failed transaction."""
        self.raw.execute(b"SET enable_seqscan = off; SET max_parallel_workers_per_gather = 0")
        try:
            yield
        finally:
            if self.raw.info.transaction_status != psycopg.pq.TransactionStatus.INERROR:
                self.raw.execute(b"RESET enable_seqscan; RESET max_parallel_workers_per_gather")

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
