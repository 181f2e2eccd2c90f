"""The dialect layer's translations, without a server: DuckDB's parameter marks into psycopg's, and a
migration's SQL for PostgreSQL (type names, or the override file of the same name)."""

from __future__ import annotations

from indicators.store import db
from indicators.store.pg import translate


def test_parameter_marks_outside_quoted_text():
    sql, params = translate("SELECT '?%' AS q, x FROM t WHERE a = ? AND b LIKE 'a%' AND c = ?", [1, 2])
    assert sql == "SELECT '?%%' AS q, x FROM t WHERE a = %s AND b LIKE 'a%%' AND c = %s"
    assert params == [1, 2]


def test_numbered_and_named_marks():
    sql, params = translate("SELECT $2, $1, $2", ["a", "b"])
    assert sql == "SELECT %(p2)s, %(p1)s, %(p2)s" and params == {"p1": "a", "p2": "b"}
    sql, params = translate("WHERE $city::VARCHAR IS NULL OR city = $city", {"city": "lingwu"})
    assert sql == "WHERE %(city)s::VARCHAR IS NULL OR city = %(city)s" and params == {"city": "lingwu"}


def test_a_migration_for_postgresql_spells_types_its_way_or_is_replaced(tmp_path):
    plain = tmp_path / "0099_x.sql"
    plain.write_text(
        "-- a DOUBLE in a comment stays\nCREATE TABLE x (a DOUBLE, b DOUBLE PRECISION, c BLOB, d VARCHAR "
        "DEFAULT 'DOUBLE');",
        encoding="utf-8",
    )
    assert db.migration_sql(plain, "duckdb") == plain.read_text(encoding="utf-8")
    assert db.migration_sql(plain, "postgresql") == (
        "-- a DOUBLE in a comment stays\nCREATE TABLE x (a DOUBLE PRECISION, b DOUBLE PRECISION, c BYTEA, "
        "d VARCHAR DEFAULT 'DOUBLE');"
    )
    (tmp_path / "postgresql").mkdir()
    (tmp_path / "postgresql" / "0099_x.sql").write_text("SELECT 1;", encoding="utf-8")
    assert db.migration_sql(plain, "postgresql") == "SELECT 1;"
    assert db.migration_sql(plain, "duckdb") == plain.read_text(encoding="utf-8")
