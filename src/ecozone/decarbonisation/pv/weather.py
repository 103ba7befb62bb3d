"""Hourly weather for a PV simulation: a user weather file, or an estimate from clear sky and sunshine.

Every series is on the hours of one local calendar year (Asia/Ho_Chi_Minh): the index holds
interval starts, irradiance is the hour's mean [W/m2], and the sun's position is taken at
the middle of the hour.

Estimate (no weather file)
--------------------------
1. pvlib's Ineichen clear sky at the site (Kasten–Young air mass at the site's pressure),
   with Linke turbidity from pvlib's bundled monthly climatology
   (``pvlib.clearsky.lookup_linke_turbidity``, monthly values, not interpolated).
2. The nearest IMHEN station's monthly sunshine hours give, by Ångström–Prescott
   (:mod:`ecozone.decarbonisation.pv.sunshine`), each month's global horizontal radiation;
   the clear-sky GHI of the month is scaled to it (one factor per month).
3. Direct and diffuse parts are split from the scaled GHI by the Erbs model.
4. Air temperature follows the station's monthly mean with a cosine daily cycle between
   the mean minimum (at 02:30) and maximum (at 14:30); wind is a constant assumption.
The result is labelled an estimate (``is_estimate``): hour-to-hour cloudiness is absent, so
self-consumption is somewhat optimistic.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pandas as pd
import pvlib  # type: ignore[import-untyped]

from ecozone.decarbonisation.errors import WeatherError
from ecozone.decarbonisation.pv.assumptions import PvAssumptions, default_pv_assumptions
from ecozone.decarbonisation.pv.sunshine import (
    AngstromPrescott,
    default_coefficients,
    great_circle_km,
    monthly_radiation_mj,
    nearest_station,
)

LOCAL_TIMEZONE = "Asia/Ho_Chi_Minh"
FloatArray = npt.NDArray[np.float64]
WH_TO_MJ = 0.0036
FAR_WEATHER_KM = 300.0
OTHER_CONTINENT_KM = 3000.0
WEATHER_COLUMNS = ("ghi", "dni", "dhi", "temp_air", "wind_speed")
SITE_UTC_OFFSET_HOURS = 7.0
MAX_FILLED_WEATHER_HOURS = 3
"""Longest run of missing hours in a weather file filled by linear interpolation (with a warning)."""
TYPICAL_YEAR = 2023
"""A non-leap year used to order typical-year hours."""


@dataclass(frozen=True)
class Weather:
    """Hourly weather of one local year at one site.

    Attributes
    ----------
    times : DatetimeIndex
        Interval starts, local time zone.
    ghi, dni, dhi : ndarray [W/m2]
    temp_air : ndarray [°C]
    wind_speed : ndarray [m/s]
    latitude, longitude : float [deg]
    altitude : float [m]
    label : str
        Where the data come from.
    is_estimate : bool
        True for the clear-sky + sunshine estimate.
    warnings : tuple of (key, params)
        Message keys with parameters (e.g. a weather file far from the site).
    """

    times: pd.DatetimeIndex
    ghi: FloatArray
    dni: FloatArray
    dhi: FloatArray
    temp_air: FloatArray
    wind_speed: FloatArray
    latitude: float
    longitude: float
    altitude: float
    label: str
    is_estimate: bool
    warnings: tuple[tuple[str, dict[str, object]], ...] = field(default=())

    @property
    def mid_times(self) -> pd.DatetimeIndex:
        """Middle of each hour (where the sun's position is evaluated)."""
        return self.times + pd.Timedelta(minutes=30)

    def frame(self) -> pd.DataFrame:
        """The series as a DataFrame indexed by mid-hour times (pvlib's weather layout)."""
        return pd.DataFrame(
            {"ghi": self.ghi, "dni": self.dni, "dhi": self.dhi, "temp_air": self.temp_air, "wind_speed": self.wind_speed},
            index=self.mid_times,
        )


def year_hours(year: int, timezone: str = LOCAL_TIMEZONE) -> pd.DatetimeIndex:
    """Starts of every hour of local calendar ``year`` (8,760 or 8,784)."""
    start = pd.Timestamp(year=year, month=1, day=1, tz=timezone)
    return pd.date_range(start, start + pd.DateOffset(years=1), freq="h", inclusive="left")


def _daily_temperature(times: pd.DatetimeIndex, mean: FloatArray, t_max: FloatArray, t_min: FloatArray) -> FloatArray:
    month = np.asarray(times.month) - 1
    hour = np.asarray(times.hour) + 0.5
    amplitude = 0.5 * (t_max[month] - t_min[month])
    return np.asarray(mean[month] + amplitude * np.cos(2.0 * np.pi * (hour - 14.5) / 24.0))


def clear_sky_estimate(
    latitude: float,
    longitude: float,
    year: int,
    coefficients: AngstromPrescott | None = None,
    assumptions: PvAssumptions | None = None,
    altitude: float | None = None,
) -> Weather:
    """Estimate a year of hourly weather from clear sky scaled to the nearest station's sunshine.

    Parameters
    ----------
    latitude, longitude : float [deg]
    year : int
        Local calendar year of the hours.
    coefficients : AngstromPrescott, optional
        Defaults to the shipped FAO-56 coefficients.
    assumptions : PvAssumptions, optional
        For the constant wind speed.
    altitude : float [m], optional
        Site altitude; the station's by default.

    Returns
    -------
    Weather
        ``is_estimate`` True, labelled with the station and its distance.
    """
    coefficients = coefficients or default_coefficients()
    assumptions = assumptions or default_pv_assumptions()
    station, distance_km = nearest_station(latitude, longitude)
    site_altitude = station.elevation_m if altitude is None else altitude
    times = year_hours(year)
    mid = times + pd.Timedelta(minutes=30)
    solar = pvlib.solarposition.get_solarposition(mid, latitude, longitude, altitude=site_altitude)
    zenith = solar["apparent_zenith"].to_numpy(dtype=np.float64)
    airmass = pvlib.atmosphere.get_absolute_airmass(
        pvlib.atmosphere.get_relative_airmass(zenith), pvlib.atmosphere.alt2pres(site_altitude)
    )
    turbidity = pvlib.clearsky.lookup_linke_turbidity(mid, latitude, longitude, interp_turbidity=False).to_numpy(dtype=np.float64)
    day_of_year = np.asarray(mid.day_of_year)
    dni_extra = pvlib.irradiance.get_extra_radiation(day_of_year)
    with np.errstate(divide="ignore", invalid="ignore"):
        clear = pvlib.clearsky.ineichen(zenith, airmass, turbidity, altitude=site_altitude, dni_extra=dni_extra)
    ghi_clear = np.nan_to_num(np.asarray(clear["ghi"], dtype=np.float64))
    month = np.asarray(times.month)
    ghi = np.zeros_like(ghi_clear)
    for m in range(1, 13):
        in_month = month == m
        target = monthly_radiation_mj(latitude, year, m, station.sunshine_hours[m - 1], coefficients)
        modelled = float(ghi_clear[in_month].sum()) * WH_TO_MJ
        ghi[in_month] = ghi_clear[in_month] * (target / modelled if modelled > 0 else 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        split = pvlib.irradiance.erbs(ghi, solar["zenith"].to_numpy(dtype=np.float64), day_of_year)
    temperature = _daily_temperature(
        times, np.asarray(station.t_mean_c), np.asarray(station.t_max_c), np.asarray(station.t_min_c)
    )
    return Weather(
        times=times,
        ghi=ghi,
        dni=np.nan_to_num(np.asarray(split["dni"], dtype=np.float64)),
        dhi=np.nan_to_num(np.asarray(split["dhi"], dtype=np.float64)),
        temp_air=temperature,
        wind_speed=np.full(len(times), assumptions.default_wind_speed),
        latitude=latitude,
        longitude=longitude,
        altitude=site_altitude,
        label=(
            "estimate: clear sky (Ineichen, Linke turbidity climatology) scaled to sunshine at "
            f"{station.station} ({distance_km:.0f} km)"
        ),
        is_estimate=True,
    )


def _read_file(path: Path) -> tuple[pd.DataFrame, dict[str, float]]:
    """Read a weather file; the index becomes interval starts (TMY3 and EPW label interval ends)."""
    suffix = path.suffix.lower()
    try:
        if suffix == ".epw":
            data, meta = pvlib.iotools.read_epw(str(path))
            data.index = data.index - pd.Timedelta(hours=1)
        elif suffix == ".json" or (suffix == ".csv" and "pvgis" in path.name.lower()):
            data, meta = pvlib.iotools.read_pvgis_tmy(str(path), map_variables=True)[:2]
            data.index = pd.DatetimeIndex(data.index).floor("h")
            meta = meta.get("location", meta) if isinstance(meta, dict) else {}
        elif suffix == ".csv":
            data, meta = pvlib.iotools.read_tmy3(str(path), map_variables=True)
            data.index = data.index - pd.Timedelta(hours=1)
        else:
            raise WeatherError("decarbonisation.pv.weather_format", file=str(path), known=".epw, .csv (TMY3), .json (PVGIS)")
    except FileNotFoundError as exc:
        raise WeatherError("decarbonisation.pv.weather_missing", file=str(path)) from exc
    except (ValueError, KeyError, IndexError, UnicodeDecodeError) as exc:
        raise WeatherError("decarbonisation.pv.weather_unreadable", file=str(path), detail=str(exc)) from exc
    location = {k: float(meta[k]) for k in ("latitude", "longitude") if k in meta}
    return data, location


def _on_calendar(data: pd.DataFrame, year: int, file_longitude: float | None, site_longitude: float) -> pd.DataFrame:
    """Map a typical year's hours onto local ``year``.

    The file's hours are ordered by month, day and hour of its own clock (29 February
    dropped) and rolled, wrapping around the typical year, from the file's clock to the
    site's: by way of the file's zone solar clock (UTC + round(longitude / 15) h) when the
    file's longitude is known, so that a file from another time zone keeps its sun at noon;
    then laid on ``year`` (29 February repeats 28 February).
    """
    index = pd.DatetimeIndex(data.index)
    first_offset = index[0].utcoffset() if index.tz is not None else None
    offset_file = first_offset.total_seconds() / 3600.0 if first_offset is not None else SITE_UTC_OFFSET_HOURS
    clock = index.tz_localize(None) if index.tz is not None else index
    keyed = data.assign(month=clock.month, day=clock.day, hour=clock.hour)
    keyed = keyed[~((keyed["month"] == 2) & (keyed["day"] == 29))]
    typical = keyed.groupby(["month", "day", "hour"])[list(WEATHER_COLUMNS)].mean()
    reference = year_hours(TYPICAL_YEAR)
    wanted = pd.MultiIndex.from_arrays([reference.month, reference.day, reference.hour], names=["month", "day", "hour"])
    values = typical.reindex(wanted).to_numpy(dtype=np.float64)
    if file_longitude is None:
        shift = SITE_UTC_OFFSET_HOURS - offset_file
    else:
        shift = round(file_longitude / 15.0) - offset_file + SITE_UTC_OFFSET_HOURS - round(site_longitude / 15.0)
    values = np.roll(values, round(shift), axis=0)
    times = year_hours(year)
    day_of_year = np.asarray(times.day_of_year) - 1
    if times.is_leap_year[0]:
        day_of_year = np.where(day_of_year >= 59, day_of_year - 1, day_of_year)
    rows = day_of_year * 24 + np.asarray(times.hour)
    return pd.DataFrame(values[rows], index=times, columns=list(WEATHER_COLUMNS))


def read_weather(path: str | Path, latitude: float, longitude: float, year: int) -> Weather:
    """Read a TMY3 (.csv), EPW (.epw) or PVGIS TMY (.json, or .csv named *pvgis*) file onto local ``year``.

    Parameters
    ----------
    path : str or Path
    latitude, longitude : float [deg]
        The site: a file far from it is accepted with a warning.
    year : int
        Local calendar year the typical hours are mapped onto (by month, day and hour).

    Raises
    ------
    WeatherError
        Unknown format, unreadable file, missing columns or hours, or non-physical values.
    """
    file = Path(path)
    data, location = _read_file(file)
    missing = [c for c in WEATHER_COLUMNS if c not in data.columns]
    if missing:
        raise WeatherError("decarbonisation.pv.weather_columns", file=str(file), columns=", ".join(missing))
    mapped = _on_calendar(data, year, location.get("longitude"), longitude)
    warnings: list[tuple[str, dict[str, object]]] = []
    gaps = int(mapped.isna().any(axis=1).sum())
    if gaps:
        filled = mapped.interpolate(limit=MAX_FILLED_WEATHER_HOURS, limit_direction="both")
        if filled.isna().any().any():
            raise WeatherError("decarbonisation.pv.weather_gaps", file=str(file), count=gaps)
        mapped = filled
        warnings.append(("decarbonisation.pv.weather_gaps_filled", {"file": file.name, "count": gaps}))
    if (mapped[["ghi", "dni", "dhi"]] < 0).any().any() or (mapped["ghi"] > 1500).any():
        raise WeatherError("decarbonisation.pv.weather_values", file=str(file))
    file_latitude, file_longitude = location.get("latitude", latitude), location.get("longitude", longitude)
    distance = great_circle_km(latitude, longitude, file_latitude, file_longitude)
    if distance > OTHER_CONTINENT_KM:
        warnings.append(("decarbonisation.pv.weather_other_continent", {"file": file.name, "distance_km": round(distance)}))
    elif distance > FAR_WEATHER_KM:
        warnings.append(("decarbonisation.pv.weather_far", {"file": file.name, "distance_km": round(distance)}))
    weather = Weather(
        times=pd.DatetimeIndex(mapped.index),
        ghi=mapped["ghi"].to_numpy(dtype=np.float64),
        dni=mapped["dni"].to_numpy(dtype=np.float64),
        dhi=mapped["dhi"].to_numpy(dtype=np.float64),
        temp_air=mapped["temp_air"].to_numpy(dtype=np.float64),
        wind_speed=mapped["wind_speed"].to_numpy(dtype=np.float64),
        latitude=latitude,
        longitude=longitude,
        altitude=0.0,
        label=f"weather file {file.name}",
        is_estimate=False,
    )
    return replace(weather, warnings=tuple(warnings))
