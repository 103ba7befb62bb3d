"""Fitted models to JSON and back: same document, identical predictions."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from ecozone.baselines.fitting import fit
from ecozone.baselines.model import ChangePointModel
from ecozone.baselines.serialisation import FORMAT, FORMAT_VERSION, model_from_json, model_to_dict, model_to_json
from ecozone.baselines.towt import TowtModel
from tests.baselines.conftest import MeterFactory


def _round_trip(model: ChangePointModel | TowtModel, frame: pd.DataFrame) -> None:
    text = model_to_json(model)
    assert "NaN" not in text and "Infinity" not in text
    document = json.loads(text)
    assert document["format"] == FORMAT
    assert document["format_version"] == FORMAT_VERSION
    loaded = model_from_json(text)
    assert type(loaded) is type(model)
    assert model_to_dict(loaded) == model_to_dict(model)
    assert loaded.findings == model.findings
    assert loaded.settings == model.settings
    assert np.array_equal(loaded.predict(frame), model.predict(frame), equal_nan=True)


def test_change_point_model_round_trip(daily_meter: MeterFactory) -> None:
    table = daily_meter(heating_slope=20.0, heating_c=11.0, cooling_slope=40.0, cooling_c=21.0, days=200)
    table["production"] = np.random.default_rng(3).uniform(1, 2, len(table))
    model = fit(table, drivers=["production"]).model
    assert isinstance(model, ChangePointModel)
    assert model.findings  # the short baseline travels with the model
    _round_trip(model, table)


def test_monthly_model_round_trip() -> None:
    months = pd.date_range("2022-01-01", periods=24, freq="MS")
    temperature = 15 + 10 * np.sin(2 * np.pi * np.arange(24) / 12)
    table = pd.DataFrame(
        {
            "period_start": months,
            "energy": months.days_in_month * (300 + 20 * np.abs(temperature - 15)),
            "temperature_c": temperature,
        }
    )
    model = fit(table, frequency="monthly").model
    assert isinstance(model, ChangePointModel)
    _round_trip(model, table)


def test_towt_model_round_trip() -> None:
    rng = np.random.default_rng(4)
    hours = pd.date_range("2023-01-02", periods=24 * 7 * 8, freq="h")
    temperature = 27 + 4 * np.sin(2 * np.pi * hours.hour.to_numpy() / 24) + rng.normal(0, 1, hours.size)
    table = pd.DataFrame(
        {
            "period_start": hours,
            "energy": 100 + 5 * np.maximum(temperature - 26, 0) + rng.normal(0, 2, hours.size),
            "temperature_c": temperature,
            "shifts": rng.integers(1, 4, hours.size).astype(float),
        }
    )
    model = fit(table, frequency="hourly", drivers=["shifts"]).model
    assert isinstance(model, TowtModel)
    assert model.drivers == ("shifts",)
    _round_trip(model, table)
