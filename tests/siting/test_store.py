"""Publication of profile fields and the stored project pipeline (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from ecozone.errors import ImportValidationError, NotFoundError
from ecozone.projects.pipeline import GreenProject, read_projects, write_projects
from ecozone.siting.errors import UnknownProfileFieldError
from ecozone.siting.profile import FIELD_NAMES
from ecozone.store import models_siting
from ecozone.store.database import engine_for
from ecozone.store.models import Base
from ecozone.store.siting_store import (
    import_projects,
    load_project,
    load_projects,
    park_profiles,
    publish,
    published_fields,
    published_profile,
    unpublish,
)
from ecozone.store.workspace import Workspace
from tests.siting.registry import store_registry

SITING_TABLES = {models_siting.PublishedField.__tablename__, models_siting.GreenProject.__tablename__}


def _tables_of(difference: object) -> set[str]:
    text = repr(difference)
    return {name for name in SITING_TABLES if name in text}


def test_migration_creates_exactly_the_siting_models(workspace: Workspace) -> None:
    with engine_for(workspace.database_url).connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert [d for d in differences if _tables_of(d)] == []


def test_unpublished_fields_never_appear(workspace: Workspace) -> None:
    store_registry(workspace)
    assert published_fields(workspace, "north") == ()
    assert published_profile(workspace, "north").fields == ()
    now = publish(workspace, "north", ["land_available_ha", "distance_seaport_km"])
    assert now == ("distance_seaport_km", "land_available_ha")
    assert publish(workspace, "north", ["land_available_ha"]) == now  # idempotent
    profile = published_profile(workspace, "north")
    assert [item.name for item in profile.fields] == ["distance_seaport_km", "land_available_ha"]
    assert profile.value("land_available_ha") == 100.0
    document = json.dumps(profile.as_dict())
    for hidden in ("power_capacity_mw", "water_supply_capacity_m3_day", "sectors_present", "employees_in_park", "latitude"):
        assert hidden not in document
    assert "200.0" not in document and "20000" not in document
    full = park_profiles(workspace, ["north"], published_only=False)[0]
    assert tuple(item.name for item in full.fields) == FIELD_NAMES
    assert unpublish(workspace, "north", ["land_available_ha"]) == ("distance_seaport_km",)
    assert published_profile(workspace, "north").value("land_available_ha") is None


def test_publication_is_per_park_and_validated(workspace: Workspace) -> None:
    store_registry(workspace)
    publish(workspace, "north", FIELD_NAMES)
    assert published_profile(workspace, "south").fields == ()
    with pytest.raises(UnknownProfileFieldError):
        publish(workspace, "north", ["secret_sauce"])
    with pytest.raises(NotFoundError):
        publish(workspace, "nowhere", ["latitude"])
    with pytest.raises(NotFoundError):
        published_profile(workspace, "nowhere")


def test_engine_results_reach_the_published_profile_only_when_published(workspace: Workspace) -> None:
    store_registry(workspace)
    publish(workspace, "north", ["assessment_score"])
    profile = published_profile(workspace, "north", engine_results={"assessment_score": 80.0, "renewable_share_pct": 40.0})
    assert profile.value("assessment_score") == 80.0
    assert profile.field("renewable_share_pct") is None


PROJECTS = [
    GreenProject(
        "pv-n",
        "Rooftop PV",
        "north",
        "renewable_energy",
        "seeking_finance",
        20e9,
        annual_savings_vnd=4e9,
        abated_tco2e_per_year=900.0,
        lifetime_years=20,
    ),
    GreenProject("heat-s", "Heat recovery", "south", "energy_efficiency", "idea", 5e9, firm_id="s-1", annual_savings_vnd=1.5e9),
]


def test_projects_import_load_and_round_trip(workspace: Workspace, tmp_path: Path) -> None:
    store_registry(workspace)
    assert import_projects(workspace, PROJECTS, "p.csv") == (2, 0, 0)
    assert import_projects(workspace, PROJECTS, "p.csv") == (0, 0, 2)
    changed = [PROJECTS[0], GreenProject(**{**PROJECTS[1].__dict__, "status": "feasibility"})]
    assert import_projects(workspace, changed, "p.csv") == (0, 1, 1)
    assert load_project(workspace, "heat-s").status == "feasibility"
    assert [p.id for p in load_projects(workspace, "north")] == ["pv-n"]
    exported = write_projects(tmp_path / "out.xlsx", load_projects(workspace))
    assert read_projects(exported) == load_projects(workspace)
    with pytest.raises(NotFoundError):
        load_project(workspace, "nope")


def test_projects_must_name_known_parks_and_their_firms(workspace: Workspace) -> None:
    store_registry(workspace)
    bad = [
        GreenProject("x", "X", "atlantis", "energy_efficiency", "idea", 1e9),
        GreenProject("y", "Y", "north", "energy_efficiency", "idea", 1e9, firm_id="s-1"),
    ]
    with pytest.raises(ImportValidationError) as error:
        import_projects(workspace, bad, "bad.csv")
    assert [p.key for p in error.value.problems] == ["projects.problem.unknown_park", "projects.problem.unknown_firm"]
    assert load_projects(workspace) == []
