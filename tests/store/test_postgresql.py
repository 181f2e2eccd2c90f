"""What PostgreSQL gives that one DuckDB file cannot: many processes writing at once, none "busy", no
revision lost or doubled, every batch whole, the audit log complete; readers that never block a writer.
And the same answers as DuckDB: `status --format json` of the demo data is the same on both backends."""

from __future__ import annotations

import json
from pathlib import Path

import psycopg
import pytest
from conftest import run_cli

from indicators import service, store
from indicators.store import db
from tests.backends import ingest_at_once

MONTHS = [f"2020-{m:02d}" for m in range(1, 13)]


def upload_file(folder: Path, n: int, months: list[str] = MONTHS) -> Path:
    """An upload of 灵武市's PM2.5 for `months`, every value 30 + n (so that each file's values are known)."""
    lines = ["城市,指标,月份,数值,单位,备注"] + [
        f"灵武市,PM2.5年均浓度,{m},{30 + n},微克/立方米," for m in months
    ]
    path = folder / f"upload_{n}.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def pg_store(pg_cluster) -> str:
    url = pg_cluster.create()
    store.init(url)
    return url


def rows(url: str, sql: str) -> list[tuple]:
    with db.connect(url, read_only=True) as con:
        return con.execute(sql).fetchall()


def test_eight_ingest_processes_at_once_lose_and_double_nothing(pg_store, tmp_path):
    files = [upload_file(tmp_path, n) for n in range(1, 9)]
    results = ingest_at_once(pg_store, files)
    for r in results:
        assert r.returncode == 0, r.stderr
        assert "busy" not in (r.stdout + r.stderr).lower() and "Traceback" not in r.stderr
    batches = sorted(json.loads(r.stdout)["batch_id"] for r in results)
    assert len(set(batches)) == 8
    # each key: revisions 1..8, one per batch, in the order the batches were numbered (written one after
    # another); the current value is the last batch's
    for month in MONTHS:
        found = rows(
            pg_store,
            "SELECT revision, batch_id, value FROM measurements WHERE city = 'lingwu' AND indicator = 'pm25' "
            f"AND period = DATE '{month}-01' ORDER BY revision",
        )
        assert [r for r, _, _ in found] == list(range(1, 9)), month
        assert [b for _, b, _ in found] == batches, month
        current = rows(
            pg_store,
            "SELECT value, batch_id FROM current_measurements WHERE city = 'lingwu' AND indicator = 'pm25' "
            f"AND period = DATE '{month}-01'",
        )
        assert current == [(found[-1][2], batches[-1])]
    # every batch whole: 12 values each (12 months × 8 files = 96 rows), none left out, none extra
    assert rows(pg_store, "SELECT batch_id, count(*) FROM measurements GROUP BY batch_id ORDER BY 1") == [
        (b, 12) for b in batches
    ]
    # each file's values are its own: file n wrote 30 + n in all 12 months of its batch
    per_batch = rows(
        pg_store, "SELECT batch_id, min(value), max(value) FROM measurements GROUP BY 1 ORDER BY 1"
    )
    assert sorted(lo for _, lo, hi in per_batch if lo == hi) == [31.0 + n for n in range(8)]
    # the audit log: one upload row per batch, naming its file
    audited = rows(pg_store, "SELECT batch_id, subject FROM audit_log WHERE action = 'upload' ORDER BY 1")
    by_batch = {json.loads(r.stdout)["batch_id"]: Path(f).name for r, f in zip(results, files, strict=True)}
    assert audited == sorted(by_batch.items())


def test_two_uploads_of_the_same_key_at_once_keep_both_revisions(pg_store, tmp_path):
    first, second = upload_file(tmp_path, 1, ["2020-03"]), upload_file(tmp_path, 2, ["2020-03"])
    results = ingest_at_once(pg_store, [first, second])
    assert [r.returncode for r in results] == [0, 0], [r.stderr for r in results]
    found = rows(
        pg_store,
        "SELECT revision, batch_id, value FROM measurements WHERE period = DATE '2020-03-01' "
        "ORDER BY revision",
    )
    assert [r for r, _, _ in found] == [1, 2]
    assert sorted(v for _, _, v in found) == [31.0, 32.0]  # both kept
    assert found[0][1] < found[1][1]  # revision 2 is the batch numbered later
    # the current value: the later batch's (revision 2), whichever process it was
    assert rows(pg_store, "SELECT value, revision FROM current_measurements") == [(found[1][2], 2)]


def test_a_reader_never_blocks_a_writer(pg_store, tmp_path):
    with psycopg.connect(pg_store) as reader:  # a transaction open for the whole upload
        reader.execute("BEGIN ISOLATION LEVEL REPEATABLE READ")
        before = reader.execute("SELECT count(*) FROM measurements").fetchone()
        done = run_cli("ingest", str(upload_file(tmp_path, 1)), "--format", "json", db=pg_store)
        assert done.returncode == 0, done.stderr
        assert reader.execute("SELECT count(*) FROM measurements").fetchone() == before  # its snapshot
        reader.rollback()
    assert rows(pg_store, "SELECT count(*) FROM measurements") == [(12,)]


def test_status_json_is_the_same_on_both_backends(demo_db, pg_cluster):
    url = pg_cluster.create()
    service.add_demo(url)
    on_duckdb = run_cli("status", "--as-of", "2025-06-30", "--format", "json", db=demo_db)
    on_postgresql = run_cli("status", "--as-of", "2025-06-30", "--format", "json", db=url)
    assert on_duckdb.returncode == 0 and on_postgresql.returncode == 0, on_postgresql.stderr
    assert json.loads(on_postgresql.stdout) == json.loads(on_duckdb.stdout)
    # every target of the catalog (data/): 176, of which 11 restate another and are shown once: 165
    assert len(json.loads(on_duckdb.stdout)) == 165


def test_an_address_where_no_server_answers_is_a_typed_error_without_the_password(tmp_path):
    url = f"postgresql://dabiao:s3cret@/dabiao?host={tmp_path}&port=5999"  # no server on that socket
    done = run_cli("status", "--format", "json", db=url)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "无法连接数据库服务器" in done.stderr and "cannot reach the database server" in done.stderr
    assert "s3cret" not in done.stderr and "dabiao:***@" in done.stderr
