"""Quality flags of readings, computed on whole arrays (no loop per reading).

Every stored reading carries ``flags``, a bitmask of :class:`ReadingFlag`. Flags never
remove a reading; rows that cannot be accepted go to the quarantine instead (see
:mod:`ecozone.meters.ingest`).

The functions here work on arrays sorted by meter, then time; ``starts`` marks the first
row of each meter.
"""

from __future__ import annotations

import enum
from typing import TypeVar

import numpy as np
import numpy.typing as npt
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
ScalarT = TypeVar("ScalarT", bound=np.generic)
Int16Array = npt.NDArray[np.int16]


class ReadingFlag(enum.IntFlag):
    """Quality flags of a stored reading (bits of the ``flags`` column)."""

    GAP = 1
    """One or more expected readings are missing before this one (interval values), or the
    register interval is longer than expected (cumulative registers)."""
    DUPLICATE = 2
    """The source held this reading more than once with the same value (one copy kept)."""
    NEGATIVE = 4
    """The interval value is below zero."""
    SPIKE = 8
    """Outlier of the meter's batch by the modified z-score (see :class:`QualitySettings`)."""
    STUCK = 16
    """Part of a run of identical non-zero readings (value or register) of at least
    ``stuck_repeats`` rows."""
    ESTIMATED = 32
    """The source marked the reading as estimated."""
    ROLLOVER = 64
    """The register wrapped around at a power of ten during this interval."""
    RESET = 128
    """The register restarted near zero (meter replacement); the value assumes the new
    register started at zero."""


FLAG_NAMES: dict[str, ReadingFlag] = {flag.name.lower(): flag for flag in ReadingFlag if flag.name}


class QualitySettings(BaseModel):
    """Thresholds of the quality checks and of register interpretation.

    Attributes
    ----------
    gap_factor : float
        A time step longer than ``gap_factor`` nominal intervals means at least one missing
        reading [-]. 1.5 is the midpoint between the next expected reading (1) and one missing
        reading (2): it tolerates clock jitter and months of 28 to 31 days.
    spike_z : float
        Robust z-score of a reading's jump above (or below) both neighbours, measured in
        ``1.4826 median |Δ|`` of the meter's changes, above which it is a spike [-]; 3.5 is the
        modified z-score cut-off recommended by Iglewicz and Hoaglin (1993), *How to Detect and
        Handle Outliers*, ASQC (status: unverified). When the median change is zero the check
        is skipped for that meter (no spread to compare with).
    stuck_repeats : int
        Identical non-zero readings in a row that make a stuck run [-]. ecozone default, not
        from a standard: meter-data-management products leave it to configuration.
    rollover_max_fraction : float
        A drop of the register is a rollover when the consumption implied by wrapping at the
        next power of ten above the previous reading is at most this fraction of that power
        [-]. ecozone default (heuristic).
    reset_max_fraction : float
        Otherwise a drop to at most this fraction of the previous reading is a meter
        replacement (register restarted near zero) [-]; any other drop is a register going
        backwards and is quarantined. ecozone default (heuristic).
    """

    model_config = ConfigDict(frozen=True)

    gap_factor: float = Field(1.5, gt=1.0)
    spike_z: float = Field(3.5, gt=0.0)
    stuck_repeats: int = Field(4, ge=2)
    rollover_max_fraction: float = Field(0.1, gt=0.0, le=1.0)
    reset_max_fraction: float = Field(0.05, ge=0.0, lt=1.0)


MODIFIED_Z_CONSTANT = 0.6745
"""Iglewicz and Hoaglin (1993): 0.6745 = Φ⁻¹(0.75), making MAD consistent with σ for normal data."""


def run_starts(*keys: npt.NDArray[np.generic]) -> BoolArray:
    """Return True where any key differs from the previous row (and on the first row)."""
    length = len(keys[0])
    starts = np.zeros(length, dtype=bool)
    if length:
        starts[0] = True
        for key in keys:
            starts[1:] |= key[1:] != key[:-1]
    return starts


def group_index(starts: BoolArray) -> IntArray:
    """Return the 0-based group number of each row from the group-start mask."""
    return np.cumsum(starts, dtype=np.int64) - 1


def shift(values: npt.NDArray[ScalarT], starts: BoolArray, fill: object) -> npt.NDArray[ScalarT]:
    """Return the previous row's value within each group (``fill`` on group starts)."""
    shifted = np.empty_like(values)
    if len(values):
        shifted[1:] = values[:-1]
        shifted[starts] = fill
    return shifted


def shift_back(values: npt.NDArray[ScalarT], starts: BoolArray, fill: object) -> npt.NDArray[ScalarT]:
    """Return the next row's value within each group (``fill`` on each group's last row)."""
    shifted = np.empty_like(values)
    if len(values):
        shifted[:-1] = values[1:]
        ends = np.zeros(len(values), dtype=bool)
        ends[:-1] = starts[1:]
        ends[-1] = True
        shifted[ends] = fill
    return shifted


def group_median(groups: IntArray, values: FloatArray, n_groups: int) -> FloatArray:
    """Return the median of ``values`` per group (NaN values ignored; NaN for empty groups)."""
    medians = pd.Series(values).groupby(groups).median()
    result = np.full(n_groups, np.nan)
    result[medians.index.to_numpy(dtype=np.int64)] = medians.to_numpy(dtype=np.float64)
    return result


def nominal_intervals(groups: IntArray, steps_minutes: FloatArray, declared: FloatArray, n_groups: int) -> FloatArray:
    """Return each group's nominal interval [min]: declared, else the median positive step.

    Parameters
    ----------
    groups : array of int
        Group of each row.
    steps_minutes : array of float
        Time from the previous (or to the next) row [min], NaN where there is none.
    declared : array of float
        Declared interval per group [min], NaN when not declared.
    n_groups : int
        Number of groups.
    """
    positive = np.where(steps_minutes > 0, steps_minutes, np.nan)
    inferred = group_median(groups, positive, n_groups)
    return np.where(np.isnan(declared), inferred, declared)


def gap_flags(steps_minutes: FloatArray, nominal_minutes: FloatArray, settings: QualitySettings) -> BoolArray:
    """Return True where a step is longer than ``gap_factor`` nominal intervals."""
    with np.errstate(invalid="ignore"):
        return np.asarray(steps_minutes > settings.gap_factor * nominal_minutes, dtype=bool)


def spike_flags(groups: IntArray, rates: FloatArray, n_groups: int, settings: QualitySettings) -> BoolArray:
    """Return True for non-zero rates that stand out from both neighbours in the same direction.

    A reading is a spike when it rises above (or falls below) both the previous and the
    next reading of its meter by more than ``spike_z`` robust standard deviations of that
    meter's interval-to-interval changes, ``1.4826 median |Δ|`` (Iglewicz and Hoaglin's
    modified z-score applied to changes). A step change (a shift start, a new production
    level) moves away from one neighbour only, so it is not a spike. Rows must be sorted by
    group, then time; groups whose median change is zero are not checked.
    """
    starts = run_starts(groups)
    previous = shift(rates, starts, np.nan)
    following = shift_back(rates, starts, np.nan)
    rise, fall = rates - previous, rates - following
    changes = np.abs(rise)
    scale = group_median(groups, changes, n_groups)[groups] / MODIFIED_Z_CONSTANT
    jump = np.fmin(np.abs(rise), np.abs(fall))
    with np.errstate(divide="ignore", invalid="ignore"):
        score = jump / scale
        same_direction = np.sign(rise) * np.sign(fall) > 0
    candidate = ~np.isnan(rates) & (rates != 0) & same_direction & (scale > 0)
    return np.asarray(candidate & (score > settings.spike_z), dtype=bool)


def stuck_flags(starts: BoolArray, readings: FloatArray, settings: QualitySettings) -> BoolArray:
    """Return True for rows in runs of at least ``stuck_repeats`` identical non-zero readings."""
    if not len(readings):
        return np.zeros(0, dtype=bool)
    changed = starts.copy()
    changed[1:] |= readings[1:] != readings[:-1]
    run = group_index(changed)
    lengths = np.bincount(run)
    return np.asarray((lengths[run] >= settings.stuck_repeats) & (readings != 0) & ~np.isnan(readings), dtype=bool)


def flags_value(**masks: BoolArray) -> Int16Array:
    """Combine boolean masks named after :class:`ReadingFlag` members into a bitmask array."""
    length = len(next(iter(masks.values())))
    result = np.zeros(length, dtype=np.int16)
    for name, mask in masks.items():
        result |= np.where(mask, np.int16(FLAG_NAMES[name].value), np.int16(0)).astype(np.int16)
    return result


def count_flags(flags: npt.NDArray[np.integer]) -> dict[str, int]:
    """Return how many rows carry each flag (only flags that occur)."""
    counts = {name: int(np.count_nonzero(flags & flag.value)) for name, flag in FLAG_NAMES.items()}
    return {name: count for name, count in counts.items() if count}
