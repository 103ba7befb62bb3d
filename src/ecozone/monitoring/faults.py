"""Data-fault detectors on a readings grid: gaps, stuck readings, impossible jumps, negative flows, clock shifts.

Each detector takes the dense (meters × intervals) array and returns :class:`RawEvent` runs.
Faulty intervals are then left out of the consumption scoring so that one broken meter gives
one data-fault alert, not a storm of consumption alerts.
"""

from __future__ import annotations

import numpy as np

from ecozone.monitoring.events import BoolArray, IntArray, RawEvent, events_from_mask, runs
from ecozone.monitoring.robust import FloatArray
from ecozone.monitoring.settings import MonitoringSettings


def negative_events(values: FloatArray, window_start: int) -> list[RawEvent]:
    """Return runs of negative readings (a consumption meter cannot run backwards) in the window."""
    with np.errstate(invalid="ignore"):
        mask = values < 0
    mask[:, :window_start] = False
    return events_from_mask(mask, "negative")


def gap_events(values: FloatArray, window_start: int, min_gap: int, stale: int) -> list[RawEvent]:
    """Return runs of missing readings that end in the window.

    A row's columns before its first reading are not missing (the meter did not exist yet). A
    run reaching the end of the grid (the meter stopped while others report) counts once it
    is ``stale`` columns long; other runs once they are ``min_gap`` columns long.
    """
    missing = np.isnan(values)
    started = np.maximum.accumulate(~missing, axis=1)
    missing &= started
    rows, starts, ends = runs(missing)
    steps = values.shape[1]
    events = []
    for row, start, end in zip(rows, starts, ends, strict=True):
        needed = stale if end == steps else min_gap
        if end > window_start and end - start >= needed:
            events.append(
                RawEvent(
                    int(row),
                    int(start),
                    int(end),
                    "gap",
                    {"intervals": int(end - start), "confirmed_col": int(start + needed - 1)},
                )
            )
    return events


def longest_runs(equal: BoolArray) -> IntArray:
    """Return the longest run of True of each row (in columns)."""
    rows, starts, ends = runs(equal)
    longest = np.zeros(equal.shape[0], dtype=np.int64)
    np.maximum.at(longest, rows, ends - starts)
    return longest


def stuck_events(values: FloatArray, window_start: int, min_readings: int, cap_readings: int) -> list[RawEvent]:
    """Return runs of identical non-zero readings longer than usual for the meter.

    A row's threshold is ``min_readings`` or, when its history already holds longer identical
    runs, one more than the longest of them (at most ``cap_readings``).
    """
    same = np.zeros(values.shape, dtype=bool)
    with np.errstate(invalid="ignore"):
        same[:, 1:] = (values[:, 1:] == values[:, :-1]) & (values[:, 1:] != 0)
    usual = longest_runs(same[:, :window_start]) + 1 if window_start > 0 else np.zeros(values.shape[0], dtype=np.int64)
    threshold = np.clip(usual + 1, min_readings, max(cap_readings, min_readings))
    rows, starts, ends = runs(same)
    events = []
    for row, start, end in zip(rows, starts, ends, strict=True):
        first = start - 1  # the run of equal pairs starts one reading later than the repeated value
        readings = end - first
        if end > window_start and readings >= threshold[row]:
            value = float(values[row, first])
            events.append(
                RawEvent(
                    int(row),
                    int(first),
                    int(end),
                    "stuck",
                    {"value": value, "readings": int(readings), "confirmed_col": int(first + threshold[row] - 1)},
                )
            )
    return events


def jump_events(values: FloatArray, window_start: int, ratio: float) -> list[RawEvent]:
    """Return readings above ``ratio`` × the row's historical maximum (rows with a positive history only)."""
    if window_start == 0:
        return []
    history = values[:, :window_start]
    has_history = np.any(~np.isnan(history), axis=1)
    maximum = np.where(has_history, np.nanmax(np.where(np.isnan(history), -np.inf, history), axis=1), np.nan)
    limit = np.where(maximum > 0, ratio * maximum, np.inf)
    with np.errstate(invalid="ignore"):
        mask = values > limit[:, None]
    mask[:, :window_start] = False
    events = events_from_mask(mask, "jump")
    return [
        RawEvent(e.row, e.start, e.end, e.kind, {"limit": float(limit[e.row]), "history_max": float(maximum[e.row])})
        for e in events
    ]


def clock_shift_events(
    values: FloatArray,
    expected: FloatArray,
    day: IntArray,
    slots_per_day: int,
    window_start: int,
    settings: MonitoringSettings,
) -> list[RawEvent]:
    """Return whole local days whose readings match the expected profile far better when shifted in time.

    For each full day of the window, the squared error between the readings and the expected
    values shifted by whole hours (up to ``clock_max_lag_hours``) is compared with the error
    unshifted; a lag cutting it to ``clock_error_ratio`` or less on a day whose expected profile
    varies by at least ``clock_min_amplitude`` of its peak is a clock shift. ``lag_hours`` > 0
    means the readings come that many hours late (the meter clock is behind).
    """
    if slots_per_day < 24:
        return []
    slots_per_hour = slots_per_day // 24
    window_days = np.unique(day[window_start:])
    full_days = [d for d in window_days if np.count_nonzero(day == d) == slots_per_day]
    if not full_days:
        return []
    columns = np.concatenate([np.flatnonzero(day == d) for d in full_days])
    observed = values[:, columns].reshape(values.shape[0], len(full_days), slots_per_day)
    lags = range(-settings.clock_max_lag_hours, settings.clock_max_lag_hours + 1)
    errors = np.full((len(lags), values.shape[0], len(full_days)), np.nan)
    for position, lag in enumerate(lags):
        source = columns - lag * slots_per_hour
        valid = (source >= 0) & (source < values.shape[1])
        shifted = np.full((values.shape[0], columns.size), np.nan)
        shifted[:, valid] = expected[:, source[valid]]
        shifted = shifted.reshape(observed.shape)
        complete = ~np.isnan(observed).any(axis=2) & ~np.isnan(shifted).any(axis=2)
        errors[position] = np.where(complete, np.sum((observed - shifted) ** 2, axis=2), np.nan)
    unshifted = errors[len(lags) // 2]
    best = np.argmin(np.where(np.isnan(errors), np.inf, errors), axis=0)
    best_error = np.take_along_axis(errors, best[None], axis=0)[0]
    day_expected = expected[:, columns].reshape(observed.shape)
    peak = np.nanmax(np.where(np.isnan(day_expected), -np.inf, day_expected), axis=2)
    low = np.nanmin(np.where(np.isnan(day_expected), np.inf, day_expected), axis=2)
    with np.errstate(invalid="ignore", divide="ignore"):
        varies = (peak > 0) & ((peak - low) >= settings.clock_min_amplitude * peak)
        shifted_day = (best != len(lags) // 2) & (best_error <= settings.clock_error_ratio * unshifted) & varies & (unshifted > 0)
    events = []
    for row, day_position in zip(*np.nonzero(shifted_day), strict=True):
        day_columns = columns[day_position * slots_per_day : (day_position + 1) * slots_per_day]
        lag = int(list(lags)[best[row, day_position]])
        ratio = float(best_error[row, day_position] / unshifted[row, day_position])
        events.append(
            RawEvent(
                int(row),
                int(day_columns[0]),
                int(day_columns[-1]) + 1,
                "clock_shift",
                {"lag_hours": lag, "error_ratio": ratio, "confirmed_col": int(day_columns[-1])},
            )
        )
    return events
