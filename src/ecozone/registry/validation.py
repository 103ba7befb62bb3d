"""Validate raw registry rows against the attribute tables, reporting every problem.

Validation is pure: it receives the raw table and an index of what the store already
holds, and returns typed records or the full list of problems (file, row, column, value,
reason). Nothing is written here.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from ecozone.errors import EcozoneError
from ecozone.i18n import translate
from ecozone.registry.files import RawTable
from ecozone.registry.schema import Attribute, EntitySchema, entity_schema, fold, resolve_code, vocabulary

IDENTIFIER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}$")
POINT_NUMBER = re.compile(r"^[+-]?(\d+|\d{1,3}(,\d{3})+)(\.\d+)?$")
COMMA_NUMBER = re.compile(r"^[+-]?(\d+|\d{1,3}(\.\d{3})+)(,\d+)?$")
TRUE_WORDS = {"true", "yes", "y", "1", "co", "x", "dung"}
FALSE_WORDS = {"false", "no", "n", "0", "khong", "sai"}
VIETNAM_BOUNDS = (102.0, 8.0, 117.5, 23.5)


@dataclass(frozen=True)
class Problem:
    """One rejected cell or row.

    Attributes
    ----------
    file : str
        File name.
    row : int
        Row as the user sees it (1 is the header of a CSV or spreadsheet).
    column : str
        Column as written in the file ('' for a whole-row problem).
    value : str
        The offending value as text.
    key : str
        i18n key of the reason.
    params : dict
        Values for the reason's message.
    """

    file: str
    row: int
    column: str
    value: str
    key: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def reason(self, lang: str = "en") -> str:
        """The reason in ``lang``."""
        return translate(self.key, lang, **self.params)


@dataclass(frozen=True)
class RegistryIndex:
    """What the store already holds, for reference checks.

    Attributes
    ----------
    parks : frozenset of str
        Park ids.
    firm_parks : Mapping
        Park id of each firm id.
    meter_parks_by_firm : Mapping
        For each firm, the parks of the meters it owns.
    """

    parks: frozenset[str] = frozenset()
    firm_parks: Mapping[str, str] = field(default_factory=dict)
    meter_parks_by_firm: Mapping[str, frozenset[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class ValidationResult:
    """Typed records (attribute name → value) or the problems that prevent them."""

    records: tuple[dict[str, Any], ...]
    problems: tuple[Problem, ...]


class CellError(EcozoneError):
    """A single value failed its attribute's rule (internal to validation)."""


def parse_number(value: Any, decimal_comma: bool = False) -> float:
    """Parse a number written with a decimal point, or a decimal comma when asked.

    ``"1,234.5"`` reads as 1234.5; ``"1.234,5"`` is refused unless ``decimal_comma`` is
    set, in which case it reads as 1234.5 and ``"1,234.5"`` is refused instead.
    """
    if isinstance(value, bool):
        raise CellError("problem.number")
    if isinstance(value, int | float):
        if isinstance(value, float) and not math.isfinite(value):
            raise CellError("problem.number")
        return float(value)
    text = str(value).strip().replace("\u00a0", "").replace(" ", "")
    own, other = (COMMA_NUMBER, POINT_NUMBER) if decimal_comma else (POINT_NUMBER, COMMA_NUMBER)
    if own.match(text):
        digits = text.replace(".", "").replace(",", ".") if decimal_comma else text.replace(",", "")
        return float(digits)
    if other.match(text):
        raise CellError("problem.point_number" if decimal_comma else "problem.vietnamese_number")
    raise CellError("problem.number")


def _integer(value: Any, decimal_comma: bool) -> int:
    number = parse_number(value, decimal_comma)
    if not number.is_integer():
        raise CellError("problem.integer")
    return int(number)


def _boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    word = fold(str(value))
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise CellError("problem.boolean")


def parse_date(value: Any) -> date:
    """Parse ISO ``YYYY-MM-DD`` or Vietnamese day-first ``DD/MM/YYYY`` (also spreadsheet dates)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d %H:%M:%S"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise CellError("problem.date")


def _code(attribute: Attribute, value: Any) -> str:
    assert attribute.values is not None
    code = resolve_code(attribute.values, str(value))
    if code is None:
        known = ", ".join(vocabulary(attribute.values))
        raise CellError("problem.code", vocabulary=attribute.values, known=known)
    return code


def _geometry(value: Any) -> str:
    from shapely.geometry import shape

    try:
        geometry = shape(json.loads(value) if isinstance(value, str) else value)
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        raise CellError("problem.geometry", detail=str(exc)) from exc
    if geometry.geom_type not in ("Polygon", "MultiPolygon"):
        raise CellError("problem.geometry", detail=f"{geometry.geom_type} is not a polygon")
    if not geometry.is_valid:
        raise CellError("problem.geometry", detail="self-intersecting or degenerate polygon")
    west, south, east, north = geometry.bounds
    if west < VIETNAM_BOUNDS[0] or south < VIETNAM_BOUNDS[1] or east > VIETNAM_BOUNDS[2] or north > VIETNAM_BOUNDS[3]:
        raise CellError("problem.geometry", detail="outside Viet Nam (WGS 84 longitude, latitude)")
    return json.dumps(json.loads(value) if isinstance(value, str) else value, separators=(",", ":"))


def _vsic(value: Any) -> str:
    """A VSIC code; a spreadsheet number (2610.0) is read as digits, restoring a lost leading zero if that makes it valid."""
    from ecozone.registry.vsic import normalise_vsic

    numeric = isinstance(value, int | float) and not isinstance(value, bool) and float(value).is_integer()
    text = str(int(value)) if numeric else str(value)
    code = normalise_vsic(text)
    if code is None and numeric:
        code = normalise_vsic("0" + text)
    if code is None:
        raise CellError("problem.vsic")
    return code


def _country(value: Any) -> str:
    from ecozone.registry.countries import normalise_country

    code = normalise_country(str(value))
    if code is None:
        raise CellError("problem.country")
    return code


def _unit(value: Any) -> str:
    from ecozone.units import UnitError, all_units, parse_unit

    try:
        return parse_unit(str(value)).symbol
    except UnitError as exc:
        raise CellError("problem.unit", known=", ".join(all_units())) from exc


def _province(value: Any) -> tuple[str | None, str]:
    from ecozone.provinces import resolve_province

    try:
        reference = resolve_province(str(value))
    except EcozoneError as exc:
        raise CellError("problem.province") from exc
    return reference.old_code, reference.new_code


def _check_range(attribute: Attribute, number: float) -> None:
    unit = attribute.unit or ""
    if attribute.minimum is not None and number < attribute.minimum:
        raise CellError("problem.below_minimum", minimum=attribute.minimum, unit=unit)
    if attribute.maximum is not None and number > attribute.maximum:
        raise CellError("problem.above_maximum", maximum=attribute.maximum, unit=unit)


def _identifier(value: Any) -> str:
    text = str(value).strip()
    if not IDENTIFIER.match(text):
        raise CellError("problem.identifier")
    return text


def parse_value(attribute: Attribute, value: Any, decimal_comma: bool = False) -> Any:
    """Convert one raw value into the attribute's type, or raise :class:`CellError`."""
    parsers: dict[str, Callable[[Any], Any]] = {
        "identifier": _identifier,
        "reference": _identifier,
        "holder": _identifier,
        "string": lambda v: str(v).strip(),
        "number": lambda v: parse_number(v, decimal_comma),
        "integer": lambda v: _integer(v, decimal_comma),
        "boolean": _boolean,
        "date": parse_date,
        "code": lambda v: _code(attribute, v),
        "geometry": _geometry,
        "vsic": _vsic,
        "country": _country,
        "unit": _unit,
        "province": _province,
    }
    parsed = parsers[attribute.type](value)
    if attribute.type in ("number", "integer"):
        _check_range(attribute, parsed)
    if attribute.max_length is not None and isinstance(parsed, str) and len(parsed) > attribute.max_length:
        raise CellError("problem.too_long", length=len(parsed), max_length=attribute.max_length)
    return parsed


def _column_map(schema: EntitySchema, table: RawTable) -> tuple[dict[str, str], list[Problem]]:
    spellings: dict[str, str] = {}
    for attribute in schema.attributes:
        for spelling in (attribute.name, attribute.vi, attribute.vi.replace("_", " ")):
            spellings[fold(spelling)] = attribute.name
    mapping: dict[str, str] = {}
    problems: list[Problem] = []
    known = ", ".join(schema.names)
    for column in table.columns:
        name = spellings.get(fold(column))
        if name is None:
            problems.append(Problem(table.file_name, 1, column, "", "problem.unknown_column", {"column": column, "known": known}))
        elif name in mapping.values():
            problems.append(Problem(table.file_name, 1, column, "", "problem.duplicate_column", {"column": column}))
        else:
            mapping[column] = name
    for attribute in schema.attributes:
        if attribute.required and attribute.name not in mapping.values():
            problems.append(Problem(table.file_name, 1, attribute.name, "", "problem.missing_column", {"column": attribute.name}))
    return mapping, problems


def _references(entity: str, record: dict[str, Any], index: RegistryIndex) -> list[tuple[str, str, dict[str, Any]]]:
    """Return (attribute, key, params) for each broken reference or cross-field rule."""
    issues: list[tuple[str, str, dict[str, Any]]] = []
    park = record.get("park_id")
    if park is not None and park not in index.parks:
        issues.append(("park_id", "problem.reference", {"entity": "park", "value": park}))
    if entity == "firm" and park is not None:
        moved_from = index.firm_parks.get(record["id"])
        if moved_from not in (None, park) and index.meter_parks_by_firm.get(record["id"]):
            issues.append(("park_id", "problem.firm_moves_park", {"firm": record["id"], "old_park": moved_from, "park": park}))
    firm = record.get("firm_id")
    if entity == "meter" and firm is not None:
        if firm not in index.firm_parks:
            issues.append(("firm_id", "problem.reference", {"entity": "firm", "value": firm}))
        elif index.firm_parks[firm] != park:
            issues.append(
                ("firm_id", "problem.firm_other_park", {"firm": firm, "firm_park": index.firm_parks[firm], "park": park})
            )
    if entity == "certification" and record.get("holder_id") is not None:
        holder, kind = record["holder_id"], record.get("holder_kind")
        known = index.parks if kind == "park" else index.firm_parks
        if kind is not None and holder not in known:
            issues.append(("holder_id", "problem.reference", {"entity": kind, "value": holder}))
    return issues


def _row_checks(schema: EntitySchema, record: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    """Return (attribute, key, params) for each failed cross-field check of the attribute table."""
    issues: list[tuple[str, str, dict[str, Any]]] = []
    for check in schema.checks:
        kind = check["kind"]
        if kind in ("not_greater", "not_before"):
            left, right = record.get(check["left"]), record.get(check["right"])
            if (
                left is not None
                and right is not None
                and ((kind == "not_greater" and left > right) or (kind == "not_before" and left < right))
            ):
                params = {"left": check["left"], "right": check["right"], "left_value": left, "right_value": right}
                issues.append((check["left"], f"problem.{kind}", params))
        elif kind == "owner_consistent":
            issues.extend(_owner_issues(record))
        elif kind == "unit_suits_carrier":
            issues.extend(_unit_issues(record))
        elif kind == "level_in_scheme":
            issues.extend(_level_issues(record))
        elif kind == "role_suits_carrier":
            issues.extend(_role_issues(record))
    if "latitude" in schema.names and (record.get("latitude") is None) != (record.get("longitude") is None):
        issues.append(("latitude", "problem.coordinates_pair", {}))
    return issues


def _owner_issues(record: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    if record.get("owner_kind") == "firm" and record.get("firm_id") is None:
        return [("firm_id", "problem.owner_firm_missing", {})]
    if record.get("owner_kind") == "park" and record.get("firm_id") is not None:
        return [("firm_id", "problem.owner_park_with_firm", {})]
    return []


def _unit_issues(record: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    from ecozone.units import parse_unit

    carrier, unit = record.get("carrier"), record.get("unit")
    if carrier is None or unit is None:
        return []
    allowed = vocabulary("carrier")[carrier]["dimensions"]
    dimension = parse_unit(unit).dimension
    if dimension in allowed:
        return []
    return [
        (
            "unit",
            "problem.unit_carrier",
            {"unit": unit, "dimension": dimension, "carrier": carrier, "allowed": ", ".join(allowed)},
        )
    ]


def _role_issues(record: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    role, carrier = record.get("role"), record.get("carrier")
    if role is None or carrier is None:
        return []
    carriers = vocabulary("meter_role")[role]["carriers"]
    if carrier in carriers:
        return []
    return [("role", "problem.role_carrier", {"role": role, "carrier": carrier, "allowed": ", ".join(carriers)})]


def _level_issues(record: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    scheme, level = record.get("scheme"), record.get("level")
    if scheme is None or level is None:
        return []
    levels = vocabulary("certification_scheme")[scheme].get("levels")
    if not levels:
        return [("level", "problem.level_not_rated", {"scheme": scheme})]
    normalised = fold(level).replace(" ", "_").replace("-", "_")
    if normalised not in levels:
        return [("level", "problem.level", {"level": level, "scheme": scheme, "known": ", ".join(levels)})]
    record["level"] = normalised
    return []


def _parse_row(
    schema: EntitySchema, raw: dict[str, Any], mapping: dict[str, str], decimal_comma: bool
) -> tuple[dict[str, Any], list[tuple[str, str, str, dict[str, Any]]]]:
    """Parse one row; return the record and (column, value, key, params) problems."""
    record: dict[str, Any] = {}
    issues: list[tuple[str, str, str, dict[str, Any]]] = []
    if "__extra__" in raw:
        issues.append(
            (
                "",
                "|".join(map(str, raw["__extra__"])),
                "problem.unknown_column",
                {"column": "?", "known": ", ".join(schema.names)},
            )
        )
    by_name = {name: column for column, name in mapping.items()}
    for attribute in schema.attributes:
        column = by_name.get(attribute.name)
        value = raw.get(column) if column is not None else None
        if value is None:
            if attribute.required and column is not None:
                issues.append((column, "", "problem.required", {}))
            record[attribute.name] = None
            continue
        try:
            record[attribute.name] = parse_value(attribute, value, decimal_comma)
        except CellError as error:
            issues.append((column or attribute.name, str(value), error.key, error.params))
            record[attribute.name] = None
    return record, issues


def _finalise(entity: str, record: dict[str, Any]) -> dict[str, Any]:
    """Turn parsed attribute values into stored fields (the province into both layouts)."""
    if entity == "park":
        province = record.pop("province")
        record["province_old_code"], record["province_new_code"] = province if province else (None, None)
    if "is_synthetic" in record and record["is_synthetic"] is None:
        record["is_synthetic"] = False
    return record


def validate_table(entity: str, table: RawTable, index: RegistryIndex, decimal_comma: bool = False) -> ValidationResult:
    """Validate every row of ``table`` as ``entity`` rows.

    Parameters
    ----------
    entity : str
        ``park``, ``firm``, ``meter`` or ``certification``.
    table : RawTable
        Rows as read from a file.
    index : RegistryIndex
        Ids already in the store (references must point to them).
    decimal_comma : bool
        Read numbers written the Vietnamese way (``1.234,5``).

    Returns
    -------
    ValidationResult
        Typed records when there is no problem; otherwise every problem found.
    """
    schema = entity_schema(entity)
    mapping, problems = _column_map(schema, table)
    records: list[dict[str, Any]] = []
    seen: dict[tuple[Any, ...], int] = {}
    by_name = {name: column for column, name in mapping.items()}
    for raw, row in zip(table.rows, table.row_numbers, strict=True):
        record, issues = _parse_row(schema, raw, mapping, decimal_comma)
        problems.extend(Problem(table.file_name, row, c, v, k, p) for c, v, k, p in issues)
        for name, key, params in _row_checks(schema, record) + _references(entity, record, index):
            column = by_name.get(name, name)
            problems.append(Problem(table.file_name, row, column, _as_text(record.get(name)), key, params))
        natural_key = tuple(record.get(k) for k in schema.key)
        if None not in natural_key and natural_key in seen:
            problems.append(
                Problem(
                    table.file_name,
                    row,
                    by_name.get(schema.key[0], ""),
                    str(natural_key[0]),
                    "problem.duplicate_key",
                    {"first_row": seen[natural_key]},
                )
            )
        seen.setdefault(natural_key, row)
        records.append(_finalise(entity, record))
    if problems:
        return ValidationResult((), tuple(problems))
    return ValidationResult(tuple(records), ())


def _as_text(value: Any) -> str:
    return "" if value is None else str(value)
