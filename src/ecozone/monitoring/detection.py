"""Score meter readings: data faults, consumption anomalies and pattern changes, as explained alerts.

:func:`detect_anomalies` is the engine's entry point. It takes plain data — a long readings
table, optional meter facts, an optional outdoor temperature series and optional baseline
predictions (an ``expected`` column) — and returns alerts and findings; it touches no
database. Everything before ``score_from`` is history (used to learn each meter's profile and
scales, at most ``profile_weeks`` of it); alerts are raised for events that reach the window
from ``score_from`` on. Meters sharing an interval are scored together as one dense array.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime

import numpy as np
import pandas as pd

from ecozone.monitoring.alerts import Alert, EventContext, build_alert
from ecozone.monitoring.anomalies import closed_hours_excess, level_shift_events, residual_events, robust_z
from ecozone.monitoring.calendar import format_local, local_times, to_utc
from ecozone.monitoring.events import RawEvent, components, merge_events
from ecozone.monitoring.faults import clock_shift_events, gap_events, jump_events, negative_events, stuck_events
from ecozone.monitoring.findings import Finding
from ecozone.monitoring.grid import MONTHLY_MINUTES, ReadingsGrid, build_grid, local_midnight_before
from ecozone.monitoring.inputs import MonitoredMeter, MonitoringInputError, check_readings, meters_for
from ecozone.monitoring.profile import (
    GridCalendar,
    SeasonalProfile,
    closed_mask,
    fit_profile,
    grid_calendar,
    profile_expected,
    residual_scale,
    scale_reference,
)
from ecozone.monitoring.robust import FloatArray, grouped_mad
from ecozone.monitoring.settings import MonitoringSettings

MASKED_FAULTS = frozenset({"negative", "jump", "stuck", "clock_shift"})


@dataclass(frozen=True)
class DetectionResult:
    """Alerts and findings of one scoring.

    Attributes
    ----------
    alerts : tuple of Alert
        Alerts whose events reach the window, by meter then start.
    findings : tuple of Finding
        Limitations met (short history, temperature feed, duplicates, clock changes, ...).
    window_start, window_end : datetime or None
        UTC bounds of the scored window (None when nothing was scored).
    meters_scored : int
        Meters laid on a grid and scored.
    meter_days : float
        Meter-days of readings scored in the window [d].
    expected : mapping of str to pandas.Series
        Expected values over the window [meter unit] of the meters with alerts.
    """

    alerts: tuple[Alert, ...] = ()
    findings: tuple[Finding, ...] = ()
    window_start: datetime | None = None
    window_end: datetime | None = None
    meters_scored: int = 0
    meter_days: float = 0.0
    expected: Mapping[str, pd.Series] = field(default_factory=dict)

    def alerts_frame(self) -> pd.DataFrame:
        """Return the alerts as a DataFrame (one row each)."""
        return pd.DataFrame([alert.as_dict() for alert in self.alerts])


def _temperature_series(temperature: pd.Series | pd.DataFrame | None) -> pd.Series | None:
    if temperature is None:
        return None
    if isinstance(temperature, pd.DataFrame):
        missing = {"timestamp", "temperature_c"} - set(temperature.columns)
        if missing:
            raise MonitoringInputError("monitoring.error.missing_columns", columns=", ".join(sorted(missing)))
        temperature = pd.Series(temperature["temperature_c"].to_numpy(), index=temperature["timestamp"])
    index = pd.to_datetime(temperature.index, utc=True)
    series = pd.Series(pd.to_numeric(temperature.to_numpy(), errors="coerce"), index=index).sort_index()
    return series[~series.index.duplicated(keep="last")]


def _aligned_temperature(series: pd.Series | None, grid: ReadingsGrid) -> FloatArray | None:
    if series is None:
        return None
    timestamps = grid.timestamps
    if grid.interval_minutes >= 1440:
        local_days = local_times(pd.DatetimeIndex(series.index)).floor("D")
        daily = series.groupby(local_days).mean()
        keys = local_times(timestamps).floor("D")
        return daily.reindex(keys).to_numpy(dtype=np.float64)
    tolerance = pd.Timedelta(minutes=max(60, grid.interval_minutes))
    clean = series.dropna()
    return clean.reindex(timestamps, method="ffill", tolerance=tolerance).to_numpy(dtype=np.float64)


def _temperature_findings(temperature: FloatArray | None, grid: ReadingsGrid, window: int) -> list[Finding]:
    """Report a missing temperature feed, or one that stopped before the end of the grid."""
    known = np.flatnonzero(~np.isnan(temperature)) if temperature is not None else np.zeros(0, dtype=np.int64)
    if known.size == 0:
        return [Finding("monitoring.finding.no_temperature", "info")]
    last = int(known[-1])
    tolerance = max(1, 60 // grid.interval_minutes)
    if grid.steps - 1 - last >= tolerance and last + 1 < grid.steps and grid.steps > window:
        return [
            Finding("monitoring.finding.temperature_stopped", "warning", None, {"since": format_local(grid.timestamps[last + 1])})
        ]
    return []


@dataclass(frozen=True)
class _Expectation:
    expected: FloatArray
    scale: FloatArray
    closed: np.ndarray
    enabled: np.ndarray


def _expectation(
    grid: ReadingsGrid, calendar: GridCalendar, window: int, temperature: FloatArray | None, settings: MonitoringSettings
) -> tuple[_Expectation, SeasonalProfile | None]:
    rows, steps = grid.values.shape
    if window == 0:
        nothing = np.full((rows, steps), np.nan)
        return _Expectation(nothing, nothing, np.zeros((rows, steps), dtype=bool), np.zeros(rows, dtype=bool)), None
    history = slice(0, window)
    profile = fit_profile(
        grid.values[:, history],
        calendar.columns(history),
        grid.interval_minutes,
        settings,
        None if temperature is None else temperature[history],
    )
    expected = profile_expected(profile, calendar, temperature)
    enabled = profile.history_days >= settings.min_history_days
    scale = residual_scale(profile.scale, profile.typical, calendar, expected, settings)
    if grid.expected is not None:
        baseline_rows = np.any(~np.isnan(grid.expected[:, window:]), axis=1)
        if baseline_rows.any():
            reference = scale_reference(grid.expected[:, history], profile.typical, settings)
            residual = (grid.values[:, history] - grid.expected[:, history]) / reference
            relative = settings.mad_consistency * grouped_mad(residual, calendar.scale_group[history], calendar.hour_groups)
            baseline_scale = residual_scale(relative, profile.typical, calendar, grid.expected, settings)
            expected = np.where(baseline_rows[:, None], grid.expected, expected)
            scale = np.where(baseline_rows[:, None], baseline_scale, scale)
            enabled = enabled | baseline_rows
    return _Expectation(expected, scale, closed_mask(profile, calendar), enabled), profile


def _fault_events(
    grid: ReadingsGrid, calendar: GridCalendar, window: int, expectation: _Expectation, settings: MonitoringSettings
) -> list[RawEvent]:
    interval = grid.interval_minutes
    daily = interval >= 1440
    min_gap = 1 if daily else max(1, round(settings.gap_min_hours * 60 / interval))
    stale = 1 if daily else max(1, round(settings.stale_after_hours * 60 / interval))
    stuck_min = settings.stuck_min_readings_daily if daily else max(2, round(settings.stuck_min_hours * 60 / interval))
    values = grid.values
    events = [
        *negative_events(values, window),
        *gap_events(values, window, min_gap, stale),
        *stuck_events(values, window, stuck_min, cap_readings=2 * calendar.slots_per_day if not daily else 2 * stuck_min),
        *jump_events(values, window, settings.jump_ratio),
    ]
    masked = _mask(values, events)
    enabled_expected = np.where(expectation.enabled[:, None], expectation.expected, np.nan)
    events.extend(clock_shift_events(masked, enabled_expected, calendar.day, calendar.slots_per_day, window, settings))
    return events


def _mask(values: FloatArray, events: list[RawEvent]) -> FloatArray:
    masked = values.copy()
    for event in events:
        if event.kind in MASKED_FAULTS:
            masked[event.row, event.start : event.end] = np.nan
    return masked


def _collapse_park_clock_changes(
    events: list[RawEvent], grid: ReadingsGrid, meters: tuple[MonitoredMeter, ...], eligible: int, settings: MonitoringSettings
) -> tuple[list[RawEvent], list[Finding]]:
    """Replace clock shifts shared by many meters of a park on one day with one finding."""
    clock = [event for event in events if event.kind == "clock_shift"]
    if not clock:
        return events, []
    by_day: dict[tuple[str | None, int], list[RawEvent]] = {}
    for event in clock:
        by_day.setdefault((meters[event.row].park_id, event.start), []).append(event)
    dropped: set[int] = set()
    findings = []
    for (park_id, start), shifted in by_day.items():
        rows = {event.row for event in shifted}
        if len(rows) >= 2 and len(rows) >= settings.clock_park_share * max(eligible, 1):
            lags = [int(event.details.get("lag_hours", 0)) for event in shifted]
            lag = max(set(lags), key=lags.count)
            params = {"park": park_id or "", "day": format_local(grid.timestamps[start])[:10], "count": len(rows), "lag": lag}
            findings.append(Finding("monitoring.finding.park_clock_change", "warning", None, params))
            dropped.update(id(event) for event in shifted)
    return [event for event in events if id(event) not in dropped], findings


def _absorb_clock_gaps(events: list[RawEvent], interval_minutes: int, settings: MonitoringSettings) -> list[RawEvent]:
    """Drop gaps no longer than the largest clock lag that touch a clock shift of the same meter (its side effect)."""
    longest = settings.clock_max_lag_hours * 60 // interval_minutes
    shifts = [event for event in events if event.kind == "clock_shift"]
    if not shifts:
        return events

    def touches(gap: RawEvent) -> bool:
        return any(s.row == gap.row and gap.end >= s.start - longest and gap.start <= s.end for s in shifts)

    return [event for event in events if not (event.kind == "gap" and event.end - event.start <= longest and touches(event))]


def _reclassify(event: RawEvent, z: FloatArray, closed: np.ndarray, settings: MonitoringSettings) -> RawEvent:
    """Name a merged excess holding a CUSUM step: a base-load drift only if its closed hours are flagged far more often."""
    if event.kind != "baseload_drift" or "level_shift_up" not in components(event):
        return event
    span = slice(event.start, event.end)
    with np.errstate(invalid="ignore"):
        flagged = z[event.row, span] >= settings.z_threshold
    return event if closed_hours_excess(flagged, closed[event.row, span], settings) else replace(event, kind="level_shift_up")


def _score_grid(
    grid: ReadingsGrid,
    meters: tuple[MonitoredMeter, ...],
    window: int,
    temperature: FloatArray | None,
    settings: MonitoringSettings,
) -> tuple[list[Alert], list[Finding], FloatArray]:
    calendar = grid_calendar(grid.timestamps, grid.interval_minutes)
    findings = [
        Finding("monitoring.finding.holidays_unknown", "info", None, {"year": y}) for y in calendar.unshipped_holiday_years
    ]
    expectation, profile = _expectation(grid, calendar, window, temperature, settings)
    for row in np.flatnonzero(~expectation.enabled):
        days = 0.0 if profile is None else float(profile.history_days[row])
        params = {"days": f"{days:.1f}", "needed": f"{settings.min_history_days:g}"}
        findings.append(Finding("monitoring.finding.short_history", "warning", meters[row].meter_id, params))
    events = _fault_events(grid, calendar, window, expectation, settings)
    eligible = int(np.count_nonzero(expectation.enabled)) if calendar.slots_per_day >= 24 else 0
    observed = _mask(grid.values, events)
    events, clock_findings = _collapse_park_clock_changes(events, grid, meters, eligible, settings)
    findings.extend(clock_findings)
    z = robust_z(observed, expectation.expected, expectation.scale)
    z[~expectation.enabled] = np.nan
    k, n = settings.persistence(grid.interval_minutes)
    is_water = np.array([meter.is_water for meter in meters], dtype=bool)
    found = residual_events(z, expectation.closed, is_water, window, k, n, settings)
    events.extend(found)
    residual = np.where(expectation.enabled[:, None], observed - expectation.expected, np.nan)
    expected = expectation.expected
    events.extend(
        level_shift_events(residual, expected, calendar.day, calendar.day_type, window, calendar.slots_per_day, settings)
    )
    bridge = max(1, round(settings.merge_gap_hours * 60 / grid.interval_minutes))
    merged = merge_events(_absorb_clock_gaps(events, grid.interval_minutes, settings), bridge)
    merged = [_reclassify(event, z, expectation.closed, settings) for event in merged]
    context = EventContext(grid.timestamps, grid.interval_minutes, grid.values, expectation.expected, z, meters)
    return [build_alert(event, context, settings) for event in merged], findings, expectation.expected


def default_score_from(readings: pd.DataFrame) -> pd.Timestamp:
    """Return the local midnight starting the last day of ``readings`` (UTC)."""
    return local_midnight_before(to_utc(readings["timestamp"].max()))


def detect_anomalies(
    readings: pd.DataFrame,
    meters: Mapping[str, MonitoredMeter] | None = None,
    *,
    score_from: object | None = None,
    temperature: pd.Series | pd.DataFrame | None = None,
    settings: MonitoringSettings | None = None,
) -> DetectionResult:
    """Score readings and return explained alerts and findings.

    Parameters
    ----------
    readings : pandas.DataFrame
        Columns ``meter_id``, ``timestamp`` (UTC interval start), ``value`` [meter unit] and,
        optionally, ``expected`` (a baseline model's prediction [meter unit]).
    meters : mapping of str to MonitoredMeter, optional
        Meter facts (firm, park, carrier, unit, interval, voltage level); unknown meters are
        taken as electricity in kWh with an interval inferred from their readings.
    score_from : datetime-like, optional
        Start of the scored window (UTC); default: the local midnight starting the last day.
    temperature : pandas.Series or DataFrame, optional
        Outdoor temperature [°C] indexed by UTC time (or columns ``timestamp``,
        ``temperature_c``); hourly or finer.
    settings : MonitoringSettings, optional
        Thresholds (defaults from ``parameters.csv``).

    Returns
    -------
    DetectionResult

    Raises
    ------
    MonitoringInputError
        If the readings or temperatures are unusable.
    """
    settings = settings or MonitoringSettings()
    checked = check_readings(readings)
    if checked.empty:
        return DetectionResult(findings=(Finding("monitoring.finding.no_readings", "info"),))
    window_start = to_utc(score_from) if score_from is not None else default_score_from(checked)
    history_start = local_midnight_before(window_start - pd.Timedelta(weeks=settings.profile_weeks))
    checked = checked[checked["timestamp"] >= history_start]
    known = meters_for(checked, meters)
    series = _temperature_series(temperature)
    alerts: list[Alert] = []
    findings: list[Finding] = []
    coarse = [meter for meter in known.values() if (meter.interval_minutes or 0) >= MONTHLY_MINUTES]
    if coarse:
        findings.append(Finding("monitoring.finding.coarse_meters", "info", None, {"count": len(coarse)}))
    expected_series: dict[str, pd.Series] = {}
    scored, meter_days, end = 0, 0.0, window_start
    intervals = sorted({int(m.interval_minutes or 1440) for m in known.values() if (m.interval_minutes or 0) < MONTHLY_MINUTES})
    for interval in intervals:
        group = {meter_id: meter for meter_id, meter in known.items() if meter.interval_minutes == interval}
        subset = checked[checked["meter_id"].isin(list(group))]
        grid, grid_findings = build_grid(subset, group, interval, start=history_start)
        findings.extend(grid_findings)
        window = grid.column_of(window_start)
        if window >= grid.steps:
            continue
        temperature_grid = _aligned_temperature(series, grid)
        if temperature_grid is not None or series is None:
            findings.extend(_temperature_findings(temperature_grid, grid, window))
        grid_alerts, grid_findings, expected = _score_grid(grid, tuple(group.values()), window, temperature_grid, settings)
        alerts.extend(grid_alerts)
        findings.extend(grid_findings)
        scored += len(group)
        meter_days += len(group) * (grid.steps - window) * interval / 1440.0
        end = max(end, grid.timestamps[-1] + grid.step)
        alerted = {alert.meter_id for alert in grid_alerts}
        for row, meter_id in enumerate(grid.meter_ids):
            if meter_id in alerted:
                expected_series[meter_id] = pd.Series(expected[row, window:], index=grid.timestamps[window:])
    alerts.sort(key=lambda alert: (alert.meter_id, alert.start, alert.kind))
    return DetectionResult(
        alerts=tuple(alerts),
        findings=tuple(_unique(findings)),
        window_start=window_start.to_pydatetime(),
        window_end=to_utc(end).to_pydatetime(),
        meters_scored=scored,
        meter_days=meter_days,
        expected=expected_series,
    )


def _unique(findings: list[Finding]) -> list[Finding]:
    seen: set[tuple[str, str | None, str]] = set()
    result = []
    for finding in findings:
        key = (finding.code, finding.meter_id, repr(sorted(finding.params.items())))
        if key not in seen:
            seen.add(key)
            result.append(finding)
    return result
