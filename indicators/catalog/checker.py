"""The field checker of the catalog's YAML items: each missing or mistyped field a Problem, all collected."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Problem:
    file: str
    item: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.item}: {self.field}: {self.message}"


class Checker:
    """Reads fields of one YAML mapping, recording a Problem for each missing or mistyped one."""

    def __init__(self, problems: list[Problem], file: str, item: str, raw: dict[str, Any]):
        self.problems, self.file, self.item, self.raw = problems, file, item, raw

    def fail(self, field_name: str, message: str) -> None:
        self.problems.append(Problem(self.file, self.item, field_name, message))

    def text(self, key: str, optional: bool = False) -> str:
        value = self.raw.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if not optional:
                self.fail(key, "missing")
            return ""
        return str(value)

    def number(self, key: str, optional: bool = False) -> float | None:
        value = self.raw.get(key)
        if value is None:
            if not optional:
                self.fail(key, "missing")
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.fail(key, f"{value!r} is not a number")
            return None
        return float(value)

    def choice(self, key: str, allowed: tuple[str, ...]) -> str:
        value = self.text(key)
        if value and value not in allowed:
            self.fail(key, f"{value!r} is not one of {', '.join(allowed)}")
        return value

    def strings(self, key: str) -> tuple[str, ...]:
        value = self.raw.get(key) or []
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            self.fail(key, "must be a list of non-empty strings")
            return ()
        return tuple(v.strip() for v in value)


def unique(problems: list[Problem], file: str, what: str, values: list[str]) -> None:
    seen: set[str] = set()
    for v in values:
        if v and v in seen:
            problems.append(Problem(file, v, what, "duplicate"))
        seen.add(v)
