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
# On PostgreSQL many processes write at once: the same one-at-a-time for writes of measurements is a
# transaction-level advisory lock with this key (readers are never blocked by it).
WRITES_KEY = 7_480_002


def lock_writes(con: duckdb.DuckDBPyConnection) -> None:
    """Inside a transaction that writes measurements, before it reads the revisions it builds on: wait for
    any other process's such transaction to end (PostgreSQL; in DuckDB the WRITES lock does it)."""
    if getattr(con, "dialect", "duckdb") == "postgresql":
        con.execute("SELECT pg_advisory_xact_lock(?)", [WRITES_KEY])


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    con.execute("BEGIN")
    try:
        yield
    except BaseException:
        try:
            con.execute("ROLLBACK")
        except Exception:  # the failure already ended the transaction (a fatal I/O error, a lost server)
            pass
        raise
    con.execute("COMMIT")
