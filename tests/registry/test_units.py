"""Units as data: conversions against exact SI relations."""

from __future__ import annotations

import pytest

from ecozone.units import UnitError, conversion_factor, parse_unit


@pytest.mark.parametrize(
    ("source", "target", "factor"),
    [
        ("MWh", "kWh", 1000.0),
        ("GJ", "kWh", 1e9 / 3.6e6),
        ("kWh", "MJ", 3.6),
        ("L", "m3", 1e-3),
        ("t", "kg", 1000.0),
        ("toe", "GJ", 41.868),
    ],
)
def test_conversions(source: str, target: str, factor: float) -> None:
    assert conversion_factor(source, target) == pytest.approx(factor, rel=1e-12)


def test_aliases_and_errors() -> None:
    assert parse_unit("m³").symbol == "m3"
    assert parse_unit("lít").symbol == "L"
    with pytest.raises(UnitError, match="Cannot convert m3"):
        conversion_factor("m3", "kWh")
    with pytest.raises(UnitError, match="Unknown unit"):
        parse_unit("barrel-ish")
