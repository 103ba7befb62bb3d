"""Render the data-model reference (Markdown) from the attribute tables."""

from __future__ import annotations

from ecozone.registry.schema import EntitySchema, all_entities, entity_schema, vocabularies

HEADER = """# Data model reference / Mô hình dữ liệu

Generated from `src/ecozone/registry/attributes/*.yaml` and `vocabularies.yaml` by
`make docs` (`python -m ecozone.docs`); do not edit by hand: a test fails when this page and
the attribute tables drift apart. Import files may use the English column name or the
Vietnamese one (`vi`), in any order, in CSV, XLSX or (parks) GeoJSON.

Trang này được sinh tự động từ các bảng thuộc tính; tệp nhập có thể dùng tên cột tiếng Anh
hoặc tiếng Việt.
"""


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ") if text is not None else ""


def _type_text(schema: EntitySchema, name: str) -> str:
    attribute = schema.attribute(name)
    if attribute.type == "code":
        return f"code ([{attribute.values}](#{attribute.values}))"
    if attribute.type == "reference":
        return f"reference → {attribute.references}"
    return attribute.type


def _bounds(minimum: float | None, maximum: float | None) -> str:
    if minimum is None and maximum is None:
        return ""
    return f"{'' if minimum is None else minimum} … {'' if maximum is None else maximum}"


def _length(max_length: int | None) -> str:
    return "" if max_length is None else f"≤ {max_length} characters"


def render_entity(entity: str) -> str:
    """Return the Markdown section of one entity."""
    schema = entity_schema(entity)
    lines = [
        f"## {schema.label['en']} / {schema.label['vi']} (`{entity}`)",
        "",
        schema.description["en"],
        "",
        f"_{schema.description['vi']}_",
        "",
        f"Table `{schema.table}`; natural key: {', '.join(f'`{k}`' for k in schema.key)}.",
        "",
        "| name | vi | type | unit | required | range | description | mô tả |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for a in schema.attributes:
        limits = _bounds(a.minimum, a.maximum) or _length(a.max_length)
        lines.append(
            f"| `{a.name}` | `{a.vi}` | {_type_text(schema, a.name)} | {_cell(a.unit)} | {'yes' if a.required else 'no'} | "
            f"{limits} | {_cell(a.description['en'])} | {_cell(a.description['vi'])} |"
        )
    if schema.checks:
        lines += ["", "Row checks: " + "; ".join(_check_text(c) for c in schema.checks) + "."]
    return "\n".join(lines) + "\n"


def _check_text(check: dict[str, str]) -> str:
    kind = check["kind"]
    if kind == "not_greater":
        return f"`{check['left']}` ≤ `{check['right']}`"
    if kind == "not_before":
        return f"`{check['left']}` not before `{check['right']}`"
    return {
        "owner_consistent": "a firm's meter names its firm (in the same park), a park meter names none",
        "unit_suits_carrier": "the unit's dimension suits the carrier",
        "level_in_scheme": "the level is one of the scheme's levels",
        "role_suits_carrier": "the role suits the carrier (see meter_role)",
    }[kind]


def render_vocabularies() -> str:
    """Return the Markdown section listing every controlled vocabulary."""
    lines = ["## Vocabularies / Danh mục", ""]
    for name, entries in vocabularies().items():
        lines += [f"### {name}", "", "| code | en | vi | accepted spellings |", "|---|---|---|---|"]
        for code, entry in entries.items():
            extra = ", ".join(entry.get("aliases", []))
            if entry.get("dimensions"):
                extra = f"units: {'/'.join(entry['dimensions'])}; {extra}"
            if entry.get("carriers"):
                extra = f"carriers: {', '.join(entry['carriers'])}; {extra}"
            if entry.get("levels"):
                extra = f"levels: {', '.join(entry['levels'])}; {extra}"
            lines.append(f"| `{code}` | {_cell(entry['en'])} | {_cell(entry['vi'])} | {_cell(extra)} |")
        lines.append("")
    return "\n".join(lines)


def render_data_model() -> str:
    """Return the whole data-model reference page."""
    return "\n".join([HEADER, *(render_entity(e) for e in all_entities()), render_vocabularies()])
