"""Alerts: events turned into explained records with severity and the cost of the excess.

Each alert names the meter and firm, the UTC start and end, its kind and severity, the
observed and expected quantities [meter unit] over the event, and for consumption and
pattern kinds the excess (observed − expected) in the meter unit, in kWh or m3, in VND at the
EVN time-of-use tariff (electricity meters with a voltage level; the tariff table's decision
and status, and a fallback table when none is in force, are kept in ``details``) and in
kgCO2e at Viet Nam's grid emission factor of the event's year (its status kept in
``details``). Water has no shipped tariff or factor, so its VND and kgCO2e stay empty.
The explanation is one line in Vietnamese and English.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

import numpy as np
import pandas as pd

from ecozone.errors import EcozoneError
from ecozone.i18n import translate
from ecozone.monitoring.calendar import format_local, to_utc
from ecozone.monitoring.events import DEFICIT_KINDS, EXCESS_KINDS, RawEvent, family
from ecozone.monitoring.inputs import MonitoredMeter
from ecozone.monitoring.robust import FloatArray
from ecozone.monitoring.settings import MonitoringSettings

SEVERITIES = ("low", "medium", "high")
STATUSES = ("open", "acknowledged", "closed")
VALUED_KINDS = frozenset(EXCESS_KINDS + DEFICIT_KINDS)


@dataclass(frozen=True)
class Alert:
    """One explained anomaly of one meter.

    Attributes
    ----------
    meter_id, firm_id, park_id : str
        Where (firm and park may be None).
    kind : str
        See :mod:`ecozone.monitoring.events`.
    start, end : datetime
        UTC start of the first interval and end of the last one.
    severity : str
        ``low``, ``medium`` or ``high``.
    unit : str
        Unit of ``observed``, ``expected`` and ``excess``.
    observed, expected : float or None
        Quantities over the event [unit] (for ``jump`` the largest reading and its expected value).
    excess : float or None
        observed − expected [unit] (consumption and pattern kinds only).
    excess_kwh, excess_m3 : float or None
        Excess in kWh (energy meters) or m3 (water meters).
    excess_vnd : float or None
        Cost of the excess at the EVN tariff [VND, excl. VAT].
    excess_kgco2e : float or None
        Emissions of the excess at the grid factor [kgCO2e].
    peak_z : float or None
        Largest robust z-score of the event [-].
    explanation_vi, explanation_en : str
        One-line explanation.
    details : mapping
        Kind-specific facts and the provenance of prices and factors.
    status : str
        ``open``, ``acknowledged`` or ``closed``.
    """

    meter_id: str
    firm_id: str | None
    park_id: str | None
    kind: str
    start: datetime
    end: datetime
    severity: str
    unit: str
    observed: float | None = None
    expected: float | None = None
    excess: float | None = None
    excess_kwh: float | None = None
    excess_m3: float | None = None
    excess_vnd: float | None = None
    excess_kgco2e: float | None = None
    peak_z: float | None = None
    explanation_vi: str = ""
    explanation_en: str = ""
    details: Mapping[str, Any] = field(default_factory=dict)
    status: str = "open"

    @property
    def key(self) -> tuple[str, str, datetime]:
        """Natural key: (meter, kind, start)."""
        return (self.meter_id, self.kind, self.start)

    @property
    def family(self) -> str:
        """Family of the kind (``excess``, ``deficit`` or the fault kind)."""
        return family(self.kind)

    def explanation(self, lang: str) -> str:
        """Return the explanation in ``lang``."""
        return self.explanation_vi if lang == "vi" else self.explanation_en

    def as_dict(self) -> dict[str, Any]:
        """Return a JSON-ready record."""
        record = {name: getattr(self, name) for name in self.__dataclass_fields__}
        record["start"] = self.start.isoformat()
        record["end"] = self.end.isoformat()
        record["details"] = {key: _plain(value) for key, value in self.details.items()}
        return record


def _plain(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    return value


@dataclass(frozen=True)
class EventContext:
    """The arrays an event's figures are read from.

    Attributes
    ----------
    timestamps : pandas.DatetimeIndex
        UTC start of every column.
    interval_minutes : int
        Grid step [min].
    observed, expected, z : numpy.ndarray, shape (meters, columns)
        Readings, expected values and robust z-scores (NaN where missing).
    meters : tuple of MonitoredMeter
        The meter of every row.
    """

    timestamps: pd.DatetimeIndex
    interval_minutes: int
    observed: FloatArray
    expected: FloatArray
    z: FloatArray
    meters: tuple[MonitoredMeter, ...]


def _sum(values: FloatArray) -> float | None:
    valid = values[~np.isnan(values)]
    return float(valid.sum()) if valid.size else None


def _figures(event: RawEvent, context: EventContext) -> tuple[float | None, float | None, FloatArray | None]:
    """Return (observed, expected, per-interval excess) of an event."""
    span = slice(event.start, event.end)
    observed = context.observed[event.row, span]
    expected = context.expected[event.row, span]
    if event.kind == "jump":
        position = int(np.nanargmax(observed))
        return float(observed[position]), _float(expected[position]), None
    if event.kind == "gap":
        return None, _sum(expected), None
    both = ~np.isnan(observed) & ~np.isnan(expected)
    if event.kind in VALUED_KINDS:
        difference = np.where(both, observed - expected, 0.0)
        return _sum(np.where(both, observed, np.nan)), _sum(np.where(both, expected, np.nan)), difference
    return _sum(observed), _sum(expected), None


def _float(value: float) -> float | None:
    return None if np.isnan(value) else float(value)


def _conversion(unit: str, target: str) -> float | None:
    from ecozone.units import conversion_factor

    try:
        return conversion_factor(unit, target)
    except EcozoneError:
        return None


def _value_excess(
    meter: MonitoredMeter, starts: pd.DatetimeIndex, difference: FloatArray, details: dict[str, Any]
) -> dict[str, float | None]:
    """Return the excess in kWh, m3, VND and kgCO2e, noting the price and factor provenance in ``details``."""
    values: dict[str, float | None] = {"excess_kwh": None, "excess_m3": None, "excess_vnd": None, "excess_kgco2e": None}
    to_kwh, to_m3 = _conversion(meter.unit, "kWh"), _conversion(meter.unit, "m3")
    if to_m3 is not None:
        values["excess_m3"] = float(difference.sum()) * to_m3
    if to_kwh is None:
        return values
    kwh = difference * to_kwh
    values["excess_kwh"] = float(kwh.sum())
    if not meter.is_electricity:
        return values
    values["excess_kgco2e"] = _emissions(kwh, starts, details)
    if meter.voltage_level is None:
        details["price"] = "no_voltage_level"
        return values
    from ecozone.tariffs import price_intervals

    try:
        priced = price_intervals(starts, kwh, meter.voltage_level, fallback=True)
    except EcozoneError as error:
        details["price"] = error.key
        return values
    values["excess_vnd"] = float(priced["cost_vnd"].sum())
    details["tariff_decision"] = str(priced["decision"].iloc[0])
    details["tariff_status"] = str(priced["tariff_status"].iloc[0])
    details["tariff_fallback"] = bool(priced["fallback_table"].any())
    return values


def _emissions(kwh: FloatArray, starts: pd.DatetimeIndex, details: dict[str, Any]) -> float | None:
    from ecozone.ghg.factors import grid_factor

    year = int((starts[0] + pd.Timedelta(hours=7)).year)
    try:
        factor = grid_factor(year)
    except EcozoneError as error:
        details["grid_factor"] = error.key
        return None
    details["grid_factor_year"] = year
    details["grid_factor_status"] = factor.status
    return float(kwh.sum()) * factor.value  # tCO2/MWh = kgCO2/kWh


def severity(
    kind: str, observed: float | None, expected: float | None, excess: float | None, hours: float, settings: MonitoringSettings
) -> str:
    """Return the severity of an alert (see ``parameters.csv``: shares of expected and duration)."""
    if kind == "negative":
        return "high"
    if kind in ("jump", "clock_shift"):
        return "medium"
    if kind in ("stuck", "gap"):
        return "high" if hours >= settings.severity_high_hours else "medium"
    share = abs(excess) / max(abs(expected), 1e-9) if excess is not None and expected is not None else 0.0
    if share >= settings.severity_high_share or hours >= settings.severity_high_hours:
        return "high"
    if share >= settings.severity_medium_share or kind == "leak":
        return "medium"
    return "low"


def _number(value: float | None, digits: int = 1) -> str:
    return "—" if value is None else f"{value:,.{digits}f}"


def explain(alert: Alert, lang: str) -> str:
    """Return the one-line explanation of ``alert`` in ``lang``."""
    params: dict[str, Any] = {
        "meter": alert.meter_id,
        "start": format_local(pd.Timestamp(alert.start)),
        "end": format_local(pd.Timestamp(alert.end)),
        "observed": _number(alert.observed),
        "expected": _number(alert.expected),
        "excess": _number(alert.excess),
        "unit": alert.unit,
        "hours": _number((alert.end - alert.start).total_seconds() / 3600.0),
        "z": _number(alert.peak_z),
    }
    params.update({key: _plain(value) for key, value in alert.details.items()})
    return translate(f"monitoring.explain.{alert.kind}", lang, **params)


def build_alert(event: RawEvent, context: EventContext, settings: MonitoringSettings) -> Alert:
    """Turn an event into an explained, valued alert."""
    meter = context.meters[event.row]
    start = to_utc(context.timestamps[event.start])
    end = to_utc(context.timestamps[event.end - 1]) + pd.Timedelta(minutes=context.interval_minutes)
    observed, expected, difference = _figures(event, context)
    details: dict[str, Any] = dict(event.details)
    confirmed = int(details.pop("confirmed_col", event.start))
    confirmed = min(max(confirmed, event.start), len(context.timestamps) - 1)
    details["confirmed_at"] = (to_utc(context.timestamps[confirmed]) + pd.Timedelta(minutes=context.interval_minutes)).isoformat()
    z = context.z[event.row, event.start : event.end]
    peak = float(np.nanmax(np.abs(z))) if np.isfinite(z).any() else None
    values: dict[str, float | None] = {}
    excess = None
    if difference is not None:
        excess = float(difference.sum())
        values = _value_excess(meter, context.timestamps[event.start : event.end], difference, details)
    hours = (end - start).total_seconds() / 3600.0
    alert = Alert(
        meter_id=meter.meter_id,
        firm_id=meter.firm_id,
        park_id=meter.park_id,
        kind=event.kind,
        start=start.to_pydatetime(),
        end=end.to_pydatetime(),
        severity=severity(event.kind, observed, expected, excess, hours, settings),
        unit=meter.unit,
        observed=observed,
        expected=expected,
        excess=excess,
        excess_kwh=values.get("excess_kwh"),
        excess_m3=values.get("excess_m3"),
        excess_vnd=values.get("excess_vnd"),
        excess_kgco2e=values.get("excess_kgco2e"),
        peak_z=peak,
        details=details,
    )
    return replace(alert, explanation_vi=explain(alert, "vi"), explanation_en=explain(alert, "en"))


NON_ROUTINE_COLUMNS = (
    "meter_id",
    "firm_id",
    "kind",
    "start",
    "end",
    "excess",
    "unit",
    "excess_kwh",
    "excess_m3",
    "excess_vnd",
    "status",
)


def non_routine_events(alerts: Iterable[Alert]) -> pd.DataFrame:
    """Return consumption and pattern alerts as non-routine events for a savings (M&V) report.

    A savings report should adjust for these periods (or report them) instead of silently
    counting their excess against the savings; data faults are left out (they are periods of
    bad data, not of different consumption).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`NON_ROUTINE_COLUMNS`; ``start`` and ``end`` in UTC, ``excess`` [unit].
    """
    rows = [{name: getattr(alert, name) for name in NON_ROUTINE_COLUMNS} for alert in alerts if alert.kind in VALUED_KINDS]
    frame = pd.DataFrame(rows, columns=list(NON_ROUTINE_COLUMNS))
    for name in ("start", "end"):
        frame[name] = pd.to_datetime(frame[name], utc=True)
    return frame
