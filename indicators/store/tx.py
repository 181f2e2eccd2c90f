"""The one transaction helper: `with transaction(con):` commits when the block ends, rolls back on any
exception (KeyboardInterrupt too) and re-raises it. No other module writes BEGIN, COMMIT or ROLLBACK."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

import duckdb

# One transaction writing measurements at a time in this process (DuckDB lets one process write the file):
# the revision of each value is computed inside the transaction (see 0006_measurements_without_index.sql).
WRITES = threading.Lock()


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    con.execute("BEGIN")
    try:
        yield
    except BaseException:
        try:
            con.execute("ROLLBACK")
        except duckdb.Error:  # the failure already ended the transaction (a fatal I/O error, say)
            pass
        raise
    con.execute("COMMIT")
