"""SQL of what administrators add beside the shipped catalog (migration 0014): reviews of plan candidates,
published plans and their targets, added cities and indicators.

The catalog tables are replaced whenever data/ changes; `apply_additions` puts the added rows back after
each reload (inside its transaction), so a published target or an added city outlives every reload."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping

from indicators.store.db import Connection
from indicators.store.tx import transaction

Audit = Callable[[Connection], None]

_CITY_COLUMNS = (
    "code",
    "name_zh",
    "name_en",
    "province_zh",
    "province_en",
    "parent_zh",
    "parent_en",
    "level",
)
_INDICATOR_COLUMNS = (
    "code",
    "name_zh",
    "name_en",
    "domain",
    "unit",
    "polarity",
    "aggregation",
    "valid_min",
    "valid_max",
)


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, default=str, sort_keys=True)


def _insert_row(con: Connection, table: str, row: Mapping[str, object]) -> None:
    columns = ", ".join(row)
    marks = ", ".join("?" * len(row))
    con.execute(f"INSERT INTO {table} ({columns}) VALUES ({marks})", list(row.values()))


def insert_review(
    con: Connection,
    plan_id: int,
    n: int,
    review: str,
    fields: Mapping[str, object],
    by: str,
    audit: Audit,
) -> None:
    """One reviewer's decision on one candidate, with its audit row, in one transaction."""
    with transaction(con):
        con.execute(
            "INSERT INTO plan_reviews (plan_id, n, review, fields, reviewed_by, reviewed_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [plan_id, n, review, _json(dict(fields)), by, dt.datetime.now()],
        )
        audit(con)


def latest_reviews(con: Connection, plan_id: int) -> dict[int, tuple[str, dict[str, object]]]:
    """The decision in force on each reviewed candidate of a plan: n -> (review, fields)."""
    rows = con.execute(
        "SELECT n, review, fields FROM plan_reviews r WHERE plan_id = ? AND id = "
        "(SELECT max(id) FROM plan_reviews s WHERE s.plan_id = r.plan_id AND s.n = r.n)",
        [plan_id],
    ).fetchall()
    return {int(n): (str(review), json.loads(fields)) for n, review, fields in rows}


def review_history(con: Connection, plan_id: int) -> list[dict[str, object]]:
    cur = con.execute(
        "SELECT n, review, fields, reviewed_by, reviewed_at FROM plan_reviews WHERE plan_id = ? ORDER BY id",
        [plan_id],
    )
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def is_published(con: Connection, plan_id: int) -> bool:
    return con.execute("SELECT 1 FROM plan_publications WHERE plan_id = ?", [plan_id]).fetchone() is not None


def publish_plan(
    con: Connection,
    plan_id: int,
    plan: Mapping[str, object],
    targets: list[tuple[int, int | None, int | None, Mapping[str, object]]],
    by: str,
    audit: Audit,
) -> None:
    """Record the publication of a plan and add its plans row and targets (each (n, start, end, targets
    row)) to the live tables, with the audit row, all in one transaction."""
    with transaction(con):
        con.execute(
            "INSERT INTO plan_publications VALUES (?, ?, ?, ?)",
            [plan_id, _json(dict(plan)), by, dt.datetime.now()],
        )
        for n, start, end, target in targets:
            con.execute(
                "INSERT INTO published_targets VALUES (?, ?, ?, ?, ?, ?)",
                [target["id"], plan_id, n, start, end, _json(dict(target))],
            )
        con.execute("UPDATE plan_documents SET status = 'published' WHERE id = ?", [plan_id])
        _apply_plan(con, plan_id)
        audit(con)


def published_target(con: Connection, target_id: str) -> dict[str, object] | None:
    """The provenance of a published target: plan_id, n, quote_start, quote_end, file_name, sha256."""
    cur = con.execute(
        "SELECT p.plan_id, p.n, p.quote_start, p.quote_end, d.file_name, d.sha256, d.title "
        "FROM published_targets p JOIN plan_documents d ON d.id = p.plan_id WHERE p.id = ?",
        [target_id],
    )
    row = cur.fetchone()
    return dict(zip([d[0] for d in cur.description], row, strict=True)) if row else None


def insert_added_city(con: Connection, city: Mapping[str, object], by: str, audit: Audit) -> None:
    with transaction(con):
        con.execute(
            "INSERT INTO added_cities VALUES (?, ?, ?, ?)",
            [city["code"], _json(dict(city)), by, dt.datetime.now()],
        )
        _apply_cities(con)
        audit(con)


def insert_added_indicator(con: Connection, indicator: Mapping[str, object], by: str, audit: Audit) -> None:
    with transaction(con):
        con.execute(
            "INSERT INTO added_indicators VALUES (?, ?, ?, ?)",
            [indicator["code"], _json(dict(indicator)), by, dt.datetime.now()],
        )
        _apply_indicators(con)
        audit(con)


def catalog_names(con: Connection, kind: str) -> list[dict[str, object]]:
    """The cities or indicators in the store (code, name_zh, name_en, aliases): what a new one must not
    share a name with. kind: "cities" or "indicators"."""
    table, aliases, key = {
        "cities": ("cities", "city_aliases", "city"),
        "indicators": ("indicators", "indicator_aliases", "indicator"),
    }[kind]
    by_code: dict[str, list[str]] = {}
    for alias, code in con.execute(f"SELECT alias, {key} FROM {aliases} ORDER BY alias").fetchall():
        by_code.setdefault(str(code), []).append(str(alias))
    rows = con.execute(f"SELECT code, name_zh, name_en FROM {table} ORDER BY code").fetchall()
    return [{"code": c, "name_zh": zh, "name_en": en, "aliases": by_code.get(c, [])} for c, zh, en in rows]


def apply_additions(con: Connection) -> None:
    """Put the added cities, indicators, plans and targets into the catalog tables (those not there yet);
    called by the catalog's reload inside its transaction."""
    _apply_cities(con)
    _apply_indicators(con)
    for (plan_id,) in con.execute("SELECT plan_id FROM plan_publications ORDER BY plan_id").fetchall():
        _apply_plan(con, int(plan_id))


def _apply_cities(con: Connection) -> None:
    for (record,) in con.execute(
        "SELECT city FROM added_cities WHERE code NOT IN (SELECT code FROM cities) ORDER BY added_at"
    ).fetchall():
        city = json.loads(record)
        _insert_row(con, "cities", {k: city.get(k) for k in _CITY_COLUMNS})
        for alias in city.get("aliases") or []:
            _insert_row(con, "city_aliases", {"alias": alias, "city": city["code"]})


def _apply_indicators(con: Connection) -> None:
    for (record,) in con.execute(
        "SELECT indicator FROM added_indicators WHERE code NOT IN (SELECT code FROM indicators) "
        "ORDER BY added_at"
    ).fetchall():
        indicator = json.loads(record)
        _insert_row(con, "indicators", {k: indicator.get(k) for k in _INDICATOR_COLUMNS})
        for alias in indicator.get("aliases") or []:
            _insert_row(con, "indicator_aliases", {"alias": alias, "indicator": indicator["code"]})


def _apply_plan(con: Connection, plan_id: int) -> None:
    row = con.execute("SELECT plan FROM plan_publications WHERE plan_id = ?", [plan_id]).fetchone()
    assert row is not None
    plan = json.loads(row[0])
    known = con.execute(
        "SELECT 1 FROM plans WHERE source_file = ? AND title_zh = ?", [plan["source_file"], plan["title_zh"]]
    ).fetchone()
    if known is None:
        _insert_row(con, "plans", plan)
    for (record,) in con.execute(
        "SELECT target FROM published_targets WHERE plan_id = ? AND id NOT IN (SELECT id FROM targets) "
        "ORDER BY n",
        [plan_id],
    ).fetchall():
        _insert_row(con, "targets", json.loads(record))
