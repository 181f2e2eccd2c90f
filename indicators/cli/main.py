"""The command line: each command opens the store, calls one library function and prints the result."""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from indicators import service, store
from indicators.accounts import audit, auth
from indicators.accounts.actor import local_operator
from indicators.cli import catalog_add, refusals
from indicators.cli import meeting as meeting_cli
from indicators.cli import plans as plan_commands
from indicators.cli.args import cli_actor, parse_date
from indicators.cli.records import target_records
from indicators.errors import DabiaoError, InvalidRequest
from indicators.ingest import service as uploads
from indicators.ingest import text as upload_text
from indicators.paths import db_path
from indicators.reporting import display, export
from indicators.reporting.csv_text import frame_csv
from indicators.status import service as status
from indicators.status.records import STATUS_FIELDS, status_records
from indicators.store import db
from indicators.store.accounts import OS_USER
from indicators.vocabulary import role_name, status_label


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
        table["restated"] = table["restated"].map(lambda ms: " / ".join(str(m["quote"]) for m in ms))
        print(frame_csv(table), end="")
    else:
        print(display.targets_text(records))
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    as_of = parse_date(args.as_of)
    frame = status.status(db_path(args.db), args.city, as_of)
    records = status_records(frame)
    if args.format == "json":
        json.dump(records, sys.stdout, ensure_ascii=False, indent=1)
        print()
    elif args.format == "csv":
        table = pd.DataFrame(records, columns=STATUS_FIELDS)
        table["responsible"] = table["responsible"].map("、".join)
        print(frame_csv(table), end="")
    else:
        for r in records:
            label = status_label(str(r["status"]))
            print(f"{label:<8} {r['city']} {r['indicator_name']} [{r['target_id']}] (as of {r['as_of']})")
            print(f"         {r['explanation_zh']}")
            print(f"         {r['explanation_en']}")
    return 0


def cmd_ingest(args: argparse.Namespace) -> int:
    try:
        data = Path(args.file).read_bytes()
    except OSError as exc:
        print(f"error: cannot read {args.file}: {exc.strerror}", file=sys.stderr)
        return 2
    outcome = uploads.ingest_file(
        db_path(args.db), data, args.file, cli_actor(args), args.dry_run, args.valid_only, args.sheet
    )
    if args.format == "json":
        json.dump(outcome.as_json(), sys.stdout, ensure_ascii=False, indent=1)
        print()
    else:
        print("\n".join(upload_text.ingest_lines(outcome, args.dry_run)))
    return outcome.exit_code


def cmd_template(args: argparse.Namespace) -> int:
    fmt = args.format or ("xlsx" if args.out.lower().endswith(".xlsx") else "csv")
    _, content = uploads.template(db_path(args.db), args.city, fmt)
    Path(args.out).write_bytes(content)
    print(f"模板 template ({fmt}) written to {args.out}")
    return 0


def cmd_history(args: argparse.Namespace) -> int:
    city, indicator, frame = uploads.history(db_path(args.db), args.city, args.indicator)
    if args.format == "json":
        json.dump(upload_text.history_records(frame), sys.stdout, ensure_ascii=False, indent=1)
        print()
    else:
        print("\n".join(upload_text.history_lines(f"{city} · {indicator}", frame)))
    return 0


def cmd_undo(args: argparse.Namespace) -> int:
    r = uploads.undo(db_path(args.db), args.batch_id, cli_actor(args))
    print(
        f"批次 {r.undo_batch_id} 撤销了批次 {r.undone_batch_id}：{r.values} 个数值恢复为之前的状态 / "
        f"batch {r.undo_batch_id} undid batch {r.undone_batch_id}: {r.values} values restored to before"
    )
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    if args.what == "briefing":
        return meeting_cli.cmd_briefing(args)
    as_of = parse_date(args.as_of)
    rows = export.export_scorecard(
        db_path(args.db), args.format, args.out, args.city, args.department, as_of, args.lang
    )
    print(f"红绿灯 scorecard: {rows} targets written to {args.out}")
    return 0


def read_password(args: argparse.Namespace) -> str:
    """From standard input's first line with --password-stdin, else typed twice at a terminal."""
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if not sys.stdin.isatty():
        raise InvalidRequest(
            "没有终端输入密码，请用 --password-stdin", "no terminal to type a password: use --password-stdin"
        )
    first = getpass.getpass("密码 password: ")
    if getpass.getpass("再输一次 again: ") != first:
        raise InvalidRequest("两次输入的密码不同", "the two passwords differ")
    return first


def cmd_user(args: argparse.Namespace) -> int:
    path = db_path(args.db)
    store.init(path)
    operator = local_operator()
    if args.action == "add":
        made = auth.add_user(path, operator, args.name, args.role, args.city or [], read_password(args))
        cities = f" [{', '.join(made.cities)}]" if made.cities else ""
        print(f"账号 account {made.name}: {role_name(made.role, 'zh')} {role_name(made.role, 'en')}{cities}")
    elif args.action == "passwd":
        auth.set_password(path, operator, args.name, read_password(args))
        print(f"账号 {args.name} 的密码已修改 / password of {args.name} changed")
    elif args.action == "remove":
        auth.remove_user(path, operator, args.name)
        print(f"账号 {args.name} 已删除 / account {args.name} removed")
    else:
        found = auth.accounts(path)
        for a in found:
            print(f"{a.name:<20} {a.role:<6} {role_name(a.role, 'zh')}  {', '.join(a.cities)}")
        if not found:
            print("还没有账号：indicators user add NAME --role admin / no accounts yet")
    return 0


def cmd_audit(args: argparse.Namespace) -> int:
    path = db_path(args.db)
    store.init(path)
    frame = audit.log(path, parse_date(args.since))
    if args.format == "json":
        json.dump(audit.records(frame), sys.stdout, ensure_ascii=False, indent=1)
        print()
    else:
        print("\n".join(audit.lines(frame)))
    return 0


def cmd_db_copy(args: argparse.Namespace) -> int:
    from indicators.store import copy

    report = copy.copy_store(db_path(args.source), db_path(args.target))
    for t in report:
        print(f"{t.table:<22} {t.rows:>10} 行 rows  sha256 {t.checksum[:16]}")
    total = sum(t.rows for t in report)
    n = len(report)
    print(f"已复制并核对 {n} 个表、{total} 行 / copied and verified {n} tables, {total} rows")
    return 0


def _db_commands(sub) -> None:  # type: ignore[no-untyped-def]
    p = sub.add_parser("db", help="the store itself: copy a deployment (DuckDB file <-> PostgreSQL)")
    actions = p.add_subparsers(dest="action", required=True)
    a = actions.add_parser(
        "copy",
        help="copy every table of SOURCE into the empty store TARGET, verified by counts and checksums",
    )
    a.add_argument("source", metavar="SOURCE", help="a DuckDB file or postgresql://…")
    a.add_argument("target", metavar="TARGET", help="a DuckDB file or postgresql://… (must be empty)")
    a.set_defaults(func=cmd_db_copy)


def _account_commands(command, sub) -> None:  # type: ignore[no-untyped-def]
    p = command("user", "manage accounts (the local operator acts as administrator)")
    actions = p.add_subparsers(dest="action", required=True)

    def action(name: str, help_text: str) -> argparse.ArgumentParser:
        a = actions.add_parser(name, help=help_text)
        a.add_argument("--db", default=argparse.SUPPRESS, help="database file (as for every command)")
        a.set_defaults(func=cmd_user)
        return a

    a = action("add", "create an account")
    a.add_argument("name", metavar="NAME")
    a.add_argument("--role", choices=["viewer", "staff", "admin"], required=True)
    a.add_argument("--city", action="append", help="a city the staff account may write (repeat for more)")
    a.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    a = action("passwd", "set an account's password")
    a.add_argument("name", metavar="NAME")
    a.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    action("remove", "delete an account").add_argument("name", metavar="NAME")
    action("list", "list the accounts (never their passwords)")
    p = command("audit", "the audit log: every write, who made it and when")
    p.add_argument("--since", help="YYYY-MM-DD: from this day on")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.set_defaults(func=cmd_audit)


def _upload_commands(command) -> None:  # type: ignore[no-untyped-def]
    p = command("ingest", "upload a CSV or XLSX file of monthly values (preview with --dry-run)")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--dry-run", action="store_true", help="report what would change; write nothing")
    p.add_argument(
        "--user",
        help="the account that uploads; its cities bound what it may write "
        "(default: the local operator, as administrator)",
    )
    p.add_argument("--valid-only", action="store_true", help="commit the valid rows despite rejected ones")
    p.add_argument("--sheet", help="XLSX sheet to read (default: the first)")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.set_defaults(func=cmd_ingest)
    p = command("template", "write the upload template of one city")
    p.add_argument("--city", required=True, help="code, Chinese or English name")
    p.add_argument("--format", choices=["csv", "xlsx"], help="default: from --out's suffix, else csv")
    p.add_argument("--out", required=True, metavar="FILE")
    p.set_defaults(func=cmd_template)
    p = command("history", "every revision of one city's indicator, with its batch")
    p.add_argument("--city", required=True, help="code, Chinese or English name")
    p.add_argument("--indicator", required=True, help="code, name or alias")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.set_defaults(func=cmd_history)
    p = command("undo", "undo a batch (recorded as a batch of kind undo)")
    p.add_argument("batch_id", metavar="BATCH_ID", type=int)
    p.add_argument("--user", help="the account that undoes (default: the local operator, as administrator)")
    p.set_defaults(func=cmd_undo)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="indicators", description="Dabiao 达标: plan targets vs actuals")
    sub = parser.add_subparsers(dest="command", required=True)

    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text)
        p.add_argument(
            "--db", help="database file or postgresql:// address (default $DABIAO_DB, else var/dabiao.duckdb)"
        )
        return p

    command("init", "create or upgrade the database and load the catalog (idempotent)").set_defaults(
        func=cmd_init
    )
    command("demo", "add the flagged demo measurements (idempotent)").set_defaults(func=cmd_demo)
    p = command("targets", "list the catalog's targets")
    p.add_argument("--city", help="code, Chinese or English name")
    p.add_argument("--format", choices=["text", "csv", "json"], default="text")
    p.set_defaults(func=cmd_targets)
    p = command("status", "evaluate every target as of a date (default: each city's latest month)")
    p.add_argument("--city", help="code, Chinese or English name")
    p.add_argument("--as-of", help="YYYY-MM-DD (default: end of each city's latest uploaded month)")
    p.add_argument("--format", choices=["text", "json", "csv"], default="text")
    p.set_defaults(func=cmd_status)
    p = command("export", "export the scorecard (红绿灯) as PDF or XLSX")
    p.add_argument("what", choices=["scorecard", "briefing"])
    p.add_argument("--format", choices=["pdf", "xlsx"], required=True)
    p.add_argument("--snapshot", help="briefing: the snapshot the briefing book is made of")
    p.add_argument("--out", required=True, metavar="FILE")
    p.add_argument("--city", help="code, Chinese or English name")
    p.add_argument("--department", help="a responsible unit: one section per department")
    p.add_argument("--as-of", help="YYYY-MM-DD (default: end of each city's latest uploaded month)")
    p.add_argument("--lang", choices=["zh", "en"], default="zh")
    p.set_defaults(func=cmd_export)
    _upload_commands(command)
    _account_commands(command, sub)
    _db_commands(sub)
    plan_commands.register(command)
    catalog_add.register(command)
    meeting_cli.add_commands(command)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command: its exit status, 2 for a refusal or a bug (see cli/refusals.py)."""
    args = build_parser().parse_args(argv)
    token = OS_USER.set(None)  # set by --user, for this command only
    try:
        return int(args.func(args))
    except BrokenPipeError:  # output piped into `head` and the like
        sys.stderr.close()
        return 0
    except DabiaoError as exc:  # a refusal
        code, message = exc.code, str(exc)
    except Exception:  # anything else is a bug: exit 2 (never 1, "values rejected"), the traceback logged
        where = refusals.log_bug()
        code = "internal_error"
        message = (
            f"内部错误（程序缺陷），详情见 {where} / internal error (a bug); the traceback is in {where}"
        )
    finally:
        OS_USER.reset(token)
    if getattr(args, "format", None) == "json":
        json.dump(refusals.refusal_json(args, code, message), sys.stdout, ensure_ascii=False, indent=1)
        print()
    print(f"error: {message}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
