"""Quality flags and register arithmetic against brute-force versions (Hypothesis)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ecozone.meters.quality import QualitySettings, ReadingFlag, flags_value, group_median, run_starts, spike_flags, stuck_flags
from ecozone.meters.registers import MICROSECONDS_PER_MINUTE, register_intervals

groups_and_values = st.lists(st.tuples(st.integers(0, 4), st.floats(-1e6, 1e6, allow_nan=False)), min_size=1, max_size=60)


@given(groups_and_values)
@settings(max_examples=60, deadline=None)
def test_group_median_matches_numpy(pairs: list[tuple[int, float]]) -> None:
    groups = np.array([g for g, _ in pairs], dtype=np.int64)
    values = np.array([v for _, v in pairs])
    medians = group_median(groups, values, 5)
    for g in range(5):
        chosen = values[groups == g]
        if len(chosen):
            assert medians[g] == pytest.approx(np.median(chosen))
        else:
            assert np.isnan(medians[g])


@given(st.lists(st.integers(0, 3), min_size=1, max_size=40), st.integers(2, 5))
@settings(max_examples=60, deadline=None)
def test_stuck_flags_match_a_loop(readings: list[int], repeats: int) -> None:
    values = np.array(readings, dtype=np.float64)
    starts = np.zeros(len(values), dtype=bool)
    starts[0] = True
    expected = np.zeros(len(values), dtype=bool)
    i = 0
    while i < len(values):
        j = i
        while j + 1 < len(values) and values[j + 1] == values[i]:
            j += 1
        if j - i + 1 >= repeats and values[i] != 0:
            expected[i : j + 1] = True
        i = j + 1
    assert stuck_flags(starts, values, QualitySettings(stuck_repeats=repeats)).tolist() == expected.tolist()


def test_spike_stands_out_from_both_neighbours() -> None:
    # changes |Δ| = 1, 1, 1, 1, 90, 90, 1 -> median 1, robust sigma 1.4826; the 100 rises 90 above
    # both neighbours: score 90 / 1.4826 = 60.7 > 3.5. The 11s rise only 1 (0.67).
    values = np.array([10.0, 11.0, 10.0, 11.0, 10.0, 100.0, 10.0, 11.0])
    groups = np.zeros(8, dtype=np.int64)
    assert spike_flags(groups, values, 1, QualitySettings()).tolist() == [False] * 5 + [True, False, False]
    # a cut-off below 1 / 1.4826 = 0.67 also catches every reading 1 above or below both neighbours
    # (rises and dips alike); the first and last readings have one neighbour and are never spikes
    expected = [False] + [True] * 6 + [False]
    assert spike_flags(groups, values, 1, QualitySettings(spike_z=0.6)).tolist() == expected


def test_a_step_change_is_not_a_spike() -> None:
    # a shift starting: the level moves from about 10 to about 50 and stays there
    values = np.array([10.0, 10.5, 10.0, 50.0, 50.5, 50.0, 50.5])
    groups = np.zeros(7, dtype=np.int64)
    assert not spike_flags(groups, values, 1, QualitySettings()).any()


def test_spikes_are_judged_per_meter() -> None:
    values = np.array([10.0, 11.0, 10.0, 30.0, 10.0, 30.0, 10.0, 30.0])
    groups = np.array([0, 0, 0, 0, 1, 1, 1, 1])
    # meter 0: changes 1, 1, 20 -> median 1, the last 30 has no next neighbour; meter 1 alternates: median change 20
    assert not spike_flags(groups, values, 2, QualitySettings()).any()


def test_flags_value_combines_bits() -> None:
    combined = flags_value(gap=np.array([True, False]), estimated=np.array([True, True]))
    assert combined.tolist() == [ReadingFlag.GAP | ReadingFlag.ESTIMATED, ReadingFlag.ESTIMATED]


@given(
    st.integers(3, 6),
    st.floats(0.0, 0.95),
    st.lists(st.floats(0.0, 0.099), min_size=1, max_size=40),
)
@settings(max_examples=80, deadline=None)
def test_register_rollovers_give_back_the_consumption(digits: int, start_share: float, shares: list[float]) -> None:
    wrap = 10**digits
    increments = np.floor(np.array(shares) * wrap)
    totals = np.floor(start_share * wrap) + np.concatenate(([0.0], np.cumsum(increments)))
    registers = np.mod(totals, wrap)
    n = len(registers)
    starts = np.zeros(n, dtype=bool)
    starts[0] = True
    ts = np.arange(n, dtype=np.int64) * 60 * MICROSECONDS_PER_MINUTE
    result = register_intervals(starts, ts, registers, np.ones(n), QualitySettings())
    assert not result.backwards.any()
    assert result.value[:-1] == pytest.approx(increments)
    assert np.isnan(result.value[-1])
    assert int(result.rollover.sum()) == int(totals[-1] // wrap - totals[0] // wrap)
    assert result.interval_minutes[:-1].tolist() == [60.0] * (n - 1)


def test_register_rollover_uses_the_written_unit() -> None:
    # 9,995 MWh -> 0,002 MWh wraps at 10,000 MWh: 7 MWh = 7,000 kWh consumed.
    registers = np.array([9995.0, 2.0]) * 1000.0
    result = register_intervals(
        np.array([True, False]), np.array([0, 60 * MICROSECONDS_PER_MINUTE]), registers, np.full(2, 1000.0), QualitySettings()
    )
    assert result.value[0] == pytest.approx(7000.0)
    assert result.rollover[0]


def test_run_starts_on_two_keys() -> None:
    assert run_starts(np.array([1, 1, 1, 2]), np.array([5, 5, 6, 6])).tolist() == [True, False, True, True]
