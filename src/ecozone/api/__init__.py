"""REST API of ecozone (FastAPI): accounts and roles, one router per domain, background jobs.

``create_app(workspace)`` builds the application (API under ``/api/v1`` and the web
dashboard); ``ecozone serve`` runs it. Importing this package does not import FastAPI, so
that the store can use :mod:`ecozone.api.security` without it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fastapi import FastAPI

    from ecozone.api.context import ApiSettings
    from ecozone.store.workspace import Workspace


def create_app(workspace: Workspace, settings: ApiSettings | None = None, *, migrate_store: bool = True) -> FastAPI:
    """Build the ASGI application serving ``workspace`` (see :func:`ecozone.api.app.create_app`)."""
    from ecozone.api.app import create_app as build

    return build(workspace, settings, migrate_store=migrate_store)
