"""The only module with SQL: load the catalog, write batches of measurements, read frames for the pages.

Sections, in this order:
- catalog: init, load_catalog, resolve_city, cities/indicators/targets frames, new_batch, demo writes;
- reads for the status path and the pages: measurements_frame, monthly_values, latest_months, plans_frame;
- uploads: name_frames, diff_upload, commit_upload (one writer at a time), history, batches, undo_batch;
- accounts, target edits and the audit log: audit (appended inside every write's transaction), users,
  edit_target / apply_target_edits.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from indicators import months as mo
from indicators.catalog import load as cat
from indicators.errors import UnknownName
from indicators.ingest import errors as ue
from indicators.status import series
from indicators.store import db

_CATALOG_TABLES = ("targets", "plans", "indicator_aliases", "indicators", "city_aliases", "cities")
_CITY_FIELDS = ("code", "name_zh", "name_en", "province_zh", "province_en", "parent_zh", "parent_en", "level")
# One transaction writing measurements at a time in this process (DuckDB lets one process write the file):
# the revision of each value is computed inside the transaction (see 0006_measurements_without_index.sql).
_WRITES = threading.Lock()


@dataclass(frozen=True)
class InitReport:
    migrations_applied: list[str]
    catalog_loaded: bool
    targets: int


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
        apply_target_edits(con)  # an administrator's edits outlive a reload of the catalog
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
        raise UnknownName(f"未知城市：{name}", f"unknown city: {name}")
    return str(row[0])


def cities_frame(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return con.execute(
        "SELECT c.* FROM cities c LEFT JOIN (SELECT city, min(source_file) AS f FROM plans "
        "GROUP BY city) p ON p.city = c.code ORDER BY p.f, c.code"
    ).df()


def indicators_frame(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return con.execute("SELECT * FROM indicators ORDER BY domain, code").df()


def targets_frame(con: duckdb.DuckDBPyConnection, city: str | None = None) -> pd.DataFrame:
    """Targets joined with city and indicator names, ordered by plan (source file), city, domain,
    indicator, deadline and id."""
    return _frame(
        con,
        """
        SELECT t.*, c.name_zh AS city_zh, c.name_en AS city_en,
               i.name_zh AS indicator_zh, i.name_en AS indicator_en, i.domain, i.unit AS canonical_unit,
               i.polarity, i.aggregation
        FROM targets t JOIN cities c ON c.code = t.city JOIN indicators i ON i.code = t.indicator
        WHERE $city::VARCHAR IS NULL OR t.city = $city
        """,
        {"city": city},
        order=["source_file", "city", "domain", "indicator", "deadline", "id"],
    )


_NULLABLE_INTS = {pa.int32(): pd.Int32Dtype(), pa.int64(): pd.Int64Dtype()}


def _frame(
    con: duckdb.DuckDBPyConnection, sql: str, params: dict[str, object], order: list[str] | None = None
) -> pd.DataFrame:
    """The same frame as .df() of `sql` ORDER BY `order` (columns, ascending, NULLs last), through Arrow:
    with 150,000 targets about half the time of ORDER BY in DuckDB, which carries every string of a row
    through its sort. List columns are built once per distinct list (.df() builds them cell by cell)."""
    with con.cursor() as cur:  # see _stream
        table = cur.sql(sql, params=params).to_arrow_table()
    rows = pc.sort_indices(table, sort_keys=[(c, "ascending") for c in order]) if order else None
    lists = {f.name: i for i, f in enumerate(table.schema) if pa.types.is_list(f.type)}
    rest = table.drop_columns(list(lists))
    frame = (rest.take(rows) if rows is not None else rest).to_pandas(
        types_mapper=_NULLABLE_INTS.get, date_as_object=False
    )
    for name, position in lists.items():
        frame.insert(position, name, _list_cells(table.column(name), rows))
    for column in frame.columns:
        if str(frame[column].dtype).startswith("datetime64"):
            frame[column] = frame[column].astype("datetime64[us]")  # the unit .df() gives
    return frame


def _list_cells(column: pa.ChunkedArray, rows: pa.Array | None) -> np.ndarray:
    """A list column as .df() gives it, a numpy object array per cell, converting each distinct list once
    (a few dozen distinct lists of responsible units among 150,000 targets); cells with equal lists share
    one array. Lists told apart by their joined text, checked against the column itself."""
    flat = column.combine_chunks()
    if rows is not None:
        flat = flat.take(rows)
    joined = pc.binary_join(flat, "\x1f")
    if flat.null_count or joined.null_count:
        return flat.to_pandas().to_numpy()
    codes = pc.dictionary_encode(joined).indices  # 0, 1, … in order of first appearance
    cells = flat.take(pa.array(np.unique(codes.to_numpy(), return_index=True)[1]))
    if not cells.take(codes).equals(flat):  # a separator inside a name
        return flat.to_pandas().to_numpy()
    arrays = np.empty(len(cells), dtype=object)
    for i, cell in enumerate(cells.to_pylist()):
        arrays[i] = np.array(cell, dtype=object)
    return arrays[codes.to_numpy()]


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
    # the batch's audit row, in the caller's transaction: the write and its record commit together
    audit(con, actor, kind, int(row[0]), file_name, {"note": note, "sha256": content_sha})
    return int(row[0])


def has_batches(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether any values were ever written (demo, upload or undo)."""
    return con.execute("SELECT 1 FROM batches LIMIT 1").fetchone() is not None


def has_demo(con: duckdb.DuckDBPyConnection) -> bool:
    row = con.execute("SELECT count(*) FROM batches WHERE kind = 'demo'").fetchone()
    return bool(row and row[0])


def write_demo(con: duckdb.DuckDBPyConnection, frame: pd.DataFrame) -> int:
    """Store demo series (city, indicator, period, value) as one flagged batch, in one transaction."""
    with _WRITES:
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


# --- reads for the status path and the pages ----------------------------------------------------------------


def measurements_frame(
    con: duckdb.DuckDBPyConnection, city: str | None = None, indicator: str | None = None
) -> pd.DataFrame:
    return con.execute(
        f"""
        SELECT city, indicator, period, value, is_demo, batch_id FROM {_current(con)}
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
    two of them ever share a hash), straight into the matrix; its month is looked up from its day number."""
    with con.cursor() as cur:  # see _stream
        keys = cur.sql(
            "SELECT DISTINCT t.city, t.indicator, hash(t.city, t.indicator) AS key, i.aggregation "
            "FROM targets t LEFT JOIN indicators i ON i.code = t.indicator "
            "WHERE $city::VARCHAR IS NULL OR t.city = $city",
            params={"city": city},
        ).to_arrow_table()
        # the series of one aggregation side by side: the engine evaluates each kind as one block of rows
        keys = keys.take(pc.sort_indices(keys, [("aggregation", "ascending")]))
        # min and max of a column DuckDB answers from its statistics; of an expression it reads every value
        span = cur.sql(
            "SELECT min(period), max(period) FROM measurements "
            "WHERE value IS NOT NULL AND ($city::VARCHAR IS NULL OR city = $city)",
            params={"city": city},
        ).fetchall()[0]
    index = pd.MultiIndex.from_arrays(
        [keys.column("city").to_pandas(), keys.column("indicator").to_pandas()], names=["city", "indicator"]
    )
    if span[0] is None:
        return series.Monthly.empty(index, 0, -1)
    monthly = series.Monthly.empty(index, mo.of(span[0]), mo.of(span[1]))
    where = "value IS NOT NULL AND ($city::VARCHAR IS NULL OR city = $city)"
    hashes = pd.Index(keys.column("key").to_numpy())
    if hashes.is_unique:
        months = _months_of_days(span[0], span[1])
        query = f"SELECT hash(city, indicator) AS key, period, value FROM {_current(con)} WHERE {where}"
        with con.cursor() as cur:
            for batch in _stream(cur, query, {"city": city}):
                key, day, value = (_numbers(batch.column(i)) for i in range(3))
                monthly.put(_lookup(hashes, key), months(day), value)
        return monthly
    con.register(
        "series_keys", keys.select(["city", "indicator"]).append_column("row", pa.array(range(len(keys))))
    )
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


def _months_of_days(first: dt.date, last: dt.date) -> Callable[[np.ndarray], np.ndarray]:
    """Day numbers (days since 1970-01-01, as Arrow holds dates) from `first` to `last` -> month indices
    (year * 12 + month - 1), through a table of those days: a lookup rather than calendar arithmetic."""
    lo, hi = (int(np.datetime64(d, "D").astype(np.int64)) for d in (first, last))
    months = (
        np.arange(lo, hi + 1).astype("datetime64[D]").astype("datetime64[M]").astype(np.int32) + 1970 * 12
    )
    return lambda days: months[days - lo]


_MONTH = "(year(period) * 12 + month(period) - 1)::INTEGER"


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


def _current(con: duckdb.DuckDBPyConnection) -> str:
    """Where the current values are: the table itself while no key was ever written twice and no batch was
    undone (every row is then current, as current_measurements would say at twice the cost), else the view.
    Mirrors the view's definition (migration 0003): tests/test_status_read.py holds the two together."""
    row = con.execute(
        "SELECT EXISTS (SELECT 1 FROM measurements WHERE revision > 1) OR EXISTS (SELECT 1 FROM batch_undos)"
    ).fetchone()
    return "current_measurements" if row is None or row[0] else "measurements"


def _stream(cur: duckdb.DuckDBPyConnection, sql: str, params: dict[str, object]) -> pa.RecordBatchReader:
    """Arrow batches of a query as DuckDB produces them, never the whole result at once. Run on a cursor (a
    second connection to the same database), since a relation refuses a connection with an unfinished
    result (any fetchone before); these are reads outside any write transaction."""
    return cur.sql(sql, params=params).to_arrow_reader(1 << 20)


def latest_months(con: duckdb.DuckDBPyConnection, city: str | None = None) -> pd.DataFrame:
    """Per city: the first day of its latest month with a current value."""
    return con.execute(
        f"SELECT city, max(period) AS period FROM {_current(con)} "
        "WHERE value IS NOT NULL AND (?::VARCHAR IS NULL OR city = ?) GROUP BY city ORDER BY city",
        [city, city],
    ).df()


def demo_share(con: duckdb.DuckDBPyConnection) -> float:
    """The share of current values that are demo data (0 when there is none)."""
    row = con.execute(f"SELECT avg(is_demo::INTEGER) FROM {_current(con)} WHERE value IS NOT NULL").fetchone()
    return float(row[0]) if row and row[0] is not None else 0.0


def plans_frame(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return con.execute("SELECT * FROM plans ORDER BY source_file, title_zh").df()


def latest_period(con: duckdb.DuckDBPyConnection) -> dt.date | None:
    """The most recent month with a current value (its first day), or None for an empty store."""
    row = con.execute(f"SELECT max(period) FROM {_current(con)} WHERE value IS NOT NULL").fetchone()
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
    upload = _upload_table(rows)
    return _diff_frame(rows, upload, _compare(con, upload))[0]


def _upload_table(rows: pd.DataFrame) -> pa.Table:
    """The accepted values as DuckDB reads them at once: Arrow columns, the period a date, `seq` the row."""
    period = rows["period"]
    if not pd.api.types.is_datetime64_dtype(period):  # dates as objects: converted once per distinct month
        codes, months = pd.factorize(period)
        period = pd.Series(pd.to_datetime(months).to_numpy()[codes])
    days = period.to_numpy().astype("datetime64[D]")
    return pa.table(
        {
            "seq": np.arange(len(rows), dtype=np.int64),
            **{c: _text_column(rows[c]) for c in ("city", "indicator")},
            "period": pa.array(days, type=pa.date32()),
            "value": rows["value"].to_numpy(dtype=float),
            "original_value": rows["original_value"].to_numpy(dtype=float),
            **{c: _text_column(rows[c]) for c in ("original_unit", "note")},
        }
    )


def _text_column(cells: pd.Series) -> pa.Array | pa.ChunkedArray:
    if isinstance(cells.dtype, pd.StringDtype) and cells.dtype.storage == "pyarrow":
        return pa.array(cells)  # the Arrow array behind the column, not a copy
    return pa.array(cells.to_numpy(dtype=object), type=pa.string(), from_pandas=True)


def _compare(con: duckdb.DuckDBPyConnection, upload: pa.Table) -> pa.Table:
    """The rows of `upload` whose key has a revision (any other row is new): the newest revision, undone
    or not, and the current value (the newest revision of a batch not undone, as in current_measurements)
    with the status. Only the revisions of the upload's keys are read, not the current values of all; and
    when no stored value lies within the upload's range of cities, indicators and months (a new month), the
    upload is not compared key by key at all."""
    con.register("upload_rows", upload)
    try:
        bounds = con.execute(
            "SELECT min(city), max(city), min(indicator), max(indicator), min(period), max(period) "
            "FROM upload_rows"
        ).fetchall()[0]
        inside = "m.city BETWEEN $1 AND $2 AND m.indicator BETWEEN $3 AND $4 AND m.period BETWEEN $5 AND $6"
        stored = con.execute(f"SELECT count(*) FROM measurements m WHERE {inside}", list(bounds)).fetchall()
        if not stored[0][0]:
            return _COMPARED.empty_table()
        # per row: the newest revision of its key, and the newest of a batch not undone (the current one)
        found = con.sql(
            f"""
            WITH found AS (
                SELECT u.seq, max(m.revision) AS last_revision,
                       arg_max({{'value': m.value, 'original_value': m.original_value,
                                 'original_unit': m.original_unit, 'note': m.note, 'is_demo': m.is_demo,
                                 'batch_id': m.batch_id}}, m.revision)
                         FILTER (WHERE m.batch_id NOT IN (SELECT batch_id FROM batch_undos)) AS c
                FROM upload_rows u JOIN measurements m
                  ON m.city = u.city AND m.indicator = u.indicator AND m.period = u.period
                WHERE {inside}
                GROUP BY u.seq)
            SELECT f.seq, f.last_revision, f.c.value AS old_value, f.c.original_value AS old_original_value,
                   f.c.original_unit AS old_original_unit, f.c.is_demo AS old_is_demo,
                   f.c.batch_id AS old_batch_id,
                   CASE WHEN f.c.value IS NULL THEN 'new'
                        WHEN f.c.is_demo OR abs(f.c.value - u.value) > 1e-9 * greatest(1, abs(u.value))
                          OR coalesce(f.c.note, '') <> coalesce(u.note, '') THEN 'changed'
                        ELSE 'unchanged' END AS status
            FROM found f JOIN upload_rows u USING (seq)
            """,
            params=list(bounds),
        )
        return found.to_arrow_table().cast(_COMPARED)
    finally:
        con.unregister("upload_rows")


_COMPARED = pa.schema(
    [
        ("seq", pa.int64()),
        ("last_revision", pa.int32()),
        ("old_value", pa.float64()),
        ("old_original_value", pa.float64()),
        ("old_original_unit", pa.string()),
        ("old_is_demo", pa.bool_()),
        ("old_batch_id", pa.int32()),
        ("status", pa.string()),
    ]
)
# DuckDB's rows per row group: an upload is inserted in whole row groups, since a part of one left at the
# end of each INSERT is written again at the checkpoint (1 s more for a million values in 131,072s).
_ROW_GROUP = 122_880
# old_is_demo stays True, False or None (objects) where a value is missing: readers test `is True`
_OLD_TYPES = {pa.int32(): pd.Int32Dtype()}


def _diff_frame(rows: pd.DataFrame, upload: pa.Table, found: pa.Table) -> tuple[pd.DataFrame, np.ndarray]:
    """(the rows with the old values and the status; each row's newest revision, 0 for a new key)."""
    at = np.full(len(rows), -1, dtype=np.int64)
    at[found["seq"].to_numpy()] = np.arange(found.num_rows)
    old = found.take(pa.array(at, mask=at < 0))  # a row that was not found takes nulls
    status = pc.fill_null(old["status"], "new")
    old = old.set_column(old.schema.get_field_index("status"), "status", status)
    frame = old.select([*_DIFF_COLUMNS]).to_pandas(types_mapper=_OLD_TYPES.get)
    last = pc.fill_null(old["last_revision"], 0).to_numpy(zero_copy_only=False).astype(np.int64)
    period = pd.Series(upload["period"].to_numpy().astype("datetime64[s]"))
    diff = rows.reset_index(drop=True).assign(period=period, **{c: frame[c] for c in _DIFF_COLUMNS})
    return diff, last


def commit_upload(
    con: duckdb.DuckDBPyConnection,
    rows: pd.DataFrame,
    actor: str,
    file_name: str,
    content_sha: str,
    note: str,
    before_commit: Callable[[], None] | None = None,
    progress: Callable[[float], None] | None = None,
    chunk: int = 2 * _ROW_GROUP,
) -> CommitResult:
    """Write every new or changed value as a new revision of one upload batch, in one transaction.

    The comparison is made again inside the transaction, so what is written is what differs now. Nothing
    is written (and no batch recorded) when nothing differs. Killed or failing anywhere before COMMIT, the
    store keeps no trace of the batch."""
    if rows.empty:
        return CommitResult(None, diff_upload(con, rows))
    upload = _upload_table(rows)
    with _WRITES:
        con.execute("BEGIN")
        try:
            diff, last = _diff_frame(rows, upload, _compare(con, upload))
            write = np.flatnonzero((diff["status"] != "unchanged").to_numpy())
            if not len(write):
                con.execute("ROLLBACK")
                return CommitResult(None, diff)
            batch = new_batch(con, "upload", actor, file_name, content_sha, note)
            table = upload if len(write) == upload.num_rows else upload.take(write)
            revision = last[write] + 1 + _earlier_duplicates(con, table)
            table = table.append_column("revision", pa.array(revision, type=pa.int32()))
            for start in range(0, len(write), chunk):
                con.register("write_rows", table.slice(start, chunk))
                con.execute(
                    """
                    INSERT INTO measurements
                    SELECT city, indicator, period, revision, value, original_value, original_unit, note,
                           FALSE, ?
                    FROM write_rows
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


def _earlier_duplicates(con: duckdb.DuckDBPyConnection, write: pa.Table) -> np.ndarray:
    """For each row, how many earlier rows of `write` have its key (0 but for a key written twice: its
    revisions then follow one another). Keys are compared by hash first, so that rows of distinct keys
    (what validation leaves) cost one hash each."""
    con.register("write_keys", write.select(["city", "indicator", "period"]))
    try:
        got = con.execute("SELECT hash(city, indicator, period) AS h FROM write_keys").fetchnumpy()
        hashes = np.asarray(got["h"])
    finally:
        con.unregister("write_keys")
    earlier = np.zeros(write.num_rows, dtype=np.int64)
    ordered = np.sort(hashes)
    if not (ordered[1:] == ordered[:-1]).any():
        return earlier
    same = np.flatnonzero(pd.Series(hashes).duplicated(keep=False).to_numpy())
    keys = write.take(same).select(["seq", "city", "indicator", "period"]).append_column("i", pa.array(same))
    con.register("same_keys", keys)
    try:
        got = con.execute(
            "SELECT i, row_number() OVER (PARTITION BY city, indicator, period ORDER BY seq) - 1 AS n "
            "FROM same_keys"
        ).fetchnumpy()
    finally:
        con.unregister("same_keys")
    earlier[np.asarray(got["i"])] = np.asarray(got["n"])
    return earlier


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


# --- accounts, target edits and the audit log (issue 6) ---------------------------------------------------


def audit(
    con: duckdb.DuckDBPyConnection,
    actor: str,
    action: str,
    batch_id: int | None = None,
    subject: str | None = None,
    detail: dict[str, object] | None = None,
) -> None:
    """Append one audit row; call it inside the transaction of the write it records."""
    con.execute(
        "INSERT INTO audit_log (written_at, actor, action, batch_id, subject, detail) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [
            dt.datetime.now(),
            actor,
            action,
            batch_id,
            subject,
            json.dumps(detail or {}, ensure_ascii=False, default=str, sort_keys=True),
        ],
    )


def audit_frame(con: duckdb.DuckDBPyConnection, since: dt.date | None = None) -> pd.DataFrame:
    """The audit log from a date on, oldest first, with each batch's value count and cities."""
    return con.execute(
        """
        WITH written AS (
            SELECT batch_id, count(*) AS "values", list(DISTINCT city ORDER BY city) AS cities
            FROM measurements WHERE batch_id IN (SELECT batch_id FROM audit_log) GROUP BY batch_id
        )
        SELECT a.id, a.written_at, a.actor, a.action, a.batch_id, a.subject, a.detail,
               coalesce(w."values", 0) AS "values", coalesce(w.cities, []) AS cities,
               u.batch_id AS undoes
        FROM audit_log a
        LEFT JOIN written w ON w.batch_id = a.batch_id
        LEFT JOIN batch_undos u ON u.undo_batch_id = a.batch_id
        WHERE ?::DATE IS NULL OR a.written_at >= ?::DATE
        ORDER BY a.id
        """,
        [since, since],
    ).df()


def user_row(con: duckdb.DuckDBPyConnection, name: str) -> tuple[str, str, list[str]] | None:
    """(role, password hash, cities) of an account, or None."""
    row = con.execute(
        "SELECT u.role, u.password_hash, "
        "coalesce(list(c.city ORDER BY c.city) FILTER (c.city IS NOT NULL), []) "
        "FROM users u LEFT JOIN user_cities c ON c.name = u.name WHERE u.name = ? GROUP BY ALL",
        [name],
    ).fetchone()
    return (str(row[0]), str(row[1]), list(row[2])) if row else None


def users_frame(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every account without its password hash: name, role, cities, created_at, updated_at."""
    return con.execute(
        "SELECT u.name, u.role, coalesce(list(c.city ORDER BY c.city) FILTER (c.city IS NOT NULL), []) "
        "AS cities, u.created_at, u.updated_at FROM users u LEFT JOIN user_cities c ON c.name = u.name "
        "GROUP BY ALL ORDER BY u.name"
    ).df()


def _in_transaction(con: duckdb.DuckDBPyConnection, work: Callable[[], None]) -> None:
    con.execute("BEGIN")
    try:
        work()
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


def insert_user(
    con: duckdb.DuckDBPyConnection, by: str, name: str, role: str, cities: list[str], password_hash: str
) -> None:
    def work() -> None:
        now = dt.datetime.now()
        con.execute("INSERT INTO users VALUES (?, ?, ?, ?, ?)", [name, role, password_hash, now, now])
        for city in cities:
            con.execute("INSERT INTO user_cities VALUES (?, ?)", [name, city])
        audit(con, by, "user_add", subject=name, detail={"role": role, "cities": cities})

    _in_transaction(con, work)


def update_password(con: duckdb.DuckDBPyConnection, by: str, name: str, password_hash: str) -> None:
    def work() -> None:
        con.execute(
            "UPDATE users SET password_hash = ?, updated_at = ? WHERE name = ?",
            [password_hash, dt.datetime.now(), name],
        )
        audit(con, by, "user_passwd", subject=name)

    _in_transaction(con, work)


def delete_user(con: duckdb.DuckDBPyConnection, by: str, name: str) -> None:
    def work() -> None:
        row = user_row(con, name)
        con.execute("DELETE FROM user_cities WHERE name = ?", [name])
        con.execute("DELETE FROM users WHERE name = ?", [name])
        detail = {"role": row[0], "cities": row[2]} if row else {}
        audit(con, by, "user_remove", subject=name, detail=detail)

    _in_transaction(con, work)


def target_row(con: duckdb.DuckDBPyConnection, target_id: str) -> pd.Series | None:
    """One target with its indicator's unit, range and aggregation, or None."""
    frame = con.execute(
        "SELECT t.*, i.unit AS canonical_unit, i.valid_min, i.valid_max FROM targets t "
        "JOIN indicators i ON i.code = t.indicator WHERE t.id = ?",
        [target_id],
    ).df()
    return frame.iloc[0] if len(frame) else None


def edit_target(
    con: duckdb.DuckDBPyConnection,
    by: str,
    target_id: str,
    fields: dict[str, object],
    reason: str,
    before: dict[str, object],
) -> None:
    """Write an edit (value, value_canonical, deadline, responsible, cooperating) of one target, keep it for
    catalog reloads, and audit old and new values, all in one transaction."""

    def work() -> None:
        row = [target_id, *(fields[k] for k in _EDIT_FIELDS), by, dt.datetime.now(), reason]
        con.execute("INSERT OR REPLACE INTO target_edits VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", row)
        apply_target_edits(con, target_id)
        changes = {k: [before[k], fields[k]] for k in _EDIT_FIELDS if before[k] != fields[k]}
        audit(con, by, "target_edit", subject=target_id, detail={"changes": changes, "reason": reason})

    _in_transaction(con, work)


_EDIT_FIELDS = ("value", "value_canonical", "deadline", "responsible", "cooperating")


def apply_target_edits(con: duckdb.DuckDBPyConnection, target_id: str | None = None) -> None:
    con.execute(
        "UPDATE targets t SET value = e.value, value_canonical = e.value_canonical, deadline = e.deadline, "
        "responsible = e.responsible, cooperating = e.cooperating FROM target_edits e "
        "WHERE e.target_id = t.id AND (?::VARCHAR IS NULL OR t.id = ?)",
        [target_id, target_id],
    )


def target_edits_frame(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return con.execute("SELECT * FROM target_edits ORDER BY target_id").df()


from indicators.store.plans import insert_plan, plan_candidates, plan_document, plan_with_sha, plans_list  # noqa: E402,F401
