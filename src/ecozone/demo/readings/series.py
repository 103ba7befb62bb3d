"""Vectorised building blocks of the synthetic series: weather, activity, electricity, PV, water, bills.

Every function is pure: it takes the year's :class:`YearTimeline`, parameters and (where it
draws noise) a ``numpy.random.Generator``, and returns arrays. Interval arrays have shape
(days, 96), local time, slot 0 starting at local midnight.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

import numpy as np

from ecozone.demo.readings.climate import FloatArray, MonthlyClimate, diurnal_temperature, periodic_interpolation
from ecozone.demo.readings.profiles import RooftopPv, SectorLoad, StreetLighting, WwtpElectricity
from ecozone.demo.readings.timeline import SLOT_HOURS, SLOTS_PER_DAY, BoolArray, YearTimeline

SEED_MODULUS = 2**64
MINIMUM_NOISE_FACTOR = 0.0
MINIMUM_BILL_FACTOR = 0.5
CLOUD_FACTOR_BOUNDS = (0.1, 1.5)
DAYS_PER_YEAR_DECLINATION = 365.0


def seeded_generator(seed: int, *keys: object) -> np.random.Generator:
    """Return a generator that depends only on ``seed`` and ``keys`` (not on call order).

    Parameters
    ----------
    seed : int
        User seed (any integer; taken modulo 2**64).
    *keys : object
        Labels mixed into the seed, e.g. a meter id and a year (hashed with CRC-32).
    """
    words = [int(seed) % SEED_MODULUS, *(zlib.crc32(str(key).encode("utf-8")) for key in keys)]
    return np.random.default_rng(np.random.SeedSequence(words))


def noise_factors(
    rng: np.random.Generator, sd: float, shape: tuple[int, ...], minimum: float = MINIMUM_NOISE_FACTOR
) -> FloatArray:
    """Draw multiplicative noise factors ``max(1 + sd·z, minimum)`` with z standard normal [-]."""
    return np.maximum(1.0 + sd * rng.standard_normal(shape), minimum)


@dataclass(frozen=True)
class ParkWeather:
    """The park's weather over one year.

    Attributes
    ----------
    daily_mean_c : numpy.ndarray, shape (days,)
        Daily mean air temperature [°C] (climate curve plus anomaly).
    temperature_c : numpy.ndarray, shape (days, 96)
        Air temperature of each interval [°C].
    sunshine_hours_per_day : numpy.ndarray, shape (days,)
        Smooth climate sunshine duration [h/day].
    cloud_factor : numpy.ndarray, shape (days,)
        Day-to-day multiplier of the solar resource around the climate mean [-].
    """

    daily_mean_c: FloatArray
    temperature_c: FloatArray
    sunshine_hours_per_day: FloatArray
    cloud_factor: FloatArray


def temperature_anomalies(rng: np.random.Generator, days: int, autocorrelation: float, sd_c: float) -> FloatArray:
    """Draw an AR(1) series of daily temperature anomalies with stationary sd ``sd_c`` [°C]."""
    innovations = rng.standard_normal(days) * sd_c * np.sqrt(1.0 - autocorrelation**2)
    anomalies = np.empty(days)
    anomalies[0] = rng.standard_normal() * sd_c
    for day in range(1, days):  # one step per day, not per reading
        anomalies[day] = autocorrelation * anomalies[day - 1] + innovations[day]
    return anomalies


def park_weather(
    timeline: YearTimeline,
    climate: MonthlyClimate,
    *,
    anomaly_c: FloatArray | None = None,
    cloud_factor: FloatArray | None = None,
) -> ParkWeather:
    """Build the year's weather from the monthly normals (anomalies and clouds default to none).

    Parameters
    ----------
    timeline : YearTimeline
        The year.
    climate : MonthlyClimate
        Monthly normals.
    anomaly_c : numpy.ndarray, optional
        Daily temperature anomaly [°C]; zeros when omitted (the climatological year).
    cloud_factor : numpy.ndarray, optional
        Daily solar multiplier [-]; ones when omitted.
    """
    days = timeline.days
    mean_c = periodic_interpolation(climate.t_mean_c, timeline.year_fraction)
    mean_c = mean_c + (anomaly_c if anomaly_c is not None else 0.0)
    range_c = periodic_interpolation(np.subtract(climate.t_max_mean_c, climate.t_min_mean_c), timeline.year_fraction)
    month_days = np.array([31, 28.25, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])
    sunshine = periodic_interpolation(np.asarray(climate.sunshine_hours) / month_days, timeline.year_fraction)
    return ParkWeather(
        daily_mean_c=mean_c,
        temperature_c=diurnal_temperature(mean_c, range_c, timeline.slot_hours),
        sunshine_hours_per_day=sunshine,
        cloud_factor=cloud_factor if cloud_factor is not None else np.ones(days),
    )


def day_factors(sector: SectorLoad, timeline: YearTimeline, shoulder_factor: float) -> FloatArray:
    """Activity multiplier of each day [-].

    Weekday, Saturday or Sunday factor; on a day off the lower of that and the holiday factor
    (the Tết factor during the Tết break); shoulder days of Tết are multiplied by
    ``shoulder_factor``.
    """
    by_week = np.array([sector.day_factors["weekday"], sector.day_factors["saturday"], sector.day_factors["sunday"]])
    factors = by_week[timeline.week_type]
    factors = np.where(timeline.holiday, np.minimum(factors, sector.day_factors["holiday"]), factors)
    factors = np.where(timeline.tet, np.minimum(factors, sector.day_factors["tet"]), factors)
    return np.where(timeline.tet_shoulder, factors * shoulder_factor, factors)


def slot_activity(sector: SectorLoad, timeline: YearTimeline) -> FloatArray:
    """Activity of each 15-minute slot of a full working day, shape (96,) [-].

    The 24 hourly values sit at the hour mid-points and are interpolated linearly (periodic).
    """
    centres = np.arange(24, dtype=np.float64) + 0.5
    values = np.interp(timeline.slot_hours, centres, np.asarray(sector.hourly_activity), period=24.0)
    return np.asarray(values, dtype=np.float64)


def activity(
    sector: SectorLoad, timeline: YearTimeline, shoulder_factor: float, daily_noise: FloatArray | None = None
) -> FloatArray:
    """Production activity of every interval, shape (days, 96) [-]: slot activity × day factor × daily noise."""
    daily = day_factors(sector, timeline, shoulder_factor)
    if daily_noise is not None:
        daily = daily * daily_noise
    return daily[:, None] * slot_activity(sector, timeline)[None, :]


def process_shape(activity_level: FloatArray, base_load: float) -> FloatArray:
    """Relative process power, ``base + (1 − base) × activity`` [-]."""
    return base_load + (1.0 - base_load) * activity_level


def cooling_shape(
    activity_level: FloatArray, temperature_c: FloatArray, base_temperature_c: float, always_on: float
) -> FloatArray:
    """Relative cooling power: degrees above base × (always-on share + rest × activity) [K]."""
    degrees = np.maximum(temperature_c - base_temperature_c, 0.0)
    return degrees * (always_on + (1.0 - always_on) * np.minimum(activity_level, 1.0))


def step_multiplier(timeline: YearTimeline, start_day: int, fraction: float) -> FloatArray:
    """Per-interval factor ``1 − fraction`` from day index ``start_day`` on, 1 before; shape (days, 96)."""
    factor = np.ones((timeline.days, SLOTS_PER_DAY))
    factor[start_day:, :] = 1.0 - fraction
    return factor


def declination_rad(timeline: YearTimeline) -> FloatArray:
    """Solar declination of each day (Cooper's formula) [rad]."""
    day_of_year = np.arange(1, timeline.days + 1, dtype=np.float64)
    return np.asarray(
        np.radians(23.45) * np.sin(2.0 * np.pi * (284.0 + day_of_year) / DAYS_PER_YEAR_DECLINATION), dtype=np.float64
    )


def day_length_hours(timeline: YearTimeline, latitude_deg: float) -> FloatArray:
    """Astronomical day length of each day [h]."""
    argument = -np.tan(np.radians(latitude_deg)) * np.tan(declination_rad(timeline))
    return np.asarray(24.0 / np.pi * np.arccos(np.clip(argument, -1.0, 1.0)), dtype=np.float64)


def pv_bell(timeline: YearTimeline, pv: RooftopPv) -> FloatArray:
    """Clear-sky-like shape of a day, shape (96,): ``sin(π x)^p`` between sunrise and sunset, 0 at night."""
    position = (timeline.slot_hours - pv.sunrise_hour) / (pv.sunset_hour - pv.sunrise_hour)
    inside = (position > 0.0) & (position < 1.0)
    return np.where(inside, np.sin(np.pi * np.clip(position, 0.0, 1.0)) ** pv.shape_exponent, 0.0)


def pv_daily_resource(timeline: YearTimeline, weather: ParkWeather, pv: RooftopPv) -> FloatArray:
    """Relative daily solar resource: Angström–Prescott ``a + b·n/N`` × cloud factor [-]."""
    relative_sunshine = np.minimum(weather.sunshine_hours_per_day / day_length_hours(timeline, pv.latitude_deg), 1.0)
    return (pv.angstrom_a + pv.angstrom_b * relative_sunshine) * weather.cloud_factor


def pv_generation(
    timeline: YearTimeline, weather: ParkWeather, pv: RooftopPv, scale_kwh: float, rng: np.random.Generator | None
) -> FloatArray:
    """PV energy of every interval [kWh], shape (days, 96).

    ``scale_kwh`` × daily resource × bell shape × interval cloud noise (none when ``rng`` is None).
    """
    shape = pv_daily_resource(timeline, weather, pv)[:, None] * pv_bell(timeline, pv)[None, :]
    if rng is not None:
        shape = shape * noise_factors(rng, pv.interval_cloud_sd, shape.shape)
    return scale_kwh * shape


def street_lighting(timeline: YearTimeline, lighting: StreetLighting, rng: np.random.Generator) -> FloatArray:
    """Street-lighting energy of every interval [kWh], shape (days, 96): full power from on to off hour."""
    start = timeline.slot_hours - SLOT_HOURS / 2
    end = timeline.slot_hours + SLOT_HOURS / 2
    lit = (start >= lighting.on_hour - 1e-9) | (end <= lighting.off_hour + 1e-9)
    energy = lighting.power_kw * SLOT_HOURS * lit.astype(np.float64)
    return energy[None, :] * noise_factors(rng, lighting.interval_noise_sd, (timeline.days, SLOTS_PER_DAY))


def wwtp_electricity(
    timeline: YearTimeline, inflow_m3: FloatArray, kwh_per_m3: float, wwtp: WwtpElectricity, rng: np.random.Generator
) -> FloatArray:
    """Wastewater-plant electricity of every interval [kWh]: the day's inflow × intensity, near-flat over the day."""
    cycle = 1.0 + wwtp.diurnal_amplitude * np.cos(2.0 * np.pi * (timeline.slot_hours - 14.0) / 24.0)
    cycle = cycle / cycle.sum()
    daily_kwh = inflow_m3 * kwh_per_m3
    noise = noise_factors(rng, wwtp.interval_noise_sd, (timeline.days, SLOTS_PER_DAY))
    return np.asarray(daily_kwh[:, None] * cycle[None, :] * noise, dtype=np.float64)


def daily_water(
    sector: SectorLoad, timeline: YearTimeline, shoulder_factor: float, full_day_m3: float, rng: np.random.Generator
) -> FloatArray:
    """Daily water withdrawal [m3]: full-day water × (base share + rest × day factor × noise)."""
    daily = day_factors(sector, timeline, shoulder_factor) * noise_factors(rng, sector.daily_noise_sd, (timeline.days,))
    return full_day_m3 * (sector.water_base_share + (1.0 - sector.water_base_share) * daily)


def monthly_bills(
    timeline: YearTimeline, daily_weight: FloatArray, annual: float, noise_sd: float, rng: np.random.Generator
) -> FloatArray:
    """Split an annual amount into 12 monthly amounts by the days' weights, with month noise.

    Parameters
    ----------
    timeline : YearTimeline
        The year.
    daily_weight : numpy.ndarray, shape (days,)
        Relative activity of each day [-].
    annual : float
        Expected annual amount [unit].
    noise_sd : float
        Sd of the month factor around 1 (bounded below by 0.5) [-].
    rng : numpy.random.Generator
        Noise source.
    """
    weights = np.bincount(timeline.month, weights=daily_weight, minlength=12)
    total = weights.sum()
    shares = weights / total if total > 0 else timeline.days_in_month() / timeline.days
    return annual * shares * noise_factors(rng, noise_sd, (12,), MINIMUM_BILL_FACTOR)


def estimated_bills(
    bills: FloatArray, timeline: YearTimeline, probability: float, rng: np.random.Generator
) -> tuple[FloatArray, BoolArray]:
    """Mark some bills as estimates and replace their value by the neighbour month's, scaled by days.

    Returns
    -------
    values : numpy.ndarray, shape (12,)
        Bills, estimated ones replaced by the previous month's bill × days ratio (January: February's).
    estimated : numpy.ndarray of bool, shape (12,)
    """
    estimated = rng.random(12) < probability
    days = timeline.days_in_month().astype(np.float64)
    neighbour = np.concatenate(([1], np.arange(11)))
    values = np.where(estimated, bills[neighbour] * days / days[neighbour], bills)
    return np.asarray(values, dtype=np.float64), np.asarray(estimated, dtype=np.bool_)
