"""symbiosis: stream catalogue

Revision ID: symbiosis_0001
Revises: 0001
Create Date: 2026-11-29 12:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from ecozone.symbiosis.catalogue import stream_schema

revision = "symbiosis_0001"
down_revision = "0001"
branch_labels = ("symbiosis",)
depends_on = None


def _doc(name: str) -> str:
    return stream_schema().attribute(name).description["en"]


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "symbiosis_streams",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("park_id", sa.String(length=64), nullable=False, comment=_doc("park_id")),
        sa.Column("owner_kind", sa.String(length=16), nullable=False, comment=_doc("owner_kind")),
        sa.Column("owner_id", sa.String(length=64), nullable=False, comment=_doc("owner_id")),
        sa.Column("owner_name", sa.String(length=300), nullable=True, comment=_doc("owner_name")),
        sa.Column("direction", sa.String(length=8), nullable=False, comment=_doc("direction")),
        sa.Column("name", sa.String(length=300), nullable=False, comment=_doc("name")),
        sa.Column("stream_class", sa.String(length=64), nullable=False, comment=_doc("stream_class")),
        sa.Column("quantity_per_year", sa.Float(), nullable=False, comment="Quantity per year in the class's canonical unit."),
        sa.Column("unit", sa.String(length=8), nullable=False, comment="Canonical unit of the class (t, m3 or MWh)."),
        sa.Column("hazardous", sa.Boolean(), nullable=False, comment=_doc("hazardous")),
        sa.Column("hazardous_code", sa.String(length=12), nullable=True, comment=_doc("hazardous_code")),
        sa.Column("ewc_code", sa.String(length=12), nullable=True, comment=_doc("ewc_code")),
        sa.Column("temperature_c", sa.Float(), nullable=True, comment=_doc("temperature_c")),
        sa.Column("purity_pct", sa.Float(), nullable=True, comment=_doc("purity_pct")),
        sa.Column("moisture_pct", sa.Float(), nullable=True, comment=_doc("moisture_pct")),
        sa.Column("min_temperature_c", sa.Float(), nullable=True, comment=_doc("min_temperature_c")),
        sa.Column("min_purity_pct", sa.Float(), nullable=True, comment=_doc("min_purity_pct")),
        sa.Column("max_moisture_pct", sa.Float(), nullable=True, comment=_doc("max_moisture_pct")),
        sa.Column("unit_cost_vnd", sa.Float(), nullable=True, comment="Unit cost in VND per canonical unit of the class."),
        sa.Column("licensed_receiver", sa.Boolean(), nullable=False, comment=_doc("licensed_receiver")),
        sa.Column("latitude", sa.Float(), nullable=True, comment=_doc("latitude")),
        sa.Column("longitude", sa.Float(), nullable=True, comment=_doc("longitude")),
        sa.Column("description", sa.Text(), nullable=True, comment=_doc("description")),
        sa.Column("source", sa.Text(), nullable=True, comment=_doc("source")),
        sa.Column("is_synthetic", sa.Boolean(), nullable=False, comment=_doc("is_synthetic")),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(["park_id"], ["parks.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("park_id", "owner_id", "direction", "name", name="uq_symbiosis_stream_key"),
    )
    with op.batch_alter_table("symbiosis_streams", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_symbiosis_streams_park_id"), ["park_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_symbiosis_streams_owner_id"), ["owner_id"], unique=False)


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("symbiosis_streams", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_symbiosis_streams_owner_id"))
        batch_op.drop_index(batch_op.f("ix_symbiosis_streams_park_id"))
    op.drop_table("symbiosis_streams")
