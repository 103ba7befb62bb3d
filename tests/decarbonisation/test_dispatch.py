"""Dispatch invariants: energy balance every hour, export within the cap, battery state within bounds."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ecozone.decarbonisation.errors import LoadProfileError
from ecozone.decarbonisation.pv.dispatch import DispatchResult, dispatch

HOURS = 24 * 14


def _periods(hours: int) -> tuple[np.ndarray, np.ndarray]:
    hour = np.arange(hours) % 24
    peak = ((hour >= 9) & (hour < 11)) | ((hour >= 17) & (hour < 20))
    off_peak = (hour >= 22) | (hour < 4)
    return peak, off_peak


def _solar(hours: int, peak_kwh: float, rng: np.random.Generator) -> np.ndarray:
    hour = np.arange(hours) % 24
    bell = np.clip(np.sin(np.pi * (hour - 6) / 12), 0, None)
    return np.asarray(peak_kwh * bell * rng.uniform(0.3, 1.0, hours))


def check_invariants(
    result: DispatchResult, pv: np.ndarray, load: np.ndarray, cap: float, capacity: np.ndarray, rte: float
) -> None:
    tolerance = 1e-7
    served = result.pv_to_load + result.battery_to_load + result.grid_to_load
    assert np.allclose(served, load, atol=tolerance)
    used = result.pv_to_load + result.pv_to_battery + result.export + result.curtailed
    assert np.allclose(used, pv, atol=tolerance)
    for name in ("pv_to_load", "pv_to_battery", "export", "curtailed", "grid_to_load", "grid_to_battery", "battery_to_load"):
        assert (getattr(result, name) >= -tolerance).all(), name
    assert (np.cumsum(result.export, axis=0) <= cap * np.cumsum(pv, axis=0) + tolerance).all()
    assert (result.soc >= -tolerance).all()
    assert (result.soc <= capacity[None, :] + tolerance).all()
    eta = np.sqrt(rte)
    previous = np.vstack([np.zeros((1, pv.shape[1])), result.soc[:-1]])
    change = eta * (result.pv_to_battery + result.grid_to_battery) - result.battery_to_load / eta
    assert np.allclose(result.soc, previous + change, atol=1e-6)


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    cap=st.sampled_from([0.0, 0.2, 0.5, 1.0]),
    grid_charging=st.booleans(),
    rte=st.floats(0.6, 1.0),
)
def test_invariants_hold_for_random_systems(seed: int, cap: float, grid_charging: bool, rte: float) -> None:
    rng = np.random.default_rng(seed)
    systems = 4
    pv = np.column_stack([_solar(HOURS, rng.uniform(0, 300), rng) for _ in range(systems)])
    load = rng.uniform(0, 150, (HOURS, systems))
    capacity = np.array([0.0, 50.0, 200.0, 1000.0])
    power = np.array([0.0, 25.0, 50.0, 100.0])
    peak, off_peak = _periods(HOURS)
    result = dispatch(pv, load, peak, off_peak, cap, capacity, power, rte, grid_charging)
    check_invariants(result, pv, load, cap, capacity, rte)
    assert np.allclose(result.soc[:, 0], 0.0)


def test_no_battery_means_self_consumption_then_capped_export() -> None:
    pv = np.array([0.0, 100.0, 100.0, 100.0, 0.0])
    load = np.array([10.0, 40.0, 40.0, 200.0, 10.0])
    peak, off_peak = np.zeros(5, dtype=bool), np.zeros(5, dtype=bool)
    result = dispatch(pv, load, peak, off_peak, 0.2)
    # Hour 1: surplus 60, allowance 20 -> export 20, curtail 40. Hour 2: allowance 20 -> export 20.
    assert result.pv_to_load[:, 0].tolist() == [0.0, 40.0, 40.0, 100.0, 0.0]
    assert result.export[:, 0].tolist() == [0.0, 20.0, 20.0, 0.0, 0.0]
    assert result.curtailed[:, 0].tolist() == [0.0, 40.0, 40.0, 0.0, 0.0]
    assert result.grid_to_load[:, 0].tolist() == [10.0, 0.0, 0.0, 100.0, 10.0]


def test_battery_shaves_the_peak() -> None:
    pv = np.array([0.0, 100.0, 0.0, 0.0])
    load = np.array([0.0, 0.0, 50.0, 50.0])
    peak = np.array([False, False, True, False])
    result = dispatch(pv, load, peak, np.zeros(4, dtype=bool), 0.0, 100.0, 100.0, 1.0, grid_charging=False)
    assert result.pv_to_battery[1, 0] == pytest.approx(100.0)
    assert result.battery_to_load[2, 0] == pytest.approx(50.0)
    assert result.grid_to_load[2, 0] == pytest.approx(0.0)
    # Without grid charging the battery also serves normal hours.
    assert result.battery_to_load[3, 0] == pytest.approx(50.0)


def test_bad_series_are_refused() -> None:
    peak = np.zeros(3, dtype=bool)
    with pytest.raises(LoadProfileError):
        dispatch(np.ones(3), np.array([1.0, -1.0, 1.0]), peak, peak, 0.2)
    with pytest.raises(LoadProfileError):
        dispatch(np.ones(3), np.array([1.0, np.nan, 1.0]), peak, peak, 0.2)
    with pytest.raises(LoadProfileError):
        dispatch(np.ones(3), np.ones(4), peak, peak, 0.2)
