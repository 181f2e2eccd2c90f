"""The status rules file (data/rules.yaml), loaded and validated into a typed object."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from indicators.errors import RulesInvalid
from indicators.paths import DATA_DIR


@dataclass(frozen=True)
class Rules:
    no_data_months: int = 3
    lagging_ratio: float = 0.8
    tolerance_pp: float = 1.0
    tolerance_rel: float = 0.02
    min_months_in_year: int = 6
    trend_min_points: int = 6
    trend_max_points: int = 24
    cagr_on_track: float = 0.95
    cagr_acceleration: float = 0.60
    german_years: int = 5
    german_min_points: int = 4
    german_sun: float = 0.05
    german_sun_cloud: float = 0.20
    session_idle_minutes: int = 120
    session_absolute_hours: int = 12
    sign_in_attempts: int = 5
    sign_in_window_minutes: int = 15


_FIELDS = {
    ("status", "no_data_months"): "no_data_months",
    ("status", "lagging_ratio"): "lagging_ratio",
    ("status", "tolerance_percentage_points"): "tolerance_pp",
    ("status", "tolerance_relative"): "tolerance_rel",
    ("aggregation", "min_months_in_year"): "min_months_in_year",
    ("trend", "min_points"): "trend_min_points",
    ("trend", "max_points"): "trend_max_points",
    ("cagr", "on_track"): "cagr_on_track",
    ("cagr", "acceleration_needed"): "cagr_acceleration",
    ("german", "years"): "german_years",
    ("german", "min_points"): "german_min_points",
    ("german", "sun"): "german_sun",
    ("german", "sun_cloud"): "german_sun_cloud",
    ("sessions", "idle_minutes"): "session_idle_minutes",
    ("sessions", "absolute_hours"): "session_absolute_hours",
    ("sessions", "sign_in_attempts"): "sign_in_attempts",
    ("sessions", "sign_in_window_minutes"): "sign_in_window_minutes",
}


def load(path: Path = DATA_DIR / "rules.yaml") -> Rules:
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    values: dict[str, float] = {}
    problems = []
    for (section, key), name in _FIELDS.items():
        value = (raw.get(section) or {}).get(key)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
            problems.append(f"{section}.{key}: {value!r} is not a non-negative number")
            continue
        values[name] = value
    if not problems and not 0 < values["cagr_acceleration"] < values["cagr_on_track"]:
        problems.append("cagr: need 0 < acceleration_needed < on_track")
    if not problems and not values["german_sun"] < values["german_sun_cloud"]:
        problems.append("german: need sun < sun_cloud")
    if problems:
        raise RulesInvalid(f"{path.name}: " + "; ".join(problems))
    ints = {
        "no_data_months",
        "min_months_in_year",
        "trend_min_points",
        "trend_max_points",
        "german_years",
        "german_min_points",
        "session_idle_minutes",
        "session_absolute_hours",
        "sign_in_attempts",
        "sign_in_window_minutes",
    }
    return Rules(**{k: int(v) if k in ints else float(v) for k, v in values.items()})  # type: ignore[arg-type]
