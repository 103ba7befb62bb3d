"""ASHRAE Guideline 14 statistics against hand-worked examples."""

from __future__ import annotations

import math

import numpy as np
import pytest

from ecozone.baselines.goodness_of_fit import (
    adjusted_r_squared,
    cv_rmse,
    effective_points,
    g14_acceptance,
    lag1_autocorrelation,
    nmbe,
    r_squared,
)
from ecozone.baselines.method_parameters import method_parameters
from ecozone.baselines.settings import BaselineSettings
from ecozone.baselines.uncertainty import correction_factor, savings_uncertainty, t_quantile, two_sided_p_value

# Worked example: six periods, a two-parameter model.
MEASURED = np.array([[100.0, 110.0, 95.0, 105.0, 120.0, 90.0]])
PREDICTED = np.array([[100.0, 108.0, 97.0, 103.0, 115.0, 95.0]])
VALID = np.ones_like(MEASURED, dtype=bool)
P = np.array([2])
# By hand: residuals 0, 2, -2, 2, 5, -5; Σe = 2; Σe² = 62; n - p = 4; ȳ = 620/6;
# SST = Σy² - nȳ² = 64650 - 384400/6 = 1750/3.
MEAN = 620.0 / 6.0
SST = 1750.0 / 3.0


def test_cv_rmse_by_hand() -> None:
    assert cv_rmse(MEASURED, PREDICTED, VALID, P)[0] == pytest.approx(math.sqrt(62.0 / 4.0) / MEAN, rel=1e-12)


def test_nmbe_by_hand_measured_minus_predicted() -> None:
    assert nmbe(MEASURED, PREDICTED, VALID, P)[0] == pytest.approx(2.0 / (4.0 * MEAN), rel=1e-12)
    assert nmbe(PREDICTED, MEASURED, VALID, P)[0] < 0


def test_r_squared_and_adjusted_by_hand() -> None:
    r2 = r_squared(MEASURED, PREDICTED, VALID)
    assert r2[0] == pytest.approx(1.0 - 62.0 / SST, rel=1e-12)
    assert adjusted_r_squared(r2, np.array([6]), P)[0] == pytest.approx(1.0 - (62.0 / SST) * 5.0 / 4.0, rel=1e-12)


def test_lag1_autocorrelation_by_hand() -> None:
    residuals = MEASURED - PREDICTED
    # centred residuals are (-1, 5, -7, 5, 14, -16)/3: Σ c_t c_t+1 = -229/9, Σ c² = 552/9
    assert lag1_autocorrelation(residuals, VALID)[0] == pytest.approx(-229.0 / 552.0, rel=1e-12)


def test_autocorrelation_ignores_padding_and_gaps() -> None:
    residuals = np.array([[1.0, 0.0, -1.0, 99.0], [1.0, -1.0, 1.0, -1.0]])
    valid = np.array([[True, True, True, False], [True, True, True, True]])
    rho = lag1_autocorrelation(residuals, valid)
    assert rho[0] == pytest.approx(0.0, abs=1e-12)  # centred 1, 0, -1: (1·0 + 0·(-1)) / 2 = 0; 99 is padding
    assert rho[1] == pytest.approx(-3.0 / 4.0, rel=1e-12)


def test_effective_points() -> None:
    assert effective_points(np.array([365]), np.array([0.5]))[0] == pytest.approx(365 * 0.5 / 1.5)
    assert effective_points(np.array([365]), np.array([-0.3]))[0] == pytest.approx(365)
    assert effective_points(np.array([365]), np.array([0.5]), correct=False)[0] == pytest.approx(365)


def test_t_quantiles_match_tables() -> None:
    assert t_quantile(0.90, 10) == pytest.approx(1.812, abs=1e-3)
    assert t_quantile(0.95, 20) == pytest.approx(2.086, abs=1e-3)
    assert t_quantile(0.68, 1e7) == pytest.approx(0.9945, abs=1e-3)
    assert math.isnan(t_quantile(0.9, 0))
    assert two_sided_p_value(1.812, 10) == pytest.approx(0.10, abs=1e-3)


def test_savings_uncertainty_by_hand() -> None:
    n, rho, p, m = 365, 0.5, 3, 120
    n_eff = n * (1 - rho) / (1 + rho)
    result = savings_uncertainty(
        confidence=0.90,
        cv_rmse=0.05,
        points=n,
        effective_points=n_eff,
        parameters=p,
        reporting_points=m,
        counterfactual_total=1_200_000.0,
        savings=120_000.0,
        factor=1.26,
    )
    # t(0.90, 118.7) ≈ 1.658 (tables: 1.658 at 120 df); spread = sqrt(3 · (1 + 2/121.67) / 120) = 0.159408
    expected = 1.658 * 1.26 * 0.05 * 0.159408 * 1_200_000.0
    assert result.absolute == pytest.approx(expected, rel=1e-3)
    assert result.fractional == pytest.approx(expected / 120_000.0, rel=1e-3)


def test_savings_uncertainty_undefined_without_degrees_of_freedom() -> None:
    result = savings_uncertainty(
        confidence=0.68,
        cv_rmse=0.05,
        points=10,
        effective_points=2.5,
        parameters=3,
        reporting_points=10,
        counterfactual_total=1.0,
        savings=0.1,
        factor=1.26,
    )
    assert math.isnan(result.absolute)


def test_correction_factors() -> None:
    assert correction_factor("g14", "daily", 4) == 1.26
    assert correction_factor("sun_baltazar", "daily", 4) == pytest.approx(-0.00024 * 16 + 0.03535 * 4 + 1.00286)
    assert correction_factor("sun_baltazar", "monthly", 12) == pytest.approx(-0.00022 * 144 + 0.03306 * 12 + 0.94054)
    assert correction_factor("sun_baltazar", "hourly", 12) == 1.26


@pytest.mark.parametrize(
    ("frequency", "cv", "bias", "passes"),
    [
        ("monthly", 0.15, 0.05, True),
        ("monthly", 0.151, 0.0, False),
        ("monthly", 0.10, -0.051, False),
        ("hourly", 0.30, -0.10, True),
        ("hourly", 0.31, 0.0, False),
        ("daily", 0.29, 0.09, True),
        ("daily", 0.29, 0.11, False),
    ],
)
def test_g14_acceptance(frequency: str, cv: float, bias: float, passes: bool) -> None:
    acceptance = g14_acceptance(frequency, cv, bias)  # type: ignore[arg-type]
    assert acceptance.passes is passes
    assert acceptance.status == "unverified"


def test_settings_defaults_come_from_the_sourced_table() -> None:
    table = method_parameters()
    settings = BaselineSettings()
    assert settings.min_baseline_days == table["min_baseline_days"].value == 365
    assert settings.min_coverage == table["min_coverage"].value == 0.9
    assert settings.min_segment_points_daily == table["min_segment_points_daily"].value == 10
    assert settings.min_degree_days_per_year_c == pytest.approx(20 / 1.8, rel=1e-4)
    assert settings.towt_bin_endpoints_c[0] == pytest.approx((30 - 32) / 1.8, abs=1e-4)
    assert all(row.status in ("verified", "unverified") and row.source for row in table.values())
    with pytest.raises(ValueError, match="at most"):
        BaselineSettings(balance_point_step_c=2.0)
