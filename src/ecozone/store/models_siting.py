"""SQLAlchemy models of the siting domain: what parks publish, and green projects.

``siting_published_fields`` holds, per park, the names of the profile fields it publishes
to investors (see :mod:`ecozone.siting.profile`); a field not listed never leaves the
park's account. ``green_projects`` is the pipeline of green projects offered to lenders
(see :mod:`ecozone.projects`).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, Float, ForeignKey, Integer, String, Text, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column

from ecozone.store.models import Base, Timestamps


class PublishedField(Base):
    """One profile field a park publishes to investors."""

    __tablename__ = "siting_published_fields"
    __table_args__ = (UniqueConstraint("park_id", "field_name", name="uq_siting_published_field"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    park_id: Mapped[str] = mapped_column(ForeignKey("parks.id"), index=True, comment="Park that publishes the field.")
    field_name: Mapped[str] = mapped_column(String(64), comment="Name of the published park profile field.")
    published_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), comment="When it was published (UTC)."
    )


class GreenProject(Timestamps, Base):
    """A green project of a park or firm, offered to lenders."""

    __tablename__ = "green_projects"
    id: Mapped[str] = mapped_column(String(64), primary_key=True, comment="Project identifier.")
    title: Mapped[str] = mapped_column(String(300), comment="Short title.")
    park_id: Mapped[str] = mapped_column(ForeignKey("parks.id"), index=True, comment="Park of the project.")
    firm_id: Mapped[str | None] = mapped_column(
        ForeignKey("firms.id"), index=True, comment="Firm of the project; empty for a park project."
    )
    taxonomy_category: Mapped[str] = mapped_column(String(32), comment="Green Taxonomy group (Decision 21/2025/QĐ-TTg).")
    status: Mapped[str] = mapped_column(String(32), comment="idea, feasibility, seeking_finance, financed or operating.")
    capex_vnd: Mapped[float] = mapped_column(Float, comment="Investment cost [VND].")
    annual_savings_vnd: Mapped[float | None] = mapped_column(Float, comment="Expected net savings or revenue per year [VND/yr].")
    abated_tco2e_per_year: Mapped[float | None] = mapped_column(Float, comment="Expected emissions abated per year [tCO2e/yr].")
    lifetime_years: Mapped[int | None] = mapped_column(Integer, comment="Economic lifetime [yr].")
    proposed_by: Mapped[str | None] = mapped_column(String(32), comment="decarbonisation engine, park or firm.")
    description: Mapped[str | None] = mapped_column(Text, comment="What the project does.")
    source: Mapped[str | None] = mapped_column(Text, comment="Where the figures come from.")
    is_synthetic: Mapped[bool] = mapped_column(Boolean, default=False, comment="True for generated demonstration data.")
