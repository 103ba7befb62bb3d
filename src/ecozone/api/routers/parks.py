"""Parks: list, read, overview, create (admins), update and publish (the park's managers)."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

from fastapi import APIRouter, Response
from pydantic import BaseModel, Field

from ecozone.api import schemas
from ecozone.api.access import enforce, find_park, json_bytes, json_response, park_model, record_model
from ecozone.api.errors import ConflictError, PermissionDeniedError, error_responses
from ecozone.api.registry_cache import RegistryState
from ecozone.api.roles import Access, Principal, park_details_read, park_read, park_write, sees_park
from ecozone.api.routers.parameters import Caller, Context, ParkId, SignedIn
from ecozone.api.writes import current_row, write_record
from ecozone.store import accounts_store
from ecozone.store.snapshot import ParkSnapshot

router = APIRouter(tags=["parks"])


class FirmBrief(BaseModel):
    """A tenant firm in a park's overview."""

    id: str = Field(description="Firm identifier.")
    name: str = Field(description="Registered name.")
    vsic_code: str = Field(description="Main activity (VSIC 2018).")
    employees: int | None = Field(default=None, description="Number of employees [persons].")
    meters: int = Field(description="Number of meters of the firm.")
    valid_certifications: int = Field(description="Certificates valid today.")


class ParkOverview(BaseModel):
    """What the dashboard shows of a park: registry facts, occupancy, tenants and certificates."""

    park: schemas.Park
    firms: int = Field(description="Number of tenant firms.")
    employees: int | None = Field(description="Employees of the firms that report it [persons]; null when none does.")
    meters: int = Field(description="Number of meters (firms' and shared infrastructure).")
    meters_by_carrier: dict[str, int] = Field(description="Meters per carrier.")
    valid_certifications_by_scheme: dict[str, int] = Field(
        description="Certificates valid today, per scheme, held by the park or its firms."
    )
    park_certifications: list[schemas.Certification] = Field(description="Certificates held by the park itself.")
    firm_list: list[FirmBrief] | None = Field(
        description="The firms, for the park's managers and administrators; null for other callers."
    )
    may_edit: bool = Field(description="Whether the caller may change this park's data.")

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "park": schemas.EXAMPLES["park"] | {"published": True, "occupancy_pct": 80.0},
                    "firms": 60,
                    "employees": 15000,
                    "meters": 294,
                    "meters_by_carrier": {"electricity": 70, "water": 60},
                    "valid_certifications_by_scheme": {"iso_14001": 10},
                    "park_certifications": [],
                    "firm_list": None,
                    "may_edit": False,
                }
            ]
        }
    }


def _visible_parks(state: RegistryState, principal: Principal) -> list[ParkSnapshot]:
    return [item for item in state.snapshot.parks if sees_park(principal, item.park.id, state.facts)]


@router.get(
    "/parks",
    response_model=list[schemas.Park],
    summary="List the parks the caller may see",
    description="Published parks for everyone; unpublished ones only for their managers, their firms' users and admins.",
)
def list_parks(context: Context, principal: Caller) -> list[BaseModel]:
    """Return the parks visible to the caller, by id."""
    state = context.registry.state()
    return [park_model(item.park, item.park.id in state.facts.published) for item in _visible_parks(state, principal)]


@router.get(
    "/parks/{park_id}",
    response_model=schemas.Park,
    responses=error_responses(404),
    summary="Read a park's registry facts",
)
def get_park(park_id: ParkId, context: Context, principal: Caller) -> BaseModel:
    """Return one park (404 when it does not exist or the caller may not see it)."""
    state = context.registry.state()
    enforce(park_read(principal, park_id, state.facts), principal, "park", park_id)
    return park_model(find_park(state.snapshot, park_id).park, park_id in state.facts.published)


def overview(item: ParkSnapshot, state: RegistryState, principal: Principal, today: date | None = None) -> dict[str, Any]:
    """Build a park's overview for ``principal`` (firm list only for those who may see it)."""
    day = today or date.today()
    park_id = item.park.id
    valid = [c for c in item.certifications if c.is_valid_on(day)]
    details = park_details_read(principal, park_id, state.facts) is Access.ALLOWED
    firm_list = None
    if details:
        meters = Counter(meter.firm_id for meter in item.meters if meter.firm_id)
        certified = Counter(c.holder_id for c in valid if c.holder_kind == "firm")
        firm_list = [
            FirmBrief(
                id=f.id,
                name=f.name,
                vsic_code=f.vsic_code,
                employees=f.employees,
                meters=meters[f.id],
                valid_certifications=certified[f.id],
            )
            for f in item.firms
        ]
    employees = [firm.employees for firm in item.firms if firm.employees is not None]
    return {
        "park": park_model(item.park, park_id in state.facts.published),
        "firms": len(item.firms),
        "employees": sum(employees) if employees else None,
        "meters": len(item.meters),
        "meters_by_carrier": dict(sorted(Counter(meter.carrier for meter in item.meters).items())),
        "valid_certifications_by_scheme": dict(sorted(Counter(c.scheme for c in valid).items())),
        "park_certifications": [record_model(schemas.Certification, c) for c in item.certifications if c.holder_kind == "park"],
        "firm_list": firm_list,
        "may_edit": details,
    }


@router.get(
    "/parks/{park_id}/overview",
    response_model=ParkOverview,
    responses=error_responses(404),
    summary="A park's overview: facts, occupancy, tenants, meters and certificates",
)
def park_overview(park_id: ParkId, context: Context, principal: Caller) -> Response:
    """Return the overview the dashboard's park page shows."""
    state = context.registry.state()
    enforce(park_read(principal, park_id, state.facts), principal, "park", park_id)
    details = park_details_read(principal, park_id, state.facts) is Access.ALLOWED
    content = context.memo(
        ("park_overview", state.version, park_id, details, date.today()),
        lambda: json_bytes(ParkOverview.model_validate(overview(find_park(state.snapshot, park_id), state, principal))),
    )
    return json_response(content)


@router.post(
    "/parks",
    status_code=201,
    response_model=schemas.Park,
    responses=error_responses(401, 403, 409, 422),
    summary="Create a park (administrators)",
    description="Validated exactly as a row of `ecozone import parks`; on any problem nothing is written (422).",
)
def create_park(body: schemas.ParkCreate, context: Context, principal: SignedIn) -> BaseModel:
    """Create a park."""
    if not principal.is_admin:
        raise PermissionDeniedError("api.denied.create_park")
    record = body.model_dump(exclude_none=True)
    state = context.registry.state()
    if record["id"] in state.facts.parks:
        raise ConflictError("api.conflict.park", id=record["id"])
    write_record(context.workspace, principal, "park", record, state.facts)
    return _fresh_park(context, record["id"])


def _fresh_park(context: Context, park_id: str) -> BaseModel:
    context.registry.invalidate()
    state = context.registry.state()
    return park_model(find_park(state.snapshot, park_id).park, park_id in state.facts.published)


@router.patch(
    "/parks/{park_id}",
    response_model=schemas.Park,
    responses=error_responses(401, 403, 404, 422),
    summary="Change a park's registry facts (its managers and administrators)",
    description="Only the fields sent change; the whole record is then validated as an import row.",
)
def update_park(park_id: ParkId, body: schemas.ParkPatch, context: Context, principal: SignedIn) -> BaseModel:
    """Update a park."""
    state = context.registry.state()
    enforce(park_write(principal, park_id, state.facts), principal, "park", park_id)
    row = current_row(context.workspace, "park", park_id, {"id": park_id})
    row.update(body.model_dump(exclude_unset=True))
    write_record(context.workspace, principal, "park", row, state.facts)
    return _fresh_park(context, park_id)


@router.put(
    "/parks/{park_id}/publication",
    status_code=204,
    responses=error_responses(401, 403, 404),
    summary="Publish a park's profile (its managers and administrators)",
    description="A published profile is visible to investors and the public.",
)
def publish(park_id: ParkId, context: Context, principal: SignedIn) -> Response:
    """Publish the park's profile (idempotent)."""
    state = context.registry.state()
    enforce(park_write(principal, park_id, state.facts), principal, "park", park_id)
    accounts_store.publish_park(context.workspace, park_id, principal.username)
    context.registry.invalidate()
    return Response(status_code=204)


@router.delete(
    "/parks/{park_id}/publication",
    status_code=204,
    responses=error_responses(401, 403, 404),
    summary="Withdraw a park's profile from publication",
)
def unpublish(park_id: ParkId, context: Context, principal: SignedIn) -> Response:
    """Withdraw the park's profile (idempotent)."""
    state = context.registry.state()
    enforce(park_write(principal, park_id, state.facts), principal, "park", park_id)
    accounts_store.unpublish_park(context.workspace, park_id)
    context.registry.invalidate()
    return Response(status_code=204)
