"""Persistence of the siting domain: published profile fields and green projects.

A park publishes profile fields by name (:func:`publish`); :func:`published_profile` builds
the park's profile and keeps only those fields, so an unpublished field never leaves the
park's account through this module. Roles (who may see even the published profile) are
enforced on top by the API.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import fields
from datetime import date
from typing import Any

from sqlalchemy import delete, select

from ecozone.errors import ImportValidationError, NotFoundError
from ecozone.projects.pipeline import GreenProject
from ecozone.registry.validation import Problem
from ecozone.siting.profile import ParkProfile, build_park_profile, check_field_names
from ecozone.store import models_siting
from ecozone.store.database import session_scope
from ecozone.store.models import Firm, Park
from ecozone.store.models_siting import GreenProject as GreenProjectRow
from ecozone.store.models_siting import PublishedField
from ecozone.store.registry_store import load_registry
from ecozone.store.snapshot import ParkSnapshot
from ecozone.store.workspace import Workspace

__all__ = [
    "import_projects",
    "load_project",
    "load_projects",
    "models_siting",
    "park_profiles",
    "publish",
    "published_fields",
    "published_profile",
    "unpublish",
]

EngineResults = Mapping[str, Mapping[str, Any]]


def _check_park(session: Any, park_id: str) -> None:
    if session.get(Park, park_id) is None:
        raise NotFoundError("registry.park_not_found", park_id=park_id)


def publish(workspace: Workspace, park_id: str, field_names: Iterable[str]) -> tuple[str, ...]:
    """Publish profile fields of a park (idempotent).

    Returns
    -------
    tuple of str
        Every field the park now publishes, in profile order.

    Raises
    ------
    NotFoundError
        If the park or a field name is unknown (nothing is written then).
    """
    names = check_field_names(field_names)
    with session_scope(workspace) as session:
        _check_park(session, park_id)
        held = set(session.scalars(select(PublishedField.field_name).where(PublishedField.park_id == park_id)))
        session.add_all(PublishedField(park_id=park_id, field_name=name) for name in names if name not in held)
    return published_fields(workspace, park_id)


def unpublish(workspace: Workspace, park_id: str, field_names: Iterable[str]) -> tuple[str, ...]:
    """Withdraw profile fields of a park; returns the fields still published."""
    names = check_field_names(field_names)
    with session_scope(workspace) as session:
        _check_park(session, park_id)
        session.execute(delete(PublishedField).where(PublishedField.park_id == park_id, PublishedField.field_name.in_(names)))
    return published_fields(workspace, park_id)


def published_fields(workspace: Workspace, park_id: str) -> tuple[str, ...]:
    """Return the fields a park publishes, in profile order (unknown stored names are ignored)."""
    with session_scope(workspace) as session:
        stored = set(session.scalars(select(PublishedField.field_name).where(PublishedField.park_id == park_id)))
    from ecozone.siting.profile import FIELD_NAMES

    return tuple(name for name in FIELD_NAMES if name in stored)


def _updated_days(workspace: Workspace, park_ids: Sequence[str]) -> dict[str, date]:
    with session_scope(workspace) as session:
        rows = session.execute(select(Park.id, Park.updated_at).where(Park.id.in_(park_ids))).all()
    return {park_id: updated.date() for park_id, updated in rows if updated is not None}


def _profile(snapshot: ParkSnapshot, as_of: date, updated: dict[str, date], engine_results: EngineResults | None) -> ParkProfile:
    results = (engine_results or {}).get(snapshot.park.id)
    return build_park_profile(snapshot, as_of=as_of, registry_updated=updated.get(snapshot.park.id), engine_results=results)


def park_profiles(
    workspace: Workspace,
    park_ids: Sequence[str] | None = None,
    *,
    as_of: date | None = None,
    engine_results: EngineResults | None = None,
    published_only: bool = True,
) -> list[ParkProfile]:
    """Return the profiles of many parks (all by default), published fields only unless told.

    Parameters
    ----------
    park_ids : sequence of str, optional
        Parks to profile; every park in the registry when None.
    as_of : date, optional
        Day certificates must be valid on (default today).
    engine_results : mapping, optional
        Per park id, results of other engines by field name (see
        :func:`ecozone.siting.profile.build_park_profile`).
    published_only : bool
        Keep only the fields each park publishes (the investor's view). False gives the
        park operator's own full view.
    """
    snapshot = load_registry(workspace, park_ids)
    ids = [item.park.id for item in snapshot.parks]
    updated = _updated_days(workspace, ids)
    day = as_of or date.today()
    profiles = [_profile(item, day, updated, engine_results) for item in snapshot.parks]
    if not published_only:
        return profiles
    return [profile.only(published_fields(workspace, profile.park_id)) for profile in profiles]


def published_profile(
    workspace: Workspace, park_id: str, *, as_of: date | None = None, engine_results: Mapping[str, Any] | None = None
) -> ParkProfile:
    """Return a park's profile restricted to the fields it publishes.

    Raises
    ------
    NotFoundError
        If the park does not exist.
    """
    results = None if engine_results is None else {park_id: engine_results}
    profiles = park_profiles(workspace, [park_id], as_of=as_of, engine_results=results)
    if not profiles:
        raise NotFoundError("registry.park_not_found", park_id=park_id)
    return profiles[0]


_PROJECT_FIELDS = tuple(item.name for item in fields(GreenProject))


def _reference_problems(session: Any, projects: Sequence[GreenProject], file_name: str) -> list[Problem]:
    parks = set(session.scalars(select(Park.id)))
    firm_parks: dict[str, str] = dict(session.execute(select(Firm.id, Firm.park_id)).all())
    problems = []
    for number, project in enumerate(projects, start=2):
        if project.park_id not in parks:
            problems.append(Problem(file_name, number, "park_id", project.park_id, "projects.problem.unknown_park", {}))
        elif project.firm_id is not None and firm_parks.get(project.firm_id) != project.park_id:
            problems.append(
                Problem(
                    file_name, number, "firm_id", project.firm_id, "projects.problem.unknown_firm", {"park_id": project.park_id}
                )
            )
    return problems


def import_projects(workspace: Workspace, projects: Sequence[GreenProject], file_name: str = "api") -> tuple[int, int, int]:
    """Insert or update projects by id, all or nothing.

    Returns
    -------
    tuple of int
        Counts of inserted, updated and unchanged projects.

    Raises
    ------
    ImportValidationError
        If a project names an unknown park, or a firm that is not in its park.
    """
    inserted = updated = unchanged = 0
    with session_scope(workspace) as session:
        problems = _reference_problems(session, projects, file_name)
        if problems:
            raise ImportValidationError(problems, file=file_name)
        for project in projects:
            values = {name: getattr(project, name) for name in _PROJECT_FIELDS}
            row = session.get(GreenProjectRow, project.id)
            if row is None:
                session.add(GreenProjectRow(**values))
                inserted += 1
                continue
            changes = {name: value for name, value in values.items() if getattr(row, name) != value}
            for name, value in changes.items():
                setattr(row, name, value)
            updated, unchanged = (updated + 1, unchanged) if changes else (updated, unchanged + 1)
    return inserted, updated, unchanged


def _record(row: GreenProjectRow) -> GreenProject:
    return GreenProject(**{name: getattr(row, name) for name in _PROJECT_FIELDS})


def load_projects(workspace: Workspace, park_id: str | None = None) -> list[GreenProject]:
    """Return the stored projects (of one park when ``park_id`` is given), by id."""
    statement = select(GreenProjectRow).order_by(GreenProjectRow.id)
    if park_id is not None:
        statement = statement.where(GreenProjectRow.park_id == park_id)
    with session_scope(workspace) as session:
        return [_record(row) for row in session.scalars(statement)]


def load_project(workspace: Workspace, project_id: str) -> GreenProject:
    """Return one stored project.

    Raises
    ------
    NotFoundError
        If there is no such project.
    """
    with session_scope(workspace) as session:
        row = session.get(GreenProjectRow, project_id)
        if row is None:
            raise NotFoundError("projects.not_found", project_id=project_id)
        return _record(row)
