"""Normalise a plan's text for matching while remembering where every character came from.

Plans are published in Simplified or Traditional characters, with compatibility glyphs (Kangxi radicals,
full-width digits and signs) and Chinese numerals (百分之九十八, 十台). Matching runs on one normal form —
Simplified (opencc t2s), NFKC, Arabic numerals (cn2an) — and every character of it keeps the span of the
original text it stands for, so that a candidate's quote is cut from the original exactly as written.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache

import cn2an
import opencc

_NUMERAL = "零〇一二两三四五六七八九十百千万亿点"
# A Chinese numeral is rewritten only where it counts or measures something: after 百分之, or before a
# classifier or unit. "十三五", "一律", "进一步", "统一" stay as they are.
_PERCENT_WORDS = re.compile(rf"百分之([{_NUMERAL}]+)")
_COUNTED = re.compile(
    rf"(?<![第统唯万之逐进初专单同])([{_NUMERAL}]+)"
    r"(?=(?:家|台|个|座|辆|条|处|所|项|起|件|户|次|套|艘|口|吨|万|亿|亩|天|人|公里|千米|平方|立方|元|蒸吨|倍|"
    r"微克|毫克|公顷|千瓦|兆瓦|公斤|千克|年内))"
)
_STANDALONE_DIGIT_PHRASES = ("一批", "一段", "一体", "一些")


@dataclass(frozen=True)
class Normalised:
    """`text` is the normal form; character i of it stands for original[starts[i]:ends[i]]."""

    original: str
    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original span of text[start:end]."""
        if end <= start:
            at = self.starts[start] if start < len(self.starts) else len(self.original)
            return at, at
        return self.starts[start], self.ends[end - 1]

    def original_text(self, start: int, end: int) -> str:
        s, e = self.span(start, end)
        return self.original[s:e]


Piece = tuple[str, int, int]  # replacement text and the span of the input it replaces


def _rewrite(
    text: str, starts: list[int], ends: list[int], pieces: Iterator[Piece]
) -> tuple[str, list, list]:
    """Apply non-overlapping replacements (in order) and carry the origin of every character along."""
    out: list[str] = []
    new_starts: list[int] = []
    new_ends: list[int] = []
    at = 0
    for replacement, s, e in pieces:
        out.append(text[at:s])
        new_starts.extend(starts[at:s])
        new_ends.extend(ends[at:s])
        if replacement:
            out.append(replacement)
            new_starts.extend([starts[s]] * len(replacement))
            new_ends.extend([ends[e - 1]] * len(replacement))
        at = e
    out.append(text[at:])
    new_starts.extend(starts[at:])
    new_ends.extend(ends[at:])
    return "".join(out), new_starts, new_ends


@lru_cache(maxsize=1)
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def _simplified(text: str) -> Iterator[Piece]:
    whole = _converter().convert(text)
    if len(whole) == len(text):  # the usual case: character for character
        for i, (a, b) in enumerate(zip(text, whole, strict=True)):
            if a != b:
                yield b, i, i + 1
        return
    convert: Callable[[str], str] = _converter().convert
    for i, ch in enumerate(text):  # a phrase changed length: fall back to one character at a time
        if "\u3400" <= ch <= "\u9fff":
            b = convert(ch)
            if b != ch:
                yield b, i, i + 1


def _compatibility(text: str) -> Iterator[Piece]:
    for i, ch in enumerate(text):
        if ord(ch) > 0x7F:
            n = unicodedata.normalize("NFKC", ch)
            if n != ch:
                yield n, i, i + 1


def _number(words: str) -> str | None:
    try:
        value = cn2an.cn2an(words, "smart")
    except (ValueError, KeyError):
        return None
    return f"{value:g}" if isinstance(value, float) else str(value)


def _numerals(text: str) -> Iterator[Piece]:
    found: list[Piece] = []
    for m in _PERCENT_WORDS.finditer(text):
        n = _number(m.group(1))
        if n is not None:
            found.append((n + "%", m.start(), m.end()))
    taken = [(s, e) for _, s, e in found]
    for m in _COUNTED.finditer(text):
        if any(s < m.end() and m.start() < e for s, e in taken):
            continue
        if text[m.start() : m.start() + 2] in _STANDALONE_DIGIT_PHRASES:
            continue
        n = _number(m.group(1))
        # a lone 一 is an article ("作为一项", "一次"), not a count; 万/亿 alone are prefixes
        if n is not None and m.group(1) not in ("一", "万", "亿", "千", "百"):
            found.append((n, m.start(), m.end()))
    yield from sorted(found, key=lambda p: p[1])


def normalise(original: str) -> Normalised:
    text = original
    starts, ends = list(range(len(text))), list(range(1, len(text) + 1))
    for step in (_simplified, _compatibility, _numerals):
        text, starts, ends = _rewrite(text, starts, ends, step(text))
    return Normalised(original, text, tuple(starts), tuple(ends))
