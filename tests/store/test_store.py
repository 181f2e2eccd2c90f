"""Migrations are applied once and recorded; init is idempotent; the catalog round-trips through the store
(each test on both backends: a DuckDB file and PostgreSQL)."""

from __future__ import annotations

import shutil

import duckdb
import psycopg
import pytest

from indicators import store
from indicators.store import db


def _snapshot(path) -> dict[str, list[tuple]]:
    with db.connect(path, read_only=True) as con:
        tables = [
            r[0]
            for r in con.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE' "
                "AND table_schema = current_schema() ORDER BY 1"
            ).fetchall()
        ]
        return {t: sorted(map(repr, con.execute(f"SELECT * FROM {t}").fetchall())) for t in tables}


def test_init_creates_schema_and_loads_catalog(new_store, catalog):
    path = new_store("a")
    report = store.init(path, catalog)
    assert report.migrations_applied == [p.stem for p in db.migration_files()]
    assert report.catalog_loaded
    with db.connect(path, read_only=True) as con:
        assert con.execute("SELECT count(*) FROM targets").fetchone()[0] == len(catalog.targets)
        assert con.execute("SELECT count(*) FROM cities").fetchone()[0] == 5
        names = [r[0] for r in con.execute("SELECT name FROM schema_migrations").fetchall()]
    assert names == [p.stem for p in db.migration_files()]


def test_init_twice_changes_nothing(new_store, catalog):
    path = new_store("a")
    store.init(path, catalog)
    before = _snapshot(path)
    report = store.init(path, catalog)
    assert report.migrations_applied == [] and not report.catalog_loaded
    assert _snapshot(path) == before


def test_a_new_migration_file_is_applied_once(new_store, tmp_path, catalog, monkeypatch):
    path = new_store("a")
    store.init(path, catalog)
    migrations = tmp_path / "migrations"
    shutil.copytree(db.MIGRATIONS_DIR, migrations)
    (migrations / "9999_extra.sql").write_text("CREATE TABLE extra (x INTEGER);", encoding="utf-8")
    monkeypatch.setattr(db, "MIGRATIONS_DIR", migrations)
    assert store.init(path, catalog).migrations_applied == ["9999_extra"]
    assert store.init(path, catalog).migrations_applied == []


def test_a_failing_migration_leaves_nothing_behind(new_store, tmp_path, catalog, monkeypatch):
    path = new_store("a")
    store.init(path, catalog)
    migrations = tmp_path / "migrations"
    shutil.copytree(db.MIGRATIONS_DIR, migrations)
    (migrations / "9999_broken.sql").write_text(
        "CREATE TABLE half (x INTEGER); SELEC oops;", encoding="utf-8"
    )
    monkeypatch.setattr(db, "MIGRATIONS_DIR", migrations)
    with pytest.raises((duckdb.Error, psycopg.Error)):
        store.init(path, catalog)
    with db.connect(path, read_only=True) as con:
        tables = {
            r[0]
            for r in con.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
            ).fetchall()
        }
        applied = {r[0] for r in con.execute("SELECT name FROM schema_migrations").fetchall()}
    assert "half" not in tables and "9999_broken" not in applied


def test_changed_catalog_is_reloaded_as_a_whole(new_store, catalog):
    path = new_store("a")
    store.init(path, catalog)
    smaller = type(catalog)(catalog.cities, catalog.indicators, catalog.plans, catalog.targets[:10])
    assert store.init(path, smaller).catalog_loaded
    with db.connect(path, read_only=True) as con:
        assert con.execute("SELECT count(*) FROM targets").fetchone()[0] == 10


def test_targets_keep_their_provenance(new_store, catalog):
    path = new_store("a")
    store.init(path, catalog)
    with db.connect(path, read_only=True) as con:
        frame = store.targets_frame(con, store.resolve_city(con, "常德市"))
    row = frame[frame.id == "changde-urban-coal-boilers-9-2017"].iloc[0]
    assert row.quote == "市城区剩下的9台10蒸吨及以下燃煤锅炉关闭或改烧任务3月底前必须结账"
    assert list(row.responsible) == ["污防科"] and row.city_zh == "常德市"
    assert str(row.deadline)[:10] == "2017-03-31"


@pytest.mark.parametrize("name", ["lingwu", "灵武市", "Lingwu", "LINGWU"])
def test_cities_resolve_by_code_or_name(new_store, catalog, name):
    path = new_store("a")
    store.init(path, catalog)
    with db.connect(path, read_only=True) as con:
        assert store.resolve_city(con, name) == "lingwu"
        with pytest.raises(store.UnknownName):
            store.resolve_city(con, "Atlantis")
