"""The demo park's climate: Bình Dương monthly normals and their smooth daily and 15-minute course.

The shipped table ``data/climate_binh_duong_monthly.csv`` holds, for each calendar month, the
mean over 2008–2017 of the IMHEN province-level monthly values for Bình Dương (mean, mean
maximum and mean minimum air temperature [°C], sunshine duration [h/month]), derived from
the ``imhen`` R package (Copyright (c) 2018 Marc Choisy — MIT licence; observations by the
Vietnamese Institute of Meteorology, Hydrology and Environment, IMHEN) by
:func:`monthly_climate_normals`. Months are placed at their mid-points and interpolated
across the days of a year by periodic trigonometric interpolation (smooth, exact at the
mid-points); a cosine diurnal cycle of half the mean daily range, peaking at 14:30 local,
gives the temperature of each 15-minute interval.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from io import StringIO

import numpy as np
import numpy.typing as npt
import pandas as pd

from ecozone.errors import ReferenceDataError

FloatArray = npt.NDArray[np.float64]

CLIMATE_FILE = "climate_binh_duong_monthly.csv"
CLIMATE_VARIABLES = ("t_mean_c", "t_max_mean_c", "t_min_mean_c", "sunshine_hours")
PLAUSIBLE_TEMPERATURE_C = (5.0, 45.0)
"""Monthly mean temperatures outside this range [°C] are recording errors (e.g. 0.0)."""
MAXIMUM_SUNSHINE_HOURS = 372.0
"""Physical upper bound of monthly sunshine duration [h] (31 days × 12 h), per the data's SOURCE.md."""
OUTLIER_MAD_LIMIT = 4.0
"""A value farther than this many scaled MADs from the month's median over the years is dropped [-]."""
MAD_TO_SD = 1.4826
DIURNAL_PEAK_HOUR = 14.5
"""Local hour of the daily temperature maximum [h] (typical mid-afternoon maximum)."""


@dataclass(frozen=True)
class MonthlyClimate:
    """Twelve monthly normals (index 0 = January).

    Attributes
    ----------
    t_mean_c, t_max_mean_c, t_min_mean_c : tuple of float
        Mean, mean daily maximum and mean daily minimum air temperature [°C].
    sunshine_hours : tuple of float
        Sunshine duration [h/month].
    """

    t_mean_c: tuple[float, ...]
    t_max_mean_c: tuple[float, ...]
    t_min_mean_c: tuple[float, ...]
    sunshine_hours: tuple[float, ...]


def _plausible(frame: pd.DataFrame) -> pd.DataFrame:
    """Blank (NaN) values outside physical bounds or inconsistent (min > mean > max)."""
    clean = frame.copy()
    low, high = PLAUSIBLE_TEMPERATURE_C
    for column in ("t_mean_c", "t_max_mean_c", "t_min_mean_c"):
        clean.loc[~clean[column].between(low, high), column] = np.nan
    inconsistent = (clean["t_min_mean_c"] > clean["t_mean_c"]) | (clean["t_mean_c"] > clean["t_max_mean_c"])
    clean.loc[inconsistent, ["t_mean_c", "t_max_mean_c", "t_min_mean_c"]] = np.nan
    clean.loc[~clean["sunshine_hours"].between(0.0, MAXIMUM_SUNSHINE_HOURS), "sunshine_hours"] = np.nan
    return clean


def _without_outliers(values: pd.Series) -> pd.Series:
    """Blank values farther than :data:`OUTLIER_MAD_LIMIT` scaled MADs from the median."""
    median = values.median()
    spread = MAD_TO_SD * (values - median).abs().median()
    if not spread > 0:
        return values
    return values.where((values - median).abs() <= OUTLIER_MAD_LIMIT * spread)


def monthly_climate_normals(frame: pd.DataFrame, province: str) -> pd.DataFrame:
    """Average a province's monthly climate over the years, after screening implausible values.

    Screening, per value: temperatures outside :data:`PLAUSIBLE_TEMPERATURE_C`, a row whose
    minimum, mean and maximum temperatures are not in order (all three blanked), sunshine
    outside [0, :data:`MAXIMUM_SUNSHINE_HOURS`] h, and then, for each calendar month, values
    farther than :data:`OUTLIER_MAD_LIMIT` scaled median absolute deviations from that
    month's median over the years.

    Parameters
    ----------
    frame : pandas.DataFrame
        Rows of ``province_monthly_2008_2017_interpolated.csv`` (columns ``province``, ``year``,
        ``month`` and :data:`CLIMATE_VARIABLES`).
    province : str
        Province name as spelled in ``frame`` (e.g. ``Binh Duong``).

    Returns
    -------
    pandas.DataFrame
        One row per month 1–12: the mean of each variable over the kept years (3 decimals)
        and ``years_<variable>``, the number of years kept.

    Raises
    ------
    ReferenceDataError
        If the province is absent or a month has no plausible value left.
    """
    rows = frame[frame["province"] == province]
    if rows.empty:
        raise ReferenceDataError("demo_readings.no_climate", province=province)
    clean = _plausible(rows[["month", *CLIMATE_VARIABLES]])
    for column in CLIMATE_VARIABLES:
        clean[column] = clean.groupby("month")[column].transform(_without_outliers)
    grouped = clean.groupby("month")[list(CLIMATE_VARIABLES)]
    means, counts = grouped.mean().round(3), grouped.count()
    if len(means) != 12 or bool((counts == 0).to_numpy().any()):
        raise ReferenceDataError("demo_readings.no_climate", province=province)
    return means.join(counts.add_prefix("years_")).reset_index()


@cache
def park_climate() -> MonthlyClimate:
    """Return the shipped monthly normals of the demo park (Bình Dương, 2008–2017)."""
    text = resources.files("ecozone.demo").joinpath("data", CLIMATE_FILE).read_text(encoding="utf-8")
    table = pd.read_csv(StringIO(text)).sort_values("month")
    if table["month"].tolist() != list(range(1, 13)):
        raise ReferenceDataError("demo_readings.bad_file", file=CLIMATE_FILE, detail="expected months 1 to 12")
    columns = [tuple(float(v) for v in table[name]) for name in CLIMATE_VARIABLES]
    return MonthlyClimate(*columns)


def periodic_interpolation(monthly: tuple[float, ...] | FloatArray, year_fraction: FloatArray) -> FloatArray:
    """Interpolate 12 monthly values smoothly over the year (trigonometric interpolation).

    Month ``m`` (0-based) is placed at year fraction ``(m + 0.5) / 12``; the returned curve is
    the unique trigonometric polynomial of degree 6 through the 12 points, periodic over
    the year.

    Parameters
    ----------
    monthly : sequence of 12 float
        Monthly values (January first).
    year_fraction : numpy.ndarray
        Positions in the year, 0 = 1 January 00:00, 1 = next 1 January [-].

    Returns
    -------
    numpy.ndarray
        Interpolated values at ``year_fraction``.
    """
    values = np.asarray(monthly, dtype=np.float64)
    count = values.size
    coefficients = np.fft.rfft(values) / count
    phase = 2.0 * np.pi * (np.asarray(year_fraction, dtype=np.float64) * count - 0.5) / count
    result = np.full(phase.shape, coefficients[0].real)
    for harmonic in range(1, count // 2 + 1):
        weight = 1.0 if harmonic == count // 2 else 2.0
        coefficient = coefficients[harmonic]
        result += weight * (coefficient.real * np.cos(harmonic * phase) - coefficient.imag * np.sin(harmonic * phase))
    return result


def diurnal_temperature(daily_mean_c: FloatArray, daily_range_c: FloatArray, hour_of_day: FloatArray) -> FloatArray:
    """Temperature of each interval: daily mean plus a cosine cycle peaking at 14:30 local.

    Parameters
    ----------
    daily_mean_c : numpy.ndarray, shape (days,)
        Daily mean temperature [°C].
    daily_range_c : numpy.ndarray, shape (days,)
        Mean daily maximum minus mean daily minimum [°C].
    hour_of_day : numpy.ndarray, shape (slots,)
        Local hour of each interval's mid-point [h].

    Returns
    -------
    numpy.ndarray, shape (days, slots)
        Air temperature [°C].
    """
    cycle = np.cos(2.0 * np.pi * (hour_of_day - DIURNAL_PEAK_HOUR) / 24.0)
    return daily_mean_c[:, None] + 0.5 * daily_range_c[:, None] * cycle[None, :]
