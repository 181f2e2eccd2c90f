"""Reads of measurements for the status path and the pages: Arrow frames, the monthly matrix, latest
months, the demo share.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from indicators import months as mo
from indicators.status import series
from indicators.store import db
from indicators.store.db import Connection


def measurements_frame(
    con: Connection, city: str | None = None, indicator: str | None = None
) -> pd.DataFrame:
    return con.execute(
        f"""
        SELECT city, indicator, period, value, is_demo, batch_id, valid_days, good_days FROM {_current(con)}
        WHERE value IS NOT NULL AND (?::VARCHAR IS NULL OR city = ?) AND (?::VARCHAR IS NULL OR indicator = ?)
        ORDER BY city, indicator, period
        """,
        [city, city, indicator, indicator],
    ).df()


def monthly_values(con: Connection, city: str | None = None) -> series.Monthly:
    """The current values of every series that has a target (of one city), as the engine's matrix.

    At national scale (18 million values) a frame with a city and an indicator string per value is what
    costs time and memory. Here DuckDB streams three numeric columns in batches, each value naming its series
    by a 64-bit hash of (city, indicator) that is resolved against the target series (by a join instead when
    two of them ever share a hash), straight into the matrix; its month is looked up from its day number."""
    key_of = db.key_hash(con, "city", "indicator")
    with _reader(con, city) as cur:  # see _stream
        keys = cur.sql(
            f"SELECT DISTINCT t.city, t.indicator, {db.key_hash(con, 't.city', 't.indicator')} AS key, "
            "i.aggregation "
            "FROM targets t LEFT JOIN indicators i ON i.code = t.indicator "
            "WHERE $city::VARCHAR IS NULL OR t.city = $city",
            params={"city": city},
        ).to_arrow_table()
        # the series of one aggregation side by side: the engine evaluates each kind as one block of rows
        keys = keys.take(pc.sort_indices(keys, [("aggregation", "ascending")]))
        names = [keys.column("city").to_pandas(), keys.column("indicator").to_pandas()]
        index = pd.MultiIndex.from_arrays(names, names=["city", "indicator"])
        hashes = pd.Index(keys.column("key").to_numpy())
        # valid days (issue 12) are read only where some value came with them: at national scale none do
        days = ", CAST(valid_days AS DOUBLE PRECISION) AS days" if _has_valid_days(con, city) else ""
        if hashes.is_unique and city is None and db.dialect(con) == "postgresql":
            side_by_side = _side_by_side(con, index, hashes, key_of, days, keys.column("city"))
            if side_by_side is not None:
                return side_by_side
        # min and max of a column DuckDB answers from its statistics; of an expression it reads every value
        span = cur.sql(
            "SELECT min(period), max(period) FROM measurements "
            "WHERE value IS NOT NULL AND ($city::VARCHAR IS NULL OR city = $city)",
            params={"city": city},
        ).fetchall()[0]
        if span[0] is None:
            return series.Monthly.empty(index, 0, -1)
        monthly = series.Monthly.empty(index, mo.of(span[0]), mo.of(span[1]))
        where = "value IS NOT NULL AND ($city::VARCHAR IS NULL OR city = $city)"
        if hashes.is_unique:
            months = _months_of_days(span[0], span[1])
            query = f"SELECT {key_of} AS key, period, value{days} FROM {_current(con)} WHERE {where}"
            for batch in _stream(cur, query, {"city": city}):
                key, day, value = (_numbers(batch.column(i)) for i in range(3))
                at, month = _lookup(hashes, key), months(day)
                monthly.put(at, month, value)
                if days:
                    monthly.put_valid(at, month, _days(batch.column(3)))
            return monthly
    con.register(
        "series_keys", keys.select(["city", "indicator"]).append_column("row", pa.array(range(len(keys))))
    )
    try:
        got = con.execute(
            f"SELECT k.row, {_MONTH} AS month, value, CAST(valid_days AS DOUBLE PRECISION) AS days "
            "FROM current_measurements m "
            f"JOIN series_keys k USING (city, indicator) WHERE {where}",
            {"city": city},
        ).fetchnumpy()
    finally:
        con.unregister("series_keys")
    rows, month = np.asarray(got["row"]), np.asarray(got["month"])
    monthly.put(rows, month, np.asarray(got["value"], dtype=float))
    monthly.put_valid(rows, month, np.ma.filled(np.ma.asarray(got["days"], dtype=float), np.nan))
    return monthly


def _side_by_side(
    con: Connection, index: pd.MultiIndex, hashes: pd.Index, key_of: str, days: str, cities: pa.ChunkedArray
) -> series.Monthly | None:
    """PostgreSQL, the whole store: the values of the target cities read in streams side by side
    (store/pg_values.py), each batch looked up in its stream's thread; the matrix spans the months read.
    None when the table is not partitioned or a write committed meanwhile: the caller reads in one stream."""
    from indicators.store import pg_values

    groups = pg_values.city_groups(con, pc.unique(cities).to_pylist())
    if groups is None or len(groups) < 2:
        return None
    hashes.get_indexer(hashes[:1])  # the index's hash table built here, before the threads share it
    before = pg_values.stamp(con)  # before the table or the view is chosen
    sql = (
        f"SELECT {key_of} AS key, period, value{days} FROM {_current(con)} "
        "WHERE value IS NOT NULL AND city = ANY($cities::VARCHAR[])"
    )

    def convert(batch: pa.RecordBatch) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray | None]:
        # kept until every stream has ended: 16 bytes a value (18 million: 290 MB, then freed)
        at = _lookup(hashes, _numbers(batch.column(0))).astype(np.int32)
        day = _numbers(batch.column(1)).astype("datetime64[D]")
        month = (day.astype("datetime64[M]").astype(np.int32) + 1970 * 12).astype(np.int32)
        return at, month, _numbers(batch.column(2)), _days(batch.column(3)) if days else None

    got = pg_values.read_side_by_side(con, sql, groups, convert, before)
    if got is None:
        return None
    read = [month for _, month, _, _ in got if len(month)]
    if not read:
        return series.Monthly.empty(index, 0, -1)
    monthly = series.Monthly.empty(index, min(int(m.min()) for m in read), max(int(m.max()) for m in read))
    while got:  # each batch freed once written
        at, month, value, valid = got.pop()
        rows, months = at.astype(np.intp), month.astype(np.intp)
        monthly.put(rows, months, value)
        if valid is not None:
            monthly.put_valid(rows, months, valid)
    return monthly


def _has_valid_days(con: Connection, city: str | None) -> bool:
    row = con.execute(
        "SELECT EXISTS (SELECT 1 FROM measurements WHERE valid_days IS NOT NULL "
        "AND (?::VARCHAR IS NULL OR city = ?))",
        [city, city],
    ).fetchone()
    return bool(row and row[0])


def _days(column: pa.Array) -> np.ndarray:
    """A nullable numeric Arrow column as floats, NaN where null."""
    return pc.fill_null(column, float("nan")).to_numpy(zero_copy_only=False).astype(float)


def _months_of_days(first: dt.date, last: dt.date) -> Callable[[np.ndarray], np.ndarray]:
    """Day numbers (days since 1970-01-01, as Arrow holds dates) from `first` to `last` -> month indices
    (year * 12 + month - 1), through a table of those days: a lookup rather than calendar arithmetic."""
    lo, hi = (int(np.datetime64(d, "D").astype(np.int64)) for d in (first, last))
    months = (
        np.arange(lo, hi + 1).astype("datetime64[D]").astype("datetime64[M]").astype(np.int32) + 1970 * 12
    )
    return lambda days: months[days - lo]


_MONTH = "(extract(year FROM period) * 12 + extract(month FROM period) - 1)::INTEGER"


def _lookup(index: pd.Index, keys: np.ndarray) -> np.ndarray:
    """index.get_indexer(keys), looking up each run of equal keys once: a series' values mostly come one
    after another, as they were written (a tenth of the lookups at national scale)."""
    if not len(keys):
        return np.empty(0, dtype=np.intp)
    starts = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1])))
    return np.repeat(index.get_indexer(keys[starts]), np.diff(np.append(starts, len(keys))))


def _numbers(column: pa.Array) -> np.ndarray:
    """A numeric Arrow column as numpy, without a copy; dates as their day numbers (days since 1970-01-01)."""
    return column.view(pa.int32()).to_numpy() if pa.types.is_date32(column.type) else column.to_numpy()


def _current(con: Connection) -> str:
    """Where the current values are: the table itself while no key was ever written twice and no batch was
    undone (every row is then current, as current_measurements would say at twice the cost), else the view.
    Mirrors the view's definition (migration 0003): tests/test_status_read.py holds the two together."""
    row = con.execute(
        "SELECT EXISTS (SELECT 1 FROM measurements WHERE revision > 1) OR EXISTS (SELECT 1 FROM batch_undos)"
    ).fetchone()
    return "current_measurements" if row is None or row[0] else "measurements"


def _reader(con: Connection, city: str | None) -> Connection:
    """The cursor the values are read on: for the whole store, one whose reads come as Arrow on PostgreSQL
    too (db.bulk_cursor); for one city, whose values are few, a plain one."""
    return db.bulk_cursor(con) if city is None else con.cursor()


def _stream(cur: Connection, sql: str, params: dict[str, object]) -> pa.RecordBatchReader:
    """Arrow batches of a query as DuckDB produces them, never the whole result at once. Run on a cursor (a
    second connection to the same database), since a relation refuses a connection with an unfinished
    result (any fetchone before); these are reads outside any write transaction."""
    return cur.sql(sql, params=params).to_arrow_reader(1 << 20)


def latest_months(con: Connection, city: str | None = None) -> pd.DataFrame:
    """Per city: the first day of its latest month with a current value."""
    return con.execute(
        f"SELECT city, max(period) AS period FROM {_current(con)} "
        "WHERE value IS NOT NULL AND (?::VARCHAR IS NULL OR city = ?) GROUP BY city ORDER BY city",
        [city, city],
    ).df()


def demo_share(con: Connection) -> float:
    """The share of current values that are demo data (0 when there is none)."""
    row = con.execute(f"SELECT avg(is_demo::INTEGER) FROM {_current(con)} WHERE value IS NOT NULL").fetchone()
    return float(row[0]) if row and row[0] is not None else 0.0


def plans_frame(con: Connection) -> pd.DataFrame:
    return con.execute("SELECT * FROM plans ORDER BY source_file, title_zh").df()


def series_values(con: Connection, keys: pd.DataFrame) -> pd.DataFrame:
    """The current values (city, indicator, period, value) of the series named in `keys` (city, indicator):
    what an upload's running totals are counted against (ingest/basis.py)."""
    if keys.empty:
        return pd.DataFrame(columns=["city", "indicator", "period", "value"])
    con.register("basis_keys", keys[["city", "indicator"]].drop_duplicates())
    try:
        return con.execute(
            f"SELECT m.city, m.indicator, m.period, m.value FROM {_current(con)} m "
            "JOIN basis_keys k USING (city, indicator) WHERE m.value IS NOT NULL ORDER BY 1, 2, 3"
        ).df()
    finally:
        con.unregister("basis_keys")
