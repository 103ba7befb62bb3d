"""The robust seasonal profile: what a meter usually reads at this time of week and temperature.

Model
-----
``expected = level[day type, slot of day] + offset[temperature band, closed or open]`` where

- ``level`` is the median, over the history, of the readings in the same time-of-week bin.
  Bins pool Monday–Friday (``weekday``), keep Saturday and put Sundays with public holidays
  (``day_off``), so that two weeks of history give at least ten samples per weekday bin (LBNL's
  TOWT uses one bin per hour of the week; pooling trades the Monday start-up for stability);
- ``offset`` is the median residual of the history readings that fell in the same temperature
  band (bands ``temperature_band_width_c`` wide) during the meter's closed or open hours; it is
  zero where the band has less than a day of history or the temperature is missing;
- the residual scale is the spread of a single reading, ``mad_consistency`` × median |difference|
  / √2 over differences of successive history readings of the same bin (free of the shrinkage of
  residuals around a median fitted on the same data), per day type and hour of day and relative
  to the expected level (at least ``scale_reference_share`` of the meter's typical level, so that
  night-time zeros do not divide); it is inflated to a prediction error by
  ``sqrt(1 + π / (2 d))`` (d: history days of the day type, the median's own error) and
  multiplied back by the level; never below ``relative_scale_floor`` × max(|expected|, the
  meter's typical level). Relative spreads suit loads whose noise grows with the load.

Closed hours are the bins whose level is below ``low + closed_level × (high − low)`` (low, high:
5th and 95th percentiles of the meter's levels), for meters whose profile varies by at least
``closed_min_range`` of its high level; a meter running round the clock has none.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from ecozone.monitoring.calendar import DAY_TYPES, day_types, holiday_dates, local_times, slot_of_day, slots_per_day
from ecozone.monitoring.robust import FloatArray, IntArray, grouped_count, grouped_median, paired_difference_spread, row_quantile
from ecozone.monitoring.settings import MonitoringSettings

BoolArray = npt.NDArray[np.bool_]
HOURS = 24
MINIMUM_SCALE = 1e-9
"""Scale of a meter that always read exactly the same [meter unit]: any change is then extreme."""


@dataclass(frozen=True)
class GridCalendar:
    """Calendar facts of every column of a grid.

    Attributes
    ----------
    day_type : numpy.ndarray of int
        0 weekday, 1 Saturday, 2 Sunday or public holiday.
    slot : numpy.ndarray of int
        Slot of the local day.
    hour : numpy.ndarray of int
        Local hour (0 for daily meters).
    day : numpy.ndarray of int
        Local day number counted from the grid's first day.
    slots_per_day : int
        Slots in a day.
    unshipped_holiday_years : tuple of int
        Years without shipped public holidays (treated as ordinary days).
    """

    day_type: IntArray
    slot: IntArray
    hour: IntArray
    day: IntArray
    slots_per_day: int
    unshipped_holiday_years: tuple[int, ...] = ()

    @property
    def bins(self) -> int:
        """Number of time-of-week bins."""
        return len(DAY_TYPES) * self.slots_per_day

    @property
    def profile_bin(self) -> IntArray:
        """Time-of-week bin of every column."""
        return self.day_type * self.slots_per_day + self.slot

    @property
    def hour_groups(self) -> int:
        """Number of (day type, hour) groups of the residual scale."""
        return len(DAY_TYPES) * (HOURS if self.slots_per_day > 1 else 1)

    @property
    def scale_group(self) -> IntArray:
        """(day type, hour) group of every column."""
        return self.day_type * (HOURS if self.slots_per_day > 1 else 1) + self.hour

    def columns(self, selection: slice) -> GridCalendar:
        """Return the calendar of a slice of columns."""
        return GridCalendar(
            self.day_type[selection],
            self.slot[selection],
            self.hour[selection],
            self.day[selection],
            self.slots_per_day,
            self.unshipped_holiday_years,
        )


def grid_calendar(timestamps_utc: pd.DatetimeIndex, interval_minutes: int) -> GridCalendar:
    """Return the calendar of grid columns starting at ``timestamps_utc``."""
    local = local_times(timestamps_utc)
    years = {int(year) for year in np.unique(np.asarray(local.year))}
    holidays, unshipped = holiday_dates(years)
    days = local.to_numpy(dtype="datetime64[ns]").astype("datetime64[D]").astype(np.int64)
    day_number = days - days.min() if days.size else days
    per_day = slots_per_day(interval_minutes)
    hour = np.asarray(local.hour, dtype=np.int64) if per_day > 1 else np.zeros(len(local), dtype=np.int64)
    return GridCalendar(day_types(local, holidays), slot_of_day(local, interval_minutes), hour, day_number, per_day, unshipped)


@dataclass(frozen=True)
class TemperatureBands:
    """Temperature bands seen in the history.

    Attributes
    ----------
    first : int
        Index of the lowest band (floor of temperature / width).
    count : int
        Number of bands.
    width_c : float
        Band width [°C].
    """

    first: int
    count: int
    width_c: float

    def of(self, temperature_c: FloatArray) -> IntArray:
        """Return the band of each temperature [°C], −1 where missing."""
        valid = ~np.isnan(temperature_c)
        raw = np.floor(np.where(valid, temperature_c, 0.0) / self.width_c).astype(np.int64) - self.first
        return np.where(valid, np.clip(raw, 0, self.count - 1), -1)


@dataclass(frozen=True)
class SeasonalProfile:
    """A fitted profile for the rows of a grid.

    Attributes
    ----------
    level : numpy.ndarray, shape (meters, bins)
        Median reading of each time-of-week bin [meter unit].
    closed_bins : numpy.ndarray of bool, shape (meters, bins)
        Bins in the meter's closed hours.
    bands : TemperatureBands or None
        Bands of the history (None without temperatures).
    offset_open, offset_closed : numpy.ndarray, shape (meters, bands)
        Median residual per temperature band in open and closed hours [meter unit].
    scale : numpy.ndarray, shape (meters, scale groups)
        Robust residual standard deviation per day type and hour, relative to :func:`scale_reference` [-].
    typical : numpy.ndarray, shape (meters,)
        Median of the positive levels [meter unit], the base of the scale floor.
    history_days : numpy.ndarray, shape (meters,)
        Days of readings in the history [d].
    """

    level: FloatArray
    closed_bins: BoolArray
    bands: TemperatureBands | None
    offset_open: FloatArray
    offset_closed: FloatArray
    scale: FloatArray
    typical: FloatArray
    history_days: FloatArray


def _closed_bins(level: FloatArray, settings: MonitoringSettings) -> BoolArray:
    low = row_quantile(level, 0.05)
    high = row_quantile(level, 0.95)
    spread = high - low
    varies = spread >= settings.closed_min_range * np.abs(high)
    threshold = low + settings.closed_level * spread
    with np.errstate(invalid="ignore"):
        closed = level <= threshold[:, None]
    return closed & varies[:, None] & ~np.isnan(level)


def _band_offsets(
    residual: FloatArray, closed: BoolArray, band: IntArray, bands: TemperatureBands, minimum: int
) -> tuple[FloatArray, FloatArray]:
    offsets = []
    for in_closed in (False, True):
        masked = np.where(closed == in_closed, residual, np.nan)
        median = grouped_median(masked, band, bands.count)
        count = grouped_count(masked, band, bands.count)
        offsets.append(np.where((count >= minimum) & ~np.isnan(median), median, 0.0))
    return offsets[0], offsets[1]


def _prediction_inflation(calendar: GridCalendar) -> FloatArray:
    """Inflation of a one-reading spread into a prediction-error spread per day type: sqrt(1 + π/(2d)) [-].

    The expected value is a median of d readings (d: history days of the day type) whose
    error, of variance about (π/2)·σ²/d, adds to the reading's own.
    """
    factors = np.full(len(DAY_TYPES), np.nan)
    for day_type in range(len(DAY_TYPES)):
        days = float(np.unique(calendar.day[calendar.day_type == day_type]).size)
        if days >= 2:
            factors[day_type] = np.sqrt(1.0 + np.pi / (2.0 * days))
    return factors


def fit_profile(
    values: FloatArray,
    calendar: GridCalendar,
    interval_minutes: int,
    settings: MonitoringSettings,
    temperature_c: FloatArray | None = None,
) -> SeasonalProfile:
    """Fit the seasonal profile of every row on its history.

    Parameters
    ----------
    values : numpy.ndarray, shape (meters, history columns)
        History readings [meter unit], NaN where missing.
    calendar : GridCalendar
        Calendar of the history columns.
    interval_minutes : int
        Grid step [min].
    settings : MonitoringSettings
        Thresholds.
    temperature_c : numpy.ndarray, shape (history columns,), optional
        Outdoor temperature of each column [°C], NaN where missing.

    Returns
    -------
    SeasonalProfile
    """
    bins = calendar.profile_bin
    level = grouped_median(values, bins, calendar.bins)
    closed_bins = _closed_bins(level, settings)
    typical = row_quantile(np.where(level > 0, level, np.nan), 0.5)
    typical = np.where(np.isnan(typical), 0.0, typical)
    history_days = np.sum(~np.isnan(values), axis=1) * interval_minutes / 1440.0
    meters = values.shape[0]
    residual = values - level[:, bins]
    bands = None
    offset_open = offset_closed = np.zeros((meters, 0))
    if temperature_c is not None and np.isfinite(temperature_c).any():
        width = settings.temperature_band_width_c
        finite = temperature_c[np.isfinite(temperature_c)]
        first = int(np.floor(finite.min() / width))
        bands = TemperatureBands(first, int(np.floor(finite.max() / width)) - first + 1, width)
        closed = closed_bins[:, bins]
        offset_open, offset_closed = _band_offsets(residual, closed, bands.of(temperature_c), bands, calendar.slots_per_day)
        band = bands.of(temperature_c)
        has_band = band >= 0
        safe = np.clip(band, 0, None)
        adjustment = np.where(closed, offset_closed[:, safe], offset_open[:, safe])
        residual = residual - np.where(has_band[None, :], adjustment, 0.0)
    groups = calendar.scale_group
    reference = scale_reference(level[:, bins], typical, settings)
    spread = paired_difference_spread(residual / reference, bins, groups, calendar.hour_groups)
    per_type = _prediction_inflation(calendar)
    hours_per_type = calendar.hour_groups // len(DAY_TYPES)
    correction = np.repeat(per_type, hours_per_type)
    scale = settings.mad_consistency * spread * correction[None, :]
    scale = _fill_missing_day_types(scale, hours_per_type)
    return SeasonalProfile(level, closed_bins, bands, offset_open, offset_closed, scale, typical, history_days)


def _fill_missing_day_types(scale: FloatArray, hours_per_type: int) -> FloatArray:
    """Use the largest scale of the same hour where a day type had too little history."""
    by_type = scale.reshape(scale.shape[0], len(DAY_TYPES), hours_per_type)
    fallback = np.where(np.isnan(by_type), -np.inf, by_type).max(axis=1)
    fallback = np.where(np.isinf(fallback), np.nan, fallback)
    filled = np.where(np.isnan(by_type), fallback[:, None, :], by_type)
    return filled.reshape(scale.shape)


def profile_expected(profile: SeasonalProfile, calendar: GridCalendar, temperature_c: FloatArray | None = None) -> FloatArray:
    """Return the expected reading of every row and column [meter unit] (NaN where the bin has no history)."""
    bins = calendar.profile_bin
    expected = profile.level[:, bins]
    if profile.bands is not None and temperature_c is not None:
        band = profile.bands.of(temperature_c)
        safe = np.clip(band, 0, None)
        closed = profile.closed_bins[:, bins]
        adjustment = np.where(closed, profile.offset_closed[:, safe], profile.offset_open[:, safe])
        expected = expected + np.where((band >= 0)[None, :], adjustment, 0.0)
    return expected


def closed_mask(profile: SeasonalProfile, calendar: GridCalendar) -> BoolArray:
    """Return whether each row and column falls in the meter's closed hours."""
    return profile.closed_bins[:, calendar.profile_bin]


def scale_reference(expected: FloatArray, typical: FloatArray, settings: MonitoringSettings) -> FloatArray:
    """Return the level residuals are measured against: max(|expected|, ``scale_reference_share`` × typical) [meter unit]."""
    return np.fmax(np.abs(np.nan_to_num(expected)), settings.scale_reference_share * typical[:, None]) + MINIMUM_SCALE


def residual_scale(
    relative_scale: FloatArray, typical: FloatArray, calendar: GridCalendar, expected: FloatArray, settings: MonitoringSettings
) -> FloatArray:
    """Return the residual scale of every row and column [meter unit] (see the module docstring).

    ``relative_scale`` (rows × scale groups) is the robust spread of residuals relative to
    :func:`scale_reference`; the result is that spread times the reference, never below
    ``relative_scale_floor`` × max(|expected|, typical).
    """
    scale = relative_scale[:, calendar.scale_group] * scale_reference(expected, typical, settings)
    floor = settings.relative_scale_floor * np.maximum(np.abs(np.nan_to_num(expected)), typical[:, None])
    return np.fmax(np.fmax(scale, floor), MINIMUM_SCALE)
