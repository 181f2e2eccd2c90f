"""The only module with SQL: load the catalog, write batches of measurements, read frames for the pages."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from indicators import catalog as cat
from indicators import db

_CATALOG_TABLES = ("targets", "plans", "indicator_aliases", "indicators", "cities")


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
        _insert(con, "cities", [dataclasses.astuple(c)[:-1] for c in catalog.cities])
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
    """The city code for a code, Chinese name or English name (case-insensitive)."""
    row = con.execute(
        "SELECT code FROM cities WHERE code = lower(?) OR name_zh = ? OR lower(name_en) = lower(?)",
        [name.strip()] * 3,
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
    return con.execute(
        """
        SELECT t.*, c.name_zh AS city_zh, c.name_en AS city_en,
               i.name_zh AS indicator_zh, i.name_en AS indicator_en, i.domain, i.unit AS canonical_unit,
               i.polarity, i.aggregation
        FROM targets t JOIN cities c ON c.code = t.city JOIN indicators i ON i.code = t.indicator
        WHERE ? IS NULL OR t.city = ?
        ORDER BY t.source_file, t.city, i.domain, t.indicator, t.deadline, t.id
        """,
        [city, city],
    ).df()


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
