"""The stream catalogue: the attribute table of ``stream`` and the engine's plain stream record.

The attribute table (``stream_attributes.yaml``) has the same shape as the registry's
tables (``ecozone/registry/attributes``) and reuses their :class:`Attribute` and
:class:`EntitySchema`; it adds four attribute types of its own: ``symbiosis_code`` (a value
of one of the table's own vocabularies), ``stream_class``, ``vn_waste_code`` and ``ewc_code``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from ecozone.registry.schema import Attribute, EntitySchema, fold
from ecozone.symbiosis.errors import SymbiosisDataError

STREAM_TYPES = (
    "identifier",
    "reference",
    "string",
    "number",
    "boolean",
    "unit",
    "symbiosis_code",
    "stream_class",
    "vn_waste_code",
    "ewc_code",
)


@dataclass(frozen=True)
class StreamRecord:
    """One stream of a park's catalogue, as engines see it (no ORM).

    Quantities are per year in the class's canonical unit (``unit``: t, m3 or MWh); costs in
    VND per canonical unit; temperatures in [°C]; shares in [%].

    Attributes
    ----------
    park_id, owner_kind, owner_id, direction, name : str
        Natural key and owner (``owner_kind`` firm, park or external).
    stream_class : str
        Taxonomy code.
    quantity : float [unit/yr]
        Yearly quantity offered (output) or needed (input).
    unit : str
        Canonical unit of the class.
    """

    park_id: str
    owner_kind: str
    owner_id: str
    direction: str
    name: str
    stream_class: str
    quantity: float
    unit: str
    owner_name: str | None = None
    hazardous: bool = False
    hazardous_code: str | None = None
    ewc_code: str | None = None
    temperature_c: float | None = None
    purity_pct: float | None = None
    moisture_pct: float | None = None
    min_temperature_c: float | None = None
    min_purity_pct: float | None = None
    max_moisture_pct: float | None = None
    unit_cost_vnd: float | None = None
    licensed_receiver: bool = False
    latitude: float | None = None
    longitude: float | None = None
    description: str | None = None
    source: str | None = None
    is_synthetic: bool = False

    @property
    def key(self) -> str:
        """A readable unique key within a park: ``owner/direction/name``."""
        return f"{self.owner_id}/{self.direction}/{self.name}"

    @property
    def owner_label(self) -> str:
        """The owner's name when known, else its id."""
        return self.owner_name or self.owner_id


def _attribute(raw: dict[str, Any]) -> Attribute:
    if raw.get("type") not in STREAM_TYPES:
        raise SymbiosisDataError("symbiosis.bad_table", file="stream_attributes.yaml", detail=f"type {raw.get('type')}")
    return Attribute(
        name=raw["name"],
        vi=raw["vi"],
        type=raw["type"],
        required=bool(raw["required"]),
        description=raw["description"],
        unit=raw.get("unit"),
        values=raw.get("values"),
        references=raw.get("references"),
        minimum=raw.get("min"),
        maximum=raw.get("max"),
    )


@cache
def _raw_table() -> dict[str, Any]:
    text = resources.files(__package__).joinpath("stream_attributes.yaml").read_text(encoding="utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    return data


@cache
def stream_schema() -> EntitySchema:
    """The attribute table of ``stream``."""
    raw = _raw_table()
    return EntitySchema(
        entity=raw["entity"],
        table=raw["table"],
        label=raw["label"],
        description=raw["description"],
        key=tuple(raw["key"]),
        attributes=tuple(_attribute(a) for a in raw["attributes"]),
    )


def stream_vocabulary(name: str) -> dict[str, dict[str, Any]]:
    """A vocabulary of the stream table (``owner_kind`` or ``direction``)."""
    vocabularies: dict[str, dict[str, dict[str, Any]]] = _raw_table()["vocabularies"]
    return vocabularies[name]


def resolve_stream_code(name: str, text: str) -> str | None:
    """Return the code of vocabulary ``name`` spelled ``text`` (code, label or alias), or None."""
    wanted = fold(text)
    for code, entry in stream_vocabulary(name).items():
        spellings = (code, entry["vi"], entry["en"], *entry.get("aliases", []))
        if wanted in {fold(str(s)) for s in spellings}:
            return code
    return None


def stream_record(record: dict[str, Any]) -> StreamRecord:
    """Build a :class:`StreamRecord` from a validated (or stored) row keyed by attribute names."""
    names = set(StreamRecord.__dataclass_fields__) - {"quantity"}
    return StreamRecord(**{k: v for k, v in record.items() if k in names}, quantity=record["quantity_per_year"])
