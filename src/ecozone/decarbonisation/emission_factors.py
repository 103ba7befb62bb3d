"""Emission factors per unit of carrier, by year: the grid trajectory and fuel factors.

- Electricity: the Viet Nam grid factor of the year from :func:`ecozone.ghg.factors.grid_factor`
  (official to 2023, research estimates 2024-2025), then a dated, labelled scenario from
  ``data/grid_trajectories.csv`` to 2050 (status ``unverified``: no official trajectory exists).
- Fuels: Scope 1 tCO2e per canonical unit computed by the GHG engine
  (:func:`ecozone.ghg.compute_inventory` on one unit, AR5, stationary use), so plans and
  inventories share one factor set; biogenic CO2 of biomass is outside the scopes.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import pandas as pd

from ecozone.decarbonisation.errors import MissingPriceError
from ecozone.decarbonisation.reference import number, read_rows
from ecozone.errors import NotFoundError
from ecozone.ghg import compute_inventory
from ecozone.ghg.factors import grid_factor, grid_factors

DATA = "ecozone.decarbonisation.data"
DEFAULT_GRID_SCENARIO = "linear_to_zero_2050"
CANONICAL_UNITS = {
    "electricity": "kWh",
    "diesel": "L",
    "gasoline": "L",
    "lpg": "kg",
    "coal": "t",
    "biomass": "t",
    "natural_gas": "GJ",
    "fuel_oil": "t",
    "water_withdrawal": "m3",
}
"""Unit in which the engines keep each carrier's annual amount."""
FUEL_CARRIERS = ("diesel", "gasoline", "lpg", "coal", "biomass", "natural_gas", "fuel_oil")
REFERENCE_FUEL_YEAR = 2023


@dataclass(frozen=True)
class GridFactor:
    """Grid emission factor of one year [tCO2/MWh] and where it comes from."""

    year: int
    value: float
    status: str
    label: str


@cache
def _trajectories() -> dict[str, dict[int, GridFactor]]:
    file = "grid_trajectories.csv"
    table: dict[str, dict[int, GridFactor]] = {}
    for row in read_rows(DATA, file, ("scenario", "year", "value", "unit")):
        year = int(row["year"])
        label = f"{row['scenario']}: {row['source']} [{row['status']}]"
        table.setdefault(row["scenario"], {})[year] = GridFactor(year, number(row["value"], file, "value"), row["status"], label)
    return table


def grid_scenarios() -> tuple[str, ...]:
    """Names of the shipped grid-factor scenarios."""
    return tuple(_trajectories())


def grid_factor_for(year: int, scenario: str = DEFAULT_GRID_SCENARIO) -> GridFactor:
    """Return the grid factor of ``year`` [tCO2/MWh]: published when it exists, else the scenario's.

    Raises
    ------
    NotFoundError
        If ``scenario`` is unknown.
    MissingPriceError
        If neither the published series nor the scenario covers ``year``.
    """
    trajectories = _trajectories()
    if scenario not in trajectories:
        raise NotFoundError("decarbonisation.unknown_grid_scenario", scenario=scenario, known=", ".join(trajectories))
    if year in grid_factors():
        factor = grid_factor(year)
        status = "verified" if factor.is_trusted else "unverified"
        return GridFactor(year, factor.value, status, factor.citation)
    series = trajectories[scenario]
    if year in series:
        return series[year]
    last = max(series)
    if year > last:
        held = series[last]
        return GridFactor(year, held.value, held.status, f"{held.label} (held at its {last} value)")
    raise MissingPriceError("decarbonisation.no_grid_factor", year=year, scenario=scenario)


def grid_factors_for(years: range | list[int], scenario: str = DEFAULT_GRID_SCENARIO) -> pd.Series:
    """Grid factors [tCO2/kWh] indexed by year (note: per kWh, for kWh amounts)."""
    return pd.Series({y: grid_factor_for(y, scenario).value / 1000.0 for y in years}, name="t_per_kwh")


@cache
def _unit_inventory() -> pd.DataFrame:
    """GHG inventory of 1,000 canonical units of each fuel (stationary use), one row per fuel."""
    activity = pd.DataFrame(
        {
            "entity_id": list(FUEL_CARRIERS),
            "year": REFERENCE_FUEL_YEAR,
            "carrier": list(FUEL_CARRIERS),
            "amount": 1000.0,
            "unit": [CANONICAL_UNITS[c] for c in FUEL_CARRIERS],
        }
    )
    return compute_inventory(activity).summary.set_index("entity_id")


@cache
def fuel_factors() -> dict[str, float]:
    """Scope 1 emissions per canonical unit of each fuel carrier [tCO2e/unit], from the GHG engine."""
    column = _unit_inventory()["scope1_t"].astype("float64")
    return {c: float(column[c]) / 1000.0 for c in FUEL_CARRIERS}


@cache
def fuel_energy_gj() -> dict[str, float]:
    """Net calorific energy per canonical unit of each fuel carrier [GJ/unit], from the GHG engine."""
    column = _unit_inventory()["fuel_energy_gj"].astype("float64")
    return {c: float(column[c]) / 1000.0 for c in FUEL_CARRIERS}


def scope1_factor(carrier: str) -> float:
    """Scope 1 factor of fuel ``carrier`` [tCO2e per canonical unit]; 0 for non-fuels."""
    return fuel_factors().get(carrier, 0.0)
