"""The green project pipeline, as lenders see it: filtered and ranked projects with derived finance figures.

Investors and administrators see every project of the published parks; a park's managers see
their park's projects. Others signed in get 403.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query

from ecozone.api.errors import PermissionDeniedError, error_responses
from ecozone.api.roles import Principal
from ecozone.api.routers.kpis import finite
from ecozone.api.routers.parameters import Context, SignedIn

router = APIRouter(tags=["projects"])


def visible_project_parks(principal: Principal, parks: frozenset[str], published: frozenset[str]) -> frozenset[str]:
    """Parks whose projects the caller may see (empty: none)."""
    if principal.is_admin:
        return parks
    visible = set(principal.managed_parks & parks)
    if principal.has_role("investor"):
        visible |= published
    return frozenset(visible)


@router.get(
    "/projects",
    responses=error_responses(401, 403, 422),
    summary="The green project pipeline (investors, administrators; park managers for their park)",
    description="Projects with capex, savings, IRR, payback and abatement per billion VND, filtered and sorted for lenders.",
)
def list_projects(
    context: Context,
    principal: SignedIn,
    park_id: Annotated[str | None, Query(max_length=64, description="Only this park's projects.")] = None,
    category: Annotated[list[str] | None, Query(description="Only these taxonomy groups.")] = None,
    status: Annotated[list[str] | None, Query(description="Only these statuses.")] = None,
    min_irr_pct: Annotated[float | None, Query(ge=-100, le=1000, description="Smallest IRR kept [%/yr].")] = None,
    sort_by: Annotated[Literal["abatement", "irr", "capex", "payback"], Query(description="Ranking.")] = "abatement",
) -> list[dict[str, Any]]:
    """Return the projects the caller may see."""
    from ecozone.projects.pipeline import lender_view, project_row
    from ecozone.store.siting_store import load_projects

    state = context.registry.state()
    parks = visible_project_parks(principal, state.facts.parks, state.facts.published)
    if not parks:
        raise PermissionDeniedError("engines.denied.projects")
    projects = [p for p in load_projects(context.workspace) if p.park_id in parks]
    chosen = lender_view(
        projects, categories=category or (), statuses=status or (), park_id=park_id, min_irr_pct=min_irr_pct, sort_by=sort_by
    )
    rows: list[dict[str, Any]] = finite([project_row(p) for p in chosen])
    return rows
