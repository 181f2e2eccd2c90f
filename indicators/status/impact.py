"""What an upload does to statuses, before it is committed: each city's targets evaluated on the current
values and again on the current values with the upload's accepted values in place, both as of each city's
latest month (as the dashboard evaluates them after the commit)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from indicators import store
from indicators.catalog import rules
from indicators.status import service
from indicators.store import db

KEY = ["city", "indicator", "period"]
# a commit that leaves more than this share of a city's targets without data is warned about
BLANK_SHARE = 0.5


@dataclass(frozen=True)
class CityImpact:
    city: str
    city_zh: str
    city_en: str
    targets: int
    no_data_before: int
    no_data_after: int
    as_of_before: pd.Timestamp | None
    as_of_after: pd.Timestamp | None

    @property
    def blanks(self) -> bool:
        """The commit would leave most of the city's targets without data, more than before."""
        return self.no_data_after > self.no_data_before and self.no_data_after > BLANK_SHARE * self.targets


@dataclass(frozen=True)
class Impact:
    changes: pd.DataFrame  # target_id, city_zh, city_en, indicator_zh, indicator_en, before, after
    cities: list[CityImpact]

    @property
    def warnings(self) -> list[CityImpact]:
        return [c for c in self.cities if c.blanks]


def with_upload(current: pd.DataFrame, accepted: pd.DataFrame) -> pd.DataFrame:
    """The current values (city, indicator, period, value) with the accepted ones in their place."""
    new = accepted[[*KEY, "value"]].assign(period=lambda f: pd.to_datetime(f["period"]))
    old = current[[*KEY, "value"]].assign(period=lambda f: pd.to_datetime(f["period"]))
    both = pd.concat([old, new], ignore_index=True)
    return both.drop_duplicates(KEY, keep="last").reset_index(drop=True)


def _evaluate(targets: pd.DataFrame, values: pd.DataFrame, the_rules: rules.Rules) -> pd.DataFrame:
    values = values[values["value"].notna()]
    return service.evaluate_frames(targets, values, None, the_rules, values[["city", "period"]], False)


def impact(path: Path | str, accepted: pd.DataFrame) -> Impact:
    """The status of every target of the upload's cities before and after committing `accepted`."""
    the_rules = rules.load()
    parts, cities = [], []
    for city in sorted(accepted["city"].unique()) if len(accepted) else []:
        with db.connect(path, read_only=True) as con:
            targets = service.engine_targets(store.targets_frame(con, city), store.plans_frame(con))
            current = store.measurements_frame(con, city)
        if targets.empty:
            continue
        mine = accepted[accepted["city"] == city]
        before = _evaluate(targets, current, the_rules) if len(current) else None
        after = _evaluate(targets, with_upload(current, mine), the_rules)
        old = before["status"] if before is not None else pd.Series("no_data", index=after.index)
        parts.append(
            after[["target_id", "city_zh", "city_en", "indicator_zh", "indicator_en"]].assign(
                before=old.to_numpy(), after=after["status"].to_numpy()
            )
        )
        first = after.iloc[0]
        cities.append(
            CityImpact(
                str(city),
                str(first["city_zh"]),
                str(first["city_en"]),
                len(after),
                int((old == "no_data").sum()),
                int((after["status"] == "no_data").sum()),
                pd.Timestamp(before["as_of"].iloc[0]) if before is not None else None,
                pd.Timestamp(first["as_of"]),
            )
        )
    frame = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=_CHANGE_COLUMNS)
    return Impact(frame[frame["before"] != frame["after"]].reset_index(drop=True), cities)


_CHANGE_COLUMNS = ["target_id", "city_zh", "city_en", "indicator_zh", "indicator_en", "before", "after"]
