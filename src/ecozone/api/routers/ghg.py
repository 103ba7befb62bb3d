"""GHG inventories (scopes 1, 2 and 3, Decree 06/2022 obligation) of a park or a firm from its readings.

A park's inventory lists every firm and the park roll-up for its managers and administrators;
a user of one of its firms sees the roll-up and their own firm's row only.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from ecozone.api.access import enforce, find_park
from ecozone.api.context import AppContext
from ecozone.api.errors import error_responses
from ecozone.api.roles import Principal, firm_read, manages_park
from ecozone.api.routers.kpis import Year, finite, firm_park, park_aggregates_read
from ecozone.api.routers.parameters import Caller, Context, FirmId, ParkId
from ecozone.store.snapshot import ParkSnapshot

router = APIRouter(tags=["ghg"])

Gwp = Annotated[Literal["AR5", "AR6"], Query(description="IPCC global warming potentials.")]


class GhgEntity(BaseModel):
    """One row of an inventory: a firm (`entity`), the park's own meters, or the park roll-up (`rollup`)."""

    entity_id: str = Field(description="Firm or park identifier.", examples=["demo-f01"])
    entity_kind: str = Field(description="`entity` (a firm or the park's infrastructure) or `rollup`.")
    scope1_t: float | None = Field(description="Scope 1 [tCO2e].")
    scope2_location_t: float | None = Field(description="Scope 2, location-based [tCO2e].")
    scope2_market_t: float | None = Field(description="Scope 2, market-based [tCO2e].")
    scope3_t: float | None = Field(description="Scope 3 categories assessed [tCO2e].")
    total_t: float | None = Field(description="Total [tCO2e].")
    energy_gj: float | None = Field(description="Energy use [GJ].")
    estimate_grid_factor: bool = Field(description="Whether the grid factor of the year is an estimate.")
    unverified_factors: bool = Field(description="Whether any factor used is unverified.")
    not_assessed: list[str] = Field(description="Scope 3 categories not assessed.")
    decree06_obligation: bool | None = Field(description="Whether Decree 06/2022 inventory obligation applies.")


class GhgInventory(BaseModel):
    """A yearly GHG inventory."""

    park_id: str = Field(description="Park identifier.", examples=["demo"])
    firm_id: str | None = Field(description="Firm identifier for a firm's inventory.")
    year: int = Field(description="Calendar year.", examples=[2024])
    gwp: str = Field(description="GWP set.", examples=["AR5"])
    synthetic: bool = Field(description="Whether the park is synthetic demo data.")
    entities: list[GhgEntity]
    by_scope: dict[str, float | None] = Field(
        description="The roll-up (park) or the firm's row by scope [tCO2e]: scope1, scope2_location, scope2_market, scope3."
    )
    waste_without_fate: list[str] = Field(description="Waste meters left out for want of a fate.")


def _entity(row: dict[str, Any]) -> GhgEntity:
    row = finite(row)
    return GhgEntity.model_validate(
        row
        | {"not_assessed": [c for c in str(row.get("not_assessed") or "").split(";") if c]}
        | {"decree06_obligation": None if row.get("decree06_obligation") is None else bool(row["decree06_obligation"])}
    )


def inventory(
    context: AppContext, park: ParkSnapshot, firm_id: str | None, year: int, gwp: str, principal: Principal
) -> GhgInventory:
    """The inventory of ``park`` (or of ``firm_id``) as ``principal`` may see it."""
    from ecozone.cli.meters import Scope, ghg_result

    result, without_fate = ghg_result(context.workspace, Scope(park, firm_id), year, gwp=gwp)
    rows: list[dict[str, Any]] = result.summary.to_dict("records")
    park_id = park.park.id
    if firm_id is not None:
        rows = [r for r in rows if r["entity_id"] == firm_id]
    elif not manages_park(principal, park_id):
        rows = [r for r in rows if r["entity_kind"] == "rollup" or r["entity_id"] in principal.own_firms]
    entities = [_entity(r) for r in rows]
    headline = next((e for e in entities if e.entity_kind == "rollup"), None) if firm_id is None else None
    headline = headline or next((e for e in entities if e.entity_id == (firm_id or park_id)), None)
    by_scope = {
        "scope1": headline.scope1_t if headline else None,
        "scope2_location": headline.scope2_location_t if headline else None,
        "scope2_market": headline.scope2_market_t if headline else None,
        "scope3": headline.scope3_t if headline else None,
    }
    own_meters = {m.id for m in park.meters if manages_park(principal, park_id) or m.firm_id in principal.own_firms}
    return GhgInventory(
        park_id=park_id,
        firm_id=firm_id,
        year=year,
        gwp=gwp,
        synthetic=park.park.is_synthetic,
        entities=entities,
        by_scope=by_scope,
        waste_without_fate=[m for m in without_fate if m in own_meters],
    )


@router.get(
    "/parks/{park_id}/ghg",
    response_model=GhgInventory,
    responses=error_responses(401, 403, 404, 422),
    summary="A park's GHG inventory (its managers and administrators: every firm; its firms' users: the roll-up)",
    description="Scopes 1, 2 (location and market) and 3 for one year from the stored readings; unverified factors are flagged.",
)
def park_ghg(park_id: ParkId, year: Year, context: Context, principal: Caller, gwp: Gwp = "AR5") -> GhgInventory:
    """Return the park's inventory."""
    state = context.registry.state()
    enforce(park_aggregates_read(principal, park_id, state.facts), principal, "park", park_id)
    return inventory(context, find_park(state.snapshot, park_id), None, year, gwp, principal)


@router.get(
    "/firms/{firm_id}/ghg",
    response_model=GhgInventory,
    responses=error_responses(404, 422),
    summary="A firm's GHG inventory (the firm's users, its park's managers, administrators)",
)
def firm_ghg(firm_id: FirmId, year: Year, context: Context, principal: Caller, gwp: Gwp = "AR5") -> GhgInventory:
    """Return the firm's inventory."""
    state = context.registry.state()
    enforce(firm_read(principal, firm_id, state.facts), principal, "firm", firm_id)
    return inventory(context, firm_park(state, firm_id), firm_id, year, gwp, principal)
