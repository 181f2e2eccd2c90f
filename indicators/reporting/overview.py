"""The overview's tables (总览), built once per evaluation: the cities counted by their worst status, the
cities whose cards and grid rows the page shows (those needing most attention when there are more than a
page holds), each one's worst items, the city × domain grid and the indicators' names. Pure pandas.

At national scale (3,000 cities, 150,000 targets) building these takes a second; the page caches them per
version of the data and draws only the few rows it shows."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from indicators.status import rollup

LIMIT = 12  # cards and grid rows at most; the freshness section lists at most as many cities
WORST_ITEMS = 3  # a card's worst items
# what the cards, the grid and the items read of a target: the rest of the evaluation is never copied
_COLUMNS = ["city", "city_zh", "city_en", "domain", "indicator", "indicator_zh", "indicator_en", "status"]


@dataclass(frozen=True)
class Overview:
    evaluated_cities: int  # cities with an evaluated target
    listed: int  # of those, the cities of the catalog's list (every one, in practice)
    worst_counts: dict[str, int]  # cities listed per worst status
    cities: pd.DataFrame  # rollup.rollup rows (city, city_zh, city_en) of the cities shown, in page order
    worst: pd.DataFrame  # each shown city's worst items in order: city, indicator, indicator_zh/en, status
    grid: pd.DataFrame  # the shown cities' rollup by domain: city, domain, worst, n
    domains: list[str]  # the grid's columns, sorted
    indicator_names: pd.DataFrame  # indicator, indicator_zh, indicator_en: once each

    @property
    def empty(self) -> bool:
        return self.evaluated_cities == 0

    @property
    def truncated(self) -> bool:
        """More cities listed than the page shows cards for."""
        return self.listed > len(self.cities)


def overview(evaluated: pd.DataFrame, order: list[str], limit: int) -> Overview:
    """The overview of evaluated targets: `order` the city codes in the catalog's order (the cards' order
    when every city has one); more than `limit` cities: the `limit` needing most attention
    (rollup.worst_first), with every city counted by its worst status."""
    items = ["city", "indicator", "indicator_zh", "indicator_en", "status"]
    if evaluated.empty:
        none = pd.DataFrame(columns=items)
        return Overview(0, 0, {}, pd.DataFrame(), none, none, [], none)
    cities = rollup.rollup(evaluated, ["city", "city_zh", "city_en"])
    present = set(cities["city"])
    cities = cities.set_index("city").loc[[c for c in dict.fromkeys(order) if c in present]].reset_index()
    listed = len(cities)
    worst_counts = {str(k): int(v) for k, v in cities["worst"].value_counts().items()}
    if listed > limit:
        cities = rollup.worst_first(cities).head(limit)
    columns = [*_COLUMNS, "progress_ratio"] if "progress_ratio" in evaluated else _COLUMNS
    shown = evaluated.loc[evaluated["city"].isin(cities["city"]), columns]
    worst = [
        rollup.worst_items(shown[shown["city"] == city], WORST_ITEMS).assign(city=city)
        for city in cities["city"]
    ]
    grid = rollup.rollup(shown, ["city", "city_zh", "city_en", "domain"])
    names = evaluated.drop_duplicates("indicator")[["indicator", "indicator_zh", "indicator_en"]]
    return Overview(
        evaluated_cities=int(evaluated["city"].nunique()),
        listed=listed,
        worst_counts=worst_counts,
        cities=cities.reset_index(drop=True),
        worst=pd.concat([w[items] for w in worst], ignore_index=True)
        if worst
        else pd.DataFrame(columns=items),
        grid=grid[["city", "domain", "worst", "n"]].reset_index(drop=True),
        domains=sorted(grid["domain"].unique()),
        indicator_names=names.reset_index(drop=True),
    )
