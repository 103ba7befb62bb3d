"""The frame: every meter, the right unit, the right number of readings, UTC interval starts, determinism."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ecozone.demo.readings import READINGS_COLUMNS, demo_readings
from ecozone.errors import ReferenceDataError

Registry = dict[str, list[dict[str, object]]]
INTERVALS_2024 = 366 * 96
EXPECTED_COUNT = {15: INTERVALS_2024, 1440: 366, 44640: 12}


def small_registry(registry: Registry, firm_ids: set[str]) -> Registry:
    """The demo registry reduced to a few firms and their meters (plus the park's meters)."""
    return {
        "park": registry["park"],
        "firm": [f for f in registry["firm"] if f["id"] in firm_ids],
        "meter": [m for m in registry["meter"] if m["firm_id"] in firm_ids or m["owner_kind"] == "park"],
        "certification": [],
    }


def test_columns_and_dtypes(readings: pd.DataFrame) -> None:
    assert tuple(readings.columns) == READINGS_COLUMNS
    assert str(readings["timestamp"].dt.tz) == "UTC"
    assert readings["value"].dtype == np.float64
    assert readings["estimated"].dtype == np.bool_
    assert readings["meter_id"].map(type).eq(str).all()
    assert readings["value"].notna().all()
    assert (readings["value"] >= 0).all()


def test_every_meter_has_readings_in_its_unit(readings: pd.DataFrame, meters: dict[str, dict[str, object]]) -> None:
    pairs = readings.drop_duplicates(["meter_id", "unit"])
    assert not pairs["meter_id"].duplicated().any()  # one unit per meter
    assert dict(zip(pairs["meter_id"], pairs["unit"], strict=True)) == {m: meter["unit"] for m, meter in meters.items()}


def test_number_of_readings_by_interval(readings: pd.DataFrame, meters: dict[str, dict[str, object]]) -> None:
    counts = readings.groupby("meter_id").size()
    for meter_id, meter in meters.items():
        assert counts[meter_id] == EXPECTED_COUNT[int(str(meter["interval_minutes"]))], meter_id
    fifteen = [m for m in meters.values() if m["interval_minutes"] == 15]
    assert len(fifteen) == 60 + 3  # 60 firms, plus the park's WWTP, street lighting and PV


def test_fifteen_minute_grid_is_complete_without_duplicates(readings: pd.DataFrame, meters: dict[str, dict[str, object]]) -> None:
    expected = pd.date_range("2023-12-31 17:00", "2024-12-31 16:45", freq="15min", tz="UTC").as_unit("us").asi8
    assert len(expected) == INTERVALS_2024
    codes, names = pd.factorize(readings["meter_id"])
    stamps = pd.DatetimeIndex(readings["timestamp"]).as_unit("us").asi8
    for code, meter_id in enumerate(names):
        if meters[meter_id]["interval_minutes"] == 15:
            rows = np.flatnonzero(codes == code)
            assert np.array_equal(stamps[rows], expected), meter_id  # complete, ordered, hence without duplicates


def test_timestamps_are_utc_interval_starts(local: pd.DataFrame, meters: dict[str, dict[str, object]]) -> None:
    electricity = local[local["meter_id"] == "demo-f01-electricity"]
    first = electricity.iloc[0]
    assert first["timestamp"] == pd.Timestamp("2023-12-31 17:00", tz="UTC")
    assert first["local"] == pd.Timestamp("2024-01-01 00:00", tz="Asia/Ho_Chi_Minh")
    seven = electricity[electricity["timestamp"] == pd.Timestamp("2024-03-05 00:00", tz="UTC")]
    assert seven["local"].iloc[0].hour == 7 and seven["local"].iloc[0].minute == 0
    daily = local[local["meter_id"].isin([m for m, meter in meters.items() if meter["interval_minutes"] == 1440])]
    assert (daily["local"].dt.hour == 0).all() and (daily["timestamp"].dt.hour == 17).all()
    monthly = local[local["meter_id"].isin([m for m, meter in meters.items() if meter["interval_minutes"] == 44640])]
    assert (monthly["local"].dt.day == 1).all() and (monthly["local"].dt.hour == 0).all()


def test_same_seed_same_readings_and_meters_independent_of_the_others(
    registry: Registry, readings_without_retrofits: pd.DataFrame
) -> None:
    subset = small_registry(registry, {"demo-f01", "demo-f24", "demo-f48"})
    first = demo_readings(subset, seed=20240101, retrofits=False)
    again = demo_readings(subset, seed=20240101, retrofits=False)
    pd.testing.assert_frame_equal(first, again)
    firm_rows = first[first["meter_id"].str.startswith(("demo-f01-", "demo-f24-", "demo-f48-"))].reset_index(drop=True)
    in_full = readings_without_retrofits[readings_without_retrofits["meter_id"].isin(set(firm_rows["meter_id"]))]
    in_full = in_full.reset_index(drop=True)
    pd.testing.assert_frame_equal(firm_rows, in_full)


def test_another_seed_gives_other_readings(registry: Registry) -> None:
    subset = small_registry(registry, {"demo-f01"})
    one = demo_readings(subset, seed=1, retrofits=False)
    two = demo_readings(subset, seed=2, retrofits=False)
    assert (one["meter_id"] == two["meter_id"]).all()
    assert not np.allclose(one["value"], two["value"])


def test_second_year_2025(registry: Registry) -> None:
    subset = small_registry(registry, {"demo-f12"})
    frame = demo_readings(subset, year=2025)
    electricity = frame[frame["meter_id"] == "demo-f12-electricity"]
    assert len(electricity) == 365 * 96
    assert electricity["timestamp"].iloc[0] == pd.Timestamp("2024-12-31 17:00", tz="UTC")


def test_year_without_holiday_calendar_is_refused(registry: Registry) -> None:
    with pytest.raises(ReferenceDataError, match="2019"):
        demo_readings(small_registry(registry, {"demo-f01"}), year=2019)


def test_unknown_sector_is_refused(registry: Registry) -> None:
    subset = small_registry(registry, {"demo-f01"})
    subset["firm"] = [{**subset["firm"][0], "vsic_code": "99"}]
    with pytest.raises(ReferenceDataError, match="99"):
        demo_readings(subset)


def test_whole_demo_generates_in_a_few_seconds(generation_seconds: tuple[pd.DataFrame, float]) -> None:
    frame, seconds = generation_seconds
    assert len(frame) > 63 * INTERVALS_2024
    assert seconds < 10.0
