"""The demo registry and its 2024 readings, generated once for the whole folder."""

from __future__ import annotations

import time

import pandas as pd
import pytest

from ecozone.demo import demo_registry
from ecozone.demo.readings import Retrofit, demo_readings, demo_retrofits

Registry = dict[str, list[dict[str, object]]]


@pytest.fixture(scope="session")
def registry() -> Registry:
    return demo_registry()


@pytest.fixture(scope="session")
def generation_seconds(registry: Registry) -> tuple[pd.DataFrame, float]:
    started = time.perf_counter()
    frame = demo_readings(registry)
    return frame, time.perf_counter() - started


@pytest.fixture(scope="session")
def readings(generation_seconds: tuple[pd.DataFrame, float]) -> pd.DataFrame:
    """2024 readings with the retrofit story (the defaults)."""
    return generation_seconds[0]


@pytest.fixture(scope="session")
def readings_without_retrofits(registry: Registry) -> pd.DataFrame:
    return demo_readings(registry, retrofits=False)


@pytest.fixture(scope="session")
def retrofits(registry: Registry) -> list[Retrofit]:
    return demo_retrofits(registry, 2024)


@pytest.fixture(scope="session")
def meters(registry: Registry) -> dict[str, dict[str, object]]:
    return {str(meter["id"]): meter for meter in registry["meter"]}


@pytest.fixture(scope="session")
def firms(registry: Registry) -> dict[str, dict[str, object]]:
    return {str(firm["id"]): firm for firm in registry["firm"]}


@pytest.fixture(scope="session")
def local(readings: pd.DataFrame) -> pd.DataFrame:
    """The readings with a local (Asia/Ho_Chi_Minh) timestamp column, computed independently of the generator."""
    frame = readings.copy()
    frame["local"] = frame["timestamp"].dt.tz_convert("Asia/Ho_Chi_Minh")
    return frame
