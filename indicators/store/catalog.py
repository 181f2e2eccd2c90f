"""The catalog tables: init (schema + catalog), cities, indicators, targets, plans; batches and the
demo data.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from indicators.catalog import load as cat
from indicators.catalog.commitments import merge_restated
from indicators.errors import StoreReadOnly, UnknownName
from indicators.store import db
from indicators.store.accounts import apply_target_edits, audit
from indicators.store.additions import apply_additions
from indicators.store.db import Address, Connection
from indicators.store.tx import WRITES, lock_writes, transaction

_CATALOG_TABLES = ("targets", "plans", "indicator_aliases", "indicators", "city_aliases", "cities")
_CITY_FIELDS = ("code", "name_zh", "name_en", "province_zh", "province_en", "parent_zh", "parent_en", "level")


@dataclass(frozen=True)
class InitReport:
    migrations_applied: list[str]
    catalog_loaded: bool
    targets: int


def catalog_sha(catalog: cat.Catalog) -> str:
    blob = json.dumps(dataclasses.asdict(catalog), sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def init(path: Address, catalog: cat.Catalog | None = None) -> InitReport:
    """Create or upgrade the schema and load the catalog; a second run with the same data changes nothing."""
    catalog = catalog or cat.load()
    if (
        str(path) != ":memory:"
        and not db.is_url(path)
        and Path(path).exists()
        and not db.writable(Path(path))
    ):
        # a read-only store can be read as long as it needs no upgrade
        with db.connect(path, read_only=True) as con:
            if _up_to_date(con, catalog):
                return InitReport([], False, len(catalog.targets))
        raise StoreReadOnly()
    with db.connect(path) as con, db.schema_lock(con):
        applied = db.migrate(con)
        loaded = load_catalog(con, catalog)
    return InitReport(applied, loaded, len(catalog.targets))


def _up_to_date(con: Connection, catalog: cat.Catalog) -> bool:
    """Every migration applied and this catalog loaded (read without writing anything)."""
    try:
        done = {r[0] for r in con.execute("SELECT name FROM schema_migrations").fetchall()}
        row = con.execute("SELECT content_sha FROM catalog_state WHERE id = 1").fetchone()
    except db.missing_table_errors():  # tables not there: a store never initialised
        return False
    return (
        {p.stem for p in db.migration_files()} <= done and row is not None and row[0] == catalog_sha(catalog)
    )


def load_catalog(con: Connection, catalog: cat.Catalog) -> bool:
    """Replace the catalog tables in one transaction unless the same catalog is already loaded."""
    sha = catalog_sha(catalog)
    row = con.execute("SELECT content_sha FROM catalog_state WHERE id = 1").fetchone()
    if row and row[0] == sha:
        return False
    with transaction(con):
        for table in _CATALOG_TABLES:
            con.execute(f"DELETE FROM {table}")
        _insert(con, "cities", [tuple(getattr(c, f) for f in _CITY_FIELDS) for c in catalog.cities])
        _insert(con, "city_aliases", [(a, c.code) for c in catalog.cities for a in c.aliases])
        # the indicator columns: not aliases, nor decimals (display precision stays in the catalog)
        _insert(con, "indicators", [dataclasses.astuple(i)[:9] for i in catalog.indicators])
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
        apply_additions(con)  # published plans, added cities and indicators (0014) outlive a reload
        apply_target_edits(con)  # an administrator's edits outlive a reload of the catalog
        con.execute(
            "INSERT INTO catalog_state VALUES (1, ?, ?) ON CONFLICT (id) "
            "DO UPDATE SET content_sha = excluded.content_sha, loaded_at = excluded.loaded_at",
            [sha, dt.datetime.now()],
        )
    return True


def _insert(con: Connection, table: str, rows: list[tuple[object, ...]]) -> None:
    if rows:
        marks = ", ".join("?" * len(rows[0]))
        con.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)


def resolve_city(con: Connection, name: str) -> str:
    """The city code for a code, Chinese name, English name or alias (case-insensitive)."""
    row = con.execute(
        "SELECT code FROM cities WHERE code = lower(?) OR name_zh = ? OR lower(name_en) = lower(?) "
        "UNION SELECT city FROM city_aliases WHERE lower(alias) = lower(?)",
        [name.strip()] * 4,
    ).fetchone()
    if row is None:
        raise UnknownName(f"未知城市：{name}", f"unknown city: {name}")
    return str(row[0])


def cities_frame(con: Connection) -> pd.DataFrame:
    return con.execute(
        "SELECT c.* FROM cities c LEFT JOIN (SELECT city, min(source_file) AS f FROM plans "
        "GROUP BY city) p ON p.city = c.code ORDER BY p.f, c.code"
    ).df()


def indicator_row(con: Connection, code: str) -> dict[str, object] | None:
    """One indicator's fields (as in catalog.Indicator, without aliases), or None."""
    cur = con.execute("SELECT * FROM indicators WHERE code = ?", [code])
    row = cur.fetchone()
    return dict(zip([d[0] for d in cur.description], row, strict=True)) if row else None


def targets_frame(con: Connection, city: str | None = None) -> pd.DataFrame:
    """Targets joined with city and indicator names, ordered by plan (source file), city, domain,
    indicator, deadline and id; a commitment restated in several clauses or plans once (its other
    mentions in `restated`, catalog.commitments)."""
    frame = _frame(
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
        bulk=city is None,
    )
    return merge_restated(frame)


_NULLABLE_INTS = {pa.int32(): pd.Int32Dtype(), pa.int64(): pd.Int64Dtype()}


def _frame(
    con: Connection,
    sql: str,
    params: dict[str, object],
    order: list[str] | None = None,
    bulk: bool = False,
) -> pd.DataFrame:
    """The same frame as .df() of `sql` ORDER BY `order` (columns, ascending, NULLs last), through Arrow:
    with 150,000 targets about half the time of ORDER BY in DuckDB, which carries every string of a row
    through its sort. List columns are built once per distinct list (.df() builds them cell by cell). A `bulk`
    read (of the whole store) comes as Arrow on PostgreSQL too (db.bulk_cursor)."""
    with db.bulk_cursor(con) if bulk else con.cursor() as cur:  # see measurements._stream
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
    con: Connection,
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


def has_batches(con: Connection) -> bool:
    """Whether any values were ever written (demo, upload or undo)."""
    return con.execute("SELECT 1 FROM batches LIMIT 1").fetchone() is not None


def has_demo(con: Connection) -> bool:
    row = con.execute("SELECT count(*) FROM batches WHERE kind = 'demo'").fetchone()
    return bool(row and row[0])


def write_demo(con: Connection, frame: pd.DataFrame) -> int:
    """Store demo series (city, indicator, period, value) as one flagged batch, in one transaction."""
    with WRITES:
        with transaction(con):
            lock_writes(con)
            batch = new_batch(con, "demo", "demo", note="示例数据 demo data (indicators.demo)")
            rows = frame.assign(batch_id=batch)
            con.register("demo_rows", rows)
            con.execute(
                """
                INSERT INTO measurements (city, indicator, period, revision, value, original_value,
                                          original_unit, note, is_demo, batch_id)
                SELECT d.city, d.indicator, d.period::DATE, coalesce(m.rev, 0) + 1, d.value, d.value,
                       i.unit, NULL, TRUE, d.batch_id
                FROM demo_rows d JOIN indicators i ON i.code = d.indicator
                LEFT JOIN (SELECT city, indicator, period, max(revision) AS rev FROM measurements
                           GROUP BY city, indicator, period) m
                  ON m.city = d.city AND m.indicator = d.indicator AND m.period = d.period::DATE
                """
            )
            con.unregister("demo_rows")
    return batch
