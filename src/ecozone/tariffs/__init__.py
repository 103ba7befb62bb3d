"""Electricity cost under EVN time-of-use tariffs, with tariff tables versioned by decision.

Public API
----------
price_intervals(timestamps_local, energy_kwh, voltage_level, customer_group="production", *, fallback=False)
    -> DataFrame (period, unit price [VND/kWh], cost [VND], decision, status, fallback flag)
cost_by_period(priced) -> DataFrame of energy and cost by period
table_in_force(day, *, fallback=False) -> TariffTable
regime_in_force(day) -> TouRegime (time-of-use windows)
"""

from __future__ import annotations

from ecozone.tariffs.errors import TariffError
from ecozone.tariffs.pricing import PRICED_COLUMNS, cost_by_period, price_intervals
from ecozone.tariffs.tables import (
    PERIODS,
    VOLTAGE_LEVEL_KV,
    TariffRow,
    TariffTable,
    TouRegime,
    customer_groups,
    regime_in_force,
    resolve_voltage_level,
    table_in_force,
    tariff_tables,
    tou_regimes,
)

__all__ = [
    "PERIODS",
    "PRICED_COLUMNS",
    "VOLTAGE_LEVEL_KV",
    "TariffError",
    "TariffRow",
    "TariffTable",
    "TouRegime",
    "cost_by_period",
    "customer_groups",
    "price_intervals",
    "regime_in_force",
    "resolve_voltage_level",
    "table_in_force",
    "tariff_tables",
    "tou_regimes",
]
