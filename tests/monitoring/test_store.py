"""Alerts are stored, acknowledged and closed; incremental runs never duplicate an alert."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pandas as pd
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from ecozone.errors import NotFoundError
from ecozone.monitoring import synthetic
from ecozone.monitoring.alerts import Alert
from ecozone.monitoring.incremental import StoredAlert, reconcile, scoring_start
from ecozone.monitoring.inputs import MonitoredMeter, MonitoringInputError
from ecozone.store import models_monitoring
from ecozone.store.database import engine_for
from ecozone.store.models import Base
from ecozone.store.monitoring_store import (
    acknowledge_alert,
    close_alert,
    last_watermark,
    list_alerts,
    monitor_readings,
)
from ecozone.store.workspace import Workspace
from tests.monitoring.conftest import WINDOW, utc

Park = tuple[pd.DataFrame, dict[str, MonitoredMeter]]


def _alert(kind: str, start: str, end: str, excess: float = 10.0) -> Alert:
    return Alert("m1", "f1", "p", kind, utc(start).to_pydatetime(), utc(end).to_pydatetime(), "low", "kWh", 20.0, 10.0, excess)


def test_reconcile_same_key_updates_and_neighbours_grow() -> None:
    stored = [StoredAlert(1, _alert("consumption_high", "2024-10-08 00:00", "2024-10-08 02:00"))]
    same = _alert("consumption_high", "2024-10-08 00:00", "2024-10-08 03:00", 15.0)
    outcome = reconcile(stored, [same], merge_gap_hours=24)
    assert outcome.inserted == ()
    assert [(i, a.end) for i, a in outcome.updated] == [(1, same.end)]
    later = _alert("leak", "2024-10-08 10:00", "2024-10-08 12:00", 4.0)
    grown = reconcile(stored, [later], merge_gap_hours=24).updated[0][1]
    assert (grown.kind, grown.start, grown.end) == ("leak", stored[0].alert.start, later.end)
    assert grown.excess == pytest.approx(4.0 + 10.0)  # the stored part before the new event is kept whole here
    far = _alert("consumption_high", "2024-10-12 00:00", "2024-10-12 01:00")
    assert reconcile(stored, [far], merge_gap_hours=24).inserted == (far,)
    other_family = _alert("gap", "2024-10-08 00:00", "2024-10-08 01:00")
    assert reconcile(stored, [other_family], merge_gap_hours=24).inserted == (other_family,)


def test_closed_alerts_are_never_touched() -> None:
    closed = StoredAlert(3, replace(_alert("consumption_high", "2024-10-08 00:00", "2024-10-08 02:00"), status="closed"))
    outcome = reconcile([closed], [_alert("consumption_high", "2024-10-08 00:00", "2024-10-08 05:00")], merge_gap_hours=24)
    assert (outcome.inserted, outcome.updated, outcome.unchanged) == ((), (), 1)


def test_scoring_start_looks_back() -> None:
    mark = datetime(2024, 10, 8, tzinfo=UTC)
    assert scoring_start(mark, None, 7) == datetime(2024, 10, 1, tzinfo=UTC)
    assert scoring_start(None, None) is None


def test_monitoring_tables_match_their_migration(sqlite_workspace: Workspace) -> None:
    assert models_monitoring.MonitoringAlert.__tablename__ in Base.metadata.tables
    with engine_for(sqlite_workspace.database_url).connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    mine = [d for d in differences if "monitoring_" in repr(d)]
    assert mine == []


def test_incremental_runs_create_no_duplicates(workspace: Workspace, small_park: Park) -> None:
    readings, meters = small_park
    readings, _ = synthetic.inject_freeze(readings, "synthetic-e00001", utc("2024-10-08 03:00"), utc("2024-10-08 12:00"))
    readings, _ = synthetic.inject_addition(
        readings, "synthetic-w00000", utc("2024-10-07 17:00"), utc("2024-10-13 17:00"), 60.0, "leak"
    )
    first_part = readings[readings["timestamp"] < utc("2024-10-10 17:00")]
    first = monitor_readings(workspace, first_part, meters, park_id="synthetic", since=WINDOW.to_pydatetime(), lookback_days=0)
    assert first.inserted >= 2
    assert last_watermark(workspace, "synthetic") == first_part["timestamp"].max().to_pydatetime()
    again = monitor_readings(workspace, first_part, meters, park_id="synthetic")
    assert (again.run_id, again.inserted, again.updated) == (None, 0, 0)
    assert again.findings[0].code == "monitoring.finding.no_readings"
    rerun = monitor_readings(workspace, first_part, meters, park_id="synthetic", since=WINDOW.to_pydatetime(), lookback_days=0)
    assert rerun.inserted == 0
    ids_before = {a.id for a in list_alerts(workspace, "synthetic")}
    later = monitor_readings(workspace, readings, meters, park_id="synthetic")
    assert later.run_id is not None
    stored = list_alerts(workspace, "synthetic")
    keys = [(a.alert.meter_id, a.alert.kind, a.alert.start) for a in stored]
    assert len(keys) == len(set(keys))
    assert ids_before <= {a.id for a in stored}  # alerts grow or are upgraded in place, never re-raised
    water = [a for a in stored if a.alert.meter_id == "synthetic-w00000"]
    assert [a.alert.kind for a in water] == ["leak"]
    assert water[0].id in ids_before
    assert pd.Timestamp(water[0].alert.end) == utc("2024-10-13 17:00")


def test_acknowledge_and_close(workspace: Workspace, small_park: Park) -> None:
    readings, meters = small_park
    readings, _ = synthetic.inject_negative(readings, "synthetic-e00003", utc("2024-10-08 03:00"), utc("2024-10-08 04:00"))
    monitor_readings(workspace, readings, meters, park_id="synthetic", since=WINDOW.to_pydatetime(), lookback_days=0)
    (alert,) = list_alerts(workspace, "synthetic", status="open")
    acknowledged = acknowledge_alert(workspace, alert.id, by="operator", note="crew sent")
    assert acknowledged.alert.status == "acknowledged"
    assert acknowledged.acknowledged_by == "operator"
    closed = close_alert(workspace, alert.id, by="operator")
    assert closed.alert.status == "closed"
    assert closed.note == "crew sent"
    rerun = monitor_readings(workspace, readings, meters, park_id="synthetic", since=WINDOW.to_pydatetime(), lookback_days=0)
    assert rerun.inserted == 0
    assert list_alerts(workspace, "synthetic", status="closed")[0].alert.status == "closed"
    with pytest.raises(MonitoringInputError):
        close_alert(workspace, alert.id)
    with pytest.raises(NotFoundError):
        acknowledge_alert(workspace, 9999)
    with pytest.raises(MonitoringInputError):
        list_alerts(workspace, status="pending")
