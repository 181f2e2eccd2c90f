"""How numbers read: each indicator's precision (data/indicators/*.yaml `decimals`), rounded half up as
people round (40.65 → 40.7 at one decimal, never the binary float's 40.6), never "-0", and unit words
that a reader would write (a coefficient has none)."""

from __future__ import annotations

import functools
import math
from decimal import ROUND_HALF_UP, Decimal

from indicators import units
from indicators.catalog import load as cat

DEFAULT_DECIMALS = 2
NO_UNIT_WORD = {"dimensionless"}


@functools.cache
def _decimals() -> dict[str, int]:
    return {i.code: i.decimals for i in cat.load().indicators}


def decimals(indicator: str) -> int:
    """The decimals an indicator's values are shown with (DEFAULT_DECIMALS for one not in the catalog)."""
    return _decimals().get(indicator, DEFAULT_DECIMALS)


def round_half_up(value: float | None, places: int) -> float:
    """`value` rounded half up at `places` decimals, from its shortest decimal form; NaN stays NaN."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return math.nan
    rounded = float(Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP))
    return rounded + 0.0  # -0.0 + 0.0 is 0.0: no "-0"


def text(value: float | None, places: int = 6, signed: bool = False) -> str:
    """A rounded number as text: thousands separated, trailing zeros dropped, '—' when missing."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    x = round_half_up(value, places)
    body = f"{abs(x):,.{places}f}".rstrip("0").rstrip(".") if places else f"{abs(x):,.0f}"
    if x == 0:
        return "0"
    return ("-" if x < 0 else "+" if signed else "") + body


def unit_label(unit: str, lang: str) -> str:
    """units.label, except that a coefficient or index has no unit word."""
    return "" if unit in NO_UNIT_WORD else units.label(unit, lang)
