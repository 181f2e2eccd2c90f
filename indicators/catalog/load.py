"""Load and validate the declarative catalog in data/: cities, indicators, plans and targets.

Validation collects every problem (file, item, field, message) and raises them together; it never stops at
the first one and never prints.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from indicators import units
from indicators.catalog.checker import Checker, Problem, unique
from indicators.errors import CatalogInvalid
from indicators.paths import DATA_DIR
from indicators.vocabulary import AGGREGATIONS, COMPARATORS, DOMAINS, LEVELS, POLARITIES, RELATIVE_COMPARATORS

_CODE = re.compile(r"^[a-z][a-z0-9_]*$")
_DEADLINE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")


@dataclass(frozen=True)
class City:
    code: str
    name_zh: str
    name_en: str
    province_zh: str
    province_en: str
    parent_zh: str | None
    parent_en: str | None
    level: str
    source_file: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Indicator:
    code: str
    name_zh: str
    name_en: str
    domain: str
    unit: str
    polarity: str
    aggregation: str
    valid_min: float
    valid_max: float
    aliases: tuple[str, ...] = ()
    decimals: int = 2  # how many decimals a value of it is shown with (rounded half up)


@dataclass(frozen=True)
class Plan:
    source_file: str
    city: str
    title_zh: str
    title_en: str
    document_date: dt.date | None
    first_year: int
    last_year: int


@dataclass(frozen=True)
class Target:
    id: str
    city: str
    indicator: str
    comparator: str
    value: float
    unit: str
    value_canonical: float
    deadline: dt.date
    deadline_text: str
    stage: str
    baseline_year: int | None
    baseline_value: float | None
    source_file: str
    plan_title_zh: str
    quote: str
    responsible: tuple[str, ...]
    cooperating: tuple[str, ...]
    note: str | None = None


@dataclass
class Catalog:
    cities: list[City] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    plans: list[Plan] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)

    def city(self, code: str) -> City:
        return next(c for c in self.cities if c.code == code)

    def indicator(self, code: str) -> Indicator:
        return next(i for i in self.indicators if i.code == code)


def parse_deadline(text: str) -> dt.date:
    """'2020' -> 2020-12-31, '2020-10' -> 2020-10-31, '2017-05-30' as written."""
    m = _DEADLINE.match(str(text).strip())
    if not m:
        raise ValueError(f"deadline {text!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = int(m[1]), m[2], m[3]
    if month is None:
        return dt.date(year, 12, 31)
    if day is None:
        mon = int(month)
        return dt.date(year, mon, calendar.monthrange(year, mon)[1])
    return dt.date(year, int(month), int(day))


def _read_yaml(path: Path, problems: list[Problem]) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        problems.append(Problem(path.name, "-", "-", f"cannot read: {exc}"))
        return None


def _load_cities(data: Path, problems: list[Problem]) -> list[City]:
    raw = _read_yaml(data / "cities.yaml", problems) or []
    cities = [
        city_from(Checker(problems, "cities.yaml", f"#{i + 1} {item.get('code', '?')}", item))
        for i, item in enumerate(raw)
    ]
    unique_cities(problems, "cities.yaml", cities)
    return cities


def city_from(c: Checker) -> City:
    """One city of cities.yaml (or of `city add`), its problems recorded on the checker."""
    code = c.text("code")
    if code and not _CODE.match(code):
        c.fail("code", f"{code!r} is not lower_snake_case")
    return City(
        code=code,
        name_zh=c.text("name_zh"),
        name_en=c.text("name_en"),
        province_zh=c.text("province_zh"),
        province_en=c.text("province_en"),
        parent_zh=c.text("parent_zh", optional=True) or None,
        parent_en=c.text("parent_en", optional=True) or None,
        level=c.choice("level", LEVELS),
        source_file=c.text("source_file"),
        aliases=c.strings("aliases"),
    )


def unique_cities(problems: list[Problem], file: str, cities: list[City]) -> None:
    unique(problems, file, "code", [x.code for x in cities])
    unique(problems, file, "name_zh", [x.name_zh for x in cities])
    names: list[str] = []
    for city in cities:  # every way of naming a city must name only one
        names.extend({city.code, city.name_zh, city.name_en.casefold(), *city.aliases})
    unique(problems, file, "name or alias", names)


def _load_indicators(data: Path, problems: list[Problem]) -> list[Indicator]:
    out: list[Indicator] = []
    for path in sorted((data / "indicators").glob("*.yaml")):
        for i, item in enumerate(_read_yaml(path, problems) or []):
            c = Checker(problems, f"indicators/{path.name}", f"#{i + 1} {item.get('code', '?')}", item)
            out.append(indicator_from(c))
    unique_indicators(problems, "indicators/", out)
    return out


def indicator_from(c: Checker) -> Indicator:
    """One indicator of data/indicators/*.yaml (or of `indicator add`), its problems on the checker."""
    code = c.text("code")
    if code and not _CODE.match(code):
        c.fail("code", f"{code!r} is not lower_snake_case")
    unit = c.text("unit")
    if unit:
        try:
            units.parse(unit)
        except units.UnitError as exc:
            c.fail("unit", str(exc))
    lo, hi = c.number("valid_min"), c.number("valid_max")
    if lo is not None and hi is not None and lo >= hi:
        c.fail("valid_max", f"valid range [{lo}, {hi}] is empty")
    decimals = c.number("decimals", optional=True)
    if decimals is not None and (decimals != int(decimals) or not 0 <= decimals <= 6):
        c.fail("decimals", f"{decimals:g} is not a whole number from 0 to 6")
    return Indicator(
        code=code,
        name_zh=c.text("name_zh"),
        name_en=c.text("name_en"),
        domain=c.choice("domain", DOMAINS),
        unit=unit,
        polarity=c.choice("polarity", POLARITIES),
        aggregation=c.choice("aggregation", AGGREGATIONS),
        valid_min=lo or 0.0,
        valid_max=hi if hi is not None else 0.0,
        aliases=c.strings("aliases"),
        decimals=int(decimals) if decimals is not None and 0 <= decimals <= 6 else 2,
    )


def unique_indicators(problems: list[Problem], file: str, indicators: list[Indicator]) -> None:
    unique(problems, file, "code", [x.code for x in indicators])
    names: list[str] = []
    for ind in indicators:  # every way of naming an indicator must name only one
        names.extend({ind.code, ind.name_zh, ind.name_en.casefold(), *ind.aliases})
    unique(problems, file, "name or alias", names)


def _load_targets(
    data: Path, problems: list[Problem], cities: list[City], indicators: list[Indicator]
) -> tuple[list[Plan], list[Target]]:
    city_codes = {c.code for c in cities}
    by_code = {i.code: i for i in indicators}
    plans: list[Plan] = []
    targets: list[Target] = []
    for path in sorted((data / "targets").glob("*.yaml")):
        doc = _read_yaml(path, problems) or {}
        fname = f"targets/{path.name}"
        head = Checker(problems, fname, "header", doc)
        source, city = head.text("source_file"), head.text("city")
        if city and city not in city_codes:
            head.fail("city", f"unknown city {city!r}")
        p = Checker(problems, fname, "plan", doc.get("plan") or {})
        doc_date = p.text("document_date", optional=True)
        plan = Plan(
            source_file=source,
            city=city,
            title_zh=p.text("title_zh"),
            title_en=p.text("title_en"),
            document_date=_date_or_problem(p, "document_date", doc_date),
            first_year=int(p.number("first_year") or 0),
            last_year=int(p.number("last_year") or 0),
        )
        plans.append(plan)
        for i, item in enumerate(doc.get("targets") or []):
            t = target_from(Checker(problems, fname, f"#{i + 1} {item.get('id', '?')}", item), plan, by_code)
            if t is not None:
                targets.append(t)
        if not doc.get("targets"):
            head.fail("targets", "no targets")
    unique(problems, "targets/", "id", [t.id for t in targets])
    return plans, targets


def _date_or_problem(c: Checker, key: str, text: str) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        c.fail(key, f"{text!r} is not YYYY-MM-DD")
        return None


def target_from(c: Checker, plan: Plan, by_code: dict[str, Indicator]) -> Target | None:
    tid, code, comparator = c.text("id"), c.text("indicator"), c.choice("comparator", COMPARATORS)
    value, unit = c.number("value"), c.text("unit")
    quote, deadline_text = c.text("quote"), str(c.raw.get("deadline") or "")
    ind = by_code.get(code)
    if code and ind is None:
        c.fail("indicator", f"unknown indicator {code!r}")
    try:
        deadline = parse_deadline(deadline_text)
    except ValueError as exc:
        c.fail("deadline", str(exc))
        deadline = None
    canonical = _canonical_value(c, ind, comparator, value, unit)
    baseline_year = c.number("baseline_year", optional=True)
    baseline_value = c.number("baseline_value", optional=True)
    if comparator == "reduce_by" and baseline_year is None:
        c.fail("baseline_year", "reduce_by needs the baseline year the text names")
    if None in (ind, value, deadline, canonical) or not (tid and unit and quote):
        return None
    assert ind is not None and value is not None and deadline is not None and canonical is not None
    return Target(
        id=tid,
        city=plan.city,
        indicator=ind.code,
        comparator=comparator,
        value=value,
        unit=unit,
        value_canonical=canonical,
        deadline=deadline,
        deadline_text=deadline_text,
        stage=str(c.raw.get("stage") or deadline.year),
        baseline_year=int(baseline_year) if baseline_year is not None else None,
        baseline_value=baseline_value,
        source_file=plan.source_file,
        plan_title_zh=plan.title_zh,
        quote=quote,
        responsible=c.strings("responsible"),
        cooperating=c.strings("cooperating"),
        note=c.text("note", optional=True) or None,
    )


@dataclass(frozen=True)
class ValueProblem:
    field: str  # "unit" or "value"
    message_zh: str
    message_en: str


def canonical_target_value(ind: Indicator, comparator: str, value: float, unit: str) -> float | ValueProblem:
    """A target value in the indicator's canonical unit (relative targets stay a percentage, 0-100), or what
    is wrong with it. The one check of a target's value: the catalog on load and an administrator's edit."""
    if not math.isfinite(value):
        return ValueProblem("value", "目标值必须是数字", "the target value must be a number")
    try:
        if comparator in RELATIVE_COMPARATORS:
            if not units.is_percent(unit):
                return ValueProblem(
                    "unit",
                    f"{comparator} 目标是百分比，不是 {unit!r}",
                    f"a {comparator} target is a percentage, not {unit!r}",
                )
            if not 0 <= value <= 100:
                return ValueProblem(
                    "value", "比例目标应在 0–100% 之间", "a relative target lies between 0 and 100 %"
                )
            return value
        canonical = units.convert(value, unit, ind.unit)
    except units.UnitError as exc:
        msg = f"{exc} (indicator {ind.code} is in {ind.unit})"
        return ValueProblem("unit", msg, msg)
    if comparator != "count_done" and not ind.valid_min <= canonical <= ind.valid_max:
        span = f"[{ind.valid_min:g}, {ind.valid_max:g}]"
        return ValueProblem(
            "value",
            f"{canonical:g} {ind.unit} 超出该指标的有效范围 {span}",
            f"{canonical:g} {ind.unit} is outside the indicator's valid range {span} ({ind.code})",
        )
    return canonical


def _canonical_value(
    c: Checker, ind: Indicator | None, comparator: str, value: float | None, unit: str
) -> float | None:
    """The target value in the indicator's canonical unit, its problem recorded on the checker."""
    if ind is None or value is None or not unit:
        return None
    out = canonical_target_value(ind, comparator, value, unit)
    if isinstance(out, ValueProblem):
        c.fail(out.field, out.message_en)
        return None
    return out


def load(data_dir: Path = DATA_DIR) -> Catalog:
    """The validated catalog; CatalogInvalid listing every problem otherwise."""
    problems: list[Problem] = []
    cities = _load_cities(data_dir, problems)
    indicators = _load_indicators(data_dir, problems)
    plans, targets = _load_targets(data_dir, problems, cities, indicators)
    if problems:
        raise CatalogInvalid(problems)
    return Catalog(cities=cities, indicators=indicators, plans=plans, targets=targets)
