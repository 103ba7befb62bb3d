"""siting: published park profile fields and the green project pipeline

Revision ID: siting_0001
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "siting_0001"
down_revision = "0001"
branch_labels = ("siting",)
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "siting_published_fields",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("park_id", sa.String(length=64), nullable=False, comment="Park that publishes the field."),
        sa.Column("field_name", sa.String(length=64), nullable=False, comment="Name of the published park profile field."),
        sa.Column(
            "published_at",
            sa.DateTime(timezone=True),
            server_default=sa.func.now(),
            nullable=False,
            comment="When it was published (UTC).",
        ),
        sa.ForeignKeyConstraint(["park_id"], ["parks.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("park_id", "field_name", name="uq_siting_published_field"),
    )
    with op.batch_alter_table("siting_published_fields", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_siting_published_fields_park_id"), ["park_id"], unique=False)

    op.create_table(
        "green_projects",
        sa.Column("id", sa.String(length=64), nullable=False, comment="Project identifier."),
        sa.Column("title", sa.String(length=300), nullable=False, comment="Short title."),
        sa.Column("park_id", sa.String(length=64), nullable=False, comment="Park of the project."),
        sa.Column("firm_id", sa.String(length=64), nullable=True, comment="Firm of the project; empty for a park project."),
        sa.Column(
            "taxonomy_category", sa.String(length=32), nullable=False, comment="Green Taxonomy group (Decision 21/2025/QĐ-TTg)."
        ),
        sa.Column(
            "status", sa.String(length=32), nullable=False, comment="idea, feasibility, seeking_finance, financed or operating."
        ),
        sa.Column("capex_vnd", sa.Float(), nullable=False, comment="Investment cost [VND]."),
        sa.Column("annual_savings_vnd", sa.Float(), nullable=True, comment="Expected net savings or revenue per year [VND/yr]."),
        sa.Column("abated_tco2e_per_year", sa.Float(), nullable=True, comment="Expected emissions abated per year [tCO2e/yr]."),
        sa.Column("lifetime_years", sa.Integer(), nullable=True, comment="Economic lifetime [yr]."),
        sa.Column("proposed_by", sa.String(length=32), nullable=True, comment="decarbonisation engine, park or firm."),
        sa.Column("description", sa.Text(), nullable=True, comment="What the project does."),
        sa.Column("source", sa.Text(), nullable=True, comment="Where the figures come from."),
        sa.Column("is_synthetic", sa.Boolean(), nullable=False, comment="True for generated demonstration data."),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(["firm_id"], ["firms.id"]),
        sa.ForeignKeyConstraint(["park_id"], ["parks.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("green_projects", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_green_projects_firm_id"), ["firm_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_green_projects_park_id"), ["park_id"], unique=False)


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("green_projects", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_green_projects_park_id"))
        batch_op.drop_index(batch_op.f("ix_green_projects_firm_id"))
    op.drop_table("green_projects")
    with op.batch_alter_table("siting_published_fields", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_siting_published_fields_park_id"))
    op.drop_table("siting_published_fields")
