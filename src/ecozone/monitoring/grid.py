"""Readings laid on a regular time grid: one row per meter, one column per interval.

Detectors work on these dense arrays so that thousands of meters are scored at once with
NumPy. Building a grid also reports what the long table hid: readings off the interval grid
(snapped to the interval they fall in), duplicated readings (the last one kept; identical
late duplicates are harmless, conflicting ones are reported).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from ecozone.monitoring.calendar import UTC_OFFSET_HOURS
from ecozone.monitoring.findings import Finding
from ecozone.monitoring.inputs import MonitoredMeter

FloatArray = npt.NDArray[np.float64]
MONTHLY_MINUTES = 28 * 1440
"""Meters read this rarely (bills) are not laid on a grid: only their signs are checked."""


@dataclass(frozen=True)
class ReadingsGrid:
    """Readings of meters sharing one interval on a regular UTC grid.

    Attributes
    ----------
    meter_ids : tuple of str
        Row labels.
    interval_minutes : int
        Grid step [min].
    start : pandas.Timestamp
        UTC start of the first column (a local midnight).
    values : numpy.ndarray, shape (meters, steps)
        Readings [meter unit]; NaN where missing.
    expected : numpy.ndarray or None, shape (meters, steps)
        Baseline predictions [meter unit] where given, NaN elsewhere; None if none given.
    """

    meter_ids: tuple[str, ...]
    interval_minutes: int
    start: pd.Timestamp
    values: FloatArray
    expected: FloatArray | None = None

    @property
    def steps(self) -> int:
        """Number of columns."""
        return int(self.values.shape[1])

    @property
    def step(self) -> pd.Timedelta:
        """Grid step."""
        return pd.Timedelta(minutes=self.interval_minutes)

    @property
    def timestamps(self) -> pd.DatetimeIndex:
        """UTC start of every column."""
        return pd.date_range(self.start, periods=self.steps, freq=self.step)

    def column_of(self, moment: pd.Timestamp) -> int:
        """Return the first column starting at or after ``moment`` (clipped to the grid)."""
        offset = (moment - self.start) / self.step
        return int(min(max(np.ceil(offset), 0), self.steps))


def local_midnight_before(moment: pd.Timestamp) -> pd.Timestamp:
    """Return the UTC time of the local midnight at or before ``moment``."""
    shift = pd.Timedelta(hours=UTC_OFFSET_HOURS)
    return (moment + shift).floor("D") - shift


def build_grid(
    readings: pd.DataFrame,
    meters: Mapping[str, MonitoredMeter],
    interval_minutes: int,
    start: pd.Timestamp | None = None,
    end: pd.Timestamp | None = None,
) -> tuple[ReadingsGrid, list[Finding]]:
    """Lay the readings of ``meters`` (all read every ``interval_minutes``) on a regular grid.

    Parameters
    ----------
    readings : pandas.DataFrame
        Checked readings (:func:`ecozone.monitoring.inputs.check_readings`) of these meters.
    meters : mapping
        The meters of the grid, in row order.
    interval_minutes : int
        Their common interval [min].
    start, end : pandas.Timestamp, optional
        UTC bounds; default from the first reading (down to local midnight) to the last one.

    Returns
    -------
    tuple
        The grid and the findings (off-grid timestamps, duplicated readings) per meter.
    """
    meter_ids = tuple(meters)
    step = pd.Timedelta(minutes=interval_minutes)
    stamps = readings["timestamp"]
    first = local_midnight_before(stamps.min() if start is None else start)
    last = stamps.max() + step if end is None else end
    steps = max(int(np.ceil((last - first) / step)), 1)
    codes = pd.Categorical(readings["meter_id"], categories=list(meter_ids)).codes.astype(np.int64)
    offsets = (stamps.to_numpy(dtype="datetime64[ns]") - first.tz_convert("UTC").tz_localize(None).to_datetime64()).astype(
        np.int64
    )
    step_ns = int(step.value)
    slots = offsets // step_ns
    keep = (codes >= 0) & (slots >= 0) & (slots < steps)
    findings: list[Finding] = []
    off_grid = keep & (offsets % step_ns != 0)
    if off_grid.any():
        findings.extend(_per_meter(off_grid, codes, meter_ids, "monitoring.finding.off_grid", "warning"))
    values = np.full((len(meter_ids), steps), np.nan)
    expected = None
    linear = codes[keep] * steps + slots[keep]
    new_values = readings["value"].to_numpy(dtype=np.float64)[keep]
    order = _last_wins(linear, findings, new_values, codes[keep], meter_ids)
    values.ravel()[linear[order]] = new_values[order]
    if "expected" in readings.columns and readings["expected"].notna().any():
        expected = np.full((len(meter_ids), steps), np.nan)
        expected.ravel()[linear[order]] = readings["expected"].to_numpy(dtype=np.float64)[keep][order]
    return ReadingsGrid(meter_ids, interval_minutes, first, values, expected), findings


def _last_wins(
    linear: npt.NDArray[np.int64],
    findings: list[Finding],
    values: FloatArray,
    codes: npt.NDArray[np.int64],
    meter_ids: tuple[str, ...],
) -> npt.NDArray[np.int64]:
    """Return positions to write so that the last of duplicated readings wins; report duplicates.

    A reading repeating the one received just before it for the same interval is a late
    duplicate (harmless); one with another value is conflicting.
    """
    counts = np.bincount(linear, minlength=int(linear.max()) + 1 if linear.size else 0)
    duplicated = counts[linear] > 1 if linear.size else np.zeros(0, dtype=bool)
    positions = np.arange(linear.size, dtype=np.int64)
    if not duplicated.any():
        return positions
    dup_positions = positions[duplicated]
    order = np.lexsort((dup_positions, linear[dup_positions]))
    ordered = dup_positions[order]
    is_last = np.append(linear[ordered][1:] != linear[ordered][:-1], True)
    is_first = np.insert(linear[ordered][1:] != linear[ordered][:-1], 0, True)
    ordered_values = values[ordered]
    previous = np.roll(ordered_values, 1)
    later = ~is_first
    differs = ~np.isclose(ordered_values, previous, equal_nan=True)
    conflicting = np.zeros(linear.size, dtype=bool)
    repeated = np.zeros(linear.size, dtype=bool)
    conflicting[ordered[later & differs]] = True
    repeated[ordered[later & ~differs]] = True
    if repeated.any():
        findings.extend(_per_meter(repeated, codes, meter_ids, "monitoring.finding.late_duplicates", "info"))
    if conflicting.any():
        findings.extend(_per_meter(conflicting, codes, meter_ids, "monitoring.finding.conflicting_duplicates", "warning"))
    drop = np.zeros(linear.size, dtype=bool)
    drop[ordered[~is_last]] = True
    return positions[~drop]


def _per_meter(
    mask: npt.NDArray[np.bool_], codes: npt.NDArray[np.int64], meter_ids: tuple[str, ...], code: str, severity: str
) -> list[Finding]:
    counts = np.bincount(codes[mask], minlength=len(meter_ids))
    return [Finding(code, severity, meter_ids[index], {"count": int(count)}) for index, count in enumerate(counts) if count]
