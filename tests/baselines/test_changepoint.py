"""Change-point fits: known parameters recovered, equal to independent OLS/WLS, batch equals one by one."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from ecozone.baselines import changepoint
from ecozone.baselines.changepoint import search_change_points
from ecozone.baselines.fitting import fit, fit_many
from ecozone.baselines.model import ChangePointModel
from ecozone.baselines.observations import prepare_observations
from ecozone.baselines.settings import BaselineSettings
from tests.baselines.conftest import MeterFactory

BIC = BaselineSettings(selection="bic")


def _model(table: pd.DataFrame, **options: object) -> ChangePointModel:
    result = fit(table, **options)  # type: ignore[arg-type]
    assert isinstance(result.model, ChangePointModel)
    return result.model


def test_three_parameter_cooling_recovered(daily_meter: MeterFactory) -> None:
    model = _model(daily_meter(cooling_slope=50.0, cooling_c=22.0))
    assert model.form == "3PC"
    assert model.cooling_balance_point_c == pytest.approx(22.0, abs=1.0)
    assert model.coefficient("cooling_slope").value == pytest.approx(50.0, rel=0.05)
    assert model.coefficient("intercept").value == pytest.approx(1000.0, rel=0.02)


def test_three_parameter_heating_recovered(daily_meter: MeterFactory) -> None:
    table = daily_meter(heating_slope=40.0, heating_c=12.0, seed=3)
    model = _model(table, settings=BIC)
    assert model.form == "3PH"
    assert model.heating_balance_point_c == pytest.approx(12.0, abs=1.0)
    assert model.coefficient("heating_slope").value == pytest.approx(40.0, rel=0.05)
    by_r2 = _model(table)
    assert by_r2.form in {"3PH", "4P"}
    assert by_r2.heating_balance_point_c == pytest.approx(12.0, abs=1.0)


def test_five_parameter_recovered(daily_meter: MeterFactory) -> None:
    model = _model(daily_meter(heating_slope=40.0, heating_c=12.0, cooling_slope=50.0, cooling_c=22.0, seed=4))
    assert model.form == "5P"
    assert model.heating_balance_point_c == pytest.approx(12.0, abs=1.0)
    assert model.cooling_balance_point_c == pytest.approx(22.0, abs=1.0)
    assert model.coefficient("heating_slope").value == pytest.approx(40.0, rel=0.05)
    assert model.coefficient("cooling_slope").value == pytest.approx(50.0, rel=0.05)


def test_four_parameter_recovered(daily_meter: MeterFactory) -> None:
    model = _model(daily_meter(heating_slope=30.0, heating_c=16.0, cooling_slope=60.0, cooling_c=16.0, seed=5), settings=BIC)
    assert model.form == "4P"
    assert model.heating_balance_point_c == model.cooling_balance_point_c
    assert model.cooling_balance_point_c == pytest.approx(16.0, abs=1.0)


def test_flat_meter_is_intercept_only(daily_meter: MeterFactory) -> None:
    model = _model(daily_meter(seed=6), settings=BIC)
    assert model.form == "1P"
    assert model.coefficient("intercept").value == pytest.approx(1000.0, rel=0.01)


def test_linear_meter_is_two_parameter(daily_meter: MeterFactory) -> None:
    table = daily_meter(seed=7)
    table["energy"] = 500.0 + 30.0 * table["temperature_c"] + np.random.default_rng(7).normal(0.0, 10.0, len(table))
    model = _model(table, settings=BIC)
    assert model.form == "2P"
    assert model.coefficient("temperature_slope").value == pytest.approx(30.0, rel=0.03)


def test_fit_equals_statsmodels_ols_on_chosen_segments() -> None:
    rng = np.random.default_rng(11)
    days = 365
    temperature = 27.0 + 3.0 * np.sin(2 * np.pi * np.arange(days) / 365) + rng.normal(0, 1.2, days)
    production = rng.uniform(50, 150, days)
    energy = 2000 + 8 * production + 300 * np.maximum(temperature - 26.5, 0) + rng.normal(0, 40, days)
    table = pd.DataFrame(
        {
            "period_start": pd.date_range("2024-01-01", periods=days),
            "energy": energy,
            "temperature_c": temperature,
            "production": production,
        }
    )
    model = _model(table, drivers=["production"])
    assert model.cooling_balance_point_c is not None
    design = np.column_stack([np.ones(days), production, np.maximum(temperature - model.cooling_balance_point_c, 0.0)])
    reference = sm.OLS(energy, design).fit()
    names = ["intercept", "driver:production", "cooling_slope"]
    assert [c.name for c in model.coefficients] == names
    np.testing.assert_allclose([model.coefficient(n).value for n in names], reference.params, rtol=1e-9)
    np.testing.assert_allclose([model.coefficient(n).standard_error for n in names], reference.bse, rtol=1e-7)
    np.testing.assert_allclose([model.coefficient(n).t_statistic for n in names], reference.tvalues, rtol=1e-7)
    np.testing.assert_allclose([model.coefficient(n).p_value for n in names], reference.pvalues, rtol=1e-6, atol=1e-300)
    assert model.statistics.r_squared == pytest.approx(reference.rsquared, rel=1e-10)
    n, p = days, 4  # three coefficients and one balance point
    assert model.statistics.adjusted_r_squared == pytest.approx(1 - (1 - reference.rsquared) * (n - 1) / (n - p), rel=1e-10)
    assert model.statistics.cv_rmse == pytest.approx(np.sqrt(reference.ssr / (n - p)) / energy.mean(), rel=1e-9)


def test_monthly_fit_equals_statsmodels_wls_with_days_as_weights() -> None:
    rng = np.random.default_rng(12)
    months = pd.date_range("2022-01-01", periods=24, freq="MS")
    temperature = 15 + 10 * np.sin(2 * np.pi * (np.arange(24) - 3) / 12) + rng.normal(0, 1, 24)
    days = months.days_in_month.to_numpy().astype(float)
    energy = days * (500 + 30 * np.maximum(temperature - 18, 0)) + rng.normal(0, 300, 24)
    table = pd.DataFrame({"period_start": months, "energy": energy, "temperature_c": temperature})
    model = _model(table, frequency="monthly", settings=BaselineSettings(forms=("1P", "3PC")))
    assert model.form == "3PC"
    assert model.cooling_balance_point_c is not None
    hinge = np.maximum(temperature - model.cooling_balance_point_c, 0.0)
    reference = sm.WLS(energy / days, np.column_stack([np.ones(24), hinge]), weights=days).fit()
    np.testing.assert_allclose([c.value for c in model.coefficients], reference.params, rtol=1e-9)
    np.testing.assert_allclose([c.standard_error for c in model.coefficients], reference.bse, rtol=1e-7)
    assert model.statistics.r_squared == pytest.approx(reference.rsquared, rel=1e-10)
    predicted = model.predict(table)
    np.testing.assert_allclose(predicted, days * reference.fittedvalues, rtol=1e-9)


def _brute_force_best(temperature: np.ndarray, energy: np.ndarray, settings: BaselineSettings) -> tuple[float, float]:
    """Best 3PC balance point by explicit least squares at every grid candidate (same rules)."""
    n = energy.size
    ordered = np.sort(temperature)
    low, high = ordered[settings.min_segment_points_daily - 1], ordered[n - settings.min_segment_points_daily]
    step = settings.balance_point_step_c
    grid = np.arange(np.floor(low / step) + 1, np.ceil(high / step)) * step
    best = (-np.inf, np.nan)
    sst = ((energy - energy.mean()) ** 2).sum()
    for tau in grid:
        hinge = np.maximum(temperature - tau, 0.0)
        if (temperature > tau).sum() < 10 or (temperature < tau).sum() < 10 or hinge.sum() < settings.min_degree_days_per_year_c:
            continue
        design = np.column_stack([np.ones(n), hinge])
        beta, residual, *_ = np.linalg.lstsq(design, energy, rcond=None)
        if beta[1] <= 0 or beta[0] <= 0:
            continue
        adjusted = 1 - (residual[0] / (n - 3)) / (sst / (n - 1))
        if adjusted > best[0]:
            best = (adjusted, tau)
    return best


def test_grid_search_equals_brute_force(daily_meter: MeterFactory) -> None:
    table = daily_meter(cooling_slope=35.0, cooling_c=19.3, noise=60.0, seed=21)
    settings = BaselineSettings(forms=("3PC",), refine_balance_points=False)
    prepared = prepare_observations(table, settings=settings)
    search = search_change_points(prepared.arrays, settings)
    score, tau = _brute_force_best(table["temperature_c"].to_numpy(), table["energy"].to_numpy(), settings)
    assert search.cooling_c[0, 0] == pytest.approx(tau, abs=1e-9)
    assert search.score[0, 0] == pytest.approx(score, rel=1e-9)


def test_batch_equals_one_by_one(daily_meter: MeterFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    tables = [
        daily_meter(cooling_slope=50.0, cooling_c=22.0, seed=31, meter_id="a"),
        daily_meter(heating_slope=40.0, heating_c=11.0, seed=32, meter_id="b", days=300),
        daily_meter(heating_slope=20.0, heating_c=10.0, cooling_slope=30.0, cooling_c=21.0, seed=33, meter_id="c"),
        daily_meter(seed=34, meter_id="d", days=200),
    ]
    monkeypatch.setattr(changepoint, "CHUNK_BYTES", 1)  # one meter per batch
    alone = {t["meter_id"].iloc[0]: fit(t.drop(columns="meter_id"), meter_id=t["meter_id"].iloc[0]).model for t in tables}
    monkeypatch.undo()
    together = fit_many(pd.concat(tables).sample(frac=1.0, random_state=1))
    for meter_id, model in alone.items():
        other = together[meter_id].model
        assert isinstance(model, ChangePointModel)
        assert isinstance(other, ChangePointModel)
        assert other.form == model.form
        assert other.heating_balance_point_c == model.heating_balance_point_c
        assert other.cooling_balance_point_c == model.cooling_balance_point_c
        np.testing.assert_allclose([c.value for c in other.coefficients], [c.value for c in model.coefficients], rtol=1e-9)


def test_refinement_only_improves_the_score(daily_meter: MeterFactory) -> None:
    table = daily_meter(heating_slope=25.0, heating_c=10.3, cooling_slope=35.0, cooling_c=19.7, noise=40.0, seed=22)
    prepared = prepare_observations(table)
    coarse = search_change_points(prepared.arrays, BaselineSettings(refine_balance_points=False))
    fine = search_change_points(prepared.arrays, BaselineSettings())
    assert np.all(fine.score[np.isfinite(coarse.score)] >= coarse.score[np.isfinite(coarse.score)] - 1e-12)
    steps = fine.cooling_c[np.isfinite(fine.cooling_c)] / 0.1
    np.testing.assert_allclose(steps, np.round(steps), atol=1e-6)  # on the 0.1 °C refinement grid
