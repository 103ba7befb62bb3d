"""Symbiosis, plans and baselines routers: grants, denials, the error shape and jobs run to completion."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from ecozone.demo.registry import demo_registry
from ecozone.demo.streams import demo_streams
from ecozone.registry.files import RawTable
from ecozone.store import accounts_store
from ecozone.store.accounts_store import Grant
from ecozone.store.database import dispose_engine
from ecozone.store.registry_store import import_table, load_park
from ecozone.store.symbiosis_store import import_streams
from ecozone.store.workspace import Workspace
from tests.api.conftest import PASSWORD, DemoSite, auth, make_client

TINY = "tiny"
DENIED_ON_DEMO: dict[str | None, int] = {"other_manager": 403, "tenant": 403, "investor": 403, "public": 403, None: 401}
"""Callers who may see the (published) demo park but not work on its plans: 403; anonymous: 401."""
HIDDEN_ON_PRIVATE = ("manager", "tenant", "investor")
"""Callers who must not learn that the unpublished private park exists: 404."""

METER = "demo-f01-water"
WEEKDAY_PER_DAY = 100.0
WEEKEND_PER_DAY = 40.0
SAVED_SHARE = 0.10
BASELINE = (date(2024, 1, 1), date(2024, 12, 31))
REPORTING = (date(2025, 1, 1), date(2025, 2, 28))


def _tiny_park(workspace: Workspace) -> None:
    """A synthetic two-firm park ``tiny`` (copies of demo firms 1 and 2 with their electricity meters)."""
    rows = demo_registry(20240101)
    park = next(p for p in rows["park"] if p["id"] == "demo") | {"id": TINY, "name_vi": "KCN Nhỏ (giả lập)", "name_en": None}
    firms = [
        f | {"id": str(f["id"]).replace("demo", TINY), "park_id": TINY}
        for f in rows["firm"]
        if f["id"] in ("demo-f01", "demo-f02")
    ]
    meters = [
        m | {"id": str(m["id"]).replace("demo", TINY), "park_id": TINY, "firm_id": str(m["firm_id"]).replace("demo", TINY)}
        for m in rows["meter"]
        if m.get("firm_id") in ("demo-f01", "demo-f02") and m["carrier"] == "electricity"
    ]
    for entity, records in (("park", [park]), ("firm", firms), ("meter", meters)):
        import_table(workspace, entity, RawTable.from_records(f"tiny-{entity}", records))


def baseline_readings() -> bytes:
    """Daily readings of demo-f01's water meter, 2024 and Jan–Feb 2025 (its interval is one day).

    100 m3 a weekday, 40 m3 a weekend day, 10 % less from 2025 (a baseline needs a full year).
    """
    lines = ["meter_id,timestamp,value,unit"]
    day = BASELINE[0]
    while day <= REPORTING[1]:
        level = WEEKEND_PER_DAY if day.weekday() >= 5 else WEEKDAY_PER_DAY
        if day >= REPORTING[0]:
            level *= 1 - SAVED_SHARE
        lines.append(f"{METER},{(day + timedelta(days=1)).isoformat()}T00:00:00+07:00,{level},m3")  # labelled at its end
        day += timedelta(days=1)
    return ("\n".join(lines) + "\n").encode()


@pytest.fixture(scope="module")
def site(demo_site: DemoSite, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, dict[str, str]]]:
    """A demo copy with the demo stream catalogue, the tiny park (managed by ``tiny_manager``) and demo-f01 readings."""
    workspace = demo_site.copy_to(tmp_path_factory.mktemp("api-plans") / "ws")
    _tiny_park(workspace)
    accounts_store.publish_park(workspace, TINY, "test")
    accounts_store.create_user(workspace, "tiny_manager", PASSWORD, language="en", grants=[Grant("park_manager", TINY)])
    token, _ = accounts_store.issue_token(workspace, "tiny_manager", "tests")
    import_streams(workspace, RawTable.from_records("demo-streams", demo_streams(load_park(workspace, "demo"))))
    tokens = dict(demo_site.tokens) | {"tiny_manager": token}
    with make_client(workspace) as client:
        response = client.post(
            "/api/v1/parks/demo/readings/upload",
            files={"file": ("readings.csv", baseline_readings(), "text/csv")},
            headers=auth(demo_site, "manager"),
        )
        assert response.status_code == 200, response.text
        yield client, tokens
    dispose_engine(workspace.database_url)


def _headers(tokens: dict[str, str], username: str | None) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens[username]}"} if username else {}


def _assert_error(response: Any, status: int) -> dict[str, Any]:
    """The error of ``response``, after checking its status and the one error shape."""
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"status", "code", "message", "details"}
    assert body["error"]["status"] == status
    error: dict[str, Any] = body["error"]
    return error


def _wait(client: TestClient, headers: dict[str, str], url: str) -> dict[str, object]:
    for _ in range(1200):
        job: dict[str, object] = client.get(url, headers=headers).json()
        if job["status"] in ("succeeded", "failed"):
            return job
        time.sleep(0.05)
    raise AssertionError("job did not finish")


# ---------------------------------------------------------------- symbiosis

STREAM_CSV = (
    "park_id,owner_kind,owner_id,direction,name,stream_class,quantity_per_year,unit\n"
    "demo,firm,demo-f01,output,Pallet gỗ hỏng,wood_waste,120,t\n"
)


@pytest.mark.parametrize("path", ["/symbiosis/streams", "/symbiosis/matches"])
def test_symbiosis_reads_grants_and_denials(site: tuple[TestClient, dict[str, str]], path: str) -> None:
    client, tokens = site
    for username in ("manager", "admin"):
        response = client.get(f"/api/v1/parks/demo{path}", headers=_headers(tokens, username))
        assert response.status_code == 200, response.text
    for caller, status in DENIED_ON_DEMO.items():
        _assert_error(client.get(f"/api/v1/parks/demo{path}", headers=_headers(tokens, caller)), status)
    for username in HIDDEN_ON_PRIVATE:
        _assert_error(client.get(f"/api/v1/parks/private-park{path}", headers=_headers(tokens, username)), 404)
    _assert_error(client.get(f"/api/v1/parks/no-such-park{path}", headers=_headers(tokens, "admin")), 404)


def test_streams_and_matches_content(site: tuple[TestClient, dict[str, str]]) -> None:
    client, tokens = site
    expected = demo_streams(load_park(client.app.state.context.workspace, "demo"))  # type: ignore[attr-defined]
    streams = client.get("/api/v1/parks/demo/symbiosis/streams", headers=_headers(tokens, "manager")).json()
    assert streams["park_id"] == "demo"
    assert len(streams["streams"]) == len(expected)
    assert {(s["owner_id"], s["direction"], s["name"]) for s in streams["streams"]} == {
        (s["owner_id"], s["direction"], s["name"]) for s in expected
    }
    matches = client.get("/api/v1/parks/demo/symbiosis/matches", headers=_headers(tokens, "manager")).json()
    assert matches["park"] == "demo" and matches["candidates"]
    for candidate in matches["candidates"]:
        assert candidate["supplier"]["owner_id"] != candidate["receiver"]["owner_id"] or candidate["reasons"]
        assert candidate["reasons"], candidate
    empty = client.get("/api/v1/parks/tiny/symbiosis/matches", headers=_headers(tokens, "tiny_manager"))
    assert _assert_error(empty, 422)["code"] == "symbiosis.no_streams"


def test_stream_upload_dry_run_and_denials(site: tuple[TestClient, dict[str, str]]) -> None:
    client, tokens = site
    files = {"file": ("streams.csv", STREAM_CSV.encode(), "text/csv")}
    response = client.post(
        "/api/v1/parks/demo/symbiosis/streams/upload", files=files, data={"dry_run": "true"}, headers=_headers(tokens, "manager")
    )
    assert response.status_code == 200, response.text
    assert response.json() | {} == response.json() and response.json()["rows"] == 1 and response.json()["dry_run"] is True
    for caller, status in DENIED_ON_DEMO.items():
        denied = client.post("/api/v1/parks/demo/symbiosis/streams/upload", files=files, headers=_headers(tokens, caller))
        _assert_error(denied, status)
    for username in HIDDEN_ON_PRIVATE:
        hidden = client.post(
            "/api/v1/parks/private-park/symbiosis/streams/upload", files=files, headers=_headers(tokens, username)
        )
        _assert_error(hidden, 404)


def test_stream_upload_reports_rows_of_another_park_and_bad_rows(site: tuple[TestClient, dict[str, str]]) -> None:
    """A row of another park is refused row by row (nothing written); an invalid row is reported with its line."""
    client, tokens = site
    other = STREAM_CSV + "private-park,firm,private-f1,output,Xỉ,slag,5,t\n"
    response = client.post(
        "/api/v1/parks/demo/symbiosis/streams/upload",
        files={"file": ("streams.csv", other.encode(), "text/csv")},
        headers=_headers(tokens, "manager"),
    )
    error = _assert_error(response, 422)
    [problem] = error["details"]
    assert (problem["row"], problem["column"], problem["code"]) == (3, "park_id", "api.problem.not_permitted")
    bad = STREAM_CSV + "demo,firm,demo-f01,output,Bùn,sludge_unknown_class,-5,t\n"
    response = client.post(
        "/api/v1/parks/demo/symbiosis/streams/upload",
        files={"file": ("streams.csv", bad.encode(), "text/csv")},
        headers=_headers(tokens, "manager") | {"Accept-Language": "vi"},
    )
    error = _assert_error(response, 422)
    assert error["details"] and all(item["row"] == 3 for item in error["details"])
    streams = client.get("/api/v1/parks/demo/symbiosis/streams", headers=_headers(tokens, "manager")).json()
    assert "Pallet gỗ hỏng" not in {s["name"] for s in streams["streams"]}


def test_optimise_denials(site: tuple[TestClient, dict[str, str]]) -> None:
    client, tokens = site
    for caller, status in DENIED_ON_DEMO.items():
        _assert_error(client.post("/api/v1/parks/demo/symbiosis/optimise", json={}, headers=_headers(tokens, caller)), status)
    for username in HIDDEN_ON_PRIVATE:
        _assert_error(client.post("/api/v1/parks/private-park/symbiosis/optimise", headers=_headers(tokens, username)), 404)
    bad = client.post("/api/v1/parks/demo/symbiosis/optimise", json={"co2_target": -1}, headers=_headers(tokens, "manager"))
    _assert_error(bad, 422)


def test_optimise_job_runs_to_completion(site: tuple[TestClient, dict[str, str]]) -> None:
    """The manager's job ends with exchanges whose totals are the programme metrics and a positive net benefit."""
    client, tokens = site
    headers = _headers(tokens, "manager")
    response = client.post("/api/v1/parks/demo/symbiosis/optimise", json={"time_limit_s": 30}, headers=headers)
    assert response.status_code == 202, response.text
    assert response.headers["Location"] == response.json()["url"]
    job = _wait(client, headers, response.json()["url"])
    assert job["status"] == "succeeded", job
    result: dict[str, object] = job["result"]  # type: ignore[assignment]
    assert job["kind"] == "symbiosis_optimise" and job["progress"] == 1.0
    exchanges: list[dict[str, float]] = result["exchanges"]  # type: ignore[assignment]
    assert exchanges and result["status"] == "optimal"
    for exchange in exchanges:  # net benefit of a link = unit benefit × flow − set-up cost
        expected = exchange["unit_benefit_vnd"] * exchange["flow"] - exchange["setup_cost_vnd"]
        assert exchange["benefit_vnd"] == pytest.approx(expected, rel=1e-9, abs=1e-3)
    total_benefit = sum(e["benefit_vnd"] for e in exchanges)
    assert total_benefit > 0
    assert result["objective_vnd"] == pytest.approx(total_benefit, rel=1e-6)
    metrics: dict[str, float] = result["metrics"]  # type: ignore[assignment]
    assert metrics["links"] == len(exchanges)
    assert metrics["vnd_saved"] == pytest.approx(total_benefit, rel=1e-9)
    assert metrics["tco2e_avoided"] == pytest.approx(sum(e["tco2e"] for e in exchanges), rel=1e-9)
    # another park's manager may not poll it
    _assert_error(client.get(str(job["url"]), headers=_headers(tokens, "other_manager")), 404)


def test_infeasible_co2_target_fails_the_job_with_the_explanation(site: tuple[TestClient, dict[str, str]]) -> None:
    client, tokens = site
    headers = _headers(tokens, "admin")
    response = client.post("/api/v1/parks/demo/symbiosis/optimise", json={"co2_target": 1e8}, headers=headers)
    assert response.status_code == 202, response.text
    job = _wait(client, headers, response.json()["url"])
    assert job["status"] == "failed"
    error: dict[str, str] = job["error"]  # type: ignore[assignment]
    assert error["code"] == "api_plans.symbiosis.infeasible"
    assert "cannot be met" in error["message"] and "100,000,000" in error["message"]
    in_vietnamese = client.get(str(job["url"]), headers=headers | {"Accept-Language": "vi"}).json()
    assert "Không thể đạt mục tiêu" in in_vietnamese["error"]["message"]


# ---------------------------------------------------------------- plans


@pytest.mark.parametrize("plan", ["pv", "macc", "pathway"])
def test_plan_denials(site: tuple[TestClient, dict[str, str]], plan: str) -> None:
    client, tokens = site
    url = f"/api/v1/parks/{TINY}/plans/{plan}"
    for username, status in {"manager": 403, "tenant": 403, "investor": 403, "public": 403, None: 401}.items():
        _assert_error(client.post(url, json={}, headers=_headers(tokens, username)), status)
    for username in ("tiny_manager", "tenant", "investor"):
        _assert_error(client.post(f"/api/v1/parks/private-park/plans/{plan}", headers=_headers(tokens, username)), 404)
    _assert_error(client.post(url, json={"unknown": 1}, headers=_headers(tokens, "tiny_manager")), 422)


@pytest.mark.parametrize("plan", ["macc", "pathway"])
def test_plan_parameters_are_checked_after_rights(site: tuple[TestClient, dict[str, str]], plan: str) -> None:
    """The park's manager and an admin pass the access check and get 422 for an unknown grid scenario."""
    client, tokens = site
    for username in ("tiny_manager", "admin"):
        response = client.post(
            f"/api/v1/parks/{TINY}/plans/{plan}", json={"grid_scenario": "no-such"}, headers=_headers(tokens, username)
        )
        assert _assert_error(response, 422)["code"] == "api_plans.unknown_grid_scenario"
    response = client.post(
        f"/api/v1/parks/{TINY}/plans/macc", json={"grid_scenario": "no-such"}, headers=_headers(tokens, "public")
    )
    _assert_error(response, 403)


def test_pathway_unknown_target(site: tuple[TestClient, dict[str, str]]) -> None:
    client, tokens = site
    response = client.post(f"/api/v1/parks/{TINY}/plans/pathway", json={"target": "mars"}, headers=_headers(tokens, "admin"))
    assert "net-zero-2050" in str(_assert_error(response, 422)["message"])


def test_pathway_and_pv_jobs_run_to_completion(site: tuple[TestClient, dict[str, str]]) -> None:
    """The tiny park's pathway (by its manager) and PV study (by an admin) end with stored results."""
    client, tokens = site
    manager = _headers(tokens, "tiny_manager")
    started = client.post(f"/api/v1/parks/{TINY}/plans/pathway", json={"time_limit_s": 60}, headers=manager)
    assert started.status_code == 202, started.text
    job = _wait(client, manager, started.json()["url"])
    assert job["status"] == "succeeded", job
    result: dict[str, object] = job["result"]  # type: ignore[assignment]
    assert result["park_id"] == TINY and result["status"] in ("optimal", "time_limit", "infeasible")
    emissions: list[dict[str, float]] = result["emissions"]  # type: ignore[assignment]
    assert [row["year"] for row in emissions] == list(range(2025, 2051))
    for row in emissions:  # net emissions = scope 1 + scope 2 (market) − removals
        assert row["net_t"] == pytest.approx(row["scope1_t"] + row["scope2_market_t"] - row["removals_t"], abs=1e-6)
    assert {t["target"] for t in result["targets"]} >= {"net_zero_2050"}  # type: ignore[attr-defined]
    notes: dict[str, list[str]] = result["notes"]  # type: ignore[assignment]
    assert set(notes) == {"vi", "en"} and len(notes["vi"]) == len(notes["en"]) >= 2
    admin = _headers(tokens, "admin")
    started = client.post(f"/api/v1/parks/{TINY}/plans/pv", json={}, headers=admin)
    assert started.status_code == 202, started.text
    job = _wait(client, admin, started.json()["url"])
    assert job["status"] == "succeeded", job
    firms: list[dict[str, float]] = job["result"]["firms"]  # type: ignore[index]
    assert {f["firm_id"] for f in firms} <= {"tiny-f01", "tiny-f02"}
    for firm in firms:
        assert firm["self_consumed_kwh"] + firm["export_kwh"] + firm["curtailed_kwh"] == pytest.approx(
            firm["generation_kwh"], rel=1e-6
        )


# ---------------------------------------------------------------- baselines


def _period(bounds: tuple[date, date]) -> str:
    return f"{bounds[0].isoformat()}:{bounds[1].isoformat()}"


def test_baseline_fit_read_and_savings(site: tuple[TestClient, dict[str, str]]) -> None:
    """Fitted by the firm's user on Jan–Feb; savings over Mar–Apr are 10 % of the counterfactual (readings cut by 10 %)."""
    client, tokens = site
    tenant = _headers(tokens, "tenant")
    body = {"baseline": _period(BASELINE), "drivers": ["saturday", "sunday"]}
    response = client.post(f"/api/v1/meters/{METER}/baseline", json=body, headers=tenant)
    assert response.status_code == 200, response.text
    fitted = response.json()
    assert fitted["disqualified"] is False, fitted["findings"]
    assert fitted["model"]["meter_id"] == METER
    assert all(set(f) >= {"code", "severity", "message"} for f in fitted["findings"])
    stored = client.get(f"/api/v1/meters/{METER}/baseline", headers=_headers(tokens, "manager"))
    assert stored.status_code == 200 and stored.json()["model"] == fitted["model"]
    savings = client.get(f"/api/v1/meters/{METER}/savings", params={"reporting": _period(REPORTING)}, headers=tenant).json()
    days = [REPORTING[0] + timedelta(days=n) for n in range((REPORTING[1] - REPORTING[0]).days + 1)]
    observed = sum((WEEKEND_PER_DAY if d.weekday() >= 5 else WEEKDAY_PER_DAY) * (1 - SAVED_SHARE) for d in days)
    expected = observed / (1 - SAVED_SHARE) - observed
    assert savings["meter_id"] == METER
    assert savings["savings"] == pytest.approx(expected, rel=0.02)  # the model may also weigh monthly temperature normals
    overlap = client.get(f"/api/v1/meters/{METER}/savings", params={"reporting": "2024-12-01:2025-01-31"}, headers=tenant)
    assert _assert_error(overlap, 422)["code"] == "baselines.error.reporting_overlaps_baseline"


@pytest.mark.parametrize(
    ("method", "path"),
    [("post", "/baseline"), ("get", "/baseline"), ("get", "/savings?reporting=2025-01-01:2025-02-28")],
)
def test_baseline_denials(site: tuple[TestClient, dict[str, str]], method: str, path: str) -> None:
    client, tokens = site
    body = {"baseline": _period(BASELINE)}
    for username in ("other_tenant", "other_manager", "investor", "public"):
        response = client.request(method, f"/api/v1/meters/{METER}{path}", json=body, headers=_headers(tokens, username))
        _assert_error(response, 404)
    anonymous = client.request(method, f"/api/v1/meters/{METER}{path}", json=body)
    _assert_error(anonymous, 401 if method == "post" else 404)  # a reader who must not learn the meter exists
    hidden = client.request(method, f"/api/v1/meters/private-f1-electricity{path}", json=body, headers=_headers(tokens, "tenant"))
    _assert_error(hidden, 404)


def test_baseline_bad_input(site: tuple[TestClient, dict[str, str]]) -> None:
    client, tokens = site
    admin = _headers(tokens, "admin")
    for body in ({"baseline": "2024-02-30:2024-03-01"}, {"baseline": "2024-03-01:2024-01-01"}, {"baseline": "x"}, {}):
        _assert_error(client.post(f"/api/v1/meters/{METER}/baseline", json=body, headers=admin), 422)
    _assert_error(client.get("/api/v1/meters/demo-f02-water/baseline", headers=admin), 404)
    _assert_error(client.get(f"/api/v1/meters/{METER}/savings?reporting=bad", headers=admin), 422)
