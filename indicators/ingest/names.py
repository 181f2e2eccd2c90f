"""Resolve the names people write for cities and indicators: code, Chinese name, English name or an alias.

Matching ignores case, spaces and full-width forms ("ＰＭ２．５" is "PM2.5"); a spelling that could name two
different things resolves to nothing rather than to a guess.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import pandas as pd

_SPACE = re.compile(r"\s+")


def key(text: object) -> str:
    """The form in which two spellings of one name compare equal."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", str(text))).casefold()


def _index(frame: pd.DataFrame) -> tuple[dict[str, str], set[str]]:
    found: dict[str, str] = {}
    ambiguous: set[str] = set()
    for row in frame.itertuples():
        for name in {row.code, row.name_zh, row.name_en, *list(row.aliases)}:
            k = key(name)
            if found.get(k, row.code) != row.code:
                ambiguous.add(k)
            found[k] = row.code
    for k in ambiguous:
        del found[k]
    return found, ambiguous


@dataclass(frozen=True)
class IndicatorInfo:
    code: str
    name_zh: str
    name_en: str
    unit: str
    valid_min: float
    valid_max: float
    aggregation: str | None = None  # how monthly values aggregate (cumulative_count: a basis may be given)


class Lookup:
    """Names of the cities and indicators loaded in the store (see store.name_frames)."""

    def __init__(self, cities: pd.DataFrame, indicators: pd.DataFrame):
        self._cities, self.ambiguous_cities = _index(cities)
        self._indicators, self.ambiguous_indicators = _index(indicators)
        self.city_names = {r.code: (r.name_zh, r.name_en) for r in cities.itertuples()}
        self.indicators = {
            r.code: IndicatorInfo(
                r.code,
                r.name_zh,
                r.name_en,
                r.unit,
                r.valid_min,
                r.valid_max,
                getattr(r, "aggregation", None),
            )
            for r in indicators.itertuples()
        }

    def city(self, text: object) -> str | None:
        return self._cities.get(key(text))

    def indicator(self, text: object) -> str | None:
        return self._indicators.get(key(text))
