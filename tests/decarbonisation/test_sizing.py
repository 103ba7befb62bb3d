"""PV and battery sizing: limits, budget, export cap, and one model per firm equal to the joint model."""

from __future__ import annotations

import numpy as np
import pytest

from ecozone.decarbonisation.pv.roofs import Roof
from ecozone.decarbonisation.pv.sizing import SizingModel, size_firms
from ecozone.decarbonisation.pv.study import FirmPvInput, PvSettings, simulate_firms
from ecozone.decarbonisation.pv.weather import Weather

from .conftest import flat_profile

SETTINGS = PvSettings(export_price_vnd_per_kwh=1000.0)


def _inputs() -> list[FirmPvInput]:
    return [
        FirmPvInput("big_roof", (Roof("r1", "big_roof", 20000.0),), flat_profile(2026, 1_000_000.0)),
        FirmPvInput("small_roof", (Roof("r2", "small_roof", 500.0),), flat_profile(2026, 3_000_000.0)),
        FirmPvInput(
            "two_roofs",
            (Roof("r3", "two_roofs", 1500.0, 15.0, 90.0), Roof("r4", "two_roofs", 1500.0, 15.0, 270.0)),
            flat_profile(2026, 800_000.0),
        ),
    ]


def test_sizes_respect_roofs_and_pay_off(estimate_2026: Weather) -> None:
    result = size_firms(estimate_2026, _inputs(), SETTINGS)
    table = result.table.set_index("firm_id")
    assert result.status == "optimal"
    assert (table["pv_kwp"] <= table["roof_limit_kwp"] * (1 + 1e-9)).all()
    assert (table["annual_cost_vnd"] <= table["baseline_cost_vnd"] * (1 + 1e-9)).all()
    # A large load on a small roof fills the roof.
    assert table.at["small_roof", "pv_kwp"] == pytest.approx(table.at["small_roof", "roof_limit_kwp"], rel=1e-6)
    # A small load under a huge roof does not fill it (export capped at 20 % of generation).
    assert table.at["big_roof", "pv_kwp"] < 0.9 * table.at["big_roof", "roof_limit_kwp"]
    assert ((table["pv_kwp"] == 0) | (table["pv_kwp"] >= 10 - 1e-6)).all()


def test_independent_models_equal_the_joint_model(estimate_2026: Weather) -> None:
    independent = size_firms(estimate_2026, _inputs(), SETTINGS)

    def nothing(built: SizingModel) -> None:
        assert built.kwp.size == 3

    joint = size_firms(estimate_2026, _inputs(), SETTINGS, extra_constraints=nothing)
    assert joint.objective_vnd == pytest.approx(independent.objective_vnd, rel=1e-6)
    assert np.allclose(joint.table["annual_cost_vnd"], independent.table["annual_cost_vnd"], rtol=1e-5)


def test_budget_limits_total_capex(estimate_2026: Weather) -> None:
    budget = 3e9
    result = size_firms(estimate_2026, _inputs(), SETTINGS, budget_vnd=budget)
    assert result.table["capex_vnd"].sum() <= budget * (1 + 1e-6)
    assert result.table["capex_vnd"].sum() == pytest.approx(budget, rel=1e-3)


def test_simulation_of_the_sizes_keeps_exports_within_the_rule(estimate_2026: Weather) -> None:
    study = simulate_firms(estimate_2026, _inputs(), SETTINGS)
    assert study.rule is not None
    assert study.rule.instrument == "Decree 58/2025/ND-CP"
    table = study.table
    assert (table["export_kwh"] <= study.rule.export_cap_share * table["generation_kwh"] + 1e-6).all()
    assert np.allclose(table["self_consumed_kwh"] + table["export_kwh"] + table["curtailed_kwh"], table["generation_kwh"])
    assert study.is_estimate
