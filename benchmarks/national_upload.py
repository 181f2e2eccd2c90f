"""Benchmark 2: a long-format monthly upload of the national dataset, written by DuckDB, ingested for real.

The file continues every generated series into the year after the data (one value per city, indicator and
month: last year's value of the same month), in the long layout staff use — 城市, 指标, 月份, 数值, 单位 —
with Chinese city and indicator names and the unit written several ways per indicator (微克/立方米,
μg/m³, mg/m3, 万吨, 亩, ％, …), the value converted to the unit as written. The product reads it through
the upload path (uploads.preview: read, validate, convert, compare; uploads.commit: write one batch);
the reference is DuckDB loading the same file raw into a table.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from pathlib import Path

import duckdb
import pandas as pd

from benchmarks.national_data import END_YEAR
from indicators import units
from indicators.accounts.actor import Actor
from indicators.ingest import service as uploads
from indicators.store import db

# how staff write each canonical unit (the first is the canonical spelling); only those that convert are used
SPELLINGS = {
    "percent": ["%", "％", "percent"],
    "ug/m3": ["微克/立方米", "μg/m³", "ug/m3", "毫克/立方米", "mg/m3"],
    "mg/m3": ["毫克/立方米", "mg/m3", "微克/立方米"],
    "day": ["天", "日", "day"],
    "item": ["个", "家", "台", "座", "处", "项"],
    "tonne": ["吨", "t", "万吨", "千克"],
    "吨": ["吨", "t", "万吨"],
    "万吨": ["万吨", "吨"],
    "tce": ["吨标准煤", "tce", "万吨标准煤"],
    "yuan": ["元", "万元", "亿元"],
    "万亩": ["万亩", "亩", "公顷"],
    "万立方米": ["万立方米", "立方米"],
    "千克/亩": ["千克/亩", "公斤/亩"],
    "平方米": ["平方米", "m2"],
}
TODAY = dt.date(END_YEAR + 1, 12, 1)  # the upload's "today": every month of the file has ended
ACTOR = Actor("benchmark", None)


def unit_table(canonical_units: list[str]) -> pd.DataFrame:
    """(canonical unit, k, written unit, factor written -> canonical) for the spellings that convert."""
    rows = []
    for unit in canonical_units:
        written = [s for s in SPELLINGS.get(unit, [unit]) if _converts(s, unit)] or [unit]
        rows += [(unit, k, w, units.factor(w, unit)) for k, w in enumerate(written)]
    return pd.DataFrame(rows, columns=["canonical", "k", "written", "factor"])


def _converts(written: str, unit: str) -> bool:
    try:
        units.factor(written, unit)
    except units.UnitError:
        return False
    return True


def write_csv(db_path: Path | str, out: Path | str, rows: int) -> int:
    """Write the upload file (UTF-8, header row) with up to `rows` values; returns the number written."""
    with db.connect(db_path, read_only=True) as con:
        canonical = [r[0] for r in con.execute("SELECT DISTINCT unit FROM indicators").fetchall()]
        con.register("bench_units", unit_table(canonical))
        months = 12
        con.execute(
            f"""
            COPY (
                SELECT c.name_zh AS 城市, i.name_zh AS 指标,
                       strftime(m.period + INTERVAL 1 YEAR, '%Y-%m') AS 月份,
                       printf('%.10g', m.value / u.factor) AS 数值, u.written AS 单位
                FROM measurements m
                JOIN cities c ON c.code = m.city JOIN indicators i ON i.code = m.indicator
                JOIN (SELECT canonical, count(*) AS n FROM bench_units GROUP BY ALL) w ON w.canonical = i.unit
                JOIN bench_units u ON u.canonical = i.unit
                     -- at the top of the valid range a converted value could round to just above it
                     AND u.k = CASE WHEN m.value >= i.valid_max THEN 0
                                    ELSE hash(m.city, m.indicator, m.period) % w.n END
                WHERE m.period >= DATE '{END_YEAR}-01-01' AND m.period < DATE '{END_YEAR}-01-01'
                      + to_months({months})
                ORDER BY m.city, m.indicator, m.period
                LIMIT {int(rows)}
            ) TO '{Path(out)}' (HEADER, DELIMITER ',')
            """
        )
        con.unregister("bench_units")
    with open(out, "rb") as f:
        return sum(1 for _ in f) - 1


def ingest(db_path: Path | str, csv_path: Path | str) -> dict[str, float]:
    """The real upload path on the file; seconds per stage and the outcome's counts."""
    data = Path(csv_path).read_bytes()
    # The caller has just copied the database: write the copy out first, or the commit's first fsync would
    # spend seconds writing back the whole copied file inside the timed commit. (A PostgreSQL database is
    # the server's to write.)
    if not db.is_url(db_path):
        with open(db_path, "rb+") as f:
            os.fsync(f.fileno())
    t0 = time.perf_counter()
    preview = uploads.preview(db_path, data, Path(csv_path).name, ACTOR, today=TODAY)
    t1 = time.perf_counter()
    outcome = uploads.commit(db_path, preview, ACTOR)
    t2 = time.perf_counter()
    return {
        "preview": t1 - t0,
        "commit": t2 - t1,
        "total": t2 - t0,
        "new": outcome.new,
        "changed": outcome.changed,
        "rejected": outcome.rejected,
        "errors": len(outcome.errors),
        "committed": float(outcome.committed),
    }


def load_raw(csv_path: Path | str, scratch: Path | str) -> float:
    """The reference: DuckDB loads the same file into a table of a fresh database file; seconds."""
    Path(scratch).unlink(missing_ok=True)
    t0 = time.perf_counter()
    con = duckdb.connect(str(scratch))
    try:
        con.execute(f"CREATE TABLE upload AS SELECT * FROM read_csv('{Path(csv_path)}', header = true)")
        con.execute("CHECKPOINT")
    finally:
        con.close()
    seconds = time.perf_counter() - t0
    Path(scratch).unlink(missing_ok=True)
    return seconds
