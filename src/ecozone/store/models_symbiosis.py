"""SQLAlchemy model of the symbiosis stream catalogue (``symbiosis/stream_attributes.yaml``).

Column names are the attribute table's names; comments are its English descriptions.
Quantities and unit costs are stored in the stream class's canonical unit (t, m3, MWh).
"""

from __future__ import annotations

from sqlalchemy import Boolean, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ecozone.store.models import Base, Timestamps
from ecozone.symbiosis.catalogue import stream_schema


def _doc(name: str) -> str:
    return stream_schema().attribute(name).description["en"]


class SymbiosisStream(Timestamps, Base):
    """A stream of a park's symbiosis catalogue (see ``symbiosis/stream_attributes.yaml``)."""

    __tablename__ = "symbiosis_streams"
    __table_args__ = (UniqueConstraint("park_id", "owner_id", "direction", "name", name="uq_symbiosis_stream_key"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    park_id: Mapped[str] = mapped_column(ForeignKey("parks.id"), index=True, comment=_doc("park_id"))
    owner_kind: Mapped[str] = mapped_column(String(16), comment=_doc("owner_kind"))
    owner_id: Mapped[str] = mapped_column(String(64), index=True, comment=_doc("owner_id"))
    owner_name: Mapped[str | None] = mapped_column(String(300), comment=_doc("owner_name"))
    direction: Mapped[str] = mapped_column(String(8), comment=_doc("direction"))
    name: Mapped[str] = mapped_column(String(300), comment=_doc("name"))
    stream_class: Mapped[str] = mapped_column(String(64), comment=_doc("stream_class"))
    quantity_per_year: Mapped[float] = mapped_column(Float, comment="Quantity per year in the class's canonical unit.")
    unit: Mapped[str] = mapped_column(String(8), comment="Canonical unit of the class (t, m3 or MWh).")
    hazardous: Mapped[bool] = mapped_column(Boolean, default=False, comment=_doc("hazardous"))
    hazardous_code: Mapped[str | None] = mapped_column(String(12), comment=_doc("hazardous_code"))
    ewc_code: Mapped[str | None] = mapped_column(String(12), comment=_doc("ewc_code"))
    temperature_c: Mapped[float | None] = mapped_column(Float, comment=_doc("temperature_c"))
    purity_pct: Mapped[float | None] = mapped_column(Float, comment=_doc("purity_pct"))
    moisture_pct: Mapped[float | None] = mapped_column(Float, comment=_doc("moisture_pct"))
    min_temperature_c: Mapped[float | None] = mapped_column(Float, comment=_doc("min_temperature_c"))
    min_purity_pct: Mapped[float | None] = mapped_column(Float, comment=_doc("min_purity_pct"))
    max_moisture_pct: Mapped[float | None] = mapped_column(Float, comment=_doc("max_moisture_pct"))
    unit_cost_vnd: Mapped[float | None] = mapped_column(Float, comment="Unit cost in VND per canonical unit of the class.")
    licensed_receiver: Mapped[bool] = mapped_column(Boolean, default=False, comment=_doc("licensed_receiver"))
    latitude: Mapped[float | None] = mapped_column(Float, comment=_doc("latitude"))
    longitude: Mapped[float | None] = mapped_column(Float, comment=_doc("longitude"))
    description: Mapped[str | None] = mapped_column(Text, comment=_doc("description"))
    source: Mapped[str | None] = mapped_column(Text, comment=_doc("source"))
    is_synthetic: Mapped[bool] = mapped_column(Boolean, default=False, comment=_doc("is_synthetic"))
