"""The only module with SQL: load the catalog, write batches of measurements, read frames for the pages."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from indicators import catalog as cat
from indicators import db, series
from indicators import upload_errors as ue

_CATALOG_TABLES = ("targets", "plans", "indicator_aliases", "indicators", "city_aliases", "cities")
_CITY_FIELDS = ("code", "name_zh", "name_en", "province_zh", "province_en", "parent_zh", "parent_en", "level")


@dataclass(frozen=True)
class InitReport:
    migrations_applied: list[str]
    catalog_loaded: bool
    targets: int


class UnknownName(LookupError):
    pass


def catalog_sha(catalog: cat.Catalog) -> str:
    blob = json.dumps(dataclasses.asdict(catalog), sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def init(path: Path | str, catalog: cat.Catalog | None = None) -> InitReport:
    """Create or upgrade the schema and load the catalog; a second run with the same data changes nothing."""
    catalog = catalog or cat.load()
    with db.connect(path) as con:
        applied = db.migrate(con)
        loaded = load_catalog(con, catalog)
    return InitReport(applied, loaded, len(catalog.targets))


def load_catalog(con: duckdb.DuckDBPyConnection, catalog: cat.Catalog) -> bool:
    """Replace the catalog tables in one transaction unless the same catalog is already loaded."""
    sha = catalog_sha(catalog)
    row = con.execute("SELECT content_sha FROM catalog_state WHERE id = 1").fetchone()
    if row and row[0] == sha:
        return False
    con.execute("BEGIN")
    try:
        for table in _CATALOG_TABLES:
            con.execute(f"DELETE FROM {table}")
        _insert(con, "cities", [tuple(getattr(c, f) for f in _CITY_FIELDS) for c in catalog.cities])
        _insert(con, "city_aliases", [(a, c.code) for c in catalog.cities for a in c.aliases])
        _insert(con, "indicators", [dataclasses.astuple(i)[:-1] for i in catalog.indicators])
        _insert(con, "indicator_aliases", [(a, i.code) for i in catalog.indicators for a in i.aliases])
        _insert(con, "plans", [dataclasses.astuple(p) for p in catalog.plans])
        _insert(
            con,
            "targets",
            [
                (
                    t.id,
                    t.city,
                    t.indicator,
                    t.comparator,
                    t.value,
                    t.unit,
                    t.value_canonical,
                    t.deadline,
                    t.deadline_text,
                    t.stage,
                    t.baseline_year,
                    t.baseline_value,
                    t.source_file,
                    t.plan_title_zh,
                    t.quote,
                    list(t.responsible),
                    list(t.cooperating),
                    t.note,
                )
                for t in catalog.targets
            ],
        )
        con.execute("INSERT OR REPLACE INTO catalog_state VALUES (1, ?, ?)", [sha, dt.datetime.now()])
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return True


def _insert(con: duckdb.DuckDBPyConnection, table: str, rows: list[tuple[object, ...]]) -> None:
    if rows:
        marks = ", ".join("?" * len(rows[0]))
        con.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)


def resolve_city(con: duckdb.DuckDBPyConnection, name: str) -> str:
    """The city code for a code, Chinese name, English name or alias (case-insensitive)."""
    row = con.execute(
        "SELECT code FROM cities WHERE code = lower(?) OR name_zh = ? OR lower(name_en) = lower(?) "
        "UNION SELECT city FROM city_aliases WHERE lower(alias) = lower(?)",
        [name.strip()] * 4,
    ).fetchone()
    if row is None:
        raise UnknownName(f"未知城市 unknown city: {name}")
    return str(row[0])


def cities_frame(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return con.execute(
        "SELECT c.* FROM cities c LEFT JOIN (SELECT city, min(source_file) AS f FROM plans "
        "GROUP BY city) p ON p.city = c.code ORDER BY p.f, c.code"
    ).df()


def indicators_frame(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return con.execute("SELECT * FROM indicators ORDER BY domain, code").df()


def targets_frame(con: duckdb.DuckDBPyConnection, city: str | None = None) -> pd.DataFrame:
    """Targets joined with city and indicator names, ordered by city, domain, indicator, deadline."""
    return _frame(
        con,
        """
        SELECT t.*, c.name_zh AS city_zh, c.name_en AS city_en,
               i.name_zh AS indicator_zh, i.name_en AS indicator_en, i.domain, i.unit AS canonical_unit,
               i.polarity, i.aggregation
        FROM targets t JOIN cities c ON c.code = t.city JOIN indicators i ON i.code = t.indicator
        WHERE $city::VARCHAR IS NULL OR t.city = $city
        ORDER BY t.source_file, t.city, i.domain, t.indicator, t.deadline, t.id
        """,
        {"city": city},
    )


_NULLABLE_INTS = {pa.int32(): pd.Int32Dtype(), pa.int64(): pd.Int64Dtype()}


def _frame(con: duckdb.DuckDBPyConnection, sql: str, params: dict[str, object]) -> pd.DataFrame:
    """The same frame as .df(), through Arrow: with 150,000 targets a third of the time and of the memory
    (.df() builds the list columns cell by cell)."""
    with con.cursor() as cur:  # see _stream
        table = cur.sql(sql, params=params).to_arrow_table()
    frame = table.to_pandas(types_mapper=_NULLABLE_INTS.get, date_as_object=False)
    for column in frame.columns:
        if str(frame[column].dtype).startswith("datetime64"):
            frame[column] = frame[column].astype("datetime64[us]")  # the unit .df() gives
    return frame


def new_batch(
    con: duckdb.DuckDBPyConnection,
    kind: str,
    actor: str,
    file_name: str | None = None,
    content_sha: str | None = None,
    note: str | None = None,
) -> int:
    row = con.execute(
        "INSERT INTO batches (kind, file_name, content_sha, actor, created_at, note) "
        "VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
        [kind, file_name, content_sha, actor, dt.datetime.now(), note],
    ).fetchone()
    assert row is not None
    return int(row[0])


def has_demo(con: duckdb.DuckDBPyConnection) -> bool:
    row = con.execute("SELECT count(*) FROM batches WHERE kind = 'demo'").fetchone()
    return bool(row and row[0])


def write_demo(con: duckdb.DuckDBPyConnection, frame: pd.DataFrame) -> int:
    """Store demo series (city, indicator, period, value) as one flagged batch, in one transaction."""
    con.execute("BEGIN")
    try:
        batch = new_batch(con, "demo", "demo", note="示例数据 demo data (indicators.demo)")
        rows = frame.assign(batch_id=batch)
        con.register("demo_rows", rows)
        con.execute(
            """
            INSERT INTO measurements
            SELECT d.city, d.indicator, d.period::DATE, coalesce(m.rev, 0) + 1, d.value, d.value,
                   i.unit, NULL, TRUE, d.batch_id
            FROM demo_rows d JOIN indicators i ON i.code = d.indicator
            LEFT JOIN (SELECT city, indicator, period, max(revision) AS rev FROM measurements
                       GROUP BY ALL) m
              ON m.city = d.city AND m.indicator = d.indicator AND m.period = d.period::DATE
            """
        )
        con.unregister("demo_rows")
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return batch


def measurements_frame(
    con: duckdb.DuckDBPyConnection, city: str | None = None, indicator: str | None = None
) -> pd.DataFrame:
    return con.execute(
        """
        SELECT city, indicator, period, value, is_demo, batch_id FROM current_measurements
        WHERE value IS NOT NULL AND (? IS NULL OR city = ?) AND (? IS NULL OR indicator = ?)
        ORDER BY city, indicator, period
        """,
        [city, city, indicator, indicator],
    ).df()


def monthly_values(con: duckdb.DuckDBPyConnection, city: str | None = None) -> series.Monthly:
    """The current values of every series that has a target (of one city), as the engine's matrix.

    At national scale (18 million values) a frame with a city and an indicator string per value is what
    costs time and memory. Here DuckDB streams three numeric columns in batches, each value naming its series
    by a 64-bit hash of (city, indicator) that is resolved against the target series (by a join instead when
    two of them ever share a hash), straight into the matrix."""
    keys = con.execute(
        "SELECT city, indicator, hash(city, indicator) AS key FROM "
        "(SELECT DISTINCT city, indicator FROM targets WHERE ?::VARCHAR IS NULL OR city = ?) ORDER BY ALL",
        [city, city],
    ).df()
    index = pd.MultiIndex.from_frame(keys[["city", "indicator"]])
    span = con.execute(
        f"SELECT min({_MONTH}), max({_MONTH}) FROM measurements "
        "WHERE value IS NOT NULL AND (?::VARCHAR IS NULL OR city = ?)",
        [city, city],
    ).fetchall()[0]
    if span[0] is None:
        return series.Monthly.empty(index, 0, -1)
    monthly = series.Monthly.empty(index, int(span[0]), int(span[1]))
    where = "value IS NOT NULL AND ($city::VARCHAR IS NULL OR city = $city)"
    if keys["key"].is_unique:
        hashes = pd.Index(keys["key"].to_numpy())
        query = f"SELECT hash(city, indicator) AS key, {_MONTH} AS month, value FROM current_measurements"
        with con.cursor() as cur:
            for batch in _stream(cur, f"{query} WHERE {where}", {"city": city}):
                key, month, value = (batch.column(i).to_numpy() for i in range(3))
                monthly.put(hashes.get_indexer(key), month, value)
        return monthly
    con.register("series_keys", keys.assign(row=range(len(keys))))
    try:
        got = con.execute(
            f"SELECT k.row, {_MONTH} AS month, value FROM current_measurements m "
            f"JOIN series_keys k USING (city, indicator) WHERE {where}",
            {"city": city},
        ).fetchnumpy()
    finally:
        con.unregister("series_keys")
    monthly.put(np.asarray(got["row"]), np.asarray(got["month"]), np.asarray(got["value"], dtype=float))
    return monthly


_MONTH = "(year(period) * 12 + month(period) - 1)::INTEGER"


def _stream(cur: duckdb.DuckDBPyConnection, sql: str, params: dict[str, object]) -> pa.RecordBatchReader:
    """Arrow batches of a query as DuckDB produces them, never the whole result at once. Run on a cursor (a
    second connection to the same database), since a relation refuses a connection with an unfinished
    result (any fetchone before); these are reads outside any write transaction."""
    return cur.sql(sql, params=params).to_arrow_reader(1 << 20)


def latest_months(con: duckdb.DuckDBPyConnection, city: str | None = None) -> pd.DataFrame:
    """Per city: the first day of its latest month with a current value."""
    return con.execute(
        "SELECT city, max(period) AS period FROM current_measurements "
        "WHERE value IS NOT NULL AND (?::VARCHAR IS NULL OR city = ?) GROUP BY city ORDER BY city",
        [city, city],
    ).df()


def demo_share(con: duckdb.DuckDBPyConnection) -> float:
    """The share of current values that are demo data (0 when there is none)."""
    row = con.execute(
        "SELECT avg(is_demo::INTEGER) FROM current_measurements WHERE value IS NOT NULL"
    ).fetchone()
    return float(row[0]) if row and row[0] is not None else 0.0


def plans_frame(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return con.execute("SELECT * FROM plans ORDER BY source_file, title_zh").df()


def latest_period(con: duckdb.DuckDBPyConnection) -> dt.date | None:
    """The most recent month with a current value (its first day), or None for an empty store."""
    row = con.execute("SELECT max(period) FROM current_measurements WHERE value IS NOT NULL").fetchone()
    return row[0] if row and row[0] is not None else None


# --- uploads: names, preview, atomic commit, history, undo -------------------------------------------

_DIFF_COLUMNS = [
    "old_value",
    "old_original_value",
    "old_original_unit",
    "old_is_demo",
    "old_batch_id",
    "status",
]
_WRITE_COLUMNS = ["city", "indicator", "period", "value", "original_value", "original_unit", "note"]


@dataclass(frozen=True)
class CommitResult:
    batch_id: int | None  # None when nothing differed from the current values
    diff: pd.DataFrame  # the rows with their status as compared inside the commit's transaction


@dataclass(frozen=True)
class UndoResult:
    undo_batch_id: int
    undone_batch_id: int
    values: int  # current values the undone batch had supplied


def name_frames(con: duckdb.DuckDBPyConnection) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Cities and indicators with every alias, as names.Lookup reads them."""
    cities = con.execute(
        "SELECT c.code, c.name_zh, c.name_en, "
        "coalesce(list(a.alias ORDER BY a.alias) FILTER (WHERE a.alias IS NOT NULL), []) AS aliases "
        "FROM cities c LEFT JOIN city_aliases a ON a.city = c.code GROUP BY ALL ORDER BY c.code"
    ).df()
    indicators = con.execute(
        "SELECT i.code, i.name_zh, i.name_en, i.unit, i.valid_min, i.valid_max, i.domain, "
        "coalesce(list(a.alias ORDER BY a.alias) FILTER (WHERE a.alias IS NOT NULL), []) AS aliases "
        "FROM indicators i LEFT JOIN indicator_aliases a ON a.indicator = i.code GROUP BY ALL ORDER BY i.code"
    ).df()
    return cities, indicators


def diff_upload(con: duckdb.DuckDBPyConnection, rows: pd.DataFrame) -> pd.DataFrame:
    """Each accepted value beside the current one, with status new, changed or unchanged.

    A demo value is always 'changed' (a real value replaces it); equal means equal within 1e-9 relative, so
    that 0.035 mg/m³ and 35 µg/m³ are the same value, and the same note."""
    if rows.empty:
        return rows.assign(**{c: pd.Series(dtype=object) for c in _DIFF_COLUMNS})
    con.register("upload_rows", rows.assign(period=pd.to_datetime(rows["period"]), seq=range(len(rows))))
    try:
        frame = con.execute(
            """
            SELECT u.*, m.value AS old_value, m.original_value AS old_original_value,
                   m.original_unit AS old_original_unit, m.is_demo AS old_is_demo, m.batch_id AS old_batch_id,
                   CASE WHEN m.value IS NULL THEN 'new'
                        WHEN m.is_demo OR abs(m.value - u.value) > 1e-9 * greatest(1, abs(u.value))
                          OR coalesce(m.note, '') <> coalesce(u.note::VARCHAR, '') THEN 'changed'
                        ELSE 'unchanged' END AS status
            FROM upload_rows u
            LEFT JOIN current_measurements m
              ON m.city = u.city AND m.indicator = u.indicator AND m.period = u.period::DATE
            ORDER BY u.seq
            """
        ).df()
        return frame.drop(columns="seq")
    finally:
        con.unregister("upload_rows")


def commit_upload(
    con: duckdb.DuckDBPyConnection,
    rows: pd.DataFrame,
    actor: str,
    file_name: str,
    content_sha: str,
    note: str,
    before_commit: Callable[[], None] | None = None,
    progress: Callable[[float], None] | None = None,
    chunk: int = 5000,
) -> CommitResult:
    """Write every new or changed value as a new revision of one upload batch, in one transaction.

    The comparison is made again inside the transaction, so what is written is what differs now. Nothing
    is written (and no batch recorded) when nothing differs. Killed or failing anywhere before COMMIT, the
    store keeps no trace of the batch."""
    con.execute("BEGIN")
    try:
        diff = diff_upload(con, rows)
        write = diff[diff["status"] != "unchanged"]
        if write.empty:
            con.execute("ROLLBACK")
            return CommitResult(None, diff)
        batch = new_batch(con, "upload", actor, file_name, content_sha, note)
        revisions = _next_revisions(con, write)
        for start in range(0, len(write), chunk):
            part = write.iloc[start : start + chunk][_WRITE_COLUMNS]
            con.register("write_rows", part.assign(revision=revisions[start : start + chunk]))
            con.execute(
                """
                INSERT INTO measurements
                SELECT w.city, w.indicator, w.period::DATE, w.revision, w.value, w.original_value,
                       w.original_unit::VARCHAR, w.note::VARCHAR, FALSE, ?
                FROM write_rows w
                """,
                [batch],
            )
            con.unregister("write_rows")
            if progress is not None:
                progress(min(1.0, (start + chunk) / len(write)))
        if before_commit is not None:
            before_commit()
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return CommitResult(batch, diff)


def _next_revisions(con: duckdb.DuckDBPyConnection, write: pd.DataFrame) -> np.ndarray:
    """The revision each row will be written as: one above the newest of its key, counted once for the whole
    upload (per chunk it aggregated every revision of the country: ten minutes for a million values)."""
    keys = write[["city", "indicator", "period"]].assign(seq=range(len(write)))
    con.register("write_keys", keys)
    try:
        got = con.execute(
            """
            WITH k AS (SELECT city, indicator, period::DATE AS period, seq FROM write_keys),
                 newest AS (
                     SELECT m.city, m.indicator, m.period, max(m.revision) AS rev
                     FROM measurements m SEMI JOIN k USING (city, indicator, period) GROUP BY ALL)
            SELECT coalesce(n.rev, 0) + row_number() OVER (PARTITION BY k.city, k.indicator, k.period
                                                          ORDER BY k.seq) AS revision
            FROM k LEFT JOIN newest n USING (city, indicator, period)
            ORDER BY k.seq
            """
        ).fetchnumpy()
    finally:
        con.unregister("write_keys")
    return np.asarray(got["revision"], dtype=np.int64)


def history(
    con: duckdb.DuckDBPyConnection, city: str, indicator: str, period: dt.date | None = None
) -> pd.DataFrame:
    """Every revision of a city's indicator (one month or all), oldest first, with its batch; `current`
    marks the revision in force and `undone_by` the undo batch that withdrew it."""
    return con.execute(
        """
        SELECT m.period, m.revision, m.value, m.original_value, m.original_unit, m.note, m.is_demo,
               m.batch_id, b.kind, b.file_name, b.actor, b.created_at, u.undo_batch_id AS undone_by,
               c.revision IS NOT NULL AS current
        FROM measurements m
        JOIN batches b ON b.id = m.batch_id
        LEFT JOIN batch_undos u ON u.batch_id = m.batch_id
        LEFT JOIN current_measurements c
          ON c.city = m.city AND c.indicator = m.indicator AND c.period = m.period AND c.revision = m.revision
        WHERE m.city = ? AND m.indicator = ? AND (?::DATE IS NULL OR m.period = ?::DATE)
        ORDER BY m.period, m.revision
        """,
        [city, indicator, period, period],
    ).df()


def batches_frame(con: duckdb.DuckDBPyConnection, city: str | None = None, limit: int = 50) -> pd.DataFrame:
    """The latest batches (of one city), newest first, with their value count and undo links."""
    return con.execute(
        """
        SELECT b.id, b.kind, b.file_name, b.actor, b.created_at, b.note, count(m.revision) AS "values",
               coalesce(list(DISTINCT m.city) FILTER (WHERE m.city IS NOT NULL), []) AS cities,
               u.undo_batch_id AS undone_by, w.batch_id AS undoes
        FROM batches b
        LEFT JOIN measurements m ON m.batch_id = b.id
        LEFT JOIN batch_undos u ON u.batch_id = b.id
        LEFT JOIN batch_undos w ON w.undo_batch_id = b.id
        GROUP BY ALL
        HAVING ?::VARCHAR IS NULL OR list_contains(cities, ?::VARCHAR)
            OR (b.kind = 'undo' AND w.batch_id IN (SELECT batch_id FROM measurements WHERE city = ?))
        ORDER BY b.id DESC
        LIMIT ?
        """,
        [city, city, city, limit],
    ).df()


def undo_batch(
    con: duckdb.DuckDBPyConnection, batch_id: int, actor: str, cities: frozenset[str] | None
) -> UndoResult:
    """Withdraw a batch's revisions by recording an undo batch; nothing is deleted or rewritten.

    The current value of each key the batch wrote falls back to the newest revision of a batch that is not
    undone: undoing the newest batch restores exactly the state before it. Refused (UndoRefused) for an
    unknown batch, an undo, a batch already undone, or a batch with values of a city the actor may not
    write."""
    con.execute("BEGIN")
    try:
        row = con.execute("SELECT kind FROM batches WHERE id = ?", [batch_id]).fetchone()
        if row is None:
            raise ue.UndoRefused("unknown_batch", batch=batch_id)
        if row[0] == "undo":
            raise ue.UndoRefused("undo_of_undo", batch=batch_id)
        done = con.execute("SELECT undo_batch_id FROM batch_undos WHERE batch_id = ?", [batch_id]).fetchone()
        if done is not None:
            raise ue.UndoRefused("already_undone", batch=batch_id, undo=done[0])
        written = {
            r[0]
            for r in con.execute(
                "SELECT DISTINCT city FROM measurements WHERE batch_id = ?", [batch_id]
            ).fetchall()
        }
        if cities is not None and not written <= cities:
            raise ue.UndoRefused("undo_not_permitted", batch=batch_id, actor=actor)
        count = con.execute(
            "SELECT count(*) FROM current_measurements WHERE batch_id = ?", [batch_id]
        ).fetchone()
        undo = new_batch(con, "undo", actor, note=f"撤销批次 {batch_id} / undo of batch {batch_id}")
        con.execute("INSERT INTO batch_undos VALUES (?, ?)", [batch_id, undo])
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return UndoResult(undo, batch_id, int(count[0]) if count else 0)
