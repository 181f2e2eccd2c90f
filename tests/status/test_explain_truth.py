"""Every sentence states the evaluated numbers (issue 12, defect 6): a grid of scenarios over every comparator
and status, each sentence checked against its own row."""

from __future__ import annotations

import datetime as dt
import itertools

import numpy as np
import pandas as pd

from indicators import units
from indicators.status import explain
from indicators.status.engine import evaluate
from tests.status.scenario import RULES, target

KINDS = [  # comparator, aggregation, polarity, value, unit
    (">=", "level", "higher", 90.0, "percent"),
    ("<=", "annual_mean", "lower", 35.0, "ug/m3"),
    ("~", "day_ratio", "higher", 85.0, "percent"),
    ("reduce_by", "annual_amount", "lower", 10.0, "tonne"),
    ("yoy_reduce_by", "annual_mean", "lower", 5.0, "ug/m3"),
    ("growth_le", "annual_amount", "lower", 2.6, "tonne"),
    ("count_done", "cumulative_count", "higher", 30.0, "item"),
]
MONTHS = pd.date_range("2018-01-01", "2021-06-01", freq="MS")
SHAPES = {  # a value per month k = 0.. (2018-01 on), relative to the target value g
    "improving": lambda g, k: g * (1.3 - 0.012 * k),
    "worsening": lambda g, k: g * (0.9 + 0.012 * k),
    "flat_short": lambda g, k: g * 1.05,
    "flat_met": lambda g, k: g * 0.95,
    "early_stop": lambda g, k: g if k < 24 else np.nan,
}
AS_OF = [dt.date(2019, 6, 30), dt.date(2020, 3, 31), dt.date(2020, 9, 30), dt.date(2021, 6, 30)]


def _grid() -> tuple[pd.DataFrame, pd.DataFrame]:
    targets, values = [], []
    for n, ((comparator, agg, polarity, goal, unit), (shape, f)) in enumerate(
        itertools.product(KINDS, SHAPES.items())
    ):
        city = f"c{n}"
        kw = dict(comparator=comparator, aggregation=agg, polarity=polarity, value_canonical=goal)
        targets.append(target(id=f"t{n}", city=city, canonical_unit=unit, **kw))
        level = 40.0 if comparator in ("reduce_by", "yoy_reduce_by", "growth_le") else goal
        for k, month in enumerate(MONTHS):
            v = f(level, k)
            if agg == "cumulative_count":  # increments: a steady pace (or none) towards 30
                v = {"improving": 1.5, "worsening": 0.0, "flat_short": 0.5, "flat_met": 3.0}.get(shape, 1.0)
                v = v if k < 24 or shape != "early_stop" else np.nan
            values.append((city, "i", month, v))
    m = pd.DataFrame(values, columns=["city", "indicator", "period", "value"]).dropna()
    return pd.DataFrame(targets), m


def _num(x: float) -> str:
    return explain._num(x)


def test_every_sentence_states_its_numbers():
    targets, m = _grid()
    seen: set[tuple[str, str]] = set()
    for as_of in AS_OF:
        r = evaluate(targets, m, as_of, RULES)
        r = r.assign(
            aggregation=targets["aggregation"],
            canonical_unit=targets["canonical_unit"],
            baseline_year_stated=None,
            indicator_zh="指标",
            indicator_en="Indicator",
        )
        zh, en = explain._sentences(r)
        for row, z, e in zip(r.itertuples(), zh, en, strict=True):
            seen.add((row.comparator, row.status))
            _check(row, z, e)
    statuses = {s for _, s in seen}
    assert statuses == {"no_data", "missed", "met", "on_schedule", "lagging", "off_track"}, seen
    assert {c for c, _ in seen} == {k[0] for k in KINDS}


def _check(row: object, zh: str, en: str) -> None:
    r = row
    assert zh.startswith("到期结果：") == bool(r.closed), zh  # type: ignore[attr-defined]
    if r.status == "no_data":  # type: ignore[attr-defined]
        assert "无数据" in zh and "No data" in en
        latest = r.latest_period  # type: ignore[attr-defined]
        if latest is not None and not r.baseline_missing:  # type: ignore[attr-defined]
            assert str(latest)[:7] in zh and str(latest)[:7] in en
        return
    u_zh = units.label(r.canonical_unit, "zh")  # type: ignore[attr-defined]
    assert f" {_num(r.value)} {u_zh}" in zh, zh  # type: ignore[attr-defined]
    if r.status == "met":  # type: ignore[attr-defined]
        assert "已达到目标" in zh and "is met" in en
        return
    if r.status == "missed":  # type: ignore[attr-defined]
        assert "未达到" in zh or "已无法完成" in zh, zh
        return
    gap = r.direction * (r.value - r.expected)  # type: ignore[attr-defined]
    word = "超前" if r.status == "on_schedule" else "落后"  # type: ignore[attr-defined]
    assert f"序时应达 {_num(r.expected)}，{word} {_num(abs(gap))}" in zh, zh  # type: ignore[attr-defined]
    if r.status == "on_schedule":  # type: ignore[attr-defined]
        assert gap >= -1e-9
    else:
        assert gap < 0, zh
    if not np.isnan(r.projected):  # type: ignore[attr-defined]
        assert f"趋势预计截止时 {_num(r.projected)}" in zh  # type: ignore[attr-defined]
    if not np.isnan(r.required_average):  # type: ignore[attr-defined]
        assert f"{_num(r.required_average)} {u_zh}" in zh  # type: ignore[attr-defined]
