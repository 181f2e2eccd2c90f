"""One sentence per evaluated target, in Chinese and in English, with the numbers that decided it."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from indicators import units
from indicators.reporting import display
from indicators.vocabulary import aggregation_words


def _num(x: float) -> str:
    if x is None or x != x:  # None or NaN
        return "—"
    text = f"{x:,.2f}".rstrip("0").rstrip(".") if -1e6 < x < 1e6 else f"{x:,.0f}"
    return "0" if text == "-0" else text


def _nan(x: object) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def add_explanations(frame: pd.DataFrame) -> pd.DataFrame:
    """evaluate() output joined with names -> the same frame with explanation_zh and explanation_en.

    The same sentences as `sentence`, built from plain column lists in one pass for both languages (each
    number formatted once): at national scale (150,000 targets) per-row Series access took minutes."""
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


def _texts(column: pd.Series, width: int) -> list[str]:
    """str(x)[:width] per cell (as a row of iterrows shows it), computed once per distinct cell."""
    codes, distinct = pd.factorize(column, use_na_sentinel=False)
    return list(np.array([str(x)[:width] for x in distinct], dtype=object)[codes])


def _sentences(f: pd.DataFrame) -> tuple[list[str], list[str]]:
    labels = {u: (units.label(u, "zh"), units.label(u, "en")) for u in f["canonical_unit"].unique()}
    stated = f["baseline_year_stated"].astype(object) if "baseline_year_stated" in f else [None] * len(f)
    columns = [
        f[c].tolist()
        for c in ("status", "baseline_missing", "baseline_year", "latest_period", "aggregation", "comparator")
    ]
    columns += [
        f["target_value"].tolist(),
        list(stated),
        f["indicator_zh"].tolist(),
        f["indicator_en"].tolist(),
    ]
    columns += [f["canonical_unit"].tolist(), _texts(f["deadline"], 10), _texts(f["as_of"], 10)]
    columns += [f[c].tolist() for c in ("value", "target_level", "baseline", "direction", "expected")]
    columns += [f["projected"].tolist(), f["required_average"].tolist()]
    zh: list[str] = []
    en: list[str] = []
    phrases: dict[tuple[object, ...], tuple[str, str]] = {}
    for (
        status, missing, base_year, latest, agg, comparator, target_value, stated_year, name_zh, name_en,
        unit_code, deadline, as_of, value, level, baseline, direction, expected, projected, required,
    ) in zip(*columns, strict=True):  # fmt: skip
        if status == "no_data":
            if missing:
                zh.append(f"无数据：缺少基准年{base_year}年的数据。")
                en.append(f"No data: baseline {base_year} missing.")
            else:
                since = f"最近一次上报为{str(latest)[:7]}" if latest else "尚无上报"
                zh.append(f"无数据：截至{as_of}的近期无上报（{since}）。")
                en.append(
                    f"No data: nothing reported recently before {as_of}"
                    + (f" (latest {str(latest)[:7]})." if latest else " (nothing reported yet).")
                )
            continue
        u_zh, u_en = labels[unit_code]
        relative = comparator in _RELATIVE
        what_zh, what_en = aggregation_words(agg, "zh"), aggregation_words(agg, "en")
        v = _num(value)
        key = (comparator, target_value, unit_code, stated_year)
        if key not in phrases:  # one catalog target value recurs across cities
            phrases[key] = (
                display.target_phrase(comparator, target_value, "%" if relative else u_zh, stated_year, "zh"),
                display.target_phrase(comparator, target_value, "%" if relative else u_en, stated_year, "en"),
            )
        phrase_zh, phrase_en = phrases[key]
        head_zh = f"{name_zh}{what_zh} {v} {u_zh}，目标 {phrase_zh}（{deadline}前）"
        head_en = f"{name_en} {what_en} {v} {u_en}, target {phrase_en} by {deadline}"
        if relative:
            lv, bv = _num(level), _num(baseline)
            head_zh += f"，即 {lv} {u_zh}（基准 {bv}）"
            head_en += f", i.e. {lv} {u_en} (baseline {bv})"
        if status == "met":
            zh.append(f"{head_zh}；已达到目标。")
            en.append(f"{head_en}; the target is met.")
            continue
        if status == "missed":
            zh.append(f"{head_zh}；截止时未达到目标。")
            en.append(f"{head_en}; the target was not met by the deadline.")
            continue
        gap = direction * (value - expected)
        ahead, e, g = gap >= 0, _num(expected), _num(abs(gap))
        parts_zh = [f"{head_zh}；序时应达 {e}，{'超前' if ahead else '落后'} {g}"]
        parts_en = [f"{head_en}; expected now {e}, {'ahead by' if ahead else 'behind by'} {g}"]
        if not _nan(projected):
            p = _num(projected)
            parts_zh.append(f"趋势预计截止时 {p}")
            parts_en.append(f"trend projects {p} at the deadline")
        if not _nan(required):
            sign, r = "≤" if direction < 0 else "≥", _num(required)
            parts_zh.append(f"今年剩余月份平均须{sign} {r}")
            parts_en.append(f"the remaining months of the year must average {sign} {r}")
        zh.append("；".join(parts_zh) + "。")
        en.append("; ".join(parts_en) + ".")
    return zh, en
