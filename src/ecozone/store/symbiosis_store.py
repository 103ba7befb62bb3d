"""Persistence of the symbiosis stream catalogue: all-or-nothing, idempotent imports and snapshots.

An import validates the whole file against the registry (parks and firms must exist), then
upserts every stream by its natural key (park, owner, direction, name) in one transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ecozone.errors import ImportValidationError
from ecozone.registry.files import RawTable
from ecozone.store.database import session_scope
from ecozone.store.models import ImportRecord
from ecozone.store.models_symbiosis import SymbiosisStream
from ecozone.store.registry_store import ImportSummary, registry_index
from ecozone.store.workspace import Workspace
from ecozone.symbiosis.catalogue import StreamRecord, stream_record, stream_schema
from ecozone.symbiosis.validation import validate_streams

ENTITY = "stream"
STORED = tuple(a.name for a in stream_schema().attributes)


def _find(session: Session, record: dict[str, Any]) -> SymbiosisStream | None:
    key = {k: record[k] for k in stream_schema().key}
    return session.scalars(select(SymbiosisStream).filter_by(**key)).one_or_none()


def upsert_streams(session: Session, records: Iterable[dict[str, Any]]) -> tuple[int, int, int]:
    """Insert or update validated stream records by natural key.

    Returns
    -------
    tuple of int
        Counts of inserted, updated and unchanged streams.
    """
    inserted = updated = unchanged = 0
    for record in records:
        existing = _find(session, record)
        if existing is None:
            session.add(SymbiosisStream(**{n: record.get(n) for n in STORED}))
            session.flush()
            inserted += 1
            continue
        changes = {n: record.get(n) for n in STORED if getattr(existing, n) != record.get(n)}
        for name, value in changes.items():
            setattr(existing, name, value)
        updated += bool(changes)
        unchanged += not changes
    session.flush()
    return inserted, updated, unchanged


def import_streams(workspace: Workspace, table: RawTable, *, dry_run: bool = False, decimal_comma: bool = False) -> ImportSummary:
    """Validate and store a stream table, all or nothing.

    Raises
    ------
    ImportValidationError
        With every problem found; the store is left unchanged.
    """
    with session_scope(workspace) as session:
        result = validate_streams(table, registry_index(session), decimal_comma)
        if result.problems:
            raise ImportValidationError(list(result.problems), file=table.file_name)
        inserted, updated, unchanged = upsert_streams(session, result.records)
        summary = ImportSummary(ENTITY, table.file_name, len(result.records), inserted, updated, unchanged, dry_run)
        if dry_run:
            session.rollback()
            return summary
        if inserted or updated:
            session.add(
                ImportRecord(
                    entity=ENTITY,
                    file_name=table.file_name,
                    sha256=table.sha256,
                    rows=len(result.records),
                    inserted=inserted,
                    updated=updated,
                )
            )
    return summary


def _record(item: SymbiosisStream) -> StreamRecord:
    return stream_record({name: getattr(item, name) for name in STORED})


def load_streams(workspace: Workspace, park_id: str) -> tuple[StreamRecord, ...]:
    """Return the stream catalogue of ``park_id`` (empty when it has none)."""
    with session_scope(workspace) as session:
        statement = (
            select(SymbiosisStream)
            .where(SymbiosisStream.park_id == park_id)
            .order_by(SymbiosisStream.owner_id, SymbiosisStream.direction, SymbiosisStream.name)
        )
        return tuple(_record(item) for item in session.scalars(statement))


def export_stream_rows(workspace: Workspace, park_id: str | None = None) -> tuple[list[str], list[dict[str, Any]]]:
    """Return the attribute names and one row per stored stream (quantities in canonical units)."""
    with session_scope(workspace) as session:
        statement = select(SymbiosisStream).order_by(SymbiosisStream.park_id, SymbiosisStream.owner_id, SymbiosisStream.id)
        if park_id is not None:
            statement = statement.where(SymbiosisStream.park_id == park_id)
        rows = [{n: getattr(item, n) for n in STORED} for item in session.scalars(statement)]
    return list(STORED), rows
