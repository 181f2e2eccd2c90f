"""Find the quantitative targets of a plan: one candidate per commitment, with its verbatim quote.

Rule-based over the normalised text (see normalise.py): a sentence is cut into clauses; in a clause, a value
with its unit (VALUE) and the words before and after it decide the comparator; a clause without a value may
still be all-or-none (全面完成 -> >= 100 %, 不发生…事件 -> <= 0). Descriptions of the past (截至…), scope
thresholds inside standing rules (不再新建20蒸吨/小时以下…), enumerations (等3项), slogans (“六个100%”),
approximate counts (20多家), dates and document numbers are not targets.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from indicators.catalog.load import Indicator
from indicators.plans import dates, owners, tables, values
from indicators.plans import lexicon as lx
from indicators.plans.mapping import Mapper, Proposal, polarity_of, propose
from indicators.plans.normalise import Normalised, normalise
from indicators.plans.read import read_path

_SENTENCE = re.compile(r"[^。;!?\n]+[。;!?]?")
_CLAUSE_BREAK = re.compile(r"(?<!\d),(?!\d)|:")
_OWNER_NOTE = re.compile(r"\((?:责任单位|牵头单位|配合单位|责任部门|[^()]{0,40}牵头)(?:[^()]|\([^()]*\))*\)")
_TIME_ONLY = re.compile(
    rf"^\s*(?:到|至|力争到|确保到|争取到|在)?{dates.YEAR}(?:[-—–]{dates.YEAR})?年[^,]{{0,6}}$"
)
_NUMBERING = re.compile(
    r"\s*(?:\d{1,2}[.、](?!\d)|\(\d{1,2}\)|[一二三四五六七八九十]+、|\([一二三四五六七八九十]+\))?\s*"
)
_GOAL_YEAR = re.compile(r"(?:到|至)((?:19|20)\d{2})年")


@dataclass
class Candidate:
    quote: str
    comparator: str
    value: float
    unit: str
    deadline: str
    baseline_year: int | None
    baseline_value: float | None
    stage: str
    indicator: str | None
    proposed_indicator: dict[str, str]
    responsible: list[str] = field(default_factory=list)
    cooperating: list[str] = field(default_factory=list)
    confidence: float = 0.5
    start: int = 0  # the quote's span in the document's text (characters)
    end: int = 0

    def as_json(self) -> dict[str, object]:
        out = asdict(self)
        for key in ("value", "baseline_value"):  # 98, not 98.0, as `targets --format json` writes it
            if isinstance(out[key], float) and out[key].is_integer():
                out[key] = int(out[key])
        return out


@dataclass(frozen=True)
class Context:
    norm: Normalised
    mapper: Mapper
    default_year: int
    month_year: int
    notes: list[owners.Owners]
    headings: list[int]


def _clauses(sentence: str, offset: int) -> list[tuple[int, int]]:
    """(start, end) of each clause of a sentence, in document positions."""
    cuts = [0] + [m.end() for m in _CLAUSE_BREAK.finditer(sentence)] + [len(sentence)]
    for note in _OWNER_NOTE.finditer(sentence):  # "(责任单位:…)" ends a clause and is none of it
        cuts = [c for c in cuts if not note.start() < c < note.end()] + [note.start(), note.end()]
    cuts = sorted(set(cuts))
    return [(offset + a, offset + b) for a, b in zip(cuts, cuts[1:], strict=False) if sentence[a:b].strip()]


def _quote_span(ctx: Context, clauses: list[tuple[int, int]], i: int) -> tuple[int, int]:
    """The clause, with a preceding clause that is only a time ("到2020年,") included."""
    start, end = clauses[i]
    text = ctx.norm.text
    if i > 0 and _TIME_ONLY.match(text[clauses[i - 1][0] : clauses[i - 1][1]].rstrip(",:")):
        start = clauses[i - 1][0]
    numbering = _NUMBERING.match(text, start, end)
    if numbering:
        start = numbering.end()
    while end > start and text[end - 1] in ",:;。 \t\u3000":
        end -= 1
    return start, end


def _deadline(
    ctx: Context, sentence_deadlines: list[dates.Deadline], at: int, carried: dt.date | None
) -> dt.date:
    before = [d for d in sentence_deadlines if d.start < at]
    if before:
        return before[-1].date
    after = [d for d in sentence_deadlines if d.start >= at]
    if after:
        return after[0].date
    return carried or dt.date(ctx.default_year, 12, 31)


def _candidate(
    ctx: Context,
    span: tuple[int, int],
    at: int,
    subject: str,
    found: tuple[str, float, float, str, str],
    deadline: dt.date,
    baseline: tuple[int | None, float | None],
) -> Candidate:
    comparator, value, confidence, unit, kind = found
    relative = comparator in ("reduce_by", "yoy_reduce_by", "growth_le")
    indicator, exact = ctx.mapper.match(subject, unit, relative)
    if comparator == ">=" and indicator is not None and indicator.polarity == "lower" and not relative:
        comparator = "<="  # "PM2.5年均浓度达到33微克/立方米": reaching a level of a lower-is-better indicator
    elif (
        comparator == ">="
        and indicator is None
        and kind == "concentration"
        and polarity_of(subject) == "lower"
    ):
        comparator = "<="
    proposal: Proposal = propose(subject or ctx.norm.text[span[0] : span[1]][:20], unit, kind, comparator)
    note = owners.owners_at(at, ctx.notes, ctx.headings)
    s, e = ctx.norm.span(*span)
    return Candidate(
        quote=ctx.norm.original[s:e],
        comparator=comparator,
        value=value,
        unit=unit,
        deadline=deadline.isoformat(),
        baseline_year=baseline[0],
        baseline_value=baseline[1],
        stage=str(deadline.year),
        indicator=indicator.code if indicator else None,
        proposed_indicator=asdict(proposal),
        responsible=list(note.responsible) if note else [],
        cooperating=list(note.cooperating) if note else [],
        confidence=round(min(0.95, confidence + (0.1 if exact else 0.0 if indicator else -0.1)), 2),
        start=s,
        end=e,
    )


def _sentence(
    ctx: Context, start: int, end: int, carried: dt.date | None, past: bool
) -> tuple[list[Candidate], dt.date | None]:
    text = ctx.norm.text
    sentence = text[start:end]
    found_deadlines = dates.deadlines(sentence, ctx.month_year)
    if past and not found_deadlines and not lx.COMMITMENT.search(sentence):
        return [], carried  # still telling what happened before (the sentence after a 截至…)
    clauses = _clauses(sentence, start)
    numbering = _NUMBERING.match(sentence)
    # "(1)全面淘汰燃煤锅炉。": the title of a work item, whose sentences say what is to be done
    heading_only = bool(numbering and numbering.group().strip()) and len(sentence.strip()) <= 16
    out: list[Candidate] = []
    for i, (cs, ce) in enumerate(clauses):
        clause = text[cs:ce]
        before = text[start:cs]
        found_here = values.values(clause, cs, before)
        if not found_here and not heading_only:
            whole = values.all_or_none(clause, cs, before)
            found_here = [whole] if whole else []
        span = _quote_span(ctx, clauses, i)
        for at, subject, (comparator, value, confidence, unit, kind, baseline) in found_here:
            deadline = _deadline(ctx, found_deadlines, at - start, carried)
            found = (comparator, value, confidence, unit, kind)
            out.append(_candidate(ctx, span, at, subject, found, deadline, baseline))
    if found_deadlines:
        carried = found_deadlines[-1].date
    return out, carried


def extract_text(original: str, indicators: Sequence[Indicator] = ()) -> list[Candidate]:
    """The candidate targets of a plan's text, in document order."""
    norm = normalise(original)
    text = norm.text
    yearly, horizon = dates.plan_years(text)
    signed = dates.document_date(text)
    goals = [int(y) for y in _GOAL_YEAR.findall(text)]
    default_year = (
        yearly
        or horizon
        or (max(goals) if goals else None)
        or (signed.year if signed else dt.date.today().year)
    )
    notes, headings = owners.find(text)
    ctx = Context(norm, Mapper(indicators), default_year, yearly or default_year, notes, headings)
    table = [_table_candidate(ctx, row) for row in tables.rows(text)]
    in_table = {(c.start, c.end) for c in table}
    out: list[Candidate] = list(table)
    line_start = 0
    carried: dt.date | None = None
    past = False
    for m in _SENTENCE.finditer(text):
        if any(s <= norm.starts[m.start()] < e for s, e in in_table):
            continue
        newline = text.rfind("\n", 0, m.start())
        if newline != line_start:
            line_start, carried, past = newline, None, False  # a deadline carries within its paragraph
        found, carried = _sentence(ctx, m.start(), m.end(), carried, past)
        past = bool(lx.PAST.search(m.group()[:12])) or (
            past and not found and not lx.COMMITMENT.search(m.group())
        )
        out.extend(found)
    return _unique(sorted(out, key=lambda c: c.start))


def _table_candidate(ctx: Context, row: tables.Row) -> Candidate:
    """A row of an indicator table as a candidate (the comparator from the cell, else the polarity)."""
    name = re.sub(r"[(（][^()（）]{1,12}[)）]\s*$", "", row.name)
    kind = lx.unit_kind(row.unit) if row.unit in lx.UNITS or row.unit[1:] in lx.UNITS else "level"
    comparator = row.comparator or ("reduce_by" if row.relative else "")
    indicator, exact = ctx.mapper.match(name, row.unit, comparator == "reduce_by")
    if not comparator:
        lower = indicator.polarity == "lower" if indicator else polarity_of(name) == "lower"
        comparator = "<=" if lower else ">="
    s, e = ctx.norm.span(row.start, row.end)
    return Candidate(
        quote=ctx.norm.original[s:e],
        comparator=comparator,
        value=row.value,
        unit=row.unit,
        deadline=f"{row.year}-12-31",
        baseline_year=row.baseline_year,
        baseline_value=row.baseline_value,
        stage=str(row.year),
        indicator=indicator.code if indicator else None,
        proposed_indicator=asdict(propose(name, row.unit, kind, comparator)),
        confidence=0.8 if exact else 0.7 if indicator else 0.6,
        start=s,
        end=e,
    )


def _unique(found: list[Candidate]) -> list[Candidate]:
    seen: set[tuple[object, ...]] = set()
    out = []
    for c in found:
        k = (c.start, c.end, c.comparator, c.value, c.proposed_indicator["name_zh"], c.indicator)
        if k not in seen:
            seen.add(k)
            out.append(c)
    return out


def extract_file(path: str | Path, indicators: Sequence[Indicator] | None = None) -> list[Candidate]:
    """Read a plan document and extract its candidate targets, mapped to the catalog's indicators."""
    if indicators is None:
        from indicators.catalog.load import load

        indicators = load().indicators
    return extract_text(read_path(path), indicators)
