"""Registry persistence: all-or-nothing, idempotent imports, exports and snapshots.

An import validates the whole file against what the store holds, then upserts every
record by its natural key in one transaction: on any problem nothing is written, and a
repeated import of the same file changes nothing.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ecozone.errors import ImportValidationError, NotFoundError
from ecozone.registry.files import RawTable
from ecozone.registry.schema import IMPORTABLE_ENTITIES, entity_schema
from ecozone.registry.validation import RegistryIndex, validate_table
from ecozone.store.database import session_scope
from ecozone.store.models import ENTITY_MODELS, Base, Certification, Firm, ImportRecord, Meter, Park
from ecozone.store.snapshot import (
    CertificationRecord,
    FirmRecord,
    MeterRecord,
    ParkRecord,
    ParkSnapshot,
    RegistrySnapshot,
)
from ecozone.store.workspace import Workspace


@dataclass(frozen=True)
class ImportSummary:
    """What an import did (or, in a dry run, would do).

    Attributes
    ----------
    entity : str
        Entity imported.
    file_name : str
        Source file.
    rows : int
        Valid rows read.
    inserted, updated, unchanged : int
        Records created, changed and left as they were.
    dry_run : bool
        Whether the transaction was rolled back on purpose.
    """

    entity: str
    file_name: str
    rows: int
    inserted: int
    updated: int
    unchanged: int
    dry_run: bool = False


def _check_entity(entity: str) -> None:
    if entity not in IMPORTABLE_ENTITIES:
        raise NotFoundError("registry.not_importable", entity=entity, known=", ".join(IMPORTABLE_ENTITIES))


def registry_index(session: Session) -> RegistryIndex:
    """Return the ids the store holds, for reference checks."""
    parks = frozenset(session.scalars(select(Park.id)))
    firm_parks: dict[str, str] = dict(session.execute(select(Firm.id, Firm.park_id)).all())
    meter_parks: dict[str, set[str]] = {}
    for firm_id, park_id in session.execute(select(Meter.firm_id, Meter.park_id).where(Meter.firm_id.is_not(None))):
        if firm_id is not None:
            meter_parks.setdefault(firm_id, set()).add(park_id)
    return RegistryIndex(parks, firm_parks, {k: frozenset(v) for k, v in meter_parks.items()})


def _stored_names(entity: str) -> list[str]:
    names = list(entity_schema(entity).names)
    if entity == "park":
        position = names.index("province")
        names[position : position + 1] = ["province_old_code", "province_new_code"]
    return names


def _find(session: Session, entity: str, record: dict[str, Any]) -> Base | None:
    model = ENTITY_MODELS[entity]
    if entity == "certification":
        key = entity_schema(entity).key
        statement = select(Certification).filter_by(**{k: record[k] for k in key})
        return session.scalars(statement).one_or_none()
    return session.get(model, record["id"])


def upsert_records(session: Session, entity: str, records: Iterable[dict[str, Any]]) -> tuple[int, int, int]:
    """Insert or update validated records by natural key.

    Returns
    -------
    tuple of int
        Counts of inserted, updated and unchanged records.
    """
    inserted = updated = unchanged = 0
    names = _stored_names(entity)
    for record in records:
        existing = _find(session, entity, record)
        if existing is None:
            session.add(ENTITY_MODELS[entity](**{n: record.get(n) for n in names}))
            session.flush()
            inserted += 1
            continue
        changes = {n: record.get(n) for n in names if getattr(existing, n) != record.get(n)}
        if changes:
            for name, value in changes.items():
                setattr(existing, name, value)
            updated += 1
        else:
            unchanged += 1
    session.flush()
    return inserted, updated, unchanged


def import_table(
    workspace: Workspace, entity: str, table: RawTable, *, dry_run: bool = False, decimal_comma: bool = False
) -> ImportSummary:
    """Validate and store one table, all or nothing.

    Raises
    ------
    ImportValidationError
        With every problem found; the store is left unchanged.
    """
    _check_entity(entity)
    with session_scope(workspace) as session:
        result = validate_table(entity, table, registry_index(session), decimal_comma)
        if result.problems:
            raise ImportValidationError(list(result.problems), file=table.file_name)
        inserted, updated, unchanged = upsert_records(session, entity, result.records)
        summary = ImportSummary(entity, table.file_name, len(result.records), inserted, updated, unchanged, dry_run)
        if dry_run:
            session.rollback()
            return summary
        if inserted or updated:
            session.add(
                ImportRecord(
                    entity=entity,
                    file_name=table.file_name,
                    sha256=table.sha256,
                    rows=len(result.records),
                    inserted=inserted,
                    updated=updated,
                )
            )
    return summary


def _province_text(park: Park) -> str:
    """The province as exported: the 2008 code when known, else the 2025 unit's exact name."""
    if park.province_old_code:
        return park.province_old_code
    from ecozone.provinces import provinces

    return provinces("2025")[park.province_new_code].name


def _order(entity: str) -> Sequence[Any]:
    model = ENTITY_MODELS[entity]
    if entity == "certification":
        return (Certification.holder_kind, Certification.holder_id, Certification.scheme, Certification.valid_from)
    return (model.id,)  # type: ignore[attr-defined]


def export_rows(workspace: Workspace, entity: str, park_id: str | None = None) -> tuple[list[str], list[dict[str, Any]]]:
    """Return the attribute names and one row per stored record, ready to write.

    Parameters
    ----------
    park_id : str, optional
        Only this park's records (for certifications: the park's own and its firms').
    """
    _check_entity(entity)
    schema = entity_schema(entity)
    model = ENTITY_MODELS[entity]
    with session_scope(workspace) as session:
        statement = select(model).order_by(*_order(entity))
        if park_id is not None:
            statement = _filter_park(statement, entity, park_id)
        rows = []
        for item in session.scalars(statement):
            row = {name: getattr(item, name) for name in schema.names if name != "province"}
            if entity == "park":
                row["province"] = _province_text(item)  # type: ignore[arg-type]
            rows.append(row)
    return list(schema.names), rows


def _filter_park(statement: Any, entity: str, park_id: str) -> Any:
    if entity == "park":
        return statement.where(Park.id == park_id)
    if entity in ("firm", "meter"):
        return statement.where(ENTITY_MODELS[entity].park_id == park_id)  # type: ignore[attr-defined]
    firms = select(Firm.id).where(Firm.park_id == park_id)
    return statement.where(
        ((Certification.holder_kind == "park") & (Certification.holder_id == park_id))
        | ((Certification.holder_kind == "firm") & Certification.holder_id.in_(firms))
    )


def _record(cls: type[Any], item: Base) -> Any:
    return cls(**{f.name: getattr(item, f.name) for f in fields(cls)})


def load_registry(workspace: Workspace, park_ids: Sequence[str] | None = None) -> RegistrySnapshot:
    """Return an immutable snapshot of the registry (or of some parks)."""
    with session_scope(workspace) as session:
        park_query = select(Park).order_by(Park.id)
        if park_ids is not None:
            park_query = park_query.where(Park.id.in_(park_ids))
        parks = list(session.scalars(park_query))
        wanted = [p.id for p in parks]
        firms = list(session.scalars(select(Firm).where(Firm.park_id.in_(wanted)).order_by(Firm.id)))
        meters = list(session.scalars(select(Meter).where(Meter.park_id.in_(wanted)).order_by(Meter.id)))
        certifications = list(session.scalars(select(Certification).order_by(Certification.id)))
        snapshots = []
        for park in parks:
            park_firms = tuple(_record(FirmRecord, f) for f in firms if f.park_id == park.id)
            holders = {("park", park.id)} | {("firm", f.id) for f in park_firms}
            snapshots.append(
                ParkSnapshot(
                    park=_record(ParkRecord, park),
                    firms=park_firms,
                    meters=tuple(_record(MeterRecord, m) for m in meters if m.park_id == park.id),
                    certifications=tuple(
                        _record(CertificationRecord, c) for c in certifications if (c.holder_kind, c.holder_id) in holders
                    ),
                )
            )
    return RegistrySnapshot(tuple(snapshots))


def load_park(workspace: Workspace, park_id: str) -> ParkSnapshot:
    """Return the snapshot of one park, or raise :class:`NotFoundError`."""
    return load_registry(workspace, [park_id]).park(park_id)


def boundary_geometry(park: ParkRecord) -> dict[str, Any] | None:
    """The park's boundary as a GeoJSON geometry mapping, if recorded."""
    return json.loads(park.boundary) if park.boundary else None
