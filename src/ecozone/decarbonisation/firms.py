"""What the engines know about a firm's energy: annual amounts by carrier and its hourly load.

:func:`firm_energy` turns readings (the readings store's rows, or the demo generator's) and
the park's meters into one :class:`FirmEnergy` per firm for a local calendar year:

- every reading's value is converted from its unit to the carrier's canonical unit
  (:data:`~ecozone.decarbonisation.emission_factors.CANONICAL_UNITS`) and summed over the
  year (interval starts in local time, Asia/Ho_Chi_Minh);
- electricity is also summed hour by hour (local time). Hours without any reading are gaps:
  up to ``max_gap_share`` of the year they are filled with the mean of the same weekday and
  hour (flag ``load_gaps_filled``); more is an error. Readings carrying the meters' ``GAP``
  quality flag are counted (flag ``readings_flagged_gap``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import pandas as pd

from ecozone.decarbonisation.emission_factors import CANONICAL_UNITS
from ecozone.decarbonisation.errors import LoadProfileError
from ecozone.decarbonisation.pv.weather import LOCAL_TIMEZONE, year_hours
from ecozone.store.snapshot import FirmRecord, MeterRecord
from ecozone.units import conversion_factor

FloatArray = npt.NDArray[np.float64]
GAP_FLAG = 1
"""Bit of the readings' ``flags`` column meaning a gap before the reading (``ecozone.meters.quality.ReadingFlag.GAP``)."""
ESTIMATED_FLAG = 32
"""Bit meaning an estimated reading (``ReadingFlag.ESTIMATED``)."""
DEFAULT_VOLTAGE_LEVEL = "22_110kv"
DEFAULT_MAX_GAP_SHARE = 0.05


@dataclass(frozen=True)
class FirmEnergy:
    """A firm's energy use over one local calendar year.

    Attributes
    ----------
    firm : FirmRecord
    year : int
    annual : mapping
        Amount per carrier in its canonical unit (kWh, L, kg, t, GJ, m3) per year.
    hourly_electricity_kwh : ndarray or None [kWh]
        Electricity of every local hour of ``year`` (None when the firm has no interval meter).
    voltage_level : str
        Registry voltage level of its electricity meter.
    flags : tuple of str
        ``load_gaps_filled``, ``readings_flagged_gap``, ``estimated_readings``, ``no_load_profile``.
    """

    firm: FirmRecord
    year: int
    annual: Mapping[str, float] = field(compare=False, hash=False)
    hourly_electricity_kwh: FloatArray | None = field(default=None, compare=False, hash=False)
    voltage_level: str = DEFAULT_VOLTAGE_LEVEL
    flags: tuple[str, ...] = ()

    def amount(self, carrier: str) -> float:
        """Annual amount of ``carrier`` in its canonical unit (0 when unused)."""
        return float(self.annual.get(carrier, 0.0))

    @property
    def times(self) -> pd.DatetimeIndex:
        """Local hours of the year."""
        return year_hours(self.year)


def _normalised(readings: pd.DataFrame) -> pd.DataFrame:
    """Readings with ``meter_id``, local ``time``, ``value``, ``unit``, ``flags`` columns."""
    if "timestamp" in readings.columns:
        stamps = pd.DatetimeIndex(pd.to_datetime(readings["timestamp"]))
    elif "ts_utc" in readings.columns:
        stamps = pd.DatetimeIndex(pd.to_datetime(readings["ts_utc"]))
    else:
        raise LoadProfileError("decarbonisation.readings_columns", columns="timestamp|ts_utc")
    missing = [c for c in ("meter_id", "value", "unit") if c not in readings.columns]
    if missing:
        raise LoadProfileError("decarbonisation.readings_columns", columns=", ".join(missing))
    if stamps.tz is None:
        stamps = stamps.tz_localize("UTC")
    flags = np.zeros(len(readings), dtype=np.int64)
    if "flags" in readings.columns:
        flags = readings["flags"].fillna(0).to_numpy(dtype=np.int64)
    if "estimated" in readings.columns:
        flags = flags | np.where(readings["estimated"].fillna(False).to_numpy(dtype=bool), ESTIMATED_FLAG, 0)
    return pd.DataFrame(
        {
            "meter_id": readings["meter_id"].astype(str).to_numpy(),
            "time": stamps.tz_convert(LOCAL_TIMEZONE),
            "value": pd.to_numeric(readings["value"], errors="coerce").to_numpy(dtype=np.float64),
            "unit": readings["unit"].astype(str).to_numpy(),
            "flags": np.asarray(flags, dtype=np.int64),
        }
    )


def _fill_gaps(series: pd.Series, firm_id: str, max_gap_share: float) -> tuple[FloatArray, int]:
    gaps = series.isna()
    count = int(gaps.sum())
    if count == 0:
        return series.to_numpy(dtype=np.float64), 0
    if count > max_gap_share * len(series):
        first = series.index[gaps.to_numpy()][0]
        raise LoadProfileError(
            "decarbonisation.load_gaps", firm=firm_id, hours=count, share=round(100 * count / len(series), 1), first=str(first)
        )
    index = pd.DatetimeIndex(series.index)
    key = pd.Series(index.day_of_week * 24 + index.hour, index=index)
    typical = series.groupby(key).mean()
    filled = series.fillna(key.map(typical))
    return filled.fillna(0.0).to_numpy(dtype=np.float64), count


def firm_energy(
    firms: Sequence[FirmRecord],
    meters: Sequence[MeterRecord],
    readings: pd.DataFrame,
    year: int,
    max_gap_share: float = DEFAULT_MAX_GAP_SHARE,
) -> dict[str, FirmEnergy]:
    """Annual energy and hourly electricity of each firm in ``firms`` for local ``year``.

    Parameters
    ----------
    firms, meters : sequences of registry records
        The park's firms and meters (meters of other firms or the park are ignored).
    readings : DataFrame
        Columns ``meter_id``, ``timestamp`` (or ``ts_utc``; naive means UTC), ``value``,
        ``unit`` and optionally ``flags`` (readings store) or ``estimated`` (demo generator).
    year : int
    max_gap_share : float [-]
        Largest share of the year's hours an electricity profile may miss.

    Raises
    ------
    LoadProfileError
        Missing columns, or an electricity profile with more gaps than allowed.
    """
    data = _normalised(readings)
    hours = year_hours(year)
    data = data[(data["time"] >= hours[0]) & (data["time"] < hours[-1] + pd.Timedelta(hours=1))]
    by_meter = {m.id: m for m in meters if m.owner_kind == "firm" and m.firm_id is not None}
    result: dict[str, FirmEnergy] = {}
    grouped: dict[str, pd.DataFrame] = {str(key): rows for key, rows in data.groupby("meter_id", sort=False)}
    for firm in firms:
        annual: dict[str, float] = {}
        hourly: FloatArray | None = None
        flags: set[str] = set()
        voltage = DEFAULT_VOLTAGE_LEVEL
        interval_raw = 0.0
        for meter in (m for m in by_meter.values() if m.firm_id == firm.id):
            rows = grouped.get(meter.id)
            canonical = CANONICAL_UNITS.get(meter.carrier)
            if rows is None or canonical is None:
                continue
            factors = {u: conversion_factor(u, canonical) for u in rows["unit"].unique()}
            values = rows["value"].to_numpy() * rows["unit"].map(factors).to_numpy(dtype=np.float64)
            annual[meter.carrier] = annual.get(meter.carrier, 0.0) + float(np.nansum(values))
            if (rows["flags"].to_numpy() & ESTIMATED_FLAG).any():
                flags.add("estimated_readings")
            if meter.carrier == "electricity" and (meter.interval_minutes or 0) <= 60:
                voltage = meter.voltage_level or voltage
                interval_raw += float(np.nansum(values))
                if (rows["flags"].to_numpy() & GAP_FLAG).any():
                    flags.add("readings_flagged_gap")
                per_hour = pd.Series(values, index=pd.DatetimeIndex(rows["time"]).floor("h")).groupby(level=0).sum(min_count=1)
                profile, gap_count = _fill_gaps(per_hour.reindex(hours), firm.id, max_gap_share)
                if gap_count:
                    flags.add("load_gaps_filled")
                hourly = profile if hourly is None else hourly + profile
        if hourly is not None:
            annual["electricity"] = annual.get("electricity", 0.0) - interval_raw + float(hourly.sum())
        else:
            flags.add("no_load_profile")
        result[firm.id] = FirmEnergy(firm, year, annual, hourly, voltage, tuple(sorted(flags)))
    return result


def readings_rows(firms: Sequence[FirmRecord], meters: Sequence[MeterRecord]) -> Mapping[str, list[dict[str, object]]]:
    """Registry rows (``firm``, ``meter``) as :func:`ecozone.demo.readings.demo_readings` expects them."""
    from dataclasses import asdict

    return {"firm": [asdict(f) for f in firms], "meter": [asdict(m) for m in meters]}
