"""Property-based tests from the OpenAPI schema (schemathesis): no input ever yields a 5xx.

Every operation gets a bounded number of generated requests, sent as an administrator (who
reaches the deepest code paths, including writes) to a throwaway copy of the demo workspace;
any response must be below 500 and, for errors, have the pinned error shape.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from ecozone.api import create_app
from ecozone.store.database import dispose_engine
from tests.api.conftest import DemoSite

MAX_EXAMPLES = 12
"""Generated requests per operation (bounded: the whole run takes well under a minute)."""


@pytest.fixture(scope="module")
def api_schema(demo_site: DemoSite, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    workspace = demo_site.copy_to(tmp_path_factory.mktemp("schemathesis") / "ws")
    app = create_app(workspace, migrate_store=False)
    yield schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)
    app.state.context.jobs.shutdown()  # stop plan jobs the generated cases queued
    dispose_engine(workspace.database_url)


def _check(case: Any, headers: dict[str, str]) -> int:
    response = case.call(headers=headers)
    assert response.status_code < 500, (case.method, case.path, response.text[:500])
    if response.status_code >= 400:
        body = response.json()
        assert set(body) == {"error"}
        assert set(body["error"]) == {"status", "code", "message", "details"}
        assert body["error"]["status"] == response.status_code
    return int(response.status_code)


def _runner(operation: Any, headers: dict[str, str], statuses: list[int]) -> Any:
    @given(case=operation.as_strategy())
    @settings(max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
    def run(case: Any) -> None:
        statuses.append(_check(case, headers))

    return run


@pytest.mark.slow
def test_no_server_errors(api_schema: Any, demo_site: DemoSite) -> None:
    """Every operation, as an administrator and anonymously (schemathesis' pytest plugin is driven by hand)."""
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 25
    statuses: list[int] = []
    for role in ("admin", None):
        headers = {"Authorization": f"Bearer {demo_site.tokens[role]}"} if role else {}
        for operation in operations:
            _runner(operation, headers, statuses)()
    assert len(statuses) >= 2 * len(operations)
    assert any(status < 300 for status in statuses) and any(status == 422 for status in statuses)
