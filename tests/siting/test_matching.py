"""Matching: hard constraints with reasons, ordering, missing data, breakdown and sensitivity."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
import pytest

from ecozone.siting.constraints import FAILED, MET, UNKNOWN, check_park, park_status
from ecozone.siting.investor import investor_from_mapping
from ecozone.siting.matching import explain, match_document, match_parks, reasons
from ecozone.siting.profile import ParkProfile
from ecozone.siting.sensitivity import reweight, weight_ranges
from tests.siting.parks import approximate_field, built, profile, snapshot_with_tenants, snapshot_without_coordinates

REQUIREMENTS: dict[str, Any] = {"sector_vsic": "26", "land_ha": 20, "power_mw": 15, "water_m3_day": 1000, "max_km_to_seaport": 50}
WEIGHTS = {"land_available_ha": 0.5, "distance_seaport_km": 0.5}


def _investor(**changes: Any) -> Any:
    return investor_from_mapping({**REQUIREMENTS, "weights": WEIGHTS, **changes})


def _outcomes(investor: Any, park: ParkProfile) -> dict[str, str]:
    return {check.name: check.outcome for check in check_park(investor, park)}


def test_checks_met_failed_and_unknown() -> None:
    investor = _investor()
    good = profile(
        "good", land_available_ha=50.0, power_capacity_mw=100.0, water_supply_capacity_m3_day=5000.0, distance_seaport_km=10.0
    )
    assert _outcomes(investor, good) == {"land": MET, "power": MET, "water": MET, "seaport": MET}
    small = profile(
        "small", land_available_ha=5.0, power_capacity_mw=100.0, water_supply_capacity_m3_day=5000.0, distance_seaport_km=80.0
    )
    assert _outcomes(investor, small) == {"land": FAILED, "power": MET, "water": MET, "seaport": FAILED}
    silent = profile("silent", land_available_ha=50.0)
    assert _outcomes(investor, silent) == {"land": MET, "power": UNKNOWN, "water": UNKNOWN, "seaport": UNKNOWN}
    assert park_status(check_park(investor, good)) == MET
    assert park_status(check_park(investor, small)) == "excluded"
    assert park_status(check_park(investor, silent)) == "unconfirmed"
    assert park_status(check_park(investor, silent), exclude_when_unknown=True) == "excluded"


def test_power_prefers_spare_capacity_and_says_when_it_uses_the_connection_capacity() -> None:
    investor = _investor()
    spare = profile("spare", power_capacity_mw=100.0, power_available_mw=10.0)
    (power,) = [check for check in check_park(investor, spare) if check.name == "power"]
    assert power.outcome == FAILED and power.offered == 10.0 and power.note is None
    capacity = profile("capacity", power_capacity_mw=100.0)
    (power,) = [check for check in check_park(investor, capacity) if check.name == "power"]
    assert power.outcome == MET and power.note == "siting.check.note.capacity_not_spare"


def test_approximate_distance_decides_only_outside_its_uncertainty() -> None:
    investor = _investor()

    def seaport(value: float, uncertainty: float) -> str:
        park = replace(profile("p"), fields=(approximate_field("distance_seaport_km", value, uncertainty),))
        return _outcomes(investor, park)["seaport"]

    assert seaport(20.0, 25.0) == MET  # at most 45 ≤ 50
    assert seaport(40.0, 25.0) == UNKNOWN  # 15..65 straddles 50
    assert seaport(80.0, 25.0) == FAILED  # at least 55 > 50


def test_certificates_eip_and_advisory_checks() -> None:
    investor = _investor(
        required_park_certifications=["iso_14001"], require_eip=True, renewable_share_target_pct=100, workforce=500
    )
    park = profile("p", park_certifications=("iso_14001", "leed:gold"), eip_status=False, renewable_share_pct=20.0)
    checks = {check.name: check for check in check_park(investor, park)}
    assert checks["park_certifications"].outcome == MET
    assert checks["eip_status"].outcome == FAILED
    assert checks["renewable_share"].outcome == FAILED and not checks["renewable_share"].binding
    assert checks["workforce"].outcome == UNKNOWN and not checks["workforce"].binding
    assert profile("none", park_certifications=()).value("park_certifications") == ()
    no_certificate = {c.name: c.outcome for c in check_park(investor, profile("none", park_certifications=()))}
    assert no_certificate["park_certifications"] == FAILED


def _parks() -> list[ParkProfile]:
    full = {"power_capacity_mw": 100.0, "water_supply_capacity_m3_day": 5000.0}
    return [
        profile("a", land_available_ha=40.0, distance_seaport_km=30.0, **full),
        profile("b", land_available_ha=80.0, distance_seaport_km=45.0, **full),
        profile("tiny", land_available_ha=5.0, distance_seaport_km=5.0, **full),
        profile("unknown", land_available_ha=60.0, distance_seaport_km=10.0),  # power and water not published
        profile("blank", distance_seaport_km=20.0, **full),  # land not published
    ]


def test_match_excludes_with_reasons_and_ranks_confirmed_parks_first() -> None:
    result = match_parks(_investor(), _parks())
    assert [match.park_id for match in result.excluded] == ["tiny"]
    (why,) = reasons(result.excluded[0], "en")
    assert why == "Available industrial land: needs 20 ha, the park offers 5 ha."
    assert "cần 20 ha" in reasons(result.excluded[0], "vi")[0]
    assert [match.status for match in result.ranked] == ["met", "met", "unconfirmed", "unconfirmed"]
    assert {match.park_id for match in result.ranked[:2]} == {"a", "b"}
    assert [match.rank for match in result.ranked] == [1, 2, 3, 4]
    assert any(notice.key == "siting.match.unconfirmed_last" for notice in result.notices)


def test_ranking_follows_topsis_on_the_kept_parks() -> None:
    from ecozone.siting.topsis import topsis

    parks = [park for park in _parks() if park.park_id != "tiny"]
    result = match_parks(_investor(), parks)
    land = [p.value("land_available_ha") for p in parks]
    seaport = [p.value("distance_seaport_km") for p in parks]
    matrix = np.array([[np.nan if x is None else x for x in land], seaport], dtype=float).T
    expected = topsis(matrix, [0.5, 0.5], [True, False]).closeness
    closeness = {match.park_id: match.closeness for match in result.ranked}
    assert [closeness[p.park_id] for p in parks] == pytest.approx(list(expected))


def test_missing_field_is_scored_as_missing_and_said_so() -> None:
    result = match_parks(_investor(), _parks())
    blank = next(match for match in result.ranked if match.park_id == "blank")
    land = next(score for score in blank.scores if score.criterion == "land_available_ha")
    assert land.missing and land.value is None and land.position is None
    assert blank.coverage == pytest.approx(0.5)
    assert blank.missing() == ("land_available_ha",)
    sentences = explain(blank, "en")
    assert any(s == "No data (not scored as zero): Land available (ha); judged on 50% of the weight." for s in sentences)
    assert any(notice.key == "siting.match.missing_scored_as_missing" for notice in result.notices)
    land_check = next(check for check in blank.checks if check.name == "land")
    assert land_check.outcome == UNKNOWN and land_check.offered is None


def test_breakdown_explains_the_rank() -> None:
    result = match_parks(_investor(), _parks())
    b = next(match for match in result.ranked if match.park_id == "b")
    land = next(score for score in b.scores if score.criterion == "land_available_ha")
    assert land.position == pytest.approx(1.0)  # most land among the kept parks
    assert "land_available_ha" in b.strengths()
    assert "distance_seaport_km" in b.weaknesses()  # farthest from a port
    shares = [score.ideal_share for score in b.scores if score.ideal_share is not None]
    assert sum(shares) == pytest.approx(1.0)


def test_document_is_json_ready_and_bilingual() -> None:
    import json

    result = match_parks(_investor(weights={"land_available_ha": 2, "distance_seaport_km": 2}), _parks())
    document = match_document(result, "vi")
    text = json.dumps(document, ensure_ascii=False)
    assert document["weights"] == {"land_available_ha": 0.5, "distance_seaport_km": 0.5}
    assert document["excluded"][0]["reasons"][0].startswith("Đất công nghiệp còn trống")
    assert any(n["key"] == "siting.investor.weights_normalised" for n in document["notices"])
    assert "NaN" not in text


def test_no_park_left() -> None:
    result = match_parks(_investor(land_ha=10_000, exclude_when_unknown=True), _parks())
    assert result.ranked == () and len(result.excluded) == 5
    assert any(notice.key == "siting.match.none_left" for notice in result.notices)


def test_sensitivity_by_hand() -> None:
    # Two parks, two benefit criteria: A = (2, 1), B = (1, 2), weights (w, 1 - w).
    # Vector normalisation divides both columns by √5, so C_A = w and C_B = 1 - w:
    # A leads while w > 0.5; the c1 weight 0.7 can fall to 0.5, the c2 weight 0.3 can rise to 0.5.
    values = np.array([[2.0, 1.0], [1.0, 2.0]])

    def leader(vector: np.ndarray) -> str:
        from ecozone.siting.topsis import topsis

        closeness = topsis(values, vector, [True, True]).closeness
        return "A" if closeness[0] >= closeness[1] else "B"

    first, second = weight_ranges(["c1", "c2"], [0.7, 0.3], leader)
    assert first.lower == pytest.approx(0.5, abs=1e-3) and first.lower_successor == "B"
    assert first.upper is None and first.room_up is None
    assert first.room_down == pytest.approx(0.2, abs=1e-3)
    assert second.upper == pytest.approx(0.5, abs=1e-3) and second.upper_successor == "B"
    assert second.lower is None


def test_reweight_keeps_the_sum_and_proportions() -> None:
    moved = reweight(np.array([0.5, 0.3, 0.2]), 0, 0.2)
    assert moved.sum() == pytest.approx(1.0)
    assert moved[1] / moved[2] == pytest.approx(0.3 / 0.2)


def test_match_sensitivity_names_the_park_that_takes_over() -> None:
    parks = [
        profile(
            "land-rich",
            land_available_ha=100.0,
            distance_seaport_km=60.0,
            power_capacity_mw=50.0,
            water_supply_capacity_m3_day=2000.0,
        ),
        profile(
            "port-side",
            land_available_ha=30.0,
            distance_seaport_km=5.0,
            power_capacity_mw=50.0,
            water_supply_capacity_m3_day=2000.0,
        ),
    ]
    result = match_parks(_investor(max_km_to_seaport=100, weights={"land_available_ha": 0.7, "distance_seaport_km": 0.3}), parks)
    assert result.ranked[0].park_id == "land-rich"
    land = next(item for item in result.sensitivity if item.criterion == "land_available_ha")
    assert land.lower is not None and 0 < land.lower < 0.7 and land.lower_successor == "port-side"


def test_real_profiles_from_snapshots() -> None:
    parks = [built(snapshot_with_tenants()), built(snapshot_without_coordinates())]
    investor = investor_from_mapping({"sector_vsic": "26", "land_ha": 20, "max_km_to_seaport": 200})
    result = match_parks(investor, parks)
    first = result.ranked[0]
    assert first.park_id == "p-hcm" and first.status == "met"
    same_sector = next(score for score in first.scores if score.criterion == "same_sector_firms")
    assert same_sector.value == 2.0  # two tenants in VSIC division 26
    assert result.ranked[1].status == "unconfirmed"
    assert any(notice.key == "siting.match.approximate_distances" for notice in result.notices)
