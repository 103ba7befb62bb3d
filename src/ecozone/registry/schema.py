"""Attribute tables: the registry's data model kept as data.

Each entity (park, firm, meter, certification, province) is described by a YAML file in
``attributes/`` listing its attributes with name, Vietnamese column name, type, unit,
required flag, allowed values and bilingual description. The same tables drive import
validation, the ORM columns' comments and the generated data-model reference.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import yaml

from ecozone.errors import NotFoundError, ReferenceDataError

ATTRIBUTE_TYPES = (
    "identifier",
    "string",
    "integer",
    "number",
    "boolean",
    "date",
    "code",
    "reference",
    "holder",
    "province",
    "vsic",
    "country",
    "unit",
    "geometry",
)
IMPORTABLE_ENTITIES = ("park", "firm", "meter", "certification")


@dataclass(frozen=True)
class Attribute:
    """One attribute of an entity.

    Attributes
    ----------
    name : str
        English column name (also the ORM column name).
    vi : str
        Vietnamese column name accepted on import.
    type : str
        One of ``ATTRIBUTE_TYPES``.
    required : bool
        Whether an import row must give a value.
    unit : str or None
        Unit of a numeric value.
    values : str or None
        Vocabulary name for ``code`` attributes.
    references : str or None
        Referenced entity for ``reference`` attributes.
    minimum, maximum : float or None
        Inclusive bounds for numeric attributes.
    max_length : int or None
        Longest text accepted [characters] (also the database column's length).
    description : dict
        ``{"en": ..., "vi": ...}``.
    """

    name: str
    vi: str
    type: str
    required: bool
    description: dict[str, str]
    unit: str | None = None
    values: str | None = None
    references: str | None = None
    minimum: float | None = None
    maximum: float | None = None
    max_length: int | None = None


@dataclass(frozen=True)
class EntitySchema:
    """An entity's attribute table."""

    entity: str
    table: str
    label: dict[str, str]
    description: dict[str, str]
    key: tuple[str, ...]
    attributes: tuple[Attribute, ...]
    checks: tuple[dict[str, Any], ...] = field(default_factory=tuple)

    def attribute(self, name: str) -> Attribute:
        """Return the attribute called ``name``."""
        for attribute in self.attributes:
            if attribute.name == name:
                return attribute
        raise NotFoundError("registry.unknown_attribute", entity=self.entity, name=name)

    @property
    def names(self) -> tuple[str, ...]:
        """Attribute names in table order."""
        return tuple(a.name for a in self.attributes)


def max_length(entity: str, name: str) -> int:
    """Longest text of attribute ``name`` of ``entity`` [characters] (for its database column)."""
    length = entity_schema(entity).attribute(name).max_length
    if length is None:
        raise ReferenceDataError("registry.bad_attribute_type", entity=entity, name=name, type="string without max_length")
    return length


def fold(text: str) -> str:
    """Return ``text`` lower-cased without diacritics or surrounding space.

    ``"Đang hoạt động"`` and ``"dang hoat dong"`` fold to the same string.
    """
    text = text.strip().casefold().replace("đ", "d")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn")


def _read_yaml(name: str) -> Any:
    path = resources.files(__package__).joinpath(name)
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _attribute(raw: dict[str, Any], entity: str) -> Attribute:
    if raw.get("type") not in ATTRIBUTE_TYPES:
        raise ReferenceDataError("registry.bad_attribute_type", entity=entity, name=raw.get("name"), type=raw.get("type"))
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
        max_length=raw.get("max_length"),
    )


@cache
def entity_schema(entity: str) -> EntitySchema:
    """Return the attribute table of ``entity`` (``park``, ``firm``, ...)."""
    try:
        raw = _read_yaml(f"attributes/{entity}.yaml")
    except FileNotFoundError as exc:
        raise NotFoundError("registry.unknown_entity", entity=entity, known=", ".join(all_entities())) from exc
    return EntitySchema(
        entity=raw["entity"],
        table=raw["table"],
        label=raw["label"],
        description=raw["description"],
        key=tuple(raw["key"]),
        attributes=tuple(_attribute(a, entity) for a in raw["attributes"]),
        checks=tuple(raw.get("checks", ())),
    )


def all_entities() -> tuple[str, ...]:
    """Names of every entity with an attribute table, in documentation order."""
    return ("province", *IMPORTABLE_ENTITIES)


@cache
def vocabularies() -> dict[str, dict[str, dict[str, Any]]]:
    """Return every controlled vocabulary, ``{name: {code: {vi, en, aliases, ...}}}``."""
    data: dict[str, dict[str, dict[str, Any]]] = _read_yaml("vocabularies.yaml")
    return data


def vocabulary(name: str) -> dict[str, dict[str, Any]]:
    """Return the vocabulary ``name``."""
    try:
        return vocabularies()[name]
    except KeyError as exc:
        raise NotFoundError("registry.unknown_vocabulary", name=name) from exc


@cache
def _vocabulary_lookup(name: str) -> dict[str, str]:
    lookup: dict[str, str] = {}
    for code, entry in vocabulary(name).items():
        for spelling in (code, code.replace("_", " "), entry["vi"], entry["en"], *entry.get("aliases", [])):
            lookup[fold(str(spelling))] = code
    return lookup


def resolve_code(name: str, text: str) -> str | None:
    """Return the code of vocabulary ``name`` spelled ``text`` (any label or alias), or None."""
    return _vocabulary_lookup(name).get(fold(text))
