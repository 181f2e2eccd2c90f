"""Cities and indicators added by an administrator (`indicators city add`, `indicators indicator add`, the
admin page): validated exactly as data/cities.yaml and data/indicators/*.yaml are (the same checker, the same
problems, and no name shared with one already there), stored beside the catalog so that they outlive every
reload of it (store.additions), and audited."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from indicators import store
from indicators.accounts.actor import Actor
from indicators.catalog import load as cat
from indicators.catalog.checker import Checker, Problem
from indicators.errors import CatalogInvalid
from indicators.store import db
from indicators.store.db import Connection


def _known(con: Connection, kind: str) -> list[dict[str, object]]:
    return store.catalog_names(con, kind)


def _aliases(row: Mapping[str, object]) -> tuple[str, ...]:
    value = row.get("aliases") or []
    return tuple(str(a) for a in value) if isinstance(value, list) else ()


def check_city(con: Connection, fields: Mapping[str, object]) -> cat.City:
    """The city of `fields` (the keys of cities.yaml), or CatalogInvalid listing every problem."""
    problems: list[Problem] = []
    city = cat.city_from(Checker(problems, "city add", str(fields.get("code") or "?"), dict(fields)))
    others = [
        cat.City(
            str(k["code"]), str(k["name_zh"]), str(k["name_en"]), "", "", None, None, "", "", _aliases(k)
        )
        for k in _known(con, "cities")
    ]
    cat.unique_cities(problems, "city add", [*others, city])
    if problems:
        raise CatalogInvalid(problems)
    return city


def check_indicator(con: Connection, fields: Mapping[str, object]) -> cat.Indicator:
    """The indicator of `fields` (the keys of data/indicators/*.yaml), or CatalogInvalid listing every
    problem."""
    problems: list[Problem] = []
    item = cat.indicator_from(
        Checker(problems, "indicator add", str(fields.get("code") or "?"), dict(fields))
    )
    others = [
        cat.Indicator(str(k["code"]), str(k["name_zh"]), str(k["name_en"]), "", "", "", "", 0, 1, _aliases(k))
        for k in _known(con, "indicators")
    ]
    cat.unique_indicators(problems, "indicator add", [*others, item])
    if problems:
        raise CatalogInvalid(problems)
    return item


def _record(item: cat.City | cat.Indicator) -> dict[str, object]:
    """The fields an added city or indicator is kept with (its aliases as a list, as the YAML has them)."""
    record: dict[str, object] = {f: getattr(item, f) for f in type(item).__dataclass_fields__}
    record["aliases"] = list(item.aliases)
    return record


def add_city(path: Path | str, actor: Actor, fields: Mapping[str, object]) -> cat.City:
    actor.require_admin("添加城市", "add cities")
    store.init(path)
    with db.connect(path) as con:
        city = check_city(con, fields)
        record = _record(city)

        def audit(con_: Connection) -> None:
            store.audit(con_, actor.name, "city_add", subject=city.code, detail=record)

        store.insert_added_city(con, record, actor.name, audit)
    return city


def add_indicator(path: Path | str, actor: Actor, fields: Mapping[str, object]) -> cat.Indicator:
    actor.require_admin("添加指标", "add indicators")
    store.init(path)
    with db.connect(path) as con:
        item = check_indicator(con, fields)
        record = _record(item)

        def audit(con_: Connection) -> None:
            store.audit(con_, actor.name, "indicator_add", subject=item.code, detail=record)

        store.insert_added_indicator(con, record, actor.name, audit)
    return item
