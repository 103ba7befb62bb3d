"""Assemble the synthetic readings of every meter of the demo registry, and the retrofit truth.

See the package docstring (:mod:`ecozone.demo.readings`) for what is generated and how.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from ecozone.demo.readings.climate import FloatArray, park_climate
from ecozone.demo.readings.profiles import ReadingsAssumptions, RetrofitMeasure, SectorLoad, readings_assumptions
from ecozone.demo.readings.series import (
    CLOUD_FACTOR_BOUNDS,
    ParkWeather,
    activity,
    cooling_shape,
    daily_water,
    day_factors,
    estimated_bills,
    monthly_bills,
    noise_factors,
    park_weather,
    process_shape,
    pv_generation,
    seeded_generator,
    step_multiplier,
    street_lighting,
    temperature_anomalies,
    wwtp_electricity,
)
from ecozone.demo.readings.timeline import SLOTS_PER_DAY, BoolArray, TimeArray, YearTimeline, year_timeline
from ecozone.errors import ReferenceDataError
from ecozone.units import conversion_factor

DEFAULT_YEAR = 2024
DEFAULT_SEED = 20240101
READINGS_COLUMNS = ("meter_id", "timestamp", "value", "unit", "estimated")
DECIMALS = {"kWh": 3, "MWh": 6, "m3": 2, "L": 1, "kg": 1, "t": 3}
"""Decimals kept per unit (meter resolution)."""
WATER_CARRIER = "water_withdrawal"
ELECTRICITY_CARRIER = "electricity"
WASTE_SUFFIX = "waste"

Rows = Mapping[str, Sequence[Mapping[str, object]]]


@dataclass(frozen=True)
class Retrofit:
    """The truth about one energy-saving measure of the demo, to check a baseline engine against.

    Attributes
    ----------
    firm_id, meter_id : str
        The firm and its electricity meter.
    measure : str
        Key of the measure (``data/load_shapes.yaml``).
    start : datetime.date
        First local day with the measure in place.
    description_vi, description_en : str
        What was installed.
    component : str
        ``process`` (all but cooling) or ``cooling``: the part of the load it cuts.
    true_saving_fraction : float
        Share of that component saved from ``start`` on [-].
    year : int
        Year the saving below refers to.
    counterfactual_annual_kwh : float
        The meter's total over ``year`` without the measure [kWh].
    true_annual_saving_kwh : float
        Total over ``year`` without the measure minus total with it, from the generated (rounded)
        series [kWh].
    """

    firm_id: str
    meter_id: str
    measure: str
    start: date
    description_vi: str
    description_en: str
    component: str
    true_saving_fraction: float
    year: int
    counterfactual_annual_kwh: float
    true_annual_saving_kwh: float


@dataclass(frozen=True)
class _Context:
    """Everything shared by the meters of one generated year."""

    seed: int
    assumptions: ReadingsAssumptions
    timeline: YearTimeline
    weather: ParkWeather
    reference_timeline: YearTimeline
    reference_weather: ParkWeather


@dataclass(frozen=True)
class _FirmElectricity:
    """A firm's electricity meter and its drawn constants."""

    firm_id: str
    meter_id: str
    unit: str
    sector: SectorLoad
    floor_area_m2: float
    intensity_kwh_m2_yr: float
    base_load: float
    cooling_share: float

    @property
    def expected_annual_kwh(self) -> float:
        """Floor area × drawn intensity [kWh/yr]."""
        return self.floor_area_m2 * self.intensity_kwh_m2_yr


@dataclass(frozen=True)
class _Series:
    """Generated readings of one meter."""

    meter_id: str
    unit: str
    timestamps: TimeArray
    values: FloatArray
    estimated: BoolArray | None = None


def _timeline(assumptions: ReadingsAssumptions, year: int) -> YearTimeline:
    return year_timeline(year, assumptions.utc_offset_hours, assumptions.tet_days_before, assumptions.tet_days_after)


def _context(assumptions: ReadingsAssumptions, year: int, seed: int) -> _Context:
    timeline = _timeline(assumptions, year)
    reference = _timeline(assumptions, assumptions.reference_year)
    climate = park_climate()
    rng = seeded_generator(seed, "weather", year)
    anomalies = temperature_anomalies(rng, timeline.days, assumptions.anomaly_autocorrelation, assumptions.anomaly_sd_c)
    clouds = np.clip(noise_factors(rng, assumptions.rooftop_pv.daily_cloud_sd, (timeline.days,)), *CLOUD_FACTOR_BOUNDS)
    return _Context(
        seed=seed,
        assumptions=assumptions,
        timeline=timeline,
        weather=park_weather(timeline, climate, anomaly_c=anomalies, cloud_factor=clouds),
        reference_timeline=reference,
        reference_weather=park_weather(reference, climate),
    )


def _number(row: Mapping[str, object], name: str) -> float:
    value = row.get(name)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ReferenceDataError("demo_readings.missing_attribute", entity=str(row.get("id")), attribute=name)
    return float(value)


def _in_range(rng: np.random.Generator, bounds: tuple[float, float], margin: float = 0.0) -> float:
    low, high = bounds[0] * (1.0 + margin), bounds[1] * (1.0 - margin)
    return float(rng.uniform(low, max(low, high)))


def _firm_electricity(context: _Context, firm: Mapping[str, object], meter: Mapping[str, object]) -> _FirmElectricity:
    sector = context.assumptions.sector_for_vsic(str(firm.get("vsic_code")))
    meter_id = str(meter["id"])
    rng = seeded_generator(context.seed, meter_id, "constants")
    return _FirmElectricity(
        firm_id=str(firm["id"]),
        meter_id=meter_id,
        unit=str(meter["unit"]),
        sector=sector,
        floor_area_m2=_number(firm, "floor_area_m2"),
        intensity_kwh_m2_yr=_in_range(rng, sector.electricity_intensity_kwh_m2_yr, context.assumptions.intensity_draw_margin),
        base_load=_in_range(rng, sector.base_load),
        cooling_share=_in_range(rng, sector.cooling_share),
    )


def _electricity_components(context: _Context, firm: _FirmElectricity) -> tuple[FloatArray, FloatArray]:
    """Process and cooling energy of every interval [kWh], shape (days, 96), before any measure.

    The scale per unit of shape comes from the reference year's climatological, noise-free
    shapes, so that the expected annual total is floor area × intensity, split by the cooling share.
    """
    assumptions, sector = context.assumptions, firm.sector
    shoulder = assumptions.tet_shoulder_factor
    base_c, always_on = assumptions.cooling_base_temperature_c, sector.cooling_always_on
    reference_activity = activity(sector, context.reference_timeline, shoulder)
    reference_process = float(process_shape(reference_activity, firm.base_load).sum())
    reference_cooling = float(cooling_shape(reference_activity, context.reference_weather.temperature_c, base_c, always_on).sum())
    process_scale = (1.0 - firm.cooling_share) * firm.expected_annual_kwh / reference_process
    cooling_scale = firm.cooling_share * firm.expected_annual_kwh / reference_cooling if reference_cooling > 0 else 0.0

    timeline = context.timeline
    rng = seeded_generator(context.seed, firm.meter_id, timeline.year)
    daily_noise = noise_factors(rng, sector.daily_noise_sd, (timeline.days,))
    interval_noise = noise_factors(rng, sector.interval_noise_sd, (timeline.days, SLOTS_PER_DAY))
    level = activity(sector, timeline, shoulder, daily_noise)
    process = process_scale * process_shape(level, firm.base_load) * interval_noise
    cooling = cooling_scale * cooling_shape(level, context.weather.temperature_c, base_c, always_on) * interval_noise
    return process, cooling


def _with_measures(
    context: _Context, process: FloatArray, cooling: FloatArray, measures: Sequence[RetrofitMeasure]
) -> FloatArray:
    """Total energy [kWh] with ``measures`` applied to their component from their start day."""
    for measure in measures:
        multiplier = step_multiplier(context.timeline, context.timeline.day_index(measure.start), measure.saving_fraction)
        if measure.component == "cooling":
            cooling = cooling * multiplier
        else:
            process = process * multiplier
    return process + cooling


def _rounded(values: FloatArray, unit: str) -> FloatArray:
    return np.round(values, DECIMALS.get(unit, 3))


def _electricity_meters(context: _Context, rows: Rows) -> list[_FirmElectricity]:
    firms = {str(row["id"]): row for row in rows.get("firm", [])}
    result = []
    for meter in rows.get("meter", []):
        if meter.get("owner_kind") == "firm" and meter.get("carrier") == ELECTRICITY_CARRIER:
            firm = _owner(firms, meter)
            result.append(_firm_electricity(context, firm, meter))
    return result


def _owner(firms: Mapping[str, Mapping[str, object]], meter: Mapping[str, object]) -> Mapping[str, object]:
    firm = firms.get(str(meter.get("firm_id")))
    if firm is None:
        raise ReferenceDataError("demo_readings.unknown_firm", meter_id=str(meter.get("id")), firm_id=str(meter.get("firm_id")))
    return firm


def _retrofit_assignments(
    measures: Sequence[RetrofitMeasure], meters: Sequence[_FirmElectricity]
) -> list[tuple[RetrofitMeasure, _FirmElectricity]]:
    """Give each measure to the largest expected user of its sector not yet chosen (none left: the measure is skipped)."""
    ranked = sorted(meters, key=lambda m: (-m.expected_annual_kwh, m.meter_id))
    chosen: list[tuple[RetrofitMeasure, _FirmElectricity]] = []
    taken: set[str] = set()
    for measure in measures:
        candidates = [m for m in ranked if m.firm_id not in taken and m.sector.key == measure.sector]
        if candidates:
            chosen.append((measure, candidates[0]))
            taken.add(candidates[0].firm_id)
    return chosen


def demo_retrofits(registry_rows: Rows, year: int = DEFAULT_YEAR, seed: int = DEFAULT_SEED) -> list[Retrofit]:
    """Return the true energy-saving measures of the demo's retrofit story for ``year``.

    Each measure of ``retrofits`` in ``data/load_shapes.yaml`` goes to the firm of its sector
    with the largest expected annual electricity (floor area × drawn intensity); a measure
    whose sector has no firm in ``registry_rows`` is skipped. The saving is computed from the
    very series :func:`demo_readings` returns with and without it.

    Parameters
    ----------
    registry_rows : mapping
        Rows of :func:`ecozone.demo.registry.demo_registry` (``firm`` and ``meter`` are used).
    year : int
        Year of the readings (a year whose holidays are shipped: 2024 or 2025).
    seed : int
        Seed of the readings.

    Returns
    -------
    list of Retrofit
        In the order of the measures in the YAML file.
    """
    context = _context(readings_assumptions(), year, seed)
    retrofits = []
    for measure, firm in _retrofit_assignments(context.assumptions.retrofits, _electricity_meters(context, registry_rows)):
        process, cooling = _electricity_components(context, firm)
        factor = conversion_factor("kWh", firm.unit)
        without = float(_rounded((process + cooling) * factor, firm.unit).sum())
        with_measure = float(_rounded(_with_measures(context, process, cooling, [measure]) * factor, firm.unit).sum())
        retrofits.append(
            Retrofit(
                firm_id=firm.firm_id,
                meter_id=firm.meter_id,
                measure=measure.measure,
                start=measure.start,
                description_vi=measure.description_vi,
                description_en=measure.description_en,
                component=measure.component,
                true_saving_fraction=measure.saving_fraction,
                year=year,
                counterfactual_annual_kwh=without / factor,
                true_annual_saving_kwh=(without - with_measure) / factor,
            )
        )
    return retrofits


def _electricity_series(context: _Context, firm: _FirmElectricity, measures: Sequence[RetrofitMeasure]) -> _Series:
    process, cooling = _electricity_components(context, firm)
    energy = _with_measures(context, process, cooling, measures) * conversion_factor("kWh", firm.unit)
    starts = context.timeline.interval_starts_utc()
    return _Series(firm.meter_id, firm.unit, starts, _rounded(energy.ravel(), firm.unit))


def _water_series(context: _Context, firm: Mapping[str, object], meter: Mapping[str, object]) -> _Series:
    sector = context.assumptions.sector_for_vsic(str(firm.get("vsic_code")))
    meter_id, unit = str(meter["id"]), str(meter["unit"])
    constants = seeded_generator(context.seed, meter_id, "constants")
    full_day_m3 = _number(firm, "employees") * _in_range(constants, sector.water_m3_per_employee_day)
    rng = seeded_generator(context.seed, meter_id, context.timeline.year)
    water = daily_water(sector, context.timeline, context.assumptions.tet_shoulder_factor, full_day_m3, rng)
    values = _rounded(water * conversion_factor("m3", unit), unit)
    return _Series(meter_id, unit, context.timeline.day_starts_utc(), values)


def _annual_amount(context: _Context, firm: Mapping[str, object], meter: Mapping[str, object], sector: SectorLoad) -> float:
    """Expected annual amount of a monthly-billed carrier, in the meter's unit."""
    carrier, meter_id = str(meter["carrier"]), str(meter["id"])
    spec = sector.monthly.get(carrier)
    if spec is None:
        raise ReferenceDataError("demo_readings.unknown_meter", meter_id=meter_id, carrier=carrier)
    if spec.basis == "annual_production" and firm.get("production_unit") != "t":
        raise ReferenceDataError(
            "demo_readings.production_unit", firm_id=str(firm["id"]), unit=str(firm.get("production_unit")), carrier=carrier
        )
    per_year = _in_range(seeded_generator(context.seed, meter_id, "constants"), spec.per_year)
    return _number(firm, spec.basis) * per_year * conversion_factor(spec.unit, str(meter["unit"]))


def _monthly_series(context: _Context, firm: Mapping[str, object], meter: Mapping[str, object]) -> _Series:
    assumptions = context.assumptions
    sector = assumptions.sector_for_vsic(str(firm.get("vsic_code")))
    meter_id, unit = str(meter["id"]), str(meter["unit"])
    annual = _annual_amount(context, firm, meter, sector)
    noise_sd = assumptions.waste_noise_sd if str(meter["carrier"]).endswith(WASTE_SUFFIX) else assumptions.fuel_noise_sd
    rng = seeded_generator(context.seed, meter_id, context.timeline.year)
    weights = day_factors(sector, context.timeline, assumptions.tet_shoulder_factor)
    bills = monthly_bills(context.timeline, weights, annual, noise_sd, rng)
    values, estimated = estimated_bills(bills, context.timeline, assumptions.estimated_probability, rng)
    return _Series(meter_id, unit, context.timeline.month_starts_utc(), _rounded(values, unit), estimated)


def _firm_series(
    context: _Context,
    firm: Mapping[str, object],
    meter: Mapping[str, object],
    electricity: Mapping[str, _FirmElectricity],
    measures: Mapping[str, list[RetrofitMeasure]],
) -> _Series:
    carrier, meter_id = meter.get("carrier"), str(meter["id"])
    if carrier == ELECTRICITY_CARRIER:
        return _electricity_series(context, electricity[meter_id], measures.get(meter_id, []))
    if carrier == WATER_CARRIER:
        return _water_series(context, firm, meter)
    return _monthly_series(context, firm, meter)


def _park_series(context: _Context, meter: Mapping[str, object], firm_water_m3: FloatArray) -> _Series:
    assumptions, timeline = context.assumptions, context.timeline
    meter_id, unit = str(meter["id"]), str(meter["unit"])
    suffix = meter_id.removeprefix(f"{meter.get('park_id')}-")
    rng = seeded_generator(context.seed, meter_id, timeline.year)
    wastewater = assumptions.wastewater
    inflow_rng = seeded_generator(context.seed, f"{meter.get('park_id')}-{wastewater.meter}", timeline.year)
    inflow = wastewater.return_ratio * firm_water_m3 * noise_factors(inflow_rng, wastewater.daily_noise_sd, firm_water_m3.shape)
    if suffix == wastewater.meter:
        return _Series(meter_id, unit, timeline.day_starts_utc(), _rounded(inflow * conversion_factor("m3", unit), unit))
    if suffix == assumptions.wwtp_electricity.meter:
        wwtp = assumptions.wwtp_electricity
        kwh_per_m3 = _in_range(seeded_generator(context.seed, meter_id, "constants"), wwtp.kwh_per_m3)
        energy = wwtp_electricity(timeline, inflow, kwh_per_m3, wwtp, rng)
    elif suffix == assumptions.street_lighting.meter:
        energy = street_lighting(timeline, assumptions.street_lighting, rng)
    elif suffix == assumptions.rooftop_pv.meter:
        pv = assumptions.rooftop_pv
        reference = pv_generation(context.reference_timeline, context.reference_weather, pv, 1.0, None)
        scale = pv.capacity_kwp * pv.specific_yield_kwh_kwp_yr / float(reference.sum())
        energy = pv_generation(timeline, context.weather, pv, scale, rng)
    else:
        raise ReferenceDataError("demo_readings.unknown_meter", meter_id=meter_id, carrier=str(meter.get("carrier")))
    values = _rounded(energy.ravel() * conversion_factor("kWh", unit), unit)
    return _Series(meter_id, unit, timeline.interval_starts_utc(), values)


def _frame(series: Sequence[_Series]) -> pd.DataFrame:
    lengths = [s.values.size for s in series]
    meter_ids = np.repeat(np.array([s.meter_id for s in series], dtype=object), lengths)
    units = np.repeat(np.array([s.unit for s in series], dtype=object), lengths)
    estimated = [s.estimated if s.estimated is not None else np.zeros(s.values.size, dtype=np.bool_) for s in series]
    empty_times = np.array([], dtype="datetime64[us]")
    timestamps = np.concatenate([s.timestamps for s in series]) if series else empty_times
    return pd.DataFrame(
        {
            "meter_id": pd.array(meter_ids, dtype="str"),
            "timestamp": pd.DatetimeIndex(timestamps.astype("datetime64[us]")).tz_localize("UTC"),
            "value": np.concatenate([s.values for s in series]) if series else np.array([], dtype=np.float64),
            "unit": pd.array(units, dtype="str"),
            "estimated": np.concatenate(estimated) if series else np.array([], dtype=np.bool_),
        },
        columns=list(READINGS_COLUMNS),
    )


def demo_readings(
    registry_rows: Rows, year: int = DEFAULT_YEAR, seed: int = DEFAULT_SEED, retrofits: bool = True
) -> pd.DataFrame:
    """Generate one year of synthetic readings for every meter of ``registry_rows``.

    Parameters
    ----------
    registry_rows : mapping
        Rows of :func:`ecozone.demo.registry.demo_registry`: ``firm`` rows (``id``,
        ``vsic_code``, ``employees``, ``floor_area_m2``, ``annual_production``,
        ``production_unit``) and ``meter`` rows (``id``, ``park_id``, ``owner_kind``,
        ``firm_id``, ``carrier``, ``unit``).
    year : int
        Calendar year, local time (a year whose holidays are shipped: 2024 or 2025).
    seed : int
        Seed; the same rows, year and seed give identical readings.
    retrofits : bool
        Apply the retrofit story (see :func:`demo_retrofits`) to the chosen firms' electricity.

    Returns
    -------
    pandas.DataFrame
        Columns ``meter_id`` (str), ``timestamp`` (UTC, start of the interval), ``value``
        (float, in ``unit``), ``unit`` (the meter's unit) and ``estimated`` (bool); meters in
        registry order, each in time order. 15-minute meters have 96 readings a day, daily
        meters one per local day, monthly meters one per local month.

    Raises
    ------
    ReferenceDataError
        If the year's holidays are not shipped, a firm's sector is unknown, a firm lacks an
        attribute its meters need, or a meter has no generator.
    """
    context = _context(readings_assumptions(), year, seed)
    electricity = {m.meter_id: m for m in _electricity_meters(context, registry_rows)}
    measures: dict[str, list[RetrofitMeasure]] = {}
    if retrofits:
        for measure, firm in _retrofit_assignments(context.assumptions.retrofits, list(electricity.values())):
            measures.setdefault(firm.meter_id, []).append(measure)
    firms = {str(row["id"]): row for row in registry_rows.get("firm", [])}
    meters = list(registry_rows.get("meter", []))
    generated: dict[str, _Series] = {}
    firm_water: dict[str, FloatArray] = {}
    for meter in meters:
        if meter.get("owner_kind") == "park":
            continue
        series = _firm_series(context, _owner(firms, meter), meter, electricity, measures)
        generated[series.meter_id] = series
        if meter.get("carrier") == WATER_CARRIER:
            park_water = firm_water.setdefault(str(meter.get("park_id")), np.zeros(context.timeline.days))
            park_water += series.values * conversion_factor(series.unit, "m3")
    for meter in meters:
        if meter.get("owner_kind") == "park":
            water = firm_water.get(str(meter.get("park_id")), np.zeros(context.timeline.days))
            generated[str(meter["id"])] = _park_series(context, meter, water)
    return _frame([generated[str(meter["id"])] for meter in meters])
