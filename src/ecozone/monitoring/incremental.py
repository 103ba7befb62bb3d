"""Incremental monitoring: which window to score, and how new alerts meet stored ones.

Runs every few minutes must neither miss an incident that straddles two runs nor raise it
twice. Each run therefore re-scores a look-back of ``lookback_days`` before the readings that
arrived since the last run (so persistence windows and the daily CUSUM see their context),
and reconciles what it finds with the stored alerts:

- same natural key (meter, kind, start) as a stored alert → that alert is updated (a closed
  alert is left alone);
- otherwise, overlapping a stored open or acknowledged alert of the same meter and family, or
  starting within ``merge_gap_hours`` of its end → that alert grows (span union, most specific
  kind; figures of the part before the new event are kept pro rata of its duration);
- otherwise → a new alert.

Re-running over the same readings thus finds the same keys and creates nothing new.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

import pandas as pd

from ecozone.monitoring.alerts import Alert, explain
from ecozone.monitoring.events import KIND_RANK, family

LOOKBACK_DAYS = 7
"""Days re-scored before the new readings (the CUSUM's minimum run and k-of-n windows fit in it)."""
SUMMED_FIELDS = ("observed", "expected", "excess", "excess_kwh", "excess_m3", "excess_vnd", "excess_kgco2e")


@dataclass(frozen=True)
class StoredAlert:
    """An alert as kept by the store.

    Attributes
    ----------
    id : int
        Store identifier.
    alert : Alert
        The alert (its ``status`` is the stored status).
    first_detected_at, last_detected_at : datetime or None
        When runs first and last found it (UTC).
    acknowledged_at, closed_at : datetime or None
        When it was acknowledged or closed (UTC).
    acknowledged_by, closed_by, note : str or None
        Who did it and why.
    """

    id: int
    alert: Alert
    first_detected_at: datetime | None = None
    last_detected_at: datetime | None = None
    acknowledged_at: datetime | None = None
    acknowledged_by: str | None = None
    closed_at: datetime | None = None
    closed_by: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Reconciliation:
    """What a run changes in the store.

    Attributes
    ----------
    inserted : tuple of Alert
        New alerts.
    updated : tuple of (int, Alert)
        Stored alerts (by id) and their new content.
    unchanged : int
        Alerts found again without any change (or matching a closed alert).
    """

    inserted: tuple[Alert, ...] = ()
    updated: tuple[tuple[int, Alert], ...] = ()
    unchanged: int = 0


def scoring_start(watermark: datetime | None, since: datetime | None, lookback_days: int = LOOKBACK_DAYS) -> datetime | None:
    """Return the first instant to score (UTC): ``since`` or the last run's watermark, less the look-back.

    None (no watermark, no ``since``) means "score the last day of the readings".
    """
    anchor = since if since is not None else watermark
    return None if anchor is None else anchor - timedelta(days=lookback_days)


def _as_utc(moment: datetime) -> pd.Timestamp:
    stamp = pd.Timestamp(moment)
    return stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")


def _touches(stored: Alert, new: Alert, gap: timedelta) -> bool:
    return _as_utc(stored.start) <= _as_utc(new.end) + gap and _as_utc(new.start) <= _as_utc(stored.end) + gap


def grow(stored: Alert, new: Alert) -> Alert:
    """Return ``stored`` grown by ``new`` (same meter and family): span union, most specific kind, figures combined."""
    start = min(_as_utc(stored.start), _as_utc(new.start))
    end = max(_as_utc(stored.end), _as_utc(new.end))
    kind = new.kind if KIND_RANK.get(new.kind, 0) >= KIND_RANK.get(stored.kind, 0) else stored.kind
    figures: dict[str, float | None] = {}
    stored_span = (_as_utc(stored.end) - _as_utc(stored.start)).total_seconds()
    before = max((_as_utc(new.start) - _as_utc(stored.start)).total_seconds(), 0.0)
    share = min(before / stored_span, 1.0) if stored_span > 0 else 0.0
    for name in SUMMED_FIELDS:
        old, fresh = getattr(stored, name), getattr(new, name)
        if fresh is None:
            figures[name] = old
        else:
            figures[name] = fresh + (old * share if old is not None else 0.0)
    peaks = [value for value in (stored.peak_z, new.peak_z) if value is not None]
    severity_order = ("low", "medium", "high")
    severity = max(stored.severity, new.severity, key=severity_order.index)
    grown = replace(
        new,
        kind=kind,
        start=start.to_pydatetime(),
        end=end.to_pydatetime(),
        severity=severity,
        peak_z=max(peaks) if peaks else None,
        status=stored.status,
        details={**stored.details, **new.details},
        observed=figures["observed"],
        expected=figures["expected"],
        excess=figures["excess"],
        excess_kwh=figures["excess_kwh"],
        excess_m3=figures["excess_m3"],
        excess_vnd=figures["excess_vnd"],
        excess_kgco2e=figures["excess_kgco2e"],
    )
    return replace(grown, explanation_vi=explain(grown, "vi"), explanation_en=explain(grown, "en"))


def reconcile(stored: Sequence[StoredAlert], found: Sequence[Alert], merge_gap_hours: float) -> Reconciliation:
    """Decide which found alerts are new and which update stored ones (see the module docstring)."""
    gap = timedelta(hours=merge_gap_hours)
    by_key = {_key(item.alert): item for item in stored}
    current = {item.id: item.alert for item in stored}
    inserted: list[Alert] = []
    changed: dict[int, Alert] = {}
    unchanged = 0
    for alert in found:
        same = by_key.get(_key(alert))
        if same is not None:
            if same.alert.status == "closed" or _same_content(current[same.id], alert):
                unchanged += 1
                continue
            changed[same.id] = replace(alert, status=current[same.id].status)
            current[same.id] = changed[same.id]
            continue
        target = _open_neighbour(stored, current, alert, gap)
        if target is None:
            inserted.append(alert)
            continue
        grown = grow(current[target], alert)
        changed[target], current[target] = grown, grown
    return Reconciliation(tuple(inserted), tuple(changed.items()), unchanged)


def _key(alert: Alert) -> tuple[str, str, pd.Timestamp]:
    return (alert.meter_id, alert.kind, _as_utc(alert.start))


def _open_neighbour(stored: Sequence[StoredAlert], current: dict[int, Alert], alert: Alert, gap: timedelta) -> int | None:
    for item in stored:
        candidate = current[item.id]
        if (
            candidate.status != "closed"
            and candidate.meter_id == alert.meter_id
            and family(candidate.kind) == family(alert.kind)
            and _touches(candidate, alert, gap)
        ):
            return item.id
    return None


def _same_content(stored: Alert, found: Alert) -> bool:
    fields = ("end", "severity", "observed", "expected", "excess", "kind")
    return all(_close(getattr(stored, name), getattr(found, name)) for name in fields)


def _close(left: object, right: object) -> bool:
    if isinstance(left, float) and isinstance(right, float):
        return abs(left - right) <= 1e-6 * max(1.0, abs(left), abs(right))
    if isinstance(left, datetime) and isinstance(right, datetime):
        return _as_utc(left) == _as_utc(right)
    return left == right
