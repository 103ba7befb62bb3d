"""Electricity cost under EVN time-of-use tariffs, vectorised over meter intervals.

Each interval is priced whole at the period of its start (local time, Asia/Ho_Chi_Minh) with
the tariff table and time-of-use windows in force on its local date. The windows change on
the hour or half-hour, so intervals of 30 minutes or less are priced exactly; longer
intervals straddling a change are priced at the period of their start. Prices exclude VAT.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import numpy as np
import pandas as pd

from ecozone.errors import NotFoundError
from ecozone.tariffs.errors import TariffError
from ecozone.tariffs.tables import PERIODS, customer_groups, regime_in_force, resolve_voltage_level, table_in_force

LOCAL_TIMEZONE = "Asia/Ho_Chi_Minh"
PRICED_COLUMNS = (
    "timestamp_local",
    "energy_kwh",
    "period",
    "unit_price_vnd_per_kwh",
    "cost_vnd",
    "decision",
    "tariff_status",
    "fallback_table",
    "windows_regime",
    "windows_status",
)


def _local_timestamps(timestamps: Sequence[object] | pd.Series | pd.DatetimeIndex, timezone: str) -> pd.DatetimeIndex:
    index = pd.DatetimeIndex(pd.to_datetime(pd.Series(timestamps)))
    if index.tz is not None:
        index = index.tz_convert(timezone).tz_localize(None)
    return index


def price_intervals(
    timestamps_local: Sequence[object] | pd.Series | pd.DatetimeIndex,
    energy_kwh: Sequence[float] | pd.Series | np.ndarray,
    voltage_level: str,
    customer_group: str = "production",
    *,
    fallback: bool = False,
    timezone: str = LOCAL_TIMEZONE,
) -> pd.DataFrame:
    """Price metered intervals under the EVN time-of-use tariff in force on each date.

    Parameters
    ----------
    timestamps_local : sequence of datetime-like
        Interval starts. Naive values are local time; aware values are converted to ``timezone``.
    energy_kwh : sequence of float [kWh]
        Energy of each interval.
    voltage_level : str
        Registry code ``lt_6kv``, ``6_22kv``, ``22_110kv`` or ``ge_110kv`` (labels and aliases accepted).
    customer_group : str
        ``production`` (default) or ``commercial``.
    fallback : bool
        Price dates with no table in force with the nearest earlier table (flagged in
        ``fallback_table``) instead of raising.
    timezone : str
        Local time zone of the tariff.

    Returns
    -------
    DataFrame
        One row per interval, columns :data:`PRICED_COLUMNS`: ``period`` (``off_peak``,
        ``normal``, ``peak``), ``unit_price_vnd_per_kwh`` [VND/kWh], ``cost_vnd`` [VND], the
        decision and its status, whether a fallback table was used, and the windows regime.

    Raises
    ------
    TariffError
        If lengths differ, an energy value is missing, or a date has no table in force (and
        ``fallback`` is False) or no price for the group and voltage level.
    NotFoundError
        If the voltage level or customer group is unknown.
    """
    local = _local_timestamps(timestamps_local, timezone)
    energy = np.asarray(energy_kwh, dtype="float64")
    if len(local) != len(energy):
        raise TariffError("tariffs.length_mismatch", timestamps=len(local), energy=len(energy))
    if np.isnan(energy).any() or local.isna().any():
        raise TariffError("tariffs.missing_value")
    level = resolve_voltage_level(voltage_level)
    if customer_group not in customer_groups():
        raise NotFoundError("tariffs.unknown_customer_group", group=customer_group, known=", ".join(customer_groups()))
    days = local.normalize()
    unique_days = days.unique()
    day_position = unique_days.get_indexer(days)
    minute = np.asarray(local.hour * 60 + local.minute)
    sunday = np.asarray(local.day_of_week == 6).astype(np.intp)
    period = np.empty(len(local), dtype=np.intp)
    price = np.empty(len(local), dtype="float64")
    decision = np.empty(len(local), dtype=object)
    tariff_status = np.empty(len(local), dtype=object)
    is_fallback = np.zeros(len(local), dtype=bool)
    regime_name = np.empty(len(local), dtype=object)
    regime_status = np.empty(len(local), dtype=object)
    for position, day in enumerate(unique_days):
        rows = day_position == position
        today: date = day.date()
        regime = regime_in_force(today)
        table = table_in_force(today, fallback=fallback)
        period[rows] = regime.lookup[sunday[rows], minute[rows]]
        price[rows] = table.row(customer_group, level).prices()[period[rows]]
        decision[rows], tariff_status[rows], is_fallback[rows] = table.decision, table.status, table.is_fallback
        regime_name[rows], regime_status[rows] = regime.name, regime.status
    return pd.DataFrame(
        {
            "timestamp_local": local,
            "energy_kwh": energy,
            "period": np.asarray(PERIODS, dtype=object)[period],
            "unit_price_vnd_per_kwh": price,
            "cost_vnd": energy * price,
            "decision": decision,
            "tariff_status": tariff_status,
            "fallback_table": is_fallback,
            "windows_regime": regime_name,
            "windows_status": regime_status,
        }
    )


def cost_by_period(priced: pd.DataFrame) -> pd.DataFrame:
    """Sum energy [kWh] and cost [VND] of priced intervals by period (off-peak, normal, peak)."""
    totals = priced.groupby("period")[["energy_kwh", "cost_vnd"]].sum()
    return totals.reindex(list(PERIODS), fill_value=0.0).rename_axis("period").reset_index()
