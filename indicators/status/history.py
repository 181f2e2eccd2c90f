"""The status of every target at many as-of dates at once (issue 16: status history), vectorised over
months as the engine is over targets. Pure; no I/O.

The engine (engine.py) evaluates one as-of date. Here each (target, as-of date) pair is one element of the
arrays: the evaluation values of every month any pair reads are computed once (values.Values over the union
of the months), the plan clock once, and each stage of engine.evaluate is applied to all pairs together, with
the engine's own arithmetic in the engine's order, so that every pair gets exactly the status the engine
gives that target as of that date (tests/status/test_history.py checks it month by month). Only the status
is computed: the other methods and the sentences are the engine's.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from indicators import months as mo
from indicators.catalog.rules import Rules
from indicators.status import engine, series
from indicators.status.clock import Clock, plan_clock
from indicators.status.values import Values, last_reported, target_rows


@dataclass(frozen=True)
class Pairs:
    """The (target, as-of date) pairs evaluated: target positions, month-end columns, and per pair the
    as-of date, its last complete month and the first month the engine reads as of it."""

    target: np.ndarray
    column: np.ndarray
    as_of: np.ndarray  # datetime64[D]
    as_of_m: np.ndarray
    first_m: np.ndarray


class PairValues:
    """The evaluation values as the engine would read them as of each pair's date: months after its as-of
    month or before the first month it reads are NaN (engine: outside Values' span)."""

    def __init__(self, at: Values, pairs: Pairs) -> None:
        self.at, self.pairs = at, pairs

    def __call__(self, months: np.ndarray | int, which: np.ndarray | None = None) -> np.ndarray:
        p = self.pairs
        which = np.arange(len(p.target)) if which is None else which
        months = np.broadcast_to(np.asarray(months, dtype=int), which.shape)
        at = self.at
        inside = (months >= np.maximum(at.first_m, p.first_m[which])) & (months <= p.as_of_m[which])
        inside &= months <= at.last_m
        pos = at.pos[np.where(inside, months - at.first_m, 0)]
        if (inside & (pos < 0)).any():
            raise ValueError("a month the status reads was not declared to Values")
        out = np.full(len(which), np.nan)
        out[inside] = at.values[p.target[which][inside], pos[inside]]
        return out


def _running_sums(
    raw: np.ndarray, first: int, rows: np.ndarray, lo: np.ndarray, hi: np.ndarray, pair_target: np.ndarray
) -> np.ndarray:
    """caps.sums for every pair: the sum of its target's series over lo..hi (lo per target, hi per pair),
    added month by month from lo as caps.sums adds them (a running sum from each target's own first month,
    read at each pair's last month), so that every bit agrees."""
    out = np.zeros(len(pair_target))
    width = raw.shape[1]
    wanted = np.flatnonzero(rows >= 0)
    if not len(wanted) or width == 0:
        return out
    a = np.clip(lo[wanted] - first, 0, width)
    span = int((width - a).max())
    cols = a[:, None] + np.arange(span)[None, :]
    cells = raw[rows[wanted][:, None], np.minimum(cols, width - 1)]
    cells = np.where(np.isnan(cells) | (cols >= width), 0.0, cells)
    running = np.cumsum(cells, axis=1)
    slot = np.full(len(rows), -1)
    slot[wanted] = np.arange(len(wanted))
    s = slot[pair_target]
    has = s >= 0
    b = np.clip(hi[has] - first + 1, 0, width)  # one past the last column summed, as caps.sums clips it
    last = b - 1 - a[s[has]]
    lo_ok = hi[has] >= lo[pair_target[has]]
    picked = running[s[has], np.clip(last, 0, max(span - 1, 0))]
    out[has] = np.where((last >= 0) & lo_ok, picked, 0.0)
    return out


def _pairs(
    t: pd.DataFrame,
    ends: list[dt.date],
    wanted: np.ndarray,
    clock: Clock,
    data_first: int | None,
    rules: Rules,
) -> Pairs:  # noqa: E501
    target, column = np.nonzero(wanted)
    ends_d = np.array(ends, dtype="datetime64[D]")
    months = np.array([mo.last_complete(e) for e in ends], dtype=int)
    as_of_m = months[column]
    # the engine's first month read (read_values), per as-of date
    lowest = int(clock.base_year.min()) * 12 if len(t) else None
    first_m = as_of_m - rules.trend_max_points
    if lowest is not None:
        first_m = np.minimum(first_m, lowest)
    if data_first is not None:
        first_m = np.minimum(first_m, data_first)
    return Pairs(target, column, ends_d[column], as_of_m, first_m)


def _declared_months(clock: Clock, pairs: Pairs, t: pd.DataFrame, rules: Rules) -> np.ndarray:
    """Every month any pair reads (read_values' `wanted`, for all the as-of months together)."""
    c, i = clock, pairs.target
    as_of = np.unique(pairs.as_of_m)
    if not len(as_of):
        return np.zeros(0, dtype=int)
    trend = np.unique((as_of[:, None] - np.arange(rules.trend_max_points)[None, :]).ravel())
    yoy = t["comparator"].isin(["yoy_reduce_by"]).to_numpy(dtype=bool)
    last_dec_year = (int(as_of.max()) + 1) // 12 - 1
    years = np.arange(c.base_year[yoy].min(), last_dec_year + 1) * 12 + 11 if yoy.any() else np.zeros(0, int)
    ref = np.unique(np.minimum(c.deadline_m[i], pairs.as_of_m))
    return np.concatenate(
        [as_of, ref, c.count_base_m[c.is_count], c.base_year * 12 + 11, trend, years]
    ).astype(int)


def statuses(
    targets: pd.DataFrame,
    measurements: pd.DataFrame | series.Monthly,
    ends: list[dt.date],
    rules: Rules,
    wanted: np.ndarray | None = None,
) -> np.ndarray:
    """Positions in STATUSES (int8) of every target (rows, in the targets' order) as of each date `ends`
    (columns): what engine.evaluate(targets, measurements, end, rules)["status"] gives there. `wanted` (a
    bool matrix of that shape) limits the pairs evaluated; the others are -1."""
    missing = set(engine.TARGET_COLUMNS) - set(targets.columns)
    if missing:
        raise ValueError(f"targets frame lacks {sorted(missing)}")
    t = targets.reset_index(drop=True)
    monthly = (
        measurements if isinstance(measurements, series.Monthly) else series.Monthly.from_frame(measurements)
    )
    out = np.full((len(t), len(ends)), -1, dtype=np.int8)
    wanted = np.ones(out.shape, dtype=bool) if wanted is None else np.asarray(wanted, dtype=bool)
    if not wanted.any():
        return out
    clock = plan_clock(t, ends[0])  # everything but the as-of date's fields, which are per pair here
    p = _pairs(t, ends, wanted, clock, monthly.first_month, rules)
    raw, first, rows, kinds = target_rows(t, monthly)
    span = (int(p.first_m.min()), int(p.as_of_m.max()))
    at = Values(raw, kinds, first, rows, span, _declared_months(clock, p, t, rules), rules.min_months_in_year)
    out[p.target, p.column] = _evaluate_pairs(t, clock, p, at, raw, first, rows, rules)
    return out


def _evaluate_pairs(
    t: pd.DataFrame,
    clock: Clock,
    p: Pairs,
    at: Values,
    raw: np.ndarray,
    first: int,
    rows: np.ndarray,
    rules: Rules,
) -> np.ndarray:
    c, i = clock, p.target
    pv = PairValues(at, p)
    # the plan clock against each pair's date (clock.plan_clock)
    deadline, is_count = c.deadline[i], c.is_count[i]
    reached = deadline <= p.as_of
    ref_m = np.minimum(c.deadline_m[i], p.as_of_m)
    # the evaluation values (engine.read_values)
    offset = np.zeros(len(i))
    offset[is_count] = np.nan_to_num(pv(c.count_base_m[i][is_count], np.flatnonzero(is_count)))
    current = pv(p.as_of_m) - offset
    value = np.where(reached, pv(ref_m) - offset, current)
    latest_col = last_reported(raw, rows[i], ref_m - first)
    latest_m = np.where(latest_col >= 0, latest_col + first, np.nan)
    stale = np.isnan(latest_m) | (ref_m - latest_m >= rules.no_data_months)
    levels = _levels(t, c, p, pv, at, rows, rules)
    # every complete year cut (engine.every_year_cut, as of each pair)
    codes = pd.Categorical(t["comparator"])
    yoy = np.asarray(codes == "yoy_reduce_by")[i]
    pct = t["value_canonical"].to_numpy(dtype=float)[i] / 100
    cuts = engine.every_year_cut(pv, yoy, pct, c.base_year[i], c.due_year[i], p.as_of_m)  # type: ignore[arg-type]
    met_now = levels.meets(value) & cuts.ok
    cannot = _cannot_meet(t, c, p, levels, raw, first, rows, ref_m) | ~np.isnan(cuts.failed_year)
    plan = _schedule(c, p, levels, value, reached)
    earlier = [levels.baseline_missing, cannot, stale | np.isnan(value), reached & ~(met_now & ~cannot)]
    decided = np.logical_or.reduce([*earlier, met_now & ~cannot])
    on, lagging = engine._bands(levels, plan, rules)
    # the trend decides only whether an undecided pair is lagging: it is computed for those pairs only,
    # month by month on the shared values (engine.schedule's trend_slope, the same numbers)
    needs = ~reached & ~decided & ~on & ~lagging
    projected = plan.projected
    trend_start = np.where(c.is_count, c.count_base_m, c.base_year * 12 + 11)
    for m in np.unique(p.as_of_m[needs]):
        here = np.flatnonzero(needs & (p.as_of_m == m))
        slope = engine.trend_slope(at, i[here], trend_start, int(m), rules)
        projected[here] = current[here] + slope * (c.deadline_m[i[here]] - m)
    on, lagging = engine._bands(levels, plan, rules)
    return np.select(  # engine.status_codes: first match wins
        [*earlier, met_now & ~cannot, on, lagging], [0, 1, 0, 1, 2, 3, 4], default=5
    ).astype(np.int8)


def _levels(
    t: pd.DataFrame, c: Clock, p: Pairs, pv: PairValues, at: Values, rows: np.ndarray, rules: Rules
) -> engine.Levels:
    """engine.baseline_and_level for every pair."""
    i = p.target
    comparator = pd.Categorical(t["comparator"])
    stated = t["baseline_value"].to_numpy(dtype=float)[i]
    base_from_data = pv(c.base_year[i] * 12 + 11)
    baseline = np.where(~np.isnan(stated), stated, np.where(c.is_count[i], 0.0, base_from_data))
    relative_t = np.asarray(comparator.isin(list(engine.RELATIVE)))
    relative = relative_t[i]
    baseline_missing = relative & np.isnan(baseline)
    # the first value after the baseline year (Values.first_after): found once per target over every month
    # up to the last date, then kept by the pairs whose date it is not after
    first_later, first_later_m = np.full(len(i), np.nan), np.full(len(i), np.nan)
    candidates = ~relative & np.isnan(baseline) & (rows[i] >= 0)
    if candidates.any():
        owners = np.unique(i[candidates])
        v, m = at.first_after(owners, c.base_year[owners] * 12 + 11)
        slot = np.searchsorted(owners, i[candidates])
        keep = m[slot] <= p.as_of_m[candidates]
        which = np.flatnonzero(candidates)
        first_later[which] = np.where(keep, v[slot], np.nan)
        first_later_m[which] = np.where(keep, m[slot], np.nan)
    baseline_fallback = ~relative & np.isnan(baseline) & ~np.isnan(first_later)
    baseline = np.where(baseline_fallback, first_later, baseline)
    t_base = c.t_base[i].copy()
    if baseline_fallback.any():
        after = (first_later_m[baseline_fallback].astype(int) + 1 - 1970 * 12).astype("datetime64[M]")
        t_base[baseline_fallback] = after.astype("datetime64[D]") - 1
    value = t["value_canonical"].to_numpy(dtype=float)[i]
    codes = pd.Categorical.from_codes(comparator.codes[i], comparator.categories)
    level = engine.target_levels(pd.Series(codes), value, baseline, c.base_year[i], c.due_year[i])
    around = np.asarray(comparator == "~")[i]
    higher_polarity = (t["polarity"] == "higher").to_numpy(dtype=bool)[i]
    higher = np.asarray(comparator == ">=")[i] | c.is_count[i] | (around & higher_polarity)
    percent_unit = (t["canonical_unit"] == "percent").to_numpy(dtype=bool)[i]
    tolerance = np.where(
        around, np.where(percent_unit, rules.tolerance_pp, rules.tolerance_rel * np.abs(level)), 1e-9
    )
    direction = np.where(higher, 1.0, -1.0)
    with np.errstate(all="ignore"):
        hold = direction * (baseline - level) >= -tolerance
    return engine.Levels(
        baseline, baseline_missing, baseline_fallback, level, direction, tolerance, t_base, hold
    )


def _cannot_meet(
    t: pd.DataFrame,
    c: Clock,
    p: Pairs,
    levels: engine.Levels,
    raw: np.ndarray,
    first: int,
    rows: np.ndarray,
    ref_m: np.ndarray,
) -> np.ndarray:
    """caps.cannot_meet's verdict for every pair (whether, not which: the status needs only that); the year
    failed by a year-on-year target is added by the caller."""
    i, level, tol = p.target, levels.level, levels.tolerance
    comparator, aggregation = pd.Categorical(t["comparator"]), pd.Categorical(t["aggregation"])
    cap_t = np.asarray(comparator == "<=")
    lower_cap_t = cap_t | np.asarray(comparator.isin(["reduce_by", "yoy_reduce_by", "growth_le"]))
    counted_t = cap_t & np.asarray(aggregation == "cumulative_count")
    amounts_t = np.asarray(aggregation == "annual_amount")

    def sums(which_t: np.ndarray, lo: np.ndarray, pairs: np.ndarray) -> np.ndarray:
        out = np.zeros(len(i))
        if pairs.any():
            out[pairs] = _running_sums(raw, first, np.where(which_t, rows, -1), lo, ref_m[pairs], i[pairs])
        return out

    with np.errstate(invalid="ignore"):
        counted = counted_t[i]
        total = sums(counted_t, c.count_base_m + 1, counted)
        cannot = counted & (total > level + tol)
        zero_cap = amounts_t[i] & cap_t[i] & (level <= tol)
        t_base_m = mo.of_dates(levels.t_base)
        fallback = levels.baseline_fallback
        # the events since the path's start: the plan's, or a fallback baseline's month (per pair)
        plain = zero_cap & ~fallback
        events = sums(amounts_t & cap_t, mo.of_dates(c.t_base) + 1, plain)
        moved = zero_cap & fallback
        if moved.any():
            events[moved] = _fallback_sums(raw, first, rows, t_base_m, ref_m, i, moved)
        cannot |= zero_cap & (events > tol)
        in_year = amounts_t[i] & lower_cap_t[i] & ~zero_cap & (ref_m // 12 == c.due_year[i])
        ytd = sums(amounts_t & lower_cap_t, c.due_year * 12, in_year)
        cannot |= in_year & (ytd > level + tol)
    return cannot


def _fallback_sums(
    raw: np.ndarray,
    first: int,
    rows: np.ndarray,
    t_base_m: np.ndarray,
    ref_m: np.ndarray,
    i: np.ndarray,
    moved: np.ndarray,
) -> np.ndarray:
    """Event sums of the pairs whose path starts at a fallback baseline's month: one running sum per distinct
    (target, start) (a pair's start is its own, not its target's)."""
    which = np.flatnonzero(moved)
    starts = t_base_m[which] + 1
    out = np.zeros(len(which))
    for s in np.unique(starts):
        here = starts == s
        own = np.full(len(rows), -1)
        own[i[which[here]]] = rows[i[which[here]]]
        lo = np.full(len(rows), int(s))
        out[here] = _running_sums(raw, first, own, lo, ref_m[which[here]], i[which[here]])
    return out


def _schedule(
    c: Clock, p: Pairs, levels: engine.Levels, value: np.ndarray, reached: np.ndarray
) -> engine.Schedule:
    """engine.schedule for every pair, without the trend (filled in by the caller where it decides)."""
    i, baseline, t_base = p.target, levels.baseline, levels.t_base
    deadline = c.deadline[i]
    span = (deadline - t_base).astype(float)
    f = np.clip((p.as_of - t_base).astype(float) / np.where(span > 0, span, np.nan), 0, 1)
    f = np.where(span > 0, f, 1.0)
    expected = np.where(levels.hold, levels.level, baseline + (levels.level - baseline) * f)
    with np.errstate(all="ignore"):
        moved, needed = value - baseline, expected - baseline
        ratio = np.where(
            np.abs(needed) > 1e-12,
            moved / needed,
            np.where(levels.direction * moved >= -1e-12, np.inf, -np.inf),
        )
        done = moved / (levels.level - baseline)
    ratio = np.where(levels.hold, np.nan, ratio)
    points_behind = np.where(levels.hold, np.nan, 100 * (f - done))
    return engine.Schedule(f, expected, ratio, points_behind, np.full(len(i), np.nan))
