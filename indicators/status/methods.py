"""The other published methods shown beside the primary status (DOMAIN.md): the Eurostat / Statistics Canada
CAGR ratio and the German sustainability strategy's extrapolation. Thresholds from data/rules.yaml."""

from __future__ import annotations

import numpy as np

from indicators.catalog.rules import Rules
from indicators.status.values import Values

CAGR_CATEGORIES = ("achieved", "on_track", "acceleration_needed", "limited_progress", "deterioration")
TREND_CATEGORIES = ("sun", "thunderstorm", "sun_cloud", "cloud")


def cagr(
    x0: np.ndarray,
    xt: np.ndarray,
    target: np.ndarray,
    direction: np.ndarray,
    t_base: np.ndarray,
    deadline: np.ndarray,
    when: np.ndarray,
    met: np.ndarray,
    is_count: np.ndarray,
    rules: Rules,
) -> np.ndarray:
    """Eurostat / Statistics Canada: R = CAGR observed / CAGR required (signs flipped if lower is better).

    xt is the value at `when` (per target, datetime64[D]): the as-of date, or the deadline once it passed."""
    years_obs = (when - t_base).astype(float) / 365.25
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


def german(
    at: Values,
    as_of_m: int,
    target: np.ndarray,
    direction: np.ndarray,
    deadline: np.ndarray,
    met: np.ndarray,
    offset: np.ndarray,
    start_m: np.ndarray,
    closed: np.ndarray,
    rules: Rules,
) -> np.ndarray:
    """German strategy: extrapolate the mean annual change of the last years to the target year.

    A year is a point only when the target's own series reported in it and its December is after the
    target's start (start_m: a count's month before its start, else none): a year without data is no point,
    whatever other series hold (issue 12: a count read zeros there once another city reported that year).
    A closed target (deadline passed) has no projection to rate: -1.
    offset: what a count had done before its start, subtracted as the status does."""
    last_dec_year = (as_of_m + 1) // 12 - 1
    years = np.arange(last_dec_year - rules.german_years + 1, last_dec_year + 1)
    yearly = at.block(years * 12 + 11) - offset[:, None]
    counted = at.reported_in_years(years) & (years[None, :] * 12 + 11 > start_m[:, None])
    yearly[~counted] = np.nan
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
            (n < rules.german_min_points) | closed,
            met | (gap <= 0),
            direction * change <= 0,
            miss <= rules.german_sun,
            miss <= rules.german_sun_cloud,
        ],
        [-1, 0, 1, 0, 2],
        default=3,
    )
