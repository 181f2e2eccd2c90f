"""The values of one clause: which numbers are commitments, their comparators and what they are about.

Pure functions of the clause's normalised text (and the sentence before it): a value with its unit
(lexicon.VALUE) and the words before and after it decide the comparator; a clause without a value may be
all-or-none. Each value found is (position, subject, (comparator, value, confidence, unit, kind, baseline)).
"""

from __future__ import annotations

import re

from indicators.plans import dates
from indicators.plans import lexicon as lx

# (position in the document, subject, (comparator, value, confidence, unit, kind, baseline))
Found = tuple[int, str, tuple]

_LEADING_FILLER = re.compile(
    rf"^(?:[\s\d.、()]*)(?:(?:到|至|力争到|确保到|争取到|在)?{dates.YEAR}年(?:底|末|年底|前)*|"
    r"\d{1,2}月底前|年底前|确保|力争|争取|要|将|使|全市|全区|全县|我市|我区|实现|并|同时|其中)*"
)


_TRAILING_WORDS = re.compile(
    r"(?:分别|均|都|稳定|持续|全面|基本|要|必须|应|确保|力争|提高|提升|增加|达到|达|实现|不低于|不少于|"
    r"不高于|不超过|控制在|降至|降到|下降|降低|减少|保持在|稳定在|比例|为|在|以上|的)+$"
)


_COUNT_TAIL = re.compile(r"(?:以上|任务|工作|\d{1,2}月底前|年底前|必须|完成|结账|[,。;].*)+$")


_ENUM_JOIN = re.compile(r"^\s*(?:、|和|及|与|,|以及)\s*$")


def subject_of(prefix: str) -> str:
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
    kind = lx.unit_kind(first.group("unit"))
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
    kind = lx.unit_kind(first.group("unit"))
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
    if kind in ("area", "amount", "length") and lx.COUNT_VERBS.search(prefix):
        return ">=", 0.6  # "累计完成营造林20万亩": an amount of work done, at least
    if percent and re.match(r"^\s*(?:达标|达到|完成|覆盖|合格|优于|实现)", after):
        return ">=", 0.75
    if percent and re.search(r"(?:率|比例|比率|占比|覆盖面)$", prefix):
        return ">=", 0.6
    if re.search(r"达到|提高|提升|实现|超过", prefix) and kind not in ("count",):
        return ">=", 0.55
    return "", 0.0


def _subjects(prefix: str, n: int) -> list[str]:
    subject = subject_of(prefix)
    parts = [p for p in re.split(r"、|和(?=[\u4e00-\u9fff])|及(?=[\u4e00-\u9fff])", subject) if p]
    if n > 1 and len(parts) == n:
        # 可吸入颗粒物(PM10)、细颗粒物(PM2.5)年均浓度: the shared tail belongs to every name
        tail = re.search(
            r"(?:年均浓度|平均浓度|浓度|利用率|覆盖率|覆盖面|处理率|达标率|比例|用量|施用量)$", parts[-1]
        )
        return [p if tail is None or p.endswith(tail.group()) else p + tail.group() for p in parts]
    return [subject] * n


def _baseline(prefix: str) -> tuple[int | None, float | None]:
    m = lx.BASELINE.search(prefix)
    year = int(m.group("y") or m.group("y2") or m.group("y3")) if m else None
    return year, None


def values(clause: str, offset: int, sentence_before: str) -> list[Found]:
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
            shared = [p for p in re.split(r"和|、|及|与", subject_of(own_prefix)) if len(p) >= 2]
            subjects = shared if len(shared) > 1 else subjects
            group = group * len(subjects)
        if comparator == "count_done":  # the things counted follow the number: 完成293家规模餐饮企业油烟治理
            things = _COUNT_TAIL.sub("", clause[group[-1].end() : things_end]).strip(" ,。;、")
            subjects = [subject_of(own_prefix) + things for _ in subjects] if things else subjects
        for m, subject in zip(group, subjects, strict=False):
            unit = m.group("unit")
            unit = {"微克每立方米": "微克/立方米"}.get(unit, unit)
            found = (
                comparator,
                float(m.group("num")),
                confidence,
                unit,
                lx.unit_kind(m.group("unit")),
                baseline,
            )
            out.append((offset + m.start(), subject, found))
    if not out:
        c = lx.COEFFICIENT.search(clause)
        if c and not lx.PAST.search(sentence_before):
            subject = subject_of(clause[: c.start("num")])
            out.append(
                (
                    offset + c.start("num"),
                    subject,
                    (">=", float(c.group("num")), 0.7, "dimensionless", "level", (None, None)),
                )
            )
    return out


def all_or_none(clause: str, offset: int, sentence_before: str) -> Found | None:
    if lx.PAST.search(sentence_before + clause) or lx.GENERIC_ALL.search(clause):
        return None
    event = lx.NO_EVENT.search(clause)
    if event:
        return offset + event.start(), clause[event.start() :], ("<=", 0.0, 0.6, "件", "count", (None, None))
    none_left = lx.NONE_LEFT.search(clause)
    if none_left:
        obj = clause[none_left.end() :].strip(" ,。;") or clause[: none_left.start()]
        unit = next((u for pattern, u in lx.COUNT_UNIT_BY_NOUN if pattern.search(obj)), "个")
        subject = subject_of(clause[: none_left.start()]) + obj
        return offset + none_left.start(), subject, ("<=", 0.0, 0.6, unit, "count", (None, None))
    done = lx.ALL_DONE.search(clause)
    if done and "%" not in clause:
        return (
            offset + done.start(),
            subject_of(clause[: done.start()]) or clause,
            (">=", 100.0, 0.55, "%", "percent", (None, None)),
        )
    return None
