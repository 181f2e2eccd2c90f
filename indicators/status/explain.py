"""One sentence per evaluated target, in Chinese and in English, with the numbers that decided it.

Every clause states a number of the evaluated row (tests/status/test_explain_truth.py checks them against
the row): the value, the target, the expected path and the gap, the trend, the remaining months' average,
the failed year of a year-on-year target, a closed target's final result, the provisional mark."""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
import pandas as pd

from indicators import months as mo
from indicators import units
from indicators.reporting import display
from indicators.vocabulary import aggregation_words


def _num(x: float) -> str:
    if x is None or x != x:  # None or NaN
        return "—"
    text = f"{x:,.2f}".rstrip("0").rstrip(".") if -1e6 < x < 1e6 else f"{x:,.0f}"
    return "0" if text == "-0" else text


def _nan(x: object) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x)) or x is pd.NA or x is pd.NaT


def add_explanations(frame: pd.DataFrame) -> pd.DataFrame:
    """evaluate() output joined with names -> the same frame with explanation_zh and explanation_en.

    Built from plain column lists in one pass for both languages (each number formatted once): at national
    scale (150,000 targets) per-row Series access took minutes."""
    out = frame.copy()
    zh, en = _sentences(frame)
    out["explanation_zh"] = zh
    out["explanation_en"] = en
    return out


def explanations(frame: pd.DataFrame, lang: str) -> pd.Series:
    """The explanation of each row in one language (zh, or en for any other): the frame's own column when it
    has one, otherwise built for these rows only (an evaluation made with status(..., explain=False))."""
    column = "explanation_zh" if lang == "zh" else "explanation_en"
    if column in frame:
        return frame[column]
    zh, en = _sentences(frame)
    return pd.Series(zh if lang == "zh" else en, index=frame.index)


_RELATIVE = ("reduce_by", "yoy_reduce_by", "growth_le")


class _Row(NamedTuple):
    status: str
    missing: bool
    base_year: int
    latest: object
    agg: str
    comparator: str
    target_value: float
    stated_year: object
    name_zh: str
    name_en: str
    unit_code: str
    deadline: str
    as_of: str
    value: float
    level: float
    baseline: float
    direction: float
    expected: float
    projected: float
    required: float
    closed: bool
    failed_year: float
    failed_cut: float
    cannot: object
    cannot_amount: float
    provisional_zh: object
    provisional_en: object


# columns a row reads that older frames (and hand-made test rows) may not have, with what they mean then
_OPTIONAL = {
    "deadline_reached": False,
    "yoy_failed_year": float("nan"),
    "yoy_failed_cut": float("nan"),
    "cannot_meet": None,
    "cannot_meet_amount": float("nan"),
    "provisional_reason_zh": None,
    "provisional_reason_en": None,
}


def _texts(column: pd.Series, width: int) -> list[str]:
    """str(x)[:width] per cell (as a row of iterrows shows it), computed once per distinct cell."""
    codes, distinct = pd.factorize(column, use_na_sentinel=False)
    return list(np.array([str(x)[:width] for x in distinct], dtype=object)[codes])


def _columns(f: pd.DataFrame) -> list[list[object]]:
    stated = f["baseline_year_stated"].astype(object) if "baseline_year_stated" in f else [None] * len(f)
    columns: list[list[object]] = [
        f[c].tolist()
        for c in ("status", "baseline_missing", "baseline_year", "latest_period", "aggregation", "comparator")
    ]
    columns += [
        f["target_value"].tolist(),
        list(stated),
        f["indicator_zh"].tolist(),
        f["indicator_en"].tolist(),
    ]
    columns += [f["canonical_unit"].tolist(), _texts(f["deadline"], 10), _texts(f["as_of"], 10)]  # type: ignore[list-item]
    columns += [f[c].tolist() for c in ("value", "target_level", "baseline", "direction", "expected")]
    columns += [f["projected"].tolist(), f["required_average"].tolist()]
    columns += [f[c].tolist() if c in f else [d] * len(f) for c, d in _OPTIONAL.items()]
    return columns


def _sentences(f: pd.DataFrame) -> tuple[list[str], list[str]]:
    labels = {u: (units.label(u, "zh"), units.label(u, "en")) for u in f["canonical_unit"].unique()}
    phrases: dict[tuple[object, ...], tuple[str, str]] = {}
    zh: list[str] = []
    en: list[str] = []
    for values in zip(*_columns(f), strict=True):
        r = _Row(*values)  # type: ignore[arg-type]
        z, e = _no_data(r) if r.status == "no_data" else _evaluated(r, labels[r.unit_code], phrases)
        if r.closed:
            z, e = "到期结果：" + z, "Final result at the deadline: " + e
        if not _nan(r.provisional_zh) and r.status != "no_data":
            z, e = z + f"（暂定：{r.provisional_zh}）", e + f" (provisional: {r.provisional_en})"
        zh.append(z)
        en.append(e)
    return zh, en


def _no_data(r: _Row) -> tuple[str, str]:
    if r.missing:
        return f"无数据：缺少基准年{r.base_year}年的数据。", f"No data: baseline {r.base_year} missing."
    latest = str(r.latest)[:7] if not _nan(r.latest) and r.latest else None
    if r.closed:  # judged at the deadline: the latest report up to then, whatever came later
        since_zh = f"截止前最近一次上报为{latest}" if latest else "截止前无上报"
        since_en = f"latest before it {latest}" if latest else "nothing reported before it"
        return (
            f"无数据：截止日期{r.deadline}前近期无上报（{since_zh}）。",
            f"No data: nothing reported recently before the deadline {r.deadline} ({since_en}).",
        )
    since = f"最近一次上报为{latest}" if latest else "尚无上报"
    return (
        f"无数据：截至{r.as_of}的近期无上报（{since}）。",
        f"No data: nothing reported recently before {r.as_of}"
        + (f" (latest {latest})." if latest else " (nothing reported yet)."),
    )


def _evaluated(
    r: _Row, unit: tuple[str, str], phrases: dict[tuple[object, ...], tuple[str, str]]
) -> tuple[str, str]:
    u_zh, u_en = unit
    relative = r.comparator in _RELATIVE
    key = (r.comparator, r.target_value, r.unit_code, r.stated_year)
    if key not in phrases:  # one catalog target value recurs across cities
        phrases[key] = tuple(  # type: ignore[assignment]
            display.target_phrase(r.comparator, r.target_value, "%" if relative else u, r.stated_year, lang)  # type: ignore[arg-type]
            for u, lang in ((u_zh, "zh"), (u_en, "en"))
        )
    phrase_zh, phrase_en = phrases[key]
    v = _num(r.value)
    head_zh = f"{r.name_zh}{aggregation_words(r.agg, 'zh')} {v} {u_zh}，目标 {phrase_zh}（{r.deadline}前）"
    head_en = f"{r.name_en} {aggregation_words(r.agg, 'en')} {v} {u_en}, target {phrase_en} by {r.deadline}"
    if relative:
        lv, bv = _num(r.level), _num(r.baseline)
        head_zh += f"，即 {lv} {u_zh}（基准 {bv}）"
        head_en += f", i.e. {lv} {u_en} (baseline {bv})"
    if r.status == "met":
        return f"{head_zh}；已达到目标。", f"{head_en}; the target is met."
    if r.status == "missed":
        return _missed(r, head_zh, head_en, unit)
    gap = r.direction * (r.value - r.expected)
    ahead, e, g = gap >= -1e-9, _num(r.expected), _num(abs(gap))
    parts_zh = [f"{head_zh}；序时应达 {e}，{'超前' if ahead else '落后'} {g}"]
    parts_en = [f"{head_en}; expected now {e}, {'ahead by' if ahead else 'behind by'} {g}"]
    if not _nan(r.projected):
        p = _num(r.projected)
        parts_zh.append(f"趋势预计截止时 {p}")
        parts_en.append(f"trend projects {p} at the deadline")
    if not _nan(r.required):
        sign, req = "≤" if r.direction < 0 else "≥", _num(r.required)
        m = mo.last_complete(pd.Timestamp(r.as_of).date())
        year, left = mo.year(m), 11 - m % 12
        parts_zh.append(f"{year}年剩余{left}个月平均须{sign} {req} {u_zh}")
        parts_en.append(f"the remaining {left} months of {year} must average {sign} {req} {u_en}")
    return "；".join(parts_zh) + "。", "; ".join(parts_en) + "."


def _missed(r: _Row, head_zh: str, head_en: str, unit: tuple[str, str]) -> tuple[str, str]:
    if not _nan(r.cannot):
        why_zh, why_en = _why_not(r, unit)
        if r.closed:
            return f"{head_zh}；未达到目标：{why_zh}。", f"{head_en}; not met: {why_en}."
        return f"{head_zh}；已无法完成：{why_zh}。", f"{head_en}; can no longer be met: {why_en}."
    return f"{head_zh}；截止时未达到目标。", f"{head_en}; the target was not met by the deadline."


def _why_not(r: _Row, unit: tuple[str, str]) -> tuple[str, str]:
    """Why a target can no longer be met, with the figure that shows it (caps.CANNOT_MEET)."""
    (u_zh, u_en), amount, cap = unit, _num(r.cannot_amount), _num(r.level)
    if r.cannot == "count_over_cap":
        return (
            f"累计已达 {amount} {u_zh}，超过上限 {cap} {u_zh}",
            f"{amount} {u_en} so far, above the limit of {cap} {u_en}",
        )
    if r.cannot == "event_occurred":
        return f"规划期内已发生 {amount} {u_zh}", f"{amount} {u_en} already occurred in the plan period"
    if r.cannot == "ytd_over_cap":
        year = r.deadline[:4]
        return (
            f"{year}年已累计 {amount} {u_zh}，超过全年上限 {cap} {u_zh}",
            f"{amount} {u_en} in {year} so far, above the year's cap of {cap} {u_en}",
        )
    year, goal = int(r.failed_year), _num(r.target_value)  # type: ignore[assignment]
    return (
        f"{year}年较上年下降 {amount}%，未达到每年下降 {goal}% 的要求",
        f"{year} cut {amount} % on the year before, short of the {goal} % required every year",
    )
