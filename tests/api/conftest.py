"""A demo-like workspace with one account per role, built once and copied for each test that writes."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from ecozone.api import create_app
from ecozone.api.context import ApiSettings
from ecozone.cli.demo import build_registry
from ecozone.registry.files import RawTable
from ecozone.store import accounts_store
from ecozone.store.accounts_store import Grant
from ecozone.store.database import dispose_engine
from ecozone.store.registry_store import import_table, load_registry
from ecozone.store.workspace import Workspace, resolve_workspace

PASSWORD = "correct horse battery"
PRIVATE_PARK = {
    "id": "private-park",
    "name_vi": "KCN Riêng (thử nghiệm)",
    "province": "Bình Dương",
    "park_type": "general",
    "status": "planned",
    "industrial_land_ha": 100,
    "leased_land_ha": 10,
}
PRIVATE_FIRM = {"id": "private-f1", "park_id": "private-park", "name": "Công ty Riêng", "vsic_code": "25"}
PRIVATE_METER = {
    "id": "private-f1-electricity",
    "park_id": "private-park",
    "owner_kind": "firm",
    "firm_id": "private-f1",
    "carrier": "electricity",
    "unit": "kWh",
    "reading_kind": "interval",
}

ROLE_ACCOUNTS = {
    "admin": Grant("admin"),
    "manager": Grant("park_manager", "demo"),
    "other_manager": Grant("park_manager", "private-park"),
    "tenant": Grant("firm_user", "demo-f01"),
    "other_tenant": Grant("firm_user", "demo-f02"),
    "investor": Grant("investor"),
    "public": Grant("public"),
}
"""Test accounts (username → grant); every one has the password :data:`PASSWORD`."""


@dataclass(frozen=True)
class DemoSite:
    """The pristine demo workspace folder and the API tokens of its accounts."""

    path: Path
    tokens: dict[str, str]

    def copy_to(self, folder: Path) -> Workspace:
        """Copy the workspace into ``folder`` and return it."""
        shutil.copytree(self.path, folder)
        return embedded_workspace(folder)


def embedded_workspace(folder: Path) -> Workspace:
    """The workspace of ``folder`` with its own SQLite file (whatever ECOZONE_DB says)."""
    return resolve_workspace(folder, f"sqlite:///{folder.resolve() / 'registry.sqlite'}")


def _build_site(folder: Path) -> DemoSite:
    workspace = embedded_workspace(folder)
    build_registry(workspace, 20240101)
    for entity, record in (("park", PRIVATE_PARK), ("firm", PRIVATE_FIRM), ("meter", PRIVATE_METER)):
        import_table(workspace, entity, RawTable.from_records(f"test-{entity}", [record]))
    for item in load_registry(workspace).parks:
        if item.park.id != "private-park":
            accounts_store.publish_park(workspace, item.park.id, "test")
    tokens = {}
    for username, grant in ROLE_ACCOUNTS.items():
        accounts_store.create_user(workspace, username, PASSWORD, language="en", grants=[grant])
        tokens[username], _ = accounts_store.issue_token(workspace, username, "tests")
    dispose_engine(workspace.database_url)
    return DemoSite(folder, tokens)


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hashing() -> Iterator[None]:
    """Argon2id with light parameters in tests (the production defaults cost ~0.1 s a hash)."""
    from argon2 import PasswordHasher

    from ecozone.api import security

    original = security._hasher
    light = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    security._hasher = lambda: light  # type: ignore[assignment]
    yield
    security._hasher = original


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> DemoSite:
    """The demo registry, a private (unpublished) park, and one account per role."""
    return _build_site(tmp_path_factory.mktemp("api-site") / "ws")


@pytest.fixture
def demo_workspace(demo_site: DemoSite, tmp_path: Path) -> Iterator[Workspace]:
    """A fresh copy of the demo workspace (for tests that write)."""
    workspace = demo_site.copy_to(tmp_path / "ws")
    yield workspace
    dispose_engine(workspace.database_url)


def make_client(workspace: Workspace, settings: ApiSettings | None = None) -> TestClient:
    """A test client of the application serving ``workspace``."""
    return TestClient(create_app(workspace, settings, migrate_store=False), base_url="http://testserver")


@pytest.fixture
def client(demo_workspace: Workspace) -> Iterator[TestClient]:
    """A client of a fresh copy of the demo workspace."""
    with make_client(demo_workspace) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def shared_client(demo_site: DemoSite, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """A client shared by a module's tests (they may only make idempotent or disjoint writes)."""
    workspace = demo_site.copy_to(tmp_path_factory.mktemp("api-shared") / "ws")
    with make_client(workspace) as test_client:
        yield test_client
    dispose_engine(workspace.database_url)


def auth(demo_site: DemoSite, username: str | None) -> dict[str, str]:
    """Headers of a request made as ``username`` (None: anonymous)."""
    return {"Authorization": f"Bearer {demo_site.tokens[username]}"} if username else {}
