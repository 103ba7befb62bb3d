"""Dashboard pages of the questionnaire (fill, save, evidence upload) and the reports (downloads) over HTTP."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import date
from html import unescape
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient

from ecozone.i18n import translate
from ecozone.store.assessment_store import StoredAnswers
from ecozone.store.database import dispose_engine
from tests.api.conftest import DemoSite, auth, embedded_workspace, make_client

RULEBOOK = "vn-decree-35-2022"
URL = "/parks/demo/questionnaire"
EVIDENCE = b"%PDF-1.4 scanned decision\n"


@pytest.fixture(scope="module")
def site(demo_site: DemoSite, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, Path]]:
    """A client of a copy of the demo workspace (the module's tests write answers in order)."""
    workspace = demo_site.copy_to(tmp_path_factory.mktemp("web-forms") / "ws")
    with make_client(workspace) as test_client:
        yield test_client, workspace.path
    dispose_engine(workspace.database_url)


def _as(site_: DemoSite, role: str | None, lang: str = "en") -> dict[str, str]:
    return auth(site_, role) | {"Accept-Language": lang}


def _latest(path: Path) -> StoredAnswers | None:
    from ecozone.store.assessment_store import latest_answers

    return latest_answers(embedded_workspace(path), "demo", RULEBOOK)


VALID = {
    "rulebook": RULEBOOK,
    "answered_by": "Nguyễn Văn An",
    "answered_on": "2024-05-01",
    "q.power_supply.present": "yes",
    "q.power_supply.reference": "QĐ-123/2023",
    "q.power_supply.date": "2023-01-02",
    "q.water_supply.present": "no",
    "q.is_new_eip": "yes",
    "q.dossier_sets": "3",
    "q.dossier_received": "03/02/2024",
    "q.firms_applying_recp.firm": ["demo-f01", "demo-f02"],
    "q.symbiosis_links": "demo-f01, demo-f02 | input_output_exchange | steam to dryer | HĐ-7",
}


@pytest.mark.parametrize(
    ("role", "expected"),
    [("admin", 200), ("manager", 200), ("other_manager", 403), ("tenant", 403), ("investor", 403), ("public", 403), (None, 303)],
)
@pytest.mark.parametrize("page", [URL, "/parks/demo/reports", "/parks/demo/reports/registry.xlsx"])
def test_pages_rights(site: tuple[TestClient, Path], demo_site: DemoSite, page: str, role: str | None, expected: int) -> None:
    client, _ = site
    status = client.get(page, headers=_as(demo_site, role), follow_redirects=False).status_code
    # the download answers 401 (not a redirect) to the anonymous, as the report download does
    assert status == (401 if expected == 303 and page.endswith(".xlsx") else expected)


@pytest.mark.parametrize("page", ["questionnaire", "reports", "reports/forms/a5"])
def test_hidden_or_missing_parks_are_404(site: tuple[TestClient, Path], demo_site: DemoSite, page: str) -> None:
    client, _ = site
    assert client.get(f"/parks/private-park/{page}", headers=_as(demo_site, "manager")).status_code == 404
    assert client.get(f"/parks/nowhere/{page}", headers=_as(demo_site, "admin")).status_code == 404


def test_blank_questionnaire_has_one_labelled_input_per_question(site: tuple[TestClient, Path], demo_site: DemoSite) -> None:
    from ecozone.assessment.rulebook import load_rulebook

    client, _ = site
    html = client.get(f"{URL}?rulebook={RULEBOOK}", headers=_as(demo_site, "manager")).text
    book = load_rulebook(RULEBOOK)
    for question in book.questions:
        assert f'id="q-{question.id}"' in html
        assert question.prompt.en in unescape(html)
    assert 'name="q.dossier_sets" type="number"' in html
    assert 'name="q.dossier_received" type="date"' in html
    assert 'name="q.power_supply.file" type="file"' in html
    assert 'name="q.is_new_eip" value="yes"' in html
    assert 'name="q.firms_applying_recp.firm" value="demo-f01"' in html
    assert translate("web.forms.questionnaire.none_stored", "en") in html
    assert client.get(f"{URL}?rulebook=nope", headers=_as(demo_site, "manager")).status_code == 404


def test_posts_are_refused_to_others(site: tuple[TestClient, Path], demo_site: DemoSite) -> None:
    client, path = site
    assert client.post(URL, data=VALID, headers=_as(demo_site, "tenant")).status_code == 403
    assert client.post(URL, data=VALID, headers=_as(demo_site, "public")).status_code == 403
    assert client.post("/parks/private-park/questionnaire", data=VALID, headers=_as(demo_site, "manager")).status_code == 404
    assert client.post(URL, data=VALID).status_code == 401
    assert (
        client.post("/parks/demo/reports", data={"run_id": "1", "format": "pdf"}, headers=_as(demo_site, "tenant")).status_code
        == 403
    )
    assert _latest(path) is None


def test_wrong_type_shows_the_error_in_the_page_language_and_stores_nothing(tmp_path: Path, demo_site: DemoSite) -> None:
    workspace = demo_site.copy_to(tmp_path / "ws")
    with make_client(workspace) as client:
        data = VALID | {"q.dossier_sets": "ba bộ"}
        files = {"q.power_supply.file": ("decision.pdf", EVIDENCE, "application/pdf")}
        for lang in ("en", "vi"):
            response = client.post(URL, data=data, files=files, headers=_as(demo_site, "manager", lang))
            assert response.status_code == 422
            expected = translate("assessment.answers.wrong_type", lang, expected="integer ≥ 0", value="ba bộ")
            block = re.search(
                r'<ul class="error-message field-errors" id="err-q-dossier_sets" role="alert">(.*?)</ul>', response.text, re.S
            )
            assert block is not None and expected in block.group(1).replace("&#39;", "'")
            assert 'value="ba bộ" aria-describedby="q-dossier_sets-hint err-q-dossier_sets" aria-invalid="true"' in response.text
        assert _latest(workspace.path) is None
        assert not (workspace.path / "evidence").exists()
    dispose_engine(workspace.database_url)


def test_valid_save_round_trips(site: tuple[TestClient, Path], demo_site: DemoSite) -> None:
    from ecozone.assessment.answers import EvidenceAnswer, SymbiosisLink, parse_answers
    from ecozone.assessment.rulebook import load_rulebook

    client, path = site
    files = {"q.power_supply.file": ("Quyết định số 1.pdf", EVIDENCE, "application/pdf")}
    response = client.post(URL, data=VALID, files=files, headers=_as(demo_site, "manager"))
    assert response.status_code == 200, response.text
    assert translate("web.forms.questionnaire.saved", "en", rulebook=RULEBOOK, files=1) in response.text
    stored_file = "evidence/demo/power_supply-Quy_t_nh_s_1.pdf"
    assert (path / stored_file).read_bytes() == EVIDENCE
    stored = _latest(path)
    assert stored is not None
    assert stored.answered_by == "Nguyễn Văn An" and str(stored.answered_on) == "2024-05-01"
    answers = parse_answers(stored.content, load_rulebook(RULEBOOK))
    assert answers.get("power_supply") == EvidenceAnswer(True, f"QĐ-123/2023; {stored_file}", date(2023, 1, 2))
    assert answers.get("water_supply") == EvidenceAnswer(False)
    assert answers.get("is_new_eip") is True
    assert answers.get("dossier_sets") == 3
    assert str(answers.get("dossier_received")) == "2024-02-03"
    assert answers.get("firms_applying_recp") == ("demo-f01", "demo-f02")
    assert answers.get("symbiosis_links") == (
        SymbiosisLink(("demo-f01", "demo-f02"), "input_output_exchange", "steam to dryer", "HĐ-7"),
    )
    assert answers.get("fire_protection") is None
    page = client.get(URL, headers=_as(demo_site, "manager")).text
    assert f'value="QĐ-123/2023; {stored_file}"' in page
    assert re.search(r'name="q.power_supply.present" value="yes" checked', page)
    assert re.search(r'name="q.water_supply.present" value="no" checked', page)
    assert 'name="q.dossier_sets" type="number" min="0" step="1" inputmode="numeric" value="3"' in page
    assert 'value="2024-02-03"' in page
    assert 'value="demo-f01" checked' in page and 'value="demo-f03" checked' not in page
    assert "demo-f01, demo-f02 | input_output_exchange | steam to dryer | HĐ-7" in page
    assert (
        translate("web.forms.questionnaire.stored", "en", by="Nguyễn Văn An", on="2024-05-01", file="web-questionnaire.yaml")
        in page
    )
    assert yaml.safe_load(stored.content)["park"] == "demo"


def test_downloads_have_the_right_bytes_types_and_names(site: tuple[TestClient, Path], demo_site: DemoSite) -> None:
    from openpyxl import load_workbook

    from ecozone.store.registry_store import load_park

    client, path = site
    manager = _as(demo_site, "manager")
    workbook_response = client.get("/parks/demo/reports/registry.xlsx", headers=manager)
    assert workbook_response.status_code == 200 and workbook_response.content.startswith(b"PK")
    assert workbook_response.headers["content-type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    assert re.search(
        r'attachment; filename="registry-demo-\d{4}-\d{2}-\d{2}\.xlsx"', workbook_response.headers["content-disposition"]
    )
    workbook = load_workbook(io.BytesIO(workbook_response.content), read_only=True)
    park = load_park(embedded_workspace(path), "demo")
    assert workbook.sheetnames[:4] == ["park", "firm", "meter", "certification"]
    assert len(list(workbook["firm"].iter_rows(values_only=True))) == len(park.firms) + 1
    assert len(list(workbook["meter"].iter_rows(values_only=True))) == len(park.meters) + 1
    for form in ("a5", "b5", "a4"):
        response = client.get(f"/parks/demo/reports/forms/{form}?year=2024", headers=manager)
        assert response.status_code == 200, response.text
        assert response.content.startswith(b"PK")
        assert response.headers["content-type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        assert f'filename="form-{form}-demo-2024.docx"' in response.headers["content-disposition"]
    assert client.get("/parks/demo/reports/forms/z9?year=2024", headers=manager).status_code == 422
    assert client.get("/parks/demo/reports/forms/a5?year=1900", headers=manager).status_code == 422


def test_assessment_reports_in_three_formats(site: tuple[TestClient, Path], demo_site: DemoSite) -> None:
    client, _ = site
    manager = _as(demo_site, "manager")
    page = client.get("/parks/demo/reports", headers=manager).text
    assert 'id="no-runs"' in page
    ran = client.post(
        "/parks/demo/assessment", data={"action": "run", "rulebook": RULEBOOK}, headers=manager, follow_redirects=False
    )
    assert ran.status_code == 303
    run_id = ran.headers["location"].rsplit("=", 1)[1]
    magic = {"pdf": (b"%PDF", "application/pdf"), "docx": (b"PK", "application/vnd.openxmlformats"), "html": (b"<!", "text/html")}
    for fmt, (start, media) in magic.items():
        response = client.post("/parks/demo/reports", data={"run_id": run_id, "format": fmt}, headers=manager)
        assert response.status_code == 200, response.text
        link = re.search(r'href="(/reports/[0-9a-f]+/download)"', response.text)
        assert link is not None
        download = client.get(link.group(1), headers=manager)
        assert download.status_code == 200 and download.content.lstrip()[:4].upper().startswith(start.upper())
        assert download.headers["content-type"].startswith(media)
        assert f"assessment-demo-{RULEBOOK}-{run_id}.{fmt}" in download.headers["content-disposition"]
    bad = client.post("/parks/demo/reports", data={"run_id": run_id, "format": "odt"}, headers=manager)
    assert bad.status_code == 422 and 'id="reports-error"' in bad.text
    # another park's manager cannot reach this park's run through their own park's page
    other = client.post(
        "/parks/private-park/reports", data={"run_id": run_id, "format": "pdf"}, headers=_as(demo_site, "other_manager")
    )
    assert other.status_code == 403


def test_catalogue_is_bilingual() -> None:
    from importlib import resources

    data = yaml.safe_load((resources.files("ecozone.i18n") / "messages_web_forms.yaml").read_text(encoding="utf-8"))
    assert data and all(set(entry) == {"vi", "en"} and entry["vi"] and entry["en"] for entry in data.values())


def test_session_saves_need_the_csrf_token(tmp_path: Path, demo_site: DemoSite) -> None:
    from tests.api.test_auth import sign_in

    workspace = demo_site.copy_to(tmp_path / "ws")
    with make_client(workspace) as client:
        assert sign_in(client, "manager") == 303
        page = client.get(URL)
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        assert page.status_code == 200 and csrf is not None
        assert client.post(URL, data=VALID | {"csrf_token": "forged"}).status_code == 403
        assert client.get("/parks/demo/reports/forms/a5?year=2024").status_code == 200  # a download is a safe GET
        assert _latest(workspace.path) is None
        saved = client.post(URL, data=VALID | {"csrf_token": csrf.group(1)})
        assert saved.status_code == 200 and 'id="questionnaire-message"' in saved.text
        assert _latest(workspace.path) is not None
    dispose_engine(workspace.database_url)


def test_entered_kpis_accept_a_decimal_comma_and_report_text(tmp_path: Path, demo_site: DemoSite) -> None:
    from ecozone.assessment.answers import parse_answers
    from ecozone.assessment.rulebook import load_rulebook
    from ecozone.store.assessment_store import latest_answers

    book = "eip-framework-v2"
    workspace = demo_site.copy_to(tmp_path / "ws")
    manager = _as(demo_site, "manager")
    base = {"rulebook": book, "answered_by": "An", "answered_on": "2024-05-01"}
    with make_client(workspace) as client:
        page = client.get(f"{URL}?rulebook={book}", headers=manager).text
        assert 'name="k.renewable_energy_share_pct.value" type="number"' in page
        bad = client.post(URL, data=base | {"k.renewable_energy_share_pct.value": "mười"}, headers=manager)
        assert bad.status_code == 422 and 'id="err-k-renewable_energy_share_pct"' in bad.text
        assert latest_answers(workspace, "demo", book) is None
        data = base | {"k.renewable_energy_share_pct.value": "12,5", "k.renewable_energy_share_pct.reference": "EVN bill 2023"}
        assert client.post(URL, data=data, headers=manager).status_code == 200
        stored = latest_answers(workspace, "demo", book)
        assert stored is not None
        measurement = parse_answers(stored.content, load_rulebook(book)).kpis["renewable_energy_share_pct"]
        assert measurement.value == 12.5 and measurement.unit == "%"
        assert 'value="12.5"' in client.get(f"{URL}?rulebook={book}", headers=manager).text
    dispose_engine(workspace.database_url)
