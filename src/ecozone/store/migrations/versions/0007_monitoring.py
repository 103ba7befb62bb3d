"""monitoring: anomaly alerts and scoring runs

Revision ID: monitoring_0001
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "monitoring_0001"
down_revision = "0001"
branch_labels = ("monitoring",)
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "monitoring_alerts",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("park_id", sa.String(length=64), nullable=True, comment="Park of the meter."),
        sa.Column("firm_id", sa.String(length=64), nullable=True, comment="Firm owning the meter (empty for park meters)."),
        sa.Column("meter_id", sa.String(length=64), nullable=False, comment="Meter of the alert."),
        sa.Column(
            "kind",
            sa.String(length=32),
            nullable=False,
            comment="Alert kind (gap, stuck, jump, negative, clock_shift, consumption_high, ...).",
        ),
        sa.Column("start_utc", sa.DateTime(), nullable=False, comment="Start of the first interval of the event (UTC)."),
        sa.Column("end_utc", sa.DateTime(), nullable=False, comment="End of the last interval of the event (UTC)."),
        sa.Column("severity", sa.String(length=8), nullable=False, comment="low, medium or high."),
        sa.Column("status", sa.String(length=16), nullable=False, comment="open, acknowledged or closed."),
        sa.Column("unit", sa.String(length=16), nullable=False, comment="Unit of observed, expected and excess."),
        sa.Column("observed", sa.Float(), nullable=True, comment="Observed quantity over the event [unit]."),
        sa.Column("expected", sa.Float(), nullable=True, comment="Expected quantity over the event [unit]."),
        sa.Column("excess", sa.Float(), nullable=True, comment="Observed minus expected [unit]."),
        sa.Column("excess_kwh", sa.Float(), nullable=True, comment="Excess energy [kWh]."),
        sa.Column("excess_m3", sa.Float(), nullable=True, comment="Excess water [m3]."),
        sa.Column("excess_vnd", sa.Float(), nullable=True, comment="Cost of the excess at the EVN tariff [VND]."),
        sa.Column("excess_kgco2e", sa.Float(), nullable=True, comment="Emissions of the excess at the grid factor [kgCO2e]."),
        sa.Column("peak_z", sa.Float(), nullable=True, comment="Largest robust z-score of the event."),
        sa.Column("explanation_vi", sa.Text(), nullable=False, comment="One-line explanation in Vietnamese."),
        sa.Column("explanation_en", sa.Text(), nullable=False, comment="One-line explanation in English."),
        sa.Column("details", sa.Text(), nullable=False, comment="Kind-specific facts and provenance (JSON)."),
        sa.Column("first_detected_at", sa.DateTime(), nullable=False, comment="When a run first raised it (UTC)."),
        sa.Column("last_detected_at", sa.DateTime(), nullable=False, comment="When a run last found it (UTC)."),
        sa.Column("acknowledged_at", sa.DateTime(), nullable=True, comment="When it was acknowledged (UTC)."),
        sa.Column("acknowledged_by", sa.String(length=100), nullable=True, comment="Who acknowledged it."),
        sa.Column("closed_at", sa.DateTime(), nullable=True, comment="When it was closed (UTC)."),
        sa.Column("closed_by", sa.String(length=100), nullable=True, comment="Who closed it."),
        sa.Column("note", sa.Text(), nullable=True, comment="Note given when acknowledging or closing."),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("meter_id", "kind", "start_utc", name="uq_monitoring_alert_key"),
    )
    with op.batch_alter_table("monitoring_alerts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_monitoring_alerts_park_id"), ["park_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_monitoring_alerts_firm_id"), ["firm_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_monitoring_alerts_meter_id"), ["meter_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_monitoring_alerts_status"), ["status"], unique=False)
    op.create_table(
        "monitoring_runs",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("park_id", sa.String(length=64), nullable=False, comment="Park scored ('*' for readings of several parks)."),
        sa.Column("ran_at", sa.DateTime(), nullable=False, comment="When the run happened (UTC)."),
        sa.Column("window_start_utc", sa.DateTime(), nullable=True, comment="Start of the scored window (UTC)."),
        sa.Column("window_end_utc", sa.DateTime(), nullable=True, comment="End of the scored window (UTC)."),
        sa.Column(
            "readings_until_utc",
            sa.DateTime(),
            nullable=True,
            comment="Latest reading start processed: the next run's watermark (UTC).",
        ),
        sa.Column("meters_scored", sa.Integer(), nullable=False, comment="Meters scored."),
        sa.Column("alerts_inserted", sa.Integer(), nullable=False, comment="New alerts."),
        sa.Column("alerts_updated", sa.Integer(), nullable=False, comment="Stored alerts updated."),
        sa.Column("findings", sa.Text(), nullable=False, comment="Findings of the run (JSON list)."),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("monitoring_runs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_monitoring_runs_park_id"), ["park_id"], unique=False)


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("monitoring_runs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_monitoring_runs_park_id"))
    op.drop_table("monitoring_runs")
    with op.batch_alter_table("monitoring_alerts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_monitoring_alerts_status"))
        batch_op.drop_index(batch_op.f("ix_monitoring_alerts_meter_id"))
        batch_op.drop_index(batch_op.f("ix_monitoring_alerts_firm_id"))
        batch_op.drop_index(batch_op.f("ix_monitoring_alerts_park_id"))
    op.drop_table("monitoring_alerts")
