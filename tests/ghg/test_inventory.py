"""GHG inventory against hand calculations written out from the factor values (not the loaders)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from ecozone.errors import NotFoundError
from ecozone.ghg import (
    ContractualInstrument,
    GhgInputError,
    InventorySettings,
    MissingDensityError,
    MissingGridFactorError,
    compute_inventory,
)

# AR5 and AR6 GWP-100 (IPCC AR5 WG1 Table 8.A.1; AR6 WG1 Table 7.15)
AR5 = {"CH4": 28.0, "N2O": 265.0}
AR6 = {"CH4_fossil": 29.8, "CH4_non_fossil": 27.0, "N2O": 273.0}
GRID_2022 = 0.6766  # tCO2/MWh, official (letter 327/BĐKH-PTCBT)
GRID_2024 = 0.6811  # research estimate
TD_SHARE = 0.0615


def activity(*rows: dict[str, object]) -> pd.DataFrame:
    defaults: dict[str, object] = {"entity_id": "firm-a", "year": 2022, "use": "", "fate": "", "substance": ""}
    return pd.DataFrame([{**defaults, **row} for row in rows])


def scope_total(result_lines: pd.DataFrame, scope: str, **match: str) -> float:
    lines = result_lines[result_lines["scope"] == scope]
    for column, value in match.items():
        lines = lines[lines[column] == value]
    return float(lines["co2e_t"].sum())


def test_diesel_stationary_worked_case() -> None:
    mass_kg = 1000 * 0.840  # 1,000 L x 0.84 kg/L
    energy_tj = mass_kg / 1e6 * 43.0  # Gg x NCV [TJ/Gg]
    co2_kg = energy_tj * 74_100
    ch4_kg = energy_tj * 3
    n2o_kg = energy_tj * 0.6
    expected_t = (co2_kg + ch4_kg * AR5["CH4"] + n2o_kg * AR5["N2O"]) / 1000
    result = compute_inventory(activity({"carrier": "diesel", "amount": 1000, "unit": "L"}))
    assert scope_total(result.line_items, "1") == pytest.approx(expected_t, rel=1e-12)
    assert expected_t == pytest.approx(2.68526916, rel=1e-8)
    summary = result.summary.iloc[0]
    assert summary["scope1_t"] == pytest.approx(expected_t)
    assert summary["fuel_energy_gj"] == pytest.approx(36.12)
    assert summary["energy_toe"] == pytest.approx(36.12 / 41.868)
    co2_line = result.line_items.query("gas == 'CO2'").iloc[0]
    assert "fuel/diesel/density/any" in co2_line["factor_ids"]
    assert "IPCC 2006" in co2_line["factor_sources"]
    assert co2_line["factor_status"] == "unverified"
    assert "unverified_factor" in co2_line["flags"]


# (carrier, substance, use, amount, unit, mass_kg or None, energy_gj, co2 kg/TJ, ch4 kg/TJ, n2o kg/TJ, biogenic)
FUEL_CASES = [
    ("gasoline", "", "mobile", 500, "L", 500 * 0.7475, None, 69_300, 33, 3.2, False),
    ("fuel_oil", "", "stationary", 10, "t", 10_000, None, 77_400, 3, 0.6, False),
    ("fuel_oil", "", "", 2, "m3", 2 * 979, None, 77_400, 3, 0.6, False),
    ("lpg", "", "stationary", 2000, "kg", 2000, None, 63_100, 1, 0.1, False),
    ("lpg", "", "mobile", 100, "L", 100 * 0.540, None, 63_100, 62, 0.2, False),
    ("natural_gas", "", "stationary", 100, "GJ", None, 100.0, 56_100, 1, 0.1, False),
    ("natural_gas", "", "stationary", 1000, "m3", 1000 * 0.8, None, 56_100, 1, 0.1, False),
    ("coal", "", "stationary", 100, "t", 100_000, None, 94_600, 10, 1.5, False),
    ("coal", "coal_anthracite", "stationary", 100, "t", 100_000, None, 98_300, 10, 1.5, False),
    ("coal", "coal_sub_bituminous", "stationary", 100, "t", 100_000, None, 96_100, 10, 1.5, False),
    ("diesel", "", "mobile", 1, "kL", 840, None, 74_100, 3.9, 3.9, False),
    ("biomass", "", "stationary", 50, "t", 50_000, None, 100_000, 30, 4, True),
    ("biomass", "biomass_wood", "stationary", 50, "t", 50_000, None, 112_000, 30, 4, True),
]
NCV = {
    "gasoline": 44.3,
    "fuel_oil": 40.4,
    "lpg": 47.3,
    "natural_gas": 48.0,
    "coal": 25.8,
    "coal_anthracite": 26.7,
    "coal_sub_bituminous": 18.9,
    "diesel": 43.0,
    "biomass": 11.6,
    "biomass_wood": 15.6,
}


@pytest.mark.parametrize(
    ("carrier", "substance", "use", "amount", "unit", "mass_kg", "energy_gj", "co2", "ch4", "n2o", "biogenic"), FUEL_CASES
)
def test_fuel_worked_cases(
    carrier: str,
    substance: str,
    use: str,
    amount: float,
    unit: str,
    mass_kg: float | None,
    energy_gj: float | None,
    co2: float,
    ch4: float,
    n2o: float,
    biogenic: bool,
) -> None:
    if energy_gj is None:
        assert mass_kg is not None
        energy_gj = mass_kg / 1000 * NCV[substance or carrier]  # t x GJ/t (= TJ/Gg)
    energy_tj = energy_gj / 1000
    non_co2_t = (energy_tj * ch4 * AR5["CH4"] + energy_tj * n2o * AR5["N2O"]) / 1000
    co2_t = energy_tj * co2 / 1000
    result = compute_inventory(activity({"carrier": carrier, "substance": substance, "use": use, "amount": amount, "unit": unit}))
    summary = result.summary.iloc[0]
    if biogenic:
        assert summary["scope1_t"] == pytest.approx(non_co2_t, rel=1e-12)
        assert summary["biogenic_co2_t"] == pytest.approx(co2_t, rel=1e-12)
        assert summary["total_t"] == pytest.approx(non_co2_t, rel=1e-12)
    else:
        assert summary["scope1_t"] == pytest.approx(co2_t + non_co2_t, rel=1e-12)
        assert summary["biogenic_co2_t"] == 0
    assert summary["fuel_energy_gj"] == pytest.approx(energy_gj, rel=1e-12)
    expected_category = "mobile_combustion" if use == "mobile" else "stationary_combustion"
    assert set(result.line_items.query("scope == '1'")["category"]) == {expected_category}


def test_biomass_co2_reported_outside_scope1() -> None:
    result = compute_inventory(activity({"carrier": "biomass", "amount": 50, "unit": "t"}))
    co2 = result.line_items.query("gas == 'CO2'").iloc[0]
    assert co2["scope"] == "outside"
    assert co2["category"] == "biogenic_co2"
    assert co2["co2e_t"] == pytest.approx(50 * 11.6 * 100_000 / 1e6)  # t x GJ/t x kg/TJ
    assert "default_fuel_assumed" in co2["flags"]
    assert (result.line_items.query("scope == '1'")["gas"].tolist()) == ["CH4", "N2O"]


def test_ar6_differs_from_ar5_as_expected() -> None:
    rows = activity({"carrier": "diesel", "amount": 1000, "unit": "L"}, {"carrier": "biomass", "amount": 10, "unit": "t"})
    ar5 = compute_inventory(rows).summary.iloc[0]["scope1_t"]
    ar6 = compute_inventory(rows, settings=InventorySettings(gwp_set="AR6")).summary.iloc[0]["scope1_t"]
    diesel_tj = 840 / 1e6 * 43.0
    biomass_tj = 10 / 1000 * 11.6
    expected = (
        diesel_tj * 3 * (AR6["CH4_fossil"] - AR5["CH4"])
        + diesel_tj * 0.6 * (AR6["N2O"] - AR5["N2O"])
        + biomass_tj * 30 * (AR6["CH4_non_fossil"] - AR5["CH4"])
        + biomass_tj * 4 * (AR6["N2O"] - AR5["N2O"])
    ) / 1000
    assert ar6 - ar5 == pytest.approx(expected, rel=1e-9)


def test_location_based_scope2_2022_official_factor() -> None:
    result = compute_inventory(activity({"carrier": "electricity", "amount": 1000, "unit": "MWh"}))
    summary = result.summary.iloc[0]
    assert summary["scope2_location_t"] == pytest.approx(1000 * GRID_2022)
    assert not summary["estimate_grid_factor"]
    location = result.line_items.query("scope2_method == 'location'").iloc[0]
    assert location["factor_ids"] == "grid_vn/2022"
    assert location["factor_status"] == "official"
    assert summary["electricity_energy_gj"] == pytest.approx(3600)
    assert summary["energy_toe"] == pytest.approx(1000 * 3.6 / 41.868)


def test_unit_conversions_give_the_same_inventory() -> None:
    pairs = [
        (
            {"carrier": "electricity", "amount": 1_000_000, "unit": "kWh"},
            {"carrier": "electricity", "amount": 1000, "unit": "MWh"},
        ),
        ({"carrier": "diesel", "amount": 1000, "unit": "lít"}, {"carrier": "diesel", "amount": 1, "unit": "m3"}),
        ({"carrier": "coal", "amount": 5000, "unit": "kg"}, {"carrier": "coal", "amount": 5, "unit": "tấn"}),
        (
            {"carrier": "natural_gas", "amount": 27_777.777777777778, "unit": "kWh"},
            {"carrier": "natural_gas", "amount": 100, "unit": "GJ"},
        ),
    ]
    for left, right in pairs:
        a = compute_inventory(activity(left)).summary.iloc[0]
        b = compute_inventory(activity(right)).summary.iloc[0]
        assert a["total_t"] == pytest.approx(b["total_t"], rel=1e-9)
        assert a["energy_gj"] == pytest.approx(b["energy_gj"], rel=1e-9)


def test_market_based_with_dppa_and_grid_proxy_residual() -> None:
    dppa = ContractualInstrument("dppa", "firm-a", 2022, mwh=400, emission_factor_t_per_mwh=0.0, reference="PPA-1")
    result = compute_inventory(activity({"carrier": "electricity", "amount": 1000, "unit": "MWh"}), [dppa])
    summary = result.summary.iloc[0]
    assert summary["scope2_market_t"] == pytest.approx(600 * GRID_2022)
    assert summary["scope2_location_t"] == pytest.approx(1000 * GRID_2022)
    assert "residual_mix_proxy_grid_factor" in summary["flags"]
    market = result.line_items.query("scope2_method == 'market'")
    assert market["amount"].sum() == pytest.approx(1000)
    assert "PPA-1" in market.query("substance == 'dppa'").iloc[0]["factor_sources"]


def test_market_based_with_residual_factor_and_excess_instruments() -> None:
    settings = InventorySettings(market_residual_factor_t_per_mwh=0.8, total_scope2_method="market")
    instruments = [
        ContractualInstrument("irec", "firm-a", 2022, mwh=300),
        ContractualInstrument("onsite_pv", "firm-a", 2022, mwh=100),
    ]
    result = compute_inventory(activity({"carrier": "electricity", "amount": 1000, "unit": "MWh"}), instruments, settings)
    summary = result.summary.iloc[0]
    assert summary["scope2_market_t"] == pytest.approx(600 * 0.8)
    td_losses = 1000 * GRID_2022 * TD_SHARE / (1 - TD_SHARE)
    assert summary["total_t"] == pytest.approx(600 * 0.8 + td_losses)
    excess = compute_inventory(
        activity({"carrier": "electricity", "amount": 100, "unit": "MWh"}),
        [ContractualInstrument("irec", "firm-a", 2022, mwh=300)],
    ).summary.iloc[0]
    assert excess["scope2_market_t"] == 0
    assert "instruments_exceed_consumption" in excess["flags"]


def test_scope3_td_losses_and_not_assessed_categories() -> None:
    result = compute_inventory(activity({"carrier": "electricity", "amount": 1000, "unit": "MWh"}))
    summary = result.summary.iloc[0]
    assert summary["scope3_cat03_t"] == pytest.approx(1000 * GRID_2022 * TD_SHARE / (1 - TD_SHARE))
    assert math.isnan(summary["scope3_cat05_t"])
    not_assessed = summary["not_assessed"].split(";")
    for category in ("cat01", "cat02", "cat04", "cat05", "cat06", "cat15", "cat03_upstream_electricity"):
        assert category in not_assessed
    assert "cat03_td_losses" not in not_assessed
    assert "cat03" not in not_assessed
    upstream = result.line_items.query("category == 'cat03_upstream_electricity'").iloc[0]
    assert math.isnan(upstream["co2e_t"])
    assert "no_emission_factor" in upstream["flags"]


def test_well_to_tank_from_settings() -> None:
    settings = InventorySettings(wtt_kgco2e_per_gj={"diesel": 20.0})
    result = compute_inventory(activity({"carrier": "diesel", "amount": 1000, "unit": "L"}), settings=settings)
    summary = result.summary.iloc[0]
    assert summary["scope3_cat03_t"] == pytest.approx(36.12 * 20.0 / 1000)
    assert "cat03_upstream_fuels" not in summary["not_assessed"].split(";")
    without = compute_inventory(activity({"carrier": "diesel", "amount": 1000, "unit": "L"})).summary.iloc[0]
    assert "cat03_upstream_fuels" in without["not_assessed"].split(";")


def test_waste_cases_by_fate() -> None:
    rows = activity(
        {"carrier": "solid_waste", "amount": 10, "unit": "t", "fate": "landfilled"},
        {"carrier": "solid_waste", "amount": 10_000, "unit": "kg", "fate": "incinerated"},
        {"carrier": "solid_waste", "amount": 5, "unit": "t", "fate": "recycled"},
    )
    result = compute_inventory(rows)
    lines = result.line_items.query("category == 'cat05_waste'").set_index("fate")
    landfill_ch4_t = 10 * 0.15 * 0.5 * 1.0 * 0.5 * 16 / 12 * (1 - 0.1)  # W DOC DOCf MCF F 16/12 (1-OX)
    incineration_co2_t = 10 * 0.9 * 0.5 * 0.9 * 1.0 * 44 / 12  # W dm CF FCF OF 44/12
    assert lines.loc["landfilled", "co2e_t"] == pytest.approx(landfill_ch4_t * AR5["CH4"])
    assert lines.loc["incinerated", "co2e_t"] == pytest.approx(incineration_co2_t)
    assert lines.loc["recycled", "co2e_t"] == 0
    assert "recycling_cut_off" in lines.loc["recycled", "flags"]
    summary = result.summary.iloc[0]
    assert summary["scope3_cat05_t"] == pytest.approx(landfill_ch4_t * 28 + incineration_co2_t)
    assert "cat05" not in summary["not_assessed"].split(";")


def test_waste_without_factor_is_not_silently_zero() -> None:
    result = compute_inventory(activity({"carrier": "hazardous_waste", "amount": 2, "unit": "t", "fate": "landfilled"}))
    summary = result.summary.iloc[0]
    assert math.isnan(summary["scope3_cat05_t"])
    assert "cat05_waste:hazardous_waste/landfilled" in summary["not_assessed"]


def test_refrigerants_kyoto_and_montreal() -> None:
    rows = activity(
        {"carrier": "refrigerant", "substance": "R-410A", "amount": 10, "unit": "kg"},
        {"carrier": "refrigerant", "substance": "R-22", "amount": 1, "unit": "kg"},
    )
    summary = compute_inventory(rows).summary.iloc[0]
    assert summary["scope1_t"] == pytest.approx(0.010 * (0.5 * 677 + 0.5 * 3170))
    assert summary["non_kyoto_co2e_t"] == pytest.approx(0.001 * 1760)
    ar6 = compute_inventory(rows, settings=InventorySettings(gwp_set="AR6")).summary.iloc[0]
    assert ar6["scope1_t"] == pytest.approx(0.010 * (0.5 * 771 + 0.5 * 3740))


def test_decree06_emissions_threshold_at_3000_t() -> None:
    settings = InventorySettings(decree06_emissions_basis="scope1_2_market", market_residual_factor_t_per_mwh=0.0)
    rows = activity(
        {"entity_id": "at", "carrier": "electricity", "amount": 3000, "unit": "MWh"},
        {"entity_id": "below", "carrier": "electricity", "amount": 2999, "unit": "MWh"},
    )
    instruments = [
        ContractualInstrument("dppa", "at", 2022, mwh=3000, emission_factor_t_per_mwh=1.0),
        ContractualInstrument("dppa", "below", 2022, mwh=2999, emission_factor_t_per_mwh=1.0),
    ]
    summary = compute_inventory(rows, instruments, settings).summary.set_index("entity_id")
    assert summary.loc["at", "decree06_emissions_t"] == 3000
    assert summary.loc["at", "decree06_obligation"]
    assert summary.loc["at", "decree06_reason"] == "emissions"
    assert summary.loc["at", "decree06_threshold_status"] == "unverified"
    assert not summary.loc["below", "decree06_obligation"]
    assert summary.loc["below", "decree06_reason"] == ""


def test_decree06_energy_threshold_depends_on_sector() -> None:
    rows = activity(
        {"entity_id": "factory", "carrier": "natural_gas", "amount": 41_868, "unit": "GJ"},
        {"entity_id": "office", "carrier": "natural_gas", "amount": 41_868, "unit": "GJ"},
    )
    summary = compute_inventory(rows, sectors={"office": "other"}).summary.set_index("entity_id")
    assert summary.loc["factory", "energy_toe"] == pytest.approx(1000)
    assert summary.loc["factory", "decree06_obligation"]
    assert summary.loc["factory", "decree06_reason"] == "energy"
    assert not summary.loc["office", "decree06_obligation"]


def test_park_rollup_sums_firms() -> None:
    rows = activity(
        {"entity_id": "firm-a", "carrier": "electricity", "amount": 2500, "unit": "MWh"},
        {"entity_id": "firm-b", "carrier": "electricity", "amount": 2500, "unit": "MWh"},
    )
    summary = compute_inventory(rows, parent_of={"firm-a": "park-1", "firm-b": "park-1"}).summary
    park = summary.query("entity_kind == 'rollup'").iloc[0]
    assert park["entity_id"] == "park-1"
    assert park["scope2_location_t"] == pytest.approx(5000 * GRID_2022)
    assert park["decree06_obligation"]
    assert not summary.query("entity_kind == 'entity'")["decree06_obligation"].any()


def test_estimate_grid_factor_is_flagged_everywhere() -> None:
    result = compute_inventory(activity({"year": 2024, "carrier": "electricity", "amount": 100, "unit": "MWh"}))
    summary = result.summary.iloc[0]
    assert summary["estimate_grid_factor"]
    assert summary["scope2_location_t"] == pytest.approx(100 * GRID_2024)
    grid_lines = result.line_items[result.line_items["factor_ids"].str.contains("grid_vn/2024")]
    assert len(grid_lines) == 3  # location, T&D losses, market residual
    assert grid_lines["flags"].str.contains("estimate_grid_factor").all()
    assert set(grid_lines["factor_status"]) >= {"research_estimate"}
    with pytest.raises(GhgInputError) as refused:
        compute_inventory(
            activity({"year": 2024, "carrier": "electricity", "amount": 1, "unit": "MWh"}),
            settings=InventorySettings(allow_estimate_grid_factor=False),
        )
    assert "2024" in str(refused.value)


def test_year_without_grid_factor_is_a_clear_error() -> None:
    with pytest.raises(MissingGridFactorError) as error:
        compute_inventory(activity({"year": 2013, "carrier": "electricity", "amount": 1, "unit": "MWh"}))
    assert "2013" in str(error.value)
    assert "2014" in str(error.value)
    assert "2013" in error.value.message("vi")


def test_litres_without_density_name_the_carrier() -> None:
    with pytest.raises(MissingDensityError) as error:
        compute_inventory(activity({"carrier": "coal", "amount": 100, "unit": "L"}))
    assert "coal" in str(error.value)
    assert "density" in str(error.value)
    measured = activity({"carrier": "coal", "amount": 1, "unit": "m3", "density_kg_per_m3": 800.0})
    result = compute_inventory(measured)
    assert result.summary.iloc[0]["fuel_energy_gj"] == pytest.approx(0.8 * 25.8)
    assert "density_from_input" in result.line_items.iloc[0]["flags"]


@pytest.mark.parametrize(
    ("row", "key"),
    [
        ({"carrier": "petrol-ish", "amount": 1, "unit": "L"}, "ghg.unknown_carrier"),
        ({"carrier": "diesel", "amount": -1, "unit": "L"}, "ghg.negative_amount"),
        ({"carrier": "diesel", "amount": "many", "unit": "L"}, "ghg.bad_amount"),
        ({"carrier": "electricity", "amount": 1, "unit": "kg"}, "ghg.unit_not_for_carrier"),
        ({"carrier": "solid_waste", "amount": 1, "unit": "t"}, "ghg.missing_fate"),
        ({"carrier": "coal", "amount": 1, "unit": "t", "use": "mobile"}, "ghg.no_factor_for_use"),
        ({"carrier": "refrigerant", "amount": 1, "unit": "kg"}, "ghg.missing_refrigerant"),
    ],
)
def test_bad_activity_rows(row: dict[str, object], key: str) -> None:
    with pytest.raises(GhgInputError) as error:
        compute_inventory(activity(row))
    assert error.value.key == key


def test_unknown_names_list_the_known_ones() -> None:
    with pytest.raises(NotFoundError) as fuel:
        compute_inventory(activity({"carrier": "coal", "substance": "lignite", "amount": 1, "unit": "t"}))
    assert "coal_anthracite" in str(fuel.value)
    with pytest.raises(NotFoundError) as gas:
        compute_inventory(activity({"carrier": "refrigerant", "substance": "R-999", "amount": 1, "unit": "kg"}))
    assert "HFC-134a" in str(gas.value)
    with pytest.raises(NotFoundError) as fate:
        compute_inventory(activity({"carrier": "solid_waste", "fate": "buried", "amount": 1, "unit": "t"}))
    assert "landfilled" in str(fate.value)
    with pytest.raises(GhgInputError):
        ContractualInstrument("green_tariff", "firm-a", 2022, 1.0)
    with pytest.raises(GhgInputError):
        compute_inventory(activity({"carrier": "diesel", "amount": 1, "unit": "L"}), sectors={"firm-a": "farming"})


def test_missing_columns_and_empty_activity() -> None:
    with pytest.raises(GhgInputError) as error:
        compute_inventory(pd.DataFrame({"entity_id": ["a"], "year": [2022]}))
    assert "carrier" in str(error.value)
    empty = compute_inventory(activity({"carrier": "water_withdrawal", "amount": 10, "unit": "m3"}))
    assert empty.line_items.empty
    assert empty.summary.empty
