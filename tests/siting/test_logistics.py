"""Logistics nodes: table integrity, great-circle distances and the province fallback."""

from __future__ import annotations

import math

import pytest

from ecozone.siting.logistics import (
    EARTH_RADIUS_KM,
    NODE_KINDS,
    haversine_km,
    logistics_nodes,
    nearest_node,
    park_location,
    province_extent_km,
)
from tests.siting.parks import snapshot_with_tenants, snapshot_without_coordinates


def test_every_node_has_a_source_status_and_a_position_in_viet_nam() -> None:
    nodes = logistics_nodes()
    assert {node.kind for node in nodes} == set(NODE_KINDS)
    assert len({node.id for node in nodes}) == len(nodes)
    for node in nodes:
        assert node.source.startswith("http")
        assert node.status in ("verified", "unverified")
        assert 8.0 < node.latitude < 23.5 and 102.0 < node.longitude < 110.0, node.id
    assert any(node.kind == "airport" and node.detail == "international" for node in nodes)


def test_haversine_by_hand() -> None:
    # one degree of latitude along a meridian is 2πR/360
    assert haversine_km(10.0, 106.0, 11.0, 106.0) == pytest.approx(2 * math.pi * EARTH_RADIUS_KM / 360)
    # on the equator too, for longitude; and symmetric, zero on itself
    assert haversine_km(0.0, 100.0, 0.0, 101.0) == pytest.approx(2 * math.pi * EARTH_RADIUS_KM / 360)
    assert haversine_km(21.0, 105.8, 10.8, 106.7) == pytest.approx(haversine_km(10.8, 106.7, 21.0, 105.8))
    assert haversine_km(16.0, 108.2, 16.0, 108.2) == 0.0
    # Noi Bai to Tan Son Nhat: about 1,140 km as the crow flies
    assert 1100 < haversine_km(21.2212, 105.8072, 10.8189, 106.6519) < 1180


def test_nearest_node_is_the_minimum_over_its_kind() -> None:
    nearest = nearest_node(10.77, 106.79, "seaport")
    seaports = [node for node in logistics_nodes() if node.kind == "seaport"]
    assert nearest.distance_km == pytest.approx(min(haversine_km(10.77, 106.79, n.latitude, n.longitude) for n in seaports))
    assert nearest.node.id == "port-cat-lai"
    airport = nearest_node(10.77, 106.79, "airport")
    assert airport.node.detail == "international"


def test_park_with_coordinates_is_exact() -> None:
    location = park_location(snapshot_with_tenants().park)
    assert (location.latitude, location.longitude, location.basis) == (10.77, 106.79, "coordinates")
    assert not location.approximate
    assert location.uncertainty_km == 0.0


def test_park_without_coordinates_falls_back_to_its_province_and_is_approximate() -> None:
    from ecozone.provinces import centroids

    location = park_location(snapshot_without_coordinates().park)
    assert location.approximate
    assert location.basis == "province_2008"
    assert (location.latitude, location.longitude) == centroids("2008")["37"]
    assert location.uncertainty_km == pytest.approx(province_extent_km("2008", "37"))
    assert 10 < location.uncertainty_km < 100


def test_park_known_only_in_the_2025_layout_uses_that_layout() -> None:
    from dataclasses import replace

    from ecozone.provinces import centroids

    park = replace(snapshot_without_coordinates().park, province_old_code=None, province_new_code="79")
    location = park_location(park)
    assert location.basis == "province_2025"
    assert (location.latitude, location.longitude) == centroids("2025")["79"]
