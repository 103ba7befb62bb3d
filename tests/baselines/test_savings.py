"""Savings, CUSUM, uncertainty, non-routine events, normalised savings and EnPIs on meters with known truth."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from ecozone.baselines.enpi import enpi_tracking
from ecozone.baselines.fitting import fit
from ecozone.baselines.model import ChangePointModel
from ecozone.baselines.savings import aggregate_uncertainty, avoided_energy, normalised_savings
from tests.baselines.conftest import change_point_energy, temperate_temperature

SAVING = 0.10


def _two_years(seed: int = 1, production: bool = False) -> tuple[pd.DataFrame, np.ndarray]:
    """Daily meter over 2023–2024; 10 % saving from 2024; returns the table and the true counterfactual."""
    rng = np.random.default_rng(seed)
    days = pd.date_range("2023-01-01", "2024-12-31", freq="D")
    temperature = np.concatenate([temperate_temperature(rng, 365), temperate_temperature(rng, days.size - 365)])
    counterfactual = change_point_energy(temperature, 1000.0, 30.0, 12.0, 50.0, 21.0)
    table = pd.DataFrame({"period_start": days, "temperature_c": temperature})
    if production:
        table["production"] = rng.uniform(20, 40, days.size)
        counterfactual = counterfactual + 15.0 * table["production"].to_numpy()
    energy = counterfactual.copy()
    energy[365:] *= 1.0 - SAVING
    table["energy"] = energy + rng.normal(0.0, 25.0, days.size)
    return table, counterfactual


def _baseline_model(table: pd.DataFrame, **options: object) -> ChangePointModel:
    model = fit(table.iloc[:365], **options).model  # type: ignore[arg-type]
    assert isinstance(model, ChangePointModel)
    return model


def test_known_saving_recovered_within_its_uncertainty() -> None:
    table, counterfactual = _two_years()
    model = _baseline_model(table)
    result = avoided_energy(model, table.iloc[365:])
    truth = float((counterfactual[365:] - table["energy"].iloc[365:]).sum())
    assert result.savings == pytest.approx(truth, rel=0.03)
    assert abs(result.savings - truth) <= result.uncertainty_at(0.90).absolute
    assert result.savings_fraction == pytest.approx(SAVING, abs=0.01)
    assert not result.non_routine_events
    assert result.reporting.start.isoformat() == "2024-01-01"


def test_uncertainty_follows_guideline_14() -> None:
    table, _ = _two_years(seed=2)
    model = _baseline_model(table)
    result = avoided_energy(model, table.iloc[365:])
    s = model.statistics
    n, n_eff, p, m = s.points, s.effective_points, s.parameters, len(result.periods)
    for confidence in (0.68, 0.90):
        t = stats.t.ppf(0.5 + confidence / 2, n_eff - p)
        expected = t * 1.26 * s.cv_rmse * np.sqrt((n / n_eff) * (1 + 2 / n_eff) / m) * result.counterfactual_total
        assert result.uncertainty_at(confidence).absolute == pytest.approx(expected, rel=1e-9)
        assert result.uncertainty_at(confidence).fractional == pytest.approx(expected / result.savings, rel=1e-9)


def test_cusum_and_cumulative_savings() -> None:
    table, _ = _two_years(seed=3)
    result = avoided_energy(_baseline_model(table), table.iloc[365:])
    periods = result.periods
    np.testing.assert_allclose(periods["cusum"], np.cumsum(periods["observed"] - periods["counterfactual"]), rtol=1e-12)
    np.testing.assert_allclose(periods["cumulative_savings"], -periods["cusum"], rtol=1e-12)
    assert periods["cumulative_savings"].iloc[-1] == pytest.approx(result.savings, rel=1e-12)
    assert result.savings_all_periods == pytest.approx(result.savings, rel=1e-12)


def test_non_routine_event_is_flagged_not_counted() -> None:
    table, _ = _two_years(seed=4)
    step_day = 365 + 200
    table.loc[step_day:, "energy"] += 300.0  # a new production line
    result = avoided_energy(_baseline_model(table), table.iloc[365:])
    assert len(result.non_routine_events) == 1
    event = result.non_routine_events[0]
    assert abs(pd.Timestamp(event.start) - table["period_start"].iloc[step_day]) <= pd.Timedelta(days=3)
    assert event.shift == pytest.approx(300.0, rel=0.1)
    flagged = result.periods["flagged"].to_numpy()
    assert flagged[210:].all() and not flagged[:195].any()
    kept = result.periods[~result.periods["flagged"]]
    assert result.savings == pytest.approx(kept["savings"].sum(), rel=1e-12)
    assert result.savings_all_periods < result.savings
    assert "baselines.savings.non_routine_event" in [f.code for f in result.findings]


def test_aggregate_uncertainty_is_root_sum_of_squares() -> None:
    results = []
    for seed in (5, 6):
        table, _ = _two_years(seed=seed)
        results.append(avoided_energy(_baseline_model(table), table.iloc[365:]))
    expected = np.hypot(*(r.uncertainty_at(0.9).absolute for r in results))
    assert aggregate_uncertainty(results, 0.9) == pytest.approx(expected, rel=1e-12)


def test_normalised_savings_under_standard_conditions() -> None:
    table, _ = _two_years(seed=7)
    baseline = _baseline_model(table)
    reporting = fit(table.iloc[365:]).model
    assert isinstance(reporting, ChangePointModel)
    conditions = pd.DataFrame(
        {"period_start": pd.date_range("2030-01-01", periods=365), "temperature_c": table["temperature_c"].iloc[:365]}
    )
    result = normalised_savings(baseline, reporting, conditions)
    assert result.savings == pytest.approx(SAVING * result.baseline_energy, rel=0.05)
    assert 0 < result.uncertainty[0].absolute < result.uncertainty[1].absolute < result.savings


def test_enpi_ratio_and_regression() -> None:
    table, _ = _two_years(seed=8, production=True)
    model = _baseline_model(table, drivers=["production"])
    tracking = enpi_tracking(model, table.iloc[:365], table.iloc[365:], driver="production")
    base, report = table.iloc[:365], table.iloc[365:]
    assert tracking.baseline_ratio == pytest.approx(base["energy"].sum() / base["production"].sum(), rel=1e-12)
    assert tracking.reporting_ratio == pytest.approx(report["energy"].sum() / report["production"].sum(), rel=1e-12)
    assert tracking.regression_enpi == pytest.approx(report["energy"].sum() / model.predict(report).sum(), rel=1e-12)
    assert tracking.regression_improvement == pytest.approx(SAVING, abs=0.01)
    monthly = tracking.monthly
    assert list(monthly["phase"].unique()) == ["baseline", "reporting"]
    assert len(monthly) == 24
    baseline_months = monthly[monthly["phase"] == "baseline"]
    assert baseline_months["energy"].sum() / baseline_months["expected"].sum() == pytest.approx(1.0, abs=1e-9)


def test_savings_document_is_json_ready() -> None:
    table, _ = _two_years(seed=9)
    document = avoided_energy(_baseline_model(table), table.iloc[365:]).to_dict()
    assert document["uncertainty"][0]["confidence"] == 0.68
    assert len(document["periods"]) == 366
    assert set(document["periods"][0]) == {
        "period_start",
        "observed",
        "counterfactual",
        "savings",
        "cumulative_savings",
        "cusum",
        "flagged",
    }
