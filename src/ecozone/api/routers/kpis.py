"""Yearly KPIs of a park or a firm, computed from the readings store.

A park's KPIs are its aggregates: its managers, administrators and the users of its own
firms read them (others who may see the park get 403, the rest 404). A firm's KPIs: whoever
may read the firm (:func:`ecozone.api.roles.firm_read`).
"""

from __future__ import annotations

import math
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response

from ecozone.api.access import enforce, find_park, json_bytes, json_response
from ecozone.api.context import AppContext
from ecozone.api.errors import error_responses
from ecozone.api.registry_cache import RegistryState
from ecozone.api.roles import Access, Principal, decide, firm_read, manages_park, sees_park
from ecozone.api.routers.parameters import Caller, Context, FirmId, ParkId
from ecozone.store.snapshot import ParkSnapshot

router = APIRouter(tags=["kpis"])

Year = Annotated[int, Query(ge=1990, le=2100, description="Calendar year (local time).", examples=[2024])]

KPI_EXAMPLE = {
    "park_id": "demo",
    "firm_id": None,
    "year": 2024,
    "synthetic": True,
    "energy_by_carrier": [{"carrier": "electricity", "unit": "kWh", "quantity": 2016.0, "energy_kwh": 2016.0}],
    "electricity_monthly": [],
    "renewable": [],
    "water": [],
    "waste": [],
    "intensity": [],
    "electricity_cost": None,
}


def park_aggregates_read(principal: Principal, park_id: str, facts: Any) -> Access:
    """Reading a park's measured aggregates (KPIs, GHG, assessments): its managers, admins and its own firms' users."""
    permitted = park_id in facts.parks and (manages_park(principal, park_id) or park_id in facts.home_parks(principal))
    return decide(sees_park(principal, park_id, facts), permitted)


def firm_park(state: RegistryState, firm_id: str) -> ParkSnapshot:
    """The snapshot of the park a firm belongs to (after an access check)."""
    return find_park(state.snapshot, state.facts.firm_parks[firm_id])


def finite(value: Any) -> Any:
    """``value`` with every NaN or infinite number (at any depth) replaced by None (JSON has none)."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {key: finite(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [finite(item) for item in value]
    return value


def kpis_of(context: AppContext, park: ParkSnapshot, firm_id: str | None, year: int) -> dict[str, Any]:
    """The KPI document of a park (``firm_id`` None) or one of its firms for ``year``."""
    from ecozone.cli.meters import Scope, kpi_document

    document: dict[str, Any] = finite(kpi_document(context.workspace, Scope(park, firm_id), year))
    return document


@router.get(
    "/parks/{park_id}/kpis",
    responses={**error_responses(401, 403, 404, 422), 200: {"content": {"application/json": {"example": KPI_EXAMPLE}}}},
    summary="A park's yearly KPIs (its managers, its firms' users, administrators)",
    description=(
        "Energy by carrier, monthly electricity demand, renewable share, water balance, waste by fate, energy "
        "intensity and EVN electricity cost, aggregated over the park's meters for one calendar year. 404 "
        "(`kpi.no_readings`) when no readings of that year are stored."
    ),
)
def park_kpis(park_id: ParkId, year: Year, context: Context, principal: Caller) -> Response:
    """Return the park's KPIs."""
    state = context.registry.state()
    enforce(park_aggregates_read(principal, park_id, state.facts), principal, "park", park_id)
    return json_response(json_bytes(kpis_of(context, find_park(state.snapshot, park_id), None, year)))


@router.get(
    "/firms/{firm_id}/kpis",
    responses={
        **error_responses(404, 422),
        200: {"content": {"application/json": {"example": KPI_EXAMPLE | {"firm_id": "demo-f01"}}}},
    },
    summary="A firm's yearly KPIs (the firm's users, its park's managers, administrators)",
    description="The same indicators as the park's, over the firm's own meters.",
)
def firm_kpis(firm_id: FirmId, year: Year, context: Context, principal: Caller) -> Response:
    """Return the firm's KPIs."""
    state = context.registry.state()
    enforce(firm_read(principal, firm_id, state.facts), principal, "firm", firm_id)
    return json_response(json_bytes(kpis_of(context, firm_park(state, firm_id), firm_id, year)))
