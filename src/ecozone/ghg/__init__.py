"""Greenhouse-gas inventories of firms and parks (Scopes 1, 2 and 3) with their factor sets.

Public API
----------
compute_inventory(activity, instruments=(), settings=None, *, sectors=None, parent_of=None)
    -> InventoryResult (line_items, summary, factors, settings, parent_of)
monte_carlo(activity, instruments=(), settings=None, *, draws=1000, seed=None, distribution="lognormal", ...)
    -> DataFrame of percentiles 2.5 / 50 / 97.5 of the totals
sample_totals(result, *, draws=1000, seed=None, distribution="lognormal")
    -> the same from an already computed InventoryResult
decree06_obligation(emissions_t, energy_toe, fuel_energy_toe, sector) -> (bool, reasons)

Factor loaders live in :mod:`ecozone.ghg.factors` (``fuel``, ``gwp``, ``grid_factor``, ...).
"""

from __future__ import annotations

from ecozone.ghg.errors import GhgInputError, MissingDensityError, MissingGridFactorError
from ecozone.ghg.inventory import LINE_COLUMNS, ContractualInstrument, InventoryResult, compute_inventory
from ecozone.ghg.settings import InventorySettings
from ecozone.ghg.summary import SUMMARY_COLUMNS, decree06_obligation, summarise
from ecozone.ghg.uncertainty import monte_carlo, sample_totals

__all__ = [
    "LINE_COLUMNS",
    "SUMMARY_COLUMNS",
    "ContractualInstrument",
    "GhgInputError",
    "InventoryResult",
    "InventorySettings",
    "MissingDensityError",
    "MissingGridFactorError",
    "compute_inventory",
    "decree06_obligation",
    "monte_carlo",
    "sample_totals",
    "summarise",
]
