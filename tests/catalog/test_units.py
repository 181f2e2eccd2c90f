"""The one registry: domain units, hand-written spellings, conversions computed by hand."""

import pytest

from indicators import units


@pytest.mark.parametrize(
    ("value", "src", "dst", "expected"),
    [
        # 1 亩 = 10000/15 m² = 666.667 m²;
        # 4.7 万亩 = 47000 亩 = 47000 × 666.667 m² = 31 333 333 m² = 3133.33 ha
        (4.7, "万亩", "hectare", 3133.3333),
        (1, "亩", "m**2", 666.6667),
        (15, "亩", "hectare", 1.0),
        # 1 mg/m³ = 1000 µg/m³, in every spelling of the microgram per cubic metre
        (0.035, "毫克/立方米", "ug/m3", 35.0),
        (35, "µg/m³", "微克/立方米", 35.0),
        (35, "μg/m³", "ug/m3", 35.0),
        (35, "微克每立方米", "ug/m3", 35.0),
        (2.5, "万吨", "吨", 25000.0),
        (3, "万元", "元", 30000.0),
        (1.2, "亿元", "万元", 12000.0),
        (2, "万立方米", "立方米", 20000.0),
        (98, "%", "percent", 98.0),
        (98, "％", "%", 98.0),
        (0.98, "dimensionless", "%", 98.0),
        (9, "台", "item", 9.0),
        (293, "家", "个", 293.0),
        (1, "天", "hour", 24.0),
        (1, "吨标准煤", "千克标准煤", 1000.0),
    ],
)
def test_conversions(value, src, dst, expected):
    assert units.convert(value, src, dst) == pytest.approx(expected, rel=1e-4)


def test_mu_is_not_mu_of_land():
    # pint reads "mu" as milli-atomic-mass-unit; it must never convert to an area.
    with pytest.raises(units.UnitError):
        units.factor("mu", "亩")


def test_steam_tonnes_per_hour_is_its_own_dimension():
    assert units.factor("蒸吨/小时", "steam_tonne_per_hour") == 1.0
    for mass_rate in ("吨/小时", "吨"):
        with pytest.raises(units.UnitError):
            units.factor("蒸吨/小时", mass_rate)


@pytest.mark.parametrize(("src", "dst"), [("万元", "吨"), ("%", "ug/m3"), ("家", "亩"), ("天", "%")])
def test_incompatible_units_are_refused(src, dst):
    with pytest.raises(units.UnitError, match="cannot be converted"):
        units.factor(src, dst)


@pytest.mark.parametrize("bad", ["", "   ", "微克/立方", "abc", "-"])
def test_unknown_units_are_refused(bad):
    with pytest.raises(units.UnitError):
        units.parse(bad)


def test_factor_is_one_number_per_unit_pair():
    assert units.factor("万亩", "hectare") == pytest.approx(666.6667, rel=1e-6)  # 1e4 × 666.667 m² / 1e4
