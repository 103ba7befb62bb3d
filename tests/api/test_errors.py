"""Every 4xx of the API has one JSON shape, pinned here; bad input never gives a 5xx."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from ecozone.api.context import ApiSettings
from ecozone.store.workspace import Workspace
from tests.api.conftest import PASSWORD, DemoSite, auth, make_client

ERROR_KEYS = {"status", "code", "message", "details"}


def assert_error_shape(response: Any, status: int, code: str | None = None) -> dict[str, Any]:
    """The response is the pinned error shape with ``status`` (and ``code``)."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    error = body["error"]
    assert set(error) == ERROR_KEYS
    assert error["status"] == status
    assert isinstance(error["code"], str) and error["code"]
    assert isinstance(error["message"], str) and error["message"]
    assert isinstance(error["details"], list)
    assert all(isinstance(detail, dict) for detail in error["details"])
    if code is not None:
        assert error["code"] == code
    return dict(error)


def test_pinned_not_found_body(shared_client: TestClient) -> None:
    response = shared_client.get("/api/v1/parks/no-such-park")
    assert response.status_code == 404
    assert response.json() == {
        "error": {"status": 404, "code": "registry.park_not_found", "message": "No park 'no-such-park'", "details": []}
    }


def test_messages_follow_accept_language(shared_client: TestClient) -> None:
    response = shared_client.get("/api/v1/parks/no-such-park", headers={"Accept-Language": "vi-VN,vi;q=0.9,en;q=0.5"})
    assert response.json()["error"]["message"] == "Không có khu công nghiệp 'no-such-park'"


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "user", "status", "code"),
    [
        ("GET", "/api/v1/no/such/route", {}, None, 404, "api.http.404"),
        ("DELETE", "/api/v1/parks", {}, None, 405, "api.http.405"),
        ("PATCH", "/api/v1/parks/demo", {"json": {"status": "operating"}}, None, 401, "api.auth.required"),
        ("PATCH", "/api/v1/parks/demo", {"json": {"status": "operating"}}, "tenant", 403, "api.denied.park"),
        ("GET", "/api/v1/firms/demo-f02", {}, "tenant", 404, "api.firm_not_found"),
        ("POST", "/api/v1/parks", {"content": b"{not json", "headers": {"Content-Type": "application/json"}}, "admin", 422, None),
        ("POST", "/api/v1/parks", {"json": {"id": "x"}}, "admin", 422, "api.invalid_request"),
        ("POST", "/api/v1/parks", {"json": ["a list"]}, "admin", 422, "api.invalid_request"),
        ("PATCH", "/api/v1/parks/demo", {"json": {"unknown_field": 1}}, "admin", 422, "api.invalid_request"),
        ("PATCH", "/api/v1/parks/demo", {"json": {"leased_land_ha": 10_000_000}}, "admin", 422, "import.failed"),
        ("PATCH", "/api/v1/parks/demo", {"json": {"province": "Atlantis"}}, "admin", 422, "import.failed"),
        ("GET", "/api/v1/national/registry", {"params": {"layout": "1999"}}, None, 422, "api.invalid_request"),
        ("GET", "/api/v1/jobs/0123", {}, "admin", 404, "api.job.not_found"),
        (
            "POST",
            "/api/v1/registry/firms/upload",
            {"files": {"file": ("firms.txt", b"id\nx\n", "text/plain")}},
            "admin",
            400,
            "file.unknown_format",
        ),
        (
            "POST",
            "/api/v1/registry/firms/upload",
            {"files": {"file": ("firms.xlsx", b"not a zip file", "application/octet-stream")}},
            "admin",
            400,
            "api.upload.unreadable",
        ),
        ("POST", "/api/v1/parks", {"json": {"id": "demo"} | {}}, None, 401, "api.auth.required"),
    ],
)
def test_every_error_has_the_shape(
    shared_client: TestClient,
    demo_site: DemoSite,
    method: str,
    path: str,
    kwargs: dict[str, Any],
    user: str | None,
    status: int,
    code: str | None,
) -> None:
    headers = {**auth(demo_site, user), **kwargs.pop("headers", {})}
    response = shared_client.request(method, path, headers=headers, **kwargs)
    assert_error_shape(response, status, code)


def test_validation_details_name_the_field(shared_client: TestClient, demo_site: DemoSite) -> None:
    response = shared_client.post("/api/v1/parks", json={"id": "x"}, headers=auth(demo_site, "admin"))
    error = assert_error_shape(response, 422)
    missing = {tuple(detail["location"]) for detail in error["details"]}
    assert ("body", "name_vi") in missing
    assert ("body", "province") in missing


def test_import_problems_are_details_row_by_row(shared_client: TestClient, demo_site: DemoSite) -> None:
    response = shared_client.patch("/api/v1/parks/demo", json={"leased_land_ha": 10_000_000}, headers=auth(demo_site, "admin"))
    error = assert_error_shape(response, 422, "import.failed")
    assert error["details"] == [
        {
            "file": "request",
            "row": 1,
            "column": "leased_land_ha",
            "value": "10000000.0",
            "code": "problem.not_greater",
            "reason": error["details"][0]["reason"],
        }
    ]
    assert "leased_land_ha" in error["details"][0]["reason"]


def test_conflict_409(shared_client: TestClient, demo_site: DemoSite) -> None:
    body = {"id": "demo", "name_vi": "x", "province": "79", "park_type": "general", "status": "operating"}
    assert_error_shape(shared_client.post("/api/v1/parks", json=body, headers=auth(demo_site, "admin")), 409, "api.conflict.park")


def test_bad_tokens_401(shared_client: TestClient) -> None:
    for header in ("Bearer ecz_not-a-token", "Basic abc", "Bearer "):
        response = shared_client.get("/api/v1/parks", headers={"Authorization": header})
        error = assert_error_shape(response, 401)
        assert error["code"] in ("api.auth.bad_token", "api.auth.bad_header")
        assert response.headers["WWW-Authenticate"] == "Bearer"


def test_upload_too_large_413(demo_workspace: Workspace, demo_site: DemoSite) -> None:
    with make_client(demo_workspace, ApiSettings(max_upload_bytes=100)) as client:
        response = client.post(
            "/api/v1/registry/firms/upload",
            files={"file": ("firms.csv", b"id,park_id\n" + b"x" * 200, "text/csv")},
            headers=auth(demo_site, "admin"),
        )
    assert_error_shape(response, 413, "api.upload.too_large")


def test_throttled_429(demo_workspace: Workspace) -> None:
    settings = ApiSettings(max_failures_per_user=2)
    with make_client(demo_workspace, settings) as client:
        for _ in range(2):
            response = client.post("/api/v1/auth/token", json={"username": "manager", "password": "wrong password"})
            assert_error_shape(response, 401, "api.auth.bad_credentials")
        response = client.post("/api/v1/auth/token", json={"username": "manager", "password": PASSWORD})
    error = assert_error_shape(response, 429, "api.auth.throttled")
    assert 1 <= int(response.headers["Retry-After"]) <= 15 * 60
    assert response.headers["Retry-After"] in error["message"]


def test_openapi_documents_every_operation(shared_client: TestClient) -> None:
    """English summaries, the error shape on error responses, and an example for every JSON body."""
    document = shared_client.get("/api/v1/openapi.json").json()
    assert document["info"]["title"] == "ecozone API"
    operations = [(path, method, spec) for path, item in document["paths"].items() for method, spec in item.items()]
    assert len(operations) >= 25
    for path, method, spec in operations:
        assert spec.get("summary"), (method, path)
        assert spec.get("tags"), (method, path)
        assert "HTTPValidationError" not in str(spec)
        for status, response in spec["responses"].items():
            if status.startswith("4"):
                schema = response["content"]["application/json"]["schema"]
                assert schema == {"$ref": "#/components/schemas/ErrorResponse"}, (method, path, status)
        body = spec.get("requestBody", {}).get("content", {}).get("application/json")
        if body is not None:
            reference = body["schema"].get("$ref") or body["schema"]["anyOf"][0]["$ref"]
            component = document["components"]["schemas"][reference.rsplit("/", 1)[1]]
            assert component.get("examples"), (method, path)
        for parameter in spec.get("parameters", []):
            if parameter["in"] == "path" and parameter["schema"].get("type") == "string" and "enum" not in parameter["schema"]:
                assert parameter.get("examples") or parameter["schema"].get("examples"), (method, path, parameter["name"])
