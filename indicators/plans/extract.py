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
from indicators.plans import dates, owners
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
_LEADING_FILLER = re.compile(
    rf"^(?:[\s\d.、()]*)(?:(?:到|至|力争到|确保到|争取到|在)?{dates.YEAR}年(?:底|末|年底|前)*|"
    r"\d{1,2}月底前|年底前|确保|力争|争取|要|将|使|全市|全区|全县|我市|我区|实现|并|同时|其中)*"
)
_TRAILING_WORDS = re.compile(
    r"(?:分别|均|都|稳定|持续|全面|基本|要|必须|应|确保|力争|提高|提升|增加|达到|达|实现|不低于|不少于|"
    r"不高于|不超过|控制在|降至|降到|下降|降低|减少|保持在|稳定在|比例|为|在|以上|的)+$"
)
_NUMBERING = re.compile(
    r"\s*(?:\d{1,2}[.、](?!\d)|\(\d{1,2}\)|[一二三四五六七八九十]+、|\([一二三四五六七八九十]+\))?\s*"
)
_GOAL_YEAR = re.compile(r"(?:到|至)((?:19|20)\d{2})年")
_COUNT_TAIL = re.compile(r"(?:以上|任务|工作|\d{1,2}月底前|年底前|必须|完成|结账|[,。;].*)+$")
_ENUM_JOIN = re.compile(r"^\s*(?:、|和|及|与|,|以及)\s*$")


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


def _subject(prefix: str) -> str:
    s = _LEADING_FILLER.sub("", prefix)
    s = _TRAILING_WORDS.sub("", s)
    return s.strip(' ,:、“”"')


def _groups(clause: str) -> list[list[re.Match[str]]]:
    """Values of a clause, those written as one enumeration (80微克/立方米、33微克/立方米) grouped."""
    groups: list[list[re.Match[str]]] = []
    for m in lx.VALUE.finditer(clause):
        if groups and _ENUM_JOIN.match(clause[groups[-1][-1].end() : m.start()]):
            groups[-1].append(m)
        else:
            groups.append([m])
    return groups


def _not_a_target(clause: str, group: list[re.Match[str]], sentence_before: str) -> bool:
    first, last = group[0], group[-1]
    prefix, after = clause[: first.start()], clause[last.end() :]
    kind = lx.UNITS[first.group("unit")]
    if first.group("more") or lx.VAGUE_BEFORE.search(prefix) or lx.SLOGAN.search(prefix):
        return True
    if lx.PAST.search(sentence_before + prefix) or kind in ("points", "permille", "ratio"):
        return True
    if lx.SCOPE_BEFORE.search(prefix) or lx.NAMED_AFTER.match(after):
        return True
    if kind == "times" and lx.STANDING_BEFORE.search(prefix):
        return True  # "每月研究一次": a standing rule
    if kind == "count" and lx.SCOPE_AFTER_COUNT.match(after):
        return True  # "常住人口1000人以上的聚居点": which places, not how many
    if kind == "size" or (kind not in ("percent", "count") and lx.SCOPE_AFTER.match(after)):
        return True  # a size that says which things a rule covers, not how many
    return bool(re.match(r"^\s*(?:号|字|届|次会议|期|批次|周年|岁)", after))


def _comparator(clause: str, group: list[re.Match[str]]) -> tuple[str, float]:
    """(comparator, confidence) of a value group, '' when the words say no commitment."""
    first, last = group[0], group[-1]
    prefix, after = clause[: first.start()], clause[last.end() :]
    kind = lx.UNITS[first.group("unit")]
    percent = kind == "percent"
    if percent and lx.GROWTH_CAP.search(prefix):
        return "growth_le", 0.85
    if percent and lx.YOY.search(prefix):
        return "yoy_reduce_by", 0.85
    if lx.SUFFIX_AROUND.match(after) or lx.AROUND.search(prefix):
        return "~", 0.8
    if lx.AT_MOST.search(prefix) or lx.SUFFIX_AT_MOST.match(after):
        return "<=", 0.85
    if kind in ("amount", "money") and lx.AMOUNT_SAVED.search(prefix):
        return ">=", 0.7  # "化肥减量1200吨": an amount saved, at least
    if lx.REDUCE.search(prefix):
        return ("reduce_by", 0.85) if percent else (">=", 0.6)
    counted = kind == "count" and lx.COUNT_VERBS.search(clause)
    if lx.AT_LEAST.search(prefix) or lx.SUFFIX_AT_LEAST.match(after):
        return ("count_done", 0.8) if counted else (">=", 0.85)
    if counted:
        return "count_done", 0.75
    if percent and re.match(r"^\s*(?:达标|达到|完成|覆盖|合格|优于|实现)", after):
        return ">=", 0.75
    if percent and re.search(r"(?:率|比例|比率|占比|覆盖面)$", prefix):
        return ">=", 0.6
    if re.search(r"达到|提高|提升|实现|超过", prefix) and kind not in ("count",):
        return ">=", 0.55
    return "", 0.0


def _subjects(prefix: str, n: int) -> list[str]:
    subject = _subject(prefix)
    parts = [p for p in re.split(r"、|和(?=[\u4e00-\u9fff])|及(?=[\u4e00-\u9fff])", subject) if p]
    if n > 1 and len(parts) == n:
        # 可吸入颗粒物(PM10)、细颗粒物(PM2.5)年均浓度: the shared tail belongs to every name
        tail = re.search(
            r"(?:年均浓度|平均浓度|浓度|利用率|覆盖率|覆盖面|处理率|达标率|比例|用量|施用量)$", parts[-1]
        )
        return [p if tail is None or p.endswith(tail.group()) else p + tail.group() for p in parts]
    return [subject] * n


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


def _baseline(prefix: str) -> tuple[int | None, float | None]:
    m = lx.BASELINE.search(prefix)
    year = int(m.group("y") or m.group("y2") or m.group("y3")) if m else None
    return year, None


def _values(ctx: Context, clause: str, offset: int, sentence_before: str) -> list[tuple[int, str, tuple]]:
    """(position, subject, (comparator, value, confidence, unit, kind, baseline)) per value of a clause."""
    out: list[tuple[int, str, tuple]] = []
    groups = _groups(clause)
    for n, group in enumerate(groups):
        if _not_a_target(clause, group, sentence_before):
            continue
        comparator, confidence = _comparator(clause, group)
        if not comparator:
            continue
        # the subject of a value starts after the value before it: "城区…达到80%、农村…达到50%"
        own_start = groups[n - 1][-1].end() if n else 0
        prefix = clause[: group[0].start()]
        own_prefix = re.sub(r"^(?:以上|以下|左右)?[、和及]?", "", clause[own_start : group[0].start()])
        things_end = groups[n + 1][0].start() if n + 1 < len(groups) else len(clause)
        baseline = _baseline(sentence_before + prefix) if comparator == "reduce_by" else (None, None)
        from_to = lx.FROM_TO.search(prefix)
        if from_to:
            baseline = (int(from_to.group("y")) if from_to.group("y") else None, float(from_to.group("num")))
        subjects = _subjects(own_prefix, len(group))
        if len(group) == 1 and re.search(r"(?:均|都)[^,]{0,4}$", own_prefix):
            shared = [p for p in re.split(r"和|、|及|与", _subject(own_prefix)) if len(p) >= 2]
            subjects = shared if len(shared) > 1 else subjects
            group = group * len(subjects)
        if comparator == "count_done":  # the things counted follow the number: 完成293家规模餐饮企业油烟治理
            things = _COUNT_TAIL.sub("", clause[group[-1].end() : things_end]).strip(" ,。;、")
            subjects = [_subject(own_prefix) + things for _ in subjects] if things else subjects
        for m, subject in zip(group, subjects, strict=False):
            unit = m.group("unit")
            unit = {"微克每立方米": "微克/立方米"}.get(unit, unit)
            found = (comparator, float(m.group("num")), confidence, unit, lx.UNITS[m.group("unit")], baseline)
            out.append((offset + m.start(), subject, found))
    if not out:
        c = lx.COEFFICIENT.search(clause)
        if c and not lx.PAST.search(sentence_before):
            subject = _subject(clause[: c.start("num")])
            out.append(
                (
                    offset + c.start("num"),
                    subject,
                    (">=", float(c.group("num")), 0.7, "dimensionless", "level", (None, None)),
                )
            )
    return out


def _all_or_none(clause: str, offset: int, sentence_before: str) -> tuple[int, str, tuple] | None:
    if lx.PAST.search(sentence_before + clause) or lx.GENERIC_ALL.search(clause):
        return None
    event = lx.NO_EVENT.search(clause)
    if event:
        return offset + event.start(), clause[event.start() :], ("<=", 0.0, 0.6, "件", "count", (None, None))
    none_left = lx.NONE_LEFT.search(clause)
    if none_left:
        obj = clause[none_left.end() :].strip(" ,。;") or clause[: none_left.start()]
        unit = next((u for pattern, u in lx.COUNT_UNIT_BY_NOUN if pattern.search(obj)), "个")
        subject = _subject(clause[: none_left.start()]) + obj
        return offset + none_left.start(), subject, ("<=", 0.0, 0.6, unit, "count", (None, None))
    done = lx.ALL_DONE.search(clause)
    if done and "%" not in clause:
        return (
            offset + done.start(),
            _subject(clause[: done.start()]) or clause,
            (">=", 100.0, 0.55, "%", "percent", (None, None)),
        )
    return None


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
        values = _values(ctx, clause, cs, before)
        if not values and not heading_only:
            whole = _all_or_none(clause, cs, before)
            values = [whole] if whole else []
        span = _quote_span(ctx, clauses, i)
        for at, subject, (comparator, value, confidence, unit, kind, baseline) in values:
            deadline = _deadline(ctx, [d for d in found_deadlines], at - start, carried)
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
    out: list[Candidate] = []
    line_start = 0
    carried: dt.date | None = None
    past = False
    for m in _SENTENCE.finditer(text):
        newline = text.rfind("\n", 0, m.start())
        if newline != line_start:
            line_start, carried, past = newline, None, False  # a deadline carries within its paragraph
        found, carried = _sentence(ctx, m.start(), m.end(), carried, past)
        past = bool(lx.PAST.search(m.group()[:12])) or (
            past and not found and not lx.COMMITMENT.search(m.group())
        )
        out.extend(found)
    return _unique(out)


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
