"""Parameters of the synthetic readings, read from ``data/load_shapes.yaml``.

The file holds illustrative assumptions (status ``unverified``): sector load shapes and
intensities, water, fuel and waste intensities, the park's infrastructure and the retrofit
story. The loader checks every field and fails with a :class:`ReferenceDataError` naming
the field.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

import yaml

from ecozone.errors import ReferenceDataError

LOAD_SHAPES_FILE = "load_shapes.yaml"
DAY_TYPES = ("weekday", "saturday", "sunday", "holiday", "tet")
MONTHLY_BASES = ("floor_area_m2", "employees", "annual_production")
COMPONENTS = ("process", "cooling")
HOURS_PER_DAY = 24

Range = tuple[float, float]


@dataclass(frozen=True)
class MonthlyCarrier:
    """Annual amount of a monthly-billed carrier per unit of a firm attribute.

    Attributes
    ----------
    basis : str
        Firm attribute the amount is proportional to (``floor_area_m2``, ``employees`` or
        ``annual_production``).
    per_year : tuple of float
        Range of the annual amount per unit of the basis [unit/(basis·yr)], drawn per firm.
    unit : str
        Unit of the amount (converted to the meter's unit).
    """

    basis: str
    per_year: Range
    unit: str


@dataclass(frozen=True)
class SectorLoad:
    """How the firms of one sector use electricity, water, fuels and materials.

    Attributes
    ----------
    key : str
        Sector key (as in ``synthetic_assumptions.yaml``).
    vsic_code : str
        VSIC 2018 division.
    electricity_intensity_kwh_m2_yr : tuple of float
        Annual electricity per gross floor area [kWh/(m2·yr)].
    base_load : tuple of float
        Share of the peak process power drawn at all times [-].
    hourly_activity : tuple of 24 float
        Activity (0–1) in each local hour of a full working day [-].
    day_factors : dict
        Activity multiplier by day type (:data:`DAY_TYPES`) [-].
    daily_noise_sd, interval_noise_sd : float
        Standard deviations of the day and 15-minute noise factors [-].
    cooling_share : tuple of float
        Share of the annual electricity used by cooling [-].
    cooling_always_on : float
        Share of the cooling that runs whatever the activity [-].
    water_m3_per_employee_day : tuple of float
        Water per employee on a full working day [m3/(person·day)].
    water_base_share : float
        Share of that water used whatever the activity [-].
    monthly : dict
        Monthly-billed carriers, ``{carrier: MonthlyCarrier}``.
    """

    key: str
    vsic_code: str
    electricity_intensity_kwh_m2_yr: Range
    base_load: Range
    hourly_activity: tuple[float, ...]
    day_factors: dict[str, float]
    daily_noise_sd: float
    interval_noise_sd: float
    cooling_share: Range
    cooling_always_on: float
    water_m3_per_employee_day: Range
    water_base_share: float
    monthly: dict[str, MonthlyCarrier]


@dataclass(frozen=True)
class RooftopPv:
    """The park's rooftop PV: capacity [kWp], specific yield [kWh/(kWp·yr)], shape and clouds."""

    meter: str
    capacity_kwp: float
    specific_yield_kwh_kwp_yr: float
    latitude_deg: float
    sunrise_hour: float
    sunset_hour: float
    shape_exponent: float
    angstrom_a: float
    angstrom_b: float
    daily_cloud_sd: float
    interval_cloud_sd: float


@dataclass(frozen=True)
class StreetLighting:
    """Street lighting: installed power [kW], local switch-on and switch-off hours [h]."""

    meter: str
    power_kw: float
    on_hour: float
    off_hour: float
    interval_noise_sd: float


@dataclass(frozen=True)
class Wastewater:
    """Wastewater inflow = ``return_ratio`` × the tenants' water, with daily noise."""

    meter: str
    return_ratio: float
    daily_noise_sd: float


@dataclass(frozen=True)
class WwtpElectricity:
    """Electricity of the central wastewater plant: [kWh/m3] range, diurnal amplitude, noise."""

    meter: str
    kwh_per_m3: Range
    diurnal_amplitude: float
    interval_noise_sd: float


@dataclass(frozen=True)
class RetrofitMeasure:
    """An energy-saving measure of the retrofit story (see ``retrofits`` in the YAML file)."""

    measure: str
    sector: str
    start: date
    component: str
    saving_fraction: float
    description_vi: str
    description_en: str


@dataclass(frozen=True)
class ReadingsAssumptions:
    """Every parameter of the synthetic readings."""

    utc_offset_hours: int
    reference_year: int
    intensity_draw_margin: float
    anomaly_autocorrelation: float
    anomaly_sd_c: float
    cooling_base_temperature_c: float
    tet_days_before: int
    tet_days_after: int
    tet_shoulder_factor: float
    sectors: tuple[SectorLoad, ...]
    fuel_noise_sd: float
    waste_noise_sd: float
    estimated_probability: float
    rooftop_pv: RooftopPv
    street_lighting: StreetLighting
    wastewater: Wastewater
    wwtp_electricity: WwtpElectricity
    retrofits: tuple[RetrofitMeasure, ...]
    source: str
    edition: str
    status: str

    def sector_for_vsic(self, vsic_code: str) -> SectorLoad:
        """Return the sector whose firms have VSIC division ``vsic_code``."""
        for sector in self.sectors:
            if sector.vsic_code == str(vsic_code):
                return sector
        known = ", ".join(f"{s.vsic_code} ({s.key})" for s in self.sectors)
        raise ReferenceDataError("demo_readings.unknown_sector", vsic_code=vsic_code, known=known)


def _fail(detail: str) -> ReferenceDataError:
    return ReferenceDataError("demo_readings.bad_file", file=LOAD_SHAPES_FILE, detail=detail)


def _number(raw: Any, where: str, low: float = 0.0, high: float = math.inf) -> float:
    if isinstance(raw, bool) or not isinstance(raw, int | float) or not low <= raw <= high:
        raise _fail(f"{where}: expected a number in [{low}, {high}], got {raw!r}")
    return float(raw)


def _range(raw: Any, where: str) -> Range:
    if not (isinstance(raw, list) and len(raw) == 2):
        raise _fail(f"{where}: expected [low, high], got {raw!r}")
    low, high = _number(raw[0], where), _number(raw[1], where)
    if low > high:
        raise _fail(f"{where}: low {low} exceeds high {high}")
    return low, high


def _monthly(raw: dict[str, Any], where: str) -> MonthlyCarrier:
    if raw.get("basis") not in MONTHLY_BASES:
        raise _fail(f"{where}.basis: expected one of {', '.join(MONTHLY_BASES)}, got {raw.get('basis')!r}")
    return MonthlyCarrier(str(raw["basis"]), _range(raw["per_year"], f"{where}.per_year"), str(raw["unit"]))


def _sector(key: str, raw: dict[str, Any]) -> SectorLoad:
    hourly = raw["hourly_activity"]
    if not (isinstance(hourly, list) and len(hourly) == HOURS_PER_DAY):
        raise _fail(f"{key}.hourly_activity: expected {HOURS_PER_DAY} values")
    factors = raw["day_factors"]
    if set(factors) != set(DAY_TYPES):
        raise _fail(f"{key}.day_factors: expected exactly {', '.join(DAY_TYPES)}")
    return SectorLoad(
        key=key,
        vsic_code=str(raw["vsic_code"]),
        electricity_intensity_kwh_m2_yr=_range(raw["electricity_intensity_kwh_m2_yr"], f"{key}.electricity_intensity_kwh_m2_yr"),
        base_load=_range(raw["base_load"], f"{key}.base_load"),
        hourly_activity=tuple(_number(v, f"{key}.hourly_activity", 0.0, 1.0) for v in hourly),
        day_factors={day: _number(factors[day], f"{key}.day_factors.{day}", 0.0, 1.5) for day in DAY_TYPES},
        daily_noise_sd=_number(raw["daily_noise_sd"], f"{key}.daily_noise_sd", 0.0, 0.5),
        interval_noise_sd=_number(raw["interval_noise_sd"], f"{key}.interval_noise_sd", 0.0, 0.5),
        cooling_share=_range(raw["cooling_share"], f"{key}.cooling_share"),
        cooling_always_on=_number(raw["cooling_always_on"], f"{key}.cooling_always_on", 0.0, 1.0),
        water_m3_per_employee_day=_range(raw["water_m3_per_employee_day"], f"{key}.water_m3_per_employee_day"),
        water_base_share=_number(raw["water_base_share"], f"{key}.water_base_share", 0.0, 1.0),
        monthly={carrier: _monthly(spec, f"{key}.monthly.{carrier}") for carrier, spec in (raw.get("monthly") or {}).items()},
    )


def _retrofit(raw: dict[str, Any], where: str) -> RetrofitMeasure:
    if raw.get("component") not in COMPONENTS:
        raise _fail(f"{where}.component: expected one of {', '.join(COMPONENTS)}")
    if not isinstance(raw.get("start"), date):
        raise _fail(f"{where}.start: expected a date, got {raw.get('start')!r}")
    return RetrofitMeasure(
        measure=str(raw["measure"]),
        sector=str(raw["sector"]),
        start=raw["start"],
        component=str(raw["component"]),
        saving_fraction=_number(raw["saving_fraction"], f"{where}.saving_fraction", 0.0, 1.0),
        description_vi=str(raw["description_vi"]),
        description_en=str(raw["description_en"]),
    )


def _park(raw: dict[str, Any]) -> tuple[RooftopPv, StreetLighting, Wastewater, WwtpElectricity]:
    def fields(section: str, *names: str) -> dict[str, float]:
        return {name: _number(raw[section][name], f"park.{section}.{name}") for name in names}

    pv = RooftopPv(
        meter=str(raw["rooftop_pv"]["meter"]),
        **fields(
            "rooftop_pv",
            "capacity_kwp",
            "specific_yield_kwh_kwp_yr",
            "latitude_deg",
            "sunrise_hour",
            "sunset_hour",
            "shape_exponent",
            "angstrom_a",
            "angstrom_b",
            "daily_cloud_sd",
            "interval_cloud_sd",
        ),
    )
    lighting = StreetLighting(
        meter=str(raw["street_lighting"]["meter"]),
        **fields("street_lighting", "power_kw", "on_hour", "off_hour", "interval_noise_sd"),
    )
    wastewater = Wastewater(meter=str(raw["wastewater"]["meter"]), **fields("wastewater", "return_ratio", "daily_noise_sd"))
    wwtp = WwtpElectricity(
        meter=str(raw["wwtp_electricity"]["meter"]),
        kwh_per_m3=_range(raw["wwtp_electricity"]["kwh_per_m3"], "park.wwtp_electricity.kwh_per_m3"),
        **fields("wwtp_electricity", "diurnal_amplitude", "interval_noise_sd"),
    )
    return pv, lighting, wastewater, wwtp


def parse_readings_assumptions(raw: dict[str, Any]) -> ReadingsAssumptions:
    """Build and check the readings parameters from the parsed YAML mapping ``raw``.

    Raises
    ------
    ReferenceDataError
        If a field is missing or out of range.
    """
    try:
        pv, lighting, wastewater, wwtp = _park(raw["park"])
        weather, shoulder, bills = raw["weather"], raw["tet_shoulder"], raw["monthly_bills"]
        return ReadingsAssumptions(
            utc_offset_hours=int(raw["utc_offset_hours"]),
            reference_year=int(raw["reference_year"]),
            intensity_draw_margin=_number(raw["intensity_draw_margin"], "intensity_draw_margin", 0.0, 0.4),
            anomaly_autocorrelation=_number(weather["anomaly_autocorrelation"], "weather.anomaly_autocorrelation", 0.0, 0.99),
            anomaly_sd_c=_number(weather["anomaly_sd_c"], "weather.anomaly_sd_c"),
            cooling_base_temperature_c=_number(weather["cooling_base_temperature_c"], "weather.cooling_base_temperature_c"),
            tet_days_before=int(shoulder["days_before"]),
            tet_days_after=int(shoulder["days_after"]),
            tet_shoulder_factor=_number(shoulder["factor"], "tet_shoulder.factor", 0.0, 1.0),
            sectors=tuple(_sector(key, value) for key, value in raw["sectors"].items()),
            fuel_noise_sd=_number(bills["fuel_noise_sd"], "monthly_bills.fuel_noise_sd", 0.0, 0.5),
            waste_noise_sd=_number(bills["waste_noise_sd"], "monthly_bills.waste_noise_sd", 0.0, 0.5),
            estimated_probability=_number(bills["estimated_probability"], "monthly_bills.estimated_probability", 0.0, 1.0),
            rooftop_pv=pv,
            street_lighting=lighting,
            wastewater=wastewater,
            wwtp_electricity=wwtp,
            retrofits=tuple(_retrofit(m, f"retrofits.measures[{i}]") for i, m in enumerate(raw["retrofits"]["measures"])),
            source=str(raw["source"]),
            edition=str(raw["edition"]),
            status=str(raw["status"]),
        )
    except (KeyError, TypeError, AttributeError) as exc:
        raise _fail(f"missing or malformed field: {exc}") from exc


@cache
def readings_assumptions() -> ReadingsAssumptions:
    """Return the shipped parameters of the synthetic readings (``data/load_shapes.yaml``)."""
    text = resources.files("ecozone.demo").joinpath("data", LOAD_SHAPES_FILE).read_text(encoding="utf-8")
    return parse_readings_assumptions(yaml.safe_load(text))
