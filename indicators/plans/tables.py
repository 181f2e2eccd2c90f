"""Indicator tables: the 主要指标 table of a plan, one row per indicator, a column per year.

    指标	单位	2020年	2025年	属性
    细颗粒物(PM2.5)浓度	微克/立方米	35	30	约束性
    单位GDP二氧化碳排放降低(%)		—	[18]	约束性

Cells are tab-separated (how a Word or web table is read). A header row names the columns: years, and words
such as 现状/基准 (the baseline) and 目标 (the target). A data row gives a target from its target column
(the column named 目标, else the latest year) and a baseline from the baseline column (named so, else the
earliest year); the comparator comes from the cell (≥ 95, 35以下) or else from the indicator's polarity.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

_YEAR = re.compile(r"((?:19|20)\d{2})")
_TARGET_WORDS = re.compile(r"目标|规划值|预期值")
_BASE_WORDS = re.compile(r"现状|基准|基期|基数|基础值|基年")
_UNIT_IN_NAME = re.compile(r"[(（]([^()（）]{1,12})[)）]\s*$")
_CELL = re.compile(
    r"^\s*(?P<cmp>≥|>=|≤|<=|>|<|不低于|不高于|不超过|不少于)?\s*(?P<bracket>\[)?(?P<num>\d+(?:\.\d+)?)\]?\s*"
    r"(?P<unit>%)?\s*(?P<suffix>以上|以下|以内|左右)?\s*$"
)
_REDUCTION = re.compile(r"降低|下降|减少|削减|降幅")
_AT_LEAST = ("≥", ">=", ">", "不低于", "不少于")
_AT_MOST = ("≤", "<=", "<", "不高于", "不超过")


@dataclass(frozen=True)
class Row:
    start: int  # the row's span in the normalised text
    end: int
    name: str
    unit: str
    year: int
    comparator: str  # "" when the polarity decides
    value: float
    baseline_year: int | None
    baseline_value: float | None
    relative: bool


def _columns(cells: list[str]) -> tuple[int | None, int | None, dict[int, int]] | None:
    """(target column, baseline column, column -> year) of a header row, or None for another row."""
    years = {i: int(m.group(1)) for i, c in enumerate(cells) if (m := _YEAR.search(c)) and len(c) <= 12}
    if not years or any(_CELL.match(c) for c in cells):
        return None
    target = next((i for i, c in enumerate(cells) if _TARGET_WORDS.search(c)), None)
    base = next((i for i, c in enumerate(cells) if _BASE_WORDS.search(c)), None)
    if target is None:
        target = max(years, key=lambda i: years[i])
    if base is None and len(years) > 1:
        base = min(years, key=lambda i: years[i])
    return target, (base if base != target else None), years


def _row(cells: list[str], target: int, base: int | None, years: dict[int, int]) -> tuple | None:
    names = [c for c in cells if c.strip() and not _CELL.match(c) and not re.match(r"^\s*\d+\s*$", c)]
    if target >= len(cells) or not names:
        return None
    cell = _CELL.match(cells[target])
    if not cell:
        return None
    name = names[0].strip()
    unit_cell = next((c.strip() for c in names[1:2] if len(c.strip()) <= 8 and not _BASE_WORDS.search(c)), "")
    in_name = _UNIT_IN_NAME.search(name)
    unit = in_name.group(1) if in_name else (cell.group("unit") or unit_cell or "dimensionless")
    base_value = None
    if base is not None and base < len(cells) and (b := _CELL.match(cells[base])) and not b.group("bracket"):
        base_value = float(b.group("num"))
    return name, unit, cell, base_value


def rows(text: str) -> Iterator[Row]:
    """The target rows of every indicator table in the (normalised) text."""
    header: tuple[int | None, int | None, dict[int, int]] | None = None
    at = 0
    for line in text.split("\n"):
        start, at = at, at + len(line) + 1
        cells = line.split("\t")
        if len(cells) < 3:
            header = None
            continue
        columns = _columns(cells)
        if columns is not None:
            header = columns
            continue
        if header is None:
            continue
        target, base, years = header
        if target is None:
            continue
        found = _row(cells, target, base, years)
        if found is None:
            continue
        name, unit, cell, base_value = found
        base_year = years.get(base) if base is not None else None
        explicit = cell.group("cmp") or ""
        relative = bool(_REDUCTION.search(name)) and unit in ("%", "百分比")
        comparator = (
            ">="
            if explicit in _AT_LEAST or cell.group("suffix") == "以上"
            else "<="
            if explicit in _AT_MOST or cell.group("suffix") in ("以下", "以内")
            else "~"
            if cell.group("suffix") == "左右"
            else ""
        )
        yield Row(
            start,
            start + len(line),
            name,
            unit,
            years.get(target, 0),
            comparator,
            float(cell.group("num")),
            base_year,
            None if relative else base_value,
            relative,
        )
