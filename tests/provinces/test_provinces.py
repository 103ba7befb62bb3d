"""The 63 → 34 provinces: counts, the mapping both ways, names, boundaries."""

from __future__ import annotations

import pytest
from shapely.geometry import Point, shape

from ecozone.errors import NotFoundError
from ecozone.provinces import ATTRIBUTION, boundaries, centroids, predecessors, provinces, resolve_province


def test_counts_and_every_old_province_has_one_successor() -> None:
    old, new = provinces("2008"), provinces("2025")
    assert (len(old), len(new)) == (63, 34)
    assert all(p.successor_code in new for p in old.values())
    merged = sorted(code for unit in new for code in (p.code for p in predecessors(unit)))
    assert merged == sorted(old)


@pytest.mark.parametrize(
    ("text", "old", "new"),
    [
        ("74", "74", "79"),  # Bình Dương merged into Thành phố Hồ Chí Minh
        ("Bình Dương", "74", "79"),
        ("binh duong", "74", "79"),
        ("Bà Rịa–Vũng Tàu", "77", "79"),
        ("Ho Chi Minh City", "79", "79"),
        ("Hà Giang", "02", "08"),
        ("Thành phố Cần Thơ", None, "92"),  # the 2025 unit's exact name: its old province is unknown
        ("Cần Thơ", "92", "92"),
        ("Cao Bằng", "04", "04"),
    ],
)
def test_resolution_into_both_layouts(text: str, old: str | None, new: str) -> None:
    reference = resolve_province(text)
    assert (reference.old_code, reference.new_code) == (old, new)


def test_unchanged_unit_named_in_the_2025_layout_keeps_its_old_code() -> None:
    assert resolve_province("04", "2025").old_code == "04"


def test_back_from_a_new_unit_to_its_old_provinces() -> None:
    assert {p.name for p in predecessors("79")} == {"Bình Dương", "Bà Rịa - Vũng Tàu", "TP. Hồ Chí Minh"}
    with pytest.raises(NotFoundError):
        predecessors("74")  # not a 2025 code


def test_unknown_province_and_layout() -> None:
    with pytest.raises(NotFoundError, match="Atlantis"):
        resolve_province("Atlantis")
    with pytest.raises(NotFoundError):
        provinces("1999")


@pytest.mark.parametrize(("layout", "features", "codes"), [("2008", 64, 63), ("2025", 34, 34)])
def test_boundaries_cover_every_province(layout: str, features: int, codes: int) -> None:
    collection = boundaries(layout)
    assert len(collection["features"]) == features
    assert {f["properties"]["code"] for f in collection["features"]} == set(provinces(layout))
    assert len(centroids(layout)) == codes
    assert "geoBoundaries" in ATTRIBUTION


def test_representative_points_fall_inside_their_province() -> None:
    shapes = {f["properties"]["code"]: shape(f["geometry"]) for f in boundaries("2025")["features"]}
    for code, (latitude, longitude) in centroids("2025").items():
        assert shapes[code].contains(Point(longitude, latitude)), code
