import csv
from importlib import resources

import pytest

from ecozone.demo.reference_parks import park_slug, park_type_from_facts, reference_park_facts, reference_park_rows
from ecozone.provinces import resolve_province
from ecozone.registry.schema import entity_schema, vocabulary

EXPECTED_IDS = [
    "tra-noc-1",
    "tra-noc-2",
    "hung-phu-1",
    "da-nang",
    "da-nang-seafood-services",
    "hoa-khanh",
    "khanh-phu",
    "gian-khau",
    "deep-c-hai-phong-1-dinh-vu",
    "deep-c-hai-phong-2",
    "nhon-trach-5",
    "hiep-phuoc",
    "amata-bien-hoa",
]


def test_thirteen_parks_with_stable_ids() -> None:
    rows = reference_park_rows()
    assert [row["id"] for row in rows] == EXPECTED_IDS


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Tra Noc I Industrial Park", "tra-noc-1"),
        ("Tra Noc II Industrial Park", "tra-noc-2"),
        ("DEEP C Hai Phong I (Dinh Vu IZ)", "deep-c-hai-phong-1-dinh-vu"),
        ("Amata Industrial Park (Bien Hoa)", "amata-bien-hoa"),
        ("Khu công nghiệp Đình Vũ", "khu-cong-nghiep-dinh-vu"),
    ],
)
def test_park_slug(name: str, slug: str) -> None:
    assert park_slug(name) == slug


def test_rows_follow_the_park_attribute_table() -> None:
    names = entity_schema("park").names
    required = [a.name for a in entity_schema("park").attributes if a.required]
    for row in reference_park_rows():
        assert tuple(row) == names
        for name in required:
            assert row[name] not in (None, ""), (row["id"], name)
        assert row["park_type"] in vocabulary("park_type")
        assert row["status"] in vocabulary("park_status")
        assert row["is_synthetic"] is False


def test_every_province_resolves_to_the_facts_2025_unit() -> None:
    new_names = {fact["name_en"]: fact["province_new_2025"] for fact in reference_park_facts()}
    for row in reference_park_rows():
        reference = resolve_province(str(row["province"]))
        assert reference.old_code is not None
        assert reference.new_code == resolve_province(new_names[str(row["name_en"])], layout="2025").new_code


def test_values_are_copied_not_invented() -> None:
    rows = {row["id"]: row for row in reference_park_rows()}
    tra_noc_1 = rows["tra-noc-1"]
    assert tra_noc_1["total_area_ha"] == 135.0
    assert tra_noc_1["year_established"] == 1995
    assert tra_noc_1["developer"] is None
    assert str(tra_noc_1["source"]).startswith("http://en.vietrade.gov.vn/")
    assert rows["nhon-trach-5"]["total_area_ha"] == 301.7
    assert rows["nhon-trach-5"]["year_established"] is None
    assert rows["hoa-khanh"]["total_area_ha"] is None
    for row in rows.values():
        # occupancy alone never becomes industrial or leased land; no coordinates are known
        for name in ("industrial_land_ha", "leased_land_ha", "green_area_ha", "latitude", "longitude", "boundary"):
            assert row[name] is None
        assert str(row["source"]).startswith("http")


def test_park_type_follows_the_facts() -> None:
    types = {row["id"]: row["park_type"] for row in reference_park_rows()}
    # the notes call Tra Noc I "the first EPZ in the Mekong Delta"; no other row names a type
    assert types.pop("tra-noc-1") == "export_processing"
    assert set(types.values()) == {"general"}


def test_eip_programme_does_not_make_a_park_eco_industrial() -> None:
    fact = {
        "name_vi": "KCN X",
        "name_en": "X Industrial Park",
        "notes": "",
        "eip_programme": "MPI-UNIDO EIP pilot; eco-industrial",
    }
    assert park_type_from_facts(fact) == "general"
    assert park_type_from_facts({**fact, "notes": "a high-tech park"}) == "high_tech"
    assert park_type_from_facts({**fact, "name_vi": "Khu chế xuất Tân Thuận"}) == "export_processing"


@pytest.mark.parametrize("name", ["reference_parks_facts.csv"])
def test_shipped_csv_has_provenance_columns(name: str) -> None:
    text = resources.files("ecozone.demo").joinpath("data", name).read_text(encoding="utf-8")
    rows = list(csv.DictReader(text.splitlines()))
    assert {"source", "edition", "status"} <= set(rows[0])
    assert all(row["source"] and row["edition"] and row["status"] == "unverified" for row in rows)
    assert len(rows) == 13
