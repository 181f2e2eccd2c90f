"""Who is responsible: 责任单位 / 配合单位 lines and "(XX牵头)" notes, attached to the targets before them.

A target takes the first responsibility note after it, unless a heading ("二、", "(三)") comes between: a
note closes the item it ends, and a heading starts a new one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from indicators.plans import lexicon as lx


@dataclass(frozen=True)
class Owners:
    at: int
    responsible: tuple[str, ...]
    cooperating: tuple[str, ...]


_END_OF_LIST = re.compile(r"[\n。]|(?:配合单位|协办单位|参与单位|配合部门|协同单位|协助单位|责任人)")


def split_units(text: str) -> tuple[str, ...]:
    """'市农业农村局、生态环境分局,各县(区)人民政府' -> each unit; separators inside brackets do not split."""
    units: list[str] = []
    depth, current = 0, list[str]()
    for ch in text:
        if ch in "(（":
            depth += 1
        elif ch in ")）":
            depth -= 1
        if depth <= 0 and ch in "、,，;；/ \t":
            units.append("".join(current))
            current = []
            continue
        current.append(ch)
    units.append("".join(current))
    cleaned = (u.strip(" 。.:：").removesuffix("等").removeprefix("由") for u in units)
    return tuple(u for u in cleaned if 1 < len(u) <= 30)


def _list_after(text: str, start: int) -> tuple[str, int]:
    """The list of units from `start` to the end of its line, sentence or enclosing bracket."""
    depth = 0
    stop = _END_OF_LIST.search(text, start)
    limit = stop.start() if stop else len(text)
    for i in range(start, limit):
        if text[i] == "(":
            depth += 1
        elif text[i] == ")":
            depth -= 1
            if depth < 0:  # the bracket of a "(责任单位:…)" note closes
                return text[start:i], i
    return text[start:limit], limit


def find(text: str) -> tuple[list[Owners], list[int]]:
    """Responsibility notes (in order) and heading positions of the normalised text."""
    notes: list[Owners] = []
    for m in lx.RESPONSIBLE.finditer(text):
        names, end = _list_after(text, m.end())
        cooperating: tuple[str, ...] = ()
        coop = lx.COOPERATING.search(text, end, min(len(text), end + 16))
        if coop:
            cooperating = split_units(_list_after(text, coop.end())[0])
        notes.append(Owners(m.start(), split_units(names), cooperating))
    for m in lx.LEAD_NOTE.finditer(text):
        if lx.RESPONSIBLE.search(m.group()):
            continue
        notes.append(Owners(m.start(), split_units(m.group("lead")), split_units(m.group("coop") or "")))
    notes.sort(key=lambda o: o.at)
    headings = [m.end() for m in lx.HEADING.finditer(text)]
    return notes, headings


def owners_at(position: int, notes: list[Owners], headings: list[int]) -> Owners | None:
    """The note that closes the item holding `position`, or None."""
    for note in notes:
        if note.at < position:
            continue
        if any(position < h <= note.at for h in headings):
            return None
        return note
    return None
