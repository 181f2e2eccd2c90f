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
FUZZY = 0.5  # least Dice coefficient of character pairs for a near-name match


# What many indicators' names end with: sharing these says nothing about sharing a topic.
_METRIC_WORDS = (
    "综合利用率",
    "资源化利用率",
    "无害化处理率",
    "安全利用率",
    "处置率",
    "覆盖率",
    "达标率",
    "回收率",
    "普及率",
    "比例",
    "比率",
    "占比",
    "年均浓度",
    "平均浓度",
    "排放量",
    "使用量",
    "完成数",
    "建成数",
    "治理",
    "整治",
    "建设",
    "消费总量",
    "总量",
)


def _plain_bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)}


_GENERIC = set().union(*(_plain_bigrams(w) for w in _METRIC_WORDS))


def _bigrams(text: str) -> set[str]:
    return _plain_bigrams(text) - _GENERIC


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

    def match(self, subject: str, unit: str, relative: bool) -> tuple[Indicator | None, bool]:
        """(indicator, exact): the indicator whose name or alias (longest first) occurs in the subject and
        takes this unit; else the one whose name shares most character pairs with it (Dice >= FUZZY), not
        exact. Plans name one thing in several ways (畜禽粪便资源化利用率, 畜禽粪污综合利用率)."""
        k = key(subject)
        fits = [(name, ind) for name, ind in self._pairs if relative or _converts(unit, ind.unit)]
        for name, ind in fits:
            if name in k:
                return ind, True
        pairs = _bigrams(k)
        best, score = None, 0.0
        for name, ind in fits:
            other = _bigrams(name)
            if pairs and other:
                dice = 2 * len(pairs & other) / (len(pairs) + len(other))
                if dice > score:
                    best, score = ind, dice
        return (best, False) if score >= FUZZY else (None, False)

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
