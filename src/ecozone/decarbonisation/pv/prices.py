"""EVN time-of-use prices of every hour of a load profile, at the tariff in force on one date.

The period of an hour depends on its weekday and clock time; the price table is the one in
force on ``tariff_date``. Each hour is priced by :func:`ecozone.tariffs.price_intervals` at
the same weekday and time in the week of ``tariff_date``, so a load profile of any year can
be priced at today's (or a chosen date's) tariff.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import numpy.typing as npt
import pandas as pd

from ecozone.decarbonisation.errors import MissingPriceError
from ecozone.tariffs import TariffError, price_intervals

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class HourlyTariff:
    """Price and period of each hour.

    Attributes
    ----------
    price_vnd_per_kwh : ndarray [VND/kWh]
    is_peak, is_off_peak : ndarray of bool
    decision : str
        Tariff decision used.
    status : str
        ``verified`` or ``unverified`` (of the tariff table and windows).
    fallback : bool
        Whether a fallback table was used.
    """

    price_vnd_per_kwh: FloatArray
    is_peak: BoolArray
    is_off_peak: BoolArray
    decision: str
    status: str
    fallback: bool


def hourly_tariff(
    times_local: pd.DatetimeIndex,
    voltage_level: str,
    tariff_date: date,
    customer_group: str = "production",
    fallback: bool = False,
) -> HourlyTariff:
    """Price every hour of ``times_local`` at the EVN tariff in force on ``tariff_date``.

    Raises
    ------
    MissingPriceError
        If no tariff table is in force on ``tariff_date`` (and ``fallback`` is False) or the
        table lacks the voltage level.
    """
    monday = tariff_date - timedelta(days=tariff_date.weekday())
    weekday = np.asarray(times_local.day_of_week)
    base = pd.Timestamp(monday)
    offsets = pd.to_timedelta(weekday, unit="D") + pd.to_timedelta(
        np.asarray(times_local.hour) * 60 + np.asarray(times_local.minute), unit="m"
    )
    mapped = pd.DatetimeIndex(base + offsets)
    try:
        priced = price_intervals(mapped, np.ones(len(mapped)), voltage_level, customer_group, fallback=fallback)
    except TariffError as exc:
        raise MissingPriceError("decarbonisation.no_tariff", day=tariff_date.isoformat(), detail=exc.message("en")) from exc
    period = priced["period"].to_numpy()
    statuses = set(priced["tariff_status"]) | set(priced["windows_status"])
    return HourlyTariff(
        price_vnd_per_kwh=priced["unit_price_vnd_per_kwh"].to_numpy(dtype=np.float64),
        is_peak=np.asarray(period == "peak"),
        is_off_peak=np.asarray(period == "off_peak"),
        decision=str(priced["decision"].iloc[0]),
        status="verified" if statuses == {"verified"} else "unverified",
        fallback=bool(priced["fallback_table"].any()),
    )
