from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ecozone.errors import NotFoundError
from ecozone.provinces import provinces
from ecozone.stats.registry import (
    UNKNOWN_PROVINCE,
    aggregate,
    by_park_type,
    by_province,
    by_status,
    province_values,
    registry_totals,
    summarise,
)
from ecozone.store.snapshot import ParkRecord, ParkSnapshot, RegistrySnapshot
from tests.stats.snapshots import crafted_snapshot


def row(table: pd.DataFrame, key: str) -> pd.Series:
    found = table.set_index("key").loc[key]
    assert isinstance(found, pd.Series)
    return found


def test_2025_layout_merges_binh_duong_into_ho_chi_minh_city() -> None:
    table = by_province(crafted_snapshot(), "2025")
    assert list(table["key"]) == ["01", "79"]
    hcm = row(table, "79")
    assert hcm["name_vi"] == "Thành phố Hồ Chí Minh"
    assert hcm["parks"] == 3
    assert hcm["total_area_ha"] == 500 + 200 + 100
    assert hcm["industrial_land_ha"] == 350 + 150 + 80
    assert hcm["leased_land_ha"] == 280 + 60  # bd-b reports no leased land
    assert hcm["parks_missing_leased_land"] == 1
    assert hcm["parks_missing_industrial_land"] == 0
    assert hcm["parks_with_occupancy"] == 2
    # occupancy over the parks reporting both figures: (280 + 60) / (350 + 80)
    assert hcm["occupancy_pct"] == pytest.approx(100 * 340 / 430)


def test_2008_layout_splits_the_old_provinces() -> None:
    table = by_province(crafted_snapshot(), "2008")
    assert list(table["key"]) == ["74", "79", UNKNOWN_PROVINCE]
    binh_duong = row(table, "74")
    assert binh_duong["name_vi"] == "Bình Dương"
    assert binh_duong["parks"] == 2
    assert binh_duong["total_area_ha"] == 700
    assert binh_duong["industrial_land_ha"] == 500
    assert binh_duong["leased_land_ha"] == 280
    assert binh_duong["occupancy_pct"] == pytest.approx(80.0)  # 280 / 350: bd-b has no leased figure
    ho_chi_minh = row(table, "79")
    assert ho_chi_minh["parks"] == 1
    assert ho_chi_minh["occupancy_pct"] == pytest.approx(75.0)  # 60 / 80
    unknown = row(table, UNKNOWN_PROVINCE)
    assert unknown["parks"] == 1
    assert unknown["name_en"] == "unknown (recorded in the 2025 layout)"
    assert unknown["name_vi"].startswith("chưa rõ")


def test_missing_areas_are_missing_not_zero() -> None:
    hanoi = row(by_province(crafted_snapshot(), "2025"), "01")
    assert hanoi["parks"] == 1
    assert pd.isna(hanoi["total_area_ha"])
    assert pd.isna(hanoi["industrial_land_ha"])
    assert pd.isna(hanoi["leased_land_ha"])
    assert pd.isna(hanoi["occupancy_pct"])
    assert hanoi["parks_missing_total_area"] == 1
    assert hanoi["parks_missing_industrial_land"] == 1
    assert hanoi["parks_missing_leased_land"] == 1


def test_totals() -> None:
    totals = registry_totals(crafted_snapshot())
    assert totals.parks == 4
    assert totals.total_area_ha == 800
    assert totals.industrial_land_ha == 580
    assert totals.leased_land_ha == 340
    assert totals.occupancy_pct == pytest.approx(100 * 340 / 430)
    assert (totals.parks_missing_total_area, totals.parks_missing_industrial_land, totals.parks_missing_leased_land) == (1, 1, 2)


def test_occupancy_of_one_park_is_leased_over_industrial() -> None:
    record = ParkRecord("p", "KCN P", "79", "general", "operating", industrial_land_ha=250.0, leased_land_ha=200.0)
    assert summarise([record]).occupancy_pct == pytest.approx(80.0)
    assert summarise([record]).occupancy_pct == pytest.approx(record.occupancy_pct)


def test_zero_industrial_land_gives_no_occupancy() -> None:
    record = ParkRecord("p", "KCN P", "79", "general", "planned", industrial_land_ha=0.0, leased_land_ha=0.0)
    summary = summarise([record])
    assert summary.industrial_land_ha == 0.0
    assert summary.occupancy_pct is None
    assert summary.parks_with_occupancy == 0


def test_empty_group() -> None:
    summary = summarise([])
    assert summary.parks == 0
    assert summary.total_area_ha is None
    assert summary.occupancy_pct is None
    assert by_province(RegistrySnapshot(), "2025").empty


def test_by_status_in_vocabulary_order() -> None:
    table = by_status(crafted_snapshot())
    assert list(table["key"]) == ["planned", "under_construction", "operating"]
    assert list(table["parks"]) == [1, 1, 2]
    operating = row(table, "operating")
    assert operating["name_vi"] == "Đang hoạt động"
    assert operating["name_en"] == "Operating"
    assert operating["industrial_land_ha"] == 430
    assert operating["occupancy_pct"] == pytest.approx(100 * 340 / 430)


def test_by_park_type() -> None:
    table = by_park_type(crafted_snapshot())
    assert list(table["key"]) == ["general", "export_processing", "high_tech"]
    assert row(table, "general")["parks"] == 2
    assert row(table, "general")["total_area_ha"] == 700
    assert row(table, "export_processing")["name_en"] == "Export processing zone"


def test_aggregate_dispatches_and_rejects_unknown_names() -> None:
    snapshot = crafted_snapshot()
    pd.testing.assert_frame_equal(aggregate(snapshot, "type"), by_park_type(snapshot))
    pd.testing.assert_frame_equal(aggregate(snapshot, "province", "2008"), by_province(snapshot, "2008"))
    with pytest.raises(NotFoundError):
        aggregate(snapshot, "developer")
    with pytest.raises(NotFoundError) as caught:
        by_province(snapshot, "1976")
    assert "2008, 2025" in caught.value.message("vi")


def test_province_values_for_the_map() -> None:
    snapshot = crafted_snapshot()
    parks_2025 = province_values(snapshot, "2025", "parks")
    assert set(parks_2025) == set(provinces("2025"))
    assert parks_2025["79"] == 3
    assert parks_2025["01"] == 1
    assert sum(parks_2025.values()) == 4
    parks_2008 = province_values(snapshot, "2008", "parks")
    assert len(parks_2008) == 63
    assert (parks_2008["74"], parks_2008["79"]) == (2, 1)
    assert sum(parks_2008.values()) == 3  # the park of unknown old province has no shape to colour
    assert province_values(snapshot, "2025", "industrial_land_ha") == {"79": 580.0}
    assert province_values(snapshot, "2008", "leased_land_ha") == {"74": 280.0, "79": 60.0}
    with pytest.raises(NotFoundError):
        province_values(snapshot, "2025", "occupancy")


OLD_CODES = sorted(provinces("2008"))
areas = st.one_of(st.none(), st.floats(min_value=0, max_value=5000, allow_nan=False))


@st.composite
def snapshots(draw: st.DrawFn) -> RegistrySnapshot:
    items = []
    for index in range(draw(st.integers(min_value=0, max_value=12))):
        old = draw(st.sampled_from(OLD_CODES))
        record = ParkRecord(
            id=f"p{index}",
            name_vi=f"KCN {index}",
            province_new_code=str(provinces("2008")[old].successor_code),
            province_old_code=draw(st.sampled_from([old, None])),
            park_type=draw(st.sampled_from(["general", "high_tech", "eco_industrial"])),
            status=draw(st.sampled_from(["planned", "operating"])),
            total_area_ha=draw(areas),
            industrial_land_ha=draw(areas),
            leased_land_ha=draw(areas),
        )
        items.append(ParkSnapshot(record))
    return RegistrySnapshot(tuple(items))


@settings(max_examples=40, deadline=None)
@given(snapshots())
def test_every_grouping_adds_up_to_the_totals(snapshot: RegistrySnapshot) -> None:
    totals = registry_totals(snapshot)
    for table in (by_province(snapshot, "2025"), by_province(snapshot, "2008"), by_status(snapshot), by_park_type(snapshot)):
        assert table["parks"].sum() == totals.parks
        assert table["parks_missing_industrial_land"].sum() == totals.parks_missing_industrial_land
        reported = table["industrial_land_ha"].dropna()
        assert float(reported.sum()) == pytest.approx(totals.industrial_land_ha or 0.0)
    both = [item.park for item in snapshot.parks if item.park.leased_land_ha is not None and item.park.industrial_land_ha]
    if both:
        expected = 100 * sum(p.leased_land_ha or 0 for p in both) / sum(p.industrial_land_ha or 0 for p in both)
        assert totals.occupancy_pct == pytest.approx(expected)
    else:
        assert totals.occupancy_pct is None
