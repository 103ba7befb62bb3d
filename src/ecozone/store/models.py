"""SQLAlchemy ORM models of the registry.

Column names are the attribute tables' names (``ecozone/registry/attributes``); column
comments are their English descriptions, so the database documents itself. A test fails
when a model and its attribute table drift apart.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, Float, ForeignKey, Integer, String, Text, UniqueConstraint, func
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from ecozone.registry.schema import entity_schema, max_length


def _doc(entity: str, name: str) -> str:
    return entity_schema(entity).attribute(name).description["en"]


class Base(DeclarativeBase):
    """Declarative base of every registry table."""


class Timestamps:
    """Creation and update times (UTC)."""

    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(), onupdate=func.now())


class Park(Timestamps, Base):
    """An industrial park (see ``attributes/park.yaml``)."""

    __tablename__ = "parks"
    id: Mapped[str] = mapped_column(String(64), primary_key=True, comment=_doc("park", "id"))
    name_vi: Mapped[str] = mapped_column(String(max_length("park", "name_vi")), comment=_doc("park", "name_vi"))
    name_en: Mapped[str | None] = mapped_column(String(max_length("park", "name_en")), comment=_doc("park", "name_en"))
    province_old_code: Mapped[str | None] = mapped_column(
        String(2), index=True, comment="GSO code in the 63-province (2008) layout."
    )
    province_new_code: Mapped[str] = mapped_column(String(2), index=True, comment="GSO code in the 34-unit (2025) layout.")
    park_type: Mapped[str] = mapped_column(String(32), comment=_doc("park", "park_type"))
    status: Mapped[str] = mapped_column(String(32), comment=_doc("park", "status"))
    year_established: Mapped[int | None] = mapped_column(Integer, comment=_doc("park", "year_established"))
    total_area_ha: Mapped[float | None] = mapped_column(Float, comment=_doc("park", "total_area_ha"))
    industrial_land_ha: Mapped[float | None] = mapped_column(Float, comment=_doc("park", "industrial_land_ha"))
    leased_land_ha: Mapped[float | None] = mapped_column(Float, comment=_doc("park", "leased_land_ha"))
    green_area_ha: Mapped[float | None] = mapped_column(Float, comment=_doc("park", "green_area_ha"))
    developer: Mapped[str | None] = mapped_column(String(max_length("park", "developer")), comment=_doc("park", "developer"))
    operator: Mapped[str | None] = mapped_column(String(max_length("park", "operator")), comment=_doc("park", "operator"))
    latitude: Mapped[float | None] = mapped_column(Float, comment=_doc("park", "latitude"))
    longitude: Mapped[float | None] = mapped_column(Float, comment=_doc("park", "longitude"))
    boundary: Mapped[str | None] = mapped_column(Text, comment=_doc("park", "boundary"))
    power_capacity_mw: Mapped[float | None] = mapped_column(Float, comment=_doc("park", "power_capacity_mw"))
    water_supply_capacity_m3_day: Mapped[float | None] = mapped_column(
        Float, comment=_doc("park", "water_supply_capacity_m3_day")
    )
    wastewater_capacity_m3_day: Mapped[float | None] = mapped_column(Float, comment=_doc("park", "wastewater_capacity_m3_day"))
    source: Mapped[str | None] = mapped_column(Text, comment=_doc("park", "source"))
    is_synthetic: Mapped[bool] = mapped_column(Boolean, default=False, comment=_doc("park", "is_synthetic"))


class Firm(Timestamps, Base):
    """A tenant firm (see ``attributes/firm.yaml``)."""

    __tablename__ = "firms"
    id: Mapped[str] = mapped_column(String(64), primary_key=True, comment=_doc("firm", "id"))
    park_id: Mapped[str] = mapped_column(ForeignKey("parks.id"), index=True, comment=_doc("firm", "park_id"))
    name: Mapped[str] = mapped_column(String(max_length("firm", "name")), comment=_doc("firm", "name"))
    vsic_code: Mapped[str] = mapped_column(String(5), comment=_doc("firm", "vsic_code"))
    investor_country: Mapped[str | None] = mapped_column(String(2), comment=_doc("firm", "investor_country"))
    employees: Mapped[int | None] = mapped_column(Integer, comment=_doc("firm", "employees"))
    floor_area_m2: Mapped[float | None] = mapped_column(Float, comment=_doc("firm", "floor_area_m2"))
    roof_area_m2: Mapped[float | None] = mapped_column(Float, comment=_doc("firm", "roof_area_m2"))
    land_area_ha: Mapped[float | None] = mapped_column(Float, comment=_doc("firm", "land_area_ha"))
    main_product: Mapped[str | None] = mapped_column(
        String(max_length("firm", "main_product")), comment=_doc("firm", "main_product")
    )
    production_unit: Mapped[str | None] = mapped_column(
        String(max_length("firm", "production_unit")), comment=_doc("firm", "production_unit")
    )
    annual_production: Mapped[float | None] = mapped_column(Float, comment=_doc("firm", "annual_production"))
    is_synthetic: Mapped[bool] = mapped_column(Boolean, default=False, comment=_doc("firm", "is_synthetic"))


class Meter(Timestamps, Base):
    """A meter (see ``attributes/meter.yaml``)."""

    __tablename__ = "meters"
    id: Mapped[str] = mapped_column(String(64), primary_key=True, comment=_doc("meter", "id"))
    park_id: Mapped[str] = mapped_column(ForeignKey("parks.id"), index=True, comment=_doc("meter", "park_id"))
    owner_kind: Mapped[str] = mapped_column(String(16), comment=_doc("meter", "owner_kind"))
    firm_id: Mapped[str | None] = mapped_column(ForeignKey("firms.id"), index=True, comment=_doc("meter", "firm_id"))
    carrier: Mapped[str] = mapped_column(String(32), comment=_doc("meter", "carrier"))
    unit: Mapped[str] = mapped_column(String(16), comment=_doc("meter", "unit"))
    reading_kind: Mapped[str] = mapped_column(String(16), comment=_doc("meter", "reading_kind"))
    interval_minutes: Mapped[int | None] = mapped_column(Integer, comment=_doc("meter", "interval_minutes"))
    voltage_level: Mapped[str | None] = mapped_column(String(16), comment=_doc("meter", "voltage_level"))
    role: Mapped[str | None] = mapped_column(String(32), comment=_doc("meter", "role"))
    description: Mapped[str | None] = mapped_column(Text, comment=_doc("meter", "description"))
    is_synthetic: Mapped[bool] = mapped_column(Boolean, default=False, comment=_doc("meter", "is_synthetic"))


class Certification(Timestamps, Base):
    """A certificate held by a firm or a park (see ``attributes/certification.yaml``)."""

    __tablename__ = "certifications"
    __table_args__ = (UniqueConstraint("holder_kind", "holder_id", "scheme", "valid_from", name="uq_certification_key"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    holder_kind: Mapped[str] = mapped_column(String(8), comment=_doc("certification", "holder_kind"))
    holder_id: Mapped[str] = mapped_column(String(64), index=True, comment=_doc("certification", "holder_id"))
    scheme: Mapped[str] = mapped_column(String(32), comment=_doc("certification", "scheme"))
    level: Mapped[str | None] = mapped_column(
        String(max_length("certification", "level")), comment=_doc("certification", "level")
    )
    certificate_number: Mapped[str | None] = mapped_column(
        String(max_length("certification", "certificate_number")), comment=_doc("certification", "certificate_number")
    )
    issuer: Mapped[str | None] = mapped_column(
        String(max_length("certification", "issuer")), comment=_doc("certification", "issuer")
    )
    valid_from: Mapped[date] = mapped_column(Date, comment=_doc("certification", "valid_from"))
    valid_to: Mapped[date | None] = mapped_column(Date, comment=_doc("certification", "valid_to"))
    is_synthetic: Mapped[bool] = mapped_column(Boolean, default=False, comment=_doc("certification", "is_synthetic"))


class ImportRecord(Base):
    """One successful import: which file, when, and what it changed (provenance)."""

    __tablename__ = "imports"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    entity: Mapped[str] = mapped_column(String(32))
    file_name: Mapped[str] = mapped_column(String(500))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    rows: Mapped[int] = mapped_column(Integer)
    inserted: Mapped[int] = mapped_column(Integer)
    updated: Mapped[int] = mapped_column(Integer)
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


ENTITY_MODELS: dict[str, type[Base]] = {"park": Park, "firm": Firm, "meter": Meter, "certification": Certification}
