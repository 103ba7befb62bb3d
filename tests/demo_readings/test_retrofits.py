"""The retrofit truth equals what the series with and without the measures show."""

from __future__ import annotations

from datetime import date

import pandas as pd

from ecozone.demo.readings import Retrofit, demo_retrofits

Registry = dict[str, list[dict[str, object]]]


def local_series(frame: pd.DataFrame, meter_id: str) -> pd.Series:
    rows = frame[frame["meter_id"] == meter_id]
    return pd.Series(rows["value"].to_numpy(), index=pd.DatetimeIndex(rows["timestamp"]).tz_convert("Asia/Ho_Chi_Minh"))


def test_three_measures_on_three_firms(retrofits: list[Retrofit], firms: dict[str, dict[str, object]]) -> None:
    assert [r.measure for r in retrofits] == ["chiller_replacement", "led_vsd", "extruder_vsd_insulation"]
    assert len({r.firm_id for r in retrofits}) == 3
    assert [firms[r.firm_id]["vsic_code"] for r in retrofits] == ["26", "10", "22"]
    assert [r.start for r in retrofits] == [date(2024, 9, 1), date(2024, 7, 1), date(2024, 4, 1)]
    assert [r.true_saving_fraction for r in retrofits] == [0.25, 0.12, 0.10]
    for retrofit in retrofits:
        assert retrofit.meter_id == f"{retrofit.firm_id}-electricity"
        assert retrofit.description_vi and retrofit.description_en


def test_largest_users_of_their_sector_are_chosen(
    readings_without_retrofits: pd.DataFrame, retrofits: list[Retrofit], firms: dict[str, dict[str, object]]
) -> None:
    totals = readings_without_retrofits[readings_without_retrofits["meter_id"].str.endswith("-electricity")]
    totals = totals.groupby("meter_id")["value"].sum()
    for retrofit in retrofits:
        vsic = firms[retrofit.firm_id]["vsic_code"]
        same_sector = [f"{f}-electricity" for f, firm in firms.items() if firm["vsic_code"] == vsic]
        assert totals[same_sector].idxmax() == retrofit.meter_id


def test_true_saving_equals_the_difference_of_the_series(
    readings: pd.DataFrame, readings_without_retrofits: pd.DataFrame, retrofits: list[Retrofit]
) -> None:
    for retrofit in retrofits:
        with_measure = local_series(readings, retrofit.meter_id)
        without = local_series(readings_without_retrofits, retrofit.meter_id)
        assert abs(without.sum() - retrofit.counterfactual_annual_kwh) < 1e-6 * without.sum()
        saving = without.sum() - with_measure.sum()
        assert abs(saving - retrofit.true_annual_saving_kwh) < 1e-6 * without.sum()
        start = pd.Timestamp(retrofit.start).tz_localize("Asia/Ho_Chi_Minh")
        before, after = without.index < start, without.index >= start
        assert (with_measure[before] == without[before]).all()
        # from the start on, the measure cuts at most its fraction of the whole load, and cuts something
        ratio = with_measure[after].sum() / without[after].sum()
        assert 1 - retrofit.true_saving_fraction <= ratio < 1 - 0.01


def test_other_meters_do_not_change(
    readings: pd.DataFrame, readings_without_retrofits: pd.DataFrame, retrofits: list[Retrofit]
) -> None:
    changed = {r.meter_id for r in retrofits}
    keep = ~readings["meter_id"].isin(changed)
    pd.testing.assert_frame_equal(readings[keep].reset_index(drop=True), readings_without_retrofits[keep].reset_index(drop=True))


def test_a_process_measure_cuts_its_fraction_of_the_non_cooling_load(
    readings: pd.DataFrame, readings_without_retrofits: pd.DataFrame, retrofits: list[Retrofit]
) -> None:
    """At night in the coolest hours the cooling share is smallest: the cut approaches the fraction there."""
    retrofit = next(r for r in retrofits if r.measure == "led_vsd")
    with_measure = local_series(readings, retrofit.meter_id)
    without = local_series(readings_without_retrofits, retrofit.meter_id)
    after = without.index >= pd.Timestamp(retrofit.start).tz_localize("Asia/Ho_Chi_Minh")
    cut = 1 - with_measure[after].sum() / without[after].sum()
    assert 0.6 * retrofit.true_saving_fraction < cut < retrofit.true_saving_fraction


def test_measures_stay_in_place_the_next_year(registry: Registry, retrofits: list[Retrofit]) -> None:
    next_year = demo_retrofits(registry, 2025)
    assert [r.firm_id for r in next_year] == [r.firm_id for r in retrofits]
    for later, first in zip(next_year, retrofits, strict=True):
        assert later.year == 2025
        assert later.true_annual_saving_kwh > first.true_annual_saving_kwh
