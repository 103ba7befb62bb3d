"""Reference data: provenance columns, the catalogue of the issue, taxonomy and messages."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from ecozone.decarbonisation.catalogue import EFFECT_MODELS, END_USES, end_use_shares, measures
from ecozone.decarbonisation.emission_factors import grid_factor_for, grid_scenarios
from ecozone.decarbonisation.taxonomy import taxonomy_conditions, taxonomy_types
from ecozone.i18n import catalogue

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "ecozone" / "decarbonisation"
ISSUE_MEASURES = (
    "pv_rooftop",
    "battery_storage",
    "led_lighting",
    "variable_speed_drives",
    "compressed_air_leaks",
    "efficient_chillers",
    "heat_pump_process_heat",
    "boiler_to_biomass",
    "boiler_to_gas",
    "boiler_to_electric",
    "waste_heat_recovery",
    "green_power_dppa",
    "recycled_water",
    "electric_forklifts",
    "tree_planting",
)


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.csv")), ids=lambda p: p.name)
def test_every_csv_has_provenance(path: Path) -> None:
    with path.open(encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        header = reader.fieldnames or []
        rows = list(reader)
    assert "source" in header
    assert "status" in header
    assert "edition" in header or "date" in header
    assert all(row["status"] in {"verified", "unverified"} for row in rows)
    assert all(row["source"].strip() for row in rows)


def test_catalogue_holds_every_measure_of_the_issue() -> None:
    catalogue_ids = set(measures())
    assert set(ISSUE_MEASURES) <= catalogue_ids
    for measure in measures().values():
        assert measure.model in EFFECT_MODELS
        assert measure.source and measure.status in {"verified", "unverified"}
        assert measure.lifetime_years > 0
        assert measure.capex_vnd_per_unit >= 0
        assert measure.min_size >= 0


def test_costs_in_usd_use_the_dated_exchange_rate() -> None:
    led = measures()["led_lighting"]
    assert led.currency == "USD"
    assert led.exchange_rate_vnd == 23942
    assert led.capex_vnd_per_unit == pytest.approx(80 * 23942)


def test_end_use_shares_fall_back_to_the_default_row() -> None:
    assert end_use_shares("2610").sector == "electronics"
    unknown = end_use_shares("9999")
    assert unknown.vsic_division == "default"
    assert set(unknown.shares) == set(END_USES)


def test_taxonomy_types_of_the_catalogue_exist() -> None:
    types = taxonomy_types()
    for measure in measures().values():
        assert not measure.taxonomy_type or measure.taxonomy_type in types
    assert all(t.status == "unverified" for t in types.values())
    assert {c.condition for c in taxonomy_conditions()} == {"environmental_permit", "appendix_i", "certification"}


def test_grid_trajectory_reaches_2050_and_keeps_published_years() -> None:
    assert set(grid_scenarios()) >= {"linear_to_zero_2050", "frozen_2025"}
    assert grid_factor_for(2023).value == pytest.approx(0.6592)
    assert grid_factor_for(2023).status == "verified"
    assert grid_factor_for(2050).value == pytest.approx(0.0)
    assert grid_factor_for(2050, "frozen_2025").value == pytest.approx(0.6235)
    assert grid_factor_for(2040).status == "unverified"
    assert grid_factor_for(2060).value == pytest.approx(0.0)


def test_every_message_key_used_in_the_code_exists() -> None:
    sources = [*PACKAGE.rglob("*.py"), PACKAGE.parents[0] / "cli" / "decarbonisation.py"]
    used = set()
    for path in sources:
        used |= set(re.findall(r'"(decarbonisation\.[a-z_0-9.]+[a-z0-9_])"', path.read_text(encoding="utf-8")))
    known = catalogue()
    missing = sorted(k for k in used if k not in known)
    assert not missing
    for key, entry in known.items():
        if key.startswith("decarbonisation."):
            assert entry.get("vi") and entry.get("en"), key
