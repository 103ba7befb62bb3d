"""SQLAlchemy models of monitoring: alerts and the runs that raised them (the incremental state).

``monitoring_alerts`` holds one row per incident with its natural key (meter, kind, start);
``monitoring_runs`` records every scoring run with the latest reading it processed (the
watermark the next run starts from) and its findings. Times are naive UTC.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Float, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ecozone.store.models import Base


class MonitoringAlert(Base):
    """An anomaly alert of one meter."""

    __tablename__ = "monitoring_alerts"
    __table_args__ = (UniqueConstraint("meter_id", "kind", "start_utc", name="uq_monitoring_alert_key"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    park_id: Mapped[str | None] = mapped_column(String(64), index=True, comment="Park of the meter.")
    firm_id: Mapped[str | None] = mapped_column(String(64), index=True, comment="Firm owning the meter (empty for park meters).")
    meter_id: Mapped[str] = mapped_column(String(64), index=True, comment="Meter of the alert.")
    kind: Mapped[str] = mapped_column(
        String(32), comment="Alert kind (gap, stuck, jump, negative, clock_shift, consumption_high, ...)."
    )
    start_utc: Mapped[datetime] = mapped_column(DateTime(), comment="Start of the first interval of the event (UTC).")
    end_utc: Mapped[datetime] = mapped_column(DateTime(), comment="End of the last interval of the event (UTC).")
    severity: Mapped[str] = mapped_column(String(8), comment="low, medium or high.")
    status: Mapped[str] = mapped_column(String(16), index=True, comment="open, acknowledged or closed.")
    unit: Mapped[str] = mapped_column(String(16), comment="Unit of observed, expected and excess.")
    observed: Mapped[float | None] = mapped_column(Float, comment="Observed quantity over the event [unit].")
    expected: Mapped[float | None] = mapped_column(Float, comment="Expected quantity over the event [unit].")
    excess: Mapped[float | None] = mapped_column(Float, comment="Observed minus expected [unit].")
    excess_kwh: Mapped[float | None] = mapped_column(Float, comment="Excess energy [kWh].")
    excess_m3: Mapped[float | None] = mapped_column(Float, comment="Excess water [m3].")
    excess_vnd: Mapped[float | None] = mapped_column(Float, comment="Cost of the excess at the EVN tariff [VND].")
    excess_kgco2e: Mapped[float | None] = mapped_column(Float, comment="Emissions of the excess at the grid factor [kgCO2e].")
    peak_z: Mapped[float | None] = mapped_column(Float, comment="Largest robust z-score of the event.")
    explanation_vi: Mapped[str] = mapped_column(Text, comment="One-line explanation in Vietnamese.")
    explanation_en: Mapped[str] = mapped_column(Text, comment="One-line explanation in English.")
    details: Mapped[str] = mapped_column(Text, comment="Kind-specific facts and provenance (JSON).")
    first_detected_at: Mapped[datetime] = mapped_column(DateTime(), comment="When a run first raised it (UTC).")
    last_detected_at: Mapped[datetime] = mapped_column(DateTime(), comment="When a run last found it (UTC).")
    acknowledged_at: Mapped[datetime | None] = mapped_column(DateTime(), comment="When it was acknowledged (UTC).")
    acknowledged_by: Mapped[str | None] = mapped_column(String(100), comment="Who acknowledged it.")
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(), comment="When it was closed (UTC).")
    closed_by: Mapped[str | None] = mapped_column(String(100), comment="Who closed it.")
    note: Mapped[str | None] = mapped_column(Text, comment="Note given when acknowledging or closing.")


class MonitoringRun(Base):
    """One scoring run (the incremental state: its watermark)."""

    __tablename__ = "monitoring_runs"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    park_id: Mapped[str] = mapped_column(String(64), index=True, comment="Park scored ('*' for readings of several parks).")
    ran_at: Mapped[datetime] = mapped_column(DateTime(), comment="When the run happened (UTC).")
    window_start_utc: Mapped[datetime | None] = mapped_column(DateTime(), comment="Start of the scored window (UTC).")
    window_end_utc: Mapped[datetime | None] = mapped_column(DateTime(), comment="End of the scored window (UTC).")
    readings_until_utc: Mapped[datetime | None] = mapped_column(
        DateTime(), comment="Latest reading start processed: the next run's watermark (UTC)."
    )
    meters_scored: Mapped[int] = mapped_column(Integer, comment="Meters scored.")
    alerts_inserted: Mapped[int] = mapped_column(Integer, comment="New alerts.")
    alerts_updated: Mapped[int] = mapped_column(Integer, comment="Stored alerts updated.")
    findings: Mapped[str] = mapped_column(Text, comment="Findings of the run (JSON list).")
