"""Uploads: name frames, the diff against current values, the atomic commit (one writer at a time in a
process). A value's history, the batches list and undo are in store/batches.py.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from typing import cast

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from indicators.store import db
from indicators.store.catalog import new_batch
from indicators.store.db import Connection
from indicators.store.tx import WRITES, lock_writes, transaction

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


def name_frames(con: Connection) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Cities and indicators with every alias, as names.Lookup reads them."""
    aliases = f"{_ALIASES} AS aliases"
    cities = con.execute(
        f"SELECT c.code, c.name_zh, c.name_en, {aliases} "
        "FROM cities c LEFT JOIN city_aliases a ON a.city = c.code "
        "GROUP BY c.code, c.name_zh, c.name_en ORDER BY c.code"
    ).df()
    columns = "i.code, i.name_zh, i.name_en, i.unit, i.valid_min, i.valid_max, i.domain, i.aggregation"
    indicators = con.execute(
        f"SELECT {columns}, {aliases} "
        "FROM indicators i LEFT JOIN indicator_aliases a ON a.indicator = i.code "
        f"GROUP BY {columns} ORDER BY i.code"
    ).df()
    return cities, indicators


_ALIASES = (
    "coalesce(array_agg(a.alias ORDER BY a.alias) FILTER (WHERE a.alias IS NOT NULL), ARRAY[]::VARCHAR[])"
)


def diff_upload(con: Connection, rows: pd.DataFrame) -> pd.DataFrame:
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
            **{c: _day_column(rows, c) for c in ("valid_days", "good_days")},
        }
    )


def _day_column(rows: pd.DataFrame, column: str) -> pa.Array:
    """Valid or good days of each value (issue 12; null where not given, or for a frame without them)."""
    if column not in rows:
        return pa.nulls(len(rows), pa.int32())
    days = pd.to_numeric(rows[column], errors="coerce").to_numpy(dtype=float)
    return pa.array(np.nan_to_num(days, nan=0).astype(np.int32), mask=np.isnan(days), type=pa.int32())


def _text_column(cells: pd.Series) -> pa.Array | pa.ChunkedArray:
    if isinstance(cells.dtype, pd.StringDtype) and cells.dtype.storage == "pyarrow":
        return pa.array(cells)  # the Arrow array behind the column, not a copy
    return pa.array(cells.to_numpy(dtype=object), type=pa.string(), from_pandas=True)


def _compare(con: Connection, upload: pa.Table) -> pa.Table:
    """The rows of `upload` whose key has a revision (any other row is new): the newest revision, undone
    or not, and the current value (the newest revision of a batch not undone, as in current_measurements)
    with the status. Only the revisions of the upload's keys are read, not the current values of all; and
    when no stored value lies within the upload's range of cities, indicators and months (a new month), the
    upload is not compared key by key at all."""
    postgresql = db.dialect(con) == "postgresql"
    if postgresql and not _any_stored(con, upload):
        return _COMPARED.empty_table()
    con.register("upload_rows", upload)
    try:
        bounds = con.execute(
            "SELECT min(city), max(city), min(indicator), max(indicator), min(period), max(period) "
            "FROM upload_rows"
        ).fetchall()[0]
        inside = "m.city BETWEEN $1 AND $2 AND m.indicator BETWEEN $3 AND $4 AND m.period BETWEEN $5 AND $6"
        if postgresql and (cities := _few_cities(upload)) is not None:  # their partitions only
            inside += " AND m.city = ANY($7)"
            bounds = (*bounds, cities)
        with _by_period(con):
            stored = con.execute(f"SELECT count(*) FROM measurements m WHERE {inside}", list(bounds))
            counted = stored.fetchall()
        if not counted[0][0]:
            return _COMPARED.empty_table()
        # per row: the newest revision of its key, and the newest of a batch not undone (the current one)
        found = con.sql(
            _FOUND_PG.format(inside=inside)
            if db.dialect(con) == "postgresql"
            else f"""
            WITH found AS (
                SELECT u.seq, max(m.revision) AS last_revision,
                       arg_max({{'value': m.value, 'original_value': m.original_value,
                                 'original_unit': m.original_unit, 'note': m.note, 'is_demo': m.is_demo,
                                 'batch_id': m.batch_id, 'valid_days': m.valid_days,
                                 'good_days': m.good_days}}, m.revision)
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
                          OR coalesce(f.c.note, '') <> coalesce(u.note, '')
                          OR coalesce(f.c.valid_days, -1) <> coalesce(u.valid_days, -1)
                          OR coalesce(f.c.good_days, -1) <> coalesce(u.good_days, -1) THEN 'changed'
                        ELSE 'unchanged' END AS status
            FROM found f JOIN upload_rows u USING (seq)
            """,
            params=list(bounds),
        )
        return found.to_arrow_table().cast(_COMPARED)
    finally:
        con.unregister("upload_rows")


def _any_stored(con: Connection, upload: pa.Table) -> bool:
    """PostgreSQL: is there any revision of one of the upload's cities and indicators within its months?
    When not (a new month: the usual upload) every row is new, and the upload need not be copied into the
    server to be compared (a COPY of every row). Asked through the period's block-range index (migration
    0015), and of the cities only when they are few (see _few_cities)."""
    first, last = pc.min_max(upload["period"]).values()
    cities = _few_cities(upload)
    with _by_period(con):
        row = con.execute(
            "SELECT EXISTS (SELECT 1 FROM measurements m WHERE (?::VARCHAR[] IS NULL OR m.city = ANY(?)) "
            "AND m.indicator = ANY(?) AND m.period BETWEEN ? AND ?)",
            [cities, cities, pc.unique(upload["indicator"]).to_pylist(), first.as_py(), last.as_py()],
        ).fetchone()
    return bool(row is None or row[0])


# Up to this many cities an upload's reads name them, and PostgreSQL reads only their partitions; beyond it
# the condition is left out (it would read most partitions anyway, and planning a condition of a thousand
# cities against 16 hash partitions took 80 ms, more than the read). Leaving it out can only find more.
_FEW_CITIES = 16


def _few_cities(upload: pa.Table) -> list[str] | None:
    cities = pc.unique(upload["city"])
    return cities.to_pylist() if len(cities) <= _FEW_CITIES else None


def _by_period(con: Connection) -> AbstractContextManager[None]:
    """PostgreSQL: reads of measurements within the block through the period's index (pg.without_scans)."""
    without_scans = getattr(con, "without_scans", None)
    return cast(AbstractContextManager[None], without_scans()) if without_scans else nullcontext()


# The same as the DuckDB query above: per row, the newest revision and the newest revision not undone.
_FOUND_PG = """
    WITH hits AS (
        SELECT u.seq, m.revision, m.value, m.original_value, m.original_unit, m.note, m.is_demo, m.batch_id,
               m.valid_days, m.good_days, m.batch_id IN (SELECT batch_id FROM batch_undos) AS undone
        FROM upload_rows u JOIN measurements m
          ON m.city = u.city AND m.indicator = u.indicator AND m.period = u.period
        WHERE {inside}),
    last AS (SELECT seq, max(revision) AS last_revision FROM hits GROUP BY seq),
    cur AS (SELECT DISTINCT ON (seq) * FROM hits WHERE NOT undone ORDER BY seq, revision DESC)
    SELECT l.seq, l.last_revision, c.value AS old_value, c.original_value AS old_original_value,
           c.original_unit AS old_original_unit, c.is_demo AS old_is_demo, c.batch_id AS old_batch_id,
           CASE WHEN c.value IS NULL THEN 'new'
                WHEN c.is_demo OR abs(c.value - u.value) > 1e-9 * greatest(1, abs(u.value))
                  OR coalesce(c.note, '') <> coalesce(u.note, '')
                  OR coalesce(c.valid_days, -1) <> coalesce(u.valid_days, -1)
                  OR coalesce(c.good_days, -1) <> coalesce(u.good_days, -1) THEN 'changed'
                ELSE 'unchanged' END AS status
    FROM last l LEFT JOIN cur c USING (seq) JOIN upload_rows u ON u.seq = l.seq
"""
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
    con: Connection,
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
    with WRITES:
        with transaction(con):
            lock_writes(con)
            diff, last = _diff_frame(rows, upload, _compare(con, upload))
            write = np.flatnonzero((diff["status"] != "unchanged").to_numpy())
            if not len(write):
                return CommitResult(None, diff)
            batch = new_batch(con, "upload", actor, file_name, content_sha, note)
            table = upload if len(write) == upload.num_rows else upload.take(write)
            revision = last[write] + 1 + _earlier_duplicates(con, table)
            table = table.append_column("revision", pa.array(revision, type=pa.int32()))
            if db.dialect(con) == "postgresql":
                _copy_measurements(con, table, batch, progress)
            else:
                _insert_measurements(con, table, batch, progress, chunk)
            if before_commit is not None:
                before_commit()
    return CommitResult(batch, diff)


def _insert_measurements(
    con: Connection, table: pa.Table, batch: int, progress: Callable[[float], None] | None, chunk: int
) -> None:
    """DuckDB: the new revisions inserted from the registered Arrow table in whole row groups."""
    for start in range(0, table.num_rows, chunk):
        con.register("write_rows", table.slice(start, chunk))
        con.execute(
            """
            INSERT INTO measurements (city, indicator, period, revision, value, original_value,
                                      original_unit, note, is_demo, batch_id, valid_days, good_days)
            SELECT city, indicator, period, revision, value, original_value, original_unit, note,
                   FALSE, ?, valid_days, good_days
            FROM write_rows
            """,
            [batch],
        )
        con.unregister("write_rows")
        if progress is not None:
            progress(min(1.0, (start + chunk) / table.num_rows))


_MEASUREMENT_COLUMNS = [
    "city", "indicator", "period", "revision", "value", "original_value", "original_unit", "note", "is_demo",
    "batch_id", "valid_days", "good_days",
]  # fmt: skip


def _copy_measurements(
    con: Connection, table: pa.Table, batch: int, progress: Callable[[float], None] | None
) -> None:
    """PostgreSQL: the new revisions COPYed straight into measurements (no temporary table to insert from)."""
    from indicators.store.pg import PgConnection, copy_rows

    assert isinstance(con, PgConnection)
    n = table.num_rows
    rows = table.append_column("is_demo", pa.array(np.zeros(n, dtype=bool)))
    rows = rows.append_column("batch_id", pa.array(np.full(n, batch, dtype=np.int32)))
    copy_rows(con.raw, "measurements", rows.select(_MEASUREMENT_COLUMNS), progress)


def _earlier_in_upload(write: pa.Table) -> np.ndarray:
    """_earlier_duplicates without the store (PostgreSQL, where handing it the keys is a COPY): each key as
    one exact integer (the codes of its city and indicator among the upload's, and its day), then the rank of
    each row among those of its key in the order of `seq`."""
    earlier = np.zeros(write.num_rows, dtype=np.int64)
    if not write.num_rows:
        return earlier
    key = np.zeros(write.num_rows, dtype=np.int64)
    for name in ("city", "indicator"):
        encoded = pc.dictionary_encode(write[name], null_encoding="encode").combine_chunks()
        key = key * (len(encoded.dictionary) + 1) + encoded.indices.to_numpy(zero_copy_only=False)
    days = pc.fill_null(write["period"].cast(pa.int32()), -1).to_numpy().astype(np.int64)
    key = key * (int(days.max()) - int(days.min()) + 1) + (days - days.min())
    ordered = np.sort(key)
    if not (ordered[1:] == ordered[:-1]).any():
        return earlier
    order = np.argsort(write["seq"].to_numpy(), kind="stable")
    ranks = pd.Series(key[order]).groupby(key[order], sort=False).cumcount().to_numpy()
    earlier[order] = ranks
    return earlier


def _earlier_duplicates(con: Connection, write: pa.Table) -> np.ndarray:
    """For each row, how many earlier rows of `write` have its key (0 but for a key written twice: its
    revisions then follow one another). Keys are compared by hash first, so that rows of distinct keys
    (what validation leaves) cost one hash each."""
    if db.dialect(con) == "postgresql":
        return _earlier_in_upload(write)
    con.register("write_keys", write.select(["city", "indicator", "period"]))
    try:
        key = db.key_hash(con, "city", "indicator", "period")
        got = con.execute(f"SELECT {key} AS h FROM write_keys").fetchnumpy()
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
