"""Weather (province normals, CSV, degree days) and calendar drivers."""

from __future__ import annotations

from io import StringIO

import numpy as np
import pandas as pd
import pytest

from ecozone.baselines.calendar_drivers import calendar_drivers, day_types
from ecozone.baselines.errors import BaselineInputError
from ecozone.baselines.weather import (
    degree_days,
    interpolate_normals,
    monthly_degree_days,
    normals_temperature,
    province_normals,
    read_temperature_csv,
    temperature_for_periods,
)
from ecozone.demo.readings import monthly_climate_normals, park_climate
from ecozone.errors import NotFoundError


def test_binh_duong_normals_equal_the_demo_climate() -> None:
    table = province_normals("Bình Dương")
    np.testing.assert_allclose(table["t_mean_c"], park_climate().t_mean_c)
    np.testing.assert_allclose(table["t_max_mean_c"], park_climate().t_max_mean_c)
    assert set(table["status"]) == {"unverified"}
    assert table["source"].str.contains("MIT").all()


def test_every_old_province_has_twelve_months() -> None:
    from ecozone.provinces import provinces

    for code in provinces("2008"):
        assert len(province_normals(code)) == 12


def test_merged_2025_unit_takes_the_province_of_its_centre() -> None:
    # Hồ Chí Minh City (79) absorbed Bình Dương (74) and Bà Rịa–Vũng Tàu (77) in 2025.
    np.testing.assert_allclose(province_normals("Thành phố Hồ Chí Minh")["t_mean_c"], province_normals("79")["t_mean_c"])
    with pytest.raises(NotFoundError):
        province_normals("Atlantis")


def test_screening_reproduces_the_shipped_row() -> None:
    frame = pd.DataFrame(
        {
            "province": ["X"] * 24,
            "year": np.repeat([2008, 2009], 12),
            "month": np.tile(np.arange(1, 13), 2),
            "t_mean_c": np.r_[np.full(12, 20.0), np.full(12, 22.0)],
            "t_max_mean_c": 30.0,
            "t_min_mean_c": 10.0,
            "sunshine_hours": 100.0,
        }
    )
    assert monthly_climate_normals(frame, "X")["t_mean_c"].tolist() == [21.0] * 12


def test_interpolated_normals_hit_mid_months_and_wrap_the_year() -> None:
    normals = np.arange(1.0, 13.0)
    assert interpolate_normals(normals, pd.DatetimeIndex(["2023-01-16"]))[0] == pytest.approx(1.0, abs=0.05)
    assert interpolate_normals(normals, pd.DatetimeIndex(["2023-07-16 12:00"]).floor("D"))[0] == pytest.approx(7.0, abs=0.05)
    new_year = interpolate_normals(normals, pd.DatetimeIndex(["2023-12-31", "2024-01-01"]))
    assert 1.0 < new_year[1] < new_year[0] < 12.0  # between December (12) and January (1)
    with pytest.raises(BaselineInputError):
        interpolate_normals(normals[:11], pd.DatetimeIndex(["2023-01-01"]))


def test_normals_by_period_kind() -> None:
    months = pd.Series(pd.date_range("2024-01-01", periods=12, freq="MS"))
    np.testing.assert_allclose(normals_temperature("74", months, "monthly"), park_climate().t_mean_c)
    hours = pd.Series(pd.date_range("2024-03-10", periods=48, freq="h"))
    values = normals_temperature("74", hours, "hourly")
    assert values[0] == values[23] and values[24] != values[0]


def test_degree_days_by_hand() -> None:
    temperature = np.array([20.0, 25.0, 30.0])
    assert degree_days(temperature, 22.0).tolist() == [0.0, 3.0, 8.0]
    assert degree_days(temperature, 22.0, "heating").tolist() == [2.0, 0.0, 0.0]
    daily = pd.DataFrame({"date": pd.date_range("2024-01-30", periods=4), "temperature_c": [25.0, 26.0, 27.0, 20.0]})
    monthly = monthly_degree_days(daily, 22.0)
    assert monthly["degree_days"].tolist() == [7.0, 5.0]
    assert monthly["days"].tolist() == [2, 2]
    with pytest.raises(BaselineInputError):
        degree_days(temperature, 22.0, "freezing")  # type: ignore[arg-type]


def test_weather_csv_to_period_temperatures() -> None:
    text = "date,temperature_c\n" + "\n".join(f"2024-02-{d:02d},{10 + d}" for d in range(1, 30))
    weather = read_temperature_csv(StringIO(text))
    months = pd.Series(pd.to_datetime(["2024-02-01"]))
    assert temperature_for_periods(months, "monthly", weather)[0] == pytest.approx(10 + 15.0)
    days = pd.Series(pd.to_datetime(["2024-02-03", "2024-03-01"]))
    values = temperature_for_periods(days, "daily", weather)
    assert values[0] == 13.0 and np.isnan(values[1])
    with pytest.raises(BaselineInputError, match="repeats"):
        read_temperature_csv(StringIO("date,temperature_c\n2024-01-01,20\n2024-01-01,21\n"))
    with pytest.raises(BaselineInputError, match="row 3"):
        read_temperature_csv(StringIO("date,temperature_c\n2024-01-01,20\nnot a day,21\n"))


def test_day_types_2024() -> None:
    types = day_types(
        pd.DatetimeIndex(["2024-01-01", "2024-01-02", "2024-01-06", "2024-01-07", "2024-02-10", "2024-04-30", "2024-04-27"])
    )
    assert types.idxmax(axis=1).tolist() == ["holiday", "working_day", "saturday", "sunday", "tet", "holiday", "holiday"]
    assert (types.sum(axis=1) == 1.0).all()


def test_calendar_drivers_count_days_per_month() -> None:
    months = pd.Series(pd.date_range("2024-01-01", periods=12, freq="MS"))
    counts = calendar_drivers(months, "monthly", ["working_day", "saturday", "sunday", "holiday", "tet"])
    assert (counts.sum(axis=1).to_numpy() == months.dt.days_in_month.to_numpy()).all()
    assert counts.loc[1, "tet"] == 7.0  # 8–14 February 2024
    hours = pd.Series(pd.date_range("2024-02-09 22:00", periods=4, freq="h"))
    assert calendar_drivers(hours, "hourly", ["tet"])["tet"].tolist() == [1.0, 1.0, 1.0, 1.0]
    with pytest.raises(BaselineInputError, match="weekend"):
        calendar_drivers(months, "monthly", ["weekend"])
