"""The command line: each command opens the store, calls one library function and prints the result."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

import pandas as pd

from indicators import catalog as cat
from indicators import db, display, service, store
from indicators.paths import db_path

TARGET_FIELDS = [
    "id",
    "city",
    "city_en",
    "indicator",
    "indicator_name",
    "indicator_name_en",
    "domain",
    "comparator",
    "value",
    "unit",
    "deadline",
    "baseline_year",
    "baseline_value",
    "stage",
    "source_file",
    "quote",
    "responsible",
    "cooperating",
]


def cmd_init(args: argparse.Namespace) -> int:
    report = store.init(db_path(args.db))
    applied = ", ".join(report.migrations_applied) or "none"
    state = "loaded" if report.catalog_loaded else "unchanged"
    print(
        f"database {db_path(args.db)}: migrations applied: {applied}; catalog {state} "
        f"({report.targets} targets)"
    )
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    report = service.add_demo(db_path(args.db))
    if report.batch_id is None:
        print("示例数据已存在 demo data already present; nothing changed")
    else:
        print(f"示例数据 demo data: {report.values} monthly values written as batch {report.batch_id}")
    return 0


def target_records(frame: pd.DataFrame) -> list[dict[str, object]]:
    """The targets as plain JSON-ready records in the command-line contract's field names."""
    out = frame.rename(columns={"city": "city_code"}).assign(
        city=frame.city_zh,
        city_en=frame.city_en,
        indicator_name=frame.indicator_zh,
        indicator_name_en=frame.indicator_en,
        deadline=pd.to_datetime(frame.deadline).dt.strftime("%Y-%m-%d"),
        responsible=frame.responsible.map(list),
        cooperating=frame.cooperating.map(list),
    )
    records = out[TARGET_FIELDS + ["city_code"]].to_dict(orient="records")
    for r in records:
        for key in ("baseline_year", "baseline_value"):
            if pd.isna(r[key]):
                r[key] = None
        if r["baseline_year"] is not None:
            r["baseline_year"] = int(r["baseline_year"])  # type: ignore[call-overload]
    return records


def cmd_targets(args: argparse.Namespace) -> int:
    with db.connect(db_path(args.db), read_only=True) as con:
        city = store.resolve_city(con, args.city) if args.city else None
        frame = store.targets_frame(con, city)
    records = target_records(frame)
    if args.format == "json":
        json.dump(records, sys.stdout, ensure_ascii=False, indent=1)
        print()
    elif args.format == "csv":
        table = pd.DataFrame(records)
        for col in ("responsible", "cooperating"):
            table[col] = table[col].map("、".join)
        table.to_csv(sys.stdout, index=False)
    else:
        print(display.targets_text(records))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="indicators", description="Dabiao 达标: plan targets vs actuals")
    sub = parser.add_subparsers(dest="command", required=True)

    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text)
        p.add_argument("--db", help="database file (default $DABIAO_DB, else var/dabiao.duckdb)")
        return p

    command("init", "create or upgrade the database and load the catalog (idempotent)").set_defaults(
        func=cmd_init
    )
    command("demo", "add the flagged demo measurements (idempotent)").set_defaults(func=cmd_demo)
    p = command("targets", "list the catalog's targets")
    p.add_argument("--city", help="code, Chinese or English name")
    p.add_argument("--format", choices=["text", "csv", "json"], default="text")
    p.set_defaults(func=cmd_targets)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except (cat.CatalogInvalid, store.UnknownName, db.StoreBusy) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
