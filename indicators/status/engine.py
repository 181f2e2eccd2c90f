"""The status engine: (targets, measurements, as_of, rules) -> one evaluated row per target. Pure; no I/O.

Vectorised over targets: the monthly series become a matrix (indicators.series) and every quantity below is
an array with one entry per target. The rules are DOMAIN.md's; the thresholds come from data/rules.yaml.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pyarrow as pa

from indicators import months as mo
from indicators.catalog.rules import Rules
from indicators.status import series
from indicators.vocabulary import STATUSES

RELATIVE = ("reduce_by", "yoy_reduce_by", "growth_le")
CAGR_CATEGORIES = ("achieved", "on_track", "acceleration_needed", "limited_progress", "deterioration")
TREND_CATEGORIES = ("sun", "thunderstorm", "sun_cloud", "cloud")
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


def _dates(values: pd.Series) -> np.ndarray:
    return pd.to_datetime(values).to_numpy(dtype="datetime64[D]")


def _trend(at: _Values, which: np.ndarray, start_month: np.ndarray, as_of_m: int, rules: Rules) -> np.ndarray:
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


def evaluate(
    targets: pd.DataFrame, measurements: pd.DataFrame | series.Monthly, as_of: dt.date, rules: Rules
) -> pd.DataFrame:
    """One row per target: status, value, expected, progress ratio, projection and the other methods.

    measurements: city, indicator, period, value — or the same values as series.Monthly arrays."""
    missing = set(TARGET_COLUMNS) - set(targets.columns)
    if missing:
        raise ValueError(f"targets frame lacks {sorted(missing)}")
    t = targets.reset_index(drop=True)
    n = len(t)
    as_of_m = mo.last_complete(as_of)
    comparator = t["comparator"]

    def comparing(*kinds: str) -> np.ndarray:  # in Arrow: the column's texts never become Python objects
        return comparator.isin(kinds).to_numpy(dtype=bool)

    deadline = _dates(t["deadline"])
    first_year = t["plan_first_year"].to_numpy(dtype=int)
    base_year = np.where(t["baseline_year"].notna(), t["baseline_year"].fillna(0), first_year - 1).astype(int)
    is_count = comparing("count_done")
    doc_date = _dates(t["plan_document_date"].fillna(pd.NaT))
    year_start = _january_first(first_year)
    # counts start at 0 on 1 January for a yearly work plan, or for a stage due in the document's own year;
    # otherwise on the document date (DOMAIN.md)
    last_year = (
        t["plan_last_year"].fillna(-1).to_numpy(dtype=int) if "plan_last_year" in t else np.full(n, -1)
    )
    doc_year = doc_date.astype("datetime64[Y]").astype(int) + 1970
    due_year = deadline.astype("datetime64[Y]").astype(int) + 1970
    from_january = np.isnat(doc_date) | (last_year == first_year) | (due_year == doc_year)
    count_start = np.where(from_january, year_start, doc_date)
    base_dec = _january_first(base_year + 1) - 1
    t_base = np.where(is_count, count_start, base_dec)

    # --- the evaluation values the status reads, at those months only ------------------------------------
    if not isinstance(measurements, series.Monthly):
        measurements = series.Monthly.from_frame(measurements)
    first_m = int(min(base_year.min() * 12 if n else as_of_m, as_of_m - rules.trend_max_points))
    if measurements.first_month is not None:
        first_m = min(first_m, measurements.first_month)
    raw, first, rows, kinds = _series(t, measurements)
    count_base_m = mo.of_dates(count_start) - 1
    deadline_m = mo.last_complete_of_dates(deadline)
    ref_m = np.minimum(deadline_m, as_of_m)
    last_dec_year = (as_of_m + 1) // 12 - 1
    yoy = comparing("yoy_reduce_by")
    wanted = [
        [as_of_m],
        ref_m,
        count_base_m[is_count],
        base_year * 12 + 11,
        np.arange(as_of_m - rules.trend_max_points + 1, as_of_m + 1),  # the trend's points
        (np.arange(last_dec_year - rules.german_years + 1, last_dec_year + 1)) * 12 + 11,
        np.arange(base_year[yoy].min(), last_dec_year + 1) * 12 + 11 if yoy.any() else [],
    ]
    at = _Values(
        raw, kinds, first, rows, (first_m, as_of_m), np.concatenate(wanted), rules.min_months_in_year
    )

    offset = np.zeros(n)  # counts: increments before the plan start
    offset[is_count] = np.nan_to_num(at(count_base_m[is_count], np.flatnonzero(is_count)))
    reached = deadline <= np.datetime64(as_of)
    current = at(as_of_m) - offset
    at_deadline = at(ref_m) - offset
    value = np.where(reached, at_deadline, current)

    # latest reported month per target's series, up to the reference month
    latest_col = _last_reported(raw, rows, ref_m - first)
    latest_m = np.where(latest_col >= 0, latest_col + first, np.nan)
    stale = np.isnan(latest_m) | (ref_m - latest_m >= rules.no_data_months)

    # --- baseline and the target as a level ---------------------------------------------------------------
    stated = t["baseline_value"].to_numpy(dtype=float)
    base_from_data = at(base_year * 12 + 11)
    baseline = np.where(~np.isnan(stated), stated, np.where(is_count, 0.0, base_from_data))
    relative = comparing(*RELATIVE)
    baseline_missing = relative & np.isnan(baseline)
    # an absolute target whose baseline year is not in the data starts from its first later value
    first_later = np.full(n, np.nan)
    candidates = ~relative & np.isnan(baseline) & (rows >= 0)
    if candidates.any():
        first_later[candidates] = at.first_after(np.flatnonzero(candidates), base_year[candidates] * 12 + 11)
    baseline_fallback = ~relative & np.isnan(baseline) & ~np.isnan(first_later)
    baseline = np.where(baseline_fallback, first_later, baseline)

    pct = t["value_canonical"].to_numpy(dtype=float) / 100
    years = np.maximum(deadline.astype("datetime64[Y]").astype(int) + 1970 - base_year, 1)
    level = t["value_canonical"].to_numpy(dtype=float).copy()
    level = np.where(comparing("reduce_by"), baseline * (1 - pct), level)
    level = np.where(yoy, baseline * (1 - pct) ** years, level)
    level = np.where(comparing("growth_le"), baseline * (1 + pct) ** years, level)
    around = comparing("~")
    higher = comparing(">=") | is_count | (around & (t["polarity"] == "higher").to_numpy(dtype=bool))
    direction = np.where(higher, 1.0, -1.0)
    percent_unit = (t["canonical_unit"] == "percent").to_numpy(dtype=bool)
    tol = np.where(
        around,
        np.where(percent_unit, rules.tolerance_pp, rules.tolerance_rel * np.abs(level)),
        1e-9,
    )

    def meets(v: np.ndarray) -> np.ndarray:
        with np.errstate(all="ignore"):
            return direction * (v - level) >= -tol

    every_year_ok = _yoy_every_year(at, yoy, pct, base_year, deadline, as_of_m)

    # --- schedule path, progress, projection ---
    span = (deadline - t_base).astype(float)
    f = np.clip((np.datetime64(as_of) - t_base).astype(float) / np.where(span > 0, span, np.nan), 0, 1)
    f = np.where(span > 0, f, 1.0)
    expected = baseline + (level - baseline) * f
    with np.errstate(all="ignore"):
        moved, needed = current - baseline, expected - baseline
        ratio = np.where(
            np.abs(needed) > 1e-12, moved / needed, np.where(direction * moved >= -1e-12, np.inf, -np.inf)
        )
    # the trend runs from the plan start (counts: on the running sum), anchored on the current value
    # (only before the deadline: after it the value at the deadline decides)
    trend_start = np.where(is_count, count_base_m, base_year * 12 + 11)
    ahead = np.flatnonzero(~reached)
    projected = np.full(n, np.nan)
    projected[ahead] = current[ahead] + _trend(at, ahead, trend_start, as_of_m, rules) * (
        deadline_m[ahead] - as_of_m
    )

    # --- status, first match wins ---
    met_now = meets(value) & every_year_ok
    status = np.select(
        [
            stale | np.isnan(value) | baseline_missing,
            reached & ~met_now,
            met_now,
            ratio >= 1 - 1e-9,
            (ratio >= rules.lagging_ratio) | meets(projected),
        ],
        [0, 1, 2, 3, 4],  # the STATUSES in this order
        default=5,
    )

    out = pd.DataFrame(
        {
            "target_id": t["id"],
            "city": t["city"],
            "indicator": t["indicator"],
            "comparator": comparator,
            "target_value": t["value_canonical"],
            "target_level": level,
            "deadline": deadline,
            "deadline_reached": reached,
            "status": _labels(STATUSES, status),
            "value": value,
            "baseline": baseline,
            "baseline_year": base_year,
            "baseline_fallback": baseline_fallback,
            "baseline_missing": baseline_missing,
            "expected": np.where(reached, level, expected),
            "progress_ratio": np.where(np.isfinite(ratio), ratio, np.nan),
            "projected": projected,
            "fraction_elapsed": f,
            "t_base": t_base,
            "direction": direction,
            "latest_period": _month_ends(latest_m),
            "stale": stale,
        }
    )
    annual_mean = (t["aggregation"] == "annual_mean").to_numpy(dtype=bool)
    out["required_average"] = _required_average(
        annual_mean, due_year, raw, first, rows, level, as_of_m, reached
    )
    cagr = _cagr(baseline, current, level, direction, t_base, deadline, as_of, met_now, is_count, rules)
    out["cagr_category"] = _labels(CAGR_CATEGORIES, cagr, optional=True)
    trend = _german(at, as_of_m, level, direction, deadline, met_now, rules)
    out["trend_category"] = _labels(TREND_CATEGORIES, trend, optional=True)
    out["as_of"] = as_of
    return out


def _labels(names: tuple[str, ...], codes: np.ndarray, optional: bool = False) -> pd.Series:
    """names[code] per row as a text column (missing where the code is negative), built in Arrow: a tenth
    of the time that a numpy array of Python strings takes to become one. An optional label that no row
    has is a column of None, as pandas makes of an array of None."""
    if optional and not (codes >= 0).any():
        return pd.Series(np.full(len(codes), None, dtype=object))
    return pa.array(names).take(pa.array(codes, mask=codes < 0)).to_pandas()


def _january_first(years: np.ndarray) -> np.ndarray:
    return (np.asarray(years, dtype=int) - 1970).astype("datetime64[Y]").astype("datetime64[D]")


def _month_ends(months: np.ndarray) -> list[dt.date | None]:
    """The last day of each month index (NaN: None), as dates; computed once per distinct month."""
    codes, distinct = pd.factorize(months)  # NaN -> code -1 -> the None appended last
    ends = np.array([mo.end(int(m)) for m in distinct] + [None], dtype=object)
    return list(ends[codes])


def _last_reported(raw: np.ndarray, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """Per target: the last column of raw up to its column `cols` with a reported value (-1: none).

    Looks back one column at a time from `cols`, only for the targets still unresolved: nearly every series
    reported in its latest month, so this reads a column or two rather than each series' whole history."""
    out = np.full(len(rows), -1)
    col = np.minimum(cols, raw.shape[1] - 1)
    todo = np.flatnonzero((rows >= 0) & (col >= 0))
    while todo.size:
        hit = ~np.isnan(raw[rows[todo], col[todo]])
        out[todo[hit]] = col[todo[hit]]
        todo = todo[~hit]
        col[todo] -= 1
        todo = todo[col[todo] >= 0]
    return out


def _series(t: pd.DataFrame, monthly: series.Monthly) -> tuple[np.ndarray, int, np.ndarray, np.ndarray]:
    """The reported values (rows: series, columns: months from `first` on), each target's row, and each
    row's aggregation (None where no target reads it). A series without values gets an empty row."""
    rows = monthly.rows_of(t["city"], t["indicator"])
    if (rows < 0).any():
        lacking = rows < 0
        missing = pd.MultiIndex.from_arrays([t["city"][lacking], t["indicator"][lacking]]).unique()
        empty = np.full((len(missing), monthly.raw.shape[1]), np.nan)
        monthly = series.Monthly(monthly.keys.append(missing), monthly.first, np.vstack([monthly.raw, empty]))
        rows = monthly.rows_of(t["city"], t["indicator"])
    codes, names = pd.factorize(t["aggregation"])
    kinds = np.full(len(monthly.keys), None, dtype=object)
    kinds[rows] = np.asarray([*names, None], dtype=object)[codes]  # code -1: none
    return monthly.raw, monthly.first, rows, kinds


class _Values:
    """The evaluation value of each target's series at the months a status reads: declared up front and
    computed for those months only (series.evaluation_at). Months outside first_m..last_m read NaN."""

    def __init__(
        self,
        raw: np.ndarray,
        kinds: np.ndarray,
        first: int,
        rows: np.ndarray,
        span: tuple[int, int],
        months: np.ndarray,
        min_months: int,
    ) -> None:
        self.first_m, self.last_m = span
        months = np.unique(np.asarray(months, dtype=int))
        months = months[(months >= self.first_m) & (months <= self.last_m)]
        self.raw, self.kinds, self.first, self.rows, self.min_months = raw, kinds, first, rows, min_months
        self.pos = np.full(self.last_m - self.first_m + 1, -1)
        self.pos[months - self.first_m] = np.arange(len(months))
        of_series = series.evaluation_at(raw, kinds, first, months - first, min_months)
        self.values = of_series[np.maximum(rows, 0)]  # one row per target
        self.values[rows < 0] = np.nan

    def _where(self, months: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        inside = (months >= self.first_m) & (months <= self.last_m)
        pos = self.pos[np.where(inside, months - self.first_m, 0)]
        if (inside & (pos < 0)).any():
            raise ValueError("a month the status reads was not declared to _Values")
        return inside, pos

    def __call__(self, months: np.ndarray | int, which: np.ndarray | None = None) -> np.ndarray:
        """The value of every target (or of the targets `which`, positions) at its month (NaN: none)."""
        targets = np.arange(len(self.rows)) if which is None else which
        inside, pos = self._where(np.broadcast_to(np.asarray(months, dtype=int), targets.shape))
        out = np.full(len(targets), np.nan)
        out[inside] = self.values[targets[inside], pos[inside]]
        return out

    def block(self, months: np.ndarray, which: np.ndarray | None = None) -> np.ndarray:
        """Every target's (or the targets `which`'s) values at the same months (columns), stored row by row:
        the sums over a row (the trend's) depend on that order to the last bit."""
        inside, pos = self._where(np.asarray(months, dtype=int))
        out = np.ascontiguousarray((self.values if which is None else self.values[which])[:, pos])
        out[:, ~inside] = np.nan
        return out

    def first_after(self, which: np.ndarray, months: np.ndarray) -> np.ndarray:
        """Per target of `which` (positions of targets that have a series): the first value from its month
        up to last_m (NaN: none). Computed over the whole span, on these targets' series only."""
        lo = max(int(months.min()), self.first_m)
        if lo > self.last_m:
            return np.full(len(which), np.nan)
        span = np.arange(lo, self.last_m + 1)
        own, inverse = np.unique(self.rows[which], return_inverse=True)
        values = series.evaluation_at(
            self.raw[own], self.kinds[own], self.first, span - self.first, self.min_months
        )[inverse]
        values[span[None, :] < months[:, None]] = np.nan
        has = ~np.isnan(values)
        return np.where(has.any(axis=1), values[np.arange(len(which)), has.argmax(axis=1)], np.nan)


def _yoy_every_year(
    at: _Values,
    yoy: np.ndarray,
    pct: np.ndarray,
    base_year: np.ndarray,
    deadline: np.ndarray,
    as_of_m: int,
) -> np.ndarray:
    """For yoy_reduce_by targets: every complete year so far cut its value by pct on the year before."""
    ok = np.ones(len(yoy), dtype=bool)
    if not yoy.any():
        return ok
    last_year = np.minimum(deadline.astype("datetime64[Y]").astype(int) + 1970, (as_of_m + 1) // 12 - 1)
    checked = np.zeros(len(yoy), dtype=bool)
    for step in range(1, 12):
        year = base_year + step
        active = np.flatnonzero(yoy & (year <= last_year))
        if not active.size:
            break
        now = at(year[active] * 12 + 11, active)
        before = at((year[active] - 1) * 12 + 11, active)
        with np.errstate(all="ignore"):
            ok[active] &= now <= before * (1 - pct[active]) + 1e-9
        checked[active] = True
    return ok & (checked | ~yoy)


def _required_average(
    annual_mean: np.ndarray,
    deadline_year: np.ndarray,
    raw: np.ndarray,
    first: int,
    rows: np.ndarray,
    level: np.ndarray,
    as_of_m: int,
    reached: np.ndarray,
) -> np.ndarray:
    """Annual-mean targets: what the remaining months of this year must average, (12·T − Σ so far)/left."""
    year = as_of_m // 12
    month = as_of_m % 12 + 1
    out = np.full(len(rows), np.nan)
    applies = annual_mean & ~reached & (month < 12) & (rows >= 0) & (deadline_year >= year)
    if not applies.any():
        return out
    cols = np.arange(year * 12, as_of_m + 1) - first
    so_far = raw[np.ix_(rows[applies], cols[(cols >= 0) & (cols < raw.shape[1])])]
    n_so_far = (~np.isnan(so_far)).sum(axis=1)
    left = 12 - n_so_far
    with np.errstate(all="ignore"):
        out[applies] = np.where(left > 0, (12 * level[applies] - np.nansum(so_far, axis=1)) / left, np.nan)
    return out


def _cagr(
    x0: np.ndarray,
    xt: np.ndarray,
    target: np.ndarray,
    direction: np.ndarray,
    t_base: np.ndarray,
    deadline: np.ndarray,
    as_of: dt.date,
    met: np.ndarray,
    is_count: np.ndarray,
    rules: Rules,
) -> np.ndarray:
    """Eurostat / Statistics Canada: R = CAGR observed / CAGR required (signs flipped if lower is better)."""
    years_obs = (np.datetime64(as_of) - t_base).astype(float) / 365.25
    years_req = (deadline - t_base).astype(float) / 365.25
    with np.errstate(all="ignore"):
        valid = (x0 > 0) & (xt > 0) & (target > 0) & (years_obs > 0) & (years_req > 0) & ~is_count
        observed = direction * ((xt / x0) ** (1 / years_obs) - 1)
        required = direction * ((target / x0) ** (1 / years_req) - 1)
        r = observed / required
    return np.select(  # codes of CAGR_CATEGORIES, -1: not applicable
        [met, ~valid | (required <= 0), r >= rules.cagr_on_track, r >= rules.cagr_acceleration, r >= 0],
        [0, -1, 1, 2, 3],
        default=4,
    )


def _german(
    at: _Values,
    as_of_m: int,
    target: np.ndarray,
    direction: np.ndarray,
    deadline: np.ndarray,
    met: np.ndarray,
    rules: Rules,
) -> np.ndarray:
    """German strategy: extrapolate the mean annual change of the last years to the target year."""
    last_dec_year = (as_of_m + 1) // 12 - 1
    years = np.arange(last_dec_year - rules.german_years + 1, last_dec_year + 1)
    yearly = at.block(years * 12 + 11)
    present = ~np.isnan(yearly)
    n = present.sum(axis=1)
    first_i = np.where(present.any(axis=1), present.argmax(axis=1), 0)
    last_i = len(years) - 1 - np.where(present.any(axis=1), present[:, ::-1].argmax(axis=1), 0)
    idx = np.arange(len(yearly))
    first_v, last_v = yearly[idx, first_i], yearly[idx, last_i]
    with np.errstate(all="ignore"):
        change = (last_v - first_v) / (last_i - first_i)
        target_year = deadline.astype("datetime64[Y]").astype(int) + 1970
        projected = last_v + change * (target_year - years[last_i])
        gap = direction * (target - projected)  # > 0: projection short of the target
        miss = gap / np.abs(target - last_v)
    return np.select(  # codes of TREND_CATEGORIES, -1: too few points
        [
            n < rules.german_min_points,
            met | (gap <= 0),
            direction * change <= 0,
            miss <= rules.german_sun,
            miss <= rules.german_sun_cloud,
        ],
        [-1, 0, 1, 0, 2],
        default=3,
    )
