"""Units of measure as data: dimension and factor to the dimension's base unit.

``units.csv`` lists each unit with its dimension (energy, volume, mass, power, ...),
the factor that converts one of it into the base unit, accepted spellings and a source.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources

from ecozone.errors import EcozoneError


class UnitError(EcozoneError):
    """An unknown unit, or a conversion between different dimensions."""


@dataclass(frozen=True)
class Unit:
    """A unit of measure.

    Attributes
    ----------
    symbol : str
        Canonical symbol, e.g. ``kWh``.
    dimension : str
        Physical dimension, e.g. ``energy``.
    to_base : float
        Multiply a quantity in this unit by ``to_base`` to get the base unit [-].
    base_unit : str
        The dimension's base unit, e.g. ``kWh`` for energy.
    """

    symbol: str
    dimension: str
    to_base: float
    base_unit: str


@cache
def _table() -> tuple[dict[str, Unit], dict[str, str]]:
    text = resources.files(__package__).joinpath("units.csv").read_text(encoding="utf-8")
    units: dict[str, Unit] = {}
    aliases: dict[str, str] = {}
    for row in csv.DictReader(text.splitlines()):
        unit = Unit(row["unit"], row["dimension"], float(row["to_base"]), row["base_unit"])
        units[unit.symbol] = unit
        aliases[unit.symbol.casefold()] = unit.symbol
        for alias in filter(None, row["aliases"].split("|")):
            aliases[alias.casefold()] = unit.symbol
    return units, aliases


def all_units() -> dict[str, Unit]:
    """Return every known unit by canonical symbol."""
    return dict(_table()[0])


def parse_unit(text: str) -> Unit:
    """Return the unit spelled ``text`` (case-insensitive, aliases accepted).

    Raises
    ------
    UnitError
        If the spelling is not known.
    """
    units, aliases = _table()
    symbol = aliases.get(text.strip().casefold())
    if symbol is None:
        raise UnitError("unit.unknown", unit=text, known=", ".join(sorted(units)))
    return units[symbol]


def conversion_factor(from_unit: str, to_unit: str) -> float:
    """Return the factor that converts a quantity in ``from_unit`` into ``to_unit``.

    Raises
    ------
    UnitError
        If either unit is unknown or their dimensions differ.
    """
    source, target = parse_unit(from_unit), parse_unit(to_unit)
    if source.dimension != target.dimension:
        raise UnitError(
            "unit.incompatible",
            from_unit=source.symbol,
            to_unit=target.symbol,
            from_dimension=source.dimension,
            to_dimension=target.dimension,
        )
    return source.to_base / target.to_base
