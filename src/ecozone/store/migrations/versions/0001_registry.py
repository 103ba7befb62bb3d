"""registry: parks, firms, meters, certifications, imports

Revision ID: 0001
Revises:
Create Date: 2026-11-29 05:22:24.669627
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""

    op.create_table(
        "certifications",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("holder_kind", sa.String(length=8), nullable=False, comment="Whether a firm or a park holds the certificate."),
        sa.Column("holder_id", sa.String(length=64), nullable=False, comment="Identifier of the holding firm or park."),
        sa.Column("scheme", sa.String(length=32), nullable=False, comment="Certification scheme."),
        sa.Column(
            "level",
            sa.String(length=32),
            nullable=True,
            comment="Level for rated schemes (LEED, Green Mark, EDGE, LOTUS); must be one of the scheme's levels.",
        ),
        sa.Column("certificate_number", sa.String(length=100), nullable=True, comment="Certificate number."),
        sa.Column("issuer", sa.String(length=200), nullable=True, comment="Certification body."),
        sa.Column("valid_from", sa.Date(), nullable=False, comment="First day of validity (YYYY-MM-DD)."),
        sa.Column(
            "valid_to", sa.Date(), nullable=True, comment="Last day of validity; empty if open-ended. Not before valid_from."
        ),
        sa.Column("is_synthetic", sa.Boolean(), nullable=False, comment="True for generated demonstration data."),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("holder_kind", "holder_id", "scheme", "valid_from", name="uq_certification_key"),
    )
    with op.batch_alter_table("certifications", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_certifications_holder_id"), ["holder_id"], unique=False)

    op.create_table(
        "imports",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("entity", sa.String(length=32), nullable=False),
        sa.Column("file_name", sa.String(length=500), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("inserted", sa.Integer(), nullable=False),
        sa.Column("updated", sa.Integer(), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("imports", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_imports_sha256"), ["sha256"], unique=False)

    op.create_table(
        "parks",
        sa.Column(
            "id",
            sa.String(length=64),
            nullable=False,
            comment="Short stable identifier chosen by the user (letters, digits, '-', '_').",
        ),
        sa.Column("name_vi", sa.String(length=200), nullable=False, comment="Name in Vietnamese."),
        sa.Column("name_en", sa.String(length=200), nullable=True, comment="Name in English."),
        sa.Column("province_old_code", sa.String(length=2), nullable=True, comment="GSO code in the 63-province (2008) layout."),
        sa.Column("province_new_code", sa.String(length=2), nullable=False, comment="GSO code in the 34-unit (2025) layout."),
        sa.Column("park_type", sa.String(length=32), nullable=False, comment="Type of park."),
        sa.Column("status", sa.String(length=32), nullable=False, comment="Development status."),
        sa.Column("year_established", sa.Integer(), nullable=True, comment="Year of the establishment decision."),
        sa.Column("total_area_ha", sa.Float(), nullable=True, comment="Total (natural) area."),
        sa.Column(
            "industrial_land_ha",
            sa.Float(),
            nullable=True,
            comment="Industrial land available for lease; at most the total area.",
        ),
        sa.Column(
            "leased_land_ha",
            sa.Float(),
            nullable=True,
            comment="Industrial land already leased; at most the industrial land. Occupancy is derived from it, never stored.",
        ),
        sa.Column("green_area_ha", sa.Float(), nullable=True, comment="Green and open space."),
        sa.Column("developer", sa.String(length=300), nullable=True, comment="Infrastructure developer."),
        sa.Column(
            "operator",
            sa.String(length=300),
            nullable=True,
            comment="Operator or management company if different from the developer.",
        ),
        sa.Column(
            "latitude", sa.Float(), nullable=True, comment="Latitude of a representative point (WGS 84); must lie in Viet Nam."
        ),
        sa.Column(
            "longitude", sa.Float(), nullable=True, comment="Longitude of a representative point (WGS 84); must lie in Viet Nam."
        ),
        sa.Column("boundary", sa.Text(), nullable=True, comment="Optional boundary polygon as GeoJSON geometry (WGS 84)."),
        sa.Column("power_capacity_mw", sa.Float(), nullable=True, comment="Grid connection capacity available to tenants."),
        sa.Column("water_supply_capacity_m3_day", sa.Float(), nullable=True, comment="Water supply capacity."),
        sa.Column("wastewater_capacity_m3_day", sa.Float(), nullable=True, comment="Central wastewater treatment capacity."),
        sa.Column("source", sa.Text(), nullable=True, comment="Where the record's facts come from (document or URL)."),
        sa.Column(
            "is_synthetic",
            sa.Boolean(),
            nullable=False,
            comment="True for generated demonstration data that describes no real park.",
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("parks", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_parks_province_new_code"), ["province_new_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_parks_province_old_code"), ["province_old_code"], unique=False)

    op.create_table(
        "firms",
        sa.Column("id", sa.String(length=64), nullable=False, comment="Short stable identifier, unique across the registry."),
        sa.Column("park_id", sa.String(length=64), nullable=False, comment="Park the firm operates in."),
        sa.Column("name", sa.String(length=300), nullable=False, comment="Registered name."),
        sa.Column(
            "vsic_code",
            sa.String(length=5),
            nullable=False,
            comment="Main activity, VSIC 2018 code (Decision 27/2018/QĐ-TTg): a section letter or a 2- to 5-digit code.",
        ),
        sa.Column(
            "investor_country",
            sa.String(length=2),
            nullable=True,
            comment="Investor's country, ISO 3166-1 alpha-2 (VN for domestic).",
        ),
        sa.Column("employees", sa.Integer(), nullable=True, comment="Number of employees."),
        sa.Column("floor_area_m2", sa.Float(), nullable=True, comment="Gross floor area."),
        sa.Column("roof_area_m2", sa.Float(), nullable=True, comment="Roof area usable for PV."),
        sa.Column("land_area_ha", sa.Float(), nullable=True, comment="Leased plot area."),
        sa.Column("main_product", sa.String(length=300), nullable=True, comment="Main product."),
        sa.Column(
            "production_unit",
            sa.String(length=32),
            nullable=True,
            comment="Unit in which production is counted (e.g. t, pcs, m2).",
        ),
        sa.Column("annual_production", sa.Float(), nullable=True, comment="Typical annual production in the production unit."),
        sa.Column("is_synthetic", sa.Boolean(), nullable=False, comment="True for generated demonstration data."),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(
            ["park_id"],
            ["parks.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("firms", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_firms_park_id"), ["park_id"], unique=False)

    op.create_table(
        "meters",
        sa.Column("id", sa.String(length=64), nullable=False, comment="Short stable identifier, unique across the registry."),
        sa.Column("park_id", sa.String(length=64), nullable=False, comment="Park the meter belongs to."),
        sa.Column(
            "owner_kind",
            sa.String(length=16),
            nullable=False,
            comment="Whether the meter belongs to a firm or to the park's shared infrastructure.",
        ),
        sa.Column(
            "firm_id",
            sa.String(length=64),
            nullable=True,
            comment="Owning firm; required when the owner is a firm, empty otherwise. The firm must be in the same park.",
        ),
        sa.Column("carrier", sa.String(length=32), nullable=False, comment="Energy or resource measured."),
        sa.Column(
            "unit",
            sa.String(length=16),
            nullable=False,
            comment="Unit of the readings; its dimension must suit the carrier (e.g. kWh for electricity, m3 for water).",
        ),
        sa.Column("reading_kind", sa.String(length=16), nullable=False, comment="Interval values or a cumulative register."),
        sa.Column(
            "interval_minutes",
            sa.Integer(),
            nullable=True,
            comment="Nominal reading interval, from 1 minute to a monthly bill (44,640 min).",
        ),
        sa.Column(
            "voltage_level",
            sa.String(length=16),
            nullable=True,
            comment="Supply voltage level for electricity meters (selects the EVN tariff row).",
        ),
        sa.Column("description", sa.Text(), nullable=True, comment="Free-text description (location or use)."),
        sa.Column("is_synthetic", sa.Boolean(), nullable=False, comment="True for generated demonstration data."),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(
            ["firm_id"],
            ["firms.id"],
        ),
        sa.ForeignKeyConstraint(
            ["park_id"],
            ["parks.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("meters", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_meters_firm_id"), ["firm_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_meters_park_id"), ["park_id"], unique=False)


def downgrade() -> None:
    """Revert this revision."""

    with op.batch_alter_table("meters", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meters_park_id"))
        batch_op.drop_index(batch_op.f("ix_meters_firm_id"))

    op.drop_table("meters")
    with op.batch_alter_table("firms", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_firms_park_id"))

    op.drop_table("firms")
    with op.batch_alter_table("parks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_parks_province_old_code"))
        batch_op.drop_index(batch_op.f("ix_parks_province_new_code"))

    op.drop_table("parks")
    with op.batch_alter_table("imports", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_imports_sha256"))

    op.drop_table("imports")
    with op.batch_alter_table("certifications", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_certifications_holder_id"))

    op.drop_table("certifications")
