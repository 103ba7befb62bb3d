"""Rooftop PV (and battery) of many firms over one year: yield, hourly dispatch, bills.

:func:`simulate_firms` runs the vectorised yield model on every roof, adds the roofs of
each firm, dispatches PV and battery against the firm's hourly load, and prices the grid
imports at the EVN time-of-use tariff in force on ``settings.tariff_date`` and the exports
at the previous year's average market price, within the export cap of the rule in force on
that date.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import numpy.typing as npt
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from ecozone.decarbonisation.effects import PvOutcome
from ecozone.decarbonisation.errors import LoadProfileError, RoofError
from ecozone.decarbonisation.pv.assumptions import PvAssumptions, default_pv_assumptions
from ecozone.decarbonisation.pv.dispatch import DispatchResult, dispatch
from ecozone.decarbonisation.pv.prices import HourlyTariff, hourly_tariff
from ecozone.decarbonisation.pv.roofs import Roof, roof_arrays
from ecozone.decarbonisation.pv.rules import ExportPrice, ExportRule, export_price, rule_in_force
from ecozone.decarbonisation.pv.weather import Weather
from ecozone.decarbonisation.pv.yield_model import hourly_ac_kwh

FloatArray = npt.NDArray[np.float64]
DEFAULT_TARIFF_DATE = date(2025, 6, 2)
"""A Monday under Decision 1279/QĐ-BCT (in force from 10 May 2025) and Decree 58/2025."""


class PvSettings(BaseModel):
    """Choices of a PV study.

    Attributes
    ----------
    tariff_date : date
        Date whose EVN tariff prices the hours and whose export rule applies.
    export_price_vnd_per_kwh : float or None [VND/kWh]
        Price of exported surplus; None: the previous year's published average market price.
    zero_export_price_if_missing : bool
        Value exports at 0 VND (flagged) when no market price is published, instead of failing.
    grid_charging : bool
        Batteries fill from the grid in off-peak hours.
    round_trip_efficiency : float [-]
    customer_group : str
        EVN customer group (``production``).
    tariff_fallback : bool
        Use the nearest earlier tariff table (flagged) when none is in force on ``tariff_date``.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    tariff_date: date = DEFAULT_TARIFF_DATE
    export_price_vnd_per_kwh: float | None = Field(default=None, ge=0)
    zero_export_price_if_missing: bool = False
    grid_charging: bool = True
    round_trip_efficiency: float = Field(0.90, gt=0, le=1)
    customer_group: str = "production"
    tariff_fallback: bool = False


@dataclass(frozen=True)
class FirmPvInput:
    """One firm's roofs, hourly load and battery.

    Attributes
    ----------
    firm_id : str
    roofs : tuple of Roof
    load_kwh : ndarray [kWh]
        Consumption of every local hour of the weather's year.
    voltage_level : str
    battery_kwh, battery_kw : float [kWh], [kW]
    """

    firm_id: str
    roofs: tuple[Roof, ...]
    load_kwh: FloatArray = field(compare=False, hash=False)
    voltage_level: str = "22_110kv"
    battery_kwh: float = 0.0
    battery_kw: float = 0.0


@dataclass(frozen=True)
class PvStudy:
    """Results of :func:`simulate_firms`.

    Attributes
    ----------
    table : DataFrame
        One row per firm (see :data:`TABLE_COLUMNS`).
    outcomes : mapping
        :class:`~ecozone.decarbonisation.effects.PvOutcome` by firm.
    generation_kwh : ndarray (hours, firms) [kWh]
    dispatch : DispatchResult
    weather_label : str
    is_estimate : bool
    warnings : tuple of (key, params)
    rule : ExportRule
    price : ExportPrice
    tariff_decision, tariff_status : str
    """

    table: pd.DataFrame
    outcomes: Mapping[str, PvOutcome] = field(compare=False, hash=False)
    generation_kwh: FloatArray = field(compare=False, hash=False)
    dispatch: DispatchResult = field(compare=False, hash=False)
    weather_label: str = ""
    is_estimate: bool = True
    warnings: tuple[tuple[str, dict[str, object]], ...] = ()
    rule: ExportRule | None = None
    price: ExportPrice | None = None
    tariff_decision: str = ""
    tariff_status: str = ""


TABLE_COLUMNS = (
    "firm_id",
    "capacity_kwp",
    "battery_kwh",
    "battery_kw",
    "generation_kwh",
    "specific_yield_kwh_per_kwp",
    "load_kwh",
    "self_consumed_kwh",
    "export_kwh",
    "curtailed_kwh",
    "self_consumption_share",
    "self_sufficiency_share",
    "bill_without_vnd",
    "bill_with_vnd",
    "export_revenue_vnd",
    "annual_saving_vnd",
)


def firm_generation(weather: Weather, inputs: Sequence[FirmPvInput], assumptions: PvAssumptions | None = None) -> FloatArray:
    """Hourly AC generation of each firm (sum of its roofs) [kWh], shape (hours, firms)."""
    assumptions = assumptions or default_pv_assumptions()
    roofs = [roof for item in inputs for roof in item.roofs]
    if not roofs:
        raise RoofError("decarbonisation.pv.no_roofs")
    per_roof = hourly_ac_kwh(weather, roof_arrays(roofs, assumptions), assumptions)
    owner = np.repeat(np.arange(len(inputs)), [len(item.roofs) for item in inputs])
    generation = np.zeros((per_roof.shape[0], len(inputs)))
    np.add.at(generation.T, owner, per_roof.T)
    return generation


def _loads(inputs: Sequence[FirmPvInput], hours: int) -> FloatArray:
    for item in inputs:
        if item.load_kwh.shape != (hours,):
            raise LoadProfileError(
                "decarbonisation.pv.load_length", firm=item.firm_id, hours=item.load_kwh.shape[0], expected=hours
            )
    return np.column_stack([item.load_kwh for item in inputs]).astype(np.float64)


def _tariffs(weather: Weather, inputs: Sequence[FirmPvInput], settings: PvSettings) -> dict[str, HourlyTariff]:
    levels = sorted({item.voltage_level for item in inputs})
    return {
        level: hourly_tariff(weather.times, level, settings.tariff_date, settings.customer_group, settings.tariff_fallback)
        for level in levels
    }


def simulate_firms(
    weather: Weather,
    inputs: Sequence[FirmPvInput],
    settings: PvSettings | None = None,
    assumptions: PvAssumptions | None = None,
) -> PvStudy:
    """Simulate each firm's rooftop PV and battery over the weather's year.

    Raises
    ------
    RoofError, LoadProfileError
        Bad roofs or loads.
    MissingPriceError
        No tariff in force on the tariff date, no export rule, or no export price.
    """
    settings = settings or PvSettings()
    generation = firm_generation(weather, inputs, assumptions)
    hours = generation.shape[0]
    load = _loads(inputs, hours)
    tariffs = _tariffs(weather, inputs, settings)
    price = np.column_stack([tariffs[item.voltage_level].price_vnd_per_kwh for item in inputs])
    any_tariff = next(iter(tariffs.values()))
    rule = rule_in_force(settings.tariff_date)
    sale = export_price(settings.tariff_date.year, settings.export_price_vnd_per_kwh, settings.zero_export_price_if_missing)
    result = dispatch(
        generation,
        load,
        any_tariff.is_peak,
        any_tariff.is_off_peak,
        rule.export_cap_share,
        np.array([item.battery_kwh for item in inputs]),
        np.array([item.battery_kw for item in inputs]),
        settings.round_trip_efficiency,
        settings.grid_charging,
    )
    table = _table(inputs, generation, load, price, result, sale.value_vnd_per_kwh)
    outcomes = {
        str(row["firm_id"]): PvOutcome(
            firm_id=str(row["firm_id"]),
            capacity_kwp=float(row["capacity_kwp"]),
            generation_kwh=float(row["generation_kwh"]),
            self_consumed_kwh=float(row["self_consumed_kwh"]),
            export_kwh=float(row["export_kwh"]),
            curtailed_kwh=float(row["curtailed_kwh"]),
            bill_saving_vnd=float(row["bill_without_vnd"]) - float(row["bill_with_vnd"]),
            export_revenue_vnd=float(row["export_revenue_vnd"]),
            battery_kwh=float(row["battery_kwh"]),
            battery_kw=float(row["battery_kw"]),
        )
        for row in table.to_dict(orient="records")
    }
    statuses = {t.status for t in tariffs.values()}
    return PvStudy(
        table=table,
        outcomes=outcomes,
        generation_kwh=generation,
        dispatch=result,
        weather_label=weather.label,
        is_estimate=weather.is_estimate,
        warnings=weather.warnings,
        rule=rule,
        price=sale,
        tariff_decision=any_tariff.decision,
        tariff_status="verified" if statuses == {"verified"} else "unverified",
    )


def _table(
    inputs: Sequence[FirmPvInput],
    generation: FloatArray,
    load: FloatArray,
    price: FloatArray,
    result: DispatchResult,
    export_price_vnd: float,
) -> pd.DataFrame:
    totals = result.totals()
    generated = generation.sum(axis=0)
    capacity = np.array([sum(r.capacity() for r in item.roofs) for item in inputs])
    self_consumed = generated - totals["export"] - totals["curtailed"]
    bill_without = (load * price).sum(axis=0)
    bill_with = (result.grid_import * price).sum(axis=0)
    revenue = totals["export"] * export_price_vnd
    total_load = load.sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        table = pd.DataFrame(
            {
                "firm_id": [item.firm_id for item in inputs],
                "capacity_kwp": capacity,
                "battery_kwh": [item.battery_kwh for item in inputs],
                "battery_kw": [item.battery_kw for item in inputs],
                "generation_kwh": generated,
                "specific_yield_kwh_per_kwp": np.where(capacity > 0, generated / capacity, 0.0),
                "load_kwh": total_load,
                "self_consumed_kwh": self_consumed,
                "export_kwh": totals["export"],
                "curtailed_kwh": totals["curtailed"],
                "self_consumption_share": np.where(generated > 0, self_consumed / generated, 0.0),
                "self_sufficiency_share": np.where(total_load > 0, (total_load - totals["grid_to_load"]) / total_load, 0.0),
                "bill_without_vnd": bill_without,
                "bill_with_vnd": bill_with,
                "export_revenue_vnd": revenue,
                "annual_saving_vnd": bill_without - bill_with + revenue,
            }
        )
    return table[list(TABLE_COLUMNS)]
