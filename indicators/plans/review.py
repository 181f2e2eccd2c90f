"""Reviewing an imported plan and publishing it.

A reviewer accepts, edits or rejects each candidate and maps it to an indicator (an existing one, or one
added first with `indicator add`); every decision is stored as a new row (the history) and audited.
Publishing turns the accepted candidates into targets, checked exactly as the catalog's YAML targets are,
with their provenance (plan, document, verbatim clause and its offsets), in one audited transaction. A plan
is published once, and only when no candidate is left undecided."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path

from indicators import store
from indicators.accounts.actor import Actor
from indicators.catalog import load as cat
from indicators.catalog.checker import Checker, Problem
from indicators.errors import CatalogInvalid, PlanRefused, UnknownName
from indicators.store import db
from indicators.store.db import Connection
from indicators.vocabulary import COMPARATORS

DECISIONS = ("accepted", "rejected", "pending")
EDITABLE = (
    "comparator",
    "value",
    "unit",
    "deadline",
    "stage",
    "baseline_year",
    "baseline_value",
    "responsible",
    "cooperating",
)
_NUMBERS = {"value": float, "baseline_value": float, "baseline_year": int}
_SEPARATORS = ("、", "，", ",", ";", "；")


def _refused(code: str, zh: str, en: str) -> PlanRefused:
    return PlanRefused(zh, en, code)


def parse_edit(field: str, text: str) -> object:
    """One edited field from the text a person types ('95'; 'A、B' for units); an empty text clears an
    optional field."""
    if field not in EDITABLE:
        raise _refused(
            "review_invalid",
            f"不能修改字段 {field}（可修改：{'、'.join(EDITABLE)}）",
            f"field {field} cannot be edited (editable: {', '.join(EDITABLE)})",
        )
    text = text.strip()
    if field in ("responsible", "cooperating"):
        for sep in _SEPARATORS[1:]:
            text = text.replace(sep, _SEPARATORS[0])
        return [s.strip() for s in text.split(_SEPARATORS[0]) if s.strip()]
    if field in _NUMBERS:
        if not text:
            if field == "value":
                raise _refused("review_invalid", "目标值不能为空", "the target value cannot be empty")
            return None
        try:
            return _NUMBERS[field](text.replace("，", "").replace(",", ""))
        except ValueError:
            raise _refused(
                "review_invalid", f"{field} 不是数字：{text}", f"{field} is not a number: {text}"
            ) from None
    if field == "deadline":
        try:
            return cat.parse_deadline(text).isoformat()
        except ValueError:
            raise _refused(
                "review_invalid",
                f"期限应写作 YYYY、YYYY-MM 或 YYYY-MM-DD：{text}",
                f"deadline {text!r} is not YYYY-MM-DD",
            ) from None
    if field == "comparator" and text not in COMPARATORS:
        raise _refused(
            "review_invalid",
            f"比较方式 {text} 不在 {'、'.join(COMPARATORS)} 之中",
            f"comparator {text!r} is not one of {', '.join(COMPARATORS)}",
        )
    return text


def _candidate(con: Connection, plan_id: int, n: int) -> tuple[dict[str, object], dict[str, object]]:
    """The plan document (without bytes) and its candidate n as reviewed so far."""
    document = store.plan_document(con, plan_id)
    if document is None:
        raise UnknownName(f"没有编号为 {plan_id} 的规划", f"no plan with id {plan_id}")
    document.pop("content")
    candidates = {int(str(c["n"])): c for c in store.plan_candidates(con, plan_id)}
    if n not in candidates:
        raise _refused(
            "review_invalid", f"规划 {plan_id} 没有第 {n} 个候选目标", f"plan {plan_id} has no candidate {n}"
        )
    return document, candidates[n]


def _indicators(con: Connection) -> dict[str, cat.Indicator]:
    rows = con.execute("SELECT * FROM indicators").df().to_dict("records")
    return {str(r["code"]): cat.Indicator(**r) for r in rows}


def review(
    path: Path | str,
    actor: Actor,
    plan_id: int,
    n: int,
    decision: str,
    edits: Mapping[str, object] | None = None,
    indicator: str | None = None,
) -> dict[str, object]:
    """Record a decision (accepted, rejected, pending) on candidate n of a draft plan, with edited fields
    (already parsed, see parse_edit) and the indicator it is mapped to; return the candidate as reviewed.
    An accepted candidate must make a valid target now (the checks of publish), so that mistakes show at
    once, beside the candidate."""
    actor.require_admin("审核规划", "review plans")
    if decision not in DECISIONS:
        raise _refused("review_invalid", f"未知的审核结论：{decision}", f"unknown decision: {decision}")
    with db.connect(path) as con:
        if store.is_published(con, plan_id):
            raise _refused(
                "plan_published", f"规划 {plan_id} 已发布，不能再修改", f"plan {plan_id} is published already"
            )
        document, candidate = _candidate(con, plan_id, n)
        known = _indicators(con)
        _previous, fields = store.latest_reviews(con, plan_id).get(n, ("pending", {}))
        fields = {**fields, **(edits or {})}
        if indicator is not None:
            if indicator not in known:
                raise UnknownName(f"未知指标：{indicator}", f"unknown indicator: {indicator}")
            fields["indicator"] = indicator
        reviewed = {**candidate, **fields, "review": decision}
        if decision == "accepted":
            _target(reviewed, document, _plan_of(document, [reviewed]), known)

        def audit(con_: Connection) -> None:
            detail = {"n": n, "review": decision, "fields": fields}
            store.audit(con_, actor.name, "plan_review", subject=f"plan {plan_id}", detail=detail)

        store.insert_review(con, plan_id, n, decision, fields, actor.name, audit)
    return reviewed


def _plan_of(document: Mapping[str, object], accepted: list[dict[str, object]]) -> cat.Plan:
    """The plans row of a published plan: its first year is the year of its document (or of its earliest
    deadline, when earlier or undated), its last year that of its latest deadline."""
    years = [int(str(c["deadline"])[:4]) for c in accepted]
    when = document.get("document_date")
    first = min([*years, when.year] if isinstance(when, dt.date) else years)
    return cat.Plan(
        source_file=str(document["file_name"]),
        city=str(document["city"]),
        title_zh=str(document["title"]),
        title_en=str(document["title"]),
        document_date=when if isinstance(when, dt.date) else None,
        first_year=first,
        last_year=max(years),
    )


def _target_id(document: Mapping[str, object], n: object) -> str:
    return f"{document['city']}-plan{document['id']}-{n}"


def _target(
    candidate: Mapping[str, object],
    document: Mapping[str, object],
    plan: cat.Plan,
    known: dict[str, cat.Indicator],
) -> cat.Target:
    """The target a candidate makes, checked as a YAML target is; CatalogInvalid listing its problems."""
    problems: list[Problem] = []
    n = candidate["n"]
    if not candidate.get("indicator"):
        problems.append(
            Problem(f"plan {document['id']}", f"#{n}", "indicator", "map it to an indicator first")
        )
    raw = {k: candidate.get(k) for k in ("indicator", "comparator", "value", "unit", "deadline", "stage")}
    raw |= {k: candidate.get(k) for k in ("baseline_year", "baseline_value", "quote")}
    raw |= {"id": _target_id(document, n), "responsible": candidate.get("responsible") or []}
    raw |= {"cooperating": candidate.get("cooperating") or []}
    target = cat.target_from(Checker(problems, f"plan {document['id']}", f"#{n}", raw), plan, known)
    if problems or target is None:
        raise CatalogInvalid(problems)
    return target


def publish(path: Path | str, actor: Actor, plan_id: int) -> list[str]:
    """Turn the accepted candidates of a reviewed plan into targets (one transaction, audited); return
    their ids."""
    actor.require_admin("发布规划", "publish plans")
    with db.connect(path) as con:
        document = store.plan_document(con, plan_id)
        if document is None:
            raise UnknownName(f"没有编号为 {plan_id} 的规划", f"no plan with id {plan_id}")
        document.pop("content")
        if store.is_published(con, plan_id):
            raise _refused(
                "plan_published", f"规划 {plan_id} 已发布过", f"plan {plan_id} is published already"
            )
        candidates = store.plan_candidates(con, plan_id)
        pending = [str(c["n"]) for c in candidates if c["review"] == "pending"]
        listed = ", ".join(pending)
        if pending:
            raise _refused(
                "plan_unresolved",
                f"规划 {plan_id} 还有 {len(pending)} 个候选目标未审核（{'、'.join(pending)}）",
                f"plan {plan_id}: {len(pending)} candidate(s) neither accepted nor rejected ({listed})",
            )
        accepted = [c for c in candidates if c["review"] == "accepted"]
        if not accepted:
            raise _refused(
                "plan_empty",
                f"规划 {plan_id} 没有接受的候选目标",
                f"plan {plan_id} has no accepted candidate",
            )
        known = _indicators(con)
        plan = _plan_of(document, accepted)
        problems: list[Problem] = []
        rows = []
        for c in accepted:
            try:
                t = _target(c, document, plan, known)
            except CatalogInvalid as exc:
                problems.extend(exc.problems)
                continue
            row = {f: getattr(t, f) for f in cat.Target.__dataclass_fields__}
            row |= {"responsible": list(t.responsible), "cooperating": list(t.cooperating)}
            row |= {"deadline": t.deadline.isoformat(), "stage": str(t.stage)}
            rows.append((int(str(c["n"])), c.get("start"), c.get("end"), row))
        if problems:
            raise CatalogInvalid(problems)
        plan_row = {f: getattr(plan, f) for f in cat.Plan.__dataclass_fields__}
        ids = [str(r[3]["id"]) for r in rows]

        def audit(con_: Connection) -> None:
            detail = {"targets": ids, "sha256": document["sha256"], "file": document["file_name"]}
            store.audit(con_, actor.name, "plan_publish", subject=f"plan {plan_id}", detail=detail)

        store.publish_plan(con, plan_id, plan_row, rows, actor.name, audit)  # type: ignore[arg-type]
    return ids
