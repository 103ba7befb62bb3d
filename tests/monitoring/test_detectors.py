"""Each detector on crafted arrays with known events."""

from __future__ import annotations

import numpy as np

from ecozone.monitoring.anomalies import cusum, persistent, residual_events
from ecozone.monitoring.events import RawEvent, merge_events, runs
from ecozone.monitoring.faults import clock_shift_events, gap_events, jump_events, negative_events, stuck_events
from ecozone.monitoring.robust import grouped_median, row_median
from ecozone.monitoring.settings import MonitoringSettings

SETTINGS = MonitoringSettings()


def test_runs_bridge_short_gaps() -> None:
    mask = np.array([[True, True, False, True, False, False, True], [False] * 7])
    rows, starts, ends = runs(mask, bridge=1)
    assert rows.tolist() == [0, 0]
    assert starts.tolist() == [0, 6]
    assert ends.tolist() == [4, 7]


def test_robust_medians_ignore_missing_values_without_warnings() -> None:
    values = np.array([[1.0, np.nan, 3.0, 10.0], [np.nan, np.nan, np.nan, np.nan]])
    assert np.allclose(row_median(values)[:1], [3.0])
    assert np.isnan(row_median(values)[1])
    grouped = grouped_median(values, np.array([0, 0, 1, 1]), 2)
    assert grouped[0].tolist() == [1.0, 6.5]


def test_one_spike_is_not_persistent_but_three_of_four_are() -> None:
    flags = np.array([[False, True, False, False, False, True, True, False, True, False]])
    kept = persistent(flags, k=3, n=4)
    assert kept.tolist() == [[False, False, False, False, False, True, True, False, True, False]]


def test_cusum_hand_example() -> None:
    z = np.array([[0.0, 2.0, 2.0, -3.0, np.nan, 1.0]])
    upper, lower = cusum(z, 0.5)
    assert upper[0].tolist() == [0.0, 1.5, 3.0, 0.0, 0.0, 0.5]
    assert lower[0].tolist() == [0.0, 0.0, 0.0, 2.5, 2.5, 1.0]


def test_negative_gap_stuck_and_jump_on_a_crafted_row() -> None:
    values = np.tile(np.arange(1.0, 11.0), (1, 4))  # 40 columns; history = first 20
    values[0, 22] = -4.0
    values[0, 25:29] = np.nan
    values[0, 30:36] = 7.5
    values[0, 37] = 500.0
    assert [(e.start, e.end) for e in negative_events(values, 20)] == [(22, 23)]
    assert [(e.start, e.end) for e in gap_events(values, 20, min_gap=2, stale=3)] == [(25, 29)]
    stuck = stuck_events(values, 20, min_readings=4, cap_readings=20)
    assert [(e.start, e.end) for e in stuck] == [(30, 36)]
    assert stuck[0].details["value"] == 7.5
    jumps = jump_events(values, 20, ratio=5.0)
    assert [(e.start, e.end) for e in jumps] == [(37, 38)]
    assert jumps[0].details["limit"] == 50.0


def test_gap_before_a_meter_starts_and_short_tail_are_not_gaps() -> None:
    values = np.array([[np.nan, np.nan, 1.0, 2.0, 3.0, np.nan]])
    assert gap_events(values, 0, min_gap=1, stale=2) == []
    values[0, 4] = np.nan
    assert [(e.start, e.end) for e in gap_events(values, 0, min_gap=1, stale=2)] == [(4, 6)]


def test_zero_runs_and_usual_repeats_are_not_stuck() -> None:
    values = np.array([[0.0] * 10 + [5.0] * 5 + [1.0, 2.0] + [5.0] * 5])
    # the history (first 15 columns) already holds five identical readings: five more are usual
    assert stuck_events(values, 15, min_readings=3, cap_readings=20) == []


def test_clock_shift_of_two_hours_is_found_and_an_unshifted_day_is_not() -> None:
    hours = np.arange(24 * 3) % 24
    expected = np.where((hours >= 8) & (hours < 17), 100.0, 10.0)[None, :]
    observed = expected.copy()
    observed[0, 48:72] = np.roll(expected[0, 48:72], 2)  # readings two hours late on day 3
    day = np.repeat(np.arange(3), 24)
    events = clock_shift_events(observed, expected, day, 24, 24, SETTINGS)
    assert [(e.start, e.end, e.details["lag_hours"]) for e in events] == [(48, 72, 2)]


def test_closed_hours_excess_is_baseload_drift_or_leak() -> None:
    z = np.zeros((2, 24))
    z[:, 2:8] = 6.0
    closed = np.zeros((2, 24), dtype=bool)
    closed[:, 0:8] = True
    events = residual_events(z, closed, np.array([False, True]), 0, 3, 4, SETTINGS)
    assert sorted((e.row, e.kind, e.start, e.end) for e in events) == [(0, "baseload_drift", 2, 8), (1, "leak", 2, 8)]


def test_open_hours_excess_and_deficit() -> None:
    z = np.zeros((1, 24))
    z[0, 10:13] = 5.0
    z[0, 15:19] = -5.0
    events = residual_events(z, np.zeros((1, 24), dtype=bool), np.array([False]), 0, 3, 4, SETTINGS)
    assert sorted((e.kind, e.start, e.end) for e in events) == [("consumption_high", 10, 13), ("consumption_low", 15, 19)]


def test_overlapping_events_of_one_family_merge_into_the_most_specific_kind() -> None:
    events = [
        RawEvent(0, 0, 10, "consumption_high"),
        RawEvent(0, 12, 20, "leak"),
        RawEvent(0, 5, 8, "gap"),
        RawEvent(1, 0, 5, "leak"),
    ]
    merged = merge_events(events, bridge=3)
    assert sorted((e.row, e.kind, e.start, e.end) for e in merged) == [(0, "gap", 5, 8), (0, "leak", 0, 20), (1, "leak", 0, 5)]
