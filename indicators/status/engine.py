"""The status engine: (targets, measurements, as_of, rules) -> one evaluated row per target. Pure; no I/O.

Vectorised over targets: the monthly series become a matrix (indicators.status.series) and every quantity
below is an array with one entry per target. `evaluate` runs five stages, each returning a small typed value:
the plan clock (when the plan starts, when it is due), the evaluation values read from the series, the
baseline and the target as a level of the indicator, the schedule (expected path, progress, trend) and the
status; status/frame.py builds the result rows from them. The rules are DOMAIN.md's; the thresholds come
from data/rules.yaml.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from indicators import months as mo
from indicators.catalog.rules import Rules
from indicators.status import caps, methods, series, sufficiency
from indicators.status.clock import Clock, plan_clock
from indicators.status.frame import labels, result_frame
from indicators.status.values import Values, last_reported, target_rows, target_valid

RELATIVE = ("reduce_by", "yoy_reduce_by", "growth_le")
CAGR_CATEGORIES = methods.CAGR_CATEGORIES
TREND_CATEGORIES = methods.TREND_CATEGORIES
TARGET_COLUMNS = (
    "id",
    "city",
    "indicator",
    "comparator",
    "value_canonical",
    "deadline",
    "baseline_year",
    "baseline_value",
    "aggregation",
    "polarity",
    "canonical_unit",
    "plan_first_year",
    "plan_document_date",
)


# --- the evaluation values ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Reading:
    """The evaluation values a status reads, and how recent the series is."""

    at: Values
    raw: np.ndarray
    first: int
    rows: np.ndarray
    offset: np.ndarray  # counts: the running total before the plan start
    current: np.ndarray  # at the as-of month
    value: np.ndarray  # at the reference month: what the status judges
    latest_m: np.ndarray  # the latest reported month up to the reference month (NaN: none)
    stale: np.ndarray
    valid: np.ndarray | None = None  # valid days beside raw (NaN: not given); None: none given


def read_values(
    t: pd.DataFrame, measurements: pd.DataFrame | series.Monthly, clock: Clock, rules: Rules
) -> Reading:
    if not isinstance(measurements, series.Monthly):
        measurements = series.Monthly.from_frame(measurements)
    c = clock
    as_of_m = c.as_of_m
    first_m = int(min(c.base_year.min() * 12 if len(t) else as_of_m, as_of_m - rules.trend_max_points))
    if measurements.first_month is not None:
        first_m = min(first_m, measurements.first_month)
    raw, first, rows, kinds = target_rows(t, measurements)
    valid = target_valid(measurements, raw.shape[0])
    last_dec_year = (as_of_m + 1) // 12 - 1
    yoy = t["comparator"].isin(["yoy_reduce_by"]).to_numpy(dtype=bool)
    wanted = [
        [as_of_m],
        c.ref_m,
        c.count_base_m[c.is_count],
        c.base_year * 12 + 11,
        np.arange(as_of_m - rules.trend_max_points + 1, as_of_m + 1),  # the trend's points
        (np.arange(last_dec_year - rules.german_years + 1, last_dec_year + 1)) * 12 + 11,
        np.arange(c.base_year[yoy].min(), last_dec_year + 1) * 12 + 11 if yoy.any() else [],
    ]
    wanted_months = np.concatenate(wanted)
    at = Values(raw, kinds, first, rows, (first_m, as_of_m), wanted_months, rules.min_months_in_year, valid)
    offset = np.zeros(len(t))
    offset[c.is_count] = np.nan_to_num(at(c.count_base_m[c.is_count], np.flatnonzero(c.is_count)))
    current = at(as_of_m) - offset
    value = np.where(c.reached, at(c.ref_m) - offset, current)
    latest_col = last_reported(raw, rows, c.ref_m - first)
    latest_m = np.where(latest_col >= 0, latest_col + first, np.nan)
    stale = np.isnan(latest_m) | (c.ref_m - latest_m >= rules.no_data_months)
    return Reading(at, raw, first, rows, offset, current, value, latest_m, stale, valid)


# --- the baseline and the target as a level ----------------------------------------------------------------
def target_levels(
    comparator: pd.Series | np.ndarray,
    value: np.ndarray,
    baseline: np.ndarray,
    base_year: np.ndarray,
    due_year: np.ndarray,
) -> np.ndarray:
    """The target as a level of the indicator: reduce_by p -> baseline·(1−p); yoy_reduce_by p ->
    baseline·(1−p)^years; growth_le g -> baseline·(1+g)^years (years from the baseline year to the
    deadline's, at least 1); any other comparator: the value itself."""
    codes = pd.Series(comparator)  # an Arrow column stays one: isin never makes Python strings of it

    def comparing(kind: str) -> np.ndarray:
        return codes.isin([kind]).to_numpy(dtype=bool)

    value = np.asarray(value, dtype=float)
    pct = value / 100
    years = np.maximum(np.asarray(due_year) - np.asarray(base_year), 1)
    level = value.copy()
    level = np.where(comparing("reduce_by"), baseline * (1 - pct), level)
    level = np.where(comparing("yoy_reduce_by"), baseline * (1 - pct) ** years, level)
    return np.where(comparing("growth_le"), baseline * (1 + pct) ** years, level)


@dataclass(frozen=True)
class Levels:
    baseline: np.ndarray
    baseline_missing: np.ndarray  # a relative target without its baseline
    baseline_fallback: np.ndarray  # an absolute target starting from its first value after the baseline year
    level: np.ndarray  # the target as a level of the indicator
    direction: np.ndarray  # +1: higher meets, -1: lower meets
    tolerance: np.ndarray
    t_base: np.ndarray  # datetime64[D]: where the path starts (a fallback baseline: at its month's end)
    hold: np.ndarray  # the baseline already meets the target: the path is "hold the target"

    def meets(self, v: np.ndarray) -> np.ndarray:
        with np.errstate(all="ignore"):
            return self.direction * (v - self.level) >= -self.tolerance


def baseline_and_level(t: pd.DataFrame, clock: Clock, reading: Reading, rules: Rules) -> Levels:
    comparator = t["comparator"]
    at, rows, base_year = reading.at, reading.rows, clock.base_year
    stated = t["baseline_value"].to_numpy(dtype=float)
    base_from_data = at(base_year * 12 + 11)
    baseline = np.where(~np.isnan(stated), stated, np.where(clock.is_count, 0.0, base_from_data))
    relative = comparator.isin(RELATIVE).to_numpy(dtype=bool)
    baseline_missing = relative & np.isnan(baseline)
    # an absolute target whose baseline year is not in the data starts from its first later value
    # (and its path starts at that value's month: issue 12)
    first_later, first_later_m = np.full(len(t), np.nan), np.full(len(t), np.nan)
    candidates = ~relative & np.isnan(baseline) & (rows >= 0)
    if candidates.any():
        which = np.flatnonzero(candidates)
        first_later[which], first_later_m[which] = at.first_after(which, base_year[candidates] * 12 + 11)
    baseline_fallback = ~relative & np.isnan(baseline) & ~np.isnan(first_later)
    baseline = np.where(baseline_fallback, first_later, baseline)
    t_base = clock.t_base.copy()
    if baseline_fallback.any():
        after = (first_later_m[baseline_fallback].astype(int) + 1 - 1970 * 12).astype("datetime64[M]")
        t_base[baseline_fallback] = after.astype("datetime64[D]") - 1  # the last day of that month
    value = t["value_canonical"].to_numpy(dtype=float)
    level = target_levels(comparator, value, baseline, base_year, clock.due_year)
    around = comparator.isin(["~"]).to_numpy(dtype=bool)
    higher_polarity = (t["polarity"] == "higher").to_numpy(dtype=bool)
    higher = comparator.isin([">="]).to_numpy(dtype=bool) | clock.is_count | (around & higher_polarity)
    percent_unit = (t["canonical_unit"] == "percent").to_numpy(dtype=bool)
    tolerance = np.where(
        around, np.where(percent_unit, rules.tolerance_pp, rules.tolerance_rel * np.abs(level)), 1e-9
    )
    direction = np.where(higher, 1.0, -1.0)
    with np.errstate(all="ignore"):
        hold = direction * (baseline - level) >= -tolerance  # NaN: False
    return Levels(baseline, baseline_missing, baseline_fallback, level, direction, tolerance, t_base, hold)


@dataclass(frozen=True)
class YearlyCuts:
    ok: np.ndarray  # every complete year so far cut its value by p on the year before (True: not yoy)
    failed_year: np.ndarray  # the first year that did not (NaN: none)
    failed_cut: np.ndarray  # how much that year did cut, in percent of the year before


def every_year_cut(
    at: Values, yoy: np.ndarray, pct: np.ndarray, base_year: np.ndarray, due_year: np.ndarray, as_of_m: int
) -> YearlyCuts:
    """For yoy_reduce_by targets: whether every complete year so far cut its value by pct on the year
    before, and the first year that failed with the cut it made."""
    n = len(yoy)
    ok, failed_year, failed_cut = np.ones(n, dtype=bool), np.full(n, np.nan), np.full(n, np.nan)
    if not yoy.any():
        return YearlyCuts(ok, failed_year, failed_cut)
    last_year = np.minimum(due_year, (as_of_m + 1) // 12 - 1)
    checked = np.zeros(n, dtype=bool)
    for step in range(1, 12):
        year = base_year + step
        active = np.flatnonzero(yoy & (year <= last_year))
        if not active.size:
            break
        now = at(year[active] * 12 + 11, active)
        before = at((year[active] - 1) * 12 + 11, active)
        with np.errstate(all="ignore"):
            passed = now <= before * (1 - pct[active]) + 1e-9
            first_fail = active[~passed & ok[active]]
            cut = (1 - now / before) * 100
        failed_year[first_fail] = year[first_fail]
        failed_cut[first_fail] = cut[~passed & ok[active]]
        ok[active] &= passed
        checked[active] = True
    return YearlyCuts(ok & (checked | ~yoy), failed_year, failed_cut)


# --- the schedule -------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Schedule:
    fraction: np.ndarray  # f: the elapsed share of the plan period
    expected: np.ndarray  # e: where the path is now
    ratio: np.ndarray  # R = (v − v_base)/(e − v_base), ±inf where the path has not moved yet
    points_behind: np.ndarray  # 100 × (f − share of the way done): points behind 序时进度 (NaN: holding)
    projected: np.ndarray  # the trend at the deadline (NaN once it passed, or too few points)


def trend_slope(
    at: Values, which: np.ndarray, start_month: np.ndarray, as_of_m: int, rules: Rules
) -> np.ndarray:
    """Least-squares slope per month over the last points of the series of the targets `which` (positions),
    from each one's start_month on."""
    width = rules.trend_max_points
    months = as_of_m - width + 1 + np.arange(width)
    window = at.block(months, which)
    window[months[None, :] < start_month[which, None]] = np.nan
    x = np.broadcast_to(np.arange(width, dtype=float), window.shape)
    present = ~np.isnan(window)
    n = present.sum(axis=1)
    with np.errstate(all="ignore"):
        mx = np.where(present, x, 0).sum(axis=1) / n
        my = np.nansum(window, axis=1) / n
        dx = np.where(present, x - mx[:, None], 0)
        dy = np.where(present, window - my[:, None], 0)
        slope = (dx * dy).sum(axis=1) / (dx * dx).sum(axis=1)
    return np.where(n >= rules.trend_min_points, slope, np.nan)


def schedule(clock: Clock, reading: Reading, levels: Levels, rules: Rules) -> Schedule:
    c, baseline, t_base = clock, levels.baseline, levels.t_base
    span = (c.deadline - t_base).astype(float)
    f = np.clip((np.datetime64(c.as_of) - t_base).astype(float) / np.where(span > 0, span, np.nan), 0, 1)
    f = np.where(span > 0, f, 1.0)
    # a baseline that already meets the target: the path holds the target, and no progress ratio is
    # defined (it would flip sign: DOMAIN.md, rules added after the first round)
    expected = np.where(levels.hold, levels.level, baseline + (levels.level - baseline) * f)
    with np.errstate(all="ignore"):
        # a closed target is judged at its deadline: the value there, the whole path (f = 1)
        moved, needed = reading.value - baseline, expected - baseline
        ratio = np.where(
            np.abs(needed) > 1e-12,
            moved / needed,
            np.where(levels.direction * moved >= -1e-12, np.inf, -np.inf),
        )
        done = moved / (levels.level - baseline)  # the share of the way to the target done
    ratio = np.where(levels.hold, np.nan, ratio)
    points_behind = np.where(levels.hold, np.nan, 100 * (f - done))
    # the trend runs from the plan start (counts: on the running sum), anchored on the current value
    # (only before the deadline: after it the value at the deadline decides)
    trend_start = np.where(c.is_count, c.count_base_m, c.base_year * 12 + 11)
    ahead = np.flatnonzero(~c.reached)
    projected = np.full(len(f), np.nan)
    slope = trend_slope(reading.at, ahead, trend_start, c.as_of_m, rules)
    projected[ahead] = reading.current[ahead] + slope * (c.deadline_m[ahead] - c.as_of_m)
    return Schedule(f, expected, ratio, points_behind, projected)


# --- the status ---------------------------------------------------------------------------------------------
def status_codes(
    clock: Clock,
    reading: Reading,
    levels: Levels,
    plan: Schedule,
    met_now: np.ndarray,
    cannot: np.ndarray,
    rules: Rules,
) -> np.ndarray:
    """Positions in STATUSES, first match wins (DOMAIN.md); a target that can no longer be met is missed
    at once, even before its deadline or without recent data."""
    return np.select(
        [
            levels.baseline_missing,
            cannot,
            reading.stale | np.isnan(reading.value),
            clock.reached & ~met_now,
            met_now,
            *_bands(levels, plan, rules),
        ],
        [0, 1, 0, 1, 2, 3, 4],  # positions in STATUSES
        default=5,
    )


def _bands(levels: Levels, plan: Schedule, rules: Rules) -> tuple[np.ndarray, np.ndarray]:
    """(on schedule, lagging) by the rating profile (rules.yaml rating). A target holding a target its
    baseline met has no ratio and no points: it is lagging only when the trend meets the target again."""
    profile, trend_meets = rules.profile, levels.meets(plan.projected)
    if profile.kind == "points_behind":
        behind = plan.points_behind
        with np.errstate(invalid="ignore"):
            wrong_way = plan.ratio < 0  # moving away from the target is off track in every profile
            on = (behind < profile.lagging_points) & ~wrong_way
            lagging = ((behind <= profile.off_track_points) & ~wrong_way) | (levels.hold & trend_meets)
        return on, lagging
    return plan.ratio >= 1 - 1e-9, (plan.ratio >= profile.lagging_ratio) | trend_meets


def evaluate(
    targets: pd.DataFrame, measurements: pd.DataFrame | series.Monthly, as_of: dt.date, rules: Rules
) -> pd.DataFrame:
    """One row per target: status, value, expected, progress ratio, projection and the other methods.

    measurements: city, indicator, period, value — or the same values as series.Monthly arrays."""
    missing = set(TARGET_COLUMNS) - set(targets.columns)
    if missing:
        raise ValueError(f"targets frame lacks {sorted(missing)}")
    t = targets.reset_index(drop=True)
    clock = plan_clock(t, as_of)
    reading = read_values(t, measurements, clock, rules)
    levels = baseline_and_level(t, clock, reading, rules)
    yoy = t["comparator"].isin(["yoy_reduce_by"]).to_numpy(dtype=bool)
    pct = t["value_canonical"].to_numpy(dtype=float) / 100
    cuts = every_year_cut(reading.at, yoy, pct, clock.base_year, clock.due_year, clock.as_of_m)
    plan = schedule(clock, reading, levels, rules)
    met_now = levels.meets(reading.value) & cuts.ok
    t_base_m = mo.of_dates(levels.t_base)
    capped = caps.cannot_meet(
        t, reading.raw, reading.first, reading.rows, clock.ref_m, clock.count_base_m + 1, t_base_m,
        clock.due_year, levels.level, levels.tolerance, cuts.failed_year, cuts.failed_cut,
    )  # fmt: skip
    cannot = capped.code >= 0
    codes = status_codes(clock, reading, levels, plan, met_now & ~cannot, cannot, rules)
    out = result_frame(t, clock, reading, levels, plan, met_now & ~cannot, codes, rules)
    out["closed"] = clock.reached
    out["yoy_failed_year"] = cuts.failed_year
    out["yoy_failed_cut"] = cuts.failed_cut
    out["cannot_meet"] = labels(caps.CANNOT_MEET, capped.code, optional=True)
    out["cannot_meet_amount"] = capped.amount
    enough = sufficiency.judge(
        t["aggregation"], reading.raw, reading.valid, reading.first, reading.rows, clock.ref_m,
        reading.latest_m, rules,
    )  # fmt: skip
    provisional = enough.provisional & (out["status"] != "no_data").to_numpy()
    out["provisional"] = provisional
    out["insufficient_months"] = enough.insufficient
    for lang, reasons in (("zh", enough.reason_zh), ("en", enough.reason_en)):
        out[f"provisional_reason_{lang}"] = [
            x if p else None for x, p in zip(reasons, provisional, strict=True)
        ]
    return out
