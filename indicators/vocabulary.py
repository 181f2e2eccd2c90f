"""The vocabulary (data/vocabulary.yaml): statuses, comparators, domains, aggregations, polarities, levels
and roles, each a code with the words people read. Validated once on import; every other module reads these
sets from here and defines none of its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from indicators.errors import VocabularyInvalid
from indicators.paths import DATA_DIR

_COLOUR = re.compile(r"^[0-9A-F]{6}$")


@dataclass(frozen=True)
class Term:
    """A code and its Chinese and English words."""

    code: str
    zh: str
    en: str

    def word(self, lang: str = "zh") -> str:
        return self.zh if lang == "zh" else self.en


@dataclass(frozen=True)
class Status(Term):
    order: int
    severity: int  # higher is worse; -1 for no data (not ranked)
    behind: bool  # behind schedule (lagging, off track, missed)
    symbol: str
    colour: str  # RRGGBB
    text_colour: str

    def label(self, lang: str = "zh") -> str:
        return f"{self.symbol} {self.word(lang)}"


@dataclass(frozen=True)
class Comparator(Term):
    relative: bool  # the value is a percentage of a baseline year's value
    symbol: str | None


@dataclass(frozen=True)
class Vocabulary:
    statuses: dict[str, Status]
    comparators: dict[str, Comparator]
    domains: dict[str, Term]
    aggregations: dict[str, Term]
    polarities: dict[str, Term]
    levels: dict[str, Term]
    roles: dict[str, Term]


def _terms(raw: Any, kind: str, extra: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    if not isinstance(raw, list) or not raw:
        raise VocabularyInvalid(f"{kind}: expected a non-empty list")
    seen: set[str] = set()
    for i, item in enumerate(raw):
        if not isinstance(item, dict):
            raise VocabularyInvalid(f"{kind}[{i}]: expected a mapping")
        for name in ("code", "zh", "en", *extra):
            if name not in item:
                raise VocabularyInvalid(f"{kind}[{i}]: missing {name}")
        for name in ("code", "zh", "en"):
            if not isinstance(item[name], str) or not item[name].strip():
                raise VocabularyInvalid(f"{kind}[{i}].{name}: expected text")
        if item["code"] in seen:
            raise VocabularyInvalid(f"{kind}: code {item['code']!r} twice")
        seen.add(item["code"])
    return raw


def _status(i: int, item: dict[str, Any]) -> Status:
    for name in ("colour", "text_colour"):
        if not _COLOUR.match(str(item[name])):
            raise VocabularyInvalid(f"statuses.{item['code']}.{name}: expected RRGGBB, not {item[name]!r}")
    if not isinstance(item["severity"], int) or not isinstance(item["behind"], bool):
        raise VocabularyInvalid(f"statuses.{item['code']}: severity is an integer, behind true or false")
    return Status(
        item["code"],
        item["zh"],
        item["en"],
        i,
        item["severity"],
        item["behind"],
        str(item["symbol"]),
        str(item["colour"]),
        str(item["text_colour"]),
    )


def load(path: Path = DATA_DIR / "vocabulary.yaml") -> Vocabulary:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise VocabularyInvalid(f"{path.name}: {exc}") from None
    if not isinstance(raw, dict):
        raise VocabularyInvalid(f"{path.name}: expected a mapping of sets")

    def plain(kind: str) -> dict[str, Term]:
        return {t["code"]: Term(t["code"], t["zh"], t["en"]) for t in _terms(raw.get(kind), kind)}

    statuses = {
        t["code"]: _status(i, t)
        for i, t in enumerate(
            _terms(raw.get("statuses"), "statuses", ("severity", "behind", "symbol", "colour", "text_colour"))
        )
    }
    if "no_data" not in statuses:
        raise VocabularyInvalid("statuses: no_data is required (the engine's first label)")
    comparators = {
        t["code"]: Comparator(t["code"], t["zh"], t["en"], bool(t["relative"]), t.get("symbol"))
        for t in _terms(raw.get("comparators"), "comparators", ("relative",))
    }
    return Vocabulary(
        statuses,
        comparators,
        plain("domains"),
        plain("aggregations"),
        plain("polarities"),
        plain("levels"),
        plain("roles"),
    )


VOCABULARY = load()

STATUS = VOCABULARY.statuses
STATUSES: tuple[str, ...] = tuple(STATUS)  # evaluation order
SEVERITY: dict[str, int] = {code: s.severity for code, s in STATUS.items() if s.severity >= 0}
BEHIND: tuple[str, ...] = tuple(code for code, s in STATUS.items() if s.behind)
WORST_FIRST: tuple[str, ...] = tuple(sorted(STATUS, key=lambda c: -STATUS[c].severity))
COMPARATOR = VOCABULARY.comparators
COMPARATORS: tuple[str, ...] = tuple(COMPARATOR)
RELATIVE_COMPARATORS: tuple[str, ...] = tuple(c for c, t in COMPARATOR.items() if t.relative)
DOMAINS: tuple[str, ...] = tuple(VOCABULARY.domains)
AGGREGATIONS: tuple[str, ...] = tuple(VOCABULARY.aggregations)
POLARITIES: tuple[str, ...] = tuple(VOCABULARY.polarities)
LEVELS: tuple[str, ...] = tuple(VOCABULARY.levels)
ROLES: tuple[str, ...] = tuple(VOCABULARY.roles)


def status_label(code: str, lang: str = "zh") -> str:
    """'✓ 已达标' / '✓ met'."""
    return STATUS[code].label(lang)


def domain_name(code: str, lang: str = "zh") -> str:
    term = VOCABULARY.domains.get(code)
    return term.word(lang) if term else code


def role_name(code: str, lang: str = "zh") -> str:
    term = VOCABULARY.roles.get(code)
    return term.word(lang) if term else code


def aggregation_words(code: str, lang: str = "zh") -> str:
    return VOCABULARY.aggregations[code].word(lang)
