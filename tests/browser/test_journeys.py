"""Main journeys in a real browser (Debian's Chromium): sign-in, upload, access, language, map."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ecozone.i18n import translate
from tests.api.conftest import PASSWORD
from tests.browser.conftest import LiveServer, PageWatch, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.slow]

Page = tuple[Any, PageWatch]


def sign_in(tab: Any, server: LiveServer, username: str, next_path: str = "/") -> None:
    """Choose Vietnamese, then fill and send the sign-in form with the keyboard, as a person would."""
    tab.goto(f"{server.url}/lang/vi?next=/login")
    tab.goto(f"{server.url}/login?next={next_path}")
    tab.get_by_label(translate("web.login.username", "vi")).fill(username)
    tab.get_by_label(translate("web.login.password", "vi")).fill(PASSWORD)
    tab.keyboard.press("Enter")
    tab.wait_for_load_state("networkidle")


def test_manager_uploads_a_file_with_one_bad_row(page: Page, live_server: LiveServer, tmp_path: Path) -> None:
    tab, watch = page
    sign_in(tab, live_server, "manager", "/parks/demo")
    assert tab.url.endswith("/parks/demo")
    assert tab.locator("#firm-list tbody tr").count() == 60
    screenshot(tab, "park-overview-manager")
    tab.get_by_role("link", name=translate("web.park.upload", "vi")).click()
    csv = tmp_path / "doanh-nghiep.csv"
    csv.write_text(
        "ma_dn,ma_kcn,ten_dn,ma_nganh_vsic,so_lao_dong\n"
        "demo-f90,demo,Công ty Mới 90,2511,120\n"
        "demo-f91,demo,Công ty Mới 91,ABC,80\n",
        encoding="utf-8",
    )
    tab.get_by_label(translate("web.upload.entity", "vi")).select_option("firms")
    tab.get_by_label(translate("web.upload.file", "vi"), exact=True).set_input_files(str(csv))
    tab.get_by_role("button", name=translate("web.upload.submit", "vi")).click()
    tab.wait_for_load_state("networkidle")
    rows = tab.locator("#problems tbody tr")
    assert rows.count() == 1
    cells = rows.first.locator("td").all_inner_texts()
    assert cells[:3] == ["3", "ma_nganh_vsic", "ABC"]
    assert cells[3] == translate("problem.vsic", "vi")
    assert tab.get_by_role("alert").inner_text() == translate("import.failed", "vi", count=1, file="doanh-nghiep.csv")
    screenshot(tab, "upload-report-bad-row")
    # nothing was written: the good row is not there either
    tab.goto(f"{live_server.url}/firms/demo-f90")
    assert tab.locator("h1").inner_text() == translate("web.error.title", "vi", status=404)
    assert watch.blocked == []


def test_firm_user_cannot_open_another_firm(page: Page, live_server: LiveServer) -> None:
    tab, watch = page
    sign_in(tab, live_server, "tenant", "/firms/demo-f01")
    assert tab.locator("h1").inner_text().startswith("Công ty")
    assert tab.locator("#meter-list tbody tr").count() >= 1
    screenshot(tab, "firm-page-own")
    response = tab.goto(f"{live_server.url}/firms/demo-f02")
    assert response is not None and response.status == 404
    assert tab.locator("h1").inner_text() == translate("web.error.title", "vi", status=404)
    assert "demo-f02" in tab.locator(".error-message").inner_text()
    screenshot(tab, "firm-page-other-denied")
    assert watch.blocked == []


def _visible_strings(tab: Any) -> list[str]:
    selector = "h1, h2, nav a, th[scope=col], caption, summary, .card dt, footer p, #language-switch"
    texts: list[str] = tab.locator(selector).all_inner_texts()
    return [text.strip() for text in texts if text.strip()]


def test_language_switch_changes_the_visible_strings(page: Page, live_server: LiveServer) -> None:
    tab, watch = page
    tab.goto(f"{live_server.url}/")
    assert tab.locator("html").get_attribute("lang") == "vi"
    vietnamese = _visible_strings(tab)
    assert translate("web.national.title", "vi") in vietnamese
    screenshot(tab, "national-overview-vi")
    tab.locator("#language-switch").click()
    tab.wait_for_load_state("networkidle")
    assert tab.locator("html").get_attribute("lang") == "en"
    english = _visible_strings(tab)
    assert translate("web.national.title", "en") in english
    assert len(english) == len(vietnamese)
    same = [(vi, en) for vi, en in zip(vietnamese, english, strict=True) if vi == en]
    # only language-neutral strings may stay: symbols and the official province names in a table's row headers
    assert all(not any(c.isalpha() for c in vi) or vi in {"ha"} for vi, _ in same), same
    screenshot(tab, "national-overview-en")
    tab.locator("#language-switch").click()
    tab.wait_for_load_state("networkidle")
    assert tab.locator("html").get_attribute("lang") == "vi"
    assert watch.blocked == []


def test_map_and_series_draw_offline(page: Page, live_server: LiveServer) -> None:
    tab, watch = page
    tab.goto(f"{live_server.url}/")
    tab.wait_for_selector("#province-map svg path", state="attached", timeout=20_000)
    tab.wait_for_selector("#national-series svg path", state="attached", timeout=20_000)
    assert tab.locator("#province-map svg path").count() >= 34
    assert watch.blocked == []
    assert [error for error in watch.console_errors if "Content Security Policy" in error] == []
    assert watch.console_errors == []
    screenshot(tab, "national-overview-map")


def test_pages_fit_a_phone(browser: Any, live_server: LiveServer) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    try:
        tab = context.new_page()
        for path, name in (("/", "phone-national"), ("/parks/demo", "phone-park"), ("/login", "phone-login")):
            tab.goto(f"{live_server.url}{path}")
            tab.wait_for_load_state("networkidle")
            overflow = tab.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 1, (path, overflow)
            screenshot(tab, name)
    finally:
        context.close()


def test_keyboard_reaches_the_main_content(page: Page, live_server: LiveServer) -> None:
    tab, _ = page
    tab.goto(f"{live_server.url}/parks/demo")
    tab.keyboard.press("Tab")
    focused = tab.evaluate("document.activeElement.className + '|' + document.activeElement.textContent")
    assert focused.startswith("skip-link|")
    tab.keyboard.press("Enter")
    assert tab.evaluate("document.activeElement.id") == "main"
