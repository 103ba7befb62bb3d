"""Pathway invariants: emissions recomputed independently, targets met or infeasibility explained, budgets, hook."""

from __future__ import annotations

import numpy as np
import pytest

from ecozone.decarbonisation.catalogue import measures
from ecozone.decarbonisation.effects import EffectContext, MeasureOption, evaluate
from ecozone.decarbonisation.emission_factors import grid_factor_for, scope1_factor
from ecozone.decarbonisation.firms import FirmEnergy
from ecozone.decarbonisation.pathway import PathwayModel, PathwayResult, PathwaySettings, plan_pathway
from ecozone.decarbonisation.prices import price_table

from .conftest import make_energy, make_firm


@pytest.fixture(scope="module")
def park() -> tuple[dict[str, FirmEnergy], list[MeasureOption]]:
    energies = {
        "a": make_energy(make_firm("a", "2610", land_ha=10.0), electricity=3_000_000.0, coal=500.0),
        "b": make_energy(make_firm("b", "1410", land_ha=3.0), electricity=800_000.0, diesel=20_000.0, lpg=5_000.0),
        "c": make_energy(make_firm("c", "1010", land_ha=4.0), electricity=1_500_000.0, biomass=300.0),
    }
    context = EffectContext(price_table(), dict.fromkeys(energies, 2000.0))
    options = [evaluate(m, e, context) for e in energies.values() for m in measures().values()]
    return energies, options


def _without_ppa(options: list[MeasureOption]) -> list[MeasureOption]:
    return [o for o in options if o.measure.model != "green_power_ppa"]


def _recomputed(
    result: PathwayResult, energies: dict[str, FirmEnergy], options: list[MeasureOption], scenario: str
) -> dict[str, np.ndarray]:
    """Emissions by year from the timeline, with plain loops over options (no model arrays)."""
    by_key = {(o.firm_id, o.measure.id): o for o in options if o.applicable}
    years = result.emissions["year"].tolist()
    scope1, scope2, removals = [], [], []
    for year in years:
        grid = grid_factor_for(year, scenario).value / 1000.0
        s1 = sum(e.amount(c) * scope1_factor(c) for e in energies.values() for c in e.annual)
        s2 = sum(e.amount("electricity") for e in energies.values()) * grid
        r = 0.0
        for row in result.timeline.itertuples():
            if row.year <= year:
                option = by_key[(row.firm_id, row.measure_id)]
                a1, a2, _, rem = option.abatement(year, scenario)
                s1 -= row.share * a1
                s2 -= row.share * a2
                r += row.share * rem
        scope1.append(s1)
        scope2.append(s2)
        removals.append(r)
    s1a, s2a, ra = np.array(scope1), np.array(scope2), np.array(removals)
    return {"scope1_t": s1a, "scope2_location_t": s2a, "removals_t": ra, "net_t": s1a + s2a - ra}


def _capex_recomputed(result: PathwayResult, options: list[MeasureOption]) -> np.ndarray:
    by_key = {(o.firm_id, o.measure.id): o for o in options if o.applicable}
    years = result.emissions["year"].tolist()
    capex = np.zeros(len(years))
    for row in result.timeline.itertuples():
        option = by_key[(row.firm_id, row.measure_id)]
        for index, year in enumerate(years):
            if year >= row.year and (year - row.year) % option.measure.lifetime_years == 0:
                capex[index] += row.share * option.capex_vnd
    return capex


def test_emissions_each_year_equal_the_recomputed_sum(park: tuple[dict[str, FirmEnergy], list[MeasureOption]]) -> None:
    energies, options = park
    chosen = _without_ppa(options)
    settings = PathwaySettings(target=None, enforce_ndc=True)
    result = plan_pathway(chosen, energies, settings)
    assert result.status == "optimal"
    recomputed = _recomputed(result, energies, chosen, settings.grid_scenario)
    for column, values in recomputed.items():
        assert np.allclose(result.emissions[column].to_numpy(), values, rtol=1e-7, atol=1e-6), column
    assert np.allclose(result.spending["capex_vnd"].to_numpy(), _capex_recomputed(result, chosen), rtol=1e-7)
    ndc = [met for t, _, met in result.targets if t.id == "ndc_2030_unconditional"]
    assert ndc == [True]
    assert result.mip_gap <= settings.mip_rel_gap + 1e-9
    shares = result.timeline.groupby(["firm_id", "measure_id"])["share"].sum()
    assert (shares <= 1 + 1e-6).all()
    assert (shares >= settings.min_adoption_share - 1e-6).all()


def test_net_zero_is_met_or_explained(park: tuple[dict[str, FirmEnergy], list[MeasureOption]]) -> None:
    energies, options = park
    result = plan_pathway(options, energies, PathwaySettings())
    final = [met for t, _, met in result.targets if t.id == "net_zero_2050"]
    if result.status == "infeasible":
        assert result.explanation is not None
        assert result.explanation.shortfall_t[2050] > 0
        assert final == [False]
    else:
        assert final == [True]
        assert result.emissions.set_index("year").at[2050, "net_t"] <= 1e-6


def test_a_small_budget_binds_and_is_explained(park: tuple[dict[str, FirmEnergy], list[MeasureOption]]) -> None:
    energies, options = park
    settings = PathwaySettings(target=None, enforce_ndc=True, budget_vnd_per_year=1e6)
    result = plan_pathway(_without_ppa(options), energies, settings)
    assert result.status == "infeasible"
    assert result.explanation is not None
    assert result.explanation.binding == "budget"
    assert result.explanation.shortfall_t[2030] > 0
    assert result.explanation.shortfall_unlimited_t[2030] == pytest.approx(0.0, abs=1e-6)
    assert 2025 in result.explanation.binding_budget_years
    assert (result.spending["capex_vnd"] <= 1e6 * (1 + 1e-6)).all()


def test_measures_that_cannot_reach_net_zero_are_named(park: tuple[dict[str, FirmEnergy], list[MeasureOption]]) -> None:
    energies, options = park
    result = plan_pathway(_without_ppa(options), energies, PathwaySettings(grid_scenario="frozen_2025"))
    assert result.status == "infeasible"
    assert result.explanation is not None
    assert result.explanation.binding == "measures"
    assert result.explanation.shortfall_unlimited_t[2050] > 0


def test_budget_is_respected_and_the_hook_adds_constraints(park: tuple[dict[str, FirmEnergy], list[MeasureOption]]) -> None:
    energies, options = park
    budget = 2e9

    def no_led(built: PathwayModel) -> None:
        for index, option in enumerate(built.data.options):
            if option.measure.id == "led_lighting":
                columns = built.increments[index]
                built.model.add_rows(1, np.zeros(columns.size, dtype=np.int64), columns, 1.0, upper=0.0, name="no_led")

    result = plan_pathway(options, energies, PathwaySettings(target=None, budget_vnd_per_year=budget), extra_constraints=no_led)
    assert result.status == "optimal"
    assert "led_lighting" not in set(result.timeline["measure_id"])
    assert (result.spending["capex_vnd"] <= budget * (1 + 1e-6)).all()


def test_indivisible_measures_are_all_or_nothing(park: tuple[dict[str, FirmEnergy], list[MeasureOption]]) -> None:
    energies, options = park
    result = plan_pathway(_without_ppa(options), energies, PathwaySettings(target=None, divisible=False, enforce_ndc=True))
    assert result.status == "optimal"
    assert np.allclose(result.timeline["share"], 1.0)
