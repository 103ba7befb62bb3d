"""Shared fixtures: workspaces on SQLite and on a real PostgreSQL server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from ecozone.store.database import dispose_engine, migrate
from ecozone.store.workspace import Workspace, resolve_workspace

pytest_plugins = ["tests.postgres_server"]


@pytest.fixture(autouse=True)
def _english(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests read English messages unless they choose Vietnamese."""
    monkeypatch.setenv("ECOZONE_LANG", "en")
    monkeypatch.delenv("ECOZONE_WORKSPACE", raising=False)
    monkeypatch.delenv("ECOZONE_DB", raising=False)


@pytest.fixture
def sqlite_workspace(tmp_path: Path) -> Iterator[Workspace]:
    """A migrated workspace with the embedded SQLite registry."""
    workspace = resolve_workspace(tmp_path / "ws")
    migrate(workspace)
    yield workspace
    dispose_engine(workspace.database_url)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def workspace(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Workspace]:
    """A migrated workspace on SQLite, then on a fresh PostgreSQL database."""
    url = request.getfixturevalue("fresh_postgresql_url") if request.param == "postgresql" else None
    workspace = resolve_workspace(tmp_path / "ws", url)
    migrate(workspace)
    yield workspace
    dispose_engine(workspace.database_url)
