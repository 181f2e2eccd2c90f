"""Deterministic demo measurements for every (city, indicator) the catalog's targets use.

Series run monthly from January of the year before each plan (or of a stated baseline year, if earlier) to the
plan's "present" in data/demo.yaml. Each series is drawn in one scenario (met, on schedule, lagging, off
track): its value at the present is the baseline moved `progress × f(t)` of the way to the target, where f(t)
is the elapsed share of the plan period. The seed and the mix are data; the same seed gives the same values.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

import numpy as np
import pandas as pd
import yaml

from indicators.catalog import load as cat
from indicators.paths import DATA_DIR
from indicators.status import clock, engine


@dataclass(frozen=True)
class DemoConfig:
    seed: int
    present: dict[str, dt.date]
    missing_recent_month: str | None
    stale_series: tuple[tuple[str, str, int], ...]
    scenarios: dict[str, float]
    progress: dict[str, float]
    noise: float


def load_config(path: str | None = None) -> DemoConfig:
    raw = yaml.safe_load(open(path or DATA_DIR / "demo.yaml", encoding="utf-8"))
    present = {c: _month_start(str(v)) for c, v in raw["present"].items()}
    stale = tuple((s["city"], s["indicator"], int(s["months"])) for s in raw.get("stale_series") or [])
    return DemoConfig(
        int(raw["seed"]),
        present,
        raw.get("missing_recent_month"),
        stale,
        raw["scenarios"],
        raw["progress"],
        float(raw["noise"]),
    )


def _month_start(text: str) -> dt.date:
    year, month = text.split("-")[:2]
    return dt.date(int(year), int(month), 1)


def _stable_unit(*parts: object) -> float:
    """A number in [0, 1) fixed by the parts (independent of Python's hash seed)."""
    digest = hashlib.sha256("|".join(map(str, parts)).encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def scenario_for(config: DemoConfig, city: str, indicator: str) -> str:
    names = list(config.scenarios)
    weights = np.array([config.scenarios[n] for n in names], dtype=float)
    edges = np.cumsum(weights / weights.sum())
    return names[int(np.searchsorted(edges, _stable_unit(config.seed, city, indicator), side="right"))]


def _absolute_target(t: cat.Target, plan: cat.Plan, base: float) -> float:
    """The target as a level of the indicator, given the baseline level: the status engine's own rule."""
    base_year = clock.base_years(np.array([t.baseline_year or np.nan]), np.array([plan.first_year]))
    level = engine.target_levels(
        np.array([t.comparator], dtype=object),
        np.array([t.value_canonical]),
        np.array([base]),
        base_year,
        np.array([t.deadline.year]),
    )
    return float(level[0])


def _t_base(t: cat.Target, plan: cat.Plan) -> pd.Timestamp:
    """Where the schedule path starts: the status engine's plan clock (a count's start, else 31 December of
    the baseline year)."""
    base_year = clock.base_years(np.array([t.baseline_year or np.nan]), np.array([plan.first_year]))
    if t.comparator == "count_done":
        doc = np.array([plan.document_date or "NaT"], dtype="datetime64[D]")
        start = clock.count_starts(
            np.array([plan.first_year]),
            np.array([plan.last_year]),
            doc,
            np.array([t.deadline], dtype="datetime64[D]"),
        )
        return pd.Timestamp(start[0])
    return pd.Timestamp(int(base_year[0]), 12, 31)


def _baseline(t: cat.Target, ind: cat.Indicator, rng: np.random.Generator) -> float:
    """A plausible level before the plan: some way short of the target, in the indicator's valid range."""
    if t.baseline_value is not None:
        return t.baseline_value
    span = ind.valid_max - ind.valid_min
    if t.comparator in cat.RELATIVE_COMPARATORS:  # the text gives no level: a plausible one
        if ind.aggregation == "annual_mean":
            return float(rng.uniform(60, 110))
        return (
            float(rng.uniform(0.3, 0.6) * span + ind.valid_min)
            if span <= 100
            else float(rng.uniform(50, 500))
        )
    if t.comparator == "count_done":
        return 0.0
    target = t.value_canonical
    gap = min(max(abs(target) * rng.uniform(0.06, 0.18), rng.uniform(2, 6)), 0.15 * span)
    if ind.polarity == "higher":
        return float(np.clip(target - gap, ind.valid_min, ind.valid_max))
    return float(np.clip(target + gap, ind.valid_min, ind.valid_max))


def _months(start: dt.date, end: dt.date) -> pd.DatetimeIndex:
    return pd.date_range(pd.Timestamp(start), pd.Timestamp(end), freq="MS")


def _series(
    t: cat.Target, ind: cat.Indicator, plan: cat.Plan, config: DemoConfig, present: dt.date
) -> pd.DataFrame:
    rng = np.random.default_rng([config.seed, int(_stable_unit(t.city, ind.code) * 2**32)])
    scenario = scenario_for(config, t.city, ind.code)
    first = min(plan.first_year - 1, t.baseline_year or plan.first_year - 1)
    months = _months(dt.date(first, 1, 1), present)
    t_base = _t_base(t, plan)
    # progress runs at a steady pace set by the driving target's deadline: `progress` × the elapsed share
    # of its period (beyond 1 after the deadline), so a stage that is already due is decided by its own pace
    span_days = max((pd.Timestamp(t.deadline) - t_base).days, 1)
    f_present = max((pd.Timestamp(present) - t_base).days / span_days, 1e-6)
    base = _baseline(t, ind, rng)
    target = _absolute_target(t, plan, base)
    pace = config.progress[scenario]
    if scenario == "met":
        pace = max(pace, 1.04 / min(f_present, 1.0))
    elapsed = np.clip((months - t_base).days.to_numpy() / span_days, 0, None)
    level = base + (target - base) * pace * elapsed
    noise = rng.normal(0, config.noise, len(months)) * max(abs(base), abs(target), 1.0)
    values = _shape(ind, months, level, noise, rng)
    lo, hi = ind.valid_min, ind.valid_max
    return pd.DataFrame(
        {
            "city": t.city,
            "indicator": ind.code,
            "period": months.date,
            "value": np.round(np.clip(values, lo, hi), 2),
        }
    )


def _shape(
    ind: cat.Indicator,
    months: pd.DatetimeIndex,
    level: np.ndarray,
    noise: np.ndarray,
    rng: np.random.Generator,
) -> np.ndarray:
    """Monthly values whose aggregation (DOMAIN.md) gives back `level`."""
    if ind.aggregation == "annual_mean":  # concentrations: higher in winter
        season = 1 + 0.3 * np.cos(2 * np.pi * (months.month.to_numpy() - 1) / 12)
        return level * season + noise
    if ind.aggregation == "cumulative_count":  # monthly increments of a cumulative level
        cumulative = np.maximum.accumulate(np.round(np.maximum(level, 0)))
        return np.diff(cumulative, prepend=0.0)
    if ind.aggregation == "annual_amount" and ind.unit == "item":  # events: whole numbers
        return rng.poisson(np.maximum(level / 12, 0)).astype(float)
    if ind.aggregation == "annual_amount":  # a yearly amount spread over the months
        return np.maximum(level / 12 + noise / 12, 0)
    return level + noise


def generate(catalog: cat.Catalog, config: DemoConfig | None = None) -> pd.DataFrame:
    """Monthly demo values (city, indicator, period, value) in each indicator's canonical unit."""
    config = config or load_config()
    plans = {(p.city, p.source_file): p for p in catalog.plans}
    indicators = {i.code: i for i in catalog.indicators}
    frames = []
    for (city, code), group in _driving_targets(catalog).items():
        present = config.present[city]
        plan = next(p for (c, _), p in plans.items() if c == city and p.source_file == group.source_file)
        frames.append(_series(group, indicators[code], plan, config, present))
    out = pd.concat(frames, ignore_index=True)
    if config.missing_recent_month:
        city = config.missing_recent_month
        out = out[~((out.city == city) & (out.period == config.present[city]))]
    for city, indicator, months in config.stale_series:
        cutoff = (pd.Timestamp(config.present[city]) - pd.DateOffset(months=months)).date()
        out = out[~((out.city == city) & (out.indicator == indicator) & (out.period > cutoff))]
    return out.reset_index(drop=True)


def _driving_targets(catalog: cat.Catalog) -> dict[tuple[str, str], cat.Target]:
    """Per (city, indicator), the target a series is drawn for: the earliest-deadline absolute one (later
    stages then fall where the pace takes them)."""
    chosen: dict[tuple[str, str], cat.Target] = {}
    for t in sorted(
        catalog.targets, key=lambda t: (t.comparator in cat.RELATIVE_COMPARATORS, t.deadline), reverse=True
    ):
        chosen[(t.city, t.indicator)] = t
    return chosen
