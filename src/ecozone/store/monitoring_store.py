"""Monitoring persistence: alerts with their life cycle, scoring runs and the incremental state.

Only this module touches the tables of :mod:`ecozone.store.models_monitoring`; it hands plain
:class:`~ecozone.monitoring.incremental.StoredAlert` records back. :func:`monitor_readings`
runs one incremental scoring: it scores the readings that arrived since the park's last run
(plus a look-back, see :mod:`ecozone.monitoring.incremental`), reconciles the alerts found
with the stored ones by natural key (meter, kind, start) and records the run, all in one
transaction, so that re-running over the same readings creates no duplicate alert.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ecozone.monitoring.alerts import STATUSES, Alert
from ecozone.monitoring.detection import DetectionResult, detect_anomalies
from ecozone.monitoring.findings import Finding
from ecozone.monitoring.incremental import LOOKBACK_DAYS, Reconciliation, StoredAlert, reconcile, scoring_start
from ecozone.monitoring.inputs import MonitoredMeter, MonitoringInputError, check_readings
from ecozone.monitoring.settings import MonitoringSettings
from ecozone.store.database import session_scope
from ecozone.store.models_monitoring import MonitoringAlert, MonitoringRun
from ecozone.store.workspace import Workspace

ALL_PARKS = "*"


def naive_utc(moment: datetime | pd.Timestamp | None) -> datetime | None:
    """Return ``moment`` as a naive UTC datetime (how the store keeps times)."""
    if moment is None:
        return None
    stamp = pd.Timestamp(moment)
    if stamp.tzinfo is not None:
        stamp = stamp.tz_convert("UTC").tz_localize(None)
    result: datetime = stamp.to_pydatetime()
    return result


def aware_utc(moment: datetime | None) -> datetime | None:
    """Return a stored naive UTC time as a timezone-aware one."""
    return None if moment is None else moment.replace(tzinfo=UTC)


@dataclass(frozen=True)
class RunSummary:
    """What one monitoring run did.

    Attributes
    ----------
    run_id : int or None
        Stored run (None when nothing new was scored).
    park_id : str
        Park scored.
    window_start, window_end : datetime or None
        Scored window (UTC).
    readings_until : datetime or None
        Latest reading start processed (the next watermark, UTC).
    meters_scored : int
        Meters scored.
    inserted, updated, unchanged : int
        Alerts created, grown or refreshed, and found again unchanged.
    findings : tuple of Finding
        Limitations reported by the run.
    """

    run_id: int | None
    park_id: str
    window_start: datetime | None
    window_end: datetime | None
    readings_until: datetime | None
    meters_scored: int
    inserted: int
    updated: int
    unchanged: int
    findings: tuple[Finding, ...] = ()


def _stored(row: MonitoringAlert) -> StoredAlert:
    alert = Alert(
        meter_id=row.meter_id,
        firm_id=row.firm_id,
        park_id=row.park_id,
        kind=row.kind,
        start=aware_utc(row.start_utc) or row.start_utc,
        end=aware_utc(row.end_utc) or row.end_utc,
        severity=row.severity,
        unit=row.unit,
        observed=row.observed,
        expected=row.expected,
        excess=row.excess,
        excess_kwh=row.excess_kwh,
        excess_m3=row.excess_m3,
        excess_vnd=row.excess_vnd,
        excess_kgco2e=row.excess_kgco2e,
        peak_z=row.peak_z,
        explanation_vi=row.explanation_vi,
        explanation_en=row.explanation_en,
        details=json.loads(row.details or "{}"),
        status=row.status,
    )
    return StoredAlert(
        id=row.id,
        alert=alert,
        first_detected_at=aware_utc(row.first_detected_at),
        last_detected_at=aware_utc(row.last_detected_at),
        acknowledged_at=aware_utc(row.acknowledged_at),
        acknowledged_by=row.acknowledged_by,
        closed_at=aware_utc(row.closed_at),
        closed_by=row.closed_by,
        note=row.note,
    )


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str, sort_keys=True)


def _write(row: MonitoringAlert, alert: Alert) -> None:
    row.park_id, row.firm_id, row.meter_id, row.kind = alert.park_id, alert.firm_id, alert.meter_id, alert.kind
    row.start_utc = naive_utc(alert.start) or alert.start
    row.end_utc = naive_utc(alert.end) or alert.end
    row.severity, row.unit = alert.severity, alert.unit
    row.observed, row.expected, row.excess = alert.observed, alert.expected, alert.excess
    row.excess_kwh, row.excess_m3, row.excess_vnd, row.excess_kgco2e = (
        alert.excess_kwh,
        alert.excess_m3,
        alert.excess_vnd,
        alert.excess_kgco2e,
    )
    row.peak_z = alert.peak_z
    row.explanation_vi, row.explanation_en = alert.explanation_vi, alert.explanation_en
    row.details = _json(dict(alert.details))


def list_alerts(
    workspace: Workspace,
    park_id: str | None = None,
    status: str | None = None,
    meter_id: str | None = None,
    kind: str | None = None,
) -> list[StoredAlert]:
    """Return stored alerts, newest start first, filtered by park, status, meter and kind.

    Raises
    ------
    MonitoringInputError
        If ``status`` is not one of :data:`ecozone.monitoring.alerts.STATUSES`.
    """
    if status is not None and status not in STATUSES:
        raise MonitoringInputError("monitoring.error.unknown_status", status=status, known=", ".join(STATUSES))
    query = select(MonitoringAlert).order_by(MonitoringAlert.start_utc.desc(), MonitoringAlert.id)
    for column, value in (
        (MonitoringAlert.park_id, park_id),
        (MonitoringAlert.status, status),
        (MonitoringAlert.meter_id, meter_id),
        (MonitoringAlert.kind, kind),
    ):
        if value is not None:
            query = query.where(column == value)
    with session_scope(workspace) as session:
        return [_stored(row) for row in session.scalars(query)]


def _change_status(workspace: Workspace, alert_id: int, status: str, by: str | None, note: str | None) -> StoredAlert:
    from ecozone.errors import NotFoundError

    with session_scope(workspace) as session:
        row = session.get(MonitoringAlert, alert_id)
        if row is None:
            raise NotFoundError("monitoring.error.alert_not_found", alert_id=alert_id)
        if row.status == "closed":
            raise MonitoringInputError("monitoring.error.alert_closed", alert_id=alert_id)
        now = naive_utc(datetime.now(UTC))
        if status == "acknowledged":
            row.acknowledged_at, row.acknowledged_by = now, by
        else:
            row.closed_at, row.closed_by = now, by
        row.status = status
        if note:
            row.note = note
        session.flush()
        return _stored(row)


def acknowledge_alert(workspace: Workspace, alert_id: int, by: str | None = None, note: str | None = None) -> StoredAlert:
    """Mark alert ``alert_id`` acknowledged (it stays open to growth by later runs).

    Raises
    ------
    NotFoundError
        If no such alert exists.
    MonitoringInputError
        If it is already closed.
    """
    return _change_status(workspace, alert_id, "acknowledged", by, note)


def close_alert(workspace: Workspace, alert_id: int, by: str | None = None, note: str | None = None) -> StoredAlert:
    """Close alert ``alert_id``: later runs never change it, and a recurrence after its end is a new alert.

    Raises
    ------
    NotFoundError
        If no such alert exists.
    MonitoringInputError
        If it is already closed.
    """
    return _change_status(workspace, alert_id, "closed", by, note)


def last_watermark(workspace: Workspace, park_id: str) -> datetime | None:
    """Return the latest reading start processed by a run of ``park_id`` (UTC, aware), or None."""
    with session_scope(workspace) as session:
        value = session.scalar(select(func.max(MonitoringRun.readings_until_utc)).where(MonitoringRun.park_id == park_id))
    return aware_utc(value)


def _alerts_near(session: Session, meter_ids: list[str], since: datetime | None) -> list[MonitoringAlert]:
    query = select(MonitoringAlert).where(MonitoringAlert.meter_id.in_(meter_ids))
    if since is not None:
        query = query.where(MonitoringAlert.end_utc >= since)
    return list(session.scalars(query))


def save_detection(
    workspace: Workspace, park_id: str, result: DetectionResult, readings_until: datetime | None, merge_gap_hours: float
) -> RunSummary:
    """Reconcile a detection result with the stored alerts and record the run, in one transaction."""
    meter_ids = sorted({alert.meter_id for alert in result.alerts})
    now = naive_utc(datetime.now(UTC)) or datetime.now()
    since = naive_utc(pd.Timestamp(result.window_start) - pd.Timedelta(hours=merge_gap_hours)) if result.window_start else None
    with session_scope(workspace) as session:
        rows = {row.id: row for row in _alerts_near(session, meter_ids, since)} if meter_ids else {}
        outcome: Reconciliation = reconcile([_stored(row) for row in rows.values()], result.alerts, merge_gap_hours)
        for alert in outcome.inserted:
            row = MonitoringAlert(status="open", first_detected_at=now, last_detected_at=now)
            _write(row, alert)
            session.add(row)
        for alert_id, alert in outcome.updated:
            row = rows[alert_id]
            _write(row, alert)
            row.last_detected_at = now
        run = MonitoringRun(
            park_id=park_id,
            ran_at=now,
            window_start_utc=naive_utc(result.window_start),
            window_end_utc=naive_utc(result.window_end),
            readings_until_utc=naive_utc(readings_until),
            meters_scored=result.meters_scored,
            alerts_inserted=len(outcome.inserted),
            alerts_updated=len(outcome.updated),
            findings=_json([finding.as_dict() for finding in result.findings]),
        )
        session.add(run)
        session.flush()
        run_id = run.id
    return RunSummary(
        run_id,
        park_id,
        result.window_start,
        result.window_end,
        readings_until,
        result.meters_scored,
        len(outcome.inserted),
        len(outcome.updated),
        outcome.unchanged,
        result.findings,
    )


def monitor_readings(
    workspace: Workspace,
    readings: pd.DataFrame,
    meters: Mapping[str, MonitoredMeter] | None = None,
    *,
    park_id: str = ALL_PARKS,
    since: datetime | None = None,
    temperature: pd.Series | pd.DataFrame | None = None,
    settings: MonitoringSettings | None = None,
    lookback_days: int = LOOKBACK_DAYS,
) -> RunSummary:
    """Run one incremental monitoring pass over ``readings`` and store its alerts.

    Parameters
    ----------
    workspace : Workspace
        Where alerts and runs are kept.
    readings : pandas.DataFrame
        Readings with enough history before the new ones (``meter_id``, ``timestamp``, ``value``).
    meters : mapping, optional
        Meter facts by id.
    park_id : str
        Park whose watermark is used and advanced.
    since : datetime, optional
        Score readings from this time (UTC) instead of the park's watermark.
    temperature : pandas.Series or DataFrame, optional
        Outdoor temperature [°C].
    settings : MonitoringSettings, optional
        Thresholds.
    lookback_days : int
        Days re-scored before the new readings.

    Returns
    -------
    RunSummary
    """
    settings = settings or MonitoringSettings()
    checked = check_readings(readings)
    watermark = last_watermark(workspace, park_id)
    anchor = pd.Timestamp(since).tz_convert("UTC") if since is not None and pd.Timestamp(since).tzinfo else since
    if anchor is None and watermark is not None:
        fresh = checked[checked["timestamp"] > pd.Timestamp(watermark)]
        if fresh.empty:
            finding = Finding("monitoring.finding.no_readings", "info")
            return RunSummary(None, park_id, None, None, watermark, 0, 0, 0, 0, (finding,))
    start = scoring_start(watermark, pd.Timestamp(anchor).to_pydatetime() if anchor is not None else None, lookback_days)
    result = detect_anomalies(checked, meters, score_from=start, temperature=temperature, settings=settings)
    until = checked["timestamp"].max().to_pydatetime() if not checked.empty else watermark
    return save_detection(workspace, park_id, result, until, settings.merge_gap_hours)


def stored_readings(workspace: Workspace, park_id: str, since: datetime | None = None) -> pd.DataFrame:
    """Return the park's readings from the workspace's readings store (read-only), from ``since`` on.

    Columns ``meter_id``, ``timestamp`` (UTC) and ``value`` (in the meter's base unit); empty
    when nothing is stored.
    """
    from ecozone.meters.dataset import connect_stored

    connection = connect_stored(workspace.readings_path, [park_id])
    try:
        query = "SELECT meter_id, ts_utc, value FROM stored WHERE value IS NOT NULL"
        parameters: list[object] = []
        if since is not None:
            query += " AND ts_utc >= ?"
            parameters.append(naive_utc(since))
        frame = connection.execute(query + " ORDER BY meter_id, ts_utc", parameters).df()
    finally:
        connection.close()
    timestamps = (
        pd.to_datetime(frame["ts_utc"]).dt.tz_localize("UTC") if not frame.empty else pd.Series([], dtype="datetime64[us, UTC]")
    )
    return pd.DataFrame(
        {"meter_id": frame["meter_id"].astype("str"), "timestamp": timestamps, "value": frame["value"].astype("float64")}
    )
