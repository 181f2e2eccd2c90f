"""PostgreSQL's fast paths (store/pg.py): large reads come as Arrow through ADBC (db.bulk_cursor) with the
types and values the row-by-row path and DuckDB give; reads inside a write transaction, or of a registered
frame, stay on the connection that sees them; COPY writes a frame as CSV text that reads back exactly."""

from __future__ import annotations

import datetime as dt
import logging
import math
import random

import numpy as np
import pandas as pd
import psycopg
import pyarrow as pa
import pytest

from indicators import store
from indicators.store import db, pg_binary, pg_copy
from indicators.store.pg import ArrowResult, PgConnection, Result
from indicators.store.tx import transaction

# one column of each PostgreSQL type the store's tables and queries hold
TYPED = """
    SELECT 1::int2 AS a, 2::int4 AS b, 3000000000::int8 AS c, 1.5::float4 AS d, 0.1::float8 AS e,
           1.25::numeric AS f, 'x,"y"'::text AS g, '中文'::varchar AS h, 'z'::char(3) AS i,
           DATE '2024-02-29' AS j, TIMESTAMP '2024-01-02 03:04:05.123456' AS k,
           TIMESTAMPTZ '2024-01-02 03:04:05+00' AS l, ARRAY['a', 'b']::text[] AS m, '\\x0102'::bytea AS p,
           true AS q, NULL::varchar AS r, ARRAY[1, 2]::int4[] AS s, hashtextextended('a', 0) AS u
    UNION ALL
    SELECT NULL, NULL, NULL, NULL, NULL, NULL, '', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'r', NULL,
           NULL
"""


@pytest.fixture
def pg_url(pg_cluster) -> str:
    url = pg_cluster.create()
    store.init(url)
    return url


def test_a_bulk_read_comes_through_adbc_with_the_types_and_values_of_the_row_path(pg_url):
    with db.connect(pg_url) as con, db.bulk_cursor(con) as bulk:
        fast = bulk.sql(TYPED)
        assert isinstance(fast, ArrowResult)  # not the psycopg fallback
        got = fast.to_arrow_table()
        slow = con.execute(TYPED)
        assert isinstance(slow, Result)
        expected = slow.to_arrow_table()
    assert got.schema.remove_metadata() == expected.schema.remove_metadata()
    assert got.to_pylist() == expected.to_pylist()
    assert got.schema.field("c").type == pa.int64() and got.schema.field("f").type == pa.float64()
    assert got.column("f").to_pylist() == [1.25, None]  # numeric (text to ADBC) read as a number
    assert got.column("g").to_pylist() == ['x,"y"', ""] and got.column("r").to_pylist() == [None, "r"]


def test_a_bulk_read_streams_batches_of_the_same_types_and_binds_parameters_as_literals(pg_url):
    with db.connect(pg_url) as con, db.bulk_cursor(con) as bulk:
        reader = bulk.sql(
            "SELECT g AS n, $1::VARCHAR AS name, $2::DATE AS day, '50%' AS pct "
            "FROM generate_series(1, 3) g WHERE g >= $3",
            ["它's; DROP TABLE targets", dt.date(2025, 12, 31), 2],
        )
        assert isinstance(reader, ArrowResult)
        batches = list(reader.to_arrow_reader())
        named = bulk.sql("SELECT $city::VARCHAR IS NULL AS none", {"city": None}).fetchall()
        assert con.execute("SELECT count(*) FROM targets").fetchone()[0] > 0  # still there
    table = pa.Table.from_batches(batches)
    assert table.schema.field("n").type == pa.int32() and table.schema.field("day").type == pa.date32()
    assert table.to_pylist() == [
        {"n": n, "name": "它's; DROP TABLE targets", "day": dt.date(2025, 12, 31), "pct": "50%"}
        for n in (2, 3)
    ]
    assert named == [(True,)]


def test_reads_inside_a_write_transaction_see_its_writes_and_registered_frames(pg_url):
    with db.connect(pg_url) as con:
        with transaction(con):
            con.execute(
                "INSERT INTO cities (code, name_zh, name_en, province_zh, province_en, level) "
                "VALUES ('zz', '测试', 'Test', '省', 'P', 'county')"
            )
            with db.bulk_cursor(con) as bulk:
                inside = bulk.sql("SELECT count(*) FROM cities WHERE code = 'zz'")
                assert isinstance(inside, Result)  # psycopg: the transaction's own connection
                assert inside.fetchall() == [(1,)]
        con.register("frame_rows", pd.DataFrame({"v": [1, 2, 3]}))
        with db.bulk_cursor(con) as bulk:
            assert bulk.sql("SELECT sum(v) FROM frame_rows").fetchall() == [(6,)]
            con.unregister("frame_rows")
            after = bulk.sql("SELECT count(*) FROM cities WHERE code = 'zz'")
            assert isinstance(after, ArrowResult)  # committed, nothing registered: Arrow again
            assert after.fetchall() == [(1,)]


def test_the_evaluation_inside_a_transaction_sees_a_value_written_in_it(pg_url):
    with db.connect(pg_url) as con:
        city, indicator = con.execute("SELECT city, indicator FROM targets ORDER BY id LIMIT 1").fetchone()
        before = store.monthly_values(con)
        with transaction(con):
            batch = store.new_batch(con, "upload", "tester", "f.csv")
            con.execute(
                "INSERT INTO measurements (city, indicator, period, revision, value, is_demo, batch_id) "
                "VALUES (?, ?, DATE '2031-07-01', 1, 12.5, FALSE, ?)",
                [city, indicator, batch],
            )
            inside = store.monthly_values(con)
    assert before.raw.size == 0 or not np.isfinite(before.raw).any()  # a store without values
    row = list(inside.keys).index((city, indicator))
    assert np.nansum(inside.raw) == 12.5 and inside.raw[row][np.isfinite(inside.raw[row])].tolist() == [12.5]


def test_the_frames_of_the_evaluation_equal_duckdbs(demo_db, pg_cluster):
    url = pg_cluster.create()
    from indicators import service

    service.add_demo(url)
    frames = {}
    for name, address in (("duckdb", demo_db), ("postgresql", url)):
        with db.connect(address, read_only=True) as con:
            frames[name] = (store.targets_frame(con), store.monthly_values(con))
    (duck_targets, duck_monthly), (pg_targets, pg_monthly) = frames["duckdb"], frames["postgresql"]
    assert list(pg_targets.columns) == list(duck_targets.columns)
    assert pg_targets.dtypes.to_dict() == duck_targets.dtypes.to_dict()
    pd.testing.assert_frame_equal(pg_targets, duck_targets)
    # the same matrix; its rows in the order of each engine's DISTINCT (the engine looks series up by key)
    assert pg_monthly.first == duck_monthly.first and pg_monthly.raw.shape == duck_monthly.raw.shape
    pg_rows = pd.DataFrame(pg_monthly.raw, index=pg_monthly.keys).sort_index()
    duck_rows = pd.DataFrame(duck_monthly.raw, index=duck_monthly.keys).sort_index()
    pd.testing.assert_frame_equal(pg_rows, duck_rows)
    assert np.isfinite(duck_monthly.raw).sum() > 1000  # the demo's values, not two empty matrices


def test_an_address_with_a_password_reads_through_adbc_and_a_failing_one_falls_back_unlogged(pg_url, caplog):
    with_password = pg_url.replace("postgresql://dabiao@", "postgresql://dabiao:pa%3Ass@")
    with db.connect(with_password) as con, db.bulk_cursor(con) as bulk:
        assert isinstance(bulk.sql("SELECT 1 AS one"), ArrowResult)
    with db.connect(pg_url) as con:
        assert isinstance(con, PgConnection)
        bad = "postgresql://dabiao:s3cret@/nowhere?host=/nonexistent-dir&port=1"
        broken = PgConnection(con.raw, bad, owner=False, arrow=True)
        with caplog.at_level(logging.DEBUG), broken:
            result = broken.sql("SELECT 2 AS two")
        assert isinstance(result, Result) and result.fetchall() == [(2,)]  # through psycopg
    assert "Arrow reads unavailable" in caplog.text and "s3cret" not in caplog.text


def _edge_floats() -> list[float | None]:
    rng = random.Random(18)
    specials = [0.1 + 0.2, 1e-300, 5e-324, 1.7976931348623157e308, -0.0, 0.0, 123456789.12345679, 1 / 3]
    specials += [math.inf, -math.inf, math.nan, None]
    return specials + [rng.uniform(-1e9, 1e9) for _ in range(200)] + [rng.random() * 1e-9 for _ in range(50)]


ZONED = pa.timestamp("us", "UTC")
TEXTS = ["a,b", 'say "hi"', "line\nbreak", "cr\r\nlf", "中文，逗号；“引号”", "", None, " padded ", "\\N",
         "back\\slash", "NULL", "'", '"', ",", "tab\there", "emoji 🌫"]  # fmt: skip


def test_copy_writes_every_value_back_exactly(pg_url):
    floats = _edge_floats()
    n = len(floats)
    texts = (TEXTS * (n // len(TEXTS) + 1))[:n]
    table = pa.table(
        {
            "t": pa.array(texts, pa.string()),
            "f": pa.array(floats, pa.float64()),
            "i": pa.array([None if k % 7 == 0 else k - 100 for k in range(n)], pa.int64()),
            "b": pa.array([(None, True, False)[k % 3] for k in range(n)], pa.bool_()),
            "d": pa.array([dt.date(2000, 1, 1) + dt.timedelta(days=37 * k) for k in range(n)], pa.date32()),
            "ts": pa.array(
                [dt.datetime(2024, 2, 29, 23, 59, 59, k * 997 % 1_000_000) for k in range(n)],
                pa.timestamp("us"),
            ),
            "cat": pa.array([("x", "你好", None)[k % 3] for k in range(n)]).dictionary_encode(),
        }
    )
    with db.connect(pg_url) as con:
        con.register("edge_rows", table)
        back = con.execute("SELECT t, f, i, b, d, ts, cat FROM edge_rows ORDER BY d").fetchall()
    assert [r[0] for r in back] == texts  # None stays NULL, "" stays an empty text
    assert [repr(r[1]) for r in back] == [repr(f) for f in floats]  # every digit, -0.0, nan, inf
    assert [r[2] for r in back] == table.column("i").to_pylist()
    assert [r[3] for r in back] == table.column("b").to_pylist()
    assert [r[4] for r in back] == table.column("d").to_pylist()
    assert [r[5] for r in back] == table.column("ts").to_pylist()
    assert [r[6] for r in back] == [("x", "你好", None)[k % 3] for k in range(n)]


def test_copy_of_lists_bytes_and_zoned_times_goes_row_by_row_and_back_exactly(pg_url):
    table = pa.table(
        {
            "l": pa.array([["a", "b,c"], [], None], pa.list_(pa.string())),
            "y": pa.array([b"\x00\x01", b"", None], pa.binary()),
            "z": pa.array(
                [dt.datetime(2024, 1, 1, 12, tzinfo=dt.UTC), None, None], pa.timestamp("us", "UTC")
            ),
            "t": pa.array(["", None, "x"], pa.string()),
        }
    )
    with db.connect(pg_url) as con:
        con.register("other_rows", table)
        back = con.execute("SELECT l, y, z, t FROM other_rows").fetchall()
    assert [r[0] for r in back] == [["a", "b,c"], [], None]
    assert [r[1] for r in back] == [b"\x00\x01", b"", None]
    # a registered frame's timestamps are TIMESTAMP columns (as DuckDB's): the UTC time, without its zone
    assert back[0][2] == dt.datetime(2024, 1, 1, 12) and back[1][2] is None
    assert [r[3] for r in back] == ["", None, "x"]


def test_a_pandas_frame_registers_with_nulls_and_empty_texts_apart(pg_url):
    frame = pd.DataFrame(
        {
            "s": ["", None, "a\nb", "中"],
            "v": [1.5, np.nan, -0.0, 2.0],
            "when": pd.to_datetime(
                ["2024-01-01", "2024-01-02 00:00:00.000001", None, "2024-12-31"], format="ISO8601"
            ),
        }
    )
    with db.connect(pg_url) as con:
        con.register("frame_rows", frame)
        back = con.execute('SELECT s, v, "when" FROM frame_rows').fetchall()
    assert [r[0] for r in back] == ["", None, "a\nb", "中"]
    assert back[0][1] == 1.5 and back[1][1] is None and repr(back[2][1]) == "-0.0"
    assert back[1][2] == dt.datetime(2024, 1, 2, 0, 0, 0, 1) and back[2][2] is None


FIRST_DAY = dt.date(1960, 1, 1)


def test_binary_copy_writes_every_value_back_exactly_across_pieces_and_slices(pg_url, monkeypatch):
    """Text, floats, integers, booleans and dates go in PostgreSQL's binary format (store/pg_binary.py):
    more rows than one piece, a slice of a larger table (Arrow offsets not starting at 0), dates before
    2000 and 1970, every float edge, NULL apart from an empty text."""
    pieces: list[int] = []
    rows = pg_binary.rows
    monkeypatch.setattr(pg_binary, "rows", lambda t, o: pieces.append(t.num_rows) or rows(t, o))
    floats = _edge_floats()
    n = 300_000
    texts = (TEXTS * (n // len(TEXTS) + 1))[: n + 5]
    whole = pa.table(
        {
            "k": pa.array(range(n + 5), pa.int32()),
            "t": pa.array(texts, pa.string()),
            "f": pa.array([floats[k % len(floats)] for k in range(n + 5)], pa.float64()),
            "g": pa.array([None if k % 5 == 0 else k / 8 for k in range(n + 5)], pa.float32()),
            "i": pa.array([None if k % 7 == 0 else (k - 100) * 40_000 for k in range(n + 5)], pa.int64()),
            "s": pa.array([None if k % 11 == 0 else k % 30_000 - 15_000 for k in range(n + 5)], pa.int16()),
            "b": pa.array([(None, True, False)[k % 3] for k in range(n + 5)], pa.bool_()),
            "d": pa.array(
                [None if k % 13 == 0 else FIRST_DAY + dt.timedelta(days=k % 40_000) for k in range(n + 5)]
            ),
            "n": pa.nulls(n + 5, pa.string()),
        }
    )
    table = whole.slice(5)
    with db.connect(pg_url) as con:
        con.register("binary_rows", table)
        back = con.execute("SELECT k, t, f, g, i, s, b, d, n FROM binary_rows ORDER BY k").fetchall()
    assert sum(pieces) == n and len(pieces) == 3  # 131,072 rows a piece
    assert len(back) == n
    for column, name in enumerate(["k", "t", "f", "g", "i", "s", "b", "d", "n"]):
        expected = table.column(name).to_pylist()
        got = [r[column] for r in back]
        if name == "f":  # every digit, -0.0, nan, inf
            assert [repr(v) for v in got] == [repr(v) for v in expected]
        else:
            assert got == expected, name


def test_copy_into_measurements_goes_binary_and_falls_back_to_csv_for_what_does_not_cast(pg_url):
    with db.connect(pg_url) as con:
        assert isinstance(con, PgConnection)
        rows = pa.table(
            {
                "city": ["a", "b"],
                "indicator": ["pm25", "pm10"],
                "period": pa.array([dt.date(2019, 12, 1), dt.date(2020, 1, 1)], pa.date32()),
                "revision": pa.array([1, 2], pa.int64()),  # BIGINT here, INTEGER there: cast exactly
                "value": [35.5, None],
                "is_demo": [False, True],
                "batch_id": pa.array([7, 7], pa.int32()),
            }
        )
        oids = pg_copy._column_oids(con.raw, "measurements", rows.schema.names)
        assert oids == [1043, 1043, 1082, 23, 701, 16, 23]
        pg_copy.copy_rows(con.raw, "measurements", rows)
        # a revision too large for INTEGER does not cast: the CSV path, whose COPY the server refuses whole
        too_large = rows.set_column(3, "revision", pa.array([1, 2**40], pa.int64()))
        assert pg_binary.cast(too_large, oids) is None
        with pytest.raises(psycopg.errors.NumericValueOutOfRange):
            pg_copy.copy_rows(con.raw, "measurements", too_large)
        back = con.execute(
            "SELECT city, indicator, period, revision, value, is_demo, batch_id FROM measurements "
            "ORDER BY city"
        ).fetchall()
    assert back == [
        ("a", "pm25", dt.date(2019, 12, 1), 1, 35.5, False, 7),
        ("b", "pm10", dt.date(2020, 1, 1), 2, None, True, 7),
    ]


def test_binary_copy_tells_its_progress_after_each_piece(pg_url):
    shares: list[float] = []
    table = pa.table({"k": pa.array(range(300_000), pa.int32())})
    with db.connect(pg_url) as con:
        assert isinstance(con, PgConnection)
        con.execute("CREATE TEMPORARY TABLE progress_rows (k INTEGER)")
        pg_copy.copy_rows(con.raw, "progress_rows", table, shares.append)
        count = con.execute("SELECT count(*), sum(k) FROM progress_rows").fetchone()
    assert shares == [1 / 3, 2 / 3, 1.0]  # 131,072 rows a piece: three pieces
    assert count == (300_000, 300_000 * 299_999 // 2)
