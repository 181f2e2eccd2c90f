"""Map a candidate's subject to an existing indicator (by its Chinese name or an alias), or propose one."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from indicators import units
from indicators.catalog.load import Indicator
from indicators.errors import DabiaoError
from indicators.ingest.names import key

_LOWER_IS_BETTER = re.compile(
    r"浓度|排放|能耗|用水量|消费总量|消耗总量|重污染|超标|事件|事故|黑臭|劣V|劣Ⅴ|噪声|用量|施用量|使用量|强度|"
    r"剩余|未完成|投诉"
)
UNIT_SPELLING = {"dimensionless": "dimensionless"}


@dataclass(frozen=True)
class Proposal:
    name_zh: str
    unit: str
    polarity: str
    aggregation: str


class Mapper:
    def __init__(self, indicators: Sequence[Indicator]):
        pairs = []
        for ind in indicators:
            for name in {ind.name_zh, *ind.aliases}:
                k = key(name)
                if len(k) >= 2:
                    pairs.append((k, ind))
        self._pairs = sorted(pairs, key=lambda p: -len(p[0]))
        self._polarity = {ind.code: ind.polarity for ind in indicators}

    def match(self, subject: str, unit: str, relative: bool) -> Indicator | None:
        """The indicator whose name or alias (longest first) occurs in the subject and takes this unit."""
        k = key(subject)
        for name, ind in self._pairs:
            if name in k and (relative or _converts(unit, ind.unit)):
                return ind
        return None

    def polarity(self, code: str) -> str:
        return self._polarity[code]


def _converts(unit: str, canonical: str) -> bool:
    try:
        units.factor(unit, canonical)
    except (DabiaoError, Exception):  # noqa: BLE001 - pint raises several kinds for a foreign spelling
        return False
    return True


def polarity_of(name: str) -> str:
    return "lower" if _LOWER_IS_BETTER.search(name) else "higher"


def propose(name: str, unit: str, kind: str, comparator: str) -> Proposal:
    """A new indicator for a subject nobody has defined yet: name, canonical unit, polarity, aggregation."""
    polarity = (
        "lower" if comparator in ("<=", "reduce_by", "yoy_reduce_by", "growth_le") else polarity_of(name)
    )
    if comparator == "count_done":
        aggregation = "cumulative_count"
    elif kind == "concentration":
        aggregation = "annual_mean"
    elif kind in ("amount", "money") or comparator in ("reduce_by", "yoy_reduce_by", "growth_le"):
        aggregation = "annual_amount"
    else:
        aggregation = "level"
    return Proposal(name, unit, polarity, aggregation)
