"""Options shared by every command: workspace, database URL and language."""

from __future__ import annotations

import os
from dataclasses import dataclass

import typer

from ecozone.errors import ConfigurationError
from ecozone.i18n import current_language, translate
from ecozone.store.database import is_initialised, migrate
from ecozone.store.workspace import Workspace, resolve_workspace


@dataclass
class CliState:
    """What the global options chose."""

    workspace_path: str | None = None
    database_url: str | None = None
    lang: str = "en"

    def workspace(self) -> Workspace:
        """Return the chosen workspace (not created)."""
        return resolve_workspace(self.workspace_path, self.database_url)

    def open_workspace(self) -> Workspace:
        """Return the chosen workspace, failing clearly when it was never initialised."""
        workspace = self.workspace()
        if not is_initialised(workspace):
            raise ConfigurationError("store.no_workspace", path=str(workspace.path))
        migrate(workspace)
        return workspace

    def t(self, key: str, **params: object) -> str:
        """Translate ``key`` into the chosen language."""
        return translate(key, self.lang, **params)


def state(ctx: typer.Context) -> CliState:
    """Return the state stored by the root callback (a default one if absent)."""
    root = ctx.find_root()
    if not isinstance(root.obj, CliState):
        root.obj = CliState(lang=current_language())
    return root.obj


def set_language(lang: str | None) -> str:
    """Fix the language for this process (also for errors raised deep inside)."""
    chosen = (lang or current_language()).lower()[:2]
    os.environ["ECOZONE_LANG"] = chosen
    return chosen
