"""Investor matches and the project pipeline: who may, and what they see (published fields only)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from ecozone.store.database import dispose_engine
from tests.api.conftest import DemoSite, auth, make_client

PROFILE = {"name": "Test assembler", "sector_vsic": "26", "land_ha": 5, "power_mw": 2, "weights": {"land_available_ha": 1}}


@pytest.fixture(scope="module")
def investor_client(demo_site: DemoSite, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The demo workspace with every field of the demo park published and the demo projects imported."""
    from ecozone.projects.pipeline import demo_projects
    from ecozone.siting.profile import FIELD_NAMES
    from ecozone.store.siting_store import import_projects, publish

    workspace = demo_site.copy_to(tmp_path_factory.mktemp("api-investors") / "ws")
    publish(workspace, "demo", FIELD_NAMES)
    import_projects(workspace, demo_projects(), "demo_projects.yaml")
    with make_client(workspace) as test_client:
        yield test_client
    dispose_engine(workspace.database_url)


@pytest.mark.parametrize(
    ("role", "expected"),
    [("admin", 200), ("investor", 200), ("manager", 403), ("tenant", 403), ("public", 403), (None, 401)],
)
def test_match_rights(investor_client: TestClient, demo_site: DemoSite, role: str | None, expected: int) -> None:
    response = investor_client.post("/api/v1/matches", json=PROFILE, headers=auth(demo_site, role))
    assert response.status_code == expected, response.text
    if expected >= 400:
        assert response.json()["error"]["status"] == expected


def test_investor_sees_published_parks_only(investor_client: TestClient, demo_site: DemoSite) -> None:
    investor = investor_client.post("/api/v1/matches?top=50", json=PROFILE, headers=auth(demo_site, "investor")).json()
    admin = investor_client.post("/api/v1/matches?top=50", json=PROFILE, headers=auth(demo_site, "admin")).json()
    assert investor["parks_considered"] == admin["parks_considered"] - 1  # the unpublished private park
    ranked = {row["park_id"] for row in investor["ranked"]} | {row["park_id"] for row in investor.get("excluded", [])}
    assert "private-park" not in ranked
    assert set(investor["map_points"]) == {"demo"}  # only the demo park publishes its coordinates
    assert -90 <= investor["map_points"]["demo"]["latitude"] <= 90


def test_bad_profiles_are_422(investor_client: TestClient, demo_site: DemoSite) -> None:
    headers = auth(demo_site, "investor")
    for body in ({"land_ha": "lots"}, {"unknown_field": 1}, [1, 2]):
        response = investor_client.post("/api/v1/matches", json=body, headers=headers)
        assert response.status_code == 422, response.text
        assert set(response.json()["error"]) == {"status", "code", "message", "details"}


@pytest.mark.parametrize(
    ("role", "expected"),
    [("admin", 200), ("investor", 200), ("manager", 200), ("other_manager", 200), ("tenant", 403), ("public", 403), (None, 401)],
)
def test_project_rights(investor_client: TestClient, demo_site: DemoSite, role: str | None, expected: int) -> None:
    response = investor_client.get("/api/v1/projects", headers=auth(demo_site, role))
    assert response.status_code == expected, response.text
    if role == "other_manager":
        assert response.json() == []  # their private park has no projects; demo's are not theirs


def test_projects_are_ranked_by_abatement(investor_client: TestClient, demo_site: DemoSite) -> None:
    rows = investor_client.get("/api/v1/projects", headers=auth(demo_site, "investor")).json()
    assert rows and all(row["park_id"] == "demo" for row in rows)
    key = next(k for k in rows[0] if "abatement" in k and "per" in k)
    values = [row[key] for row in rows if row[key] is not None]
    assert values == sorted(values, reverse=True)
    bad = investor_client.get("/api/v1/projects?sort_by=nonsense", headers=auth(demo_site, "investor"))
    assert bad.status_code == 422
