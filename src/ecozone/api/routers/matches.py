"""Investor matching: rank the published parks for an investor's profile, with explanations and map points.

Investors and administrators match; only published parks and, of each, only the fields it
publishes are used (an unpublished field counts as unknown). Others signed in get 403.
"""

from __future__ import annotations

from typing import Annotated, Any, cast

from fastapi import APIRouter, Body, Query, Request
from pydantic import ConfigDict, JsonValue, RootModel

from ecozone.api.errors import PermissionDeniedError, error_responses
from ecozone.api.language import request_language
from ecozone.api.roles import Principal
from ecozone.api.routers.kpis import finite
from ecozone.api.routers.parameters import Context, SignedIn

router = APIRouter(tags=["matches"])

INVESTOR_EXAMPLE = {
    "name": "Electronics assembler (illustrative)",
    "sector_vsic": "26",
    "land_ha": 20,
    "power_mw": 15,
    "max_km_to_seaport": 100,
    "weights": {"land_available_ha": 15, "power_capacity_mw": 15, "distance_seaport_km": 15},
}


def may_match(principal: Principal) -> bool:
    """Whether the caller may run investor matches (investors and administrators)."""
    return principal.is_admin or principal.has_role("investor")


class InvestorProfileBody(RootModel[dict[str, Any]]):
    """An investor profile as a JSON object (validated by :func:`ecozone.siting.investor.investor_from_mapping`)."""

    model_config = ConfigDict(json_schema_extra={"examples": [cast("JsonValue", INVESTOR_EXAMPLE)]})


def match_parks_document(context: Any, principal: Principal, profile: dict[str, Any], lang: str, top: int) -> dict[str, Any]:
    """Rank the parks visible to the caller for ``profile``; add each ranked park's map point (published coordinates)."""
    from ecozone.siting.investor import investor_from_mapping
    from ecozone.siting.matching import match_document, match_parks
    from ecozone.store.siting_store import park_profiles

    if not may_match(principal):
        raise PermissionDeniedError("engines.denied.match")
    investor = investor_from_mapping(profile, "api")
    state = context.registry.state()
    parks = sorted(state.facts.parks if principal.is_admin else state.facts.published)
    profiles = park_profiles(context.workspace, parks) if parks else []
    result = match_parks(investor, profiles)
    document = match_document(result, lang)
    document["ranked"] = document["ranked"][:top]
    points = {}
    for item in profiles:
        values = {field.name: field.value for field in item.fields}
        if values.get("latitude") is not None and values.get("longitude") is not None:
            points[item.park_id] = {"latitude": values["latitude"], "longitude": values["longitude"]}
    document["map_points"] = points
    document["parks_considered"] = len(profiles)
    doc: dict[str, Any] = finite(document)
    return doc


@router.post(
    "/matches",
    responses=error_responses(401, 403, 422),
    summary="Rank the published parks for an investor profile (investors and administrators)",
    description=(
        "The body is an investor profile as `ecozone match --investor` reads it (land, power, water, workforce, "
        "distances, required certifications, weights). The answer ranks the parks (TOPSIS), explains each rank, lists "
        "excluded parks with the failed constraints, and gives published coordinates for a map."
    ),
)
def run_match(
    request: Request,
    context: Context,
    principal: SignedIn,
    profile: Annotated[InvestorProfileBody, Body(examples=[INVESTOR_EXAMPLE], description="The investor profile.")],
    top: Annotated[int, Query(ge=1, le=100, description="Ranked parks returned.")] = 10,
) -> dict[str, Any]:
    """Return the ranked parks."""
    return match_parks_document(context, principal, profile.root, request_language(request), top)
