"""Shipped data of the readings generator: holidays, climate normals, load-shape parameters."""

from __future__ import annotations

import copy
import csv
from datetime import date, timedelta
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import yaml

from ecozone.demo.assumptions import demo_assumptions
from ecozone.demo.readings import (
    holiday_years,
    lunar_new_year_day,
    monthly_climate_normals,
    park_climate,
    public_holidays,
    readings_assumptions,
    tet_days,
)
from ecozone.demo.readings.climate import periodic_interpolation
from ecozone.demo.readings.profiles import parse_readings_assumptions
from ecozone.demo.readings.timeline import year_timeline
from ecozone.errors import ReferenceDataError
from ecozone.i18n import catalogue

DATA = resources.files("ecozone.demo").joinpath("data")
SHARED_CLIMATE = Path("/work/shared/data/imhen_vietnam_monthly_climate/province_monthly_2008_2017_interpolated.csv")
MIT_NOTICE = "Copyright (c) 2018 Marc Choisy — MIT licence"


def raw_shapes() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(DATA.joinpath("load_shapes.yaml").read_text(encoding="utf-8"))
    return loaded


@pytest.mark.parametrize("name", ["public_holidays_vn.csv", "climate_binh_duong_monthly.csv"])
def test_csv_files_carry_source_edition_status(name: str) -> None:
    rows = list(csv.DictReader(DATA.joinpath(name).read_text(encoding="utf-8").splitlines()))
    assert rows
    for row in rows:
        assert row["source"] and row["edition"] and row["status"] in {"verified", "unverified"}


def test_yaml_carries_source_edition_status() -> None:
    raw = raw_shapes()
    assert raw["source"] and raw["edition"] and raw["status"] == "unverified"
    for sector in raw["sectors"].values():
        assert sector["source"] and sector["status"] == "unverified"


def test_tet_and_holidays() -> None:
    assert holiday_years() == (2024, 2025)
    assert tet_days(2024) == tuple(date(2024, 2, 8) + timedelta(days=i) for i in range(7))
    assert tet_days(2025) == tuple(date(2025, 1, 25) + timedelta(days=i) for i in range(9))
    assert lunar_new_year_day(2024) == date(2024, 2, 10)
    assert lunar_new_year_day(2025) == date(2025, 1, 29)
    for year in (2024, 2025):
        days = {h.day for h in public_holidays(year)}
        # the fixed-date holidays of the Labour Code 2019, Art. 112
        assert {date(year, 1, 1), date(year, 4, 30), date(year, 5, 1), date(year, 9, 2)} <= days
        assert all(h.name_vi and h.name_en for h in public_holidays(year))
    hung_kings = {h.day for y in (2024, 2025) for h in public_holidays(y) if h.holiday == "hung_kings"}
    assert hung_kings == {date(2024, 4, 18), date(2025, 4, 7)}


def test_timeline_marks_tet_and_its_shoulders() -> None:
    timeline = year_timeline(2024, 7, 2, 4)
    assert timeline.days == 366
    tet = [timeline.first_day + timedelta(days=int(i)) for i in np.flatnonzero(timeline.tet)]
    assert tet == list(tet_days(2024))
    shoulder = [timeline.first_day + timedelta(days=int(i)) for i in np.flatnonzero(timeline.tet_shoulder)]
    assert shoulder == [
        date(2024, 2, 6),
        date(2024, 2, 7),
        date(2024, 2, 15),
        date(2024, 2, 16),
        date(2024, 2, 17),
        date(2024, 2, 18),
    ]


def test_climate_table_is_the_screened_mean_of_the_shared_data() -> None:
    shipped = pd.read_csv(DATA.joinpath("climate_binh_duong_monthly.csv"))
    assert shipped["month"].tolist() == list(range(1, 13))
    assert all(MIT_NOTICE in source and "IMHEN" in source for source in shipped["source"])
    if not SHARED_CLIMATE.exists():
        pytest.skip("the shared IMHEN data are not on this machine")
    derived = monthly_climate_normals(pd.read_csv(SHARED_CLIMATE), "Binh Duong")
    for column in ("t_mean_c", "t_max_mean_c", "t_min_mean_c", "sunshine_hours", "years_t_mean_c"):
        assert np.allclose(derived[column], shipped[column]), column


def test_screening_drops_implausible_values() -> None:
    rows = [
        {"province": "P", "year": 2000 + y, "month": m, "t_mean_c": 27.0 + 0.1 * y, "t_max_mean_c": 32.0,
         "t_min_mean_c": 23.0, "sunshine_hours": 200.0 + y}
        for y in range(10) for m in range(1, 13)
    ]  # fmt: skip
    rows[0]["t_min_mean_c"] = 0.0  # the kind of error SOURCE.md warns about: below the plausible range
    rows[12]["t_mean_c"] = 24.0  # consistent (min 23 < 24 < max 32) but far from January's other years: an outlier
    rows[24]["sunshine_hours"] = 674.0  # above the physical maximum
    rows[13]["t_min_mean_c"] = 30.0  # February, year 1: minimum above the mean, all three temperatures blanked
    normals = monthly_climate_normals(pd.DataFrame(rows), "P").set_index("month")
    # January: year 0 lost its minimum, year 1 its mean, year 2 its sunshine
    assert normals.loc[1, "years_t_mean_c"] == 9
    assert normals.loc[1, "years_t_min_mean_c"] == 9
    assert normals.loc[1, "years_t_max_mean_c"] == 10
    assert normals.loc[1, "years_sunshine_hours"] == 9
    assert normals.loc[1, "t_mean_c"] == pytest.approx(np.mean([27.0 + 0.1 * y for y in range(10) if y != 1]), abs=1e-3)
    assert normals.loc[1, "sunshine_hours"] == pytest.approx(np.mean([200.0 + y for y in range(10) if y != 2]), abs=1e-3)
    assert normals.loc[2, ["years_t_mean_c", "years_t_min_mean_c", "years_t_max_mean_c"]].tolist() == [9, 9, 9]
    assert normals.loc[3, "t_mean_c"] == pytest.approx(27.45, abs=1e-3)
    with pytest.raises(ReferenceDataError):
        monthly_climate_normals(pd.DataFrame(rows), "Nowhere")


def test_climate_normals_are_plausible_for_binh_duong() -> None:
    climate = park_climate()
    assert all(25.0 < t < 30.0 for t in climate.t_mean_c)
    assert all(
        low < mean < high for low, mean, high in zip(climate.t_min_mean_c, climate.t_mean_c, climate.t_max_mean_c, strict=True)
    )
    assert all(100.0 < s < 372.0 for s in climate.sunshine_hours)
    assert np.argmax(climate.t_mean_c) in (3, 4)  # April-May is the hottest time of year in the south


def test_periodic_interpolation_passes_through_the_monthly_values() -> None:
    monthly = np.array([25.9, 26.7, 27.8, 28.7, 28.8, 28.0, 27.5, 27.7, 27.5, 27.3, 27.3, 26.4])
    at_mid_months = periodic_interpolation(monthly, (np.arange(12) + 0.5) / 12)
    assert np.allclose(at_mid_months, monthly)
    fine = periodic_interpolation(monthly, np.linspace(0, 1, 1001))
    assert fine[0] == pytest.approx(fine[-1])  # periodic over the year
    assert np.abs(np.diff(fine)).max() < 0.05  # smooth at a daily step


def test_every_sector_of_the_demo_has_a_load_shape() -> None:
    assumptions = readings_assumptions()
    demo = demo_assumptions()
    assert {s.key: s.vsic_code for s in assumptions.sectors} == {s.key: s.vsic_code for s in demo.sectors}
    for sector in demo.sectors:
        loads = assumptions.sector_for_vsic(sector.vsic_code)
        probabilities = {"diesel": sector.diesel_probability, "lpg": sector.lpg_probability}
        if sector.boiler_probability > 0:
            probabilities |= {"coal": sector.boiler_coal_share, "biomass": 1 - sector.boiler_coal_share}
        for carrier, probability in probabilities.items():
            if probability > 0:
                assert carrier in loads.monthly, (sector.key, carrier)
        if sector.manufacturer:
            assert {"solid_waste", "hazardous_waste"} <= set(loads.monthly), sector.key
        for carrier, spec in loads.monthly.items():
            if spec.basis == "annual_production":
                assert {p.unit for p in sector.products} == {"t"}, (sector.key, carrier)


def test_retrofit_sectors_exist() -> None:
    assumptions = readings_assumptions()
    keys = {s.key for s in assumptions.sectors}
    assert {m.sector for m in assumptions.retrofits} <= keys


def test_malformed_file_is_refused_with_the_field_named() -> None:
    raw = raw_shapes()
    broken = copy.deepcopy(raw)
    broken["sectors"]["garments"]["hourly_activity"] = [1.0] * 23
    with pytest.raises(ReferenceDataError, match=r"garments\.hourly_activity"):
        parse_readings_assumptions(broken)
    broken = copy.deepcopy(raw)
    broken["sectors"]["food"]["monthly"]["lpg"]["basis"] = "turnover"
    with pytest.raises(ReferenceDataError, match="basis"):
        parse_readings_assumptions(broken)
    broken = copy.deepcopy(raw)
    del broken["park"]["rooftop_pv"]["capacity_kwp"]
    with pytest.raises(ReferenceDataError, match="capacity_kwp"):
        parse_readings_assumptions(broken)


def test_messages_are_bilingual() -> None:
    messages = {key: value for key, value in catalogue().items() if key.startswith("demo_readings.")}
    assert len(messages) >= 8
    assert all(value.get("vi") and value.get("en") for value in messages.values())
