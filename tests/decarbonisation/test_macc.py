"""Abatement cost of one measure worked by hand, and the curve's exclusions."""

from __future__ import annotations

import pytest

from ecozone.decarbonisation.catalogue import measures
from ecozone.decarbonisation.effects import EffectContext, evaluate
from ecozone.decarbonisation.emission_factors import grid_factor_for, scope1_factor
from ecozone.decarbonisation.finance import FinanceSettings
from ecozone.decarbonisation.macc import MaccSettings, macc_by_measure, macc_table

from .conftest import make_energy, make_firm

PRICE = 2000.0


def test_led_abatement_cost_by_hand() -> None:
    firm = make_firm("f1", vsic="2610")
    energy = make_energy(firm, electricity=1_000_000.0)
    context = EffectContext(prices={}, electricity_price={"f1": PRICE})
    led = measures()["led_lighting"]
    option = evaluate(led, energy, context)
    # Electronics: lighting is 8 % of 1,000 MWh = 80 MWh/yr; LED saves half of it.
    assert option.size == pytest.approx(80.0)
    assert option.deltas == {"electricity": pytest.approx(-40_000.0)}
    capex = 80.0 * 80.0 * 23942  # 80 MWh/yr x 80 USD per MWh/yr x 23,942 VND/USD (28 Aug 2023)
    assert option.capex_vnd == pytest.approx(capex)
    annual_cost = -40_000.0 * PRICE
    assert option.annual_cost_vnd == pytest.approx(annual_cost)

    rate, start, lifetime = 0.10, 2026, 12
    discounted_cost, discounted_tonnes, tonnes = capex, 0.0, []
    for t in range(1, lifetime + 1):
        factor = 1 / (1 + rate) ** t
        abated = 40_000.0 * grid_factor_for(start + t - 1).value / 1000.0
        tonnes.append(abated)
        discounted_cost += factor * annual_cost
        discounted_tonnes += factor * abated
    table, excluded = macc_table([option], MaccSettings(start_year=start), FinanceSettings(discount_rate=rate))
    assert excluded.empty
    row = table.iloc[0]
    assert row["cost_vnd_per_t"] == pytest.approx(discounted_cost / discounted_tonnes)
    assert row["abatement_first_year_t"] == pytest.approx(tonnes[0])
    assert row["abatement_lifetime_t"] == pytest.approx(sum(tonnes))
    assert row["npv_vnd"] == pytest.approx(-discounted_cost)
    assert row["status"] == "unverified"
    assert row["cost_vnd_per_t"] < 0  # it pays for itself


def test_fuel_switch_to_biomass_keeps_useful_heat() -> None:
    firm = make_firm("f2", vsic="1311")
    energy = make_energy(firm, electricity=500_000.0, coal=1000.0)
    option = evaluate(measures()["boiler_to_biomass"], energy, EffectContext(prices={}))
    # Coal 1,000 t x 25.8 GJ/t x 0.80 = 20,640 GJ of heat; biomass at 0.75 and 11.6 GJ/t.
    assert option.deltas["coal"] == pytest.approx(-1000.0)
    assert option.deltas["biomass"] == pytest.approx(1000 * 25.8 * 0.80 / 0.75 / 11.6, rel=1e-6)
    scope1, _, _, removals = option.abatement(2030, "linear_to_zero_2050")
    expected = 1000.0 * scope1_factor("coal") - option.deltas["biomass"] * scope1_factor("biomass")
    assert scope1 == pytest.approx(expected)
    assert removals == 0.0


def test_inapplicable_and_non_abating_options_are_listed_apart() -> None:
    small = make_energy(make_firm("tiny"), electricity=10_000.0)
    context = EffectContext(prices={}, electricity_price={"tiny": PRICE})
    options = [evaluate(m, small, context) for m in measures().values()]
    table, excluded = macc_table(options)
    reasons = dict(zip(excluded["measure_id"], excluded["reason"], strict=True))
    assert reasons["battery_storage"] == "decarbonisation.reason.enabler_only"
    assert reasons["efficient_chillers"] == "decarbonisation.reason.below_min_size"
    assert reasons["boiler_to_biomass"] == "decarbonisation.reason.no_boiler_fuel"
    assert reasons["pv_rooftop"] == "decarbonisation.reason.no_pv_simulation"
    assert set(table["measure_id"]).isdisjoint(reasons)
    by_measure = macc_by_measure(table)
    assert list(by_measure["cost_vnd_per_t"]) == sorted(by_measure["cost_vnd_per_t"])
