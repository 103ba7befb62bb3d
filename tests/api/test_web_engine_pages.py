"""Dashboard pages of the engines over HTTP: park sections, assessment, matching, projects — grants and denials."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from ecozone.i18n import translate
from ecozone.store.database import dispose_engine
from tests.api.conftest import DemoSite, auth, make_client

YEAR = 2024
RULEBOOK = "vn-decree-35-2022"


def readings_csv() -> bytes:
    """Two days of hourly electricity of demo-f01 (10.5 … 33.5 kWh an hour), 100 m3 water, 2 t landfilled waste."""
    lines = ["meter_id,timestamp,value,unit"]
    for day in (1, 2):
        for hour in range(24):
            lines.append(f"demo-f01-electricity,2024-03-0{day}T{hour:02d}:00:00+07:00,{10 + hour}.5,kWh")
    lines.append("demo-f08-water,2024-03-01T00:00:00+07:00,100,m3")
    lines.append("demo-f06-solid-waste,2024-03-01T00:00:00+07:00,2,t")
    return ("\n".join(lines) + "\n").encode()


ELECTRICITY_KWH = 2 * sum(10.5 + hour for hour in range(24))  # 1 056 kWh


def synthetic_answers_yaml(workspace_path: Path) -> bytes:
    """The demo generator's synthetic answers for :data:`RULEBOOK` (the same as the API tests use)."""
    from ecozone.assessment.rulebook import load_rulebook
    from ecozone.assessment.synthetic import synthetic_answers
    from ecozone.cli.assessment import assessment_date
    from ecozone.store.registry_store import load_park
    from tests.api.conftest import embedded_workspace

    workspace = embedded_workspace(workspace_path)
    return synthetic_answers(load_rulebook(RULEBOOK), load_park(workspace, "demo"), assessment_date(YEAR)).encode()


@pytest.fixture(scope="module")
def pages_client(demo_site: DemoSite, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, Path]]:
    """A demo workspace with readings, every siting field of the demo park published and the demo projects."""
    from ecozone.projects.pipeline import demo_projects
    from ecozone.siting.profile import FIELD_NAMES
    from ecozone.store.siting_store import import_projects, publish

    workspace = demo_site.copy_to(tmp_path_factory.mktemp("web-engines") / "ws")
    publish(workspace, "demo", FIELD_NAMES)
    import_projects(workspace, demo_projects(), "demo_projects.yaml")
    with make_client(workspace) as test_client:
        response = test_client.post(
            "/api/v1/parks/demo/readings/upload",
            files={"file": ("readings.csv", readings_csv(), "text/csv")},
            headers=auth(demo_site, "manager"),
        )
        assert response.status_code == 200, response.text
        yield test_client, workspace.path
    dispose_engine(workspace.database_url)


def _get(client: TestClient, site: DemoSite, role: str | None, url: str) -> tuple[int, str]:
    response = client.get(url, headers=auth(site, role) | {"Accept-Language": "en"}, follow_redirects=False)
    return response.status_code, response.text


def test_park_sections_follow_the_aggregate_rights(pages_client: tuple[TestClient, Path], demo_site: DemoSite) -> None:
    client, _ = pages_client
    status, html = _get(client, demo_site, "manager", "/parks/demo?lang=en")
    assert status == 200
    assert translate("web.engines.kpi.heading", "en", year=YEAR) in html
    assert 'id="ghg-chart"' in html and 'id="ghg-table"' in html
    chart = json.loads(re.search(r'data-chart="([^"]+)"', html).group(1).replace("&#34;", '"').replace("&quot;", '"'))  # type: ignore[union-attr]
    assert chart["labels"][0] == translate("web.engines.ghg.scope1", "en")
    assert chart["values"][1] > 0  # scope 2 from 1 056 kWh of grid electricity
    assert "1,056" in html  # total electricity, English number format
    assert 'id="assessment-link"' in html
    # the park's own firm user sees the aggregates but may not assess
    status, tenant_html = _get(client, demo_site, "tenant", "/parks/demo?lang=en")
    assert status == 200 and 'id="park-kpis"' in tenant_html and 'id="assessment-link"' not in tenant_html
    # others who may see the published park get the profile only
    for role in ("investor", "public", "other_manager", "other_tenant", None):
        status, other = _get(client, demo_site, role, "/parks/demo?lang=en")
        if role == "other_tenant":  # a user of another firm of the same park: their home park's aggregates
            assert 'id="park-kpis"' in other
            continue
        assert status == 200, role
        assert 'id="park-kpis"' not in other and 'id="ghg-chart"' not in other and "scorecard" not in other, role


def test_park_sections_use_vietnamese_numbers(pages_client: tuple[TestClient, Path], demo_site: DemoSite) -> None:
    client, _ = pages_client
    _, html = _get(client, demo_site, "manager", "/parks/demo?lang=vi")
    assert translate("web.engines.kpi.heading", "vi", year=YEAR) in html
    assert "1.056" in html


@pytest.mark.parametrize(
    ("role", "expected"),
    [("admin", 200), ("manager", 200), ("other_manager", 403), ("tenant", 403), ("investor", 403), ("public", 403), (None, 303)],
)
def test_assessment_page_rights(
    pages_client: tuple[TestClient, Path], demo_site: DemoSite, role: str | None, expected: int
) -> None:
    client, _ = pages_client
    status, _ = _get(client, demo_site, role, "/parks/demo/assessment")
    assert status == expected


def test_assessment_page_of_a_hidden_park_is_404(pages_client: tuple[TestClient, Path], demo_site: DemoSite) -> None:
    client, _ = pages_client
    assert _get(client, demo_site, "manager", "/parks/private-park/assessment")[0] == 404
    assert _get(client, demo_site, "other_manager", "/parks/private-park/assessment")[0] == 200
    assert _get(client, demo_site, "manager", "/parks/nowhere/assessment")[0] == 404


def test_assessment_journey_over_http(pages_client: tuple[TestClient, Path], demo_site: DemoSite) -> None:
    client, path = pages_client
    manager = auth(demo_site, "manager") | {"Accept-Language": "en"}
    url = "/parks/demo/assessment"
    denied = client.post(url, data={"action": "answers", "rulebook": RULEBOOK}, headers=auth(demo_site, "tenant"))
    assert denied.status_code == 403
    bad = client.post(
        url, data={"action": "answers", "rulebook": RULEBOOK}, files={"file": ("a.yaml", b"rulebook: [x")}, headers=manager
    )
    assert bad.status_code in (400, 422) and 'id="assessment-error"' in bad.text
    answers = synthetic_answers_yaml(path)
    stored = client.post(
        url, data={"action": "answers", "rulebook": RULEBOOK}, files={"file": ("a.yaml", answers)}, headers=manager
    )
    assert stored.status_code == 200, stored.text
    assert translate("web.engines.assess.answers_saved", "en", file="a.yaml", rulebook=RULEBOOK) in stored.text
    ran = client.post(url, data={"action": "run", "rulebook": RULEBOOK}, headers=manager, follow_redirects=False)
    assert ran.status_code == 303
    location = ran.headers["location"]
    run_id = int(location.rsplit("=", 1)[1])
    page = client.get(location, headers=manager)
    assert page.status_code == 200 and 'id="assessment-result"' in page.text and 'class="gaps"' in page.text
    # the scorecard now shows on the park's overview, for the tenant too
    assert "scorecard" in client.get("/parks/demo", headers=auth(demo_site, "tenant")).text
    # another manager may not open this park's run through their own park's page (the API's 403 of a visible park's run)
    assert client.get(f"/parks/private-park/assessment?run={run_id}", headers=auth(demo_site, "other_manager")).status_code == 403
    report = client.post(url, data={"action": "report", "run_id": str(run_id)}, headers=manager)
    assert report.status_code == 200, report.text
    link = re.search(r'href="(/reports/[0-9a-f]+/download)"', report.text)
    assert link is not None
    pdf = client.get(link.group(1), headers=manager)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    # the download is the job owner's (another signed-in user gets the 404 of a missing job)
    assert client.get(link.group(1), headers=auth(demo_site, "tenant")).status_code == 404
    assert client.get(link.group(1)).status_code == 401


@pytest.mark.parametrize(
    ("role", "expected"),
    [("admin", 200), ("investor", 200), ("manager", 403), ("tenant", 403), ("public", 403), (None, 303)],
)
def test_match_page_rights(pages_client: tuple[TestClient, Path], demo_site: DemoSite, role: str | None, expected: int) -> None:
    client, _ = pages_client
    assert _get(client, demo_site, role, "/match")[0] == expected
    if role in ("tenant", "manager"):
        response = client.post("/match", data={"land_ha": "5"}, headers=auth(demo_site, role))
        assert response.status_code == 403


def test_match_ranks_parks_with_explanations_and_points(pages_client: tuple[TestClient, Path], demo_site: DemoSite) -> None:
    client, _ = pages_client
    form = {"name": "Test", "sector_vsic": "26", "land_ha": "5", "power_mw": "2", "weight_land_available_ha": "1"}
    response = client.post("/match?lang=vi", data=form, headers=auth(demo_site, "investor"))
    assert response.status_code == 200, response.text
    html = response.text
    assert 'id="ranked-parks"' in html and 'id="match-map"' in html
    points = json.loads(re.search(r'data-points="([^"]*)"', html).group(1).replace("&#34;", '"').replace("&quot;", '"'))  # type: ignore[union-attr]
    assert [point["rank"] for point in points] == [1]  # only the demo park publishes coordinates, and it ranks first
    assert "private-park" not in html  # unpublished parks are never considered for an investor
    bad = client.post("/match", data={"land_ha": "lots"}, headers=auth(demo_site, "investor"))
    assert bad.status_code == 422 and 'id="match-error"' in bad.text


@pytest.mark.parametrize(
    ("role", "expected"),
    [("admin", 200), ("investor", 200), ("manager", 200), ("other_manager", 200), ("tenant", 403), ("public", 403), (None, 303)],
)
def test_projects_page_rights(
    pages_client: tuple[TestClient, Path], demo_site: DemoSite, role: str | None, expected: int
) -> None:
    client, _ = pages_client
    status, html = _get(client, demo_site, role, "/projects")
    assert status == expected
    if role in ("investor", "manager"):
        assert html.count('<th scope="row">') == 4  # the four demo projects
    if role == "other_manager":
        assert translate("web.engines.projects.none", "en") in html


def test_engine_catalogue_is_bilingual() -> None:
    import yaml

    from ecozone.i18n import __file__ as i18n_file

    catalogue = yaml.safe_load((Path(i18n_file).parent / "messages_web_engines.yaml").read_text(encoding="utf-8"))
    assert catalogue and all(set(texts) == {"vi", "en"} and texts["vi"] and texts["en"] for texts in catalogue.values())
