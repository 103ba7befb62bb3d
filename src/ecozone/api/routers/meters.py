"""Meters: a park's meters, one meter; create and update (readings come with the meters engine)."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from ecozone.api import schemas
from ecozone.api.access import enforce, find_meter, find_park, record_model
from ecozone.api.errors import ConflictError, error_responses
from ecozone.api.roles import Access, meter_read, park_details_read
from ecozone.api.routers.parameters import Caller, Context, MeterId, ParkId, SignedIn
from ecozone.api.writes import current_row, write_record

router = APIRouter(tags=["meters"])


@router.get(
    "/parks/{park_id}/meters",
    response_model=list[schemas.Meter],
    responses=error_responses(401, 403, 404),
    summary="List every meter of a park (its managers and administrators)",
)
def park_meters(park_id: ParkId, context: Context, principal: Caller) -> list[BaseModel]:
    """Return the park's meters: its firms' and its shared infrastructure's."""
    state = context.registry.state()
    enforce(park_details_read(principal, park_id, state.facts), principal, "park", park_id)
    return [record_model(schemas.Meter, meter) for meter in find_park(state.snapshot, park_id).meters]


@router.get(
    "/meters/{meter_id}",
    response_model=schemas.Meter,
    responses=error_responses(404),
    summary="Read a meter",
    description="A firm's meter: as its firm; a shared-infrastructure meter: its park's managers and admins.",
)
def get_meter(meter_id: MeterId, context: Context, principal: Caller) -> BaseModel:
    """Return one meter."""
    state = context.registry.state()
    enforce(meter_read(principal, meter_id, state.facts), principal, "meter", meter_id)
    return record_model(schemas.Meter, find_meter(state.snapshot, meter_id))


@router.post(
    "/meters",
    status_code=201,
    response_model=schemas.Meter,
    responses=error_responses(401, 403, 409, 422),
    summary="Register a meter (its park's managers, its firm's users, administrators)",
    description="Validated exactly as a row of `ecozone import meters`; on any problem nothing is written (422).",
)
def create_meter(body: schemas.MeterCreate, context: Context, principal: SignedIn) -> BaseModel:
    """Create a meter."""
    record = body.model_dump(exclude_none=True)
    state = context.registry.state()
    if meter_read(principal, record["id"], state.facts) is Access.ALLOWED:
        raise ConflictError("api.conflict.meter", id=record["id"])
    write_record(context.workspace, principal, "meter", record, state.facts)
    return _fresh_meter(context, record["id"])


def _fresh_meter(context: Context, meter_id: str) -> BaseModel:
    context.registry.invalidate()
    return record_model(schemas.Meter, find_meter(context.registry.state().snapshot, meter_id))


@router.patch(
    "/meters/{meter_id}",
    response_model=schemas.Meter,
    responses=error_responses(401, 403, 404, 422),
    summary="Change a meter",
)
def update_meter(meter_id: MeterId, body: schemas.MeterPatch, context: Context, principal: SignedIn) -> BaseModel:
    """Update a meter."""
    state = context.registry.state()
    enforce(meter_read(principal, meter_id, state.facts), principal, "meter", meter_id)
    park_id = state.facts.meter_owners[meter_id][0]
    row = current_row(context.workspace, "meter", park_id, {"id": meter_id})
    row.update(body.model_dump(exclude_unset=True))
    write_record(context.workspace, principal, "meter", row, state.facts)
    return _fresh_meter(context, meter_id)
