"""The application factory: the JSON API under ``/api/v1`` and the web dashboard.

``create_app(workspace)`` returns a FastAPI application serving one workspace's store;
``ecozone serve`` runs it with uvicorn (several worker processes build it with
:func:`app_from_environment`). Engines add their routers to :data:`ROUTERS`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import APIRouter, Depends, FastAPI

from ecozone.api import rollup  # noqa: F401  (registers the national_rollup job)
from ecozone.api.auth import csrf_protected
from ecozone.api.context import ApiSettings, AppContext
from ecozone.api.errors import install_error_handlers
from ecozone.api.headers import SecurityHeadersMiddleware
from ecozone.api.routers import (
    account,
    assessments,
    baselines,
    certifications,
    firms,
    ghg,
    jobs,
    kpis,
    matches,
    meters,
    national,
    parks,
    plans,
    projects,
    readings,
    reports,
    symbiosis,
    uploads,
)
from ecozone.store.workspace import Workspace, resolve_workspace

API_PREFIX = "/api/v1"

ROUTERS: list[APIRouter] = [
    account.router,
    parks.router,
    firms.router,
    meters.router,
    certifications.router,
    uploads.router,
    national.router,
    jobs.router,
    readings.router,
    kpis.router,
    ghg.router,
    assessments.router,
    reports.router,
    matches.router,
    projects.router,
    symbiosis.router,
    plans.router,
    baselines.router,
]
"""Routers mounted under :data:`API_PREFIX`, one per domain."""

DESCRIPTION = """
The REST API of **ecozone**: the registry of Viet Nam's industrial parks, their tenant firms,
meters and certificates, the national statistics, and background jobs.

**Authentication.** Scripts send `Authorization: Bearer <token>` (tokens from
`ecozone users token` or `POST /api/v1/auth/token`); the web dashboard uses a session cookie,
and its writes carry the `X-CSRF-Token` header. Without credentials a caller is *public*.

**Roles** are scoped to objects: *admin* (everything), *park_manager* (their park and its
firms), *firm_user* (their firm's data and their park's profile), *investor* and *public*
(published park profiles and national statistics). A caller who may see an object but not
act on it gets 403; one who must not learn that it exists gets 404, as for a missing object.

**Errors** all have one shape: `{"error": {"status", "code", "message", "details"}}`; messages
follow `Accept-Language` (`vi` or `en`). Writes are validated exactly as file imports, all or
nothing, with every problem listed row by row in `details`.
"""

TAGS = [
    {"name": "account", "description": "The caller's identity and API tokens."},
    {"name": "parks", "description": "Industrial parks: registry facts, overview, publication."},
    {"name": "firms", "description": "Tenant firms."},
    {"name": "meters", "description": "Meters of firms and of shared infrastructure."},
    {"name": "certifications", "description": "Certificates of parks and firms."},
    {"name": "uploads", "description": "Registry tables uploaded as CSV/XLSX files."},
    {"name": "national", "description": "National statistics and aggregates by province."},
    {"name": "jobs", "description": "Long work in the background, with progress and results."},
    {"name": "readings", "description": "Meter readings: upload files, query a meter's readings."},
    {"name": "kpis", "description": "Yearly KPIs of parks and firms from their readings."},
    {"name": "ghg", "description": "GHG inventories of parks and firms."},
    {"name": "assessments", "description": "Rulebooks, questionnaire answers and assessment runs."},
    {"name": "reports", "description": "Assessment reports (HTML, PDF, DOCX) generated in the background."},
    {"name": "matches", "description": "Investor matching over published park profiles."},
    {"name": "projects", "description": "The green project pipeline (lender view)."},
    {"name": "symbiosis", "description": "Industrial symbiosis: stream catalogue, explained matches, optimised network."},
    {"name": "plans", "description": "Decarbonisation plans: rooftop PV, abatement cost curve (MACC), pathway to 2050."},
    {"name": "baselines", "description": "Energy baselines of meters (M&V) and the savings they verify."},
    {"name": "system", "description": "Service health."},
]


def create_app(workspace: Workspace, settings: ApiSettings | None = None, *, migrate_store: bool = True) -> FastAPI:
    """Build the application serving ``workspace``.

    Parameters
    ----------
    workspace : Workspace
        The store (SQLite file or PostgreSQL) holding the registry and accounts.
    settings : ApiSettings, optional
        Session lifetime, sign-in throttling, upload limit, job threads.
    migrate_store : bool
        Bring the schema up to date first (``ecozone serve`` does it once before starting workers).
    """
    from ecozone import __version__

    if migrate_store:
        from ecozone.store.database import migrate

        migrate(workspace)
    context = AppContext(workspace, settings or ApiSettings())

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        context.jobs.shutdown()

    app = FastAPI(
        title="ecozone API",
        version=__version__,
        description=DESCRIPTION,
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=None,
        redoc_url=None,
        openapi_tags=TAGS,
        lifespan=lifespan,
    )
    app.state.context = context
    install_error_handlers(app)
    api = APIRouter(prefix=API_PREFIX, dependencies=[Depends(csrf_protected)])
    for router in ROUTERS:
        api.include_router(router)

    @api.get("/health", tags=["system"], summary="Service health", description='Answers `{"status": "ok"}` while serving.')
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    app.include_router(api)
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    from ecozone.web import install_dashboard

    install_dashboard(app)
    app.add_middleware(SecurityHeadersMiddleware)
    return app


def _openapi(app: FastAPI) -> dict[str, Any]:
    """The OpenAPI document, its 422 responses described by the one error shape the API really sends."""
    if app.openapi_schema is not None:
        return app.openapi_schema
    from fastapi.openapi.utils import get_openapi

    from ecozone.api.errors import ErrorResponse

    document = get_openapi(
        title=app.title, version=app.version, description=app.description, routes=app.routes, tags=app.openapi_tags
    )
    reference = {"$ref": "#/components/schemas/ErrorResponse"}
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault("ErrorResponse", ErrorResponse.model_json_schema(ref_template="#/components/schemas/{model}"))
    schemas.setdefault("ErrorDetail", schemas["ErrorResponse"].pop("$defs", {}).get("ErrorDetail", {}))
    for item in document.get("paths", {}).values():
        for operation in item.values():
            response = operation.get("responses", {}).get("422")
            if response is not None:
                response["content"] = {"application/json": {"schema": reference}}
                response["description"] = "The input is invalid; `details` lists each problem."
    for name in ("HTTPValidationError", "ValidationError"):
        schemas.pop(name, None)
    app.openapi_schema = document
    return document


def app_from_environment() -> FastAPI:
    """Build the application for ``ECOZONE_WORKSPACE`` / ``ECOZONE_DB`` (uvicorn worker processes)."""
    return create_app(resolve_workspace(), migrate_store=False)
