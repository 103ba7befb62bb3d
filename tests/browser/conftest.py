"""A live server on a free loopback port and Debian's Chromium driven by Playwright.

No browser is downloaded: Playwright launches ``/usr/bin/chromium`` (``apt-get install
chromium``). Every request the page makes to anything but the test server is aborted and
recorded, so a page that needs the internet (a CDN) fails its test.
"""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from ecozone.api import create_app
from ecozone.store.database import dispose_engine
from tests.api.conftest import _fast_password_hashing, demo_site  # noqa: F401  (fixtures shared with the API tests)

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@dataclass
class LiveServer:
    """The running test server."""

    url: str
    server: uvicorn.Server
    thread: threading.Thread


@pytest.fixture(scope="module")
def live_server(demo_site: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:  # noqa: F811
    """The application on a copy of the demo workspace, served by uvicorn on 127.0.0.1:<free port>."""
    workspace = demo_site.copy_to(tmp_path_factory.mktemp("browser") / "ws")
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


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's Chromium, headless."""
    if not CHROMIUM.exists() or shutil.which(str(CHROMIUM)) is None:
        pytest.skip("Debian's Chromium is missing: apt-get install -y chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@dataclass
class PageWatch:
    """What a page did besides talking to the test server."""

    blocked: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)


@pytest.fixture
def page(browser: Any, live_server: LiveServer) -> Iterator[tuple[Any, PageWatch]]:
    """A fresh browser context (no cookies) whose requests may only reach the test server."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    watch = PageWatch()

    def only_loopback(route: Any) -> None:
        if route.request.url.startswith(live_server.url):
            route.continue_()
        else:
            watch.blocked.append(route.request.url)
            route.abort()

    context.route("**/*", only_loopback)
    tab = context.new_page()
    tab.on("console", lambda message: watch.console_errors.append(message.text) if message.type == "error" else None)
    yield tab, watch
    context.close()


def screenshot(tab: Any, name: str) -> Path:
    """Save a full-page screenshot under ``test-artifacts/`` and return its path."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    tab.screenshot(path=str(path), full_page=True)
    return path
