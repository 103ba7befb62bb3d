"""The 5P dead-band test: 4P meters are no longer fitted as 5P with a narrow dead band."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import stats  # type: ignore[import-untyped]

from ecozone.baselines.changepoint import dead_band_p_values, search_change_points
from ecozone.baselines.fitting import fit, fit_many
from ecozone.baselines.model import ChangePointModel
from ecozone.baselines.observations import prepare_observations
from ecozone.baselines.settings import BaselineSettings
from tests.baselines.conftest import MeterFactory, change_point_energy, temperate_temperature

TRUE_POINT_C = 15.0
NO_TEST = BaselineSettings(dead_band_significance_level=1.0)


def _four_parameter_meters(count: int, noise: float = 60.0) -> pd.DataFrame:
    """``count`` daily meter-years of one 4P shape (V at 15 °C), differing in weather and noise."""
    frames = []
    for seed in range(count):
        rng = np.random.default_rng(seed)
        temperature = temperate_temperature(rng)
        energy = change_point_energy(temperature, 1000.0, 30.0, TRUE_POINT_C, 40.0, TRUE_POINT_C)
        frames.append(
            pd.DataFrame(
                {
                    "meter_id": f"v{seed:02d}",
                    "period_start": pd.date_range("2023-01-01", periods=365, freq="D"),
                    "energy": energy + rng.normal(0.0, noise, 365),
                    "temperature_c": temperature,
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def _largest_error(models: list[ChangePointModel]) -> float:
    points = [m.heating_balance_point_c for m in models] + [m.cooling_balance_point_c for m in models]
    return max(abs(float(point) - TRUE_POINT_C) for point in points if point is not None)


def test_four_parameter_meters_are_not_fitted_as_narrow_five_parameter() -> None:
    table = _four_parameter_meters(30)
    before = [fit.model for fit in fit_many(table, settings=NO_TEST).values() if isinstance(fit.model, ChangePointModel)]
    after = [fit.model for fit in fit_many(table).values() if isinstance(fit.model, ChangePointModel)]
    assert len(before) == len(after) == 30
    # The failure mode, with the test switched off: narrow dead bands win on adjusted R² and
    # move both balance points by more than 1 °C.
    narrow = [m for m in before if m.form == "5P"]
    assert len(narrow) >= 3
    assert all(float(m.cooling_balance_point_c) - float(m.heating_balance_point_c) < 3.5 for m in narrow)  # type: ignore[arg-type]
    assert _largest_error(narrow) > 1.0
    # With the dead-band test every meter is a 4P with its change point within ±1 °C.
    assert [m.form for m in after] == ["4P"] * 30
    assert _largest_error(after) <= 1.0


def test_rejected_dead_bands_have_large_p_values() -> None:
    table = _four_parameter_meters(10)
    prepared = prepare_observations(table)
    off = search_change_points(prepared.arrays, NO_TEST)
    on = search_change_points(prepared.arrays, BaselineSettings())
    five = on.forms.index("5P")
    picked_before = off.selected == five
    assert picked_before.any()
    level = BaselineSettings().dead_band_significance_level
    assert np.all(on.dead_band_p_value[picked_before] > level)
    assert np.all(np.isneginf(on.score[picked_before, five]))
    assert np.all(on.qualified[picked_before, five] == 0)
    np.testing.assert_allclose(on.dead_band_p_value, off.dead_band_p_value)  # computed either way


def test_dead_band_p_value_equals_partial_f_test(daily_meter: MeterFactory) -> None:
    """The p-value from the batched search equals an F test on two statsmodels OLS fits."""
    table = daily_meter(heating_slope=30.0, heating_c=14.0, cooling_slope=40.0, cooling_c=16.0, noise=60.0, seed=8)
    four = fit(table, settings=BaselineSettings(forms=("4P",))).model
    five = fit(table, settings=BaselineSettings(forms=("5P",))).model
    assert isinstance(four, ChangePointModel)
    assert isinstance(five, ChangePointModel)
    temperature, energy = table["temperature_c"].to_numpy(), table["energy"].to_numpy()

    def sse(heating_c: float, cooling_c: float) -> float:
        design = np.column_stack(
            [np.ones(energy.size), np.maximum(heating_c - temperature, 0.0), np.maximum(temperature - cooling_c, 0.0)]
        )
        return float(sm.OLS(energy, design).fit().ssr)

    sse4 = sse(float(four.heating_balance_point_c), float(four.cooling_balance_point_c))  # type: ignore[arg-type]
    sse5 = sse(float(five.heating_balance_point_c), float(five.cooling_balance_point_c))  # type: ignore[arg-type]
    n, p5 = energy.size, 5  # intercept, two slopes, two balance points
    statistic = (sse4 - sse5) / (sse5 / (n - p5))
    expected = float(stats.f.sf(statistic, 1, n - p5))
    search = search_change_points(prepare_observations(table).arrays, BaselineSettings())
    assert search.dead_band_p_value[0] == pytest.approx(expected, rel=1e-6)


def test_dead_band_p_values_edge_cases() -> None:
    p = dead_band_p_values(
        np.array([100.0, 100.0, 90.0, np.nan, 100.0, 50.0]),
        np.array([100.0, 90.0, 100.0, 90.0, 0.0, 40.0]),
        np.array([365, 365, 365, 365, 365, 5]),
        np.array([5, 5, 5, 5, 5, 5]),
    )
    assert p[0] == pytest.approx(1.0)  # no improvement
    assert p[1] == pytest.approx(float(stats.f.sf(10.0 / (90.0 / 360.0), 1, 360)))
    assert p[2] == pytest.approx(1.0)  # a worse 5P never passes
    assert np.isnan(p[3])  # no qualified 4P: not tested
    assert p[4] == pytest.approx(0.0)  # a perfect 5P fit passes
    assert np.isnan(p[5])  # no residual degrees of freedom


def test_clear_dead_band_still_selected(daily_meter: MeterFactory) -> None:
    table = daily_meter(heating_slope=30.0, heating_c=13.0, cooling_slope=40.0, cooling_c=17.0, noise=20.0, seed=9)
    model = fit(table).model
    assert isinstance(model, ChangePointModel)
    assert model.form == "5P"
    assert model.heating_balance_point_c == pytest.approx(13.0, abs=1.0)
    assert model.cooling_balance_point_c == pytest.approx(17.0, abs=1.0)


def test_without_four_parameter_the_test_is_not_applied(daily_meter: MeterFactory) -> None:
    table = daily_meter(heating_slope=30.0, heating_c=15.0, cooling_slope=40.0, cooling_c=15.0, noise=60.0, seed=1)
    settings = BaselineSettings(forms=("1P", "3PC", "3PH", "5P"))  # the CalTRACK 2.0 forms
    search = search_change_points(prepare_observations(table).arrays, settings)
    assert np.isnan(search.dead_band_p_value).all()
    assert search.forms[int(search.selected[0])] == "5P"
