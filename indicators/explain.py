"""One sentence per evaluated target, in Chinese and in English, with the numbers that decided it."""

from __future__ import annotations

import math

import pandas as pd

from indicators import display, units

STATUS_WORDS = {
    "no_data": ("无数据", "no data", "–"),
    "missed": ("未完成", "missed", "✕✕"),
    "met": ("已达标", "met", "✓"),
    "on_schedule": ("序时推进", "on schedule", "↗"),
    "lagging": ("滞后", "lagging", "!"),
    "off_track": ("严重滞后", "off track", "✕"),
}

VALUE_WORDS = {
    "annual_mean": ("滚动12个月均值", "rolling 12-month mean"),
    "day_ratio": ("滚动12个月比例", "rolling 12-month share"),
    "level": ("最新值", "latest value"),
    "cumulative_count": ("累计完成", "completed so far"),
    "annual_amount": ("近12个月合计", "12-month total"),
}


def status_label(status: str, lang: str = "zh") -> str:
    zh, en, symbol = STATUS_WORDS[status]
    return f"{symbol} {zh if lang == 'zh' else en}"


def _num(x: float) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "—"
    return f"{x:,.2f}".rstrip("0").rstrip(".") if abs(x) < 1e6 else f"{x:,.0f}"


def sentence(row: pd.Series, lang: str) -> str:
    """The explanation of one evaluated row (evaluate() output joined with the target's names)."""
    zh = lang == "zh"
    unit = units.label(row["canonical_unit"], "zh" if lang == "zh" else "en")
    name = row["indicator_zh"] if zh else row["indicator_en"]
    deadline = str(row["deadline"])[:10]
    if row["status"] == "no_data":
        if row["baseline_missing"]:
            return (
                f"无数据：缺少基准年{row['baseline_year']}年的数据。"
                if zh
                else f"No data: baseline {row['baseline_year']} missing."
            )
        latest = row["latest_period"]
        since = f"最近一次上报为{str(latest)[:7]}" if zh and latest else ("尚无上报" if zh else "")
        return (
            f"无数据：截至{str(row['as_of'])[:10]}的近期无上报（{since}）。"
            if zh
            else f"No data: nothing reported recently before {str(row['as_of'])[:10]}"
            + (f" (latest {str(latest)[:7]})." if latest else " (nothing reported yet).")
        )
    what = VALUE_WORDS[row["aggregation"]][0 if zh else 1]
    phrase = display.target_phrase(
        row["comparator"],
        row["target_value"],
        "%" if row["comparator"] in ("reduce_by", "yoy_reduce_by", "growth_le") else unit,
        row.get("baseline_year_stated"),
        lang,
    )
    head = (
        f"{name}{what} {_num(row['value'])} {unit}，目标 {phrase}（{deadline}前）"
        if zh
        else f"{name} {what} {_num(row['value'])} {unit}, target {phrase} by {deadline}"
    )
    if row["comparator"] in ("reduce_by", "yoy_reduce_by", "growth_le"):
        head += (
            f"，即 {_num(row['target_level'])} {unit}（基准 {_num(row['baseline'])}）"
            if zh
            else f", i.e. {_num(row['target_level'])} {unit} (baseline {_num(row['baseline'])})"
        )
    if row["status"] in ("met", "missed"):
        end = "已达到目标。" if row["status"] == "met" else "截止时未达到目标。"
        end_en = "the target is met." if row["status"] == "met" else "the target was not met by the deadline."
        return f"{head}；{end}" if zh else f"{head}; {end_en}"
    gap = row["direction"] * (row["value"] - row["expected"])
    parts = [
        f"{head}；序时应达 {_num(row['expected'])}，{'超前' if gap >= 0 else '落后'} {_num(abs(gap))}"
        if zh
        else f"{head}; expected now {_num(row['expected'])}, "
        f"{'ahead by' if gap >= 0 else 'behind by'} {_num(abs(gap))}"
    ]
    if not _nan(row["projected"]):
        parts.append(
            f"趋势预计截止时 {_num(row['projected'])}"
            if zh
            else f"trend projects {_num(row['projected'])} at the deadline"
        )
    if not _nan(row["required_average"]):
        parts.append(
            f"今年剩余月份平均须{'≤' if row['direction'] < 0 else '≥'} {_num(row['required_average'])}"
            if zh
            else f"the remaining months of the year must average "
            f"{'≤' if row['direction'] < 0 else '≥'} {_num(row['required_average'])}"
        )
    return ("；".join(parts) + "。") if zh else ("; ".join(parts) + ".")


def _nan(x: object) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def add_explanations(frame: pd.DataFrame) -> pd.DataFrame:
    """evaluate() output joined with names -> the same frame with explanation_zh and explanation_en."""
    out = frame.copy()
    out["explanation_zh"] = [sentence(r, "zh") for _, r in out.iterrows()]
    out["explanation_en"] = [sentence(r, "en") for _, r in out.iterrows()]
    return out
