"""Cumulative registers turned into interval values, with rollovers and meter replacements.

A register reading ``R_i`` at ``t_i`` is stored on the row of ``t_i`` with the consumption
until the next accepted reading, ``R_{i+1} - R_i``, over ``t_{i+1} - t_i``; the latest reading
has no value yet. When the register drops:

* **rollover**: the register wrapped at the power of ten just above the previous reading
  ``W`` (in the unit the reading was written in); the consumption is ``W - R_i + R_{i+1}``
  when that is at most ``rollover_max_fraction`` of ``W``;
* **reset** (meter replacement): the new reading is at most ``reset_max_fraction`` of the
  previous one; the consumption is the new reading (the new register is assumed to have
  started at zero);
* otherwise the register went **backwards** and the reading is quarantined; later readings
  are compared with the highest accepted reading since the last reset.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ecozone.meters.quality import BoolArray, FloatArray, IntArray, QualitySettings, group_index, shift, shift_back

MICROSECONDS_PER_MINUTE = 60_000_000


@dataclass(frozen=True)
class RegisterIntervals:
    """Interval values derived from register readings, aligned with the input rows.

    Attributes
    ----------
    backwards : array of bool
        Readings that went backwards (to quarantine).
    value : array of float
        Consumption from this reading to the next accepted one [base unit]; NaN for the
        latest reading of a meter and for backwards readings.
    interval_minutes : array of float
        Minutes to the next accepted reading [min]; NaN where ``value`` is NaN.
    rollover, reset : array of bool
        The interval starting at this reading contains a rollover or a meter replacement.
    previous : array of float
        The accepted reading a backwards reading fell below [base unit] (NaN elsewhere).
    """

    backwards: BoolArray
    value: FloatArray
    interval_minutes: FloatArray
    rollover: BoolArray
    reset: BoolArray
    previous: FloatArray


def _within_group_offset(increments: FloatArray, starts: BoolArray) -> FloatArray:
    """Return the running sum of ``increments`` restarted at each group start."""
    running = np.cumsum(increments)
    base = (running - increments)[starts]
    return np.asarray(running - base[group_index(starts)], dtype=np.float64)


def register_intervals(
    starts: BoolArray,
    ts_us: IntArray,
    registers: FloatArray,
    unit_factors: FloatArray,
    settings: QualitySettings,
) -> RegisterIntervals:
    """Turn register readings into interval values.

    Parameters
    ----------
    starts : array of bool
        First row of each meter (rows sorted by meter, then time, one row per time).
    ts_us : array of int
        Reading times [µs since the epoch, UTC].
    registers : array of float
        Register readings in the meter's base unit [kWh, m3 or kg].
    unit_factors : array of float
        Factor from the unit each reading was written in to the base unit [-] (the
        rollover power of ten is taken in the written unit).
    settings : QualitySettings
        Rollover and reset thresholds.
    """
    previous = shift(registers, starts, np.nan)
    previous_factor = shift(unit_factors, starts, np.nan)
    with np.errstate(invalid="ignore", divide="ignore"):
        drop = ~starts & (registers < previous)
        previous_written = previous / previous_factor
        power = np.floor(np.log10(np.where(previous_written > 0, previous_written, np.nan))) + 1.0
        wrap = np.power(10.0, power) * previous_factor
        rollover = drop & ((wrap - previous + registers) <= settings.rollover_max_fraction * wrap)
        reset = drop & ~rollover & (registers <= settings.reset_max_fraction * previous)
    unwrapped = registers + _within_group_offset(np.where(rollover, wrap, 0.0), starts)
    segment_starts = starts | reset
    segment = group_index(segment_starts)
    highest = pd.Series(unwrapped).groupby(segment).cummax().to_numpy(dtype=np.float64)
    highest_before = shift(highest, segment_starts, np.nan)
    with np.errstate(invalid="ignore"):
        backwards = ~segment_starts & (unwrapped < highest_before)
    consumed = np.where(segment_starts, np.where(starts, np.nan, registers), unwrapped - highest_before)

    accepted = np.flatnonzero(~backwards)
    accepted_starts = starts[accepted]
    value = np.full(len(registers), np.nan)
    minutes = np.full(len(registers), np.nan)
    next_rollover = np.zeros(len(registers), dtype=bool)
    next_reset = np.zeros(len(registers), dtype=bool)
    value[accepted] = shift_back(consumed[accepted], accepted_starts, np.nan)
    next_ts = shift_back(ts_us[accepted].astype(np.float64), accepted_starts, np.nan)
    minutes[accepted] = (next_ts - ts_us[accepted]) / MICROSECONDS_PER_MINUTE
    next_rollover[accepted] = shift_back(rollover[accepted], accepted_starts, False)
    next_reset[accepted] = shift_back(reset[accepted], accepted_starts, False)
    return RegisterIntervals(
        backwards=backwards,
        value=value,
        interval_minutes=minutes,
        rollover=next_rollover,
        reset=next_reset,
        previous=np.where(backwards, highest_before - (unwrapped - registers), np.nan),
    )
