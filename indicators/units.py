"""The one pint registry of the program, with this domain's units from data/units.txt.

A written unit is read by a small grammar, never by pint's expression parser (which evaluates `9**9**9`,
`1/0`, `pi` and reads "mu" as milli-atomic-mass-unit): after the hand-written spellings are normalised
("µg/m³", "微克每立方米", "ug/m3", "％"), a unit is one known name, or two separated by one "/". A name is
one defined in data/units.txt (with its aliases), a Chinese name with the prefix 万, 千 or 亿 (万吨, 万亩), or
one of the few Latin symbols bureaus write (ug, mg, t, m³, ha, %…); only m and km take a power (2 or 3).
Everything else is `unknown_unit`, decided by a dictionary look-up. Only text the grammar accepted reaches
pint. Conversions are done per distinct unit (`factor`), never one Quantity per value.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import pint

from indicators.errors import UnitError
from indicators.paths import DATA_DIR

UNITS_FILE = DATA_DIR / "units.txt"
_REPLACEMENTS = [
    ("µ", "u"),
    ("μ", "u"),
    ("³", "**3"),
    ("²", "**2"),
    ("％", "%"),
    ("每", "/"),
    ("／", "/"),
    ("（", "("),
    ("）", ")"),
]
# "m3", "m2", "km2" written without an operator mean a power of a Latin unit symbol.
_LATIN_POWER = re.compile(r"(?<=[A-Za-z])([23])\b")
# The Latin names and symbols of pint's defaults that this domain writes (data/units.txt adds the rest).
LATIN_NAMES = frozenset(
    {
        "percent",
        "dimensionless",
        "ug",
        "mg",
        "g",
        "kg",
        "t",
        "tonne",
        "microgram",
        "milligram",
        "gram",
        "kilogram",
        "m",
        "km",
        "meter",
        "kilometer",
        "hectare",
        "ha",
        "L",
        "liter",
        "day",
        "d",
        "hour",
        "h",
        "month",
        "year",
    }
)
_POWERED = frozenset({"m", "km", "meter", "kilometer"})  # m², m³, km²: the only powers a bureau writes
_POWER = re.compile(r"^(?P<name>.+?)(?:\*\*|\^)(?P<power>[23])$")
_IDENTIFIER = re.compile(r"^[^\s\d\[\]()*/+\-=.,][^\s\[\]()*/+\-=,]*$")
MAX_LENGTH = 40  # no unit a bureau writes is longer


def _defined() -> tuple[frozenset[str], frozenset[str]]:
    """(the unit names and aliases data/units.txt defines, its prefixes)."""
    names: set[str] = set()
    prefixes: set[str] = set()
    for line in UNITS_FILE.read_text(encoding="utf-8").splitlines():
        text = line.split("#", 1)[0].strip()
        if "=" not in text:
            continue
        parts = [p.strip() for p in text.split("=")]
        if parts[0].endswith("-"):
            prefixes.add(parts[0][:-1])
            continue
        names.update(p for p in parts if _IDENTIFIER.match(p))
    return frozenset(names), frozenset(prefixes)


DEFINED_NAMES, PREFIXES = _defined()
NAMES = DEFINED_NAMES | LATIN_NAMES


def normalise(text: str) -> str:
    """Rewrite a hand-written unit into the grammar's spelling; "%" becomes "percent"."""
    s = unicodedata.normalize("NFKC", text).strip() if not text.isascii() else text.strip()
    for old, new in _REPLACEMENTS:
        s = s.replace(old, new)
    s = _LATIN_POWER.sub(r"**\1", s)
    s = s.replace("%", "percent")
    return "".join(s.split())


def _name(part: str) -> str | None:
    """The spelling pint is given for one name of the grammar, or None when it is not one."""
    if part in NAMES:
        return part
    m = _POWER.match(part)
    if m and m["name"] in _POWERED:
        return f"{m['name']}**{m['power']}"
    prefix, rest = part[:1], part[1:]
    if prefix in PREFIXES and rest in DEFINED_NAMES and not rest.isascii():
        return part  # 万吨, 万亩, 千吨, 亿元
    return None


def grammar(unit: str) -> str | None:
    """The unit as pint is given it (one name, or a quotient of two), or None when the grammar refuses it."""
    if len(unit) > MAX_LENGTH:
        return None
    s = normalise(unit)
    if s.startswith("(") and s.endswith(")"):
        s = s[1:-1]
    parts = s.split("/")
    if len(parts) > 2 or not all(parts):
        return None
    names = [_name(p) for p in parts]
    if any(n is None for n in names):
        return None
    return "/".join(f"({n})" if "**" in n else n for n in names if n)


def _build() -> pint.UnitRegistry:
    ureg: pint.UnitRegistry = pint.UnitRegistry(autoconvert_offset_to_baseunit=True)
    ureg.load_definitions(str(UNITS_FILE))
    return ureg


ureg: pint.UnitRegistry = _build()


@lru_cache(maxsize=4096)
def parse(unit: str) -> pint.Unit:
    """The pint unit for a written unit; UnitError if it is not a unit this program knows."""
    if not unit or not unit.strip():
        raise UnitError("empty unit")
    spelled = grammar(unit)
    if spelled is None:
        raise UnitError(f"unknown unit {unit[:MAX_LENGTH]!r}")
    try:
        return ureg.parse_units(spelled)
    except pint.errors.UndefinedUnitError as exc:  # a name of the grammar pint lacks: a bug in LATIN_NAMES
        raise UnitError(f"unknown unit {unit!r}") from exc


@lru_cache(maxsize=4096)
def factor(from_unit: str, to_unit: str) -> float:
    """Multiply a value in `from_unit` by this to get it in `to_unit`; UnitError when incompatible."""
    src, dst = parse(from_unit), parse(to_unit)
    try:
        return float(ureg.Quantity(1.0, src).to(dst).magnitude)
    except pint.errors.DimensionalityError as exc:
        raise UnitError(f"{from_unit!r} cannot be converted to {to_unit!r}") from exc


def convert(value: float, from_unit: str, to_unit: str) -> float:
    return value * factor(from_unit, to_unit)


def is_percent(unit: str) -> bool:
    return parse(unit) == ureg.percent


def label(unit: str, lang: str = "zh") -> str:
    """A short display form of a canonical unit, for tables, axes and sentences, in Chinese or English."""
    zh, en = _LABELS.get(unit, (unit, unit))
    return zh if lang == "zh" else en


# canonical unit -> (Chinese label, English label); units spelled in Chinese keep that spelling in Chinese
_LABELS = {
    "percent": ("%", "%"),
    "ug/m3": ("µg/m³", "µg/m³"),
    "mg/m3": ("mg/m³", "mg/m³"),
    "day": ("天", "days"),
    "item": ("个", "items"),
    "tonne": ("吨", "t"),
    "吨": ("吨", "t"),
    "万吨": ("万吨", "10k t"),
    "tce": ("吨标准煤", "tce"),
    "yuan": ("元", "yuan"),
    "万亩": ("万亩", "10k mu"),
    "万立方米": ("万立方米", "10k m³"),
    "千克/亩": ("千克/亩", "kg/mu"),
    "平方米": ("平方米", "m²"),
    "吨标准煤/万元": ("吨标准煤/万元", "tce per 10k yuan"),
    "立方米/万元": ("立方米/万元", "m³ per 10k yuan"),
    "dimensionless": ("", ""),
}
