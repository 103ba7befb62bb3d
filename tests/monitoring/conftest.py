"""A small synthetic park shared by the monitoring tests."""

from __future__ import annotations

import pandas as pd
import pytest

from ecozone.monitoring.inputs import MonitoredMeter
from ecozone.monitoring.synthetic import synthetic_park

WINDOW = pd.Timestamp("2024-10-06 17:00", tz="UTC")
"""Local Monday 7 October 2024, 00:00: five weeks of history before it."""


@pytest.fixture(scope="session")
def small_park() -> tuple[pd.DataFrame, dict[str, MonitoredMeter]]:
    return synthetic_park(8, 42, start="2024-09-02", seed=3, n_water=3)


def utc(text: str) -> pd.Timestamp:
    return pd.Timestamp(text, tz="UTC")
