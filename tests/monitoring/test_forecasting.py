"""Forecasts: ordered intervals, seasonal-naive beside them, metrics in backtests, bad requests."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ecozone.monitoring.forecasting import (
    ForecastError,
    ForecastSettings,
    aggregate_series,
    backtest,
    forecast_load,
    trailing_level,
)
from ecozone.monitoring.inputs import MonitoredMeter, MonitoringInputError
from ecozone.monitoring.synthetic import synthetic_park

FAST = ForecastSettings(max_iter=40, training_weeks=4)


@pytest.fixture(scope="module")
def park() -> tuple[pd.DataFrame, dict[str, MonitoredMeter]]:
    return synthetic_park(4, 35, start="2024-09-02", seed=21, n_water=1)


def test_levels_sum_meters(park: tuple[pd.DataFrame, dict[str, MonitoredMeter]]) -> None:
    readings, meters = park
    by_meter = aggregate_series(readings, meters, "meter")
    by_park = aggregate_series(readings, meters, "park")
    assert set(by_meter["series_id"]) == {m for m in meters if "-e" in m}  # water is not forecast
    assert by_park["series_id"].unique().tolist() == ["synthetic"]
    assert by_park["value"].sum() == pytest.approx(by_meter["value"].sum())
    with pytest.raises(MonitoringInputError):
        aggregate_series(readings, meters, "province")


def test_backtest_scores_the_model_beside_seasonal_naive(park: tuple[pd.DataFrame, dict[str, MonitoredMeter]]) -> None:
    readings, meters = park
    result = backtest(aggregate_series(readings, meters, "meter"), "1d", settings=FAST)
    assert result.horizon_days == 1
    assert len(result.series) == 4
    for item in result.series:
        frame = item.frame
        assert len(frame) == 96
        assert (frame["lower"] <= frame["median"]).all() and (frame["median"] <= frame["upper"]).all()
        assert frame["actual"].notna().all()
        naive_error = float(np.mean(np.abs(frame["actual"] - frame["seasonal_naive"])))
        assert item.metrics["mae_seasonal_naive"] == pytest.approx(naive_error)
        assert item.metrics["mase"] > 0
    summary = result.summary()
    assert summary["mase"] < summary["mase_seasonal_naive"]  # the noise of last week is not repeated
    document = result.as_dict()
    assert document["series"][0]["forecast"][0]["median"] is not None


def test_forecast_beyond_the_readings_has_no_actuals(park: tuple[pd.DataFrame, dict[str, MonitoredMeter]]) -> None:
    readings, meters = park
    result = forecast_load(aggregate_series(readings, meters, "park"), "2d", settings=FAST)
    (item,) = result.series
    assert len(item.frame) == 2 * 96
    assert item.frame["actual"].isna().all()
    assert item.metrics == {}
    assert pd.Timestamp(result.origin) == pd.Timestamp("2024-10-06 17:00", tz="UTC")


def test_bad_requests(park: tuple[pd.DataFrame, dict[str, MonitoredMeter]]) -> None:
    readings, meters = park
    series = aggregate_series(readings, meters, "park")
    with pytest.raises(MonitoringInputError):
        forecast_load(series, "1y")
    with pytest.raises(MonitoringInputError):
        forecast_load(series, 9)
    short = series[series["timestamp"] >= series["timestamp"].max() - pd.Timedelta(days=10)]
    with pytest.raises(ForecastError):
        forecast_load(short, "1d", settings=FAST)


def test_trailing_level_is_the_mean_of_the_previous_week() -> None:
    timestamps = pd.date_range("2024-09-01 17:00", periods=10 * 24, freq="1h", tz="UTC")  # ten local days
    values = np.repeat(np.arange(1.0, 11.0), 24)[None, :]
    level = trailing_level(values, timestamps, origin_column=9 * 24, leads=np.zeros(240, dtype=np.int64))
    assert level[0, 8 * 24] == pytest.approx(np.mean(np.arange(2.0, 9.0)))  # day 9 sees days 2 … 8
    assert level[0, 9 * 24] == pytest.approx(np.mean(np.arange(3.0, 10.0)))  # the origin day sees days 3 … 9
