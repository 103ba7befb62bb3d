"""Readings → GHG activity and electricity cost, checked by hand."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from ecozone.ghg import compute_inventory
from ecozone.meters.dataset import open_readings
from ecozone.meters.ingest import import_readings
from ecozone.meters.rollup import annual_quantities, electricity_cost, ghg_activity, meter_frame, parent_of
from ecozone.store.snapshot import MeterRecord

METERS = [
    MeterRecord("E", "P", "firm", "electricity", "kWh", "interval", firm_id="F", interval_minutes=15, voltage_level="22_110kv"),
    MeterRecord(
        "G", "P", "park", "electricity", "MWh", "interval", interval_minutes=60, voltage_level="22_110kv", role="green_contract"
    ),
    MeterRecord("D", "P", "firm", "diesel", "L", "interval", firm_id="F", interval_minutes=44640),
    MeterRecord("S", "P", "firm", "solid_waste", "t", "interval", firm_id="F", interval_minutes=44640, role="landfill"),
    MeterRecord("H", "P", "firm", "hazardous_waste", "kg", "interval", firm_id="F", interval_minutes=44640),
]


def _store(tmp_path: Path, rows: list[tuple[str, str, float]]) -> Path:
    path = tmp_path / "readings.csv"
    lines = ["meter_id,timestamp,value"] + [f"{m},{t},{v}" for m, t, v in rows]
    path.write_text("\n".join(lines), encoding="utf-8")
    readings = tmp_path / "readings"
    import_readings(readings, [path], {m.id: m for m in METERS}, quarantine_path=tmp_path / "q")
    return readings


def test_yearly_activity_and_inventory(tmp_path: Path) -> None:
    rows = [("E", "2022-03-01 08:00", 1000.0), ("E", "2022-03-01 08:15", 500.0), ("E", "2023-01-01 08:00", 77.0)]
    rows += [("G", "2022-06-01 10:00", 2.0), ("D", "2022-02-01 00:00", 1000.0), ("S", "2022-02-01 00:00", 3.0)]
    rows += [("H", "2022-02-01 00:00", 40.0)]
    readings = open_readings(_store(tmp_path, rows))
    meters = meter_frame(METERS)
    quantities = annual_quantities(readings, meters["meter_id"], 2022).set_index("meter_id")
    # stored in base units: kWh, m3, kg; 2023's reading is another year
    assert quantities.loc["E", "quantity"] == pytest.approx(1500.0)
    assert quantities.loc["G", "quantity"] == pytest.approx(2000.0)
    assert quantities.loc["D", ["quantity", "unit"]].tolist() == [pytest.approx(1.0), "m3"]
    assert quantities.loc["S", "quantity"] == pytest.approx(3000.0)

    activity, instruments, without_fate = ghg_activity(quantities.reset_index(), meters, 2022)
    assert without_fate == ["H"]  # a waste meter with no fate is left out, not counted as zero
    assert set(activity["entity_id"]) == {"F", "P"}
    assert activity.set_index("carrier").loc["solid_waste", "fate"] == "landfilled"
    assert [(i.kind, i.entity_id, i.mwh) for i in instruments] == [("dppa", "P", pytest.approx(2.0))]

    result = compute_inventory(activity, instruments, parent_of=parent_of(meters))
    entities = result.summary[result.summary["entity_kind"] == "entity"].set_index("entity_id")
    firm = entities.loc["F"]
    # location-based Scope 2: 1.5 MWh x 0.6766 tCO2/MWh (official 2022 grid factor)
    assert firm["scope2_location_t"] == pytest.approx(1.5 * 0.6766)
    park = entities.loc["P"]
    assert park["scope2_location_t"] == pytest.approx(2.0 * 0.6766)
    assert park["scope2_market_t"] == pytest.approx(0.0)  # fully covered by the green contract
    rollup = result.summary[result.summary["entity_kind"] == "rollup"].set_index("entity_id").loc["P"]
    assert rollup["scope2_location_t"] == pytest.approx(3.5 * 0.6766)  # the park's own meters and its firm's


def test_electricity_cost_of_a_hand_priced_weekday(tmp_path: Path) -> None:
    # Monday 2 June 2025, 96 intervals of 1 kWh at 22-110 kV under Decision 1279/QĐ-BCT and the
    # Circular 16/2014 windows: peak 09:30-11:30 and 17:00-20:00 (5 h), off-peak 22:00-04:00 (6 h),
    # normal the other 13 h; prices 3,398 / 1,190 / 1,833 VND/kWh.
    stamps = pd.date_range("2025-06-02 00:00", periods=96, freq="15min")
    readings = open_readings(_store(tmp_path, [("E", str(t), 1.0) for t in stamps]))
    cost = electricity_cost(readings, meter_frame(METERS), 2025)
    by_period = cost.set_index("period")
    assert by_period["energy_kwh"].to_dict() == {"normal": 52.0, "off_peak": 24.0, "peak": 20.0}
    assert cost["cost_vnd"].sum() == pytest.approx(4 * (5 * 3398 + 6 * 1190 + 13 * 1833))
    assert not cost["fallback_table"].any()
