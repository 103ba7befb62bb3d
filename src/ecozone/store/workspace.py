"""The workspace: a folder holding the embedded database and (later) the readings.

Every command works on ``./ecozone-data`` unless ``--workspace PATH`` or
``ECOZONE_WORKSPACE`` names another; ``--db URL`` or ``ECOZONE_DB`` keeps the registry in
another database (PostgreSQL) while files stay in the workspace.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DEFAULT_WORKSPACE = "ecozone-data"
REGISTRY_FILE = "registry.sqlite"


@dataclass(frozen=True)
class Workspace:
    """Where a deployment keeps its data.

    Attributes
    ----------
    path : Path
        The workspace folder.
    database_url : str
        SQLAlchemy URL of the registry database.
    """

    path: Path
    database_url: str

    @property
    def readings_path(self) -> Path:
        """Folder of the readings' Parquet dataset."""
        return self.path / "readings"

    @property
    def is_embedded(self) -> bool:
        """Whether the registry is the workspace's own SQLite file."""
        return self.database_url.startswith("sqlite")


def resolve_workspace(path: str | Path | None = None, database_url: str | None = None) -> Workspace:
    """Return the workspace chosen by arguments, then environment, then defaults.

    Parameters
    ----------
    path : str or Path, optional
        Workspace folder; else ``ECOZONE_WORKSPACE``; else ``./ecozone-data``.
    database_url : str, optional
        Registry database URL; else ``ECOZONE_DB``; else the workspace's SQLite file.
    """
    folder = Path(path or os.environ.get("ECOZONE_WORKSPACE") or DEFAULT_WORKSPACE).expanduser().resolve()
    url = database_url or os.environ.get("ECOZONE_DB") or f"sqlite:///{folder / REGISTRY_FILE}"
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return Workspace(folder, url)
