"""Writing registry records through the API: checked row by row for rights, then imported.

Every write — a JSON ``POST``/``PATCH`` or an uploaded CSV/XLSX file — becomes a
:class:`~ecozone.registry.files.RawTable` and goes through the same validated, all-or-nothing
:func:`ecozone.store.registry_store.import_table` as a file imported on the command line. Before
that, each row is checked against the caller's rights: a row may only touch records the
caller may change (its park's or its own firm's), and may only refer to parks and firms the
caller may see. A refused row is reported as a problem of that row whose text is the same
whether the object exists or not, so that a report never reveals another park's data.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ecozone.api.errors import AuthenticationRequiredError, PermissionDeniedError
from ecozone.api.roles import Principal, RegistryFacts, manages_park, sees_firm
from ecozone.errors import ImportValidationError, NotFoundError
from ecozone.registry.files import RawTable
from ecozone.registry.schema import entity_schema, fold, resolve_code
from ecozone.registry.validation import Problem
from ecozone.store.registry_store import ImportSummary, import_table
from ecozone.store.workspace import Workspace

NOT_PERMITTED = "api.problem.not_permitted"


@dataclass(frozen=True)
class RowKeys:
    """The identifying values of a raw row (text as written, trimmed; None when absent)."""

    values: Mapping[str, str | None]
    columns: Mapping[str, str]

    def get(self, name: str) -> str | None:
        """Return the value of attribute ``name``."""
        return self.values.get(name)


def column_names(entity: str, columns: tuple[str, ...]) -> dict[str, str]:
    """Map a file's columns to attribute names (English or Vietnamese spellings, as imports do)."""
    spellings: dict[str, str] = {}
    for attribute in entity_schema(entity).attributes:
        for spelling in (attribute.name, attribute.vi, attribute.vi.replace("_", " ")):
            spellings[fold(spelling)] = attribute.name
    return {column: spellings[fold(column)] for column in columns if fold(column) in spellings}


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def row_keys(mapping: Mapping[str, str], row: Mapping[str, Any]) -> RowKeys:
    """Return the attribute values of one raw row, by attribute name."""
    values: dict[str, str | None] = {}
    columns: dict[str, str] = {}
    for column, name in mapping.items():
        values.setdefault(name, _text(row.get(column)))
        columns.setdefault(name, column)
    return RowKeys(values, columns)


def _may_use_park(principal: Principal, park_id: str | None, facts: RegistryFacts) -> bool:
    """Whether the caller may write records of ``park_id`` (an unknown park: admins only)."""
    if park_id is None:
        return True  # validation reports the missing value
    if principal.is_admin:
        return True
    return park_id in facts.parks and manages_park(principal, park_id)


def _may_use_firm(principal: Principal, firm_id: str | None, facts: RegistryFacts) -> bool:
    """Whether the caller may write records of (or refer to) ``firm_id``."""
    if firm_id is None or principal.is_admin:
        return True
    return sees_firm(principal, firm_id, facts)


def _park_row(principal: Principal, keys: RowKeys, facts: RegistryFacts) -> str | None:
    park_id = keys.get("id")
    if principal.is_admin or (park_id is not None and park_id in facts.parks and manages_park(principal, park_id)):
        return None
    return "id"


def _firm_row(principal: Principal, keys: RowKeys, facts: RegistryFacts) -> str | None:
    firm_id, park_id = keys.get("id"), keys.get("park_id")
    if principal.is_admin or firm_id is None:
        return None
    existing_park = facts.firm_parks.get(firm_id)
    if existing_park is not None:
        if firm_id in principal.own_firms and park_id in (None, existing_park):
            return None
        if not manages_park(principal, existing_park):
            return "id"
    return None if _may_use_park(principal, park_id, facts) else "park_id"


def _meter_row(principal: Principal, keys: RowKeys, facts: RegistryFacts) -> str | None:
    if principal.is_admin:
        return None
    meter_id, park_id, firm_id = keys.get("id"), keys.get("park_id"), keys.get("firm_id")
    existing = facts.meter_owners.get(meter_id or "")
    if existing is not None:
        old_park, old_firm = existing
        if not (manages_park(principal, old_park) or (old_firm is not None and old_firm in principal.own_firms)):
            return "id"
    if firm_id is not None:
        if not _may_use_firm(principal, firm_id, facts):
            return "firm_id"
        if firm_id in principal.own_firms and park_id == facts.firm_parks.get(firm_id):
            return None
    return None if _may_use_park(principal, park_id, facts) else "park_id"


def _certification_row(principal: Principal, keys: RowKeys, facts: RegistryFacts) -> str | None:
    if principal.is_admin:
        return None
    kind = resolve_code("holder_kind", keys.get("holder_kind") or "")
    holder = keys.get("holder_id")
    if kind is None or holder is None:
        return None  # validation reports it
    if kind == "park":
        return None if _may_use_park(principal, holder, facts) else "holder_id"
    return None if _may_use_firm(principal, holder, facts) else "holder_id"


ROW_RULES = {"park": _park_row, "firm": _firm_row, "meter": _meter_row, "certification": _certification_row}


def refused_column(principal: Principal, entity: str, keys: RowKeys, facts: RegistryFacts) -> str | None:
    """Return the attribute that makes the caller unable to write this row, or None when allowed."""
    if not principal.is_authenticated:
        return next(iter(entity_schema(entity).key))
    return ROW_RULES[entity](principal, keys, facts)


def permission_problems(principal: Principal, entity: str, table: RawTable, facts: RegistryFacts) -> list[Problem]:
    """Return one problem per row the caller may not write."""
    mapping = column_names(entity, table.columns)
    problems = []
    for row, number in zip(table.rows, table.row_numbers, strict=True):
        keys = row_keys(mapping, row)
        name = refused_column(principal, entity, keys, facts)
        if name is not None:
            column = keys.columns.get(name, name)
            problems.append(Problem(table.file_name, number, column, keys.get(name) or "", NOT_PERMITTED, {"column": column}))
    return problems


def write_table(
    workspace: Workspace,
    principal: Principal,
    entity: str,
    table: RawTable,
    facts: RegistryFacts,
    *,
    dry_run: bool = False,
    decimal_comma: bool = False,
) -> ImportSummary:
    """Check rights row by row, then validate and import ``table`` all or nothing.

    Raises
    ------
    ImportValidationError
        With every problem, row by row (rights, then the registry's validation, which also
        checks text lengths against the attribute tables); rows the
        caller may not write report only that, never what validation would say of them.
    """
    refused = permission_problems(principal, entity, table, facts)
    problems = list(refused)
    try:
        summary = import_table(workspace, entity, table, dry_run=dry_run or bool(problems), decimal_comma=decimal_comma)
    except ImportValidationError as error:
        refused_rows = {problem.row for problem in refused}
        problems.extend(problem for problem in error.problems if problem.row not in refused_rows)
    if problems:
        raise ImportValidationError(sorted(problems, key=lambda p: (p.row, p.column)), file=table.file_name)
    return summary


def authorize_record(principal: Principal, entity: str, record: Mapping[str, Any], facts: RegistryFacts) -> None:
    """Refuse (401/403) a JSON write the caller may not make; the message names no other object."""
    if not principal.is_authenticated:
        raise AuthenticationRequiredError("api.auth.required")
    keys = RowKeys({name: _text(value) for name, value in record.items()}, {name: name for name in record})
    column = refused_column(principal, entity, keys, facts)
    if column is not None:
        raise PermissionDeniedError("api.denied.write", entity=entity, column=column, value=keys.get(column) or "")


def current_row(workspace: Workspace, entity: str, park_id: str, key: Mapping[str, Any]) -> dict[str, Any]:
    """Return a stored record as an import row (attribute names; the park's province as text)."""
    from ecozone.store.registry_store import export_rows

    _, rows = export_rows(workspace, entity, park_id)
    for row in rows:
        if all(row.get(name) == value for name, value in key.items()):
            return row
    raise NotFoundError("api.record_not_found", entity=entity, record=", ".join(map(str, key.values())))


def write_record(
    workspace: Workspace, principal: Principal, entity: str, record: dict[str, Any], facts: RegistryFacts
) -> ImportSummary:
    """Authorise and import one record given as JSON (the same validation as a file)."""
    authorize_record(principal, entity, record, facts)
    return write_table(workspace, principal, entity, RawTable.from_records("request", [record]), facts)
