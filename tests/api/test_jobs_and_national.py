"""Background jobs (the national roll-up) and the national statistics endpoints."""

from __future__ import annotations

from collections import Counter

import pytest
from fastapi.testclient import TestClient

from ecozone.api.jobs import JOB_KINDS, JobContext
from ecozone.api.rollup import national_rollup, registry_summary
from ecozone.errors import NotFoundError
from ecozone.provinces import provinces
from ecozone.store import accounts_store
from ecozone.store.registry_store import load_registry
from ecozone.store.workspace import Workspace
from tests.api.conftest import DemoSite, auth


def _run(client: TestClient, headers: dict[str, str], path: str = "/api/v1/jobs/national-rollup", **kwargs: object) -> dict:
    response = client.post(path, headers=headers, **kwargs)  # type: ignore[arg-type]
    assert response.status_code == 202, response.text
    job = response.json()
    assert response.headers["Location"] == job["url"] == f"/api/v1/jobs/{job['id']}"
    assert job["status"] == "queued" and job["progress"] == 0.0
    client.app.state.context.jobs.wait(job["id"], timeout=60)  # type: ignore[attr-defined]
    polled = client.get(job["url"], headers=headers)
    assert polled.status_code == 200
    return dict(polled.json())


def test_national_rollup_job(client: TestClient, demo_site: DemoSite, demo_workspace: Workspace) -> None:
    admin = auth(demo_site, "admin")
    job = _run(client, admin, json={"layout": "2008"})
    assert job["status"] == "succeeded"
    assert job["progress"] == 1.0
    assert job["parameters"] == {"layout": "2008"}
    result = job["result"]
    snapshot = load_registry(demo_workspace)
    assert result["totals"]["parks"] == len(snapshot.parks) == 15
    assert result["totals"]["firms"] == sum(len(item.firms) for item in snapshot.parks) == 61
    assert result["totals"]["meters"] == sum(len(item.meters) for item in snapshot.parks)
    demo = next(row for row in result["parks"] if row["park_id"] == "demo")
    assert demo["meters_by_carrier"] == dict(Counter(m.carrier for m in snapshot.park("demo").meters))
    assert result["registry"]["layout"] == "2008"
    assert sum(row["parks"] for row in result["registry"]["by_province"]) == 15
    # the job is its owner's (and admins'): others get the 404 of a missing job
    assert client.get(job["url"], headers=auth(demo_site, "manager")).status_code == 404
    assert client.get(job["url"]).status_code == 401
    assert [j["id"] for j in client.get("/api/v1/jobs", headers=admin).json()] == [job["id"]]
    assert client.get("/api/v1/jobs", headers=auth(demo_site, "manager")).json() == []


def test_failed_job_reports_its_error(client: TestClient, demo_site: DemoSite) -> None:
    def failing(context: JobContext) -> None:
        context.progress(0.5, "half way")
        raise NotFoundError("registry.park_not_found", park_id="gone")

    JOB_KINDS["test_failing"] = failing
    try:
        job = client.app.state.context.jobs.submit("test_failing", None, {})  # type: ignore[attr-defined]
        client.app.state.context.jobs.wait(job.id, timeout=30)  # type: ignore[attr-defined]
    finally:
        del JOB_KINDS["test_failing"]
    polled = client.get(f"/api/v1/jobs/{job.id}", headers={**auth(demo_site, "admin"), "Accept-Language": "vi"}).json()
    assert polled["status"] == "failed"
    assert polled["progress"] == 0.5 and polled["message"] == "half way"
    assert polled["error"] == {"code": "registry.park_not_found", "message": "Không có khu công nghiệp 'gone'"}


def test_interrupted_jobs_are_marked_failed(demo_workspace: Workspace) -> None:
    job = accounts_store.create_job(demo_workspace, "national_rollup", None, {})
    assert accounts_store.fail_interrupted_jobs(demo_workspace) == 1
    stored = accounts_store.get_job(demo_workspace, job.id)
    assert stored is not None and stored.status == "failed"
    assert stored.error == {"key": "api.job.interrupted", "params": {}}


def test_rollup_progress_reaches_one(demo_workspace: Workspace) -> None:
    seen: list[float] = []
    snapshot = load_registry(demo_workspace)
    national_rollup(snapshot, lambda share, _message: seen.append(share))
    assert seen == sorted(seen) and seen[-1] == 1.0 and len(seen) == len(snapshot.parks)


def test_registry_summary_counts_valid_certificates(demo_workspace: Workspace) -> None:
    from datetime import date

    item = load_registry(demo_workspace).park("demo")
    day = date(2024, 6, 30)
    summary = registry_summary(item, day)
    expected = Counter(c.scheme for c in item.certifications if c.valid_from <= day and (c.valid_to is None or day <= c.valid_to))
    assert summary["valid_certifications_by_scheme"] == dict(expected)
    assert summary["employees"] == sum(f.employees or 0 for f in item.firms)


def test_national_statistics_match_the_shipped_series(shared_client: TestClient) -> None:
    from ecozone.stats.document import stats_document

    document = shared_client.get("/api/v1/national/statistics").json()
    expected = stats_document(None)
    assert document["national"] == expected["national"]
    assert document["latest"]["year"] == expected["latest"]["year"]


@pytest.mark.parametrize(("role", "parks"), [(None, 14), ("investor", 14), ("other_manager", 15), ("admin", 15)])
def test_province_values_count_visible_parks(
    shared_client: TestClient, demo_site: DemoSite, role: str | None, parks: int
) -> None:
    values = shared_client.get("/api/v1/national/provinces", headers=auth(demo_site, role)).json()
    assert sum(values["values"].values()) == parks
    assert set(values["names"]) == set(provinces("2025"))
    registry = shared_client.get("/api/v1/national/registry", headers=auth(demo_site, role)).json()
    assert registry["totals"]["parks"] == parks


def test_boundaries_geojson(shared_client: TestClient) -> None:
    response = shared_client.get("/api/v1/national/boundaries/2025")
    assert response.headers["content-type"].startswith("application/geo+json")
    assert response.headers["cache-control"] == "public, max-age=86400"
    features = response.json()["features"]
    assert {f["properties"]["code"] for f in features} == set(provinces("2025"))
    assert shared_client.get("/api/v1/national/boundaries/1999").status_code == 422


def test_health(shared_client: TestClient) -> None:
    assert shared_client.get("/api/v1/health").json() == {"status": "ok"}
