"""The status rules file (data/rules.yaml), loaded and validated into a typed object.

Every threshold is set in the file and only there (no defaults in the dataclasses); a missing or
out-of-range setting is a RulesInvalid listing every problem at once."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import yaml

from indicators.errors import RulesInvalid
from indicators.paths import DATA_DIR

PROFILE_KINDS = ("progress_ratio", "points_behind")
PROFILE_VARIABLE = "DABIAO_RATING_PROFILE"  # a deployment's choice of profile, over the file's


@dataclass(frozen=True)
class Profile:
    """The bands that rate the schedule (rules.yaml rating.profiles)."""

    name: str
    kind: str  # progress_ratio or points_behind
    lagging_ratio: float  # progress_ratio: lagging when R >= this (or the trend meets the target)
    lagging_points: float  # points_behind: lagging from this many points behind 序时进度
    off_track_points: float  # points_behind: off track beyond this many points behind


@dataclass(frozen=True)
class Rules:
    """The thresholds of data/rules.yaml; no defaults here: the file is the one place they are set."""

    no_data_months: int
    lagging_ratio: float
    tolerance_pp: float
    tolerance_rel: float
    min_months_in_year: int
    trend_min_points: int
    trend_max_points: int
    cagr_on_track: float
    cagr_acceleration: float
    german_years: int
    german_min_points: int
    german_sun: float
    german_sun_cloud: float
    min_valid_days: int
    min_valid_days_february: int
    min_sufficient_months: int
    upload_max_rows: int
    upload_max_columns: int
    upload_max_xlsx_mb: float
    session_idle_minutes: int
    session_absolute_hours: int
    sign_in_attempts: int
    sign_in_window_minutes: int
    profile: Profile


_FIELDS = {
    ("status", "no_data_months"): "no_data_months",
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
    ("sufficiency", "min_valid_days"): "min_valid_days",
    ("sufficiency", "min_valid_days_february"): "min_valid_days_february",
    ("sufficiency", "min_sufficient_months"): "min_sufficient_months",
    ("uploads", "max_rows"): "upload_max_rows",
    ("uploads", "max_columns"): "upload_max_columns",
    ("uploads", "max_xlsx_uncompressed_mb"): "upload_max_xlsx_mb",
    ("sessions", "idle_minutes"): "session_idle_minutes",
    ("sessions", "absolute_hours"): "session_absolute_hours",
    ("sessions", "sign_in_attempts"): "sign_in_attempts",
    ("sessions", "sign_in_window_minutes"): "sign_in_window_minutes",
}
_INTS = {
    "no_data_months",
    "min_months_in_year",
    "trend_min_points",
    "trend_max_points",
    "german_years",
    "german_min_points",
    "min_valid_days",
    "min_valid_days_february",
    "min_sufficient_months",
    "upload_max_rows",
    "upload_max_columns",
    "session_idle_minutes",
    "session_absolute_hours",
    "sign_in_attempts",
    "sign_in_window_minutes",
}
_PROFILE_NUMBERS = {
    "progress_ratio": ("lagging_ratio",),
    "points_behind": ("lagging_points", "off_track_points"),
}


def _number(value: object) -> bool:
    return not isinstance(value, bool) and isinstance(value, (int, float)) and value >= 0


def _profile(raw: dict[str, object], chosen: str | None, problems: list[str]) -> Profile | None:
    rating = raw.get("rating") or {}
    assert isinstance(rating, dict)
    profiles = rating.get("profiles") or {}
    name = chosen or rating.get("profile")
    if not isinstance(profiles, dict) or name not in profiles:
        problems.append(f"rating.profile: {name!r} is not one of rating.profiles {sorted(profiles or [])}")
        return None
    spec = profiles[name] or {}
    kind = spec.get("kind")
    if kind not in PROFILE_KINDS:
        problems.append(f"rating.profiles.{name}.kind: {kind!r} is not one of {list(PROFILE_KINDS)}")
        return None
    numbers = {
        "lagging_ratio": float("nan"),
        "lagging_points": float("nan"),
        "off_track_points": float("nan"),
    }
    for key in _PROFILE_NUMBERS[kind]:
        if not _number(spec.get(key)):
            problems.append(f"rating.profiles.{name}.{key}: {spec.get(key)!r} is not a non-negative number")
            return None
        numbers[key] = float(spec[key])
    if kind == "points_behind" and not numbers["lagging_points"] < numbers["off_track_points"]:
        problems.append(f"rating.profiles.{name}: need lagging_points < off_track_points")
    return Profile(str(name), str(kind), **numbers)


def load(path: Path = DATA_DIR / "rules.yaml", profile: str | None = None) -> Rules:
    """The rules; profile (else $DABIAO_RATING_PROFILE, else the file's rating.profile) picks the bands."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    values: dict[str, float] = {}
    problems: list[str] = []
    for (section, key), name in _FIELDS.items():
        value = (raw.get(section) or {}).get(key)
        if not _number(value):
            problems.append(f"{section}.{key}: {value!r} is not a non-negative number")
            continue
        values[name] = float(value)  # type: ignore[arg-type]  # a number: checked above
    chosen = _profile(raw, profile or os.environ.get(PROFILE_VARIABLE) or None, problems)
    if not problems and not 0 < values["cagr_acceleration"] < values["cagr_on_track"]:
        problems.append("cagr: need 0 < acceleration_needed < on_track")
    if not problems and not values["german_sun"] < values["german_sun_cloud"]:
        problems.append("german: need sun < sun_cloud")
    if problems or chosen is None:
        raise RulesInvalid(f"{path.name}: " + "; ".join(problems))
    numbers = {k: int(v) if k in _INTS else float(v) for k, v in values.items()}
    return Rules(**numbers, lagging_ratio=chosen.lagging_ratio, profile=chosen)  # type: ignore[arg-type]
