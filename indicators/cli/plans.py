"""`indicators plan …`: plan documents. `plan extract FILE` prints the candidate targets found in a plan."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable

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


def register(command: Callable[[str, str], argparse.ArgumentParser]) -> None:
    """Add the `plan` command group to the main parser (`command` makes a subcommand with --db)."""
    p = command("plan", "plan documents: find the targets in a plan (.txt, .html, .docx, .pdf)")
    actions = p.add_subparsers(dest="action", required=True)
    a = actions.add_parser("extract", help="print the candidate targets found in a plan document")
    a.add_argument("file", metavar="FILE")
    a.add_argument("--format", choices=["json", "text"], default="json")
    a.set_defaults(func=cmd_extract)
