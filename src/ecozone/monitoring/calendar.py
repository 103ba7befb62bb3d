"""Local time and the Vietnamese working calendar of a regular grid of intervals.

Readings are stored in UTC; working patterns follow local time (Asia/Ho_Chi_Minh, UTC+7, no
daylight saving). Day types pool Monday–Friday (``weekday``), keep ``saturday`` apart and treat
Sundays and public holidays alike (``day_off``). Public holidays are those shipped with the demo
(``ecozone/demo/data/public_holidays_vn.csv``: days off of 2024 and 2025 under the Labour Code
2019, Art. 112, status unverified); other years have no holidays and are reported.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import numpy.typing as npt
import pandas as pd

UTC_OFFSET_HOURS = 7
LOCAL_TIMEZONE = "Asia/Ho_Chi_Minh"
DAY_TYPES = ("weekday", "saturday", "day_off")
WEEKDAY, SATURDAY, DAY_OFF = 0, 1, 2

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


def holiday_dates(years: set[int] | frozenset[int]) -> tuple[frozenset[date], tuple[int, ...]]:
    """Return the shipped public holidays (days off) of ``years`` and the years with none shipped."""
    from ecozone.demo.readings.holidays import holiday_years, public_holidays

    shipped = set(holiday_years())
    days = frozenset(h.day for year in sorted(years & shipped) for h in public_holidays(year))
    return days, tuple(sorted(years - shipped))


def local_times(timestamps_utc: pd.DatetimeIndex) -> pd.DatetimeIndex:
    """Return naive local wall-clock times of UTC interval starts."""
    index = pd.DatetimeIndex(timestamps_utc)
    if index.tz is not None:
        index = index.tz_convert("UTC").tz_localize(None)
    return index + pd.Timedelta(hours=UTC_OFFSET_HOURS)


def to_utc(moment: object) -> pd.Timestamp:
    """Return ``moment`` as a UTC timestamp (naive values are taken as UTC)."""
    stamp = pd.Timestamp(moment)  # type: ignore[arg-type]
    return stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")


def format_local(moment: pd.Timestamp) -> str:
    """Return ``moment`` as local time text ``YYYY-MM-DD HH:MM``."""
    return str((to_utc(moment) + pd.Timedelta(hours=UTC_OFFSET_HOURS)).strftime("%Y-%m-%d %H:%M"))


def day_types(local: pd.DatetimeIndex, holidays: frozenset[date]) -> IntArray:
    """Return the day type of each local time: 0 weekday, 1 Saturday, 2 Sunday or public holiday."""
    weekday = np.asarray(local.day_of_week)
    types = np.where(weekday == 5, SATURDAY, WEEKDAY).astype(np.int64)
    types[weekday == 6] = DAY_OFF
    if holidays:
        is_holiday = np.isin(np.asarray(local.normalize().date), np.array(sorted(holidays), dtype=object))
        types[is_holiday] = DAY_OFF
    return types


def slot_of_day(local: pd.DatetimeIndex, interval_minutes: int) -> IntArray:
    """Return the slot of each local time within its day (0 … slots per day − 1)."""
    minutes = np.asarray(local.hour * 60 + local.minute, dtype=np.int64)
    return minutes // max(interval_minutes, 1) if interval_minutes < 1440 else np.zeros(len(local), dtype=np.int64)


def slots_per_day(interval_minutes: int) -> int:
    """Return the number of slots in a day (1 for daily and coarser meters)."""
    return max(1440 // interval_minutes, 1) if interval_minutes < 1440 else 1
