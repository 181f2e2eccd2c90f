"""Dates in a plan's text: deadlines ("2020年6月底前", "3月底前", "到2020年"), baseline years ("较2015年"),
the document's own date, its year and its horizon ("(2019-2020年)").

All functions read the normalised text (Arabic digits, ASCII punctuation).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

YEAR = r"(?:19|20)\d{2}"
_YEAR = re.compile(
    rf"(?P<y>{YEAR})(?:\s*[-—–~至到]\s*(?P<y2>{YEAR}))?年"
    r"(?:(?P<m>1[0-2]|0?[1-9])月(?:(?P<d>[12]\d|3[01]|0?[1-9])日)?)?"
    r"(?P<tail>(?:年底|年末|年中|底|末|上半年|下半年|前|之前|以前|内|以内)*)"
)
_MONTH = re.compile(
    r"(?<![\d年.])(?P<m>1[0-2]|0?[1-9])月(?:(?P<d>[12]\d|3[01]|0?[1-9])日)?"
    r"(?P<tail>(?:底|末|中旬|下旬|上旬)?(?:前|之前|以前))"
)
_QUARTER = re.compile(r"(?<![\d年])第?(?P<q>[一二三四1-4])季度(?:末|底)?(?:前|之前)?")
# Five-year plans by their number: "十四五" is 2021-2025, its end 2025-12-31.
_FIVE_YEAR = re.compile(r"(?:到|至)?[“\"]?十(?P<n>[一二三四五六])五[”\"]?(?:期末|末|时期末|规划期末)")
_FIVE_YEAR_TITLE = re.compile(r"[“\"]?十(?P<n>[一二三四五六])五[”\"]?")
_FIVE_YEAR_END = {"一": 2010, "二": 2015, "三": 2020, "四": 2025, "五": 2030, "六": 2035}
_QUARTER_END = {"一": 3, "二": 6, "三": 9, "四": 12, "1": 3, "2": 6, "3": 9, "4": 12}
_BARE = re.compile(r"(?<![\d年])(?:年底前|年底|年末前|年内|上半年|今年底前)")
_BEFORE_DEADLINE = re.compile(r"(?:到|至|于|在|力争|确保|争取|计划|预计)$")
_NOT_DEADLINE_BEFORE = re.compile(r"(?:较|比|与|同|相比|对比|截至|截止|自|从|由|对照|按)$")
_NOT_DEADLINE_AFTER = re.compile(
    r"^(?:以来|起|开始|基础上|水平|为基|相比|同期|的|度|版|第|中央|省|国家|全国|以后)"
)
_DEADLINE_AFTER = re.compile(
    r"^(?:[,:;]|完成|建成|实现|达到|确保|力争|基本|全面|全|各|我|市|区|县|城|要|将|争取|新增|累计|前|"
    r"底|末|共|计划|启动|开展|推进|建设|重点|主要|PM|空气|水|土|森林|单位|化肥|农药)"
)
_DOC_DATE = re.compile(rf"^\s*(?P<y>{YEAR})年(?P<m>1[0-2]|0?[1-9])月(?P<d>[12]\d|3[01]|0?[1-9])日\s*$", re.M)
_ISSUED = re.compile(
    rf"(?:发布日期|成文日期|发布时间|印发日期)\s*:?\s*(?P<y>{YEAR})[-年./](?P<m>\d{{1,2}})[-月./](?P<d>\d{{1,2}})"
)
_YEARLY_TITLE = re.compile(
    rf"(?P<y>{YEAR})年[^\n。]{{0,40}}?(?:工作要点|工作计划|工作安排|工作方案|要点|行动计划)"
)
_HORIZON = re.compile(rf"(?P<y>{YEAR})\s*[-—–~至到]\s*(?P<y2>{YEAR})年")


@dataclass(frozen=True)
class Deadline:
    start: int
    end: int
    date: dt.date


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _date(year: int, month: str | None, day: str | None, tail: str) -> dt.date | None:
    try:
        if month and day:
            return dt.date(year, int(month), int(day))
        if month:
            return month_end(year, int(month))
    except ValueError:
        return None
    if "上半年" in tail or "年中" in tail:
        return dt.date(year, 6, 30)
    return dt.date(year, 12, 31)


def deadlines(text: str, default_year: int | None) -> list[Deadline]:
    """Every deadline expression in `text` (a sentence), in order of appearance."""
    found: list[Deadline] = []
    taken: list[tuple[int, int]] = []
    for m in _YEAR.finditer(text):
        before, after = text[max(0, m.start() - 4) : m.start()], text[m.end() : m.end() + 6]
        taken.append((m.start(), m.end()))
        if _NOT_DEADLINE_BEFORE.search(before) or _NOT_DEADLINE_AFTER.match(after):
            continue
        explicit = bool(m.group("tail") or m.group("m") or m.group("y2"))
        if not (
            explicit
            or _BEFORE_DEADLINE.search(before)
            or _DEADLINE_AFTER.match(after)
            or m.end() == len(text)
        ):
            continue
        year = int(m.group("y2") or m.group("y"))
        when = _date(year, m.group("m"), m.group("d"), m.group("tail"))
        if when is not None:
            found.append(Deadline(m.start(), m.end(), when))
    if default_year is not None:
        for m in _MONTH.finditer(text):
            if any(s <= m.start() < e for s, e in taken):
                continue
            when = _date(default_year, m.group("m"), m.group("d"), m.group("tail"))
            if when is not None:
                found.append(Deadline(m.start(), m.end(), when))
        for m in _QUARTER.finditer(text):
            if not any(s <= m.start() < e for s, e in taken):
                end_of_quarter = month_end(default_year, _QUARTER_END[m.group("q")])
                found.append(Deadline(m.start(), m.end(), end_of_quarter))
        for m in _BARE.finditer(text):
            if not any(s <= m.start() < e for s, e in taken):
                found.append(Deadline(m.start(), m.end(), _date(default_year, None, None, m.group())))  # type: ignore[arg-type]
    for m in _FIVE_YEAR.finditer(text):
        found.append(Deadline(m.start(), m.end(), dt.date(_FIVE_YEAR_END[m.group("n")], 12, 31)))
    return sorted(found, key=lambda d: d.start)


def document_date(text: str) -> dt.date | None:
    """The date the document was signed or issued (a line holding only 'YYYY年M月D日', or '发布日期')."""
    head = text[:6000]
    for pattern in (_DOC_DATE, _ISSUED):
        m = pattern.search(head)
        if m:
            try:
                return dt.date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
            except ValueError:
                continue
    return None


def plan_years(text: str) -> tuple[int | None, int | None]:
    """(the year of a yearly work plan, the last year of the plan's horizon), either may be None."""
    head = text[:3000]
    yearly = _YEARLY_TITLE.search(head)
    horizon = _HORIZON.search(head)
    five_year = _FIVE_YEAR_TITLE.search(head[:300])  # "“十四五”生态环境保护规划" in the title
    end = int(horizon.group("y2")) if horizon else _FIVE_YEAR_END[five_year.group("n")] if five_year else None
    return (int(yearly.group("y")) if yearly else None, end)
