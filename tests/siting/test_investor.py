"""Investor profiles: validation of every bad input, weight normalisation, AHP, YAML and XLSX."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ecozone.errors import FileFormatError
from ecozone.siting.criteria import CRITERION_NAMES
from ecozone.siting.errors import InvestorProfileError
from ecozone.siting.investor import investor_from_mapping, load_investor

BASE: dict[str, Any] = {"name": "Test", "sector_vsic": "26", "land_ha": 20, "power_mw": 15}


def _problems(data: dict[str, Any]) -> list[str]:
    with pytest.raises(InvestorProfileError) as error:
        investor_from_mapping(data, "test.yaml")
    return [key for key, _ in error.value.problems]


def test_a_valid_profile() -> None:
    investor = investor_from_mapping({**BASE, "weights": {"land_available_ha": 0.6, "distance_seaport_km": 0.4}})
    assert investor.land_ha == 20.0 and investor.power_mw == 15.0
    assert investor.sector_vsic == "26" and investor.sector_division == "26"
    assert investor.weights == {"land_available_ha": 0.6, "distance_seaport_km": 0.4}
    assert investor.weight_origin == "stated"
    assert investor.notices == ()


def test_lenient_sector_code_is_normalised() -> None:
    assert investor_from_mapping({**BASE, "sector_vsic": "C 26.10"}).sector_vsic == "2610"


def test_negative_sizes_are_rejected_all_at_once() -> None:
    keys = _problems({**BASE, "land_ha": -5, "power_mw": -1, "water_m3_day": "lots"})
    assert keys == ["siting.investor.negative", "siting.investor.negative", "siting.investor.not_a_number"]


def test_zero_land_and_out_of_range_percentages_are_rejected() -> None:
    assert _problems({**BASE, "land_ha": 0}) == ["siting.investor.not_positive"]
    assert _problems({**BASE, "renewable_share_target_pct": 120}) == ["siting.investor.percent"]


def test_unknown_sector_code() -> None:
    with pytest.raises(InvestorProfileError) as error:
        investor_from_mapping({**BASE, "sector_vsic": "34"}, "bad.yaml")
    assert [key for key, _ in error.value.problems] == ["siting.investor.unknown_sector"]
    assert "'34'" in error.value.message("en") and "bad.yaml" in error.value.message("en")
    assert "VSIC 2018" in error.value.message("vi")


def test_missing_required_fields_unknown_fields_criteria_and_schemes() -> None:
    keys = _problems({"land": 3, "weights": {"beauty": 1}, "required_park_certifications": ["iso_9999"]})
    assert set(keys) == {
        "siting.investor.unknown_field",
        "siting.investor.missing",
        "siting.investor.unknown_criterion",
        "siting.investor.unknown_certification",
    }


def test_weights_not_summing_to_one_are_normalised_and_said_so() -> None:
    investor = investor_from_mapping({**BASE, "weights": {"land_available_ha": 3, "distance_seaport_km": 1, "eip_status": 0}})
    assert investor.weights == pytest.approx({"land_available_ha": 0.75, "distance_seaport_km": 0.25})
    (notice,) = investor.notices
    assert notice.key == "siting.investor.weights_normalised"
    assert "4" in notice.text("en") and "chuẩn hóa" in notice.text("vi")


def test_all_zero_weights_are_rejected() -> None:
    assert _problems({**BASE, "weights": {"land_available_ha": 0}}) == ["siting.investor.weights_zero"]


def test_no_weights_means_equal_weights_and_a_notice() -> None:
    investor = investor_from_mapping(BASE)
    assert investor.weight_origin == "equal"
    assert investor.weights == pytest.approx(dict.fromkeys(CRITERION_NAMES, 1 / len(CRITERION_NAMES)))
    assert [notice.key for notice in investor.notices] == ["siting.investor.equal_weights"]


def test_ahp_comparisons_replace_stated_weights() -> None:
    ahp = {
        "criteria": ["land_available_ha", "power_capacity_mw", "distance_seaport_km"],
        "matrix": [[1, 3, 5], [1 / 3, 1, 3], [1 / 5, 1 / 3, 1]],
    }
    investor = investor_from_mapping({**BASE, "weights": {"land_available_ha": 1}, "ahp": ahp})
    assert investor.weight_origin == "ahp"
    assert investor.weights == pytest.approx(
        {"land_available_ha": 0.637, "power_capacity_mw": 0.258, "distance_seaport_km": 0.105}, abs=1e-3
    )
    assert [notice.key for notice in investor.notices] == ["siting.investor.ahp_replaces_weights"]


def test_inconsistent_ahp_is_accepted_with_a_warning() -> None:
    ahp = {
        "criteria": ["land_available_ha", "power_capacity_mw", "distance_seaport_km"],
        "matrix": [[1, 9, 1 / 9], [1 / 9, 1, 9], [9, 1 / 9, 1]],
    }
    investor = investor_from_mapping({**BASE, "ahp": ahp})
    assert [notice.key for notice in investor.notices] == ["siting.ahp.inconsistent"]
    assert investor.ahp is not None and investor.ahp.consistency_ratio is not None and investor.ahp.consistency_ratio > 0.1


def test_bad_ahp_matrix_is_a_problem() -> None:
    ahp = {"criteria": ["land_available_ha", "power_capacity_mw"], "matrix": [[1, 2, 3], [1, 1, 1]]}
    assert _problems({**BASE, "ahp": ahp}) == ["siting.ahp.not_square"]
    assert _problems({**BASE, "ahp": {"matrix": [[1]]}}) == ["siting.investor.ahp_shape"]


def test_yaml_file(tmp_path: Path) -> None:
    path = tmp_path / "investor.yaml"
    path.write_text(
        'sector_vsic: "26"\nland_ha: 20\nrequired_park_certifications: [ISO 14001]\nrequire_eip: yes\n', encoding="utf-8"
    )
    investor = load_investor(path)
    assert investor.required_park_certifications == ("iso_14001",)
    assert investor.require_eip is True
    assert investor.source == "investor.yaml"
    path.write_text("- a list\n", encoding="utf-8")
    with pytest.raises(FileFormatError):
        load_investor(path)
    with pytest.raises(FileFormatError):
        load_investor(tmp_path / "missing.yaml")


def test_xlsx_file_with_weights_and_an_ahp_sheet(tmp_path: Path) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "investor"
    for row in (
        ("field", "value"),
        ("sector_vsic", "26"),
        ("land_ha", 12),
        ("max_km_to_seaport", 80),
        ("weight:land_available_ha", 2),
    ):
        sheet.append(row)
    ahp = workbook.create_sheet("ahp")
    for row in (("", "land_available_ha", "distance_seaport_km"), ("land_available_ha", 1, 3), ("distance_seaport_km", 1 / 3, 1)):
        ahp.append(row)
    path = tmp_path / "investor.xlsx"
    workbook.save(path)
    investor = load_investor(path)
    assert investor.land_ha == 12 and investor.max_km_to_seaport == 80
    assert investor.weight_origin == "ahp"
    assert investor.weights == pytest.approx({"land_available_ha": 0.75, "distance_seaport_km": 0.25})


def test_the_demo_investor_is_valid() -> None:
    from ecozone.cli.siting import demo_investor_path

    investor = load_investor(demo_investor_path())
    assert investor.sector_vsic == "26" and investor.land_ha == 20 and investor.power_mw == 15
    assert investor.renewable_share_target_pct == 100
    assert sum((investor.weights or {}).values()) == pytest.approx(1.0)
    assert [notice.key for notice in investor.notices] == ["siting.investor.weights_normalised"]
