"""The dashboard's pages rendered on the server: access, languages, formats, upload report."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from importlib import resources

import pytest
from fastapi.testclient import TestClient
from markupsafe import escape as markupsafe_escape

from ecozone.i18n import catalogue, translate
from ecozone.web.rendering import format_date, local_path
from tests.api.conftest import DemoSite
from tests.api.test_auth import sign_in

TEMPLATE_KEY = re.compile(r"""\bt\(\s*["']([a-z0-9_.%]+)["']""")


def _templates() -> dict[str, str]:
    folder = resources.files("ecozone.web").joinpath("templates")
    return {path.name: path.read_text(encoding="utf-8") for path in folder.iterdir() if path.name.endswith(".html")}


def test_every_template_string_is_in_both_languages() -> None:
    keys = {key for text in _templates().values() for key in TEMPLATE_KEY.findall(text)}
    assert len(keys) > 60
    missing = [key for key in sorted(keys) if not key.endswith(".") and set(catalogue().get(key, {})) < {"vi", "en"}]
    assert missing == []


def test_templates_have_no_hard_coded_words() -> None:
    """Text between tags is a template expression, a symbol or a unit, never a bare word."""
    allowed = {"ecozone", "ha", "MW", "m²", "m³/", "–", "›", "·", "(", ")", "/", "%"}
    for name, text in _templates().items():
        stripped = re.sub(r"{[{%#].*?[}%#]}", " ", text, flags=re.S)
        stripped = re.sub(r"<[^>]+>", " ", stripped)
        words = {word for word in re.split(r"\s+", stripped) if word}
        assert words <= allowed, (name, words - allowed)


def test_vietnamese_by_default_english_by_choice(shared_client: TestClient) -> None:
    shared_client.cookies.clear()
    page = shared_client.get("/")
    assert '<html lang="vi">' in page.text
    assert f"<h1>{markupsafe_escape(translate('web.national.title', 'vi'))}</h1>" in page.text
    switched = shared_client.get("/lang/en?next=/", follow_redirects=True)
    assert '<html lang="en">' in switched.text
    assert f"<h1>{markupsafe_escape(translate('web.national.title', 'en'))}</h1>" in switched.text
    shared_client.cookies.clear()


def test_numbers_and_dates_in_vietnamese(shared_client: TestClient) -> None:
    shared_client.cookies.clear()
    html = shared_client.get("/parks/demo").text
    park = shared_client.get("/api/v1/parks/demo").json()
    assert "total_area_ha" in park, park
    vi_area = f"{park['total_area_ha']:,.1f}".replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    assert f"{vi_area} ha" in html
    english = shared_client.get("/parks/demo?lang=en").text
    assert f"{park['total_area_ha']:,.1f} ha" in english
    assert format_date(date(2026, 11, 29), "vi") == "29/11/2026"
    assert format_date(date(2026, 11, 29), "en") == "2026-11-29"
    moment = datetime(2026, 11, 29, 17, 30, tzinfo=UTC)
    assert format_date(moment, "vi") == "30/11/2026 00:30"  # Asia/Ho_Chi_Minh is UTC+7


def test_park_page_shows_only_what_exists(shared_client: TestClient) -> None:
    html = shared_client.get("/parks/hiep-phuoc?lang=en").text
    assert translate("web.park.facts", "en") in html
    assert "firm-list" not in html  # the public sees no tenant list
    body = html.split("<body>")[1]
    assert re.search(r"\b(None|nan|NaN|null)\b", body) is None


def test_firm_pages_follow_the_api_rules(client: TestClient) -> None:
    assert sign_in(client, "tenant") == 303
    own = client.get("/firms/demo-f01")
    assert own.status_code == 200 and "meter-list" in own.text
    other = client.get("/firms/demo-f02")
    hidden = client.get("/firms/private-f1")
    missing = client.get("/firms/no-such-firm")
    assert other.status_code == hidden.status_code == missing.status_code == 404
    assert "demo-f02" not in other.text.replace("/firms/demo-f02", "") or "Công ty" not in other.text


def test_upload_page_requires_sign_in(shared_client: TestClient) -> None:
    shared_client.cookies.clear()
    response = shared_client.get("/upload", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/login?next=/upload"


def test_upload_form_shows_the_bad_row(client: TestClient, demo_site: DemoSite) -> None:
    assert sign_in(client, "manager") == 303
    page = client.get("/upload?lang=en")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert csrf is not None
    content = b"id,park_id,name,vsic_code\ndemo-f80,demo,Good,25\ndemo-f81,demo,Bad,ABC\n"
    response = client.post(
        "/upload?lang=en",
        data={"csrf_token": csrf.group(1), "entity": "firms"},
        files={"file": ("firms.csv", content, "text/csv")},
    )
    assert response.status_code == 422
    rows = re.findall(r'<tr class="problem-row" data-row="(\d+)">', response.text)
    assert rows == ["3"]
    assert translate("problem.vsic", "en") in response.text
    forged = client.post("/upload", data={"csrf_token": "x", "entity": "firms"}, files={"file": ("f.csv", content, "text/csv")})
    assert forged.status_code == 403


def test_local_paths_only() -> None:
    assert local_path("/parks/demo?lang=en") == "/parks/demo?lang=en"
    for target in ("http://x", "//x", "x", "", None, "/\\x"):
        assert local_path(target) == "/"


@pytest.mark.parametrize("path", ["/static/vendor/echarts/echarts.min.js", "/static/js/charts.js", "/static/css/app.css"])
def test_static_assets_are_served_locally(shared_client: TestClient, path: str) -> None:
    response = shared_client.get(path)
    assert response.status_code == 200
    assert "public" in response.headers["cache-control"]


def test_no_external_urls_in_pages(shared_client: TestClient) -> None:
    html = shared_client.get("/").text
    for url in re.findall(r'(?:src|href)="([^"]+)"', html):
        assert url.startswith(("/", "#")), url


def test_session_lifetime_default() -> None:
    from ecozone.api.context import ApiSettings

    assert ApiSettings().session_lifetime == timedelta(hours=12)
