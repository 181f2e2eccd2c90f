"""The national-scale benchmark's generator and checks, at a tiny size (20 cities × 5 indicators × 2 years).

Nothing here is timed: benchmarks/national.py measures speed; these tests check that what it measures is a
consistent database of the real schema and that its correctness checks hold.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks import national_check, national_upload
from benchmarks import national_data as nd
from indicators.ingest import service as uploads
from indicators.status import service as status
from indicators.store import db

SIZE = nd.Size(cities=20, indicators=5, years=2)


@pytest.fixture(scope="module")
def bench_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("bench") / "national.duckdb"
    nd.generate(path, SIZE)
    return path


def _one(con, sql: str) -> int:  # type: ignore[no-untyped-def]
    row = con.execute(sql).fetchone()
    assert row is not None
    return int(row[0])


def test_the_generated_database_is_consistent_with_the_real_schema(bench_db):
    with db.connect(bench_db, read_only=True) as con:
        applied = {r[0] for r in con.execute("SELECT name FROM schema_migrations").fetchall()}
        assert applied == {p.stem for p in db.migration_files()}
        generated = "regexp_full_match(city, 'n[0-9]{4}')"  # n0001…; the seed cities keep their codes
        assert (
            _one(con, "SELECT count(*) FROM cities WHERE regexp_full_match(code, 'n[0-9]{4}')") == SIZE.cities
        )
        assert _one(con, f"SELECT count(*) FROM targets WHERE {generated}") == SIZE.cities * SIZE.indicators
        assert _one(con, "SELECT count(*) FROM measurements") == SIZE.cities * SIZE.indicators * SIZE.months
        # every target's city, indicator and plan exist; every value's city and indicator too
        assert not _one(con, "SELECT count(*) FROM targets t ANTI JOIN cities c ON c.code = t.city")
        assert not _one(con, "SELECT count(*) FROM targets t ANTI JOIN indicators i ON i.code = t.indicator")
        assert not _one(
            con,
            "SELECT count(*) FROM targets t ANTI JOIN plans p "
            "ON p.source_file = t.source_file AND p.title_zh = t.plan_title_zh",
        )
        assert not _one(con, "SELECT count(*) FROM measurements m ANTI JOIN cities c ON c.code = m.city")
        assert not _one(
            con,
            "SELECT count(*) FROM measurements m JOIN indicators i ON i.code = m.indicator "
            "WHERE m.value < i.valid_min OR m.value > i.valid_max",
        )
        assert _one(con, "SELECT count(DISTINCT (city, indicator, period)) FROM measurements") == _one(
            con, "SELECT count(*) FROM current_measurements"
        )
        months = con.execute("SELECT min(period), max(period) FROM measurements").fetchone()
        assert months is not None and str(months[0]) == "2024-01-01" and str(months[1]) == "2025-12-01"


def test_generation_is_deterministic(bench_db, tmp_path):
    again = tmp_path / "again.duckdb"
    nd.generate(again, SIZE)
    digest = (
        "SELECT sum(hash(city, indicator, period, value)) FROM measurements UNION ALL "
        "SELECT sum(hash(id, comparator, value, deadline)) FROM targets"
    )
    with db.connect(bench_db, read_only=True) as a, db.connect(again, read_only=True) as b:
        assert a.execute(digest).fetchall() == b.execute(digest).fetchall()


def test_every_status_occurs(bench_db):
    evaluated = status.status(bench_db, None, nd.AS_OF)
    generated = evaluated[evaluated.city.str.fullmatch(r"n\d{4}")]
    assert {"met", "missed"} <= set(generated.status)
    assert len(set(generated.status)) >= 4


def test_the_scorecard_agrees_with_the_status_path_on_a_sample(bench_db):
    evaluated = status.status(bench_db, None, nd.AS_OF)
    assert national_check.agree(bench_db, evaluated, n=6) == []
    assert len(national_check.sample_cities(evaluated, 6)) == 6


def test_the_upload_file_has_mixed_units_and_ingests_cleanly(bench_db, tmp_path):
    csv_path = tmp_path / "upload.csv"
    assert national_upload.write_csv(bench_db, csv_path, 500) == 500
    header, *rows = csv_path.read_text(encoding="utf-8").splitlines()
    assert header == "城市,指标,月份,数值,单位"
    assert len({r.rsplit(",", 1)[1] for r in rows}) > 3  # several spellings of units
    preview = uploads.preview(
        bench_db, csv_path.read_bytes(), "upload.csv", national_upload.ACTOR, today=national_upload.TODAY
    )
    assert preview.report.errors == [] and preview.count("new") == 500


def test_the_city_page_measured_with_values_is_a_generated_city_with_values(bench_db):
    from benchmarks import national_pages

    city = national_pages.CITY_WITH_VALUES
    assert city == nd.city_code(1)  # the first generated city
    with db.connect(bench_db, read_only=True) as con:
        values = _one(con, f"SELECT count(*) FROM measurements WHERE city = '{city}'")
    assert values == SIZE.indicators * SIZE.months  # every indicator, every month
