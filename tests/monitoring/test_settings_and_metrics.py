"""Shipped parameters carry provenance; forecast metrics match hand calculations."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.stats import norm

from ecozone.monitoring import forecast_metrics as metrics
from ecozone.monitoring.settings import PARAMETER_COLUMNS, MonitoringSettings, parameter_table


def test_every_parameter_has_a_source_and_a_status() -> None:
    table = parameter_table()
    assert table
    for row in table.values():
        assert set(PARAMETER_COLUMNS) <= set(row)
        assert row["source"].strip()
        assert row["edition"].strip()
        assert row["status"] in {"verified", "unverified"}


def test_settings_defaults_are_the_shipped_values() -> None:
    settings = MonitoringSettings()
    for name, row in parameter_table().items():
        assert float(getattr(settings, name)) == pytest.approx(float(row["value"]))


def test_mad_consistency_is_the_normal_constant() -> None:
    assert MonitoringSettings().mad_consistency == pytest.approx(1.0 / norm.ppf(0.75), abs=1e-4)


def test_persistence_depends_on_the_interval() -> None:
    settings = MonitoringSettings(persistence_k=3, persistence_n=4, persistence_daily_k=2, persistence_daily_n=3)
    assert settings.persistence(15) == (3, 4)
    assert settings.persistence(1440) == (2, 3)


def test_metrics_against_a_hand_computed_example() -> None:
    actual = [10.0, 12.0, 0.0, 8.0]
    forecast = [11.0, 9.0, 1.0, 8.0]
    # absolute errors 1, 3, 1, 0 -> MAE 1.25; MAPE over non-zero actuals: (1/10 + 3/12 + 0/8)/3 = 0.116667
    assert metrics.mae(actual, forecast) == pytest.approx(1.25)
    assert metrics.mape(actual, forecast) == pytest.approx(100 * (0.1 + 0.25 + 0.0) / 3)
    # training 1,2,3,5,4,6 with season 2: |3-1|,|5-2|,|4-3|,|6-5| = 2,3,1,1 -> scale 1.75
    training = [1.0, 2.0, 3.0, 5.0, 4.0, 6.0]
    assert metrics.seasonal_naive_scale(training, 2) == pytest.approx(1.75)
    assert metrics.mase(actual, forecast, training, 2) == pytest.approx(1.25 / 1.75)
    # pinball q=0.9: errors y-f = -1, 3, -1, 0 -> 0.1, 2.7, 0.1, 0 -> mean 0.725
    assert metrics.pinball_loss(actual, forecast, 0.9) == pytest.approx(0.725)
    # q=0.5 pinball is half the MAE
    assert metrics.pinball_loss(actual, forecast, 0.5) == pytest.approx(0.625)
    assert metrics.coverage(actual, [9, 9, 0, 9], [11, 13, 1, 10]) == pytest.approx(0.75)


def test_metrics_ignore_missing_values_and_handle_empty_input() -> None:
    assert metrics.mae([1.0, np.nan], [2.0, 5.0]) == pytest.approx(1.0)
    assert math.isnan(metrics.mape([0.0], [1.0]))
    assert math.isnan(metrics.seasonal_naive_scale([1.0, 2.0], 7))
