import copy
import math
from importlib import resources
from typing import Any

import pytest
import yaml

from ecozone.demo.assumptions import demo_assumptions, parse_assumptions
from ecozone.errors import ReferenceDataError
from ecozone.registry.schema import vocabulary


def raw_assumptions() -> dict[str, Any]:
    text = resources.files("ecozone.demo").joinpath("data", "synthetic_assumptions.yaml").read_text(encoding="utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    return data


def test_file_states_its_provenance() -> None:
    raw = raw_assumptions()
    assert raw["status"] == "unverified"
    assert "synthetic" in raw["source"].lower()
    assert raw["edition"]
    for sector in raw["sectors"].values():
        assert sector["source"] and sector["status"] == "unverified"
    for section in ("investor_countries", "size_classes", "certifications"):
        assert raw[section]["source"] and raw[section]["status"] == "unverified"


def test_shipped_assumptions_are_consistent() -> None:
    assumptions = demo_assumptions()
    assert math.isclose(sum(s.share for s in assumptions.sectors), 1.0)
    assert math.isclose(sum(assumptions.investor_countries.values()), 1.0)
    for sector in assumptions.sectors:
        assert sector.roof_usable_share[1] <= 1  # roof never larger than the footprint
        assert sector.building_coverage[1] < 0.7
        assert sector.storeys[0] >= 1
        assert sector.land_area_ha[0] > 0
    schemes = vocabulary("certification_scheme")
    for scheme in assumptions.certifications.firm_schemes:
        assert set(scheme.levels) <= set(schemes[scheme.scheme].get("levels", []))
    assert assumptions.sector("chemicals").vsic_code == "20"


def test_unknown_sector_fails_helpfully() -> None:
    with pytest.raises(ReferenceDataError, match="electronics"):
        demo_assumptions().sector("shipbuilding")


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (("sectors", "electronics", "share"), 0.5, "sum to"),
        (("investor_countries", "shares", "VN"), 0.9, "sum to"),
        (("sectors", "food", "land_area_ha"), [5, 1], "low <= high"),
        (("sectors", "food", "meters", "lpg"), 1.5, "probability"),
        (("certifications", "firm_schemes", "leed", "levels"), {"diamond": 1.0}, "levels"),
        (("certifications", "firm_schemes", "iso_9001"), {"share": 0.1, "validity_years": 3}, "unknown certification scheme"),
    ],
)
def test_malformed_assumptions_are_rejected(path: tuple[str, ...], value: object, message: str) -> None:
    raw = copy.deepcopy(raw_assumptions())
    target = raw
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    with pytest.raises(ReferenceDataError, match=message):
        parse_assumptions(raw)


def test_missing_sector_field_is_named() -> None:
    raw = copy.deepcopy(raw_assumptions())
    del raw["sectors"]["metal"]["products"]
    with pytest.raises(ReferenceDataError, match="metal: missing products"):
        parse_assumptions(raw)
