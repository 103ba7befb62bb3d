"""Size rooftop PV and batteries for many firms at once (linear / mixed-integer model, HiGHS).

Decision per firm: PV capacity ``kWp`` (up to what its roofs hold), battery energy ``kWh``
and power ``kW``. The year is represented by 12 typical days (each month's mean day,
weighted by its number of days), hour by hour: PV generation per kWp, load and EVN price are
the means over the month's days (Sundays, without a peak period, lower the mean price).

Minimise the park's annualised cost ::

    Σ_f [ CRF_pv·capex_pv·kWp_f + opex_pv·kWp_f + CRF_b·(capex_e·E_f + capex_p·P_f) + opex_b·E_f
          + Σ_h w_h (price_h·import_fh − export_price·export_fh) ]

subject to, for every firm and typical hour ``h``:

- balance ``y_h kWp + import + discharge − charge − export ≥ load_h`` (the excess is curtailed);
- ``export ≤ y_h kWp`` (a battery never exports);
- state of charge ``s_h = s_{h−1} + √η charge − discharge / √η``, cyclic within each typical day;
  ``s_h ≤ E``, ``charge, discharge ≤ P``, ``P ≤ E ≤ max_hours · P``;

and for every firm ``Σ_h w_h export ≤ cap · Σ_h w_h y_h kWp`` (the export cap of the rule in
force), plus ``Σ_f capex_f ≤ budget`` when a budget is given. When ``min_kwp`` > 0 a binary
per firm makes the PV size either 0 or between ``min_kwp`` and the roof's capacity (MILP).
An ``extra_constraints`` hook may add rows before the solve.

Without a budget or a hook the firms are independent: each firm's model is built and solved
on its own (the same optimum, several times faster than one joint model); with a budget or a
hook the joint model is solved. Costs come from the measures
catalogue (``pv_rooftop`` and ``battery_storage``), the discount rate from the finance settings.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt
import pandas as pd

from ecozone.decarbonisation.catalogue import measure
from ecozone.decarbonisation.finance import FinanceSettings, capital_recovery_factor
from ecozone.decarbonisation.optimisation import IntArray, LinearModel, Solution, solve, values_of
from ecozone.decarbonisation.pv.assumptions import PvAssumptions, default_pv_assumptions
from ecozone.decarbonisation.pv.rules import export_price, rule_in_force
from ecozone.decarbonisation.pv.study import FirmPvInput, PvSettings, _loads, _tariffs, firm_generation
from ecozone.decarbonisation.pv.weather import Weather

FloatArray = npt.NDArray[np.float64]
HOURS_PER_DAY = 24
SIZING_COLUMNS = (
    "firm_id",
    "roof_limit_kwp",
    "pv_kwp",
    "battery_kwh",
    "battery_kw",
    "capex_vnd",
    "annual_cost_vnd",
    "baseline_cost_vnd",
)


@dataclass(frozen=True)
class TypicalDays:
    """Typical-day series: arrays (days·24, firms) and the weight (days represented) of each hour."""

    yield_per_kwp: FloatArray
    load: FloatArray
    price: FloatArray
    weight: FloatArray
    day_of_hour: IntArray


def typical_days(times: pd.DatetimeIndex, yield_per_kwp: FloatArray, load: FloatArray, price: FloatArray) -> TypicalDays:
    """Average hourly series over each month's days."""
    group = np.asarray(times.month) - 1
    hour = np.asarray(times.hour)
    key = group * HOURS_PER_DAY + hour
    slots = 24 * HOURS_PER_DAY
    counts = np.bincount(key, minlength=slots).astype(np.float64)
    present = counts > 0

    def mean(values: FloatArray) -> FloatArray:
        sums = np.zeros((slots, values.shape[1]))
        np.add.at(sums, key, values)
        return np.asarray(sums[present] / counts[present, None])

    return TypicalDays(
        yield_per_kwp=mean(yield_per_kwp),
        load=mean(load),
        price=mean(price),
        weight=counts[present],
        day_of_hour=(np.flatnonzero(present) // HOURS_PER_DAY).astype(np.int64),
    )


@dataclass
class SizingModel:
    """The built model and the index arrays needed to read it back."""

    model: LinearModel
    kwp: IntArray
    energy: IntArray
    power: IntArray
    grid: IntArray
    export: IntArray
    charge: IntArray
    discharge: IntArray
    soc: IntArray
    days: TypicalDays
    capex_pv: float
    capex_energy: float
    capex_power: float


@dataclass(frozen=True)
class SizingResult:
    """Sizes per firm and the solver's account of them.

    Attributes
    ----------
    table : DataFrame
        Columns :data:`SIZING_COLUMNS` ([kWp], [kWh], [kW], [VND], [VND/yr]).
    status : str
    objective_vnd : float [VND/yr]
        Annualised cost of the park with the chosen sizes.
    mip_gap : float
    seconds : float [s]
    """

    table: pd.DataFrame
    status: str
    objective_vnd: float
    mip_gap: float
    seconds: float


def _previous_hours(days: TypicalDays) -> IntArray:
    """Index of the previous hour within the same typical day (cyclic)."""
    positions = np.arange(days.weight.size)
    starts = np.flatnonzero(np.r_[True, days.day_of_hour[1:] != days.day_of_hour[:-1]])
    day_start = starts[np.searchsorted(starts, positions, side="right") - 1]
    day_length = np.diff(np.r_[starts, days.weight.size])[np.searchsorted(starts, positions, side="right") - 1]
    return np.asarray(day_start + (positions - day_start - 1) % day_length, dtype=np.int64)


def build_sizing(
    days: TypicalDays,
    roof_limit_kwp: FloatArray,
    export_cap_share: float,
    export_price_vnd: float,
    finance: FinanceSettings,
    budget_vnd: float | None = None,
    min_kwp: float = 0.0,
    round_trip_efficiency: float = 0.90,
) -> SizingModel:
    """Build the sizing model (see the module docstring)."""
    pv_measure, battery = measure("pv_rooftop"), measure("battery_storage")
    rate = finance.discount_rate
    capex_pv = pv_measure.capex_vnd_per_unit
    capex_energy = battery.capex_vnd_per_unit
    capex_power = battery.parameter("power_capex_per_kw") * battery.exchange_rate_vnd
    crf_pv = capital_recovery_factor(rate, pv_measure.lifetime_years)
    crf_battery = capital_recovery_factor(rate, battery.lifetime_years)
    hours, firms = days.load.shape
    m = LinearModel()
    kwp = m.add_variables(firms, 0.0, roof_limit_kwp, crf_pv * capex_pv + pv_measure.opex_fixed_vnd_per_unit_yr)
    energy = m.add_variables(firms, 0.0, np.inf, crf_battery * capex_energy + battery.opex_fixed_vnd_per_unit_yr)
    power = m.add_variables(firms, 0.0, np.inf, crf_battery * capex_power)
    weight = days.weight[:, None]
    grid = m.add_variables((hours, firms), 0.0, np.inf, weight * days.price)
    export = m.add_variables((hours, firms), 0.0, np.inf, -weight * export_price_vnd * np.ones((1, firms)))
    charge = m.add_variables((hours, firms))
    discharge = m.add_variables((hours, firms))
    soc = m.add_variables((hours, firms))
    cells = hours * firms
    local = np.arange(cells)
    kwp_cell = np.broadcast_to(kwp[None, :], (hours, firms)).ravel()
    energy_cell = np.broadcast_to(energy[None, :], (hours, firms)).ravel()
    power_cell = np.broadcast_to(power[None, :], (hours, firms)).ravel()
    y = days.yield_per_kwp.ravel()
    m.add_rows(
        cells,
        np.tile(local, 5),
        np.concatenate([kwp_cell, grid.ravel(), discharge.ravel(), charge.ravel(), export.ravel()]),
        np.concatenate([y, np.ones(cells), np.ones(cells), -np.ones(cells), -np.ones(cells)]),
        lower=days.load.ravel(),
        name="energy_balance",
    )
    m.add_rows(
        cells,
        np.tile(local, 2),
        np.concatenate([export.ravel(), kwp_cell]),
        np.concatenate([np.ones(cells), -y]),
        upper=0.0,
        name="export_from_pv",
    )
    eta = float(np.sqrt(round_trip_efficiency))
    previous = soc[_previous_hours(days)].ravel()
    m.add_rows(
        cells,
        np.tile(local, 4),
        np.concatenate([soc.ravel(), previous, charge.ravel(), discharge.ravel()]),
        np.concatenate([np.ones(cells), -np.ones(cells), -eta * np.ones(cells), np.ones(cells) / eta]),
        lower=0.0,
        upper=0.0,
        name="state_of_charge",
    )
    for flow, name in ((soc, "soc_within_capacity"), (charge, "charge_within_power"), (discharge, "discharge_within_power")):
        limit = energy_cell if flow is soc else power_cell
        m.add_rows(
            cells,
            np.tile(local, 2),
            np.concatenate([flow.ravel(), limit]),
            np.concatenate([np.ones(cells), -np.ones(cells)]),
            upper=0.0,
            name=name,
        )
    firm_rows = np.arange(firms)
    max_hours = battery.parameter("max_hours")
    m.add_rows(
        firms,
        np.tile(firm_rows, 2),
        np.concatenate([power, energy]),
        np.concatenate([np.ones(firms), -np.ones(firms)]),
        upper=0.0,
        name="power_within_energy",
    )
    m.add_rows(
        firms,
        np.tile(firm_rows, 2),
        np.concatenate([energy, power]),
        np.concatenate([np.ones(firms), -max_hours * np.ones(firms)]),
        upper=0.0,
        name="battery_duration",
    )
    annual_yield = (days.weight[:, None] * days.yield_per_kwp).sum(axis=0)
    export_firm = np.broadcast_to(firm_rows[None, :], (hours, firms)).ravel()
    m.add_rows(
        firms,
        np.concatenate([export_firm, firm_rows]),
        np.concatenate([export.ravel(), kwp]),
        np.concatenate([np.broadcast_to(weight, (hours, firms)).ravel(), -export_cap_share * annual_yield]),
        upper=0.0,
        name="export_cap",
    )
    if budget_vnd is not None:
        m.add_rows(
            1,
            np.zeros(3 * firms, dtype=np.int64),
            np.concatenate([kwp, energy, power]),
            np.concatenate([np.full(firms, capex_pv), np.full(firms, capex_energy), np.full(firms, capex_power)]),
            upper=budget_vnd,
            name="budget",
        )
    if min_kwp > 0:
        built = m.add_variables(firms, 0.0, 1.0, 0.0, integer=True)
        m.add_rows(
            firms,
            np.tile(firm_rows, 2),
            np.concatenate([kwp, built]),
            np.concatenate([np.ones(firms), -roof_limit_kwp]),
            upper=0.0,
            name="pv_if_built",
        )
        m.add_rows(
            firms,
            np.tile(firm_rows, 2),
            np.concatenate([kwp, built]),
            np.concatenate([np.ones(firms), -min_kwp * np.ones(firms)]),
            lower=0.0,
            name="pv_minimum_size",
        )
    return SizingModel(m, kwp, energy, power, grid, export, charge, discharge, soc, days, capex_pv, capex_energy, capex_power)


def read_sizing(built: SizingModel, solution: Solution, firm_ids: Sequence[str], roof_limit_kwp: FloatArray) -> SizingResult:
    """Read sizes and costs back from ``solution``."""
    kwp, energy, power = (np.maximum(values_of(solution, block), 0.0) for block in (built.kwp, built.energy, built.power))
    days = built.days
    weight = days.weight[:, None]
    capex = built.capex_pv * kwp + built.capex_energy * energy + built.capex_power * power
    column_cost = built.model.column_data()[2]
    annual = np.zeros(len(firm_ids))
    for block in (built.kwp, built.energy, built.power):
        annual += column_cost[block] * solution.values[block]
    for block in (built.grid, built.export):
        annual += (column_cost[block] * solution.values[block]).sum(axis=0)
    table = pd.DataFrame(
        {
            "firm_id": list(firm_ids),
            "roof_limit_kwp": roof_limit_kwp,
            "pv_kwp": kwp,
            "battery_kwh": energy,
            "battery_kw": power,
            "capex_vnd": capex,
            "annual_cost_vnd": annual,
            "baseline_cost_vnd": (weight * days.price * days.load).sum(axis=0),
        }
    )
    return SizingResult(table[list(SIZING_COLUMNS)], solution.status, solution.objective, solution.mip_gap, solution.seconds)


def size_firms(
    weather: Weather,
    inputs: Sequence[FirmPvInput],
    settings: PvSettings | None = None,
    finance: FinanceSettings | None = None,
    budget_vnd: float | None = None,
    enforce_min_size: bool = True,
    assumptions: PvAssumptions | None = None,
    extra_constraints: Callable[[SizingModel], None] | None = None,
    time_limit_s: float = 120.0,
) -> SizingResult:
    """Choose PV kWp and battery kWh/kW for every firm (build, hook, solve, read back).

    Parameters
    ----------
    weather : Weather
    inputs : sequence of FirmPvInput
        Roofs (their maximum capacity is the limit; a given ``capacity_kwp`` is ignored) and loads.
    settings : PvSettings, optional
    finance : FinanceSettings, optional
    budget_vnd : float, optional [VND]
        Limit on the park's total capex.
    enforce_min_size : bool
        PV either 0 or at least the catalogue's minimum size (binary per firm).
    extra_constraints : callable, optional
        Called with the built :class:`SizingModel` to add rows before the solve.

    Returns
    -------
    SizingResult
        ``status`` ``infeasible`` only when the hook's constraints cannot be met (the base
        model is always feasible: zero sizes).
    """
    settings = settings or PvSettings()
    finance = finance or FinanceSettings()
    assumptions = assumptions or default_pv_assumptions()
    limits = np.array([sum(r.max_capacity_kwp(assumptions) for r in item.roofs) for item in inputs])
    full = [
        FirmPvInput(i.firm_id, tuple(replace(r, capacity_kwp=None) for r in i.roofs), i.load_kwh, i.voltage_level) for i in inputs
    ]
    generation = firm_generation(weather, full, assumptions)
    per_kwp = np.divide(generation, limits[None, :], out=np.zeros_like(generation), where=limits[None, :] > 0)
    load = _loads(inputs, generation.shape[0])
    tariffs = _tariffs(weather, inputs, settings)
    price = np.column_stack([tariffs[item.voltage_level].price_vnd_per_kwh for item in inputs])
    days = typical_days(weather.times, per_kwp, load, price)
    rule = rule_in_force(settings.tariff_date)
    sale = export_price(settings.tariff_date.year, settings.export_price_vnd_per_kwh, settings.zero_export_price_if_missing)
    min_kwp = measure("pv_rooftop").min_size if enforce_min_size else 0.0
    firm_ids = [i.firm_id for i in inputs]
    if budget_vnd is None and extra_constraints is None:
        return _size_independently(
            days, limits, firm_ids, rule.export_cap_share, sale.value_vnd_per_kwh, finance, min_kwp, settings
        )
    built = build_sizing(
        days, limits, rule.export_cap_share, sale.value_vnd_per_kwh, finance, budget_vnd, min_kwp, settings.round_trip_efficiency
    )
    if extra_constraints is not None:
        extra_constraints(built)
    solution = solve(built.model, mip_rel_gap=1e-4, time_limit_s=time_limit_s)
    if not solution.has_solution:
        empty = pd.DataFrame({c: [] for c in SIZING_COLUMNS})
        return SizingResult(empty, solution.status, solution.objective, solution.mip_gap, solution.seconds)
    return read_sizing(built, solution, firm_ids, limits)


def _size_independently(
    days: TypicalDays,
    limits: FloatArray,
    firm_ids: Sequence[str],
    cap_share: float,
    export_price_vnd: float,
    finance: FinanceSettings,
    min_kwp: float,
    settings: PvSettings,
) -> SizingResult:
    """Solve one model per firm (valid when nothing couples the firms)."""
    tables, objective, seconds, gap = [], 0.0, 0.0, 0.0
    for j, firm_id in enumerate(firm_ids):
        one = TypicalDays(days.yield_per_kwp[:, [j]], days.load[:, [j]], days.price[:, [j]], days.weight, days.day_of_hour)
        built = build_sizing(
            one, limits[[j]], cap_share, export_price_vnd, finance, None, min_kwp, settings.round_trip_efficiency
        )
        solution = solve(built.model, mip_rel_gap=1e-4)
        result = read_sizing(built, solution, [firm_id], limits[[j]])
        tables.append(result.table)
        objective += result.objective_vnd
        seconds += result.seconds
        gap = max(gap, result.mip_gap)
    return SizingResult(pd.concat(tables, ignore_index=True), "optimal", objective, gap, seconds)
