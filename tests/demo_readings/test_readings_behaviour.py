"""The series behave as documented: PV by day, lighting by night, intensities, Tết, cooling, water, bills."""

from __future__ import annotations

from datetime import date, timedelta
from importlib import resources

import numpy as np
import pandas as pd
import yaml

from ecozone.demo.readings import Retrofit

SHAPES = yaml.safe_load(resources.files("ecozone.demo").joinpath("data", "load_shapes.yaml").read_text(encoding="utf-8"))
SECTOR_OF_VSIC = {str(s["vsic_code"]): key for key, s in SHAPES["sectors"].items()}
TET_2024 = [date(2024, 2, 8) + timedelta(days=i) for i in range(7)]  # 8-14 Feb 2024


def meter_series(local: pd.DataFrame, meter_id: str) -> pd.Series:
    rows = local[local["meter_id"] == meter_id]
    return pd.Series(rows["value"].to_numpy(), index=pd.DatetimeIndex(rows["local"]))


def daily(local: pd.DataFrame, meter_id: str) -> pd.Series:
    series = meter_series(local, meter_id)
    return series.groupby(series.index.date).sum()


def test_pv_zero_at_night_positive_at_noon(local: pd.DataFrame) -> None:
    pv = meter_series(local, "demo-park-rooftop-pv")
    hour = pv.index.hour + pv.index.minute / 60
    night = (hour >= 18.0) | (hour < 5.75)
    assert (pv[night] == 0).all()
    noon = pv[(pv.index.hour == 12) & (pv.index.minute == 0)]
    assert len(noon) == 366
    assert (noon > 0).mean() >= 0.95


def test_pv_annual_yield_about_1300_kwh_per_kwp(local: pd.DataFrame) -> None:
    total = meter_series(local, "demo-park-rooftop-pv").sum()
    assert abs(total / (1300 * 2000) - 1) < 0.05


def test_street_lighting_only_at_night(local: pd.DataFrame) -> None:
    lighting = meter_series(local, "demo-park-street-lighting")
    hour = lighting.index.hour + lighting.index.minute / 60
    assert (lighting[(hour >= 5.5) & (hour < 18.0)] == 0).all()
    assert (lighting[(hour >= 18.0) | (hour < 5.5)] > 0).all()
    # 180 kW for 11.5 h a night
    assert abs(lighting.sum() / (180 * 11.5 * 366) - 1) < 0.01


def test_wwtp_is_near_flat(local: pd.DataFrame) -> None:
    wwtp = meter_series(local, "demo-park-wwtp-electricity")
    profile = wwtp.groupby(wwtp.index.hour).mean()
    assert profile.max() / profile.min() < 1.2


def annual_intensity(frame: pd.DataFrame, firms: dict[str, dict[str, object]]) -> pd.DataFrame:
    electricity = frame[frame["meter_id"].str.match(r"^demo-f\d+-electricity$")]
    totals = electricity.groupby("meter_id")["value"].sum()
    rows = []
    for meter_id, total in totals.items():
        firm = firms[str(meter_id).removesuffix("-electricity")]
        area = float(str(firm["floor_area_m2"]))
        rows.append({"meter_id": meter_id, "sector": SECTOR_OF_VSIC[str(firm["vsic_code"])], "intensity": total / area})
    return pd.DataFrame(rows).set_index("meter_id")


def test_annual_electricity_within_sector_intensity_ranges(
    readings_without_retrofits: pd.DataFrame, firms: dict[str, dict[str, object]]
) -> None:
    table = annual_intensity(readings_without_retrofits, firms)
    assert len(table) == 60
    for meter_id, row in table.iterrows():
        low, high = SHAPES["sectors"][row["sector"]]["electricity_intensity_kwh_m2_yr"]
        assert low <= row["intensity"] <= high, (meter_id, row["sector"], row["intensity"])


def test_retrofitted_firms_stay_near_their_range(
    readings: pd.DataFrame, firms: dict[str, dict[str, object]], retrofits: list[Retrofit]
) -> None:
    table = annual_intensity(readings, firms)
    for retrofit in retrofits:
        row = table.loc[retrofit.meter_id]
        low, high = SHAPES["sectors"][row["sector"]]["electricity_intensity_kwh_m2_yr"]
        assert low * (1 - retrofit.true_saving_fraction) <= row["intensity"] <= high


def test_tet_load_below_surrounding_weeks_for_shift_sectors(local: pd.DataFrame, firms: dict[str, dict[str, object]]) -> None:
    """Every shift-based firm uses at least 10 % less during the Tết break; day-shift sectors less than half."""
    before = [date(2024, 1, 15) + timedelta(days=i) for i in range(14)]  # 15-28 Jan
    after = [date(2024, 2, 26) + timedelta(days=i) for i in range(14)]  # 26 Feb - 10 Mar
    checked = 0
    for firm_id, firm in firms.items():
        if SECTOR_OF_VSIC[str(firm["vsic_code"])] == "chemicals":  # continuous process, not shift-based
            continue
        days = daily(local, f"{firm_id}-electricity")
        tet = days[TET_2024].mean()
        limit = 0.5 if firm["vsic_code"] in {"14", "25"} else 0.9
        assert tet < limit * days[before].mean(), firm_id
        assert tet < limit * days[after].mean(), firm_id
        checked += 1
    assert checked >= 50


def test_sundays_below_weekdays_for_garments(local: pd.DataFrame, firms: dict[str, dict[str, object]]) -> None:
    for firm_id, firm in firms.items():
        if firm["vsic_code"] != "14":
            continue
        days = daily(local, f"{firm_id}-electricity")
        weekday = pd.Series([d.weekday() for d in days.index], index=days.index)
        assert days[weekday == 6].mean() < 0.5 * days[weekday < 5].mean()


def test_night_load_low_for_garments_high_for_electronics(local: pd.DataFrame, firms: dict[str, dict[str, object]]) -> None:
    for firm_id, firm in firms.items():
        if firm["vsic_code"] not in {"14", "26"}:
            continue
        series = meter_series(local, f"{firm_id}-electricity")
        ratio = series[series.index.hour == 3].mean() / series[series.index.hour == 10].mean()
        if firm["vsic_code"] == "14":
            assert ratio < 0.3, firm_id
        else:
            assert ratio > 0.6, firm_id


def test_cooling_makes_the_hot_season_heavier(
    readings_without_retrofits: pd.DataFrame, firms: dict[str, dict[str, object]]
) -> None:
    """Electronics firms (cooling ~35 %): mean daily kWh in April-May above December (Tết-free, coolest normal)."""
    frame = readings_without_retrofits.copy()
    frame["month"] = frame["timestamp"].dt.tz_convert("Asia/Ho_Chi_Minh").dt.month
    for firm_id, firm in firms.items():
        if firm["vsic_code"] != "26":
            continue
        series = frame[frame["meter_id"] == f"{firm_id}-electricity"]
        by_month = series.groupby("month")["value"].sum() / pd.Series(
            [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], index=range(1, 13)
        )
        assert by_month[[4, 5]].mean() > 1.03 * by_month[12], firm_id


def test_water_lower_on_sundays(local: pd.DataFrame, firms: dict[str, dict[str, object]]) -> None:
    for firm_id in firms:
        days = meter_series(local, f"{firm_id}-water")
        sunday = days.index.day_of_week == 6
        assert days[sunday].mean() < days[~sunday].mean(), firm_id


def test_textiles_and_food_use_most_water_per_employee(local: pd.DataFrame, firms: dict[str, dict[str, object]]) -> None:
    per_employee = {}
    for firm_id, firm in firms.items():
        per_employee[firm_id] = meter_series(local, f"{firm_id}-water").mean() / float(str(firm["employees"]))
    by_sector = pd.Series(per_employee).groupby(lambda f: SECTOR_OF_VSIC[str(firms[f]["vsic_code"])]).median()
    assert by_sector.sort_values().index[-2:].tolist() in (["food", "textiles"], ["textiles", "food"])


def test_park_wastewater_is_about_80_percent_of_the_tenants_water(local: pd.DataFrame) -> None:
    water = local[local["meter_id"].str.match(r"^demo-f\d+-water$")].groupby("timestamp")["value"].sum()
    wastewater = local[local["meter_id"] == "demo-park-wastewater"].set_index("timestamp")["value"]
    ratio = wastewater / water
    assert abs(ratio.mean() - 0.8) < 0.01
    assert ratio.between(0.6, 1.0).all()
    assert wastewater.max() < 20_000  # within the park's central treatment capacity [m3/day]


def test_monthly_bills(local: pd.DataFrame, meters: dict[str, dict[str, object]]) -> None:
    monthly = [m for m, meter in meters.items() if meter["interval_minutes"] == 44640]
    assert {meters[m]["carrier"] for m in monthly} == {"diesel", "lpg", "coal", "biomass", "solid_waste", "hazardous_waste"}
    bills = local[local["meter_id"].isin(monthly)]
    assert (bills.groupby("meter_id").size() == 12).all()
    assert (bills["value"] > 0).all()
    for _meter_id, rows in bills.groupby("meter_id"):
        assert rows["local"].dt.month.tolist() == list(range(1, 13))
    estimated = local[local["estimated"]]
    assert set(estimated["meter_id"]) <= set(monthly)
    assert 1 <= len(estimated) <= 0.1 * len(bills)


def test_estimated_bill_copies_the_previous_month_scaled_by_days(local: pd.DataFrame) -> None:
    days_in_month = np.array([31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], dtype=float)
    for _meter_id, rows in local[local["meter_id"].isin(local.loc[local["estimated"], "meter_id"])].groupby("meter_id"):
        values, flags = rows["value"].to_numpy(), rows["estimated"].to_numpy()
        for month in np.flatnonzero(flags):
            neighbour = 1 if month == 0 else month - 1
            if flags[neighbour]:
                continue
            expected = values[neighbour] * days_in_month[month] / days_in_month[neighbour]
            assert abs(values[month] - expected) <= max(0.2, 1e-3 * expected)  # both rounded to the meter resolution


def test_tet_lowers_the_fuel_bill_of_february_for_garments(local: pd.DataFrame, firms: dict[str, dict[str, object]]) -> None:
    """Bills follow the working days: February (Tết) is below March per day for day-shift sectors on average."""
    ratios = []
    for firm_id, firm in firms.items():
        if firm["vsic_code"] not in {"14", "25"}:
            continue
        rows = local[(local["meter_id"] == f"{firm_id}-solid-waste") & ~local["estimated"]]
        by_month = rows.set_index(rows["local"].dt.month)["value"]
        if {2, 3} <= set(by_month.index):
            ratios.append((by_month[2] / 29) / (by_month[3] / 31))
    assert np.mean(ratios) < 0.9
