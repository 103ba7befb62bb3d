"""Firms' energy from readings: unit conversion, gap filling, too many gaps."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ecozone.decarbonisation.errors import LoadProfileError
from ecozone.decarbonisation.firms import GAP_FLAG, firm_energy
from ecozone.store.snapshot import MeterRecord

from .conftest import make_firm

YEAR = 2025


def _meters() -> list[MeterRecord]:
    return [
        MeterRecord(
            "e1", "p", "firm", "electricity", "MWh", "interval", firm_id="f", interval_minutes=60, voltage_level="6_22kv"
        ),
        MeterRecord("d1", "p", "firm", "diesel", "L", "interval", firm_id="f", interval_minutes=44640),
        MeterRecord("x", "p", "park", "electricity", "kWh", "interval", interval_minutes=15),
    ]


def _readings(missing_hours: int = 0, flags: bool = False) -> pd.DataFrame:
    local = pd.date_range(f"{YEAR}-01-01", periods=8760, freq="h", tz="Asia/Ho_Chi_Minh")
    keep = np.ones(8760, dtype=bool)
    keep[100 : 100 + missing_hours] = False
    electricity = pd.DataFrame(
        {
            "meter_id": "e1",
            "timestamp": local[keep].tz_convert("UTC"),
            "value": 0.002,
            "unit": "MWh",
            "flags": GAP_FLAG if flags else 0,
        }
    )
    months = pd.date_range(f"{YEAR}-01-01", periods=12, freq="MS", tz="Asia/Ho_Chi_Minh").tz_convert("UTC")
    diesel = pd.DataFrame({"meter_id": "d1", "timestamp": months, "value": 100.0, "unit": "L", "flags": 0})
    before = pd.DataFrame(
        {
            "meter_id": ["d1"],
            "timestamp": [pd.Timestamp(f"{YEAR - 1}-06-01", tz="UTC")],
            "value": [999.0],
            "unit": ["L"],
            "flags": [0],
        }
    )
    return pd.concat([electricity, diesel, before], ignore_index=True)


def test_units_are_converted_and_the_year_is_local() -> None:
    energy = firm_energy([make_firm("f")], _meters(), _readings(), YEAR)["f"]
    assert energy.amount("electricity") == pytest.approx(8760 * 2.0)
    assert energy.amount("diesel") == pytest.approx(1200.0)
    assert energy.voltage_level == "6_22kv"
    assert energy.hourly_electricity_kwh is not None
    assert energy.hourly_electricity_kwh.shape == (8760,)
    assert energy.flags == ()


def test_short_gaps_are_filled_and_flagged() -> None:
    energy = firm_energy([make_firm("f")], _meters(), _readings(missing_hours=48, flags=True), YEAR)["f"]
    assert energy.amount("electricity") == pytest.approx(8760 * 2.0)
    assert "load_gaps_filled" in energy.flags
    assert "readings_flagged_gap" in energy.flags


def test_long_gaps_are_refused() -> None:
    with pytest.raises(LoadProfileError) as error:
        firm_energy([make_firm("f")], _meters(), _readings(missing_hours=1000), YEAR)
    assert error.value.key == "decarbonisation.load_gaps"
    assert "f" in error.value.message("vi")


def test_missing_columns_are_refused() -> None:
    with pytest.raises(LoadProfileError):
        firm_energy([make_firm("f")], _meters(), pd.DataFrame({"meter_id": ["e1"], "value": [1.0]}), YEAR)


def test_firm_without_interval_meter_has_no_profile() -> None:
    energy = firm_energy([make_firm("g")], _meters(), _readings(), YEAR)["g"]
    assert energy.hourly_electricity_kwh is None
    assert energy.flags == ("no_load_profile",)
