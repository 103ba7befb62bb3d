"""The local calendar of one year: days, day types, 15-minute slots and their UTC start times.

Shapes are built on local time (Asia/Ho_Chi_Minh, UTC+7, no daylight saving time) and
stored as UTC: the interval that starts at local midnight of 1 January starts at 17:00 UTC
on 31 December of the year before.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import numpy.typing as npt

from ecozone.demo.readings.holidays import TET, public_holidays

SLOTS_PER_DAY = 96
SLOT_MINUTES = 15
SLOT_HOURS = SLOT_MINUTES / 60
WEEKDAY, SATURDAY, SUNDAY = 0, 1, 2

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
FloatArray = npt.NDArray[np.float64]
TimeArray = npt.NDArray[np.datetime64]


@dataclass(frozen=True)
class YearTimeline:
    """Calendar arrays of one local year.

    Attributes
    ----------
    year : int
        Calendar year.
    utc_offset_hours : int
        Local time minus UTC [h].
    first_day : datetime.date
        1 January of ``year``.
    week_type : numpy.ndarray of int, shape (days,)
        0 Monday–Friday, 1 Saturday, 2 Sunday.
    holiday : numpy.ndarray of bool, shape (days,)
        Day off under the Labour Code (including the Tết break).
    tet : numpy.ndarray of bool, shape (days,)
        Day of the Tết break.
    tet_shoulder : numpy.ndarray of bool, shape (days,)
        Day just before or after the Tết break (see ``tet_shoulder`` in ``load_shapes.yaml``).
    month : numpy.ndarray of int, shape (days,)
        Month of each day, 0 = January.
    year_fraction : numpy.ndarray of float, shape (days,)
        Position of each day's mid-point in the year [-].
    slot_hours : numpy.ndarray of float, shape (96,)
        Local hour of each 15-minute slot's mid-point [h].
    """

    year: int
    utc_offset_hours: int
    first_day: date
    week_type: IntArray
    holiday: BoolArray
    tet: BoolArray
    tet_shoulder: BoolArray
    month: IntArray
    year_fraction: FloatArray
    slot_hours: FloatArray

    @property
    def days(self) -> int:
        """Number of days in the year."""
        return int(self.month.size)

    @property
    def intervals(self) -> int:
        """Number of 15-minute intervals in the year."""
        return self.days * SLOTS_PER_DAY

    def _local_midnight_utc(self, day: date) -> np.datetime64:
        return np.datetime64(day.isoformat(), "us") - np.timedelta64(self.utc_offset_hours, "h")

    def interval_starts_utc(self) -> TimeArray:
        """UTC start of every 15-minute interval of the local year, datetime64[us]."""
        steps = np.arange(self.intervals, dtype=np.int64) * np.timedelta64(SLOT_MINUTES, "m")
        return self._local_midnight_utc(self.first_day) + steps.astype("timedelta64[us]")

    def day_starts_utc(self) -> TimeArray:
        """UTC start of every local day (local midnight), datetime64[us]."""
        steps = np.arange(self.days, dtype=np.int64) * np.timedelta64(1, "D")
        return self._local_midnight_utc(self.first_day) + steps.astype("timedelta64[us]")

    def month_starts_utc(self) -> TimeArray:
        """UTC start of every local month (1st day, local midnight), datetime64[us]."""
        return np.array([self._local_midnight_utc(date(self.year, month, 1)) for month in range(1, 13)], dtype="datetime64[us]")

    def day_index(self, day: date) -> int:
        """Index of ``day`` in the year, clipped to [0, days] (before → 0, after → days)."""
        return min(max((day - self.first_day).days, 0), self.days)

    def days_in_month(self) -> IntArray:
        """Number of days of each month [d]."""
        return np.bincount(self.month, minlength=12).astype(np.int64)


def year_timeline(year: int, utc_offset_hours: int, tet_days_before: int, tet_days_after: int) -> YearTimeline:
    """Build the calendar of ``year`` from the shipped public holidays.

    Parameters
    ----------
    year : int
        Calendar year (its holidays must be shipped).
    utc_offset_hours : int
        Local time minus UTC [h] (7 for Asia/Ho_Chi_Minh).
    tet_days_before, tet_days_after : int
        Number of shoulder days before and after the Tết break [d].

    Returns
    -------
    YearTimeline
    """
    first = date(year, 1, 1)
    count = (date(year + 1, 1, 1) - first).days
    dates = [first + timedelta(days=i) for i in range(count)]
    weekday = np.array([d.weekday() for d in dates], dtype=np.int64)
    week_type = np.where(weekday == 5, SATURDAY, np.where(weekday == 6, SUNDAY, WEEKDAY)).astype(np.int64)
    holidays = public_holidays(year)
    holiday = np.zeros(count, dtype=np.bool_)
    tet = np.zeros(count, dtype=np.bool_)
    for entry in holidays:
        holiday[(entry.day - first).days] = True
        tet[(entry.day - first).days] = entry.holiday == TET
    shoulder = np.zeros(count, dtype=np.bool_)
    tet_index = np.flatnonzero(tet)
    if tet_index.size:
        start, end = int(tet_index.min()), int(tet_index.max())
        shoulder[max(start - tet_days_before, 0) : start] = True
        shoulder[end + 1 : end + 1 + tet_days_after] = True
    shoulder &= ~holiday
    return YearTimeline(
        year=year,
        utc_offset_hours=utc_offset_hours,
        first_day=first,
        week_type=week_type,
        holiday=holiday,
        tet=tet,
        tet_shoulder=shoulder,
        month=np.array([d.month - 1 for d in dates], dtype=np.int64),
        year_fraction=(np.arange(count, dtype=np.float64) + 0.5) / count,
        slot_hours=(np.arange(SLOTS_PER_DAY, dtype=np.float64) + 0.5) * SLOT_HOURS,
    )
