"""Turning access decisions into responses, and registry records into response models."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from fastapi import Response
from pydantic import BaseModel

from ecozone.api import schemas
from ecozone.api.errors import AuthenticationRequiredError, PermissionDeniedError
from ecozone.api.roles import Access, Principal
from ecozone.errors import NotFoundError
from ecozone.store.snapshot import CertificationRecord, FirmRecord, MeterRecord, ParkRecord, ParkSnapshot, RegistrySnapshot

HIDDEN_KEYS = {
    "park": "registry.park_not_found",
    "firm": "api.firm_not_found",
    "meter": "api.meter_not_found",
    "job": "api.job.not_found",
}
"""Message of the 404 answered both for a missing object and for one the caller may not know of."""


def not_found(kind: str, object_id: str) -> NotFoundError:
    """The 404 of ``kind`` (``park``, ``firm``, ``meter``, ``job``) named ``object_id``."""
    return NotFoundError(HIDDEN_KEYS[kind], **{f"{kind}_id": object_id})


def enforce(access: Access, principal: Principal, kind: str, object_id: str) -> None:
    """Raise the error an access decision calls for.

    Hidden objects give the same 404 as missing ones; a forbidden action gives 401 to an
    anonymous caller (sign in first) and 403 to a signed-in one.
    """
    if access is Access.ALLOWED:
        return
    if access is Access.HIDDEN:
        raise not_found(kind, object_id)
    if not principal.is_authenticated:
        raise AuthenticationRequiredError("api.auth.required")
    raise PermissionDeniedError(f"api.denied.{kind}", object_id=object_id)


def find_park(snapshot: RegistrySnapshot, park_id: str) -> ParkSnapshot:
    """Return the park's snapshot (call after an access check: it raises the 404 of a missing park)."""
    for item in snapshot.parks:
        if item.park.id == park_id:
            return item
    raise not_found("park", park_id)


def find_firm(snapshot: RegistrySnapshot, firm_id: str) -> FirmRecord:
    """Return a firm's record (after an access check)."""
    for item in snapshot.parks:
        for firm in item.firms:
            if firm.id == firm_id:
                return firm
    raise not_found("firm", firm_id)


def find_meter(snapshot: RegistrySnapshot, meter_id: str) -> MeterRecord:
    """Return a meter's record (after an access check)."""
    for item in snapshot.parks:
        for meter in item.meters:
            if meter.id == meter_id:
                return meter
    raise not_found("meter", meter_id)


def park_model(record: ParkRecord, published: bool) -> BaseModel:
    """The response model of a park."""
    return schemas.Park.model_validate({**asdict(record), "occupancy_pct": record.occupancy_pct, "published": published})


def record_model(model: type[BaseModel], record: FirmRecord | MeterRecord | CertificationRecord) -> BaseModel:
    """The response model of a firm, meter or certification."""
    return model.model_validate(asdict(record))


def firm_certifications(item: ParkSnapshot, firm_id: str) -> list[CertificationRecord]:
    """Certificates held by ``firm_id`` (from its park's snapshot)."""
    return [c for c in item.certifications if c.holder_kind == "firm" and c.holder_id == firm_id]


def json_bytes(value: Any) -> bytes:
    """Encode a response body once (for memoised reads: no validation or encoding per request)."""
    from fastapi.encoders import jsonable_encoder

    return json.dumps(jsonable_encoder(value), ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode()


def json_response(content: bytes) -> Response:
    """A JSON response of pre-encoded ``content``."""
    return Response(content, media_type="application/json")
