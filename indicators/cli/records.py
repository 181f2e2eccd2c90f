"""The command line's records: targets and evaluated targets as JSON-ready dicts in the contract's field
names (README: `targets --format json`, `status --format json`); the CSV formats are the same records."""

from __future__ import annotations

import pandas as pd

TARGET_FIELDS = [
    "id",
    "city",
    "city_en",
    "indicator",
    "indicator_name",
    "indicator_name_en",
    "domain",
    "comparator",
    "value",
    "unit",
    "deadline",
    "baseline_year",
    "baseline_value",
    "stage",
    "source_file",
    "quote",
    "responsible",
    "cooperating",
]


def target_records(frame: pd.DataFrame) -> list[dict[str, object]]:
    """The targets as plain JSON-ready records in the command-line contract's field names."""
    out = frame.rename(columns={"city": "city_code"}).assign(
        city=frame.city_zh,
        city_en=frame.city_en,
        indicator_name=frame.indicator_zh,
        indicator_name_en=frame.indicator_en,
        deadline=pd.to_datetime(frame.deadline).dt.strftime("%Y-%m-%d"),
        responsible=frame.responsible.map(list),
        cooperating=frame.cooperating.map(list),
    )
    records = out[TARGET_FIELDS + ["city_code"]].to_dict(orient="records")
    others_of = frame["restated"] if "restated" in frame else pd.Series([None] * len(frame))
    for r, others in zip(records, others_of, strict=True):
        # the other mentions of a commitment restated in several clauses or plans (catalog.commitments)
        mentions = others if isinstance(others, list) else []
        r["restated"] = [{k: m[k] for k in ("id", "source_file", "quote")} for m in mentions]
        for key in ("baseline_year", "baseline_value"):
            if pd.isna(r[key]):
                r[key] = None
        if r["baseline_year"] is not None:
            r["baseline_year"] = int(r["baseline_year"])  # type: ignore[call-overload]
    return records
