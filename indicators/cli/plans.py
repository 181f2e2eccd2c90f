"""`indicators plan …`: plan documents. `plan extract FILE` prints the candidate targets found in a plan."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from indicators.errors import PlanRefused, PlanUnreadable
from indicators.paths import db_path
from indicators.plans import review, service
from indicators.plans.extract import Candidate, extract_file

_COMPARATOR_TEXT = {">=": "≥", "<=": "≤", "~": "≈"}


def candidate_lines(candidates: list[Candidate]) -> list[str]:
    if not candidates:
        return ["没有找到量化目标 / no quantitative target found"]
    lines = []
    for i, c in enumerate(candidates, 1):
        comparator = _COMPARATOR_TEXT.get(c.comparator, c.comparator)
        name = c.indicator or f"{c.proposed_indicator['name_zh']} (新 new)"
        base = f", 基准 baseline {c.baseline_year}" if c.baseline_year else ""
        target = f"{comparator} {c.value:g} {c.unit} by {c.deadline}{base}"
        lines.append(f"{i:>3}. {name} {target} [{c.confidence:.2f}]")
        lines.append(f"     “{c.quote}”")
        if c.responsible or c.cooperating:
            lead, helpers = "、".join(c.responsible) or "—", "、".join(c.cooperating) or "—"
            lines.append(f"     责任 responsible {lead}；配合 cooperating {helpers}")
    return lines


def cmd_extract(args: argparse.Namespace) -> int:
    candidates = extract_file(args.file)
    if args.format == "json":
        json.dump([c.as_json() for c in candidates], sys.stdout, ensure_ascii=False, indent=1)
        print()
    else:
        print("\n".join(candidate_lines(candidates)))
    return 0


def _read(file: str) -> bytes:
    try:
        return Path(file).read_bytes()
    except OSError as exc:
        raise PlanUnreadable(
            f"无法读取规划文件：{file}：{exc.strerror}",
            f"cannot read the plan document: {file}: {exc.strerror}",
        ) from None


def cmd_import(args: argparse.Namespace) -> int:
    from indicators.cli.args import cli_actor

    r = service.import_plan(
        db_path(args.db), _read(args.file), args.file, args.city, cli_actor(args), args.title
    )
    if r.already:
        print(
            f"规划 {r.plan_id} 已导入过同一文件，未作改动 / "
            f"plan {r.plan_id}: the same document was imported before, nothing changed"
        )
    else:
        print(f"规划 plan {r.plan_id}: {r.candidates} 个候选目标 candidate targets (草稿 draft)")
    return 0


def _plain(record: dict[str, object]) -> dict[str, object]:
    return {k: (v.isoformat()[:19] if hasattr(v, "isoformat") else v) for k, v in record.items()}


def cmd_list(args: argparse.Namespace) -> int:
    plans = [_plain(p) for p in service.plan_list(db_path(args.db))]
    if args.format == "json":
        json.dump(plans, sys.stdout, ensure_ascii=False, indent=1)
        print()
        return 0
    for p in plans:
        print(f"{p['id']:>4} {p['status']:<9} {p['city']:<12} {p['candidates']:>4} 候选 {p['title']}")
    if not plans:
        print("还没有导入规划：indicators plan import FILE --city NAME / no plan imported yet")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    document, candidates = service.plan_show(db_path(args.db), args.plan_id)
    if args.format == "json":
        json.dump({**_plain(document), "candidates": candidates}, sys.stdout, ensure_ascii=False, indent=1)
        print()
        return 0
    d = _plain(document)
    print(
        f"规划 plan {d['id']}: {d['title']} "
        f"({d['city']}, {d['status']}, {d['file_name']}, {d['document_date']})"
    )
    print("\n".join(candidate_lines([Candidate(**_fields(c)) for c in candidates])))
    return 0


def _fields(record: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in record.items() if k not in ("n", "review", "edited")}


def cmd_export(args: argparse.Namespace) -> int:
    text = service.export_yaml(db_path(args.db), args.plan_id)
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
        print(f"规划 plan {args.plan_id} written to {args.out}")
    else:
        sys.stdout.write(text)
    return 0


def cmd_review(args: argparse.Namespace) -> int:
    from indicators.cli.args import cli_actor

    edits = {}
    for item in args.edit or []:
        field, sep, text = item.partition("=")
        if not sep:
            raise PlanRefused(
                f"--edit 应写作 字段=值：{item}", f"--edit is written field=value: {item}", "review_invalid"
            )
        edits[field.strip()] = review.parse_edit(field.strip(), text)
    decision = "rejected" if args.reject else "pending" if args.pending else "accepted"
    if args.reject and (edits or args.indicator):
        raise PlanRefused("拒绝时不能同时修改", "--reject takes no --edit or --indicator", "review_invalid")
    c = review.review(
        db_path(args.db), cli_actor(args), args.plan_id, args.n, decision, edits, args.indicator
    )
    print(f"规划 plan {args.plan_id} #{args.n}: {decision}")
    print("\n".join(candidate_lines([Candidate(**_fields(c))])[1:]))
    return 0


def cmd_publish(args: argparse.Namespace) -> int:
    from indicators.cli.args import cli_actor

    ids = review.publish(db_path(args.db), cli_actor(args), args.plan_id)
    print(f"规划 plan {args.plan_id} 已发布 published: {len(ids)} 项目标 targets")
    for target_id in ids:
        print(f"  {target_id}")
    return 0


def register(command: Callable[[str, str], argparse.ArgumentParser]) -> None:
    """Add the `plan` command group to the main parser (`command` makes a subcommand with --db)."""
    p = command("plan", "plan documents: find the targets in a plan (.txt, .html, .docx, .pdf)")
    actions = p.add_subparsers(dest="action", required=True)
    a = actions.add_parser("extract", help="print the candidate targets found in a plan document")
    a.add_argument("file", metavar="FILE")
    a.add_argument("--format", choices=["json", "text"], default="json")
    a.set_defaults(func=cmd_extract)

    def action(name: str, help_text: str) -> argparse.ArgumentParser:
        a = actions.add_parser(name, help=help_text)
        a.add_argument("--db", default=argparse.SUPPRESS, help="database file (as for every command)")
        return a

    a = action("import", "store a plan document and its candidate targets as a draft (administrators)")
    a.add_argument("file", metavar="FILE")
    a.add_argument("--city", required=True, help="code, Chinese or English name")
    a.add_argument("--title", help="default: the first line naming a plan (…方案, …规划, …要点)")
    a.add_argument("--user", help="the account that imports (default: the local operator, as administrator)")
    a.set_defaults(func=cmd_import)
    a = action("list", "the imported plans")
    a.add_argument("--format", choices=["text", "json"], default="text")
    a.set_defaults(func=cmd_list)
    a = action("show", "one imported plan and its candidates")
    a.add_argument("plan_id", metavar="ID", type=int)
    a.add_argument("--format", choices=["text", "json"], default="text")
    a.set_defaults(func=cmd_show)
    a = action("review", "accept (default), edit or reject one candidate of a draft plan (administrators)")
    a.add_argument("plan_id", metavar="ID", type=int)
    a.add_argument("n", metavar="N", type=int, help="the candidate's number (plan show)")
    decision = a.add_mutually_exclusive_group()
    decision.add_argument("--accept", action="store_true", help="accept it (the default)")
    decision.add_argument("--reject", action="store_true", help="reject it: it will not become a target")
    decision.add_argument("--pending", action="store_true", help="undecided again")
    a.add_argument(
        "--edit",
        action="append",
        metavar="FIELD=VALUE",
        help=f"change a field ({', '.join(review.EDITABLE)})",
    )
    a.add_argument(
        "--indicator", metavar="CODE", help="the indicator it is about (indicator add for a new one)"
    )
    a.add_argument("--user", help="the account that reviews (default: the local operator, as administrator)")
    a.set_defaults(func=cmd_review)
    a = action("publish", "turn the accepted candidates of a reviewed plan into targets (administrators)")
    a.add_argument("plan_id", metavar="ID", type=int)
    a.add_argument(
        "--user", help="the account that publishes (default: the local operator, as administrator)"
    )
    a.set_defaults(func=cmd_publish)
    a = action("export", "an imported plan in the catalog's YAML format (data/targets/*.yaml)")
    a.add_argument("plan_id", metavar="ID", type=int)
    a.add_argument("--out", metavar="FILE", help="default: standard output")
    a.set_defaults(func=cmd_export)
