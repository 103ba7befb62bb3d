"""Hourly time-of-week-and-temperature model: CalTRACK features, bins, occupancy and recovery of a known load."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ecozone.baselines.fitting import fit
from ecozone.baselines.savings import avoided_energy
from ecozone.baselines.towt import TowtModel, merged_bin_endpoints, temperature_features, time_of_week

CALTRACK_ENDPOINTS_F = (30.0, 45.0, 55.0, 65.0, 75.0, 90.0)


@pytest.mark.parametrize(
    ("temperature", "features"),
    [  # CalTRACK 2.0 §3.9.2, the example table
        (20, [20, 0, 0, 0, 0, 0, 0]),
        (40, [30, 10, 0, 0, 0, 0, 0]),
        (50, [30, 15, 5, 0, 0, 0, 0]),
        (60, [30, 15, 10, 5, 0, 0, 0]),
        (70, [30, 15, 10, 10, 5, 0, 0]),
        (80, [30, 15, 10, 10, 10, 5, 0]),
        (100, [30, 15, 10, 10, 10, 15, 10]),
    ],
)
def test_temperature_features_match_caltrack_table(temperature: float, features: list[float]) -> None:
    np.testing.assert_allclose(temperature_features(np.array([float(temperature)]), CALTRACK_ENDPOINTS_F)[0], features)


def test_sparse_bins_are_merged() -> None:
    endpoints_c = (-1.1111, 7.2222, 12.7778, 18.3333, 23.8889, 32.2222)
    warm = np.linspace(20.0, 35.0, 1000)
    assert merged_bin_endpoints(warm, endpoints_c, 20) == (23.8889, 32.2222)
    few_hot = np.concatenate([np.linspace(20.0, 31.0, 1000), np.full(10, 33.0)])
    assert merged_bin_endpoints(few_hot, endpoints_c, 20) == (23.8889,)


def test_time_of_week_starts_on_monday() -> None:
    stamps = np.array(["2024-01-01T00:00", "2024-01-01T13:00", "2024-01-07T23:00", "2024-01-08T00:00"], dtype="datetime64[s]")
    assert time_of_week(stamps).tolist() == [0, 13, 167, 0]


def _hourly(days: int, start: str, saving: float = 0.0, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    hours = pd.date_range(start, periods=24 * days, freq="h")
    hour, weekday = hours.hour.to_numpy(), hours.day_of_week.to_numpy()
    occupied = (weekday < 5) & (hour >= 8) & (hour < 18)
    seasonal = 28.0 + 3.0 * np.sin(2 * np.pi * np.arange(hours.size) / (24 * 365))
    temperature = seasonal + 4.0 * np.sin(2 * np.pi * (hour - 9) / 24) + rng.normal(0, 1.0, hours.size)
    base = np.where(occupied, 500.0, 150.0) + 20.0 * np.sin(2 * np.pi * hour / 24)
    cooling = np.where(occupied, 10.0, 2.0) * np.clip(temperature - 23.8889, 0.0, 32.2222 - 23.8889)
    energy = (base + cooling) * (1.0 - saving) + rng.normal(0, 5.0, hours.size)
    return pd.DataFrame({"period_start": hours, "energy": energy, "temperature_c": temperature})


@pytest.fixture(scope="module")
def towt() -> TowtModel:
    model = fit(_hourly(364, "2023-01-02"), frequency="hourly").model
    assert isinstance(model, TowtModel)
    return model


def test_known_hourly_load_recovered(towt: TowtModel) -> None:
    assert towt.bin_endpoints_c[0] == pytest.approx(23.8889)
    occupied = np.asarray(towt.occupied)
    assert occupied[[8, 12, 17, 24 + 10, 4 * 24 + 9]].all()
    assert not occupied[[2, 20, 5 * 24 + 12, 6 * 24 + 12]].any()
    assert towt.occupied_temperature_coefficients[1] == pytest.approx(10.0, rel=0.05)
    assert towt.unoccupied_temperature_coefficients[1] == pytest.approx(2.0, rel=0.1)
    assert towt.statistics.cv_rmse < 0.03
    assert towt.acceptance.interval == "hourly"
    assert towt.acceptance.passes


def test_hourly_savings_recovered(towt: TowtModel) -> None:
    reporting = _hourly(28, "2024-01-01", saving=0.1, seed=2)
    truth = _hourly(28, "2024-01-01", saving=0.0, seed=2)
    result = avoided_energy(towt, reporting)
    expected = float((truth["energy"] - reporting["energy"]).sum())
    assert result.savings == pytest.approx(expected, rel=0.03)
    assert abs(result.savings - expected) <= result.uncertainty_at(0.9).absolute
