"""Engine routers: readings, KPIs, GHG, assessments and reports — grants, denials and the error shape."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from ecozone.store.database import dispose_engine
from tests.api.conftest import DemoSite, auth, make_client

ROLES = ("admin", "manager", "other_manager", "tenant", "other_tenant", "investor", "public", None)
YEAR = 2024


def readings_csv(bad_row: bool = True) -> bytes:
    """Two days of hourly readings of two firms' electricity meters (10.5 … 33.5 kWh and 20 kWh), plus one bad row."""
    lines = ["meter_id,timestamp,value,unit"]
    for day in (1, 2):
        for hour in range(24):
            stamp = f"2024-03-0{day}T{hour:02d}:00:00+07:00"
            lines.append(f"demo-f01-electricity,{stamp},{10 + hour}.5,kWh")
            lines.append(f"demo-f02-electricity,{stamp},20,kWh")
    if bad_row:
        lines.append("demo-f01-electricity,2024-03-05T00:00:00+07:00,5,m3")
    return ("\n".join(lines) + "\n").encode()


F01_KWH = 2 * sum(10.5 + hour for hour in range(24))
F02_KWH = 2 * 24 * 20.0


@pytest.fixture(scope="module")
def engine_client(demo_site: DemoSite, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """A demo workspace copy with readings uploaded by the park's manager."""
    workspace = demo_site.copy_to(tmp_path_factory.mktemp("api-engines") / "ws")
    with make_client(workspace) as test_client:
        response = test_client.post(
            "/api/v1/parks/demo/readings/upload",
            files={"file": ("readings.csv", readings_csv(), "text/csv")},
            headers=auth(demo_site, "manager"),
        )
        assert response.status_code == 200, response.text
        yield test_client
    dispose_engine(workspace.database_url)


def _wait(client: TestClient, headers: dict[str, str], url: str) -> dict[str, object]:
    for _ in range(300):
        job: dict[str, object] = client.get(url, headers=headers).json()
        if job["status"] in ("succeeded", "failed"):
            return job
        time.sleep(0.05)
    raise AssertionError("job did not finish")


def test_upload_reports_the_bad_row(engine_client: TestClient, demo_site: DemoSite) -> None:
    response = engine_client.post(
        "/api/v1/parks/demo/readings/upload",
        files={"file": ("again.csv", readings_csv(), "text/csv")},
        headers=auth(demo_site, "manager") | {"Accept-Language": "vi"},
    )
    report = response.json()
    assert report["rows_read"] == 97
    assert report["accepted"] == 0
    assert report["duplicates_skipped"] == 96
    assert report["quarantined"] == {"unit_carrier": 1}
    [problem] = report["problems"]
    assert (problem["row"], problem["meter_id"], problem["code"]) == (
        98,
        "demo-f01-electricity",
        "unit_carrier",
    )  # line 98: header + 97th data row
    assert "Đơn vị" in problem["reason"]
    assert report["summary"] and all("ecozone-readings-" not in line for line in report["summary"])


def test_firm_user_uploads_only_their_meters(engine_client: TestClient, demo_site: DemoSite) -> None:
    rows = b"meter_id,timestamp,value,unit\ndemo-f01-electricity,2024-04-01T00:00:00+07:00,1,kWh\n"
    rows += b"demo-f02-electricity,2024-04-01T00:00:00+07:00,1,kWh\n"
    report = engine_client.post(
        "/api/v1/parks/demo/readings/upload", files={"file": ("t.csv", rows, "text/csv")}, headers=auth(demo_site, "tenant")
    ).json()
    assert report["accepted"] == 1
    assert report["quarantined"] == {"meter_unknown": 1}
    assert report["problems"][0]["meter_id"] == "demo-f02-electricity"


@pytest.mark.parametrize(
    ("role", "expected"),
    [("admin", 200), ("manager", 200), ("tenant", 200), ("other_manager", 403), ("investor", 403), ("public", 403), (None, 401)],
)
def test_upload_rights(engine_client: TestClient, demo_site: DemoSite, role: str | None, expected: int) -> None:
    rows = b"meter_id,timestamp,value,unit\ndemo-f01-electricity,2024-03-01T00:00:00+07:00,10.5,kWh\n"
    response = engine_client.post(
        "/api/v1/parks/demo/readings/upload", files={"file": ("e.csv", rows, "text/csv")}, headers=auth(demo_site, role)
    )
    assert response.status_code == expected, response.text
    if expected >= 400:
        assert response.json()["error"]["status"] == expected


def test_upload_to_a_hidden_park_is_404_and_bad_files_are_4xx(engine_client: TestClient, demo_site: DemoSite) -> None:
    files = {"file": ("e.csv", b"meter_id,timestamp,value\n", "text/csv")}
    hidden = engine_client.post("/api/v1/parks/private-park/readings/upload", files=files, headers=auth(demo_site, "manager"))
    assert hidden.status_code == 404
    assert hidden.json()["error"]["code"] == "registry.park_not_found"
    for name, content in (("x.exe", b"MZ"), ("x.xlsx", b"not a workbook"), ("x.parquet", b"nope"), ("x.csv", b"\xff\xfe\x00")):
        response = engine_client.post(
            "/api/v1/parks/demo/readings/upload", files={"file": (name, content)}, headers=auth(demo_site, "manager")
        )
        assert 400 <= response.status_code < 500, (name, response.text)
        assert set(response.json()["error"]) == {"status", "code", "message", "details"}


def test_meter_readings_query(engine_client: TestClient, demo_site: DemoSite) -> None:
    params = {"start": "2024-02-29T17:00:00Z", "end": "2024-03-01T17:00:00Z", "limit": 5}
    body = engine_client.get("/api/v1/meters/demo-f01-electricity/readings", params=params, headers=auth(demo_site, "tenant"))
    data = body.json()
    assert data["count"] == 5 and data["truncated"] is True
    assert [r["value"] for r in data["readings"]] == [10.5, 11.5, 12.5, 13.5, 14.5]
    for role, expected in (("other_tenant", 404), ("investor", 404), (None, 404), ("manager", 200), ("admin", 200)):
        response = engine_client.get("/api/v1/meters/demo-f01-electricity/readings", headers=auth(demo_site, role))
        assert response.status_code == expected, role


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("admin", 200),
        ("manager", 200),
        ("tenant", 200),
        ("other_tenant", 200),
        ("other_manager", 403),
        ("investor", 403),
        ("public", 403),
        (None, 401),
    ],
)
def test_park_kpis_rights_and_values(engine_client: TestClient, demo_site: DemoSite, role: str | None, expected: int) -> None:
    response = engine_client.get(f"/api/v1/parks/demo/kpis?year={YEAR}", headers=auth(demo_site, role))
    assert response.status_code == expected, response.text
    if expected == 200:
        [electricity] = [row for row in response.json()["energy_by_carrier"] if row["carrier"] == "electricity"]
        assert electricity["energy_kwh"] >= F01_KWH + F02_KWH  # the tenant's April reading may add 1 kWh


@pytest.mark.parametrize(
    ("role", "expected"),
    [("admin", 200), ("manager", 200), ("tenant", 200), ("other_tenant", 404), ("other_manager", 404), ("investor", 404)],
)
def test_firm_kpis_rights(engine_client: TestClient, demo_site: DemoSite, role: str, expected: int) -> None:
    response = engine_client.get(f"/api/v1/firms/demo-f01/kpis?year={YEAR}", headers=auth(demo_site, role))
    assert response.status_code == expected, response.text


def test_kpis_bad_input_and_missing_data(engine_client: TestClient, demo_site: DemoSite) -> None:
    headers = auth(demo_site, "manager")
    assert engine_client.get("/api/v1/parks/demo/kpis", headers=headers).status_code == 422
    assert engine_client.get("/api/v1/parks/demo/kpis?year=abc", headers=headers).status_code == 422
    missing = engine_client.get("/api/v1/parks/demo/kpis?year=2001", headers=headers)
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "kpi.no_readings"
    assert engine_client.get("/api/v1/parks/private-park/kpis?year=2024", headers=headers).status_code == 404


def test_ghg_views_by_role(engine_client: TestClient, demo_site: DemoSite) -> None:
    manager = engine_client.get(f"/api/v1/parks/demo/ghg?year={YEAR}", headers=auth(demo_site, "manager")).json()
    tenant = engine_client.get(f"/api/v1/parks/demo/ghg?year={YEAR}", headers=auth(demo_site, "tenant")).json()
    assert {e["entity_id"] for e in manager["entities"]} >= {"demo-f01", "demo-f02", "demo"}
    assert {e["entity_id"] for e in tenant["entities"]} == {"demo-f01", "demo"}
    firms = [e for e in manager["entities"] if e["entity_kind"] == "entity"]
    rollup = manager["by_scope"]
    assert rollup["scope2_location"] == pytest.approx(sum(e["scope2_location_t"] for e in firms))
    assert manager["by_scope"] == tenant["by_scope"]
    firm = engine_client.get(f"/api/v1/firms/demo-f02/ghg?year={YEAR}", headers=auth(demo_site, "other_tenant")).json()
    assert [e["entity_id"] for e in firm["entities"]] == ["demo-f02"]
    for role, expected in (("tenant", 404), ("investor", 404), ("other_manager", 404)):
        assert engine_client.get(f"/api/v1/firms/demo-f02/ghg?year={YEAR}", headers=auth(demo_site, role)).status_code == expected
    assert engine_client.get(f"/api/v1/parks/demo/ghg?year={YEAR}", headers=auth(demo_site, "investor")).status_code == 403
    assert engine_client.get(f"/api/v1/parks/demo/ghg?year={YEAR}&gwp=AR9", headers=auth(demo_site, "admin")).status_code == 422


def test_rulebooks_and_questionnaire_are_public(engine_client: TestClient) -> None:
    books = engine_client.get("/api/v1/rulebooks").json()
    assert books and all(book["name"] for book in books)
    text = engine_client.get(f"/api/v1/rulebooks/{books[0]['id']}/questionnaire").text
    assert "answered_by" in text or "questions" in text or "answers" in text
    missing = engine_client.get("/api/v1/rulebooks/../../etc/questionnaire")
    assert missing.status_code == 404
    assert engine_client.get("/api/v1/rulebooks/nope/questionnaire").json()["error"]["code"] == "engines.rulebook_not_found"


@pytest.mark.parametrize(
    ("role", "expected"),
    [("other_manager", 403), ("tenant", 403), ("investor", 403), ("public", 403), (None, 401)],
)
def test_assessment_start_denials(engine_client: TestClient, demo_site: DemoSite, role: str | None, expected: int) -> None:
    response = engine_client.post(
        "/api/v1/parks/demo/assessments", json={"rulebook": "eip_framework_v2", "year": YEAR}, headers=auth(demo_site, role)
    )
    assert response.status_code == expected, response.text


def test_assessment_journey_answers_run_result_and_reports(
    engine_client: TestClient, demo_site: DemoSite, tmp_path: Path
) -> None:
    from ecozone.assessment.rulebook import load_rulebook
    from ecozone.assessment.synthetic import synthetic_answers
    from ecozone.cli.assessment import assessment_date
    from ecozone.store.registry_store import load_park

    manager = auth(demo_site, "manager")
    book_id = engine_client.get("/api/v1/rulebooks").json()[0]["id"]
    workspace = engine_client.app.state.context.workspace  # type: ignore[attr-defined]
    answers = synthetic_answers(load_rulebook(book_id), load_park(workspace, "demo"), assessment_date(YEAR))
    url = f"/api/v1/parks/demo/assessments/{book_id}/answers"
    denied = engine_client.put(url, files={"file": ("a.yaml", answers.encode())}, headers=auth(demo_site, "tenant"))
    assert denied.status_code == 403
    bad = engine_client.put(url, files={"file": ("a.yaml", b"rulebook: [unclosed")}, headers=manager)
    assert 400 <= bad.status_code < 500
    stored = engine_client.put(url, files={"file": ("a.yaml", answers.encode())}, headers=manager)
    assert stored.status_code == 200, stored.text
    assert engine_client.get(url, headers=manager).json()["content"] == answers
    started = engine_client.post("/api/v1/parks/demo/assessments", json={"rulebook": book_id, "year": YEAR}, headers=manager)
    assert started.status_code == 202, started.text
    job = _wait(engine_client, manager, started.headers["Location"])
    assert job["status"] == "succeeded", job
    result = job["result"]
    assert isinstance(result, dict)
    run_id = result["run_id"]
    document = engine_client.get(f"/api/v1/assessments/{run_id}", headers=auth(demo_site, "tenant")).json()["document"]
    assert document["scores"]["overall"]["score_pct"] == result["score_pct"]
    for role, expected in (("investor", 403), ("other_manager", 403), (None, 401)):
        assert engine_client.get(f"/api/v1/assessments/{run_id}", headers=auth(demo_site, role)).status_code == expected
    assert engine_client.get("/api/v1/assessments/999999", headers=manager).status_code == 404
    runs = engine_client.get("/api/v1/parks/demo/assessments", headers=manager).json()
    assert runs[0]["id"] == run_id
    report = engine_client.post(f"/api/v1/assessments/{run_id}/reports", json={"format": "pdf", "lang": "vi"}, headers=manager)
    assert report.status_code == 202, report.text
    finished = _wait(engine_client, manager, report.headers["Location"])
    assert finished["status"] == "succeeded", finished
    download = engine_client.get(finished["result"]["download_url"], headers=manager)  # type: ignore[index]
    assert download.status_code == 200
    assert download.content.startswith(b"%PDF")
    other = engine_client.get(finished["result"]["download_url"], headers=auth(demo_site, "admin"))  # type: ignore[index]
    assert other.status_code == 200
    for role in ("tenant", "investor"):
        assert engine_client.get(finished["result"]["download_url"], headers=auth(demo_site, role)).status_code == 404  # type: ignore[index]
    assert engine_client.post(f"/api/v1/assessments/{run_id}/reports", json={"format": "exe"}, headers=manager).status_code == 422
