"""End-to-end detection on a synthetic park with injected incidents, and the bad inputs of the issue."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ecozone.monitoring import synthetic
from ecozone.monitoring.detection import detect_anomalies
from ecozone.monitoring.inputs import MonitoredMeter, MonitoringInputError
from tests.monitoring.conftest import WINDOW, utc

Park = tuple[pd.DataFrame, dict[str, MonitoredMeter]]


def test_clean_park_raises_no_alert(small_park: Park) -> None:
    readings, meters = small_park
    result = detect_anomalies(readings, meters, score_from=WINDOW)
    assert result.alerts == ()
    assert result.meters_scored == 11
    assert result.meter_days == pytest.approx(11 * 7)


def test_each_injected_incident_is_found_with_its_kind(small_park: Park) -> None:
    readings, meters = small_park
    steps = [
        lambda r: synthetic.inject_addition(
            r, "synthetic-e00000", utc("2024-10-12 06:00"), utc("2024-10-13 23:00"), 200.0, "baseload_drift"
        ),
        lambda r: synthetic.inject_freeze(r, "synthetic-e00001", utc("2024-10-08 03:00"), utc("2024-10-08 12:00")),
        lambda r: synthetic.inject_gap(r, "synthetic-e00002", utc("2024-10-08 03:00"), utc("2024-10-08 07:00")),
        lambda r: synthetic.inject_negative(r, "synthetic-e00003", utc("2024-10-08 03:00"), utc("2024-10-08 04:00")),
        lambda r: synthetic.inject_jump(r, "synthetic-e00004", utc("2024-10-08 03:00")),
        lambda r: synthetic.inject_clock_shift(r, "synthetic-e00005", utc("2024-10-08 17:00"), utc("2024-10-09 17:00"), 2),
        lambda r: synthetic.inject_scaling(
            r, "synthetic-e00006", utc("2024-10-08 02:00"), utc("2024-10-08 06:00"), 1.8, "consumption_high"
        ),
        lambda r: synthetic.inject_scaling(
            r, "synthetic-e00007", utc("2024-10-08 02:00"), utc("2024-10-08 06:00"), 0.2, "consumption_low"
        ),
        lambda r: synthetic.inject_addition(
            r, "synthetic-w00000", utc("2024-10-07 17:00"), utc("2024-10-13 17:00"), 60.0, "leak"
        ),
    ]
    incidents = []
    for step in steps:
        readings, incident = step(readings)
        incidents.append(incident)
    result = detect_anomalies(readings, meters, score_from=WINDOW)
    matched = synthetic.match_alerts(incidents, result.alerts_frame())
    assert matched["detected"].all(), matched
    untouched = {"synthetic-w00001", "synthetic-w00002"}
    assert not any(alert.meter_id in untouched for alert in result.alerts)
    for alert in result.alerts:
        assert alert.explanation_en and alert.explanation_vi
        assert alert.start < alert.end


def test_excess_is_valued_at_the_tariff_and_the_grid_factor(small_park: Park) -> None:
    from ecozone.ghg.factors import grid_factor
    from ecozone.tariffs import price_intervals

    readings, meters = small_park
    readings, _ = synthetic.inject_addition(
        readings, "synthetic-e00000", utc("2024-10-08 02:00"), utc("2024-10-08 06:00"), 300.0, "x"
    )
    result = detect_anomalies(readings, meters, score_from=WINDOW)
    (alert,) = [a for a in result.alerts if a.meter_id == "synthetic-e00000"]
    assert alert.kind == "consumption_high"
    assert alert.excess == pytest.approx(alert.observed - alert.expected)  # type: ignore[operator]
    assert alert.excess_kwh == pytest.approx(alert.excess)
    assert alert.excess_kgco2e == pytest.approx(alert.excess_kwh * grid_factor(2024).value)  # type: ignore[operator]
    expected_series = result.expected["synthetic-e00000"]
    span = readings[
        (readings["meter_id"] == "synthetic-e00000")
        & (readings["timestamp"] >= alert.start)
        & (readings["timestamp"] < alert.end)
    ]
    excess = span["value"].to_numpy() - expected_series.reindex(pd.DatetimeIndex(span["timestamp"])).to_numpy()
    priced = price_intervals(pd.DatetimeIndex(span["timestamp"]), excess, "22_110kv", fallback=True)
    assert alert.excess_vnd == pytest.approx(float(priced["cost_vnd"].sum()))
    assert alert.details["tariff_fallback"] is True
    assert 250.0 * 16 < alert.excess < 350.0 * 16  # type: ignore[operator]


def test_short_history_disables_profile_detection_but_not_fault_checks(small_park: Park) -> None:
    readings, meters = small_park
    recent = readings[readings["timestamp"] >= WINDOW - pd.Timedelta(days=10)]
    recent, _ = synthetic.inject_negative(recent, "synthetic-e00003", utc("2024-10-08 03:00"), utc("2024-10-08 04:00"))
    recent, _ = synthetic.inject_scaling(recent, "synthetic-e00006", utc("2024-10-08 02:00"), utc("2024-10-08 06:00"), 2.0, "x")
    result = detect_anomalies(recent, meters, score_from=WINDOW)
    assert {(a.meter_id, a.kind) for a in result.alerts} == {("synthetic-e00003", "negative")}
    short = {f.meter_id for f in result.findings if f.code == "monitoring.finding.short_history"}
    assert short == set(meters)


def test_a_stopped_temperature_feed_is_reported_without_alerts(small_park: Park) -> None:
    readings, meters = small_park
    hours = pd.date_range(utc("2024-09-01 17:00"), utc("2024-10-09 12:00"), freq="1h")
    temperature = pd.Series(28.0 + 3.0 * np.sin(np.arange(hours.size) * 2 * np.pi / 24), index=hours)
    result = detect_anomalies(readings, meters, score_from=WINDOW, temperature=temperature)
    assert result.alerts == ()
    codes = {f.code for f in result.findings}
    assert "monitoring.finding.temperature_stopped" in codes


def test_late_duplicates_change_nothing_and_are_reported(small_park: Park) -> None:
    readings, meters = small_park
    late = readings[(readings["meter_id"] == "synthetic-e00000") & (readings["timestamp"] >= WINDOW)].head(20)
    duplicated = pd.concat([readings, late], ignore_index=True)
    conflicting = late.assign(value=late["value"] + 1.0)
    result = detect_anomalies(pd.concat([duplicated, conflicting.head(2)], ignore_index=True), meters, score_from=WINDOW)
    assert result.alerts == ()
    by_code = {f.code: f for f in result.findings if f.meter_id == "synthetic-e00000"}
    assert by_code["monitoring.finding.late_duplicates"].params["count"] == 20
    assert by_code["monitoring.finding.conflicting_duplicates"].params["count"] == 2


def test_a_park_wide_clock_change_is_one_finding_not_a_storm(small_park: Park) -> None:
    readings, meters = small_park
    shifted = readings
    for meter_id in [m for m in meters if "-e" in m]:
        shifted, _ = synthetic.inject_clock_shift(shifted, meter_id, utc("2024-10-08 17:00"), utc("2024-10-09 17:00"), 1)
    result = detect_anomalies(shifted, meters, score_from=WINDOW)
    assert [a for a in result.alerts if a.kind != "gap"] == []
    clock = [f for f in result.findings if f.code == "monitoring.finding.park_clock_change"]
    assert len(clock) == 1
    assert clock[0].params["count"] == 8


def test_baseline_predictions_replace_the_profile(small_park: Park) -> None:
    readings, meters = small_park
    one = readings[readings["meter_id"] == "synthetic-e00000"].copy()
    one["expected"] = one["value"]  # a perfect baseline ...
    one.loc[(one["timestamp"] >= utc("2024-10-08 02:00")) & (one["timestamp"] < utc("2024-10-08 05:00")), "expected"] *= 0.5
    result = detect_anomalies(one, meters, score_from=WINDOW)  # ... that under-predicts three hours
    assert [(a.kind, a.start) for a in result.alerts] == [("consumption_high", utc("2024-10-08 02:00").to_pydatetime())]


def test_bad_tables_raise_a_clear_error() -> None:
    with pytest.raises(MonitoringInputError) as missing:
        detect_anomalies(pd.DataFrame({"meter_id": ["m"], "value": [1.0]}))
    assert "timestamp" in missing.value.message("en")
    with pytest.raises(MonitoringInputError):
        detect_anomalies(pd.DataFrame({"meter_id": ["m"], "timestamp": ["not a time"], "value": [1.0]}))
    with pytest.raises(MonitoringInputError):
        detect_anomalies(pd.DataFrame({"meter_id": ["m"], "timestamp": ["2024-01-01"], "value": ["abc"]}))
    empty = detect_anomalies(pd.DataFrame({"meter_id": [], "timestamp": [], "value": []}))
    assert empty.alerts == ()
    assert empty.findings[0].code == "monitoring.finding.no_readings"


def test_consumption_alerts_become_non_routine_events(small_park: Park) -> None:
    from ecozone.monitoring import non_routine_events

    readings, meters = small_park
    start, end = utc("2024-10-08 02:00"), utc("2024-10-08 06:00")
    readings, _ = synthetic.inject_addition(readings, "synthetic-e00000", start, end, 300.0, "x")
    readings, _ = synthetic.inject_gap(readings, "synthetic-e00002", utc("2024-10-08 03:00"), utc("2024-10-08 07:00"))
    result = detect_anomalies(readings, meters, score_from=WINDOW)
    events = non_routine_events(result.alerts)
    assert events["meter_id"].tolist() == ["synthetic-e00000"]
    assert events["excess_kwh"].iloc[0] > 0
    assert str(events["start"].dt.tz) == "UTC"
