"""The national benchmark on PostgreSQL (`benchmarks/national.py --db postgresql://…`).

The dataset is generated in DuckDB as for the DuckDB table (benchmarks/national_data.py) and moved into a
database of its own on the given server: the schema by the real migrations, then every table's rows read as
Arrow batches and written with the store's own COPY (store/pg.copy_rows), the id sequences set past them,
then VACUUM ANALYZE. (`indicators db copy` does the same and verifies each table by a checksum of all its
rows, which at 18 million values costs more than the whole benchmark.)

The references are PostgreSQL's own: `GROUP BY city, indicator` over the same values (REFERENCE_SQL) for
the status, and a raw `COPY … FROM STDIN (FORMAT csv, HEADER)` of the same upload file into a table of
its columns for the ingest. The server's work_mem is raised for the benchmark's databases only
(ALTER DATABASE), so that neither side spills its hash tables to disk.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import duckdb
import psycopg

from benchmarks import national_upload as nu
from indicators.store import db
from indicators.store.copy import _advance, _sequences, columns, tables
from indicators.store.pg import PgConnection, copy_rows

WORK_MEM = "256MB"
_BATCH = 1 << 20


def database_url(url: str, name: str) -> str:
    """The address of database `name` on the server of `url` (same user, host, port, options)."""
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def recreate(url: str, name: str, template: str | None = None) -> str:
    """Drop database `name` if it exists, create it (empty, or a copy of `template`); its address."""
    with psycopg.connect(url, autocommit=True) as con:
        con.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'.encode())
        extra = f' TEMPLATE "{template}"' if template else ""
        con.execute(f'CREATE DATABASE "{name}"{extra}'.encode())
        con.execute(f"ALTER DATABASE \"{name}\" SET work_mem = '{WORK_MEM}'".encode())
    return database_url(url, name)


def drop(url: str, name: str) -> None:
    with psycopg.connect(url, autocommit=True) as con:
        con.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'.encode())


def exists(url: str, name: str) -> bool:
    with psycopg.connect(url, autocommit=True) as con:
        row = con.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
    return row is not None


def counts(url: str) -> dict[str, int]:
    """national_data.counts of the PostgreSQL database (empty when it has no schema yet)."""
    from benchmarks.national_data import counts as of

    with db.connect(url, read_only=True) as con:
        try:
            return of(con)
        except db.missing_table_errors():
            return {}


def move(duck_path: Path, target: str) -> dict[str, int]:
    """Every table of the DuckDB file into the (new, empty) PostgreSQL database; rows per table."""
    counts: dict[str, int] = {}
    with db.connect(target) as dst, db.schema_lock(dst):
        db.migrate(dst)
        assert isinstance(dst, PgConnection)
        src = duckdb.connect(str(duck_path), read_only=True)
        try:
            names = [t for t in tables(src) if t != "schema_migrations"]
            dst.execute("BEGIN")
            for table in names:
                cols = columns(src, table)
                quoted = ", ".join(f'"{c}"' for c in cols)
                dst.execute(f'DELETE FROM "{table}"')
                reader = src.sql(f'SELECT {quoted} FROM "{table}"').to_arrow_reader(_BATCH)
                counts[table] = 0
                for batch in reader:
                    copy_rows(dst.raw, table, _table(batch))
                    counts[table] += batch.num_rows
            for sequence, (table, column) in _sequences(dst).items():
                _advance(dst, sequence, table, column)
            dst.execute("COMMIT")
        finally:
            src.close()
        dst.execute("VACUUM ANALYZE")
    return counts


def _table(batch: object) -> object:
    import pyarrow as pa

    assert isinstance(batch, pa.RecordBatch)
    return pa.Table.from_batches([batch])


def raw_copy(url: str, csv_path: Path) -> float:
    """The reference: PostgreSQL loads the upload file raw (COPY, CSV with its header) into a new table of
    its five columns, the value a number; seconds, the table's creation included."""
    header = csv_path.open(encoding="utf-8").readline().strip().split(",")
    assert header == ["城市", "指标", "月份", "数值", "单位"], header
    with psycopg.connect(url, autocommit=True) as con:
        con.execute("DROP TABLE IF EXISTS upload_raw")
        t0 = time.perf_counter()
        con.execute(
            'CREATE TABLE upload_raw ("城市" TEXT, "指标" TEXT, "月份" TEXT, "数值" DOUBLE PRECISION, '
            '"单位" TEXT)'
        )
        with con.cursor() as cur, cur.copy("COPY upload_raw FROM STDIN (FORMAT csv, HEADER)") as copy:
            with csv_path.open("rb") as f:
                while chunk := f.read(1 << 20):
                    copy.write(chunk)
        seconds = time.perf_counter() - t0
        con.execute("DROP TABLE upload_raw")
    return seconds


def ingest_stages(
    server: str, national: str, duck_path: Path, work: Path, rows: int, repeat: int = 3
) -> dict[str, float]:
    """The upload file (written from the DuckDB file: the same values), ingested into a fresh copy of the
    national PostgreSQL database (it commits), beside PostgreSQL's raw COPY of it into that copy; `repeat`
    times, alternately, and the median of each stage (one run of each is too noisy: the raw COPY took
    0.7–1.2 s in runs minutes apart)."""
    csv_path = work / "upload.csv"
    n = nu.write_csv(duck_path, csv_path, rows)
    copy_name = f"{national}_ingest"
    runs: list[dict[str, float]] = []
    for _ in range(repeat):
        copy_url = recreate(server, copy_name, template=national)
        try:
            run = {"reference": raw_copy(copy_url, csv_path)}
            run.update(nu.ingest(copy_url, csv_path))
            runs.append(run)
        finally:
            drop(server, copy_name)
    stages: dict[str, float] = {"rows": n, "bytes": csv_path.stat().st_size, "runs": len(runs)}
    for key in runs[0]:
        stages[key] = statistics.median(r[key] for r in runs)
    return stages
