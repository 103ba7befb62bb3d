"""Effect models: how big a measure can be in a firm, and what it changes in each carrier.

Each measure of the catalogue names one model (a fixed set; no code in the data):

``rooftop_pv``
    From the firm's PV simulation (:mod:`ecozone.decarbonisation.pv`): grid electricity
    falls by the self-consumed generation; the bill saving under the EVN time-of-use tariff
    and the export revenue come from the hourly dispatch. Size: kWp.
``battery_storage``
    An enabler sized with PV (:mod:`ecozone.decarbonisation.pv.sizing`); not an abatement
    measure on its own.
``end_use_saving``
    Electricity of one end use (sector share, ``sector_end_uses.csv``) falls by
    ``saving_fraction`` or by ``1 - efficiency_old / efficiency_new`` (e.g. chiller COP).
    Size: MWh/yr of the end use.
``fuel_switch``
    Boiler fuels (``boiler_efficiencies.csv``; the stationary share of diesel) are replaced
    by ``to_carrier`` delivering the same useful heat: ``amount_to = Σ heat / η_to``.
    Size: kWth = heat / full-load hours.
``heat_pump``
    The low-temperature share of boiler heat is delivered by electricity ``heat / COP``.
``waste_heat_recovery``
    Boiler fuels fall by ``saving_fraction``; size: recovered heat / full-load hours.
``fleet_electrification``
    The forklift/truck share of diesel is replaced by electricity with the same work:
    ``kWh = L × NCV × η_ice / η_ev``. Size: vehicles = litres / litres per vehicle and year.
``green_power_ppa``
    Electricity bought under a direct PPA (up to ``max_share`` of the firm's use): market-based
    Scope 2 falls, location-based does not. Size: MWh/yr contracted.
``water_recycling``
    Water withdrawal falls by the recyclable share; electricity changes by
    ``treatment - avoided supply`` kWh/m3. Size: m3/day over ``operating_days``.
``tree_planting``
    Removals of ``removal_t_per_ha_yr`` on at most ``max_land_share`` of the firm's plot. Size: ha.

Interactions between measures are not modelled beyond the ``exclusive_group`` of the
catalogue (measures acting on the same end use): effects are additive.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache

from ecozone.decarbonisation.catalogue import Measure, end_use_shares
from ecozone.decarbonisation.emission_factors import fuel_energy_gj, grid_factor_for, scope1_factor
from ecozone.decarbonisation.firms import FirmEnergy
from ecozone.decarbonisation.reference import number, read_rows

DATA = "ecozone.decarbonisation.data"
GJ_PER_KWH = 0.0036


@dataclass(frozen=True)
class PvOutcome:
    """A firm's simulated rooftop PV (and battery) over one year.

    Attributes
    ----------
    capacity_kwp : float [kWp]
    generation_kwh, self_consumed_kwh, export_kwh, curtailed_kwh : float [kWh/yr]
    bill_saving_vnd : float [VND/yr]
        Electricity bill without PV minus bill with it (EVN time-of-use).
    export_revenue_vnd : float [VND/yr]
    battery_kwh, battery_kw : float [kWh], [kW]
    """

    firm_id: str
    capacity_kwp: float
    generation_kwh: float
    self_consumed_kwh: float
    export_kwh: float
    curtailed_kwh: float
    bill_saving_vnd: float
    export_revenue_vnd: float
    battery_kwh: float = 0.0
    battery_kw: float = 0.0


@dataclass(frozen=True)
class EffectContext:
    """What effect models need besides the firm: prices and PV simulations.

    Attributes
    ----------
    prices : mapping
        VND per canonical unit of each carrier (``energy_prices.csv``).
    electricity_price : mapping
        Average electricity price of each firm [VND/kWh] (its time-of-use bill / its kWh).
    pv : mapping
        PV outcome by firm id.
    """

    prices: Mapping[str, float] = field(compare=False, hash=False)
    electricity_price: Mapping[str, float] = field(default_factory=dict, compare=False, hash=False)
    pv: Mapping[str, PvOutcome] = field(default_factory=dict, compare=False, hash=False)

    def price(self, carrier: str, firm_id: str) -> float:
        """Price of ``carrier`` for ``firm_id`` [VND per canonical unit] (0 when not priced)."""
        if carrier == "electricity" and firm_id in self.electricity_price:
            return self.electricity_price[firm_id]
        return self.prices.get(carrier, 0.0)


@dataclass(frozen=True)
class MeasureOption:
    """One measure sized for one firm.

    Attributes
    ----------
    firm_id : str
    measure : Measure
    applicable : bool
    reason : str
        Message key saying why not (empty when applicable).
    size : float [measure.size_unit]
    deltas : mapping
        Change of each carrier's annual amount [canonical unit/yr]; negative = saved.
    contracted_kwh : float [kWh/yr]
        Electricity covered by a contractual instrument (PPA).
    removals_t : float [tCO2/yr]
    capex_vnd : float [VND]
    annual_cost_vnd : float [VND/yr]
        Operating costs plus the change of the energy bill (negative = net saving), excluding capex.
    export_kwh : float [kWh/yr]
    """

    firm_id: str
    measure: Measure
    applicable: bool
    reason: str = ""
    size: float = 0.0
    deltas: Mapping[str, float] = field(default_factory=dict, compare=False, hash=False)
    contracted_kwh: float = 0.0
    removals_t: float = 0.0
    capex_vnd: float = 0.0
    annual_cost_vnd: float = 0.0
    export_kwh: float = 0.0

    def abatement(self, year: int, grid_scenario: str) -> tuple[float, float, float, float]:
        """Annual reductions in ``year`` [tCO2e]: (Scope 1, Scope 2 location, Scope 2 market, removals)."""
        grid = grid_factor_for(year, grid_scenario).value / 1000.0
        scope1 = -sum(delta * scope1_factor(carrier) for carrier, delta in self.deltas.items())
        scope2_location = -self.deltas.get("electricity", 0.0) * grid
        scope2_market = scope2_location + self.contracted_kwh * grid
        return scope1, scope2_location, scope2_market, self.removals_t

    def net_abatement(self, year: int, grid_scenario: str) -> float:
        """Scope 1 + market-based Scope 2 reduction + removals in ``year`` [tCO2e]."""
        scope1, _, scope2_market, removals = self.abatement(year, grid_scenario)
        return scope1 + scope2_market + removals


@cache
def boiler_efficiencies() -> dict[str, float]:
    """Seasonal efficiency of boilers by fuel carrier [-] (``boiler_efficiencies.csv``)."""
    file = "boiler_efficiencies.csv"
    return {r["carrier"]: number(r["efficiency"], file, "efficiency") for r in read_rows(DATA, file, ("carrier", "efficiency"))}


def _boiler_fuels(energy: FirmEnergy, exclude: str = "") -> dict[str, float]:
    """Annual boiler fuel by carrier [canonical unit/yr] (diesel: its stationary share)."""
    shares = end_use_shares(energy.firm.vsic_code)
    fuels = {}
    for carrier in boiler_efficiencies():
        amount = energy.amount(carrier)
        if carrier == "diesel":
            amount *= 1.0 - shares.share("forklift_diesel")
        if amount > 0 and carrier != exclude:
            fuels[carrier] = amount
    return fuels


def _heat_gj(fuels: Mapping[str, float]) -> float:
    efficiency = boiler_efficiencies()
    energy = fuel_energy_gj()
    return sum(amount * energy[c] * efficiency[c] for c, amount in fuels.items())


def _amount_for_heat(carrier: str, heat_gj: float, efficiency: float) -> float:
    """Canonical amount of ``carrier`` delivering ``heat_gj`` at ``efficiency``."""
    if carrier == "electricity":
        return heat_gj / efficiency / GJ_PER_KWH
    return heat_gj / efficiency / fuel_energy_gj()[carrier]


@dataclass(frozen=True)
class _Effect:
    """What an effect model returns for an applicable measure."""

    size: float
    deltas: dict[str, float]
    contracted_kwh: float = 0.0
    removals: float = 0.0
    bill_change: float | None = None
    export_kwh: float = 0.0


def _pv(measure: Measure, energy: FirmEnergy, context: EffectContext) -> _Effect | str:
    outcome = context.pv.get(energy.firm.id)
    if outcome is None or outcome.capacity_kwp <= 0:
        return "decarbonisation.reason.no_pv_simulation"
    return _Effect(
        size=outcome.capacity_kwp,
        deltas={"electricity": -outcome.self_consumed_kwh},
        bill_change=-outcome.bill_saving_vnd - outcome.export_revenue_vnd,
        export_kwh=outcome.export_kwh,
    )


def _end_use(measure: Measure, energy: FirmEnergy, context: EffectContext) -> _Effect | str:
    share = end_use_shares(energy.firm.vsic_code).share(str(measure.parameters["end_use"]))
    affected = energy.amount("electricity") * share
    if "saving_fraction" in measure.parameters:
        fraction = measure.parameter("saving_fraction")
    else:
        fraction = 1.0 - measure.parameter("efficiency_old") / measure.parameter("efficiency_new")
    return _Effect(affected / 1000.0, {"electricity": -affected * fraction})


def _fuel_switch(measure: Measure, energy: FirmEnergy, context: EffectContext) -> _Effect | str:
    target = str(measure.parameters["to_carrier"])
    fuels = _boiler_fuels(energy, exclude=target)
    if not fuels:
        return "decarbonisation.reason.no_boiler_fuel"
    heat = _heat_gj(fuels)
    deltas = {c: -a for c, a in fuels.items()}
    deltas[target] = deltas.get(target, 0.0) + _amount_for_heat(target, heat, measure.parameter("efficiency_to"))
    return _Effect(heat / (measure.parameter("full_load_hours") * GJ_PER_KWH), deltas)


def _heat_pump(measure: Measure, energy: FirmEnergy, context: EffectContext) -> _Effect | str:
    fuels = _boiler_fuels(energy)
    if not fuels:
        return "decarbonisation.reason.no_boiler_fuel"
    share = end_use_shares(energy.firm.vsic_code).share(str(measure.parameters["end_use"]))
    heat = _heat_gj(fuels) * share
    deltas = {c: -a * share for c, a in fuels.items()}
    deltas["electricity"] = heat / measure.parameter("cop") / GJ_PER_KWH
    return _Effect(heat / (measure.parameter("full_load_hours") * GJ_PER_KWH), deltas)


def _waste_heat(measure: Measure, energy: FirmEnergy, context: EffectContext) -> _Effect | str:
    fuels = _boiler_fuels(energy)
    if not fuels:
        return "decarbonisation.reason.no_boiler_fuel"
    fraction = measure.parameter("saving_fraction")
    heat = _heat_gj(fuels) * fraction
    return _Effect(heat / (measure.parameter("full_load_hours") * GJ_PER_KWH), {c: -a * fraction for c, a in fuels.items()})


def _fleet(measure: Measure, energy: FirmEnergy, context: EffectContext) -> _Effect | str:
    share = end_use_shares(energy.firm.vsic_code).share(str(measure.parameters["end_use"]))
    litres = energy.amount("diesel") * share
    kwh = (
        litres
        * fuel_energy_gj()["diesel"]
        * measure.parameter("efficiency_ice")
        / measure.parameter("efficiency_ev")
        / GJ_PER_KWH
    )
    return _Effect(litres / measure.parameter("litres_per_vehicle_yr"), {"diesel": -litres, "electricity": kwh})


def _ppa(measure: Measure, energy: FirmEnergy, context: EffectContext) -> _Effect | str:
    contracted = energy.amount("electricity") * measure.parameter("max_share")
    if energy.amount("electricity") / 1000.0 < measure.min_size:
        return "decarbonisation.reason.below_min_size"
    return _Effect(contracted / 1000.0, {}, contracted_kwh=contracted)


def _water(measure: Measure, energy: FirmEnergy, context: EffectContext) -> _Effect | str:
    recyclable = energy.amount("water_withdrawal") * end_use_shares(energy.firm.vsic_code).share("recyclable_water")
    electricity = recyclable * (measure.parameter("treatment_kwh_per_m3") - measure.parameter("avoided_supply_kwh_per_m3"))
    return _Effect(
        recyclable / measure.parameter("operating_days"), {"water_withdrawal": -recyclable, "electricity": electricity}
    )


def _trees(measure: Measure, energy: FirmEnergy, context: EffectContext) -> _Effect | str:
    land = energy.firm.land_area_ha or 0.0
    area = land * measure.parameter("max_land_share")
    return _Effect(area, {}, removals=area * measure.parameter("removal_t_per_ha_yr"))


def _enabler(measure: Measure, energy: FirmEnergy, context: EffectContext) -> _Effect | str:
    return "decarbonisation.reason.enabler_only"


MODELS: dict[str, Callable[[Measure, FirmEnergy, EffectContext], _Effect | str]] = {
    "rooftop_pv": _pv,
    "battery_storage": _enabler,
    "end_use_saving": _end_use,
    "fuel_switch": _fuel_switch,
    "heat_pump": _heat_pump,
    "waste_heat_recovery": _waste_heat,
    "fleet_electrification": _fleet,
    "green_power_ppa": _ppa,
    "water_recycling": _water,
    "tree_planting": _trees,
}


def _not_applicable(measure: Measure, energy: FirmEnergy) -> str:
    if not measure.applies_to_sector(energy.firm.vsic_code):
        return "decarbonisation.reason.sector"
    if measure.requires_carrier and energy.amount(measure.requires_carrier) <= 0:
        return "decarbonisation.reason.carrier_not_used"
    return ""


def evaluate(measure: Measure, energy: FirmEnergy, context: EffectContext) -> MeasureOption:
    """Size ``measure`` for the firm of ``energy`` and compute its effect and costs.

    Returns
    -------
    MeasureOption
        ``applicable`` False with a ``reason`` key when the sector, a required carrier or the
        minimum size rules it out.
    """
    firm_id = energy.firm.id
    reason = _not_applicable(measure, energy)
    if reason:
        return MeasureOption(firm_id, measure, False, reason)
    effect = MODELS[measure.model](measure, energy, context)
    if isinstance(effect, str):
        return MeasureOption(firm_id, measure, False, effect)
    if effect.size < measure.min_size:
        return MeasureOption(firm_id, measure, False, "decarbonisation.reason.below_min_size", size=effect.size)
    bill_change = effect.bill_change
    if bill_change is None:
        bill_change = sum(delta * context.price(carrier, firm_id) for carrier, delta in effect.deltas.items())
    opex = effect.size * (measure.opex_fixed_vnd_per_unit_yr + measure.opex_variable_vnd_per_unit_yr)
    return MeasureOption(
        firm_id=firm_id,
        measure=measure,
        applicable=True,
        size=effect.size,
        deltas=effect.deltas,
        contracted_kwh=effect.contracted_kwh,
        removals_t=effect.removals,
        capex_vnd=effect.size * measure.capex_vnd_per_unit,
        annual_cost_vnd=opex + bill_change,
        export_kwh=effect.export_kwh,
    )
