"""Consumption anomalies and pattern changes: robust residuals with persistence rules, and CUSUM.

Residuals are ``observed − expected`` over a robust scale (:mod:`ecozone.monitoring.profile`);
an interval is flagged when its robust z-score passes ``z_threshold`` and kept only when at
least k of the last n intervals are flagged (k-of-n persistence), so that one spike is not an
alert. Runs are then named by where they happen: an excess whose open hours are flagged far
less often than its closed hours is a ``baseload_drift`` (a ``leak`` on a water meter, also when the closed hours inside a longer
excess are clearly above normal); the rest is ``consumption_high`` or ``consumption_low``.
Small sustained steps that no single interval reveals are caught by a two-sided tabular CUSUM
on the daily residual totals standardised by their own history (``level_shift_up`` / ``_down``).
"""

from __future__ import annotations

import numpy as np

from ecozone.monitoring.events import BoolArray, IntArray, RawEvent, runs
from ecozone.monitoring.robust import FloatArray, grouped_median, paired_difference_spread, row_median
from ecozone.monitoring.settings import MonitoringSettings

MEDIAN_STANDARD_ERROR = float(np.sqrt(np.pi / 2.0))
"""Standard error of a median of n normal values, in standard deviations, times sqrt(n)."""


def robust_z(observed: FloatArray, expected: FloatArray, scale: FloatArray) -> FloatArray:
    """Return (observed − expected) / scale, NaN where any is missing."""
    with np.errstate(invalid="ignore", divide="ignore"):
        return (observed - expected) / scale


def persistent(flags: BoolArray, k: int, n: int) -> BoolArray:
    """Return the flagged intervals that belong to a window of n intervals holding at least k flags.

    An interval ``t`` confirms when it is flagged and at least k of the intervals
    ``t − n + 1 … t`` are flagged; every flagged interval of a confirming window is kept.
    """
    steps = flags.shape[1]
    counts = np.zeros((flags.shape[0], steps + 1), dtype=np.int64)
    np.cumsum(flags, axis=1, out=counts[:, 1:])
    index = np.arange(steps)
    in_window = counts[:, index + 1] - counts[:, np.maximum(index + 1 - n, 0)]
    confirmed = flags & (in_window >= k)
    confirmed_counts = np.zeros((flags.shape[0], steps + 1), dtype=np.int64)
    np.cumsum(confirmed, axis=1, out=confirmed_counts[:, 1:])
    ahead = confirmed_counts[:, np.minimum(index + n, steps)] - confirmed_counts[:, index]
    return flags & (ahead > 0)


def residual_events(
    z: FloatArray,
    closed: BoolArray,
    is_water: BoolArray,
    window_start: int,
    k: int,
    n: int,
    settings: MonitoringSettings,
) -> list[RawEvent]:
    """Return consumption and closed-hours events of the window from robust z-scores.

    Parameters
    ----------
    z : numpy.ndarray, shape (meters, columns)
        Robust z-scores (NaN where not scored).
    closed : numpy.ndarray of bool, shape (meters, columns)
        Closed hours of each meter.
    is_water : numpy.ndarray of bool, shape (meters,)
        Water meters (closed-hours excess is a leak).
    window_start : int
        First scored column.
    k, n : int
        Persistence rule.
    settings : MonitoringSettings
        Thresholds.
    """
    events: list[RawEvent] = []
    scored = z[:, window_start:]
    threshold = settings.z_threshold
    with np.errstate(invalid="ignore"):
        high, low = scored >= threshold, scored <= -threshold
    for sign, flags in ((1, high), (-1, low)):
        kept = persistent(flags, k, n)
        rows, starts, ends = runs(kept, bridge=n - 1)
        for row, start, end in zip(rows, starts, ends, strict=True):
            span = slice(start + window_start, end + window_start)
            flagged = kept[row, start:end]
            peak = float(np.nanmax(np.abs(scored[row, start:end])))
            kind = "consumption_high" if sign > 0 else "consumption_low"
            confirmed = int(np.flatnonzero(np.cumsum(flagged) >= k)[0]) if flagged.sum() >= k else end - start - 1
            details: dict[str, float | int] = {
                "peak_z": peak,
                "flagged": int(flagged.sum()),
                "confirmed_col": int(span.start) + confirmed,
            }
            if sign > 0:
                kind = _excess_kind(z[row, span], closed[row, span], flagged, bool(is_water[row]), settings)
            events.append(RawEvent(int(row), int(span.start), int(span.stop), kind, details))
    return events


def closed_hours_excess(flagged: BoolArray, closed: BoolArray, settings: MonitoringSettings) -> bool:
    """Whether flags fall in closed hours far more often than in open hours.

    True when closed intervals are flagged and the rate of flagged open intervals is below
    ``open_to_closed_rate`` × the rate of flagged closed intervals (rates over the intervals
    of each kind in the span).
    """
    rate_closed = np.count_nonzero(flagged & closed) / max(int(np.count_nonzero(closed)), 1)
    rate_open = np.count_nonzero(flagged & ~closed) / max(int(np.count_nonzero(~closed)), 1)
    return bool(rate_closed > 0 and rate_open < settings.open_to_closed_rate * rate_closed)


def _excess_kind(z: FloatArray, closed: BoolArray, flagged: BoolArray, is_water: bool, settings: MonitoringSettings) -> str:
    """Name an excess event by where it happens (closed hours: base-load drift or leak)."""
    if closed_hours_excess(flagged, closed, settings):
        return "leak" if is_water else "baseload_drift"
    if is_water and closed.any():
        closed_z = z[closed]
        closed_z = closed_z[~np.isnan(closed_z)]
        if closed_z.size and float(np.median(closed_z)) >= settings.z_threshold:
            return "leak"
    return "consumption_high"


def cusum(z: FloatArray, allowance: float | FloatArray) -> tuple[FloatArray, FloatArray]:
    """Return the upper and lower tabular CUSUM statistics of each row of standardised values.

    ``S⁺ₜ = max(0, S⁺ₜ₋₁ + zₜ − k)`` and ``S⁻ₜ = max(0, S⁻ₜ₋₁ − zₜ − k)`` from zero; missing values
    leave the statistics unchanged (Montgomery, tabular CUSUM). ``allowance`` k is a number or
    an array shaped like ``z``.
    """
    allowances = np.broadcast_to(np.asarray(allowance, dtype=np.float64), z.shape)
    upper = np.zeros(z.shape)
    lower = np.zeros(z.shape)
    previous_upper = np.zeros(z.shape[0])
    previous_lower = np.zeros(z.shape[0])
    for column in range(z.shape[1]):  # one step per day, not per reading
        value = z[:, column]
        valid = ~np.isnan(value)
        previous_upper = np.where(
            valid, np.maximum(0.0, previous_upper + np.nan_to_num(value) - allowances[:, column]), previous_upper
        )
        previous_lower = np.where(
            valid, np.maximum(0.0, previous_lower - np.nan_to_num(value) - allowances[:, column]), previous_lower
        )
        upper[:, column], lower[:, column] = previous_upper, previous_lower
    return upper, lower


def daily_totals(values: FloatArray, day: IntArray, n_days: int) -> tuple[FloatArray, IntArray]:
    """Return the sum of each row per local day and the count of valid values summed."""
    totals = np.zeros((values.shape[0], n_days))
    counts = np.zeros((values.shape[0], n_days), dtype=np.int64)
    valid = ~np.isnan(values)
    order = np.argsort(day, kind="stable")
    bounds = np.searchsorted(day[order], np.arange(n_days + 1))
    filled = np.where(valid, values, 0.0)
    for position in range(n_days):
        columns = order[bounds[position] : bounds[position + 1]]
        totals[:, position] = filled[:, columns].sum(axis=1)
        counts[:, position] = valid[:, columns].sum(axis=1)
    return totals, counts


def level_shift_events(
    residual: FloatArray,
    expected: FloatArray,
    day: IntArray,
    day_type: IntArray,
    window_start: int,
    slots_per_day: int,
    settings: MonitoringSettings,
) -> list[RawEvent]:
    """Return step changes found by a tabular CUSUM on daily residual totals.

    Daily residual totals of complete days (the caller leaves out intervals with a data fault)
    are centred on the history's median total of the same day type and standardised by the
    spread of one day's total relative to the day type's expected total, pooled over day types:
    ``mad_consistency`` × the larger of median |difference| / √2 over successive history days of
    the same type (free of the profile being fitted on those days) and the median |deviation|
    from the type's median (which keeps runs of high or low days, such as weather spells and
    production campaigns, from passing for steps). Both absorb the correlation of residuals
    within a day; relative spreads suit loads whose noise grows with the load.
    The standardised totals are clipped to ± ``cusum_clip`` so that one extreme day cannot
    signal alone. The reference (a median of the history's days of that type) is itself
    uncertain and its error repeats every day of the window, so the allowance of a day is
    ``cusum_k`` plus the standard error of that median, sqrt(π/2) / sqrt(n) with n the history
    days of its type. The CUSUM runs over the window's days and signals when a statistic passes
    ``cusum_h`` after at least ``cusum_min_days`` days above zero; the event runs from the first
    day of that excursion to the last day the statistic still grew.
    """
    n_days = int(day.max()) + 1 if day.size else 0
    if n_days == 0 or window_start >= residual.shape[1]:
        return []
    totals, counts = daily_totals(residual, day, n_days)
    totals = np.where(counts == slots_per_day, totals, np.nan)
    expected_totals, _ = daily_totals(expected, day, n_days)
    history_days = int(day[window_start])
    if history_days < 2:
        return []
    types_of_day = np.zeros(n_days, dtype=np.int64)
    types_of_day[day] = day_type
    history = totals[:, :history_days]
    history_types = types_of_day[:history_days]
    centre = np.nan_to_num(grouped_median(history, history_types, 3))
    level = np.abs(grouped_median(expected_totals[:, :history_days], history_types, 3))
    level = np.where(np.isnan(level) | (level <= 0), np.nan, level)
    relative = history / level[:, history_types]
    successive = paired_difference_spread(relative, history_types, np.zeros(history_days, dtype=np.int64), 1)[:, 0]
    deviation = relative - grouped_median(relative, history_types, 3)[:, history_types]
    spread = np.fmax(successive, row_median(np.abs(deviation)))
    window_types = types_of_day[history_days:]
    scale = np.fmax(settings.mad_consistency * spread[:, None] * level[:, window_types], 1e-9)
    z = (totals[:, history_days:] - centre[:, window_types]) / scale
    z = np.clip(z, -settings.cusum_clip, settings.cusum_clip)
    days_of_type = np.stack([np.sum(~np.isnan(history[:, history_types == t]), axis=1) for t in range(3)], axis=1)
    allowance = settings.cusum_k + MEDIAN_STANDARD_ERROR / np.sqrt(np.maximum(days_of_type[:, window_types], 1))
    upper, lower = cusum(z, allowance)
    events = []
    for kind, statistic in (("level_shift_up", upper), ("level_shift_down", lower)):
        events.extend(_cusum_runs(statistic, kind, history_days, day, settings))
    return events


def _cusum_runs(statistic: FloatArray, kind: str, first_day: int, day: IntArray, settings: MonitoringSettings) -> list[RawEvent]:
    rows, starts, ends = runs(statistic > 0)
    events = []
    for row, start, end in zip(rows, starts, ends, strict=True):
        excursion = statistic[row, start:end]
        if float(excursion.max()) <= settings.cusum_h or end - start < settings.cusum_min_days:
            continue
        rising = np.flatnonzero(np.diff(np.concatenate([[0.0], excursion])) > 0)
        last_day = start + int(rising[-1]) if rising.size else end - 1
        first_column = int(np.flatnonzero(day == first_day + start)[0])
        last_column = int(np.flatnonzero(day == first_day + last_day)[-1]) + 1
        alarm_day = first_day + start + int(np.flatnonzero(excursion > settings.cusum_h)[0])
        details = {
            "cusum": float(excursion.max()),
            "days": int(end - start),
            "confirmed_col": int(np.flatnonzero(day == alarm_day)[-1]),
        }
        events.append(RawEvent(int(row), first_column, last_column, kind, details))
    return events
