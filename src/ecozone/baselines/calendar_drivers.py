"""Calendar drivers: day types from the Vietnamese working calendar, as extra linear drivers.

ISO 50006 counts working days among the relevant variables of an energy baseline. Each
day belongs to exactly one type: ``working_day`` (Monday–Friday), ``saturday``, ``sunday``,
``holiday`` (a day off under the Labour Code 2019, Art. 112, other than Tết) or ``tet``
(the Tết break). As drivers they are indicators for daily data, counts of days for monthly
data and the day's indicator for each hour of hourly data. The five types add up to one day,
so with the model's intercept use at most four of them (the type left out is the reference):
``saturday, sunday, holiday, tet`` compares every day with a working day.

The days off come from the holiday calendar shipped with the demo package
(:func:`ecozone.demo.readings.public_holidays`, years 2024 and 2025, status ``unverified``);
other years raise a clear error.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ecozone.baselines.errors import BaselineInputError
from ecozone.baselines.settings import Frequency

CALENDAR_DRIVERS = ("working_day", "saturday", "sunday", "holiday", "tet")
SATURDAY, SUNDAY = 5, 6
TET = "tet"


def _days_off(years: Sequence[int]) -> dict[pd.Timestamp, str]:
    from ecozone.demo.readings.holidays import public_holidays

    return {pd.Timestamp(day.day): day.holiday for year in years for day in public_holidays(year)}


def day_types(days: pd.DatetimeIndex) -> pd.DataFrame:
    """Indicator of each calendar day type for ``days`` (local dates).

    Returns
    -------
    pandas.DataFrame
        One column per :data:`CALENDAR_DRIVERS` entry (0.0 or 1.0), one row per day.

    Raises
    ------
    ReferenceDataError
        If the holidays of a year are not shipped.
    """
    stamps = pd.DatetimeIndex(days).normalize()
    off = _days_off(sorted(set(stamps.year.tolist())))
    kind = np.array([off.get(stamp, "") for stamp in stamps], dtype=object)
    weekday = stamps.day_of_week.to_numpy()
    tet = kind == TET
    holiday = (kind != "") & ~tet
    ordinary = kind == ""
    return pd.DataFrame(
        {
            "working_day": (ordinary & (weekday < SATURDAY)).astype(np.float64),
            "saturday": (ordinary & (weekday == SATURDAY)).astype(np.float64),
            "sunday": (ordinary & (weekday == SUNDAY)).astype(np.float64),
            "holiday": holiday.astype(np.float64),
            "tet": tet.astype(np.float64),
        },
        index=stamps,
    )


def calendar_drivers(period_starts: pd.Series, frequency: Frequency, names: Sequence[str]) -> pd.DataFrame:
    """Calendar driver values for each period.

    Parameters
    ----------
    period_starts : pandas.Series
        Local period starts (days, months or hours).
    frequency : {"daily", "monthly", "hourly"}
        Period kind.
    names : sequence of str
        Drivers wanted, among :data:`CALENDAR_DRIVERS`.

    Returns
    -------
    pandas.DataFrame
        One column per name, aligned with ``period_starts``: indicators (daily, hourly) or
        numbers of days (monthly).

    Raises
    ------
    BaselineInputError
        If a name is not a calendar driver.
    """
    unknown = [name for name in names if name not in CALENDAR_DRIVERS]
    if unknown:
        raise BaselineInputError(
            "baselines.error.unknown_calendar_driver", names=", ".join(unknown), known=", ".join(CALENDAR_DRIVERS)
        )
    starts = pd.to_datetime(period_starts).reset_index(drop=True)
    if frequency == "monthly":
        first = starts.min().to_period("M").start_time
        last = (starts.max().to_period("M") + 1).start_time - pd.Timedelta(days=1)
        types = day_types(pd.date_range(first, last, freq="D"))
        counts = types.groupby(pd.DatetimeIndex(types.index).to_period("M").start_time).sum()
        values = counts.reindex(starts.dt.to_period("M").dt.start_time)[list(names)]
    else:
        days = starts.dt.floor("D")
        types = day_types(pd.DatetimeIndex(days.unique()))
        values = types.reindex(days)[list(names)]
    return values.reset_index(drop=True).set_axis(period_starts.index)
