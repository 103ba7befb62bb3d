"""Certifications: a park's own certificates, and recording a certificate (insert or update)."""

from __future__ import annotations

from fastapi import APIRouter, Response
from pydantic import BaseModel

from ecozone.api import schemas
from ecozone.api.access import enforce, find_park, record_model
from ecozone.api.errors import error_responses
from ecozone.api.roles import park_read
from ecozone.api.routers.parameters import Caller, Context, ParkId, SignedIn
from ecozone.api.writes import write_record
from ecozone.registry.schema import resolve_code
from ecozone.registry.validation import parse_date

router = APIRouter(tags=["certifications"])


@router.get(
    "/parks/{park_id}/certifications",
    response_model=list[schemas.Certification],
    responses=error_responses(404),
    summary="List the certificates a park itself holds",
    description="Part of the park's profile. Firms' certificates are listed per firm.",
)
def park_certificates(park_id: ParkId, context: Context, principal: Caller) -> list[BaseModel]:
    """Return the park's own certificates."""
    state = context.registry.state()
    enforce(park_read(principal, park_id, state.facts), principal, "park", park_id)
    item = find_park(state.snapshot, park_id)
    return [record_model(schemas.Certification, c) for c in item.certifications if c.holder_kind == "park"]


@router.put(
    "/certifications",
    response_model=schemas.Certification,
    responses={201: {"model": schemas.Certification, "description": "Recorded."}, **error_responses(401, 403, 422)},
    summary="Record a certificate (insert, or update by holder, scheme and start date)",
    description=(
        "Park certificates: the park's managers; firm certificates: the firm's users and its park's managers; admins: all. "
        "Validated exactly as a row of `ecozone import certifications`. 201 when new, 200 when it updated a certificate."
    ),
)
def record_certificate(body: schemas.CertificationCreate, context: Context, principal: SignedIn, response: Response) -> BaseModel:
    """Insert or update a certificate."""
    record = body.model_dump(exclude_none=True)
    state = context.registry.state()
    summary = write_record(context.workspace, principal, "certification", record, state.facts)
    response.status_code = 201 if summary.inserted else 200
    context.registry.invalidate()
    snapshot = context.registry.state().snapshot
    key = (
        resolve_code("holder_kind", str(record["holder_kind"])),
        str(record["holder_id"]).strip(),
        resolve_code("certification_scheme", str(record["scheme"])),
        parse_date(record["valid_from"]),
    )
    for item in snapshot.parks:
        for certificate in item.certifications:
            if (certificate.holder_kind, certificate.holder_id, certificate.scheme, certificate.valid_from) == key:
                return record_model(schemas.Certification, certificate)
    raise AssertionError("recorded certificate not found")  # pragma: no cover - the import just wrote it
