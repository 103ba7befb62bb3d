"""Park profiles: fields from the registry, derived values, engine results and provenance."""

from __future__ import annotations

import json

import pytest

from ecozone.siting.errors import UnknownProfileFieldError
from ecozone.siting.profile import ENGINE_FIELDS, FIELD_NAMES
from tests.siting.parks import built, snapshot_with_tenants, snapshot_without_coordinates


def test_every_field_is_present_in_order_with_a_source() -> None:
    profile = built(snapshot_with_tenants())
    assert tuple(item.name for item in profile.fields) == FIELD_NAMES
    assert all(item.source for item in profile.fields)
    json.dumps(profile.as_dict())  # JSON-ready


def test_registry_and_derived_fields() -> None:
    profile = built(snapshot_with_tenants())
    assert profile.value("land_available_ha") == pytest.approx(300.0 - 255.5)
    assert profile.value("occupancy_pct") == pytest.approx(round(100 * 255.5 / 300, 1))
    assert profile.value("power_capacity_mw") == 120.0
    assert profile.value("wastewater_capacity_m3_day") is None
    assert profile.field("power_capacity_mw").as_of == "2025-05-01"  # type: ignore[union-attr]
    assert "test fixture" in profile.field("power_capacity_mw").source  # type: ignore[union-attr]
    assert profile.value("employees_in_park") == 1500
    assert profile.value("firms_count") == 3
    assert profile.value("sectors_present") == {"13": 1, "26": 2}
    assert profile.value("voltage_levels") == ("22_110kv",)


def test_certificates_count_only_when_valid_on_the_day() -> None:
    profile = built(snapshot_with_tenants())
    assert profile.value("park_certifications") == ("iso_14001",)
    # f2's ISO 14001 expired; its ISO 45001 is not a green scheme
    assert profile.value("firm_certifications") == {"iso_14001": 1, "iso_45001": 1}
    assert profile.value("green_certified_firms_share_pct") == pytest.approx(100 / 3, abs=0.05)
    assert profile.value("eip_status") is False


def test_distances_are_exact_with_coordinates_and_approximate_without() -> None:
    exact = built(snapshot_with_tenants()).field("distance_seaport_km")
    assert exact is not None and not exact.approximate and exact.uncertainty is None
    assert exact.value < 5
    assert "Cát Lái" in (exact.note or "")
    approximate = built(snapshot_without_coordinates()).field("distance_airport_km")
    assert approximate is not None and approximate.approximate
    assert approximate.uncertainty is not None and approximate.uncertainty > 0
    assert "representative point" in approximate.source


def test_missing_registry_values_and_engine_results_are_not_available() -> None:
    profile = built(snapshot_without_coordinates())
    for name in ("land_available_ha", "power_capacity_mw", "sectors_present", "green_certified_firms_share_pct", *ENGINE_FIELDS):
        item = profile.field(name)
        assert item is not None and item.value is None and not item.available, name
    assert profile.field("assessment_score").source.startswith("not available")  # type: ignore[union-attr]


def test_engine_results_enter_with_their_provenance() -> None:
    profile = built(
        snapshot_with_tenants(),
        assessment_score=72.5,
        renewable_share_pct={"value": 18.0, "source": "ghg engine 2024 inventory", "as_of": "2025-01-31"},
    )
    assert profile.value("assessment_score") == 72.5
    assert profile.field("assessment_score").as_of == "2025-06-01"  # type: ignore[union-attr]
    renewable = profile.field("renewable_share_pct")
    assert renewable is not None and renewable.value == 18.0 and renewable.source == "ghg engine 2024 inventory"
    assert renewable.as_of == "2025-01-31" and renewable.unit == "%"


def test_engine_results_cannot_overwrite_registry_fields_or_invent_fields() -> None:
    with pytest.raises(UnknownProfileFieldError):
        built(snapshot_with_tenants(), power_capacity_mw=999.0)
    with pytest.raises(UnknownProfileFieldError):
        built(snapshot_with_tenants(), favourite_colour="green")


def test_only_keeps_the_named_fields() -> None:
    profile = built(snapshot_with_tenants()).only(["land_available_ha", "latitude"])
    assert [item.name for item in profile.fields] == ["latitude", "land_available_ha"]
    assert profile.value("power_capacity_mw") is None
    assert "power_capacity_mw" not in json.dumps(profile.as_dict())
    with pytest.raises(UnknownProfileFieldError):
        built(snapshot_with_tenants()).only(["no_such_field"])
