"""The attribute tables, vocabularies, ORM models, docs and i18n catalogue agree."""

from __future__ import annotations

from pathlib import Path

import pytest

from ecozone.docs import pages
from ecozone.i18n import LANGUAGES, catalogue, translate
from ecozone.registry.schema import ATTRIBUTE_TYPES, IMPORTABLE_ENTITIES, all_entities, entity_schema, resolve_code, vocabularies
from ecozone.store.models import ENTITY_MODELS

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("entity", all_entities())
def test_attribute_tables_are_complete(entity: str) -> None:
    schema = entity_schema(entity)
    assert set(schema.key) <= set(schema.names)
    for attribute in schema.attributes:
        assert attribute.type in ATTRIBUTE_TYPES
        assert attribute.description["en"] and attribute.description["vi"]
        if attribute.type == "code":
            assert attribute.values in vocabularies()


@pytest.mark.parametrize("entity", IMPORTABLE_ENTITIES)
def test_orm_columns_follow_attribute_tables(entity: str) -> None:
    columns = ENTITY_MODELS[entity].__table__.columns  # type: ignore[attr-defined]
    names = set(entity_schema(entity).names)
    if entity == "park":
        names = (names - {"province"}) | {"province_old_code", "province_new_code"}
    stored = {c.name for c in columns} - {"created_at", "updated_at"} - ({"id"} if entity == "certification" else set())
    assert stored == names
    for attribute in entity_schema(entity).attributes:
        if attribute.name in columns:
            assert columns[attribute.name].comment == attribute.description["en"]
            if attribute.type == "string" and attribute.max_length is None:
                assert not hasattr(columns[attribute.name].type, "length") or columns[attribute.name].type.length is None, (
                    attribute.name
                )
            if attribute.max_length is not None:
                assert columns[attribute.name].type.length == attribute.max_length


def test_vocabularies_are_bilingual_and_unambiguous() -> None:
    for name, entries in vocabularies().items():
        for code, entry in entries.items():
            assert entry["vi"] and entry["en"], (name, code)
            assert resolve_code(name, entry["vi"]) == code
            assert resolve_code(name, entry["en"]) == code
            for alias in entry.get("aliases", []):
                assert resolve_code(name, alias) == code, (name, alias)


def test_every_message_exists_in_both_languages() -> None:
    for key, entry in catalogue().items():
        assert set(LANGUAGES) <= set(entry), key
        assert all(entry[lang].strip() for lang in LANGUAGES), key


def test_unknown_message_key_is_shown_with_its_parameters() -> None:
    assert translate("no.such.key", "vi", x=1) == "no.such.key (x=1)"


@pytest.mark.parametrize("page", sorted(pages()))
def test_generated_docs_match_the_data_files(page: str) -> None:
    committed = (ROOT / "docs" / page).read_text(encoding="utf-8")
    assert committed == pages()[page](), f"docs/{page} is stale: run `make docs`"


def test_data_model_page_names_every_attribute() -> None:
    text = pages()["data-model.md"]()
    for entity in all_entities():
        for attribute in entity_schema(entity).attributes:
            assert f"`{attribute.vi}`" in text
