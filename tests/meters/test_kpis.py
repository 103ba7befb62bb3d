"""KPIs computed by hand on a tiny dataset."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import ibis.expr.types as ir
import pandas as pd
import pyarrow as pa
import pytest

from ecozone.errors import NotFoundError, ReferenceDataError
from ecozone.meters import dataset, kpis
from ecozone.store.snapshot import FirmRecord, ParkRecord, ParkSnapshot

from .conftest import IBIS_WARNINGS

pytestmark = [pytest.mark.filterwarnings(w) for w in IBIS_WARNINGS]

T0 = datetime(2024, 3, 4, 1, 0)  # 08:00 local time on Monday 4 March 2024


def row(
    meter_id: str,
    carrier: str,
    unit: str,
    ts: datetime,
    value: float | None,
    minutes: int | None,
    firm_id: str | None = "F1",
    park_id: str = "P1",
) -> dict[str, object]:
    return {
        "park_id": park_id,
        "meter_id": meter_id,
        "firm_id": firm_id,
        "carrier": carrier,
        "unit": unit,
        "ts_utc": ts,
        "interval_minutes": minutes,
        "value": value,
        "register_value": None,
        "flags": 0,
        "source_hash": "test",
    }


def quarter_hours(meter_id: str, values: list[float], firm_id: str | None = "F1", park_id: str = "P1") -> list[dict[str, object]]:
    return [
        row(meter_id, "electricity", "kWh", T0 + timedelta(minutes=15 * i), v, 15, firm_id, park_id) for i, v in enumerate(values)
    ]


@pytest.fixture
def readings(tmp_path: Path) -> ir.Table:
    rows = [
        *quarter_hours("E1", [1.0, 2.0, 3.0, 4.0]),
        *quarter_hours("E2", [4.0, 1.0, 1.0, 1.0], firm_id="F2"),
        row("EH", "electricity", "kWh", T0, 100.0, 60, firm_id=None),  # hourly: not in a 15-min peak
        *quarter_hours("Q1", [2.0, 2.0], firm_id=None, park_id="P2"),
        row("G1", "electricity", "kWh", T0, 800.0, 1440, firm_id="F2"),
        row("PV", "solar_pv", "kWh", T0, 300.0, 1440),
        row("X1", "electricity_export", "kWh", T0, 100.0, 1440),
        row("D1", "diesel", "m3", T0, 0.1, 1440),  # 100 L
        row("C1", "coal", "kg", T0, 500.0, 1440),  # no net calorific value shipped
        row("W1", "water_withdrawal", "m3", T0, 100.0, 1440),
        row("W2", "groundwater", "m3", T0, 50.0, 1440),
        row("W3", "recycled_water", "m3", T0, 50.0, 1440),
        row("WW1", "wastewater", "m3", T0, 80.0, 1440),
        row("WW2", "wastewater", "m3", T0, 20.0, 1440),
        row("S1", "solid_waste", "kg", T0, 1000.0, 1440),
        row("S2", "solid_waste", "kg", T0, 3000.0, 1440),
        row("H1", "hazardous_waste", "kg", T0, 10.0, 1440),
        # 17:00 UTC on 31 March is 00:00 local on 1 April: an April reading.
        row("E1", "electricity", "kWh", datetime(2024, 3, 31, 17, 0), 7.0, 15),
    ]
    frame = pd.DataFrame(rows)
    table = pa.Table.from_pandas(frame, preserve_index=False).cast(
        pa.schema([pa.field(n, dataset.DATASET_SCHEMA.field(n).type) for n in dataset.WRITE_COLUMNS])
    )
    dataset.write_readings(tmp_path / "readings", table)
    return dataset.open_readings(tmp_path / "readings")


ROLES = {"G1": "green_contract", "WW1": "treated", "WW2": "untreated", "S1": "recycling", "S2": "landfill"}


def test_peak_demand_and_load_factor_of_15_minute_readings(readings: ir.Table) -> None:
    frame = kpis.electricity_demand(readings, level="meter", period="day").execute()
    e1 = frame[(frame.meter_id == "E1") & (frame.period_start == pd.Timestamp(2024, 3, 4))].iloc[0]
    assert e1.peak_kw == pytest.approx(4.0 * 4)  # max 4 kWh in 15 min
    assert e1.mean_kw == pytest.approx(2.5 * 4)
    assert e1.load_factor == pytest.approx(10.0 / 16.0)
    assert e1.demand_interval_minutes == 15
    assert set(frame.meter_id) == {"E1", "E2", "EH", "Q1"}  # daily meters say nothing about peaks
    assert frame[frame.meter_id == "EH"].peak_kw.iloc[0] == pytest.approx(100.0)  # its own hourly interval


def test_park_peak_is_coincident_not_the_sum_of_peaks(readings: ir.Table) -> None:
    frame = kpis.electricity_demand(readings, level="park", period="month", demand_interval_minutes=15).execute()
    march = frame[(frame.park_id == "P1") & (frame.period_start == pd.Timestamp(2024, 3, 1))].iloc[0]
    # E1 + E2 per quarter hour: 5, 3, 4, 5 kWh -> peak 20 kW (the peaks 16 + 16 would say 32); EH is hourly: left out.
    assert march.peak_kw == pytest.approx(20.0)
    assert march.load_factor == pytest.approx((17 / 4 * 4) / 20.0)


def test_park_demand_interval_defaults_to_its_coarsest_meter(readings: ir.Table) -> None:
    frame = kpis.electricity_demand(readings, level="park", period="month").execute()
    by_park = frame[frame.period_start == pd.Timestamp(2024, 3, 1)].set_index("park_id")
    assert by_park.loc["P1", "demand_interval_minutes"] == 60
    assert by_park.loc["P1", "peak_kw"] == pytest.approx(117.0)  # 17 kWh of E1 + E2 and 100 kWh of EH in one hour
    assert by_park.loc["P2", "demand_interval_minutes"] == 15
    assert by_park.loc["P2", "peak_kw"] == pytest.approx(8.0)
    portfolio = kpis.electricity_demand(readings, level="portfolio", period="month").execute()
    assert portfolio[portfolio.period_start == pd.Timestamp(2024, 3, 1)].peak_kw.iloc[0] == pytest.approx(121.0)


def test_energy_by_carrier_in_own_unit_kwh_and_gj(readings: ir.Table) -> None:
    frame = kpis.energy_by_carrier(readings, level="park", period="month").execute()
    march = frame[(frame.park_id == "P1") & (frame.period_start == pd.Timestamp(2024, 3, 1))].set_index("carrier")
    assert march.loc["electricity", "quantity"] == pytest.approx(10 + 7 + 100 + 800)
    assert march.loc["electricity", "energy_gj"] == pytest.approx(917 * 0.0036)
    # 0.1 m3 of diesel x 36,120 MJ/m3 / 3.6 MJ/kWh
    assert march.loc["diesel", "unit"] == "m3"
    assert march.loc["diesel", "energy_kwh"] == pytest.approx(0.1 * 36120 / 3.6)
    assert march.loc["diesel", "energy_gj"] == pytest.approx(3.612)
    # coal: IPCC 2006 default NCV of other bituminous coal, 25.8 MJ/kg (the GHG factor set's default coal)
    assert march.loc["coal", "energy_kwh"] == pytest.approx(march.loc["coal", "quantity"] * 25.8 / 3.6)
    april = frame[frame.period_start == pd.Timestamp(2024, 4, 1)]
    assert april.quantity.tolist() == [7.0]


def test_energy_with_a_user_ncv_table_and_final_energy(readings: ir.Table) -> None:
    ncv = kpis.net_calorific_values([{"carrier": "coal", "unit": "kg", "mj_per_unit": 25.8, "source": "test"}])
    frame = kpis.final_energy(readings, level="portfolio", period="year", ncv=ncv).execute()
    year = frame.iloc[0]
    electricity = 10 + 7 + 100 + 800 + 4 + 7  # P1 and P2, March and April
    expected = electricity + 300 - 100 + 500 * 25.8 / 3.6  # diesel has no row in this table
    assert year.energy_kwh == pytest.approx(expected)
    assert bool(year.incomplete)


def test_renewable_share(readings: ir.Table) -> None:
    frame = kpis.renewable_share(readings, ROLES, level="park", period="month").execute()
    march = frame[(frame.park_id == "P1") & (frame.period_start == pd.Timestamp(2024, 3, 1))].iloc[0]
    assert march.grid_kwh == pytest.approx(917.0)
    use = 917 + 300 - 100
    renewable = 300 - 100 + 800
    assert march.electricity_use_kwh == pytest.approx(use)
    assert march.renewable_share == pytest.approx(renewable / use)


def test_water_balance(readings: ir.Table) -> None:
    frame = kpis.water_balance(
        readings, pd.DataFrame({"meter_id": list(ROLES), "role": list(ROLES.values())}), level="firm"
    ).execute()
    firm = frame.iloc[0]
    assert firm.withdrawal_m3 == pytest.approx(150.0)
    assert firm.recycled_share == pytest.approx(50 / 200)
    assert firm.wastewater_treated_share == pytest.approx(0.8)
    without_roles = kpis.water_balance(readings, level="firm").execute()
    assert without_roles.iloc[0].wastewater_treated_share == pytest.approx(0.0)


def test_waste_by_fate(readings: ir.Table) -> None:
    frame = kpis.waste_by_fate(readings, ROLES, level="park", period="year").execute()
    by_fate = frame.set_index(["carrier", "fate"])
    assert by_fate.loc[("solid_waste", "recycling"), "share_of_generated"] == pytest.approx(0.25)
    assert by_fate.loc[("solid_waste", "landfill"), "mass_t"] == pytest.approx(3.0)
    assert by_fate.loc[("hazardous_waste", "unknown"), "share_of_generated"] == pytest.approx(1.0)


def test_energy_intensity_per_hectare_floor_area_employee_and_production(readings: ir.Table) -> None:
    park = ParkRecord("P1", "KCN Một", "79", "general", "operating", leased_land_ha=10.0)
    firms = (
        FirmRecord(
            "F1",
            "P1",
            "Firm 1",
            "C10",
            employees=100,
            floor_area_m2=2000.0,
            land_area_ha=2.0,
            annual_production=50.0,
            production_unit="t",
        ),
        FirmRecord("F2", "P1", "Firm 2", "C10", employees=300, floor_area_m2=6000.0),
    )
    denominators = kpis.intensity_denominators([ParkSnapshot(park, firms)])
    assert denominators.employees.tolist() == [400.0, 100.0, 300.0]
    ncv = kpis.net_calorific_values([{"carrier": "coal", "unit": "kg", "mj_per_unit": 25.8, "source": "test"}])
    frame = kpis.energy_intensity(readings, denominators, level="park", period="year", ncv=ncv).execute()
    p1 = frame[frame.park_id == "P1"].iloc[0]
    total = (10 + 7) + 7 + 100 + 800 + 300 - 100 + 500 * 25.8 / 3.6  # no diesel: the NCV table given lacks it
    assert p1.energy_kwh == pytest.approx(total)
    assert p1.energy_kwh_per_ha == pytest.approx(total / 10)
    assert p1.energy_kwh_per_m2 == pytest.approx(total / 8000)
    assert p1.energy_kwh_per_employee == pytest.approx(total / 400)
    firm = kpis.energy_intensity(readings, denominators, level="firm", period="year", ncv=ncv).execute()
    f1 = firm[firm.firm_id == "F1"].iloc[0]
    f1_total = (10 + 7) + 300 - 100 + 500 * 25.8 / 3.6
    assert f1.energy_kwh == pytest.approx(f1_total)
    assert f1.energy_gj_per_production_unit == pytest.approx(f1_total * 0.0036 / 50)
    assert f1.energy_kwh_per_ha == pytest.approx(f1_total / 2)
    monthly = kpis.energy_intensity(readings, denominators, level="firm", period="month", ncv=ncv).execute()
    assert monthly.energy_kwh_per_production_unit.isna().all()


def test_monthly_rollup_matches_hand_written_sql(readings: ir.Table, tmp_path: Path) -> None:
    frame = kpis.energy_by_carrier(readings, level="park", period="month").execute()
    con = dataset.connect_stored(tmp_path / "readings")
    expected = con.sql(
        "SELECT park_id, CAST(date_trunc('month', ts_utc + INTERVAL 7 HOUR) AS DATE) AS period_start, carrier, "
        "sum(value) AS quantity "
        "FROM stored WHERE carrier IN ('electricity', 'solar_pv', 'electricity_export', 'diesel', 'coal') GROUP BY ALL"
    ).df()
    merged = frame.merge(expected, on=["park_id", "period_start", "carrier"], suffixes=("", "_sql"))
    assert len(merged) == len(expected) == len(frame)
    assert (merged.quantity - merged.quantity_sql).abs().max() < 1e-9


def test_empty_dataset_and_bad_arguments(tmp_path: Path) -> None:
    empty = dataset.open_readings(tmp_path / "nothing")
    assert kpis.energy_by_carrier(empty).execute().empty
    with pytest.raises(NotFoundError):
        kpis.energy_by_carrier(empty, level="galaxy")  # type: ignore[arg-type]
    with pytest.raises(NotFoundError):
        kpis.with_period(empty, "week")  # type: ignore[arg-type]
    with pytest.raises(ReferenceDataError):
        kpis.net_calorific_values([{"carrier": "unobtainium", "unit": "kg", "mj_per_unit": 1, "source": "x"}])


def test_shipped_ncv_table_has_sources() -> None:
    frame = kpis.net_calorific_values()
    assert {"diesel", "natural_gas", "lpg"} <= set(frame.carrier)
    assert frame.source.str.len().min() > 10
