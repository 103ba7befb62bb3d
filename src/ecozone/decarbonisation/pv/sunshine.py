"""Solar radiation from sunshine hours (Ångström–Prescott) and the IMHEN station normals.

The FAO-56 formulas (Allen et al. 1998, Irrigation and Drainage Paper 56, chapter 3):

- inverse relative Earth-Sun distance ``dr = 1 + 0.033 cos(2π J / 365)`` (Eq. 23)
- solar declination ``δ = 0.409 sin(2π J / 365 - 1.39)`` [rad] (Eq. 24)
- sunset hour angle ``ωs = arccos(-tan φ tan δ)`` [rad] (Eq. 25)
- extraterrestrial radiation ``Ra = 24·60/π Gsc dr (ωs sin φ sin δ + cos φ cos δ sin ωs)``
  [MJ/m2/day] with ``Gsc = 0.0820`` MJ/m2/min (Eq. 21)
- daylight hours ``N = 24 ωs / π`` [h] (Eq. 34)
- Ångström–Prescott ``Rs = (a + b n / N) Ra`` (Eq. 35), ``a`` and ``b`` from
  ``data/angstrom_prescott.csv`` (FAO defaults 0.25 and 0.50 where no calibration exists).

Station normals (``data/station_normals.csv``) are the means of the IMHEN monthly
observations (imhen R package, 67 stations, 1961–2017) after screening impossible sunshine.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache

import numpy as np
import numpy.typing as npt

from ecozone.decarbonisation.errors import WeatherError
from ecozone.decarbonisation.reference import number, read_rows

DATA = "ecozone.decarbonisation.pv.data"
SOLAR_CONSTANT_MJ_M2_MIN = 0.0820
FloatArray = npt.NDArray[np.float64]
EARTH_RADIUS_KM = 6371.0


def inverse_relative_distance(day_of_year: npt.ArrayLike) -> FloatArray:
    """FAO-56 Eq. 23 [-]."""
    return np.asarray(1.0 + 0.033 * np.cos(2.0 * np.pi * np.asarray(day_of_year, dtype=np.float64) / 365.0))


def solar_declination(day_of_year: npt.ArrayLike) -> FloatArray:
    """FAO-56 Eq. 24 [rad]."""
    return np.asarray(0.409 * np.sin(2.0 * np.pi * np.asarray(day_of_year, dtype=np.float64) / 365.0 - 1.39))


def sunset_hour_angle(latitude_deg: float, day_of_year: npt.ArrayLike) -> FloatArray:
    """FAO-56 Eq. 25 [rad]."""
    phi = math.radians(latitude_deg)
    return np.asarray(np.arccos(np.clip(-math.tan(phi) * np.tan(solar_declination(day_of_year)), -1.0, 1.0)))


def extraterrestrial_radiation(latitude_deg: float, day_of_year: npt.ArrayLike) -> FloatArray:
    """Daily extraterrestrial radiation on a horizontal surface, FAO-56 Eq. 21 [MJ/m2/day]."""
    phi = math.radians(latitude_deg)
    delta = solar_declination(day_of_year)
    omega = sunset_hour_angle(latitude_deg, day_of_year)
    geometry = omega * np.sin(phi) * np.sin(delta) + np.cos(phi) * np.cos(delta) * np.sin(omega)
    return np.asarray(24.0 * 60.0 / np.pi * SOLAR_CONSTANT_MJ_M2_MIN * inverse_relative_distance(day_of_year) * geometry)


def daylight_hours(latitude_deg: float, day_of_year: npt.ArrayLike) -> FloatArray:
    """Astronomical day length, FAO-56 Eq. 34 [h]."""
    return np.asarray(24.0 / np.pi * sunset_hour_angle(latitude_deg, day_of_year))


@dataclass(frozen=True)
class AngstromPrescott:
    """Coefficients of ``Rs / Ra = a + b n / N`` [-] with their source."""

    a: float
    b: float
    source: str
    status: str

    def relative_radiation(self, relative_sunshine: npt.ArrayLike) -> FloatArray:
        """``a + b n / N`` for relative sunshine ``n / N`` (clipped to [0, 1]) [-]."""
        return np.asarray(self.a + self.b * np.clip(np.asarray(relative_sunshine, dtype=np.float64), 0.0, 1.0))


@cache
def default_coefficients() -> AngstromPrescott:
    """The shipped coefficients (FAO-56 defaults, status ``unverified``)."""
    file = "angstrom_prescott.csv"
    rows = {r["coefficient"]: r for r in read_rows(DATA, file, ("coefficient", "value"))}
    status = "verified" if all(r["status"] == "verified" for r in rows.values()) else "unverified"
    return AngstromPrescott(
        number(rows["a"]["value"], file, "a"), number(rows["b"]["value"], file, "b"), rows["a"]["source"], status
    )


def monthly_radiation_mj(
    latitude_deg: float, year: int, month: int, sunshine_hours_month: float, coefficients: AngstromPrescott
) -> float:
    """Global horizontal radiation of one month from its sunshine hours [MJ/m2/month].

    Each day of the month gets ``(a + b n̄ / N_d) Ra_d`` with ``n̄`` the month's mean sunshine
    per day and ``N_d``, ``Ra_d`` the day's daylight hours and extraterrestrial radiation.
    """
    first = np.datetime64(f"{year}-{month:02d}-01")
    days = np.arange(first, first + np.timedelta64(31, "D"), dtype="datetime64[D]")
    days = days[days.astype("datetime64[M]") == first.astype("datetime64[M]")]
    day_of_year = (days - np.datetime64(f"{year}-01-01")).astype(np.int64) + 1
    mean_sunshine = sunshine_hours_month / days.size
    ratio = mean_sunshine / daylight_hours(latitude_deg, day_of_year)
    return float((coefficients.relative_radiation(ratio) * extraterrestrial_radiation(latitude_deg, day_of_year)).sum())


@dataclass(frozen=True)
class StationNormals:
    """Monthly normals of one IMHEN station (index 0 = January)."""

    station: str
    latitude: float
    longitude: float
    elevation_m: float
    sunshine_hours: tuple[float, ...]
    t_mean_c: tuple[float, ...]
    t_max_c: tuple[float, ...]
    t_min_c: tuple[float, ...]
    source: str
    status: str


@cache
def station_normals() -> dict[str, StationNormals]:
    """Every station with twelve monthly normals."""
    file = "station_normals.csv"
    columns = (
        "station",
        "latitude",
        "longitude",
        "elevation_m",
        "month",
        "sunshine_hours",
        "t_mean_c",
        "t_max_mean_c",
        "t_min_mean_c",
    )
    grouped: dict[str, list[dict[str, str]]] = {}
    for row in read_rows(DATA, file, columns):
        grouped.setdefault(row["station"], []).append(row)
    result = {}
    for name, rows in grouped.items():
        rows.sort(key=lambda r: int(r["month"]))
        first = rows[0]
        result[name] = StationNormals(
            station=name,
            latitude=number(first["latitude"], file, "latitude"),
            longitude=number(first["longitude"], file, "longitude"),
            elevation_m=number(first["elevation_m"], file, "elevation_m"),
            sunshine_hours=tuple(number(r["sunshine_hours"], file, "sunshine_hours") for r in rows),
            t_mean_c=tuple(number(r["t_mean_c"], file, "t_mean_c") for r in rows),
            t_max_c=tuple(number(r["t_max_mean_c"], file, "t_max_mean_c") for r in rows),
            t_min_c=tuple(number(r["t_min_mean_c"], file, "t_min_mean_c") for r in rows),
            source=first["source"],
            status=first["status"],
        )
    return result


def great_circle_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Haversine distance [km]."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


def nearest_station(latitude: float, longitude: float) -> tuple[StationNormals, float]:
    """Return the nearest station with complete normals and its distance [km].

    Raises
    ------
    WeatherError
        If the coordinates are not valid latitude/longitude.
    """
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise WeatherError("decarbonisation.pv.bad_location", latitude=latitude, longitude=longitude)
    stations = station_normals().values()
    best = min(stations, key=lambda s: great_circle_km(latitude, longitude, s.latitude, s.longitude))
    return best, great_circle_km(latitude, longitude, best.latitude, best.longitude)
