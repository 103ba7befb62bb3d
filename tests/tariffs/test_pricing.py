"""EVN time-of-use pricing against hand-priced days."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from ecozone.errors import NotFoundError
from ecozone.tariffs import TariffError, cost_by_period, price_intervals, table_in_force, tou_regimes

# Decision 1279/QĐ-BCT (from 10 May 2025), production, 22 kV to below 110 kV [VND/kWh]
NORMAL, OFF_PEAK, PEAK = 1833, 1190, 3398

# Circular 16/2014 windows, Monday-Saturday, by hour of the day (half-hours split in two)
WEEKDAY_HALF_HOURS = (
    ["off"] * 8  # 00:00-04:00
    + ["normal"] * 11  # 04:00-09:30
    + ["peak"] * 4  # 09:30-11:30
    + ["normal"] * 11  # 11:30-17:00
    + ["peak"] * 6  # 17:00-20:00
    + ["normal"] * 4  # 20:00-22:00
    + ["off"] * 4  # 22:00-24:00
)
SUNDAY_HALF_HOURS = ["off"] * 8 + ["normal"] * 36 + ["off"] * 4
PRICE = {"off": OFF_PEAK, "normal": NORMAL, "peak": PEAK}


def _day(start: str) -> pd.DatetimeIndex:
    return pd.date_range(start, periods=96, freq="15min")


def test_hand_priced_weekday() -> None:
    # 96 quarter-hours of 100 kWh: each half-hour holds 200 kWh
    expected = sum(200 * PRICE[p] for p in WEEKDAY_HALF_HOURS)
    assert expected == 400 * (6 * OFF_PEAK + 13 * NORMAL + 5 * PEAK)
    priced = price_intervals(_day("2025-06-02"), [100.0] * 96, "22_110kv")  # a Monday
    assert priced["cost_vnd"].sum() == pytest.approx(expected)
    assert priced["decision"].unique().tolist() == ["1279/QĐ-BCT"]
    assert priced["tariff_status"].unique().tolist() == ["unverified"]
    assert not priced["fallback_table"].any()
    by_period = cost_by_period(priced).set_index("period")
    assert by_period.loc["peak", "energy_kwh"] == 5 * 400
    assert by_period.loc["off_peak", "energy_kwh"] == 6 * 400


def test_hand_priced_sunday_has_no_peak() -> None:
    expected = sum(200 * PRICE[p] for p in SUNDAY_HALF_HOURS)
    priced = price_intervals(_day("2025-06-01"), [100.0] * 96, "22-110kv")  # a Sunday, alias spelling
    assert priced["cost_vnd"].sum() == pytest.approx(expected)
    assert "peak" not in set(priced["period"])


def test_saturday_is_priced_like_a_weekday() -> None:
    saturday = price_intervals(_day("2025-06-07"), [100.0] * 96, "22_110kv")["cost_vnd"].sum()
    assert saturday == pytest.approx(sum(200 * PRICE[p] for p in WEEKDAY_HALF_HOURS))


def test_window_boundaries_and_utc_input() -> None:
    local = pd.to_datetime(
        ["2025-06-02 09:15", "2025-06-02 09:30", "2025-06-02 11:15", "2025-06-02 11:30", "2025-06-02 21:45", "2025-06-02 22:00"]
    )
    periods = price_intervals(local, [1.0] * 6, "ge_110kv")["period"].tolist()
    assert periods == ["normal", "peak", "peak", "normal", "normal", "off_peak"]
    utc = pd.DatetimeIndex(["2025-06-02 02:30"], tz="UTC")  # 09:30 in Ha Noi (UTC+7)
    priced = price_intervals(utc, [10.0], "ge_110kv")
    assert priced.iloc[0]["period"] == "peak"
    assert priced.iloc[0]["cost_vnd"] == pytest.approx(10 * 3266)


def test_each_voltage_level_and_group() -> None:
    at_peak = pd.to_datetime(["2025-06-02 10:00"])
    expected = {"lt_6kv": 3640, "6_22kv": 3508, "22_110kv": 3398, "ge_110kv": 3266}
    for level, price in expected.items():
        assert price_intervals(at_peak, [1.0], level).iloc[0]["unit_price_vnd_per_kwh"] == price
    commercial = {"lt_6kv": 5422, "6_22kv": 5202, "22_110kv": 5025, "ge_110kv": 5025}
    for level, price in commercial.items():
        assert price_intervals(at_peak, [1.0], level, "commercial").iloc[0]["unit_price_vnd_per_kwh"] == price


def test_each_reading_uses_the_table_of_its_date() -> None:
    stamps = pd.to_datetime(["2018-06-04 10:00", "2025-06-02 10:00"])
    priced = price_intervals(stamps, [1.0, 1.0], "22_110kv")
    assert priced["decision"].tolist() == ["4495/QĐ-BCT", "1279/QĐ-BCT"]
    assert priced["unit_price_vnd_per_kwh"].tolist() == [2673, 3398]


def test_dates_without_a_table_are_errors_or_flagged_fallbacks() -> None:
    with pytest.raises(TariffError) as before_first:
        price_intervals(pd.to_datetime(["2017-11-30 10:00"]), [1.0], "22_110kv")
    assert "2017-11-30" in str(before_first.value)
    with pytest.raises(TariffError):
        table_in_force(date(2021, 1, 4))
    with pytest.raises(TariffError):
        table_in_force(date(2025, 5, 9))
    assert table_in_force(date(2025, 5, 10)).decision == "1279/QĐ-BCT"
    fallback = price_intervals(pd.to_datetime(["2021-01-04 10:00"]), [1.0], "22_110kv", fallback=True).iloc[0]
    assert fallback["fallback_table"]
    assert fallback["decision"] == "4495/QĐ-BCT"


def test_a_band_missing_from_a_table_is_an_error() -> None:
    with pytest.raises(TariffError) as error:
        price_intervals(pd.to_datetime(["2018-06-04 10:00"]), [1.0], "lt_6kv")
    assert "4495" in str(error.value)


def test_new_windows_from_decision_963() -> None:
    stamps = pd.to_datetime(["2026-05-04 05:30", "2026-05-04 10:00", "2026-05-04 18:00", "2026-05-04 22:15", "2026-05-04 22:30"])
    priced = price_intervals(stamps, [1.0] * 5, "22_110kv")
    assert priced["period"].tolist() == ["off_peak", "normal", "peak", "peak", "normal"]
    assert set(priced["windows_regime"]) == {"decision_963"}


def test_every_regime_has_five_weekday_peak_hours_and_no_sunday_peak() -> None:
    for regime in tou_regimes():
        assert (regime.lookup[0] == 2).sum() == 5 * 60
        assert (regime.lookup[1] == 2).sum() == 0


def test_bad_inputs() -> None:
    stamps = _day("2025-06-02")
    with pytest.raises(TariffError):
        price_intervals(stamps, [1.0] * 95, "22_110kv")
    with pytest.raises(TariffError):
        price_intervals(stamps[:1], [float("nan")], "22_110kv")
    with pytest.raises(NotFoundError):
        price_intervals(stamps[:1], [1.0], "35kv")
    with pytest.raises(NotFoundError):
        price_intervals(stamps[:1], [1.0], "22_110kv", "residential")


def test_fallback_takes_the_table_nearest_in_time() -> None:
    # 2024-01-01 is 1,749 days after Decision 4495's last day (2019-03-19) and 495 days before
    # Decision 1279 took effect (2025-05-10): the later table is nearer.
    nearest = price_intervals(pd.to_datetime(["2024-01-01 10:00"]), [1.0], "lt_6kv", fallback=True).iloc[0]
    assert nearest["decision"] == "1279/QĐ-BCT"
    assert nearest["fallback_table"]
