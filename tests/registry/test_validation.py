"""Row validation: values, cross-field checks, references, every problem reported."""

from __future__ import annotations

import json
from datetime import date

import pytest

from ecozone.registry.files import RawTable
from ecozone.registry.schema import entity_schema
from ecozone.registry.validation import CellError, RegistryIndex, parse_date, parse_number, parse_value, validate_table

PARK = {"id": "p1", "name_vi": "KCN Một", "province": "Bình Dương", "park_type": "general", "status": "operating"}


def _validate(entity: str, rows: list[dict[str, object]], index: RegistryIndex | None = None) -> list[tuple[int, str, str]]:
    result = validate_table(entity, RawTable.from_records("t.csv", rows), index or RegistryIndex())
    return [(p.row, p.column, p.key) for p in result.problems]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1234.5", 1234.5), ("1,234.5", 1234.5), ("-3", -3.0), ("12,345,678", 12345678.0), (7, 7.0), (" 2.5 ", 2.5)],
)
def test_numbers_with_a_decimal_point(text: object, expected: float) -> None:
    assert parse_number(text) == expected


@pytest.mark.parametrize(
    ("text", "key"), [("1.234,5", "problem.vietnamese_number"), ("12,5", "problem.vietnamese_number"), ("abc", "problem.number")]
)
def test_vietnamese_numbers_are_refused_unless_asked(text: str, key: str) -> None:
    with pytest.raises(CellError) as caught:
        parse_number(text)
    assert caught.value.key == key


def test_vietnamese_numbers_when_asked() -> None:
    assert parse_number("1.234,5", decimal_comma=True) == 1234.5
    assert parse_number("12,5", decimal_comma=True) == 12.5
    with pytest.raises(CellError, match="decimal point"):
        parse_number("1,234.5", decimal_comma=True)


def test_dates_iso_and_day_first() -> None:
    assert parse_date("2024-03-01") == date(2024, 3, 1)
    assert parse_date("01/03/2024") == date(2024, 3, 1)
    with pytest.raises(CellError):
        parse_date("2024-13-01")


def test_codes_accept_vietnamese_labels_without_accents() -> None:
    status = entity_schema("park").attribute("status")
    assert parse_value(status, "Đang hoạt động") == "operating"
    assert parse_value(status, "dang hoat dong") == "operating"
    with pytest.raises(CellError):
        parse_value(status, "closed")


def test_valid_park_row_gives_both_province_codes() -> None:
    result = validate_table("park", RawTable.from_records("t.csv", [PARK]), RegistryIndex())
    assert result.problems == ()
    (record,) = result.records
    assert (record["province_old_code"], record["province_new_code"]) == ("74", "79")


def test_area_ordering_and_coordinates_checked() -> None:
    row = {**PARK, "total_area_ha": 100, "industrial_land_ha": 120, "leased_land_ha": 130, "latitude": 10.9}
    assert _validate("park", [row]) == [
        (1, "industrial_land_ha", "problem.not_greater"),
        (1, "leased_land_ha", "problem.not_greater"),
        (1, "latitude", "problem.coordinates_pair"),
    ]


def test_coordinates_outside_viet_nam_are_refused() -> None:
    assert _validate("park", [{**PARK, "latitude": 48.85, "longitude": 2.35}]) == [
        (1, "latitude", "problem.above_maximum"),
        (1, "longitude", "problem.below_minimum"),
    ]


def test_boundary_must_be_a_valid_polygon_in_viet_nam() -> None:
    square = {"type": "Polygon", "coordinates": [[[106.6, 10.9], [106.7, 10.9], [106.7, 11.0], [106.6, 11.0], [106.6, 10.9]]]}
    bowtie = {"type": "Polygon", "coordinates": [[[106.6, 10.9], [106.7, 11.0], [106.7, 10.9], [106.6, 11.0], [106.6, 10.9]]]}
    assert _validate("park", [{**PARK, "boundary": json.dumps(square)}]) == []
    assert _validate("park", [{**PARK, "boundary": json.dumps(bowtie)}]) == [(1, "boundary", "problem.geometry")]
    assert _validate("park", [{**PARK, "boundary": "not json"}]) == [(1, "boundary", "problem.geometry")]


def test_unknown_and_missing_columns_are_reported() -> None:
    rows = [{"id": "p1", "name_vi": "A", "province": "74", "park_type": "general", "colour": "red"}]
    assert _validate("park", rows) == [(1, "colour", "problem.unknown_column"), (1, "status", "problem.missing_column")]


def test_duplicate_keys_in_one_file() -> None:
    assert _validate("park", [PARK, {**PARK, "name_vi": "B"}]) == [(2, "id", "problem.duplicate_key")]


def test_vietnamese_column_names() -> None:
    row = {"ma_kcn": "p1", "ten_kcn": "KCN", "tinh": "Đồng Nai", "loai_hinh": "khu che xuat", "trang_thai": "quy hoạch"}
    result = validate_table("park", RawTable.from_records("t.csv", [row]), RegistryIndex())
    assert result.problems == ()
    assert result.records[0]["park_type"] == "export_processing"
    assert result.records[0]["status"] == "planned"


def test_references_to_parks_and_firms() -> None:
    index = RegistryIndex(parks=frozenset({"p1", "p2"}), firm_parks={"f1": "p1"})
    meter = {
        "id": "m1",
        "park_id": "p2",
        "owner_kind": "firm",
        "firm_id": "f1",
        "carrier": "electricity",
        "unit": "kWh",
        "reading_kind": "interval",
    }
    assert _validate("meter", [meter], index) == [(1, "firm_id", "problem.firm_other_park")]
    assert _validate("meter", [{**meter, "park_id": "p9"}], index) == [
        (1, "park_id", "problem.reference"),
        (1, "firm_id", "problem.firm_other_park"),
    ]
    assert _validate("meter", [{**meter, "park_id": "p1"}], index) == []


def test_meter_owner_and_unit_rules() -> None:
    index = RegistryIndex(parks=frozenset({"p1"}), firm_parks={"f1": "p1"})
    base = {
        "id": "m1",
        "park_id": "p1",
        "owner_kind": "park",
        "carrier": "electricity",
        "unit": "MWh",
        "reading_kind": "cumulative",
    }
    assert _validate("meter", [base], index) == []
    assert _validate("meter", [{**base, "unit": "m3"}], index) == [(1, "unit", "problem.unit_carrier")]
    assert _validate("meter", [{**base, "unit": "furlong"}], index) == [(1, "unit", "problem.unit")]
    assert _validate("meter", [{**base, "firm_id": "f1"}], index) == [(1, "firm_id", "problem.owner_park_with_firm")]
    assert _validate("meter", [{**base, "owner_kind": "firm"}], index) == [(1, "firm_id", "problem.owner_firm_missing")]


def test_certification_levels_and_dates() -> None:
    index = RegistryIndex(parks=frozenset({"p1"}), firm_parks={"f1": "p1"})
    cert = {
        "holder_kind": "firm",
        "holder_id": "f1",
        "scheme": "LEED",
        "level": "Gold",
        "valid_from": "2023-01-01",
        "valid_to": "2026-01-01",
    }
    result = validate_table("certification", RawTable.from_records("c.csv", [cert]), index)
    assert result.problems == ()
    assert result.records[0]["level"] == "gold"
    assert _validate("certification", [{**cert, "level": "diamond"}], index) == [(1, "level", "problem.level")]
    assert _validate("certification", [{**cert, "scheme": "ISO 14001"}], index) == [(1, "level", "problem.level_not_rated")]
    assert _validate("certification", [{**cert, "valid_to": "2022-01-01"}], index) == [(1, "valid_to", "problem.not_before")]
    assert _validate("certification", [{**cert, "holder_id": "f9"}], index) == [(1, "holder_id", "problem.reference")]


def test_every_problem_of_every_row_is_reported() -> None:
    rows = [PARK, {**PARK, "id": "p2", "province": "Atlantis", "status": "weird", "total_area_ha": "1.234,5"}, {**PARK, "id": ""}]
    assert _validate("park", rows) == [
        (2, "province", "problem.province"),
        (2, "status", "problem.code"),
        (2, "total_area_ha", "problem.vietnamese_number"),
        (3, "id", "problem.identifier"),
    ]


def test_text_longer_than_its_column_is_refused() -> None:
    assert _validate("park", [{**PARK, "name_vi": "K" * 201}]) == [(1, "name_vi", "problem.too_long")]
    assert _validate("park", [{**PARK, "name_vi": "K" * 200}]) == []
