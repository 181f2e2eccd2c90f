"""Imported plans: a document and the candidates found in it, kept as a draft; listed, shown, exported.

`import_plan` stores the document as given (bytes, SHA-256, title, the date found in it) and its candidates
in one audited transaction; the same document imported again is recognised by its SHA-256 and not stored
twice. `export_yaml` writes a plan in the shipped catalog format (data/targets/*.yaml), so that a reviewed
plan can be kept as data.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import yaml

from indicators import store
from indicators.accounts.actor import Actor
from indicators.catalog.load import load
from indicators.errors import UnknownName
from indicators.plans import dates
from indicators.plans.extract import extract_text
from indicators.plans.normalise import normalise
from indicators.plans.read import read_bytes
from indicators.store import db

_TITLE_WORDS = ("方案", "规划", "要点", "计划", "意见", "通知", "安排")


@dataclass(frozen=True)
class Imported:
    plan_id: int
    candidates: int
    already: bool  # the same document (SHA-256) had been imported before: nothing was written


def title_of(text: str, file_name: str) -> str:
    """The first short line that names a plan (…方案, …规划, …要点), else the file name."""
    for line in text.splitlines()[:40]:
        line = line.strip(" \t-*>[]")
        if 4 <= len(line) <= 60 and line.endswith(_TITLE_WORDS) and "。" not in line:
            return line
    return Path(file_name).stem


def import_plan(
    path: Path | str, data: bytes, file_name: str, city: str, actor: Actor, title: str | None = None
) -> Imported:
    actor.require_admin("导入规划", "import a plan")
    text = read_bytes(data, file_name)  # refuses an unreadable document before anything is opened
    sha = hashlib.sha256(data).hexdigest()
    store.init(path)
    with db.connect(path) as con:
        code = store.resolve_city(con, city)
        known = store.plan_with_sha(con, sha)
        if known is not None:
            return Imported(known, len(store.plan_candidates(con, known)), True)
        candidates = [c.as_json() for c in extract_text(text, load().indicators)]
        document: dict[str, object] = {
            "city": code,
            "title": title or title_of(text, file_name),
            "file_name": Path(file_name).name,
            "sha256": sha,
            "content": data,
            "document_date": dates.document_date(normalise(text).text),
            "imported_by": actor.name,
        }

        def audit(con_: object, plan_id: int) -> None:
            detail: dict[str, object] = {"file": document["file_name"], "sha256": sha}
            detail["candidates"] = len(candidates)
            store.audit(con, actor.name, "plan_import", subject=f"plan {plan_id}", detail=detail)

        plan_id = store.insert_plan(con, document, candidates, audit)
    return Imported(plan_id, len(candidates), False)


def plan_list(path: Path | str) -> list[dict[str, object]]:
    store.init(path)
    with db.connect(path, read_only=True) as con:
        return store.plans_list(con).to_dict("records")


def plan_show(path: Path | str, plan_id: int) -> tuple[dict[str, object], list[dict[str, object]]]:
    """The plan (without its bytes) and its candidates; UnknownName for an id not imported."""
    store.init(path)
    with db.connect(path, read_only=True) as con:
        document = store.plan_document(con, plan_id)
        if document is None:
            raise UnknownName(f"没有编号为 {plan_id} 的规划", f"no plan with id {plan_id}")
        document.pop("content")
        return document, store.plan_candidates(con, plan_id)


def export_yaml(path: Path | str, plan_id: int) -> str:
    """The plan in the shipped catalog format; rejected candidates are left out. A candidate whose
    indicator is new keeps `indicator: null` and its `proposed_indicator` for the reviewer to define."""
    document, candidates = plan_show(path, plan_id)
    kept = [c for c in candidates if c["review"] != "rejected"]
    years = sorted({int(str(c["deadline"])[:4]) for c in kept})
    targets = []
    for c in kept:
        target = {
            "id": f"{document['city']}-plan{plan_id}-{c['n']}",
            "indicator": c["indicator"],
            "comparator": c["comparator"],
            "value": c["value"],
            "unit": c["unit"],
            "deadline": c["deadline"],
            "stage": c["stage"],
            "baseline_year": c["baseline_year"],
            "baseline_value": c["baseline_value"],
            "quote": c["quote"],
            "responsible": c["responsible"],
            "cooperating": c["cooperating"],
        }
        if c["indicator"] is None:
            target["proposed_indicator"] = c["proposed_indicator"]
        targets.append(target)
    when = document["document_date"]
    out = {
        "source_file": document["file_name"],
        "city": document["city"],
        "plan": {
            "title_zh": document["title"],
            "title_en": document["title"],
            "document_date": when.isoformat() if when else None,  # type: ignore[attr-defined]
            "first_year": years[0] if years else None,
            "last_year": years[-1] if years else None,
        },
        "targets": targets,
    }
    header = f"# Targets of {document['title']} (plan {plan_id}, imported from {document['file_name']}).\n"
    return header + yaml.safe_dump(out, allow_unicode=True, sort_keys=False, width=100)


def plan_text(path: Path | str, plan_id: int) -> str:
    """The text of an imported document, as the extractor read it: candidates' `start`/`end` index it."""
    store.init(path)
    with db.connect(path, read_only=True) as con:
        document = store.plan_document(con, plan_id)
    if document is None:
        raise UnknownName(f"没有编号为 {plan_id} 的规划", f"no plan with id {plan_id}")
    content = document["content"]
    assert isinstance(content, bytes)
    return read_bytes(content, str(document["file_name"]))


def context(text: str, start: int, end: int, width: int = 120) -> tuple[str, str, str]:
    """The clause text[start:end] with up to `width` characters of its paragraph on each side (cut at a
    line break, so that the surrounding text is the clause's own paragraph)."""
    start, end = max(0, start), min(len(text), end)
    lo = max(0, start - width)
    hi = min(len(text), end + width)
    before, after = text[lo:start], text[end:hi]
    if "\n" in before.rstrip("\n"):
        before = before[before.rstrip("\n").rindex("\n") + 1 :]
    if "\n" in after.lstrip("\n"):
        after = after[: after.index("\n", len(after) - len(after.lstrip("\n")))]
    return (
        ("…" if lo > 0 and before == text[lo:start] else "") + before,
        text[start:end],
        after + ("…" if hi < len(text) and after == text[end:hi] else ""),
    )


def indicator_choices(path: Path | str) -> list[tuple[str, str, str]]:
    """(code, name_zh, name_en) of every indicator a candidate may be mapped to (the catalog's and those
    added), by code."""
    with db.connect(path, read_only=True) as con:
        return [
            (str(k["code"]), str(k["name_zh"]), str(k["name_en"]))
            for k in store.catalog_names(con, "indicators")
        ]
