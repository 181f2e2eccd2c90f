"""Data freshness per city, counted per indicator: of the indicators a city has targets for, how many were
reported for the latest month anywhere. A city that sent five of 44 indicators is not up to date."""

from __future__ import annotations

import pandas as pd


def freshness(reported: pd.DataFrame, cities: pd.DataFrame) -> pd.DataFrame:
    """One row per city from store.reported_by_indicator (city, indicator, latest period or NaT) and
    store.cities_frame: city, city_zh, city_en, month (the latest month anywhere), expected (indicators with a
    target), reported (of those, with a value for that month), latest (the city's own latest month),
    months_behind (from its latest month to `month`), missing (the codes not reported for `month`).
    Sorted with the least complete first."""
    columns = ["city", "city_zh", "city_en", "month", "expected", "reported", "latest", "months_behind"]
    if reported.empty or reported["period"].isna().all():
        return pd.DataFrame(columns=[*columns, "missing"])
    periods = pd.to_datetime(reported["period"])
    month = periods.max()
    frame = reported.assign(period=periods, sent=periods == month)
    rows = []
    for city, group in frame.groupby("city", sort=False):
        latest = group["period"].max()
        behind = None if pd.isna(latest) else (month.year - latest.year) * 12 + month.month - latest.month
        missing = sorted(group.loc[~group["sent"], "indicator"])
        rows.append((city, month, len(group), int(group["sent"].sum()), latest, behind, missing))
    out = pd.DataFrame(
        rows, columns=["city", "month", "expected", "reported", "latest", "months_behind", "missing"]
    )
    names = cities[["code", "name_zh", "name_en"]].rename(
        columns={"code": "city", "name_zh": "city_zh", "name_en": "city_en"}
    )
    out = out.merge(names, on="city")
    share = out["reported"] / out["expected"]
    return (
        out.assign(_s=share)
        .sort_values(["_s", "city"], kind="stable")
        .drop(columns="_s")[[*columns, "missing"]]
        .reset_index(drop=True)
    )


def complete(row: pd.Series) -> bool:
    """Every expected indicator reported for the month."""
    return bool(row["reported"] == row["expected"])
