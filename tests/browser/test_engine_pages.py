"""Engine pages in a real browser: a park manager assesses and downloads the PDF; an investor matches and sees the map."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from ecozone.api import create_app
from ecozone.i18n import translate
from ecozone.store.database import dispose_engine
from tests.api.conftest import auth, make_client
from tests.api.test_web_engine_pages import readings_csv
from tests.browser.conftest import LiveServer, PageWatch, screenshot
from tests.browser.test_journeys import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.slow]

Page = tuple[Any, PageWatch]
RULEBOOK = "vn-decree-35-2022"


@pytest.fixture(scope="module")
def live_server(demo_site: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The demo workspace with the demo park's siting profile published and the demo projects, on loopback."""
    from ecozone.projects.pipeline import demo_projects
    from ecozone.siting.profile import FIELD_NAMES
    from ecozone.store.siting_store import import_projects, publish

    workspace = demo_site.copy_to(tmp_path_factory.mktemp("browser-engines") / "ws")
    publish(workspace, "demo", FIELD_NAMES)
    import_projects(workspace, demo_projects(), "demo_projects.yaml")
    with make_client(workspace) as client:
        response = client.post(
            "/api/v1/parks/demo/readings/upload",
            files={"file": ("readings.csv", readings_csv(), "text/csv")},
            headers=auth(demo_site, "manager"),
        )
        assert response.status_code == 200, response.text
    app = create_app(workspace, migrate_store=False)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    yield LiveServer(f"http://127.0.0.1:{port}", server, thread)
    server.should_exit = True
    thread.join(timeout=15)
    sock.close()
    dispose_engine(workspace.database_url)


def _answers_file(demo_site: Any, folder: Path) -> Path:
    from ecozone.assessment.rulebook import load_rulebook
    from ecozone.assessment.synthetic import synthetic_answers
    from ecozone.cli.assessment import assessment_date
    from ecozone.store.registry_store import load_park
    from tests.api.conftest import embedded_workspace

    workspace = embedded_workspace(demo_site.path)
    text = synthetic_answers(load_rulebook(RULEBOOK), load_park(workspace, "demo"), assessment_date(2024))
    dispose_engine(workspace.database_url)
    path = folder / "tra-loi.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_manager_assesses_and_downloads_the_pdf(page: Page, live_server: LiveServer, demo_site: Any, tmp_path: Path) -> None:
    tab, watch = page
    answers = _answers_file(demo_site, tmp_path)
    sign_in(tab, live_server, "manager", "/parks/demo")
    # GHG by scope drawn from the page's data attribute: four bars and their axes
    tab.wait_for_function("document.querySelectorAll('#ghg-chart svg path').length >= 4", timeout=15000)
    assert tab.locator("#ghg-table tbody tr").count() == 4
    assert tab.locator("#energy-by-carrier tbody tr").count() >= 1
    screenshot(tab, "park-overview-kpis-ghg")
    tab.get_by_role("link", name=translate("web.engines.park.assess_link", "vi")).click()
    tab.wait_for_load_state("networkidle")
    assert tab.locator("h1").inner_text().startswith(translate("web.engines.assess.crumb", "vi"))
    form = tab.locator("#answers-form")
    form.get_by_label(translate("web.engines.assess.rulebook", "vi")).select_option(RULEBOOK)
    form.get_by_label(translate("web.engines.assess.answers_file", "vi")).set_input_files(str(answers))
    form.get_by_role("button", name=translate("web.engines.assess.upload", "vi")).click()
    tab.wait_for_load_state("networkidle")
    assert tab.locator("#assessment-message").inner_text() == translate(
        "web.engines.assess.answers_saved", "vi", file="tra-loi.yaml", rulebook=RULEBOOK
    )
    run = tab.locator("#run-form")
    run.get_by_label(translate("web.engines.assess.rulebook", "vi")).select_option(RULEBOOK)
    run.get_by_role("button", name=translate("web.engines.assess.run", "vi")).click()
    tab.wait_for_load_state("networkidle")
    assert tab.locator("#assessment-result table.scorecard tbody tr").count() >= 1
    screenshot(tab, "assessment-scorecard")
    tab.get_by_role("button", name=translate("web.engines.assess.make_pdf", "vi")).click()
    tab.wait_for_load_state("networkidle")
    with tab.expect_download() as info:
        tab.get_by_role("link", name=translate("web.engines.assess.download_pdf", "vi")).click()
    download = info.value
    assert Path(download.path()).read_bytes()[:4] == b"%PDF"
    assert download.suggested_filename.endswith(".pdf")
    screenshot(tab, "assessment-report-ready")
    # the park overview now shows the scorecard
    tab.goto(f"{live_server.url}/parks/demo")
    assert tab.locator("table.scorecard").count() == 1
    assert watch.blocked == []
    assert watch.console_errors == []


def test_investor_matches_and_sees_the_map(page: Page, live_server: LiveServer) -> None:
    tab, watch = page
    sign_in(tab, live_server, "investor", "/match")
    assert tab.locator("h1").inner_text() == translate("web.engines.match.title", "vi")
    tab.get_by_label(translate("web.engines.match.field.sector_vsic", "vi")).fill("26")
    tab.get_by_label(translate("web.engines.match.field.land_ha", "vi")).fill("5")
    tab.get_by_label(translate("web.engines.match.field.power_mw", "vi")).fill("2,5")
    tab.get_by_label(translate("siting.criterion.land_available_ha", "vi")).fill("1")
    tab.get_by_role("button", name=translate("web.engines.match.submit", "vi")).click()
    tab.wait_for_load_state("networkidle")
    assert tab.locator("#ranked-parks tbody tr").count() >= 1
    assert tab.locator("#ranked-parks tbody tr").first.locator("td").first.inner_text() == "1"
    tab.wait_for_selector("#match-map svg path", timeout=15000)
    assert tab.locator("#match-map svg path").count() > 30  # province outlines and the ranked park's point
    screenshot(tab, "investor-match-map")
    tab.goto(f"{live_server.url}/projects")
    assert tab.locator("#project-list tbody tr").count() == 4
    screenshot(tab, "project-pipeline")
    assert watch.blocked == []
    assert watch.console_errors == []


def test_phone_layout_of_the_match_page(browser: Any, live_server: LiveServer) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN", is_mobile=True)
    try:
        tab = context.new_page()
        sign_in(tab, live_server, "investor", "/match")
        width = tab.evaluate("document.documentElement.scrollWidth")
        assert width <= 390 + 1  # no sideways scrolling of the page itself
        screenshot(tab, "investor-match-phone")
    finally:
        context.close()
