"""The one pint registry of the program, with this domain's units from data/units.txt.

Hand-written spellings ("µg/m³", "微克每立方米", "ug/m3", "％") are normalised before pint parses them.
Conversions are done per distinct unit (`factor`), never one Quantity per value.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pint

from indicators.errors import UnitError
from indicators.paths import DATA_DIR

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


def normalise(text: str) -> str:
    """Rewrite a hand-written unit into a spelling pint parses; "%" becomes "percent"."""
    s = text.strip()
    for old, new in _REPLACEMENTS:
        s = s.replace(old, new)
    s = _LATIN_POWER.sub(r"**\1", s)
    s = s.replace("%", "percent")
    return s


def _build() -> pint.UnitRegistry:
    ureg = pint.UnitRegistry(preprocessors=[normalise], autoconvert_offset_to_baseunit=True)
    ureg.load_definitions(str(DATA_DIR / "units.txt"))
    return ureg


ureg: pint.UnitRegistry = _build()


@lru_cache(maxsize=4096)
def parse(unit: str) -> pint.Unit:
    """The pint unit for a written unit; UnitError if it is not a unit this program knows."""
    if not unit or not unit.strip():
        raise UnitError("empty unit")
    try:
        parsed = ureg.parse_units(unit)
    except (
        pint.errors.UndefinedUnitError,
        pint.errors.DefinitionSyntaxError,
        AttributeError,
        TypeError,
        ValueError,
        SyntaxError,
        AssertionError,  # pint's parser asserts on some inputs, e.g. "-"
    ) as exc:
        raise UnitError(f"unknown unit {unit!r}") from exc
    return parsed


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
