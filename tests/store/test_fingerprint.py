"""The values' fingerprint a snapshot records (store.basis): the same for the same values on both backends,
so that a deployment moved by `indicators db copy` keeps it, and computed here by hand from its definition
(per city and indicator: the month as a day count and the value in millionths summed modulo two primes, times
the first 28 bits of the md5 of "city␟indicator")."""

from __future__ import annotations

import datetime as dt
import hashlib
import math

from conftest import run_cli
from test_db_copy import busy_deployment

from indicators import store
from indicators.store import db

P1, P2 = 2_147_483_647, 2_147_483_629


def _mod(a: int, p: int) -> int:
    """a % p as SQL computes it on integers (with the sign of a), not as Python does."""
    return abs(a) % p * (1 if a >= 0 else -1)


def by_hand(rows: list[tuple[str, str, dt.date, float]]) -> str:
    per_pair: dict[tuple[str, str], list[int]] = {}
    for city, indicator, period, value in rows:
        days = (period - dt.date(1970, 1, 1)).days
        micro = math.floor(value * 1_000_000 + 0.5)
        sums = per_pair.setdefault((city, indicator), [0, 0])
        for i, p in enumerate((P1, P2)):
            sums[i] += _mod(days * 1000033 + _mod(micro, p), p)
    total = [0, 0]
    for (city, indicator), sums in per_pair.items():
        h = int(hashlib.md5(f"{city}\x1f{indicator}".encode()).hexdigest()[:7], 16)
        for i, p in enumerate((P1, P2)):
            total[i] += _mod(h * _mod(sums[i], p), p)
    return f"{total[0] % P1:08x}{total[1] % P2:08x}"


def current_rows(path) -> list[tuple[str, str, dt.date, float]]:
    with db.connect(path, read_only=True) as con:
        return con.execute(
            "SELECT city, indicator, period, value FROM current_measurements WHERE value IS NOT NULL"
        ).fetchall()


def test_the_fingerprint_is_its_definition_and_the_same_after_a_copy(tmp_path, pg_cluster):
    source = tmp_path / "source.duckdb"
    busy_deployment(source)  # demo data, two uploads, one undone
    with db.connect(source, read_only=True) as con:
        mine = store.basis(con)
    rows = current_rows(source)
    assert mine.values_count == len(rows) > 1000
    assert mine.values_hash == by_hand(rows)

    url = pg_cluster.create()
    assert run_cli("db", "copy", str(source), url).returncode == 0
    with db.connect(url, read_only=True) as con:
        assert store.basis(con) == mine  # batch, count, fingerprint and catalog hash: all kept


def test_one_changed_value_changes_the_fingerprint(new_store):
    path = new_store("one")
    store.init(path)
    with db.connect(path) as con:
        before = store.basis(con).values_hash
        batch = store.new_batch(con, "upload", "t")
        con.execute(
            "INSERT INTO measurements (city, indicator, period, value, original_unit, original_value, "
            "batch_id, revision, is_demo) VALUES ('lingwu', 'pm25', DATE '2020-03-01', 35.0, 'ug/m3', 35.0, "
            "?, 1, false)",
            [batch],
        )
        one = store.basis(con)
    assert one.values_count == 1 and one.values_hash != before
    assert one.values_hash == by_hand([("lingwu", "pm25", dt.date(2020, 3, 1), 35.0)])
    assert by_hand([("lingwu", "pm25", dt.date(2020, 3, 1), 35.000001)]) != one.values_hash
