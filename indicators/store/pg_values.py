"""PostgreSQL: the whole store's values for the status path read in two streams side by side.

A binary COPY runs in one server process, so one stream of 6 million values keeps one core of the server
busy while the other waits; PostgreSQL's own GROUP BY over the same rows (the benchmark's reference) runs
in parallel workers. Measurements are split by city into hash partitions (migration 0015), so the cities of
the target series are split here by the partition they live in: each stream reads whole partitions and no
row is read twice. Each stream has its own connection and so its own snapshot: when a write committed
between the first stream's start and the last one's end (the newest batch or the undo count moved), the
parts may not agree, and the caller reads again in one stream.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

import pyarrow as pa

from indicators.store import db
from indicators.store.db import Connection

STREAMS = 2
T = TypeVar("T")


def partitions(con: Connection, cities: Sequence[str]) -> dict[str, str] | None:
    """The partition of measurements each city's values go to (city -> table name), as PostgreSQL routes
    them; None when the table is not split by city (then its rows go to the table itself)."""
    found = con.execute(
        "SELECT c.relname, substring(pg_get_expr(c.relpartbound, c.oid) FROM 'remainder (\\d+)')::INTEGER "
        "FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
        "WHERE i.inhparent = 'measurements'::regclass"
    ).fetchall()
    by_remainder = {int(remainder): str(name) for name, remainder in found if remainder is not None}
    if len(by_remainder) != len(found) or not found:
        return None
    modulus = len(found)
    routed = con.execute(
        "SELECT c, (SELECT r FROM generate_series(0, ? - 1) r "
        "           WHERE satisfies_hash_partition('measurements'::regclass, ?, r, c)) "
        "FROM unnest(?::VARCHAR[]) c",
        [modulus, modulus, list(cities)],
    ).fetchall()
    return {str(city): by_remainder[int(remainder)] for city, remainder in routed}


def city_groups(con: Connection, cities: Sequence[str], streams: int = STREAMS) -> list[list[str]] | None:
    """The cities in up to `streams` groups, each the cities of whole partitions of measurements (the
    partitions dealt out in turn); None when the table is not split into partitions."""
    where = partitions(con, cities) if cities else None
    if where is None:
        return None
    order = {name: k for k, name in enumerate(sorted(set(where.values())))}
    groups: list[list[str]] = [[] for _ in range(streams)]
    for city in cities:
        groups[order[where[city]] % streams].append(city)
    return [g for g in groups if g]


def stamp(con: Connection) -> tuple[object, ...]:
    """What moves with every committed write of values: the number of batches (each write of values is one;
    counted, since a batch numbered earlier may commit later) and of undos."""
    row = con.execute("SELECT (SELECT count(*) FROM batches), (SELECT count(*) FROM batch_undos)").fetchone()
    return tuple(row) if row else ()


def read_side_by_side(
    con: Connection,
    sql: str,
    groups: list[list[str]],
    convert: Callable[[pa.RecordBatch], T],
    before: tuple[object, ...] | None = None,
) -> list[T] | None:
    """`sql` (reading `$cities`, a VARCHAR[]) once per group of cities, the groups side by side, each Arrow
    batch passed through `convert` in its stream's thread; the converted batches, or None when a write
    committed meanwhile (see the module's docstring) or since `before` (the stamp taken when the caller
    chose what to read)."""
    if before is None:
        before = stamp(con)
    parts: list[list[T]] = [[] for _ in groups]

    def run(i: int) -> None:
        with db.bulk_cursor(con) as cur:
            for batch in cur.sql(sql, params={"cities": groups[i]}).to_arrow_reader(1 << 20):
                parts[i].append(convert(batch))

    with ThreadPoolExecutor(len(groups)) as pool:
        for done in [pool.submit(run, i) for i in range(len(groups))]:
            done.result()
    if stamp(con) != before:
        return None
    return [converted for part in parts for converted in part]
