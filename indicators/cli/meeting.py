"""The meeting's commands: `note`, `snapshot` and `export briefing` (registered by main.build_parser)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable

from indicators.cli import args as cli
from indicators.errors import InvalidRequest
from indicators.meeting import briefing, notes, snapshots
from indicators.meeting import diff as changes
from indicators.paths import db_path
from indicators.vocabulary import status_label

Command = Callable[[str, str], argparse.ArgumentParser]
Handler = Callable[[argparse.Namespace], int]


def _json(data: object) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=1, default=str)
    print()


def cmd_note(args: argparse.Namespace) -> int:
    path = db_path(args.db)
    if args.action == "add":
        month = notes.parse_month(args.month)
        note_id = notes.add_note(path, cli.cli_actor(args), args.target, args.text, month)
        print(f"情况说明 {note_id} 已记录 / note {note_id} recorded on {args.target}")
        return 0
    frame = notes.notes(path, args.city, args.target, args.history)
    rows = notes.records(frame)
    if args.format == "json":
        _json(rows)
        return 0
    for r in rows:
        month = f" [{r['month']}]" if r["month"] else ""  # type: ignore[assignment]
        mark = "" if r["current"] else " (旧版本 earlier version)"
        version = f"v{r['version']}/{r['versions']}"
        print(f"{r['target_id']}{month} {version} · {r['written_by']} · {r['written_at']}{mark}")
        print(f"    {r['text']}")
    if not rows:
        print("没有情况说明 no notes")
    return 0


def cmd_snapshot(args: argparse.Namespace) -> int:
    path = db_path(args.db)
    if args.action == "create":
        snap = snapshots.create(path, cli.cli_actor(args), args.name, cli.parse_date(args.as_of))
        print(
            f"快照 {snap.name}：{len(snap.records)} 个目标，数据截至批次 {snap.basis.max_batch_id} / "
            f"snapshot {snap.name}: {len(snap.records)} targets, data up to batch {snap.basis.max_batch_id}"
        )
        return 0
    if args.action == "list":
        frame = snapshots.listing(path)
        if args.format == "json":
            _json(snapshots.list_records(frame))
        else:
            for r in snapshots.list_records(frame):
                as_of = r["as_of"] or "各市最新月份 each city's latest month"
                print(f"{r['name']} · {r['created_at']} · {r['created_by']} · {r['rows']} targets · {as_of}")
            if frame.empty:
                print("还没有快照 no snapshots yet")
        return 0
    if args.action == "show":
        snap = snapshots.show(path, args.name)
        if args.format == "json":
            _json(snap.records)
        else:
            print(f"快照 snapshot {snap.name} · {snap.created_at:%Y-%m-%d %H:%M} · {snap.created_by}")
            for r in snap.records:
                label = status_label(str(r["status"]))
                print(f"{label:<8} {r['city']} {r['indicator_name']} [{r['target_id']}] (as of {r['as_of']})")
        return 0
    found = changes.diff(path, args.before, args.after)
    if args.format == "json":
        _json(found.as_json())
        return 0
    for c in found.status_changes:
        print(changes.change_line(c, "zh"), "/", changes.change_line(c, "en"))
    for v in found.revised:
        print(
            f"修订 revised {v['city_code']} {v['indicator']} {v['period']}: "
            f"{v['old_value']} → {v['new_value']} (batch {v['new_batch_id']})"
        )
    for t in found.newly_reported:
        print(f"新上报 newly reported {t['city']} {t['indicator']} [{t['target_id']}]")
    return 0


def cmd_briefing(args: argparse.Namespace) -> int:
    """`indicators export briefing --snapshot NAME --format pdf --out FILE`."""
    if not args.snapshot:
        raise InvalidRequest("请用 --snapshot 指定快照", "name the snapshot with --snapshot")
    if args.format != "pdf":
        raise InvalidRequest("简报只能导出为 PDF", "the briefing book is a PDF (--format pdf)")
    pages = briefing.write(db_path(args.db), args.snapshot, args.out)
    print(f"会议简报 briefing book ({pages} pages) of snapshot {args.snapshot} written to {args.out}")
    return 0


Action = Callable[[str, str], argparse.ArgumentParser]


def _actions(command: Command, name: str, help_text: str, func: Handler) -> Action:
    """A command with sub-actions; returns the maker of one action (each takes --db as every command)."""
    actions = command(name, help_text).add_subparsers(dest="action", required=True)

    def action(verb: str, text: str) -> argparse.ArgumentParser:
        a = actions.add_parser(verb, help=text)
        a.add_argument("--db", default=argparse.SUPPRESS, help="database file (as for every command)")
        a.set_defaults(func=func)
        return a

    return action


def add_commands(command: Command) -> None:
    """`note add|list` and `snapshot create|list|show|diff`."""
    action = _actions(command, "note", "owners' notes (情况说明) on targets", cmd_note)
    a = action("add", "write a note on a target (a new version when it has one)")
    a.add_argument("--target", required=True, metavar="ID")
    a.add_argument("--text", required=True)
    a.add_argument("--month", help="YYYY-MM: the month the note is about")
    a.add_argument("--user", help="the account that writes (default: the local operator)")
    a = action("list", "the notes in force (with --history every version)")
    a.add_argument("--city", help="code, Chinese or English name")
    a.add_argument("--target", metavar="ID")
    a.add_argument("--history", action="store_true", help="every version, not only those in force")
    a.add_argument("--format", choices=["text", "json"], default="text")

    what = "meeting snapshots (会议快照): create, list, show, diff"
    action = _actions(command, "snapshot", what, cmd_snapshot)
    a = action("create", "freeze every evaluated target under NAME")
    a.add_argument("name", metavar="NAME")
    a.add_argument("--as-of", help="YYYY-MM-DD (default: end of each city's latest uploaded month)")
    a.add_argument("--user", help="the administrator who takes it (default: the local operator)")
    action("list", "every snapshot").add_argument("--format", choices=["text", "json"], default="text")
    a = action("show", "a snapshot's rows exactly as frozen")
    a.add_argument("name", metavar="NAME")
    a.add_argument("--format", choices=["text", "json"], default="text")
    a = action("diff", "what changed from snapshot A to snapshot B (or now)")
    a.add_argument("before", metavar="A")
    a.add_argument("after", metavar="B", help="a snapshot's name, or 'now' for the current data")
    a.add_argument("--format", choices=["text", "json"], default="text")
