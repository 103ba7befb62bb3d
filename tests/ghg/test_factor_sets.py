"""Factor files: provenance columns, statuses, agreement with the shared reference data."""

from __future__ import annotations

import csv
from importlib import resources
from pathlib import Path

import pytest

from ecozone.errors import NotFoundError
from ecozone.ghg import factors as fs

FACTOR_FILES = (
    "fuels_ipcc2006.csv",
    "gwp.csv",
    "grid_vn.csv",
    "scope3_upstream.csv",
    "waste_ipcc2006.csv",
    "decree06_thresholds.csv",
)
SHARED_GRID = Path("/work/shared/data/vn_reference_figures/grid_emission_factors.csv")


def _rows(name: str) -> list[dict[str, str]]:
    text = resources.files("ecozone.ghg.factor_sets").joinpath(name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


@pytest.mark.parametrize("name", FACTOR_FILES)
def test_every_file_has_provenance(name: str) -> None:
    rows = _rows(name)
    assert rows
    for column in ("source", "edition", "status", "uncertainty_pct"):
        assert column in rows[0], f"{name} lacks {column}"
    allowed = {"official", "research_estimate"} if name == "grid_vn.csv" else {"verified", "unverified"}
    for row in rows:
        assert row["status"] in allowed
        assert row["source"].strip()


def test_grid_factors_flag_estimates() -> None:
    factors = fs.grid_factors()
    assert set(factors) == set(range(2014, 2026))
    assert {y for y, f in factors.items() if f.status == "research_estimate"} == {2024, 2025}
    assert fs.grid_factor(2022).value == 0.6766


@pytest.mark.skipif(not SHARED_GRID.exists(), reason="shared reference data not present")
def test_grid_factors_match_the_shared_reference() -> None:
    with SHARED_GRID.open(encoding="utf-8") as handle:
        shared = {int(r["year"]): (float(r["ef_tco2_per_mwh"]), r["status"]) for r in csv.DictReader(handle)}
    assert {y: (f.value, f.status) for y, f in fs.grid_factors().items()} == shared


def test_every_fuel_has_ncv_co2_ch4_n2o_and_one_default() -> None:
    for fuel in fs.fuels().values():
        assert fuel.parameter("ncv") is not None
        assert fuel.parameter("co2") is not None
        assert fuel.parameter("ch4", "stationary") is not None
        assert fuel.parameter("n2o", "stationary") is not None
    for carrier in fs.fuel_carriers():
        assert sum(f.default_for_carrier for f in fs.fuels_of_carrier(carrier)) == 1
    assert fs.fuel("coal_anthracite").parameter("density") is None
    assert fs.fuel("biomass_wood").biogenic


def test_co2_factors_equal_carbon_content_times_44_over_12() -> None:
    # carbon contents [tC/TJ], standards.md 4.4 (IPCC 1996 Table 1.1, retained in 2006)
    carbon = {"diesel": 20.2, "natural_gas": 15.3, "lpg": 17.2, "coal_other_bituminous": 25.8, "fuel_oil": 21.1, "gasoline": 18.9}
    for name, content in carbon.items():
        co2 = fs.fuel(name).parameter("co2")
        assert co2 is not None
        assert co2.value / 1000 == pytest.approx(content * 44 / 12, abs=0.06)


def test_blend_gwps_match_their_components() -> None:
    for gwp_set in fs.GWP_SETS:
        blend = fs.gwp("R-410A", gwp_set).factor.value
        assert blend == pytest.approx(0.5 * fs.gwp("R-32", gwp_set).factor.value + 0.5 * fs.gwp("HFC-125", gwp_set).factor.value)
    assert fs.gwp("r134a", "AR5").gas == "HFC-134a"
    assert not fs.gwp("R-22", "AR6").kyoto


def test_loaders_fail_with_known_names() -> None:
    with pytest.raises(NotFoundError, match="diesel"):
        fs.fuel("kerosene")
    with pytest.raises(NotFoundError, match="AR5"):
        fs.gwp("CO2", "AR4")
    with pytest.raises(NotFoundError, match="diesel"):
        fs.fuel_for_carrier("steam")
    with pytest.raises(NotFoundError, match="solid_waste"):
        fs.waste_parameters("wastewater", "landfilled")


def test_factor_table_lists_every_factor_once() -> None:
    table = fs.factor_table()
    assert table["id"].is_unique
    assert {"fuel/diesel/co2/any", "grid_vn/2014", "gwp/AR6/N2O", "upstream/td_loss_share"} <= set(table["id"])
