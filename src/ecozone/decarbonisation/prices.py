"""Energy prices for appraisals (``data/energy_prices.csv``) and firms' average electricity prices."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

import numpy as np

from ecozone.decarbonisation.emission_factors import CANONICAL_UNITS
from ecozone.decarbonisation.firms import FirmEnergy
from ecozone.decarbonisation.pv.prices import HourlyTariff
from ecozone.decarbonisation.reference import number, read_rows
from ecozone.errors import ReferenceDataError

DATA = "ecozone.decarbonisation.data"


@dataclass(frozen=True)
class EnergyPrice:
    """Price of one carrier [VND per unit] with its provenance."""

    carrier: str
    unit: str
    vnd_per_unit: float
    source: str
    status: str


@cache
def energy_prices() -> dict[str, EnergyPrice]:
    """Shipped prices by carrier (``dppa_premium`` is the DPPA premium [VND/kWh]).

    Raises
    ------
    ReferenceDataError
        If a price is not in the carrier's canonical unit.
    """
    file = "energy_prices.csv"
    prices = {}
    for row in read_rows(DATA, file, ("carrier", "unit", "price_vnd_per_unit")):
        carrier = row["carrier"]
        expected = CANONICAL_UNITS.get(carrier, row["unit"])
        if row["unit"] != expected:
            raise ReferenceDataError("decarbonisation.price_unit", carrier=carrier, unit=row["unit"], expected=expected)
        prices[carrier] = EnergyPrice(
            carrier, row["unit"], number(row["price_vnd_per_unit"], file, carrier), row["source"], row["status"]
        )
    return prices


def price_table() -> dict[str, float]:
    """``{carrier: VND per canonical unit}``."""
    return {carrier: price.vnd_per_unit for carrier, price in energy_prices().items()}


def average_electricity_prices(energies: Mapping[str, FirmEnergy], tariffs: Mapping[str, HourlyTariff]) -> dict[str, float]:
    """Each firm's time-of-use bill divided by its consumption [VND/kWh] (firms with a profile)."""
    result = {}
    for firm_id, energy in energies.items():
        profile = energy.hourly_electricity_kwh
        tariff = tariffs.get(energy.voltage_level)
        if profile is None or tariff is None or profile.sum() <= 0:
            continue
        result[firm_id] = float(np.dot(profile, tariff.price_vnd_per_kwh) / profile.sum())
    return result
