"""Synthetic meters with known parameters for the baseline tests."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import pytest

DAYS = pd.date_range("2023-01-01", periods=365, freq="D")


def temperate_temperature(rng: np.random.Generator, days: int = 365, noise_c: float = 3.0) -> np.ndarray:
    """Daily mean temperature of a temperate year: 3 to 27 °C plus noise [°C]."""
    doy = np.arange(days)
    return 15.0 + 12.0 * np.sin(2.0 * np.pi * (doy - 100) / 365.0) + rng.normal(0.0, noise_c, days)


def change_point_energy(
    temperature: np.ndarray,
    base: float,
    heating_slope: float = 0.0,
    heating_c: float = 0.0,
    cooling_slope: float = 0.0,
    cooling_c: float = 0.0,
) -> np.ndarray:
    """Noise-free daily energy of a change-point model [kWh/d]."""
    return (
        base + heating_slope * np.maximum(heating_c - temperature, 0.0) + cooling_slope * np.maximum(temperature - cooling_c, 0.0)
    )


MeterFactory = Callable[..., pd.DataFrame]


@pytest.fixture
def daily_meter() -> MeterFactory:
    """Return a builder of one synthetic daily meter (long table without meter_id unless given)."""

    def build(
        seed: int = 1,
        base: float = 1000.0,
        heating_slope: float = 0.0,
        heating_c: float = 0.0,
        cooling_slope: float = 0.0,
        cooling_c: float = 0.0,
        noise: float = 20.0,
        days: int = 365,
        meter_id: str | None = None,
    ) -> pd.DataFrame:
        rng = np.random.default_rng(seed)
        temperature = temperate_temperature(rng, days)
        energy = change_point_energy(temperature, base, heating_slope, heating_c, cooling_slope, cooling_c)
        frame = pd.DataFrame(
            {
                "period_start": pd.date_range("2023-01-01", periods=days, freq="D"),
                "energy": energy + rng.normal(0.0, noise, days),
                "temperature_c": temperature,
            }
        )
        if meter_id is not None:
            frame.insert(0, "meter_id", meter_id)
        return frame

    return build
