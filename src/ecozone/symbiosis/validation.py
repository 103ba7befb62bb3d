"""Validate stream-catalogue rows, reporting every problem (file, row, column, value, reason).

Reuses the registry's machinery: :class:`~ecozone.registry.files.RawTable` as read,
:func:`~ecozone.registry.validation.parse_value` for the common types (numbers with the
decimal-comma rule, booleans, units, identifiers), :class:`Problem` records and the
:class:`RegistryIndex` of parks and firms. Validation is pure: nothing is written.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from ecozone.registry.files import RawTable
from ecozone.registry.schema import Attribute, EntitySchema, fold
from ecozone.registry.validation import (
    VIETNAM_BOUNDS,
    CellError,
    Problem,
    RegistryIndex,
    ValidationResult,
    parse_value,
)
from ecozone.symbiosis.catalogue import resolve_stream_code, stream_schema, stream_vocabulary
from ecozone.symbiosis.taxonomy import importable_classes, resolve_class, stream_class
from ecozone.symbiosis.waste_codes import ewc_is_hazardous, normalise_ewc_code, normalise_vietnamese_code
from ecozone.units import conversion_factor, parse_unit

PER_YEAR = re.compile(r"\s*(/|per)\s*(yr|year|y|a|annum|nam|năm)\s*$", re.IGNORECASE)
Issue = tuple[str, str, dict[str, Any]]
OUTPUT_ONLY = ("temperature_c", "purity_pct", "moisture_pct", "hazardous_code")
INPUT_ONLY = ("min_temperature_c", "min_purity_pct", "max_moisture_pct", "licensed_receiver")


def _symbiosis_code(attribute: Attribute, value: Any) -> str:
    assert attribute.values is not None
    code = resolve_stream_code(attribute.values, str(value))
    if code is None:
        known = ", ".join(stream_vocabulary(attribute.values))
        raise CellError("problem.code", vocabulary=attribute.values, known=known)
    return code


def _stream_class(value: Any) -> str:
    code = resolve_class(str(value))
    if code is None or not stream_class(code).roles:
        raise CellError("symbiosis.problem.stream_class", known=", ".join(c.code for c in importable_classes()))
    return code


def _vn_code(value: Any) -> str:
    code = normalise_vietnamese_code(str(value))
    if code is None:
        raise CellError("symbiosis.problem.vn_code")
    return code


def _ewc_code(value: Any) -> str:
    code = normalise_ewc_code(str(value))
    if code is None:
        raise CellError("symbiosis.problem.ewc_code")
    return code


def parse_stream_value(attribute: Attribute, value: Any, decimal_comma: bool = False) -> Any:
    """Convert one raw value into the attribute's type, or raise :class:`CellError`."""
    own: dict[str, Callable[[Any], Any]] = {
        "symbiosis_code": lambda v: _symbiosis_code(attribute, v),
        "stream_class": _stream_class,
        "vn_waste_code": _vn_code,
        "ewc_code": _ewc_code,
    }
    if attribute.type in own:
        return own[attribute.type](value)
    if attribute.type == "unit":
        value = PER_YEAR.sub("", str(value))
    return parse_value(attribute, value, decimal_comma)


def _column_map(schema: EntitySchema, table: RawTable) -> tuple[dict[str, str], list[Problem]]:
    spellings: dict[str, str] = {}
    for attribute in schema.attributes:
        for spelling in (attribute.name, attribute.vi, attribute.vi.replace("_", " ")):
            spellings[fold(spelling)] = attribute.name
    mapping: dict[str, str] = {}
    problems: list[Problem] = []
    for column in table.columns:
        name = spellings.get(fold(column))
        if name is None:
            params = {"column": column, "known": ", ".join(schema.names)}
            problems.append(Problem(table.file_name, 1, column, "", "problem.unknown_column", params))
        elif name in mapping.values():
            problems.append(Problem(table.file_name, 1, column, "", "problem.duplicate_column", {"column": column}))
        else:
            mapping[column] = name
    problems.extend(
        Problem(table.file_name, 1, a.name, "", "problem.missing_column", {"column": a.name})
        for a in schema.attributes
        if a.required and a.name not in mapping.values()
    )
    return mapping, problems


def _parse_row(
    schema: EntitySchema, raw: dict[str, Any], by_name: dict[str, str], decimal_comma: bool
) -> tuple[dict[str, Any], list[tuple[str, str, str, dict[str, Any]]]]:
    record: dict[str, Any] = {}
    issues: list[tuple[str, str, str, dict[str, Any]]] = []
    if "__extra__" in raw:
        extra = "|".join(map(str, raw["__extra__"]))
        issues.append(("", extra, "problem.unknown_column", {"column": "?", "known": ", ".join(schema.names)}))
    for attribute in schema.attributes:
        column = by_name.get(attribute.name)
        value = raw.get(column) if column is not None else None
        record[attribute.name] = None
        if value is None:
            if attribute.required and column is not None:
                issues.append((column, "", "problem.required", {}))
            continue
        try:
            record[attribute.name] = parse_stream_value(attribute, value, decimal_comma)
        except CellError as error:
            issues.append((column or attribute.name, str(value), error.key, dict(error.params)))
    return record, issues


def _owner_issues(record: dict[str, Any], index: RegistryIndex) -> list[Issue]:
    park, kind, owner = record.get("park_id"), record.get("owner_kind"), record.get("owner_id")
    issues: list[Issue] = []
    if park is not None and park not in index.parks:
        issues.append(("park_id", "problem.reference", {"entity": "park", "value": park}))
    if kind == "firm" and owner is not None:
        if owner not in index.firm_parks:
            issues.append(("owner_id", "problem.reference", {"entity": "firm", "value": owner}))
        elif park is not None and index.firm_parks[owner] != park:
            issues.append(
                ("owner_id", "problem.firm_other_park", {"firm": owner, "firm_park": index.firm_parks[owner], "park": park})
            )
    elif kind == "park" and owner is not None and owner != park:
        issues.append(("owner_id", "symbiosis.problem.owner_park", {"park": park}))
    elif kind == "external" and not record.get("owner_name"):
        issues.append(("owner_name", "symbiosis.problem.external_needs_name", {}))
    return issues


def _quantity_issues(record: dict[str, Any]) -> list[Issue]:
    code, unit, quantity, direction = (
        record.get("stream_class"),
        record.get("unit"),
        record.get("quantity_per_year"),
        record.get("direction"),
    )
    issues: list[Issue] = []
    if code is not None and unit is not None:
        measure = stream_class(code).measure
        if parse_unit(unit).dimension != measure:
            issues.append(("unit", "symbiosis.problem.unit_measure", {"unit": unit, "stream_class": code, "measure": measure}))
    if quantity == 0 and direction is not None:
        key = "symbiosis.problem.no_capacity" if direction == "input" else "symbiosis.problem.nothing_offered"
        issues.append(("quantity_per_year", key, {}))
    return issues


def _class_issues(record: dict[str, Any]) -> list[Issue]:
    code, direction = record.get("stream_class"), record.get("direction")
    if code is None or direction is None:
        return []
    entry = stream_class(code)
    issues: list[Issue] = []
    if not entry.allows(direction):
        roles = ", ".join(sorted(entry.roles))
        issues.append(
            ("stream_class", "symbiosis.problem.class_direction", {"stream_class": code, "direction": direction, "roles": roles})
        )
    if direction == "output" and entry.measure == "energy" and code == "steam_heat" and record.get("temperature_c") is None:
        issues.append(("temperature_c", "symbiosis.problem.heat_needs_temperature", {}))
    misplaced = INPUT_ONLY if direction == "output" else OUTPUT_ONLY
    issues.extend(
        (name, "symbiosis.problem.wrong_direction_attribute", {"direction": direction})
        for name in misplaced
        if record.get(name) not in (None, False)
    )
    return issues


def _hazard_issues(record: dict[str, Any]) -> list[Issue]:
    code, direction = record.get("stream_class"), record.get("direction")
    if code is None or direction != "output":
        return []
    entry = stream_class(code)
    issues: list[Issue] = []
    if record.get("hazardous") is None:
        record["hazardous"] = entry.hazardous == "always" or bool(record.get("ewc_code") and ewc_is_hazardous(record["ewc_code"]))
    if entry.hazardous == "always" and not record["hazardous"]:
        issues.append(("hazardous", "symbiosis.problem.class_always_hazardous", {"stream_class": code}))
    if entry.hazardous == "never" and record["hazardous"]:
        issues.append(("hazardous", "symbiosis.problem.class_never_hazardous", {"stream_class": code}))
    if record["hazardous"] and record.get("hazardous_code") is None:
        issues.append(("hazardous_code", "symbiosis.problem.hazardous_without_code", {}))
    ewc = record.get("ewc_code")
    if ewc is not None and ewc_is_hazardous(ewc) and not record["hazardous"]:
        issues.append(("ewc_code", "symbiosis.problem.ewc_hazardous_mismatch", {"code": ewc}))
    return issues


def _location_issues(record: dict[str, Any]) -> list[Issue]:
    latitude, longitude = record.get("latitude"), record.get("longitude")
    if (latitude is None) != (longitude is None):
        return [("latitude", "problem.coordinates_pair", {})]
    if latitude is None or longitude is None:
        return []
    west, south, east, north = VIETNAM_BOUNDS
    if not (south <= latitude <= north and west <= longitude <= east):
        return [("latitude", "symbiosis.problem.outside_vietnam", {"latitude": latitude, "longitude": longitude})]
    return []


def _finalise(record: dict[str, Any]) -> dict[str, Any]:
    """Convert the quantity and unit cost into the class's canonical unit; fill defaults."""
    canonical = stream_class(record["stream_class"]).unit
    factor = conversion_factor(record["unit"], canonical)
    record["quantity_per_year"] = record["quantity_per_year"] * factor
    if record.get("unit_cost_vnd") is not None:
        record["unit_cost_vnd"] = record["unit_cost_vnd"] / factor
    record["unit"] = canonical
    for flag in ("hazardous", "licensed_receiver", "is_synthetic"):
        record[flag] = bool(record.get(flag))
    return record


def validate_streams(table: RawTable, index: RegistryIndex, decimal_comma: bool = False) -> ValidationResult:
    """Validate every row of ``table`` as stream rows.

    Parameters
    ----------
    table : RawTable
        Rows as read from a CSV or XLSX file (or built from records).
    index : RegistryIndex
        Parks and firms the store holds (owners and parks must exist).
    decimal_comma : bool
        Read numbers written the Vietnamese way (``1.234,5``).

    Returns
    -------
    ValidationResult
        Typed records (quantity per year and unit cost converted to the class's canonical
        unit) when there is no problem; otherwise every problem found.
    """
    schema = stream_schema()
    mapping, problems = _column_map(schema, table)
    by_name = {name: column for column, name in mapping.items()}
    records: list[dict[str, Any]] = []
    seen: dict[tuple[Any, ...], int] = {}
    for raw, row in zip(table.rows, table.row_numbers, strict=True):
        record, issues = _parse_row(schema, raw, by_name, decimal_comma)
        problems.extend(Problem(table.file_name, row, c, v, k, p) for c, v, k, p in issues)
        checks = _owner_issues(record, index) + _quantity_issues(record) + _class_issues(record)
        checks += _hazard_issues(record) + _location_issues(record)
        for name, key, params in checks:
            value = record.get(name)
            problems.append(
                Problem(table.file_name, row, by_name.get(name, name), "" if value is None else str(value), key, params)
            )
        natural_key = tuple(record.get(k) for k in schema.key)
        if None not in natural_key and natural_key in seen:
            params = {"first_row": seen[natural_key]}
            problems.append(
                Problem(table.file_name, row, by_name.get("name", "name"), str(record["name"]), "problem.duplicate_key", params)
            )
        seen.setdefault(natural_key, row)
        records.append(record)
    if problems:
        return ValidationResult((), tuple(problems))
    return ValidationResult(tuple(_finalise(r) for r in records), ())
