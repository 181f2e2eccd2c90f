"""Data freshness per city, counted per indicator: of the indicators a city has targets for, how many were
reported for the latest month anywhere. A city that sent five of 44 indicators is not up to date."""

from __future__ import annotations

from dataclasses import dataclass

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


@dataclass(frozen=True)
class Summary:
    """What a page lists of `freshness`: the month, how many cities and how many behind, and the rows to
    show — every city when there are at most `limit`, else the first `limit` of those behind."""

    month: pd.Timestamp | None  # None: nothing was ever measured
    cities: int
    behind: int  # cities that reported fewer indicators than they have targets for, for the month
    rows: pd.DataFrame

    @property
    def up(self) -> int:
        return self.cities - self.behind


def summary(fresh: pd.DataFrame, limit: int) -> Summary:
    """`freshness`'s frame summed up for a page that lists at most `limit` cities (cached per data version:
    the rows are a few, the frame a row per city)."""
    if fresh.empty:
        return Summary(None, 0, 0, fresh)
    incomplete = fresh[fresh["reported"] < fresh["expected"]]
    rows = incomplete.head(limit) if len(fresh) > limit else fresh
    return Summary(fresh["month"].iloc[0], len(fresh), len(incomplete), rows.reset_index(drop=True))
