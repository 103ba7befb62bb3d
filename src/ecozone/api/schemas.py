"""Request and response models of the registry resources, built from the attribute tables.

The registry's attribute tables (``ecozone/registry/attributes/*.yaml``) are the single
definition of each entity: these pydantic models take their names, English descriptions and
string lengths from them, so a new attribute appears in the API and its OpenAPI schema without
code. Request models only shape JSON; the values are validated by the registry's own import
validation (``ecozone.store.registry_store.import_table``), exactly as files are.
"""

from __future__ import annotations

import typing
from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model

from ecozone.registry.schema import Attribute, entity_schema
from ecozone.store.models import ENTITY_MODELS
from ecozone.store.snapshot import CertificationRecord, FirmRecord, MeterRecord, ParkRecord

MAX_TEXT = 2000
"""Longest text accepted where the column itself has no length [characters]."""

FREE_TEXT_TYPES = frozenset({"string", "identifier", "reference", "holder"})
"""Attribute types stored as typed (their column's length applies)."""

Coordinates = Annotated[list[float], Field(min_length=2, max_length=3)]


class PolygonGeometry(BaseModel):
    """A GeoJSON Polygon (WGS 84 longitude, latitude)."""

    model_config = ConfigDict(extra="forbid")
    type: Literal["Polygon"]
    coordinates: Annotated[list[Annotated[list[Coordinates], Field(min_length=4, max_length=100_000)]], Field(min_length=1)]


class MultiPolygonGeometry(BaseModel):
    """A GeoJSON MultiPolygon (WGS 84 longitude, latitude)."""

    model_config = ConfigDict(extra="forbid")
    type: Literal["MultiPolygon"]
    coordinates: Annotated[
        list[Annotated[list[Annotated[list[Coordinates], Field(min_length=4, max_length=100_000)]], Field(min_length=1)]],
        Field(min_length=1),
    ]


Geometry = Annotated[PolygonGeometry | MultiPolygonGeometry, Field(discriminator="type")]

EXAMPLES: dict[str, dict[str, Any]] = {
    "park": {
        "id": "kcn-minh-hoa-2",
        "name_vi": "KCN Minh Họa 2",
        "name_en": "Demo Industrial Park 2",
        "province": "Bình Dương",
        "park_type": "general",
        "status": "operating",
        "year_established": 2015,
        "total_area_ha": 500.0,
        "industrial_land_ha": 350.0,
        "leased_land_ha": 280.0,
        "latitude": 11.05,
        "longitude": 106.65,
    },
    "firm": {
        "id": "demo-f61",
        "park_id": "demo",
        "name": "Công ty TNHH Minh Họa 61",
        "vsic_code": "2511",
        "investor_country": "KR",
        "employees": 240,
        "floor_area_m2": 12000.0,
        "roof_area_m2": 9000.0,
    },
    "meter": {
        "id": "demo-f01-electricity-2",
        "park_id": "demo",
        "owner_kind": "firm",
        "firm_id": "demo-f01",
        "carrier": "electricity",
        "unit": "kWh",
        "reading_kind": "interval",
        "interval_minutes": 30,
        "voltage_level": "6_22kv",
    },
    "certification": {
        "holder_kind": "firm",
        "holder_id": "demo-f01",
        "scheme": "iso_50001",
        "certificate_number": "VN-50001-123",
        "issuer": "Quacert",
        "valid_from": "2025-01-15",
        "valid_to": "2028-01-14",
    },
}
"""A valid example record of each entity (documentation; every one passes validation)."""


def column_length(entity: str, name: str) -> int | None:
    """Return the stored column's length limit for free-text attribute ``name`` [characters], if any.

    Coded attributes (vocabularies, VSIC, countries, units, provinces) have none here: their
    labels may be longer than the code stored, and validation resolves them.
    """
    attribute = entity_schema(entity).attribute(name)
    if attribute.type not in FREE_TEXT_TYPES:
        return None
    table = ENTITY_MODELS[entity].__table__
    if name not in table.c:
        return None
    length: int | None = getattr(table.c[name].type, "length", None)
    return length


def _input_type(entity: str, attribute: Attribute) -> Any:
    if attribute.type == "number":
        return float
    if attribute.type == "integer":
        return int
    if attribute.type == "boolean":
        return bool
    if attribute.type == "geometry":
        return Geometry
    return Annotated[str, Field(max_length=column_length(entity, attribute.name) or MAX_TEXT)]


def _input_field(entity: str, attribute: Attribute, partial: bool) -> tuple[Any, Any]:
    unit = f" [{attribute.unit}]" if attribute.unit else ""
    description = f"{attribute.description['en']}{unit} (file column `{attribute.vi}` in Vietnamese)."
    if attribute.type == "date":
        description += " Date as YYYY-MM-DD or DD/MM/YYYY."
    kind = _input_type(entity, attribute)
    if attribute.required and not partial:
        return kind, Field(description=description)
    return kind | None, Field(default=None, description=description)


def entity_input_model(entity: str, *, partial: bool = False) -> type[BaseModel]:
    """Build the request model of ``entity`` (all fields optional when ``partial``, for PATCH)."""
    schema = entity_schema(entity)
    fields: dict[str, Any] = {
        attribute.name: _input_field(entity, attribute, partial)
        for attribute in schema.attributes
        if not (partial and attribute.name in schema.key)
    }
    example = {k: v for k, v in EXAMPLES[entity].items() if not (partial and k in schema.key)}
    if partial:
        example = dict(list(example.items())[1:3])
    name = f"{entity.capitalize()}{'Patch' if partial else 'Create'}"
    config = ConfigDict(extra="forbid", json_schema_extra={"examples": [example]}, title=name)
    model: type[BaseModel] = create_model(name, __config__=config, __doc__=schema.description["en"], **fields)
    return model


def _output_field(entity: str, name: str, kind: Any) -> tuple[Any, Any]:
    schema = entity_schema(entity)
    if name in schema.names:
        attribute = schema.attribute(name)
        unit = f" [{attribute.unit}]" if attribute.unit else ""
        return kind, Field(description=f"{attribute.description['en']}{unit}")
    descriptions = {
        "province_old_code": "GSO code of the province in the 63-province (2008) layout; null if only the 2025 unit is known.",
        "province_new_code": "GSO code of the provincial unit in the 34-unit (2025) layout.",
    }
    return kind, Field(description=descriptions.get(name, name))


def entity_output_model(entity: str, record: type, extra: dict[str, tuple[Any, Any]] | None = None) -> type[BaseModel]:
    """Build the response model of ``entity`` from its snapshot dataclass ``record``."""
    hints = typing.get_type_hints(record, globalns={"date": date, "datetime": datetime})
    fields: dict[str, Any] = {name: _output_field(entity, name, kind) for name, kind in hints.items()}
    fields.update(extra or {})
    name = entity.capitalize()
    model: type[BaseModel] = create_model(name, __doc__=entity_schema(entity).description["en"], **fields)
    return model


PARK_EXTRA: dict[str, tuple[Any, Any]] = {
    "occupancy_pct": (float | None, Field(description="Leased over industrial land [%], derived, never stored.")),
    "published": (bool, Field(description="Whether the park's profile is published (visible to investors and the public).")),
}

if TYPE_CHECKING:
    ParkCreate = BaseModel
    ParkPatch = BaseModel
    FirmCreate = BaseModel
    FirmPatch = BaseModel
    MeterCreate = BaseModel
    MeterPatch = BaseModel
    CertificationCreate = BaseModel
    Park = BaseModel
    Firm = BaseModel
    Meter = BaseModel
    Certification = BaseModel
else:
    ParkCreate = entity_input_model("park")
    ParkPatch = entity_input_model("park", partial=True)
    FirmCreate = entity_input_model("firm")
    FirmPatch = entity_input_model("firm", partial=True)
    MeterCreate = entity_input_model("meter")
    MeterPatch = entity_input_model("meter", partial=True)
    CertificationCreate = entity_input_model("certification")
    Park = entity_output_model("park", ParkRecord, PARK_EXTRA)
    Firm = entity_output_model("firm", FirmRecord)
    Meter = entity_output_model("meter", MeterRecord)
    Certification = entity_output_model("certification", CertificationRecord)
