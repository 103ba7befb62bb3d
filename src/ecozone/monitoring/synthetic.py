"""Labelled synthetic meters and injected incidents, for tests, benchmarks and the demo.

:func:`synthetic_park` draws SYNTHETIC meters of a park — electricity every 15 minutes with a
day shift (07:00–17:00 local on weekdays, a half Saturday, Sundays and public holidays off),
a drawn base-load share and multiplicative noise, plus daily water meters — and nothing about
any real firm. The ``inject_*`` functions change a readings table the way a real incident
would and return the label of what they did, so that detectors can be scored against the
truth. All functions are pure and seeded.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ecozone.monitoring.calendar import day_types, holiday_dates, local_times
from ecozone.monitoring.inputs import MonitoredMeter


@dataclass(frozen=True)
class Incident:
    """The truth about one injected incident.

    Attributes
    ----------
    meter_id : str
        Meter changed.
    kind : str
        Alert kind a detector should raise (see :mod:`ecozone.monitoring.events`).
    start, end : pandas.Timestamp
        UTC span of the change (end exclusive).
    description : str
        What was done.
    """

    meter_id: str
    kind: str
    start: pd.Timestamp
    end: pd.Timestamp
    description: str = ""


def _rng(seed: int, *keys: object) -> np.random.Generator:
    words = [seed % 2**32, *(zlib.crc32(str(key).encode("utf-8")) for key in keys)]
    return np.random.default_rng(np.random.SeedSequence(words))


def _shift_activity(local: pd.DatetimeIndex, types: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Activity of a day-shift firm (0 … 1) at local times, with drawn start and end hours."""
    hours = np.asarray(local.hour + local.minute / 60.0)
    start, end = rng.uniform(6.5, 8.0), rng.uniform(16.5, 18.0)
    ramp = 0.5
    rise = np.clip((hours - start) / ramp, 0.0, 1.0)
    fall = np.clip((end - hours) / ramp, 0.0, 1.0)
    day = np.minimum(rise, fall)
    saturday = np.where(hours < (start + end) / 2.0, day, 0.0)
    return np.where(types == 0, day, np.where(types == 1, saturday, 0.0))


def synthetic_park(
    n_electricity: int,
    days: int,
    start: str = "2024-09-02",
    seed: int = 7,
    n_water: int = 0,
    park_id: str = "synthetic",
) -> tuple[pd.DataFrame, dict[str, MonitoredMeter]]:
    """Draw ``days`` of readings for a synthetic park.

    Parameters
    ----------
    n_electricity : int
        15-minute electricity meters [kWh per interval].
    days : int
        Local days from ``start`` (a local date).
    start : str
        First local day.
    seed : int
        Seed; meters depend only on the seed and their index.
    n_water : int
        Daily water meters [m3 per day].
    park_id : str
        Park of the meters.

    Returns
    -------
    tuple
        Readings (``meter_id``, ``timestamp`` UTC, ``value``) and the meters by id.
    """
    first = pd.Timestamp(start) - pd.Timedelta(hours=7)
    quarter = pd.date_range(first, periods=days * 96, freq="15min", tz="UTC")
    local = local_times(quarter)
    holidays, _ = holiday_dates({int(year) for year in np.unique(np.asarray(local.year))})
    types = day_types(local, holidays)
    frames = []
    meters: dict[str, MonitoredMeter] = {}
    for index in range(n_electricity):
        meter_id = f"{park_id}-e{index:05d}"
        rng = _rng(seed, meter_id)
        peak_kwh = rng.uniform(20.0, 400.0)
        base = rng.uniform(0.15, 0.45)
        noise = rng.uniform(0.03, 0.08)
        activity = _shift_activity(local, types, rng)
        values = peak_kwh * (base + (1.0 - base) * activity) * np.maximum(1.0 + noise * rng.standard_normal(quarter.size), 0.05)
        frames.append(pd.DataFrame({"meter_id": meter_id, "timestamp": quarter, "value": np.round(values, 3)}))
        firm = f"{park_id}-f{index:05d}"
        meters[meter_id] = MonitoredMeter(meter_id, park_id, firm, "electricity", "kWh", 15, "22_110kv")
    daily = pd.date_range(first, periods=days, freq="D", tz="UTC")
    daily_types = day_types(local_times(daily), holidays)
    for index in range(n_water):
        meter_id = f"{park_id}-w{index:05d}"
        rng = _rng(seed, meter_id)
        level = rng.uniform(20.0, 300.0)
        factor = np.where(daily_types == 0, 1.0, np.where(daily_types == 1, 0.7, rng.uniform(0.2, 0.35)))
        values = level * factor * np.maximum(1.0 + rng.uniform(0.03, 0.06) * rng.standard_normal(days), 0.05)
        frames.append(pd.DataFrame({"meter_id": meter_id, "timestamp": daily, "value": np.round(values, 2)}))
        meters[meter_id] = MonitoredMeter(meter_id, park_id, f"{park_id}-f{index:05d}", "water_withdrawal", "m3", 1440)
    readings = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["meter_id", "timestamp", "value"])
    return readings, meters


def _span(readings: pd.DataFrame, meter_id: str, start: pd.Timestamp, end: pd.Timestamp) -> pd.Series:
    stamps = readings["timestamp"]
    return (readings["meter_id"] == meter_id) & (stamps >= start) & (stamps < end)


def inject_addition(
    readings: pd.DataFrame, meter_id: str, start: pd.Timestamp, end: pd.Timestamp, amount: float, kind: str, description: str = ""
) -> tuple[pd.DataFrame, Incident]:
    """Add ``amount`` [meter unit per reading] to a meter over [start, end): equipment left running, a leak."""
    changed = readings.copy()
    changed.loc[_span(changed, meter_id, start, end), "value"] += amount
    return changed, Incident(meter_id, kind, start, end, description or f"+{amount:g} per reading")


def inject_scaling(
    readings: pd.DataFrame, meter_id: str, start: pd.Timestamp, end: pd.Timestamp, factor: float, kind: str, description: str = ""
) -> tuple[pd.DataFrame, Incident]:
    """Multiply a meter's readings by ``factor`` over [start, end): a process running hot, a step change, a shutdown."""
    changed = readings.copy()
    changed.loc[_span(changed, meter_id, start, end), "value"] *= factor
    return changed, Incident(meter_id, kind, start, end, description or f"× {factor:g}")


def inject_freeze(readings: pd.DataFrame, meter_id: str, start: pd.Timestamp, end: pd.Timestamp) -> tuple[pd.DataFrame, Incident]:
    """Repeat the reading at ``start`` until ``end``: a frozen meter."""
    changed = readings.copy()
    span = _span(changed, meter_id, start, end)
    if span.any():
        changed.loc[span, "value"] = float(changed.loc[span, "value"].iloc[0])
    return changed, Incident(meter_id, "stuck", start, end, "frozen")


def inject_gap(readings: pd.DataFrame, meter_id: str, start: pd.Timestamp, end: pd.Timestamp) -> tuple[pd.DataFrame, Incident]:
    """Drop a meter's readings over [start, end): a broken link."""
    return readings[~_span(readings, meter_id, start, end)].reset_index(drop=True), Incident(
        meter_id, "gap", start, end, "dropped"
    )


def inject_negative(
    readings: pd.DataFrame, meter_id: str, start: pd.Timestamp, end: pd.Timestamp
) -> tuple[pd.DataFrame, Incident]:
    """Flip the sign of a meter's readings over [start, end): a reversed current transformer."""
    changed = readings.copy()
    span = _span(changed, meter_id, start, end)
    changed.loc[span, "value"] = -changed.loc[span, "value"].abs()
    return changed, Incident(meter_id, "negative", start, end, "sign flipped")


def inject_jump(
    readings: pd.DataFrame, meter_id: str, moment: pd.Timestamp, factor: float = 50.0
) -> tuple[pd.DataFrame, Incident]:
    """Multiply one reading by ``factor``: a corrupted value."""
    changed = readings.copy()
    span = (changed["meter_id"] == meter_id) & (changed["timestamp"] == moment)
    changed.loc[span, "value"] *= factor
    end = moment + pd.Timedelta(minutes=15)
    return changed, Incident(meter_id, "jump", moment, end, f"× {factor:g}")


def inject_clock_shift(
    readings: pd.DataFrame, meter_id: str, start: pd.Timestamp, end: pd.Timestamp, hours: int
) -> tuple[pd.DataFrame, Incident]:
    """Stamp a meter's readings over [start, end) ``hours`` later than they happened: a clock running behind.

    Readings moved outside [start, end) are dropped, so the table keeps one reading per interval.
    """
    changed = readings.copy()
    span = _span(changed, meter_id, start - pd.Timedelta(hours=hours), end - pd.Timedelta(hours=hours))
    moved = changed[span].copy()
    moved["timestamp"] = moved["timestamp"] + pd.Timedelta(hours=hours)
    kept = changed[~span & ~_span(changed, meter_id, start, end)]
    result = pd.concat([kept, moved], ignore_index=True).sort_values(["meter_id", "timestamp"], kind="stable")
    return result.reset_index(drop=True), Incident(meter_id, "clock_shift", start, end, f"{hours:+d} h")


def overlaps(incident: Incident, meter_id: str, start: pd.Timestamp, end: pd.Timestamp) -> bool:
    """Whether an alert of ``meter_id`` over [start, end) overlaps the incident."""
    return incident.meter_id == meter_id and start < incident.end and incident.start < end


def _confirmed_at(row: pd.Series) -> pd.Timestamp:
    details = row.get("details")
    moment = details.get("confirmed_at") if isinstance(details, dict) else None
    return pd.Timestamp(moment if moment else row["start"])


def match_alerts(incidents: Iterable[Incident], alerts: pd.DataFrame) -> pd.DataFrame:
    """Return, per incident, whether an alert of the same kind (and of any kind) overlaps it, and the delay [h].

    Detection delay is the hours from the incident's start to the end of the interval at which
    the matching alert was confirmed (``details["confirmed_at"]``: the k-th flagged interval,
    the CUSUM alarm day, the end of a shifted day), i.e. the earliest a run could raise it.
    """
    rows = []
    for incident in incidents:
        same_meter = alerts[alerts["meter_id"] == incident.meter_id] if not alerts.empty else alerts
        hits = [
            (str(row["kind"]), _confirmed_at(row))
            for _, row in same_meter.iterrows()
            if overlaps(incident, incident.meter_id, pd.Timestamp(row["start"]), pd.Timestamp(row["end"]))
        ]
        exact = [confirmed for kind, confirmed in hits if kind == incident.kind]
        delay = (max(min(exact), incident.start) - incident.start).total_seconds() / 3600.0 if exact else np.nan
        rows.append(
            {
                "meter_id": incident.meter_id,
                "kind": incident.kind,
                "detected": bool(exact),
                "any_kind": bool(hits),
                "delay_h": delay,
            }
        )
    return pd.DataFrame(rows, columns=["meter_id", "kind", "detected", "any_kind", "delay_h"])
