"""`indicators city add …` and `indicators indicator add …`: a city or an indicator added beside the catalog,
checked as data/cities.yaml and data/indicators/*.yaml are (administrators)."""

from __future__ import annotations

import argparse
from collections.abc import Callable

from indicators.catalog import additions
from indicators.paths import db_path


def cmd_city_add(args: argparse.Namespace) -> int:
    from indicators.cli.args import cli_actor

    fields = {k: getattr(args, k) for k in ("code", "name_zh", "name_en", "province_zh", "province_en")}
    fields |= {"parent_zh": args.parent_zh, "parent_en": args.parent_en, "level": args.level}
    fields |= {"source_file": args.source_file or "city add", "aliases": args.alias or []}
    city = additions.add_city(db_path(args.db), cli_actor(args), fields)
    print(f"城市 city {city.code} {city.name_zh} {city.name_en}: 已添加 added")
    return 0


def cmd_indicator_add(args: argparse.Namespace) -> int:
    from indicators.cli.args import cli_actor

    fields: dict[str, object] = {
        k: getattr(args, k) for k in ("code", "name_zh", "name_en", "domain", "unit")
    }
    fields |= {"polarity": args.polarity, "aggregation": args.aggregation}
    fields |= {"valid_min": args.valid_min, "valid_max": args.valid_max, "aliases": args.alias or []}
    if args.decimals is not None:
        fields["decimals"] = args.decimals
    item = additions.add_indicator(db_path(args.db), cli_actor(args), fields)
    print(f"指标 indicator {item.code} {item.name_zh} ({item.unit}): 已添加 added")
    return 0


def register(command: Callable[[str, str], argparse.ArgumentParser]) -> None:
    """Add `city add` and `indicator add` (values are checked by the catalog's checker, not by argparse,
    so that a wrong one is listed with every other problem)."""
    p = command("city", "cities added beside the catalog (administrators)")
    a = p.add_subparsers(dest="action", required=True).add_parser("add", help="add a city")
    a.add_argument("--db", default=argparse.SUPPRESS, help="database file (as for every command)")
    a.add_argument("code", metavar="CODE", help="lower_snake_case, e.g. xingqing")
    for name in ("name_zh", "name_en", "province_zh", "province_en", "parent_zh", "parent_en", "level"):
        a.add_argument("--" + name.replace("_", "-"), dest=name)
    a.add_argument("--source-file", help="the plan document the city comes from")
    a.add_argument("--alias", action="append", help="another name staff write (repeat for more)")
    a.add_argument("--user", help="the account that adds (default: the local operator, as administrator)")
    a.set_defaults(func=cmd_city_add)
    p = command("indicator", "indicators added beside the catalog (administrators)")
    a = p.add_subparsers(dest="action", required=True).add_parser("add", help="add an indicator")
    a.add_argument("--db", default=argparse.SUPPRESS, help="database file (as for every command)")
    a.add_argument("code", metavar="CODE", help="lower_snake_case, e.g. sewage_treatment_rate")
    for name in ("name_zh", "name_en", "domain", "unit", "polarity", "aggregation"):
        a.add_argument("--" + name.replace("_", "-"), dest=name)
    a.add_argument("--valid-min", type=float)
    a.add_argument("--valid-max", type=float)
    a.add_argument("--decimals", type=int)
    a.add_argument("--alias", action="append", help="another name (repeat for more)")
    a.add_argument("--user", help="the account that adds (default: the local operator, as administrator)")
    a.set_defaults(func=cmd_indicator_add)
