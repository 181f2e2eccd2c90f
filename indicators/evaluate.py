"""The status engine: (targets, measurements, as_of, rules) -> one evaluated row per target. Pure; no I/O.

Vectorised over targets: the monthly series become a matrix (indicators.series) and every quantity below is
an array with one entry per target. The rules are DOMAIN.md's; the thresholds come from data/rules.yaml.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from indicators import series
from indicators.rules import Rules

STATUSES = ("no_data", "missed", "met", "on_schedule", "lagging", "off_track")
RELATIVE = ("reduce_by", "yoy_reduce_by", "growth_le")
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


def _months(dates: np.ndarray) -> np.ndarray:
    d = dates.astype("datetime64[M]")
    return d.astype(int) + 1970 * 12  # numpy months since 1970-01 -> year*12 + month-1


def _last_complete(dates: np.ndarray) -> np.ndarray:
    """Per date, the latest month whose last day is on or before it."""
    m = _months(dates)
    next_month_first = (dates.astype("datetime64[M]") + 1).astype("datetime64[D]")
    return np.where(dates + 1 == next_month_first, m, m - 1)


def _gather(matrix: np.ndarray, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    ok = (rows >= 0) & (cols >= 0) & (cols < matrix.shape[1])
    out = np.full(len(rows), np.nan)
    out[ok] = matrix[rows[ok], cols[ok]]
    return out


def _trend(
    values: np.ndarray, rows: np.ndarray, start_col: np.ndarray, end_col: int, rules: Rules
) -> np.ndarray:
    """Least-squares slope per month over the last points of each row, from start_col on."""
    width = rules.trend_max_points
    cols = end_col - width + 1 + np.arange(width)
    window = np.full((len(rows), width), np.nan)
    ok_cols = cols >= 0
    valid_rows = rows >= 0
    window[np.ix_(valid_rows, ok_cols)] = values[np.ix_(rows[valid_rows], cols[ok_cols])]
    window[cols[None, :] < start_col[:, None]] = np.nan
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
    as_of_m = series.last_complete_month(as_of)
    comparator = t["comparator"].to_numpy()
    deadline = _dates(t["deadline"])
    first_year = t["plan_first_year"].to_numpy(dtype=int)
    base_year = np.where(t["baseline_year"].notna(), t["baseline_year"].fillna(0), first_year - 1).astype(int)
    is_count = comparator == "count_done"
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

    # --- the evaluation matrix over all series the targets need ------------------------------------------
    # sorted like store.monthly_values, so that the values need no reordering
    agg = (
        t.drop_duplicates(["city", "indicator"]).set_index(["city", "indicator"])["aggregation"].sort_index()
    )
    if not isinstance(measurements, series.Monthly):
        measurements = series.Monthly.from_frame(measurements)
    first_m = int(min(base_year.min() * 12 if n else as_of_m, as_of_m - rules.trend_max_points))
    if measurements.first_month is not None:
        first_m = min(first_m, measurements.first_month)
    matrix = series.build(measurements, agg, first_m, as_of_m, rules.min_months_in_year)
    rows = matrix.keys.get_indexer(pd.MultiIndex.from_arrays([t["city"], t["indicator"]]))
    E = matrix.value

    def at(months: np.ndarray) -> np.ndarray:
        return _gather(E, rows, np.asarray(months) - first_m)

    count_base_m = _months(count_start) - 1
    offset = np.where(is_count, np.nan_to_num(at(count_base_m)), 0.0)  # increments before the plan start

    deadline_m = _last_complete(deadline)
    reached = deadline <= np.datetime64(as_of)
    ref_m = np.minimum(deadline_m, as_of_m)
    current = at(np.full(n, as_of_m)) - offset
    at_deadline = at(ref_m) - offset
    value = np.where(reached, at_deadline, current)

    # latest reported month per target's series, up to the reference month
    latest_col = _last_reported(matrix.raw, rows, ref_m - first_m)
    latest_m = np.where(latest_col >= 0, latest_col + first_m, np.nan)
    stale = np.isnan(latest_m) | (ref_m - latest_m >= rules.no_data_months)

    # --- baseline and the target as a level ---------------------------------------------------------------
    stated = t["baseline_value"].to_numpy(dtype=float)
    base_from_data = at(base_year * 12 + 11)
    baseline = np.where(~np.isnan(stated), stated, np.where(is_count, 0.0, base_from_data))
    relative = np.isin(comparator, RELATIVE)
    baseline_missing = relative & np.isnan(baseline)
    # an absolute target whose baseline year is not in the data starts from its first later value
    first_later = _first_valid_after(E, rows, base_year * 12 + 11 - first_m, as_of_m - first_m)
    baseline_fallback = ~relative & np.isnan(baseline) & ~np.isnan(first_later)
    baseline = np.where(baseline_fallback, first_later, baseline)

    pct = t["value_canonical"].to_numpy(dtype=float) / 100
    years = np.maximum(deadline.astype("datetime64[Y]").astype(int) + 1970 - base_year, 1)
    level = t["value_canonical"].to_numpy(dtype=float).copy()
    level = np.where(comparator == "reduce_by", baseline * (1 - pct), level)
    level = np.where(comparator == "yoy_reduce_by", baseline * (1 - pct) ** years, level)
    level = np.where(comparator == "growth_le", baseline * (1 + pct) ** years, level)
    higher = (comparator == ">=") | is_count | ((comparator == "~") & (t["polarity"].to_numpy() == "higher"))
    direction = np.where(higher, 1.0, -1.0)
    percent_unit = t["canonical_unit"].to_numpy() == "percent"
    tol = np.where(
        comparator == "~",
        np.where(percent_unit, rules.tolerance_pp, rules.tolerance_rel * np.abs(level)),
        1e-9,
    )

    def meets(v: np.ndarray) -> np.ndarray:
        with np.errstate(all="ignore"):
            return direction * (v - level) >= -tol

    every_year_ok = _yoy_every_year(E, rows, first_m, comparator, pct, base_year, deadline, as_of_m)

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
    trend_start = np.where(is_count, count_base_m, base_year * 12 + 11) - first_m
    slope = _trend(E, rows, trend_start, as_of_m - first_m, rules)
    projected = current + slope * (deadline_m - as_of_m)
    projected = np.where(reached, np.nan, projected)

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
        ["no_data", "missed", "met", "on_schedule", "lagging"],
        default="off_track",
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
            "status": status,
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
    out["required_average"] = _required_average(t, matrix, rows, level, as_of_m, first_m, reached)
    out["cagr_category"] = _cagr(
        baseline, current, level, direction, t_base, deadline, as_of, met_now, is_count, rules
    )
    out["trend_category"] = _german(E, rows, first_m, as_of_m, level, direction, deadline, met_now, rules)
    out["as_of"] = as_of
    return out


def _january_first(years: np.ndarray) -> np.ndarray:
    return (np.asarray(years, dtype=int) - 1970).astype("datetime64[Y]").astype("datetime64[D]")


def _month_ends(months: np.ndarray) -> list[dt.date | None]:
    """The last day of each month index (NaN: None), as dates; computed once per distinct month."""
    codes, distinct = pd.factorize(months)  # NaN -> code -1 -> the None appended last
    ends = np.array([series.month_end(int(m)) for m in distinct] + [None], dtype=object)
    return list(ends[codes])


def _last_reported(raw: np.ndarray, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """Per target: the last column up to its column `cols` with a reported value (-1: none, or the column
    is before the matrix), computed once per distinct column on the rows that need it."""
    out = np.full(len(rows), -1.0)
    for c in np.unique(cols):
        sel = (cols == c) & (rows >= 0)
        if c < 0 or not sel.any():
            continue
        present = ~np.isnan(raw[rows[sel], : c + 1])
        last = c - present[:, ::-1].argmax(axis=1)
        out[sel] = np.where(present.any(axis=1), last, -1)
    return out


def _first_valid_after(
    values: np.ndarray, rows: np.ndarray, start_col: np.ndarray, end_col: int
) -> np.ndarray:
    out = np.full(len(rows), np.nan)
    for i in np.unique(start_col):
        sel = (start_col == i) & (rows >= 0)
        if not sel.any():
            continue
        window = values[rows[sel], max(i, 0) : end_col + 1] if end_col >= max(i, 0) else None
        if window is None or window.shape[1] == 0:
            continue
        has = ~np.isnan(window)
        first = np.where(has.any(axis=1), has.argmax(axis=1), -1)
        picked = np.where(first >= 0, window[np.arange(len(first)), np.maximum(first, 0)], np.nan)
        out[sel] = picked
    return out


def _yoy_every_year(
    E: np.ndarray,
    rows: np.ndarray,
    first_m: int,
    comparator: np.ndarray,
    pct: np.ndarray,
    base_year: np.ndarray,
    deadline: np.ndarray,
    as_of_m: int,
) -> np.ndarray:
    """For yoy_reduce_by targets: every complete year so far cut its value by pct on the year before."""
    ok = np.ones(len(rows), dtype=bool)
    yoy = comparator == "yoy_reduce_by"
    if not yoy.any():
        return ok
    last_year = np.minimum(deadline.astype("datetime64[Y]").astype(int) + 1970, (as_of_m + 1) // 12 - 1)
    checked = np.zeros(len(rows), dtype=bool)
    for step in range(1, 12):
        year = base_year + step
        active = yoy & (year <= last_year)
        if not active.any():
            break
        now = _gather(E, rows, year * 12 + 11 - first_m)
        before = _gather(E, rows, (year - 1) * 12 + 11 - first_m)
        with np.errstate(all="ignore"):
            good = now <= before * (1 - pct) + 1e-9
        ok &= ~active | good
        checked |= active
    return ok & (checked | ~yoy)


def _required_average(
    t: pd.DataFrame,
    matrix: series.Matrix,
    rows: np.ndarray,
    level: np.ndarray,
    as_of_m: int,
    first_m: int,
    reached: np.ndarray,
) -> np.ndarray:
    """Annual-mean targets: what the remaining months of this year must average, (12·T − Σ so far)/left."""
    year = as_of_m // 12
    month = as_of_m % 12 + 1
    out = np.full(len(rows), np.nan)
    applies = (t["aggregation"].to_numpy() == "annual_mean") & ~reached & (month < 12) & (rows >= 0)
    applies &= pd.to_datetime(t["deadline"]).dt.year.to_numpy() >= year
    if not applies.any():
        return out
    cols = np.arange(year * 12, as_of_m + 1) - first_m
    so_far = matrix.raw[np.ix_(rows[applies], cols[cols >= 0])]
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
    category = np.select(
        [met, ~valid | (required <= 0), r >= rules.cagr_on_track, r >= rules.cagr_acceleration, r >= 0],
        ["achieved", "", "on_track", "acceleration_needed", "limited_progress"],
        default="deterioration",
    )
    return np.where(category == "", None, category)


def _german(
    E: np.ndarray,
    rows: np.ndarray,
    first_m: int,
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
    yearly = np.stack([_gather(E, rows, np.full(len(rows), y * 12 + 11 - first_m)) for y in years], axis=1)
    present = ~np.isnan(yearly)
    n = present.sum(axis=1)
    first_i = np.where(present.any(axis=1), present.argmax(axis=1), 0)
    last_i = len(years) - 1 - np.where(present.any(axis=1), present[:, ::-1].argmax(axis=1), 0)
    idx = np.arange(len(rows))
    first_v, last_v = yearly[idx, first_i], yearly[idx, last_i]
    with np.errstate(all="ignore"):
        change = (last_v - first_v) / (last_i - first_i)
        target_year = deadline.astype("datetime64[Y]").astype(int) + 1970
        projected = last_v + change * (target_year - years[last_i])
        gap = direction * (target - projected)  # > 0: projection short of the target
        miss = gap / np.abs(target - last_v)
    category = np.select(
        [
            n < rules.german_min_points,
            met | (gap <= 0),
            direction * change <= 0,
            miss <= rules.german_sun,
            miss <= rules.german_sun_cloud,
        ],
        ["", "sun", "thunderstorm", "sun", "sun_cloud"],
        default="cloud",
    )
    return np.where(category == "", None, category)
