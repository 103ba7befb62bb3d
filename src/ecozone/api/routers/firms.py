"""Firms: a park's tenants, each firm's record, meters and certificates; create and update."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from ecozone.api import schemas
from ecozone.api.access import enforce, find_firm, find_park, firm_certifications, record_model
from ecozone.api.errors import ConflictError, error_responses
from ecozone.api.roles import firm_read, park_details_read, sees_firm
from ecozone.api.routers.parameters import Caller, Context, FirmId, ParkId, SignedIn
from ecozone.api.writes import current_row, write_record

router = APIRouter(tags=["firms"])


@router.get(
    "/firms",
    response_model=list[schemas.Firm],
    summary="List the firms the caller may see",
    description="Admins: every firm; park managers: their parks' firms; firm users: their own firms; others: none.",
)
def list_firms(context: Context, principal: Caller) -> list[BaseModel]:
    """Return the firms visible to the caller."""
    state = context.registry.state()
    return [
        record_model(schemas.Firm, firm)
        for item in state.snapshot.parks
        for firm in item.firms
        if sees_firm(principal, firm.id, state.facts)
    ]


@router.get(
    "/parks/{park_id}/firms",
    response_model=list[schemas.Firm],
    responses=error_responses(401, 403, 404),
    summary="List a park's tenant firms (its managers and administrators)",
)
def park_firms(park_id: ParkId, context: Context, principal: Caller) -> list[BaseModel]:
    """Return the park's firms."""
    state = context.registry.state()
    enforce(park_details_read(principal, park_id, state.facts), principal, "park", park_id)
    return [record_model(schemas.Firm, firm) for firm in find_park(state.snapshot, park_id).firms]


@router.get(
    "/firms/{firm_id}",
    response_model=schemas.Firm,
    responses=error_responses(404),
    summary="Read a firm's record",
    description="For the firm's users, its park's managers and admins; 404 for everyone else, as for a firm that does not exist.",
)
def get_firm(firm_id: FirmId, context: Context, principal: Caller) -> BaseModel:
    """Return one firm."""
    state = context.registry.state()
    enforce(firm_read(principal, firm_id, state.facts), principal, "firm", firm_id)
    return record_model(schemas.Firm, find_firm(state.snapshot, firm_id))


@router.get(
    "/firms/{firm_id}/meters",
    response_model=list[schemas.Meter],
    responses=error_responses(404),
    summary="List a firm's meters",
)
def firm_meters(firm_id: FirmId, context: Context, principal: Caller) -> list[BaseModel]:
    """Return the firm's meters."""
    state = context.registry.state()
    enforce(firm_read(principal, firm_id, state.facts), principal, "firm", firm_id)
    item = find_park(state.snapshot, state.facts.firm_parks[firm_id])
    return [record_model(schemas.Meter, meter) for meter in item.meters if meter.firm_id == firm_id]


@router.get(
    "/firms/{firm_id}/certifications",
    response_model=list[schemas.Certification],
    responses=error_responses(404),
    summary="List a firm's certificates",
)
def firm_certificates(firm_id: FirmId, context: Context, principal: Caller) -> list[BaseModel]:
    """Return the firm's certificates."""
    state = context.registry.state()
    enforce(firm_read(principal, firm_id, state.facts), principal, "firm", firm_id)
    item = find_park(state.snapshot, state.facts.firm_parks[firm_id])
    return [record_model(schemas.Certification, c) for c in firm_certifications(item, firm_id)]


@router.post(
    "/firms",
    status_code=201,
    response_model=schemas.Firm,
    responses=error_responses(401, 403, 409, 422),
    summary="Register a firm in a park (the park's managers and administrators)",
    description="Validated exactly as a row of `ecozone import firms`; on any problem nothing is written (422).",
)
def create_firm(body: schemas.FirmCreate, context: Context, principal: SignedIn) -> BaseModel:
    """Create a firm."""
    record = body.model_dump(exclude_none=True)
    state = context.registry.state()
    if sees_firm(principal, record["id"], state.facts):
        raise ConflictError("api.conflict.firm", id=record["id"])
    write_record(context.workspace, principal, "firm", record, state.facts)
    return _fresh_firm(context, record["id"])


def _fresh_firm(context: Context, firm_id: str) -> BaseModel:
    context.registry.invalidate()
    return record_model(schemas.Firm, find_firm(context.registry.state().snapshot, firm_id))


@router.patch(
    "/firms/{firm_id}",
    response_model=schemas.Firm,
    responses=error_responses(401, 403, 404, 422),
    summary="Change a firm's record (its park's managers, its own users without moving it, admins)",
)
def update_firm(firm_id: FirmId, body: schemas.FirmPatch, context: Context, principal: SignedIn) -> BaseModel:
    """Update a firm."""
    state = context.registry.state()
    enforce(firm_read(principal, firm_id, state.facts), principal, "firm", firm_id)
    row = current_row(context.workspace, "firm", state.facts.firm_parks[firm_id], {"id": firm_id})
    row.update(body.model_dump(exclude_unset=True))
    write_record(context.workspace, principal, "firm", row, state.facts)
    return _fresh_firm(context, firm_id)
