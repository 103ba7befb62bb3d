"""Outdoor temperature for baselines: a user's daily CSV, or the province's monthly climate normals.

Daily mean temperatures measured at or near the site are what change-point models need.
Without them, ecozone falls back to the province's monthly normals (IMHEN 2008–2017 via
the ``imhen`` R package; ``data/climate_normals_provinces.csv``, see ``data/SOURCE.md``),
interpolated linearly between mid-month values. Normals repeat the same year every year: a
daily model on them learns the seasonal cycle, not the weather of the year, so day-to-day
weather shows up as noise and the savings assume normal weather. Every use says so with the
finding ``baselines.weather.monthly_normals``.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from functools import cache
from importlib import resources
from io import StringIO
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from ecozone.baselines.errors import BaselineInputError
from ecozone.baselines.findings import Finding
from ecozone.baselines.observations import FloatArray
from ecozone.baselines.settings import BaselineSettings, Frequency
from ecozone.errors import NotFoundError, ReferenceDataError

NORMALS_FILE = "climate_normals_provinces.csv"
NORMALS_COLUMNS = (
    "province_old_code",
    "province",
    "month",
    "t_mean_c",
    "t_max_mean_c",
    "t_min_mean_c",
    "source",
    "edition",
    "status",
)
IMHEN_ALIASES = {"ho chi minh": "ho chi minh city"}
"""IMHEN province names that differ from the GSO ASCII names (folded)."""
DAYS_IN_YEAR = 365.25
TEMPERATURE_COLUMNS = ("temperature_c", "t_mean_c", "temperature_f")
DegreeDayKind = Literal["cooling", "heating"]


@cache
def _normals_table() -> pd.DataFrame:
    text = resources.files("ecozone.baselines").joinpath("data", NORMALS_FILE).read_text(encoding="utf-8")
    table = pd.read_csv(StringIO(text), dtype={"province_old_code": str})
    missing = [name for name in NORMALS_COLUMNS if name not in table.columns]
    if missing:
        raise ReferenceDataError("baselines.error.reference_file", file=NORMALS_FILE, detail=", ".join(missing))
    return table


def province_normals(province: str) -> pd.DataFrame:
    """Monthly climate normals of a province (code or name, 2008 or 2025 layout).

    A 2025 unit that merged several provinces takes the normals of the old province that
    hosts its administrative centre.

    Returns
    -------
    pandas.DataFrame
        Twelve rows (``month`` 1–12) of :data:`NORMALS_COLUMNS`.

    Raises
    ------
    NotFoundError
        If the province is unknown or has no normals.
    """
    from ecozone.provinces import predecessors, resolve_province

    reference = resolve_province(province)
    code = reference.old_code
    if code is None:
        merged = predecessors(reference.new_code)
        code = next((p.code for p in merged if p.code == reference.new_code), merged[0].code if merged else None)
    table = _normals_table()
    rows = table[table["province_old_code"] == code].sort_values("month")
    if len(rows) != 12:
        raise NotFoundError("baselines.error.no_normals", province=province)
    return rows.reset_index(drop=True)


def interpolate_normals(monthly_c: Sequence[float], days: pd.DatetimeIndex | pd.Series) -> FloatArray:
    """Daily values from 12 monthly normals: linear between mid-month points, periodic over the year.

    Parameters
    ----------
    monthly_c : sequence of 12 float
        Monthly mean temperatures, January first [°C].
    days : pandas.DatetimeIndex or Series
        The days to value.

    Returns
    -------
    numpy.ndarray
        Temperature of each day [°C]; equals the monthly normal at each month's middle.
    """
    values = np.asarray(monthly_c, dtype=np.float64)
    if values.size != 12:
        raise BaselineInputError("baselines.error.normals_length", count=int(values.size))
    stamps = pd.DatetimeIndex(days)
    fraction = (stamps.day_of_year.to_numpy() - 0.5) / np.where(stamps.is_leap_year, 366.0, 365.0)
    anchors = (np.arange(12) + 0.5) / 12.0
    extended_x = np.concatenate([[anchors[-1] - 1.0], anchors, [anchors[0] + 1.0]])
    extended_y = np.concatenate([[values[-1]], values, [values[0]]])
    return np.asarray(np.interp(fraction, extended_x, extended_y), dtype=np.float64)


def normals_temperature(province: str, period_starts: pd.Series, frequency: Frequency) -> FloatArray:
    """Temperature of each period from the province's normals [°C].

    Monthly periods take the month's normal; days (and the hours of a day) the interpolated
    daily value.
    """
    normals = province_normals(province)["t_mean_c"].to_numpy(dtype=np.float64).tolist()
    starts = pd.to_datetime(period_starts)
    if frequency == "monthly":
        return np.asarray(normals, dtype=np.float64)[starts.dt.month.to_numpy() - 1]
    return interpolate_normals(normals, starts.dt.floor("D"))


def normals_finding(province: str, frequency: Frequency) -> Finding:
    """The finding that says temperatures come from monthly normals (a warning for daily and hourly models)."""
    data = {"province": province, "frequency": frequency}
    if frequency == "monthly":
        return Finding("baselines.weather.monthly_normals", "info", data)
    return Finding("baselines.weather.monthly_normals", "warning", data)


def read_temperature_csv(source: str | Path | StringIO, settings: BaselineSettings | None = None) -> pd.DataFrame:
    """Read daily mean temperatures from a CSV file.

    The file has a ``date`` column (ISO dates, local days) and one of ``temperature_c``
    (or ``t_mean_c``) [°C] or ``temperature_f`` [°F, converted]; an optional ``meter_id``
    column gives meter-specific temperatures.

    Returns
    -------
    pandas.DataFrame
        ``date`` (datetime64, day), ``temperature_c`` [°C] (and ``meter_id`` if given).

    Raises
    ------
    BaselineInputError
        If columns are missing, a value is not a date or a number, a day is repeated or a
        temperature is implausible in °C (e.g. °F values declared as °C).
    """
    settings = settings or BaselineSettings()
    frame = pd.read_csv(source)
    column = next((name for name in TEMPERATURE_COLUMNS if name in frame.columns), None)
    if "date" not in frame.columns or column is None:
        raise BaselineInputError("baselines.error.weather_columns", columns=", ".join(map(str, frame.columns)))
    dates = pd.to_datetime(frame["date"], errors="coerce")
    values = pd.to_numeric(frame[column], errors="coerce")
    bad = dates.isna() | values.isna()
    if bad.any():
        raise BaselineInputError("baselines.error.weather_values", row=int(np.flatnonzero(bad.to_numpy())[0]) + 2)
    if column == "temperature_f":
        values = (values - 32.0) * 5.0 / 9.0
    result = pd.DataFrame({"date": dates.dt.floor("D"), "temperature_c": values.astype(np.float64)})
    if "meter_id" in frame.columns:
        result.insert(0, "meter_id", frame["meter_id"].astype(str))
    keys = ["meter_id", "date"] if "meter_id" in result.columns else ["date"]
    if result.duplicated(keys).any():
        raise BaselineInputError("baselines.error.weather_duplicates", count=int(result.duplicated(keys).sum()))
    low, high = settings.plausible_temperature_c
    if result["temperature_c"].min() < low or result["temperature_c"].max() > high:
        raise BaselineInputError(
            "baselines.error.implausible_weather",
            minimum=round(float(result["temperature_c"].min()), 2),
            maximum=round(float(result["temperature_c"].max()), 2),
            low=low,
            high=high,
        )
    return result


def degree_days(temperature_c: FloatArray, base_c: float, kind: DegreeDayKind = "cooling") -> FloatArray:
    """Degree days of daily mean temperatures against a base [°C·d].

    ``cooling``: ``max(T − base, 0)``; ``heating``: ``max(base − T, 0)``.
    """
    temperature = np.asarray(temperature_c, dtype=np.float64)
    if kind == "cooling":
        return np.maximum(temperature - base_c, 0.0)
    if kind == "heating":
        return np.maximum(base_c - temperature, 0.0)
    raise BaselineInputError("baselines.error.degree_day_kind", kind=str(kind))


def monthly_degree_days(daily: pd.DataFrame, base_c: float, kind: DegreeDayKind = "cooling") -> pd.DataFrame:
    """Sum daily degree days by calendar month.

    Parameters
    ----------
    daily : pandas.DataFrame
        ``date`` and ``temperature_c`` [°C].
    base_c : float [°C]
        Base temperature.
    kind : {"cooling", "heating"}
        Degree-day kind.

    Returns
    -------
    pandas.DataFrame
        ``month`` (first day), ``degree_days`` [°C·d] and ``days`` (days with data).
    """
    dates = pd.to_datetime(daily["date"])
    values = degree_days(daily["temperature_c"].to_numpy(dtype=np.float64), base_c, kind)
    frame = pd.DataFrame({"month": dates.dt.to_period("M").dt.start_time, "degree_days": values})
    grouped = frame.groupby("month", sort=True)
    return grouped["degree_days"].sum().to_frame().assign(days=grouped.size()).reset_index()


def temperature_for_periods(period_starts: pd.Series, frequency: Frequency, weather: pd.DataFrame) -> FloatArray:
    """Mean temperature of each period from daily weather [°C] (NaN where a day is missing).

    Monthly periods average the month's days; days take their value; hours their day's value.
    """
    daily = weather.set_index("date")["temperature_c"]
    starts = pd.to_datetime(period_starts)
    if frequency == "monthly":
        means = daily.groupby(pd.DatetimeIndex(daily.index).to_period("M").start_time).mean()
        return np.asarray(means.reindex(starts.dt.to_period("M").dt.start_time).to_numpy(dtype=np.float64))
    return np.asarray(daily.reindex(starts.dt.floor("D")).to_numpy(dtype=np.float64))


def derive_province_normals(frame: pd.DataFrame, source: str, edition: str) -> pd.DataFrame:
    """Derive the shipped province × month normals from the IMHEN province table.

    Each province is screened and averaged over 2008–2017 by the demo's
    :func:`ecozone.demo.readings.climate.monthly_climate_normals` (implausible values and
    outliers dropped), then keyed by its 2008 GSO code.

    Parameters
    ----------
    frame : pandas.DataFrame
        ``province_monthly_2008_2017_interpolated.csv`` of the shared IMHEN data.
    source, edition : str
        Text of the ``source`` and ``edition`` columns.
    """
    from ecozone.demo.readings.climate import monthly_climate_normals
    from ecozone.provinces import provinces
    from ecozone.registry.schema import fold

    codes = {fold(p.name_ascii): code for code, p in provinces("2008").items()}
    parts = []
    for name in sorted(frame["province"].unique()):
        key = IMHEN_ALIASES.get(fold(name), fold(name))
        if key not in codes:
            raise ReferenceDataError("baselines.error.reference_file", file=NORMALS_FILE, detail=name)
        normals = monthly_climate_normals(frame, name)
        normals.insert(0, "province", name)
        normals.insert(0, "province_old_code", codes[key])
        parts.append(
            normals[["province_old_code", "province", "month", "t_mean_c", "t_max_mean_c", "t_min_mean_c", "years_t_mean_c"]]
        )
    table = pd.concat(parts).sort_values(["province_old_code", "month"]).reset_index(drop=True)
    return table.assign(source=source, edition=edition, status="unverified")


def write_normals(table: pd.DataFrame, path: Path) -> None:
    """Write a normals table as CSV (UTF-8, quoted where needed)."""
    table.to_csv(path, index=False, quoting=csv.QUOTE_MINIMAL)
