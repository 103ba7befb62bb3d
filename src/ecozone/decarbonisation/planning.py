"""One park, end to end: firms' energy → rooftop PV sized and simulated → every measure in every firm.

:func:`analyse_park` is what the CLI, the demo and the API call before the MACC and the
pathway: it takes plain data (a :class:`~ecozone.store.snapshot.ParkSnapshot` and the firms'
:class:`~ecozone.decarbonisation.firms.FirmEnergy`) and returns the evaluated options.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from ecozone.decarbonisation.catalogue import Measure, measures
from ecozone.decarbonisation.effects import EffectContext, MeasureOption, evaluate
from ecozone.decarbonisation.errors import WeatherError
from ecozone.decarbonisation.finance import FinanceSettings
from ecozone.decarbonisation.firms import FirmEnergy
from ecozone.decarbonisation.prices import average_electricity_prices, price_table
from ecozone.decarbonisation.pv.prices import hourly_tariff
from ecozone.decarbonisation.pv.roofs import Roof
from ecozone.decarbonisation.pv.sizing import SizingResult, size_firms
from ecozone.decarbonisation.pv.study import FirmPvInput, PvSettings, PvStudy, simulate_firms
from ecozone.decarbonisation.pv.weather import Weather, clear_sky_estimate
from ecozone.store.snapshot import ParkRecord


@dataclass(frozen=True)
class ParkAnalysis:
    """Everything evaluated for one park.

    Attributes
    ----------
    energies : mapping
        FirmEnergy by firm id.
    weather : Weather
    sizing : SizingResult or None
        PV and battery sizes chosen by the sizing model (None when sizes were not optimised).
    pv : PvStudy or None
        Hourly simulation of the chosen PV and batteries (None when no firm has a roof and a load profile).
    options : tuple of MeasureOption
        Every measure in every firm (inapplicable ones with their reason).
    """

    energies: Mapping[str, FirmEnergy] = field(compare=False, hash=False)
    weather: Weather = field(compare=False, hash=False)
    sizing: SizingResult | None = field(compare=False, hash=False)
    pv: PvStudy | None = field(compare=False, hash=False)
    options: tuple[MeasureOption, ...] = ()


def park_location(park: ParkRecord) -> tuple[float, float]:
    """The park's coordinates, else its province's centroid [deg].

    Raises
    ------
    WeatherError
        If neither is known.
    """
    if park.latitude is not None and park.longitude is not None:
        return park.latitude, park.longitude
    from ecozone.provinces import centroids

    centre = centroids("2025").get(park.province_new_code)
    if centre is None:
        raise WeatherError("decarbonisation.pv.no_location", park=park.id)
    return centre


def pv_inputs(energies: Mapping[str, FirmEnergy]) -> list[FirmPvInput]:
    """One PV input per firm with a roof and an hourly load (the roof's default tilt and azimuth)."""
    inputs = []
    for firm_id, energy in energies.items():
        area = energy.firm.roof_area_m2
        if area and area > 0 and energy.hourly_electricity_kwh is not None:
            roof = Roof(f"{firm_id}-roof", firm_id, float(area))
            inputs.append(FirmPvInput(firm_id, (roof,), energy.hourly_electricity_kwh, energy.voltage_level))
    return inputs


def sized_inputs(inputs: Sequence[FirmPvInput], sizing: SizingResult) -> list[FirmPvInput]:
    """Inputs with the capacities chosen by ``sizing`` (firms sized to zero are dropped)."""
    chosen = {str(row["firm_id"]): row for row in sizing.table.to_dict(orient="records")}
    result = []
    for item in inputs:
        kwp = float(chosen[item.firm_id]["pv_kwp"])
        if kwp <= 0:
            continue
        total = sum(r.max_capacity_kwp() for r in item.roofs)
        roofs = tuple(replace(r, capacity_kwp=min(kwp * r.max_capacity_kwp() / total, r.max_capacity_kwp())) for r in item.roofs)
        battery_kwh, battery_kw = float(chosen[item.firm_id]["battery_kwh"]), float(chosen[item.firm_id]["battery_kw"])
        result.append(replace(item, roofs=roofs, battery_kwh=battery_kwh, battery_kw=battery_kw))
    return result


def analyse_park(
    park: ParkRecord,
    energies: Mapping[str, FirmEnergy],
    pv_settings: PvSettings | None = None,
    finance: FinanceSettings | None = None,
    weather: Weather | None = None,
    optimise_pv: bool = True,
    catalogue: Mapping[str, Measure] | None = None,
) -> ParkAnalysis:
    """Evaluate every measure of ``catalogue`` in every firm of ``energies``.

    Parameters
    ----------
    park : ParkRecord
        For the location of the weather estimate.
    energies : mapping
        FirmEnergy by firm id (one local year).
    pv_settings, finance : settings, optional
    weather : Weather, optional
        A weather file's hours; default: the clear-sky + sunshine estimate at the park.
    optimise_pv : bool
        Size PV and batteries with the sizing model (else: PV on the whole usable roof, no battery).
    catalogue : mapping, optional
        Measures to evaluate (the shipped catalogue by default).
    """
    pv_settings = pv_settings or PvSettings()
    year = next(iter(energies.values())).year
    if weather is None:
        latitude, longitude = park_location(park)
        weather = clear_sky_estimate(latitude, longitude, year)
    inputs = pv_inputs(energies)
    sizing = None
    study = None
    if inputs:
        if optimise_pv:
            sizing = size_firms(weather, inputs, pv_settings, finance)
            inputs = sized_inputs(inputs, sizing)
        if inputs:
            study = simulate_firms(weather, inputs, pv_settings)
    levels = {e.voltage_level for e in energies.values()}
    tariffs = {
        level: hourly_tariff(
            weather.times, level, pv_settings.tariff_date, pv_settings.customer_group, pv_settings.tariff_fallback
        )
        for level in levels
    }
    context = EffectContext(price_table(), average_electricity_prices(energies, tariffs), study.outcomes if study else {})
    chosen = catalogue if catalogue is not None else measures()
    options = tuple(evaluate(m, energy, context) for energy in energies.values() for m in chosen.values())
    return ParkAnalysis(energies, weather, sizing, study, options)
