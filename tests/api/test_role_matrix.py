"""Role × resource × action: grants and denials (403 where the object may be known, 404 where it must not)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import DemoSite, auth

ROLES = ("admin", "manager", "other_manager", "tenant", "other_tenant", "investor", "public", None)

# Each case: method, path, JSON body (or None), expected status per role (None = anonymous).
# "private-park" is unpublished, managed by other_manager; "demo" is published, managed by manager;
# tenant works for demo-f01 and other_tenant for demo-f02 (both in demo).
MATRIX: list[tuple[str, str, dict[str, Any] | None, dict[str | None, int]]] = [
    (
        "GET",
        "/api/v1/parks/demo",
        None,
        dict.fromkeys(ROLES, 200),
    ),
    (
        "GET",
        "/api/v1/parks/private-park",
        None,
        {"admin": 200, "other_manager": 200, "manager": 404, "tenant": 404, "other_tenant": 404, "investor": 404}
        | {"public": 404, None: 404},
    ),
    (
        "GET",
        "/api/v1/parks/demo/overview",
        None,
        dict.fromkeys(ROLES, 200),
    ),
    (
        "PATCH",
        "/api/v1/parks/demo",
        {"status": "operating"},
        {"admin": 200, "manager": 200, "other_manager": 403, "tenant": 403, "other_tenant": 403, "investor": 403}
        | {"public": 403, None: 401},
    ),
    (
        "PATCH",
        "/api/v1/parks/private-park",
        {"status": "planned"},
        {"admin": 200, "other_manager": 200, "manager": 404, "tenant": 404, "other_tenant": 404, "investor": 404}
        | {"public": 404, None: 401},
    ),
    (
        "PUT",
        "/api/v1/parks/demo/publication",
        None,
        {"admin": 204, "manager": 204, "other_manager": 403, "tenant": 403, "other_tenant": 403, "investor": 403}
        | {"public": 403, None: 401},
    ),
    (
        "GET",
        "/api/v1/parks/demo/firms",
        None,
        {"admin": 200, "manager": 200, "other_manager": 403, "tenant": 403, "other_tenant": 403, "investor": 403}
        | {"public": 403, None: 401},
    ),
    (
        "GET",
        "/api/v1/parks/private-park/firms",
        None,
        {"admin": 200, "other_manager": 200, "manager": 404, "tenant": 404, "other_tenant": 404, "investor": 404}
        | {"public": 404, None: 404},
    ),
    (
        "GET",
        "/api/v1/parks/demo/meters",
        None,
        {"admin": 200, "manager": 200, "other_manager": 403, "tenant": 403, "other_tenant": 403, "investor": 403}
        | {"public": 403, None: 401},
    ),
    (
        "GET",
        "/api/v1/firms/demo-f01",
        None,
        {"admin": 200, "manager": 200, "tenant": 200, "other_manager": 404, "other_tenant": 404, "investor": 404}
        | {"public": 404, None: 404},
    ),
    (
        "GET",
        "/api/v1/firms/private-f1",
        None,
        {"admin": 200, "other_manager": 200, "manager": 404, "tenant": 404, "other_tenant": 404, "investor": 404}
        | {"public": 404, None: 404},
    ),
    (
        "GET",
        "/api/v1/firms/demo-f01/meters",
        None,
        {"admin": 200, "manager": 200, "tenant": 200, "other_manager": 404, "other_tenant": 404, "investor": 404}
        | {"public": 404, None: 404},
    ),
    (
        "GET",
        "/api/v1/firms/demo-f01/certifications",
        None,
        {"admin": 200, "manager": 200, "tenant": 200, "other_manager": 404, "other_tenant": 404, "investor": 404}
        | {"public": 404, None: 404},
    ),
    (
        "PATCH",
        "/api/v1/firms/demo-f01",
        {"employees": 98},
        {"admin": 200, "manager": 200, "tenant": 200, "other_manager": 404, "other_tenant": 404, "investor": 404}
        | {"public": 404, None: 401},
    ),
    (
        "PATCH",
        "/api/v1/firms/demo-f01",
        {"park_id": "private-park"},
        {"manager": 403, "tenant": 403, "other_manager": 404, "other_tenant": 404, "investor": 404, "public": 404, None: 401},
    ),
    (
        "GET",
        "/api/v1/meters/demo-f01-electricity",
        None,
        {"admin": 200, "manager": 200, "tenant": 200, "other_manager": 404, "other_tenant": 404, "investor": 404}
        | {"public": 404, None: 404},
    ),
    (
        "GET",
        "/api/v1/meters/demo-park-street-lighting",
        None,
        {"admin": 200, "manager": 200, "tenant": 404, "other_manager": 404, "other_tenant": 404, "investor": 404}
        | {"public": 404, None: 404},
    ),
    (
        "PATCH",
        "/api/v1/meters/demo-f01-electricity",
        {"interval_minutes": 15},
        {"admin": 200, "manager": 200, "tenant": 200, "other_manager": 404, "other_tenant": 404, "investor": 404}
        | {"public": 404, None: 401},
    ),
    (
        "GET",
        "/api/v1/parks/demo/certifications",
        None,
        dict.fromkeys(ROLES, 200),
    ),
    (
        "GET",
        "/api/v1/national/statistics",
        None,
        dict.fromkeys(ROLES, 200),
    ),
    (
        "GET",
        "/api/v1/national/registry",
        None,
        dict.fromkeys(ROLES, 200),
    ),
    (
        "POST",
        "/api/v1/parks",
        {"id": "matrix-park-{role}", "name_vi": "KCN Ma Trận", "province": "01", "park_type": "general", "status": "planned"},
        {"admin": 201, "manager": 403, "other_manager": 403, "tenant": 403, "other_tenant": 403, "investor": 403}
        | {"public": 403, None: 401},
    ),
    (
        "POST",
        "/api/v1/firms",
        {"id": "matrix-firm-{role}", "park_id": "demo", "name": "Công ty Ma Trận", "vsic_code": "25"},
        {"admin": 201, "manager": 201, "other_manager": 403, "tenant": 403, "other_tenant": 403, "investor": 403}
        | {"public": 403, None: 401},
    ),
    (
        "POST",
        "/api/v1/meters",
        {
            "id": "matrix-meter-{role}",
            "park_id": "demo",
            "owner_kind": "firm",
            "firm_id": "demo-f01",
            "carrier": "water",
            "unit": "m3",
            "reading_kind": "interval",
        },
        {"admin": 201, "manager": 201, "tenant": 201, "other_manager": 403, "other_tenant": 403, "investor": 403}
        | {"public": 403, None: 401},
    ),
    (
        "PUT",
        "/api/v1/certifications",
        {"holder_kind": "firm", "holder_id": "demo-f01", "scheme": "iso_50001", "valid_from": "2025-01-15"},
        {"admin": 200, "manager": 200, "tenant": 200, "other_manager": 403, "other_tenant": 403, "investor": 403}
        | {"public": 403, None: 401},
    ),
    (
        "PUT",
        "/api/v1/certifications",
        {"holder_kind": "park", "holder_id": "demo", "scheme": "iso_50001", "valid_from": "2025-02-01"},
        {"admin": 200, "manager": 200, "tenant": 403, "other_manager": 403, "other_tenant": 403, "investor": 403}
        | {"public": 403, None: 401},
    ),
    (
        "POST",
        "/api/v1/jobs/national-rollup",
        None,
        {"admin": 202, "manager": 403, "other_manager": 403, "tenant": 403, "other_tenant": 403, "investor": 403}
        | {"public": 403, None: 401},
    ),
]

CASES = [
    pytest.param(method, path, body, role, statuses[role], id=f"{method} {path} as {role or 'anonymous'}")
    for method, path, body, statuses in MATRIX
    for role in ROLES
    if role in statuses
]


def _body(body: dict[str, Any] | None, role: str | None) -> dict[str, Any] | None:
    if body is None:
        return None
    return {key: value.replace("{role}", role or "anonymous") if isinstance(value, str) else value for key, value in body.items()}


@pytest.mark.parametrize(("method", "path", "body", "role", "expected"), CASES)
def test_role_matrix(
    shared_client: TestClient,
    demo_site: DemoSite,
    method: str,
    path: str,
    body: dict[str, Any] | None,
    role: str | None,
    expected: int,
) -> None:
    response = shared_client.request(method, path, json=_body(body, role), headers=auth(demo_site, role))
    accepted = {200, 201} if (method, expected) == ("PUT", 200) else {expected}  # a certificate: inserted once, then updated
    assert response.status_code in accepted, response.text
    if expected >= 400:
        error = response.json()["error"]
        assert error["status"] == expected
        if expected == 404:
            assert "private" not in error["message"] or "private" in path


@pytest.mark.parametrize("role", ["manager", "tenant", "investor", "public", None])
def test_hidden_and_missing_objects_answer_alike(shared_client: TestClient, demo_site: DemoSite, role: str | None) -> None:
    """A hidden object's 404 is the missing object's 404 (only the id differs): existence does not leak."""
    headers = auth(demo_site, role)
    for kind, hidden, missing in (
        ("parks", "private-park", "no-such-park"),
        ("firms", "private-f1", "no-such-firm"),
        ("meters", "private-f1-electricity", "no-such-meter"),
    ):
        hidden_error = shared_client.get(f"/api/v1/{kind}/{hidden}", headers=headers).json()["error"]
        missing_error = shared_client.get(f"/api/v1/{kind}/{missing}", headers=headers).json()["error"]
        assert hidden_error["message"].replace(hidden, "X") == missing_error["message"].replace(missing, "X")
        assert hidden_error["code"] == missing_error["code"]


@pytest.mark.parametrize(
    ("role", "visible"),
    [
        ("admin", {"private-park", "demo", "hiep-phuoc"}),
        ("other_manager", {"private-park", "demo", "hiep-phuoc"}),
        ("manager", {"demo", "hiep-phuoc"}),
        ("investor", {"demo", "hiep-phuoc"}),
        (None, {"demo", "hiep-phuoc"}),
    ],
)
def test_park_list_shows_only_visible_parks(
    shared_client: TestClient, demo_site: DemoSite, role: str | None, visible: set[str]
) -> None:
    ids = {park["id"] for park in shared_client.get("/api/v1/parks", headers=auth(demo_site, role)).json()}
    assert visible <= ids
    assert ("private-park" in ids) == ("private-park" in visible)


@pytest.mark.parametrize(
    ("role", "expected"),
    [("tenant", {"demo-f01"}), ("other_tenant", {"demo-f02"}), ("investor", set()), (None, set())],
)
def test_firm_list_is_the_callers_firms(
    shared_client: TestClient, demo_site: DemoSite, role: str | None, expected: set[str]
) -> None:
    ids = {firm["id"] for firm in shared_client.get("/api/v1/firms", headers=auth(demo_site, role)).json()}
    assert ids == expected


def test_managers_list_their_parks_firms(shared_client: TestClient, demo_site: DemoSite) -> None:
    ids = {firm["id"] for firm in shared_client.get("/api/v1/firms", headers=auth(demo_site, "manager")).json()}
    assert "demo-f01" in ids
    assert "private-f1" not in ids
    assert all(firm_id.startswith(("demo-", "matrix-firm-")) for firm_id in ids)


def test_overview_lists_firms_only_for_managers(shared_client: TestClient, demo_site: DemoSite) -> None:
    managed = shared_client.get("/api/v1/parks/demo/overview", headers=auth(demo_site, "manager")).json()
    public = shared_client.get("/api/v1/parks/demo/overview").json()
    assert managed["may_edit"] is True
    assert {firm["id"] for firm in managed["firm_list"]} >= {"demo-f01", "demo-f60"}
    assert public["firm_list"] is None
    assert public["may_edit"] is False
    assert public["firms"] == managed["firms"] == len(managed["firm_list"])
