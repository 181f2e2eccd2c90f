"""Snapshots (会议快照): written once with their rows, never changed; and the values as they stood at a
batch, so that two snapshots (or a snapshot and now) can say which values were revised between them."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

import pandas as pd

from indicators.errors import InvalidRequest, UnknownName
from indicators.store import db
from indicators.store.accounts import audit
from indicators.store.db import Connection
from indicators.store.tx import transaction


@dataclass(frozen=True)
class Basis:
    """Which data an evaluation was computed from."""

    max_batch_id: int | None
    values_count: int
    values_hash: str
    catalog_sha: str | None


# Two primes below 2^31 for the values' fingerprint: every product below stays under 2^63 on both backends.
_P1, _P2 = 2_147_483_647, 2_147_483_629


def _fingerprint_sql(con: Connection) -> str:
    """count(*) and two checksums of the current values, the same numbers on DuckDB and PostgreSQL for the
    same values (a store moved by `db copy` keeps its fingerprint). Per (city, indicator): the sum over its
    rows of (month as a day count × 1000033 + value in millionths mod p) mod p, the value in millionths
    being floor(v × 10^6 + 0.5); that sum mod p times the pair's number — the first 28 bits of the md5 of
    "city␟indicator", computed once per pair, not per row — mod p; summed over the pairs."""
    micro = "CAST(floor(value * 1000000 + 0.5) AS BIGINT)"
    days = "CAST(period - DATE '1970-01-01' AS BIGINT)"
    key = db.hex_bits(con, "md5(city || chr(31) || indicator)", 7)

    def per_pair(p: int) -> str:
        return f"sum(({days} * 1000033 + {micro} % {p}) % {p})"

    return (
        f"WITH g AS (SELECT city, indicator, count(*) AS n, {per_pair(_P1)} AS g1, {per_pair(_P2)} AS g2 "
        "FROM current_measurements WHERE value IS NOT NULL GROUP BY city, indicator), "
        f"k AS (SELECT n, g1, g2, {key} AS h FROM g) "
        f"SELECT coalesce(sum(n), 0), coalesce(sum(h * (g1 % {_P1}) % {_P1}), 0), "
        f"coalesce(sum(h * (g2 % {_P2}) % {_P2}), 0) FROM k"
    )


def basis(con: Connection, fingerprint: bool = True) -> Basis:
    """The newest batch, the current values' count and fingerprint, the catalog's hash: now. Without
    `fingerprint` (what a comparison with now needs: only the batch) the fingerprint is empty and the count
    a plain count."""
    batch = con.execute("SELECT max(id) FROM batches").fetchone()
    if fingerprint:
        count, first, second = con.execute(_fingerprint_sql(con)).fetchone() or (0, 0, 0)
        values_hash = f"{int(first) % _P1:08x}{int(second) % _P2:08x}"
    else:
        found = con.execute("SELECT count(*) FROM current_measurements WHERE value IS NOT NULL").fetchone()
        count, values_hash = (found[0] if found else 0), ""
    sha = con.execute("SELECT content_sha FROM catalog_state WHERE id = 1").fetchone()
    return Basis(
        None if batch is None or batch[0] is None else int(batch[0]),
        int(count),
        values_hash,
        None if sha is None else str(sha[0]),
    )


def insert_snapshot(
    con: Connection,
    by: str,
    name: str,
    as_of: dt.date | None,
    city_as_of: dict[str, str],
    data: Basis,
    rows: list[dict[str, object]],
) -> int:
    """Write a snapshot and its rows (each a JSON-ready record with target_id, city_code and status) and its
    audit row, in one transaction. Refused (snapshot_exists) when the name is taken."""
    with transaction(con):
        if con.execute("SELECT 1 FROM snapshots WHERE name = ?", [name]).fetchone():
            zh, en = f"快照名称已存在：{name}", f"a snapshot named {name} exists"
            raise InvalidRequest(zh, en, "snapshot_exists")
        row = con.execute(
            "INSERT INTO snapshots (name, as_of, city_as_of, created_by, created_at, max_batch_id, "
            "values_count, values_hash, catalog_sha) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            [
                name,
                as_of,
                json.dumps(city_as_of, sort_keys=True),
                by,
                dt.datetime.now(),
                data.max_batch_id,
                data.values_count,
                data.values_hash,
                data.catalog_sha,
            ],
        ).fetchone()
        assert row is not None
        sid = int(row[0])
        table = pd.DataFrame(
            {
                "snapshot_id": sid,
                "position": range(len(rows)),
                "target_id": [r["target_id"] for r in rows],
                "city": [r["city_code"] for r in rows],
                "status": [r["status"] for r in rows],
                "record": [json.dumps(r, ensure_ascii=False, sort_keys=True) for r in rows],
            }
        )
        con.register("snapshot_new_rows", table)
        con.execute("INSERT INTO snapshot_rows SELECT * FROM snapshot_new_rows")
        con.unregister("snapshot_new_rows")
        audit(con, by, "snapshot", data.max_batch_id, name, {"snapshot_id": sid, "rows": len(rows)})
    return sid


def snapshots_frame(con: Connection) -> pd.DataFrame:
    """Every snapshot, oldest first, with its row count (city_as_of as JSON text)."""
    return con.execute(
        "SELECT s.*, (SELECT count(*) FROM snapshot_rows r WHERE r.snapshot_id = s.id) AS rows "
        "FROM snapshots s ORDER BY s.id"
    ).df()


def snapshot_names(con: Connection) -> list[str]:
    """Every snapshot's name, oldest first."""
    return [str(r[0]) for r in con.execute("SELECT name FROM snapshots ORDER BY id").fetchall()]


def snapshot_meta(con: Connection, name: str) -> dict[str, object]:
    """One snapshot's row as a dict; UnknownName when there is none of that name."""
    frame = con.execute("SELECT * FROM snapshots WHERE name = ?", [name]).df()
    if frame.empty:
        raise UnknownName(f"没有名为 {name} 的快照", f"no snapshot named {name}", "unknown_snapshot")
    return {str(k): v for k, v in frame.iloc[0].to_dict().items()}


def snapshot_records(con: Connection, snapshot_id: int) -> list[dict[str, object]]:
    """The rows of a snapshot in their order, as they were written."""
    rows = con.execute(
        "SELECT record FROM snapshot_rows WHERE snapshot_id = ? ORDER BY position", [snapshot_id]
    ).fetchall()
    return [json.loads(r[0]) for r in rows]


def _values_at(batch: int | None) -> str:
    """SQL of the values of the keys in `touched` as they stood once batch `batch` was written (every
    batch: None); only those keys' revisions are compared, not every value's."""
    upto = "TRUE" if batch is None else f"batch_id <= {int(batch)}"
    undone = "TRUE" if batch is None else f"undo_batch_id <= {int(batch)}"
    return f"""
        SELECT city, indicator, period, value, batch_id FROM (
            SELECT m.*, row_number() OVER (PARTITION BY city, indicator, period ORDER BY revision DESC) AS n
            FROM measurements m
            WHERE EXISTS (SELECT 1 FROM touched t
                          WHERE t.city = m.city AND t.indicator = m.indicator AND t.period = m.period)
              AND {upto} AND batch_id NOT IN (SELECT batch_id FROM batch_undos WHERE {undone})
        ) newest WHERE n = 1
    """


def revised_values(
    con: Connection, before: int | None, after: int | None, latest: bool = False
) -> pd.DataFrame:
    """Values that differ between the state at batch `before` and the state at batch `after` (latest: now):
    city, indicator, period, old_value, new_value, old_batch_id, new_batch_id. Only the keys written by a
    batch after `before` are compared (a value can change only through one)."""
    since = -1 if before is None else int(before)  # before None: no values yet (a batch id never < 0)
    return con.execute(
        f"""
        WITH touched AS (
            SELECT DISTINCT city, indicator, period FROM measurements WHERE batch_id > {since}
            UNION
            SELECT DISTINCT m.city, m.indicator, m.period FROM measurements m
            JOIN batch_undos u ON u.batch_id = m.batch_id WHERE u.undo_batch_id > {since}
        ),
        a AS ({_values_at(since)}),
        b AS ({_values_at(None if latest else after)})
        SELECT t.city, t.indicator, t.period, a.value AS old_value, b.value AS new_value,
               a.batch_id AS old_batch_id, b.batch_id AS new_batch_id
        FROM touched t
        LEFT JOIN a USING (city, indicator, period)
        LEFT JOIN b USING (city, indicator, period)
        WHERE a.value IS DISTINCT FROM b.value OR a.batch_id IS DISTINCT FROM b.batch_id
        ORDER BY t.city, t.indicator, t.period
        """
    ).df()
