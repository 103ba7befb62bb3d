"""What the detectors take: readings as a long table and the meters' facts.

Readings are a pandas DataFrame with one row per meter and interval: ``meter_id`` (text),
``timestamp`` (interval start, timezone-aware or naive UTC) and ``value`` (quantity over the
interval in the meter's unit). An optional ``expected`` column carries a baseline model's
prediction for the same interval (e.g. from ``ecozone.baselines``); where present it replaces
the robust seasonal profile for that meter. Missing values are missing readings.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ecozone.errors import EcozoneError
from ecozone.store.snapshot import MeterRecord

REQUIRED_COLUMNS = ("meter_id", "timestamp", "value")
WATER_CARRIERS = frozenset({"water_withdrawal", "groundwater", "recycled_water", "wastewater"})
ELECTRICITY_CARRIERS = frozenset({"electricity"})


class MonitoringInputError(EcozoneError):
    """Readings, temperatures or meters handed to monitoring are unusable."""

    http_status = 422


@dataclass(frozen=True)
class MonitoredMeter:
    """The facts about a meter that monitoring needs.

    Attributes
    ----------
    meter_id : str
        Meter identifier.
    park_id : str or None
        Park of the meter.
    firm_id : str or None
        Owning firm (None for park infrastructure).
    carrier : str
        Registry carrier (``electricity``, ``water_withdrawal``, ...).
    unit : str
        Unit of the readings.
    interval_minutes : int or None
        Nominal interval [min]; None to infer from the readings.
    voltage_level : str or None
        Voltage level of an electricity meter (selects the EVN tariff row).
    """

    meter_id: str
    park_id: str | None = None
    firm_id: str | None = None
    carrier: str = "electricity"
    unit: str = "kWh"
    interval_minutes: int | None = None
    voltage_level: str | None = None

    @property
    def is_water(self) -> bool:
        """Whether the meter measures water."""
        return self.carrier in WATER_CARRIERS

    @property
    def is_electricity(self) -> bool:
        """Whether the meter measures grid electricity (priced at the EVN tariff)."""
        return self.carrier in ELECTRICITY_CARRIERS


def monitored_meters(records: Iterable[MeterRecord]) -> dict[str, MonitoredMeter]:
    """Return the registry's meter records as :class:`MonitoredMeter` by id."""
    return {
        record.id: MonitoredMeter(
            meter_id=record.id,
            park_id=record.park_id,
            firm_id=record.firm_id,
            carrier=record.carrier,
            unit=record.unit,
            interval_minutes=record.interval_minutes,
            voltage_level=record.voltage_level,
        )
        for record in records
    }


def check_readings(readings: pd.DataFrame) -> pd.DataFrame:
    """Return ``readings`` with UTC timestamps and float values, or raise on an unusable table.

    Raises
    ------
    MonitoringInputError
        If a required column is missing, a timestamp cannot be read or a value is not a number.
    """
    missing = [name for name in REQUIRED_COLUMNS if name not in readings.columns]
    if missing:
        raise MonitoringInputError("monitoring.error.missing_columns", columns=", ".join(missing))
    try:
        timestamps = pd.to_datetime(readings["timestamp"], utc=True)
    except (ValueError, TypeError) as exc:
        raise MonitoringInputError("monitoring.error.bad_timestamps", detail=str(exc)[:200]) from exc
    if timestamps.isna().any():
        raise MonitoringInputError("monitoring.error.bad_timestamps", detail="NaT")
    try:
        values = pd.to_numeric(readings["value"], errors="raise").astype("float64")
    except (ValueError, TypeError) as exc:
        raise MonitoringInputError("monitoring.error.bad_values", detail=str(exc)[:200]) from exc
    checked = pd.DataFrame(
        {"meter_id": readings["meter_id"].astype("str"), "timestamp": timestamps, "value": values.to_numpy()},
        index=readings.index,
    )
    if "expected" in readings.columns:
        checked["expected"] = pd.to_numeric(readings["expected"], errors="coerce").astype("float64").to_numpy()
    return checked


def infer_interval_minutes(timestamps: pd.Series) -> int:
    """Return the median step between sorted distinct timestamps [min] (1440 for a single reading)."""
    values = np.unique(timestamps.to_numpy(dtype="datetime64[ns]"))
    if values.size < 2:
        return 1440
    steps = np.diff(values).astype("timedelta64[m]").astype(np.int64)
    return max(int(np.median(steps)), 1)


def meters_for(readings: pd.DataFrame, meters: Mapping[str, MonitoredMeter] | None) -> dict[str, MonitoredMeter]:
    """Return a :class:`MonitoredMeter` for every meter in ``readings`` (defaults for unknown ones, interval inferred)."""
    known = dict(meters or {})
    ids = [str(meter_id) for meter_id in pd.unique(readings["meter_id"])]
    result = {meter_id: known.get(meter_id) or MonitoredMeter(meter_id=meter_id) for meter_id in ids}
    unknown = [meter_id for meter_id, meter in result.items() if meter.interval_minutes is None]
    if unknown:
        subset = readings[readings["meter_id"].isin(unknown)]
        for meter_id, group in subset.groupby("meter_id", sort=False)["timestamp"]:
            meter = result[str(meter_id)]
            result[str(meter_id)] = MonitoredMeter(**{**meter.__dict__, "interval_minutes": infer_interval_minutes(group)})
    return result
