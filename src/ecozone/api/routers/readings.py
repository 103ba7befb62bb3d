"""Meter readings: upload a readings file for a park's meters, query one meter's readings.

Who may upload: a park's managers (every meter of the park) and its firms' users (only their
own firm's meters: rows of any other meter are quarantined as unknown, exactly like a meter
that does not exist, so other firms' meters do not leak). Who may query: whoever may read
the meter (:func:`ecozone.api.roles.meter_read`).
"""

from __future__ import annotations

import csv
import tempfile
from datetime import datetime
from pathlib import Path as FilePath
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from pydantic import BaseModel, Field

from ecozone.api.access import enforce
from ecozone.api.context import AppContext
from ecozone.api.errors import error_responses
from ecozone.api.language import request_language
from ecozone.api.registry_cache import RegistryState
from ecozone.api.roles import Access, Principal, decide, manages_park, meter_read, sees_park
from ecozone.api.routers.parameters import Caller, Context, MeterId, ParkId, SignedIn
from ecozone.api.routers.uploads import read_limited
from ecozone.errors import EcozoneError, FileFormatError
from ecozone.store.snapshot import MeterRecord

router = APIRouter(tags=["readings"])

READINGS_SUFFIXES = (".csv", ".xlsx", ".parquet")
MAX_PROBLEMS = 500
MAX_READINGS = 10_000


class QuarantinedRow(BaseModel):
    """A row of an uploaded file that was not stored, and why."""

    file: str = Field(description="File name as uploaded.")
    row: int | None = Field(description="Line of the row in the file (the header is line 1).")
    meter_id: str | None = Field(description="Meter id as written.")
    value: str | None = Field(description="Value as written.")
    unit: str | None = Field(description="Unit as written.")
    code: str = Field(description="Reason code.", examples=["unit_carrier"])
    reason: str = Field(description="Reason in the request's language.")


class ReadingsReport(BaseModel):
    """What a readings upload did: rows stored, skipped, quarantined (row by row) and flagged."""

    file: str = Field(description="File name as uploaded.", examples=["readings.csv"])
    rows_read: int = Field(description="Data rows read.", examples=[96])
    accepted: int = Field(description="Rows stored as new readings.", examples=[95])
    duplicates_skipped: int = Field(description="Rows identical to a stored reading or an earlier row.", examples=[0])
    quarantined: dict[str, int] = Field(description="Rows not stored, by reason code.", examples=[{"unit_carrier": 1}])
    flagged: dict[str, int] = Field(description="Stored rows carrying each quality flag.", examples=[{}])
    problems: list[QuarantinedRow] = Field(description="The quarantined rows (at most 500).")
    summary: list[str] = Field(description="The import report as lines of text in the request's language.")


class Reading(BaseModel):
    """One stored reading."""

    ts_utc: datetime = Field(description="Start of the interval (UTC).")
    value: float | None = Field(description="Quantity in the interval [the unit's base: kWh, m3 or kg].")
    unit: str = Field(description="Unit of `value`.")
    interval_minutes: int | None = Field(description="Interval length [min].")
    flags: int = Field(description="Quality flags (bit field; 0 = clean).")


class MeterReadings(BaseModel):
    """A meter's readings in a time window."""

    meter_id: str = Field(description="Meter identifier.", examples=["demo-f01-electricity"])
    count: int = Field(description="Readings returned.")
    truncated: bool = Field(description="Whether more readings exist in the window than `limit`.")
    readings: list[Reading]


def upload_meters(principal: Principal, park_id: str, state: RegistryState) -> dict[str, MeterRecord]:
    """The park's meters the caller may write readings for (all for a manager, own firm's for a firm user)."""
    meters = [m for item in state.snapshot.parks if item.park.id == park_id for m in item.meters]
    if manages_park(principal, park_id):
        return {m.id: m for m in meters}
    return {m.id: m for m in meters if m.firm_id is not None and m.firm_id in principal.own_firms}


def readings_write(principal: Principal, park_id: str, state: RegistryState) -> Access:
    """Uploading readings to a park: its managers and its own firms' users."""
    facts = state.facts
    home = park_id in facts.home_parks(principal)
    permitted = park_id in facts.parks and (manages_park(principal, park_id) or home)
    return decide(sees_park(principal, park_id, facts), permitted)


def _problems(path: FilePath | None, lang: str) -> list[QuarantinedRow]:
    if path is None or not path.is_file():
        return []
    rows: list[QuarantinedRow] = []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for record in csv.DictReader(handle):
            row = record.get("row")
            rows.append(
                QuarantinedRow(
                    file=record.get("file") or "",
                    row=int(row) if row and row.isdigit() else None,
                    meter_id=record.get("meter_id") or None,
                    value=record.get("value") or None,
                    unit=record.get("unit") or None,
                    code=record.get("reason") or "",
                    reason=record.get(f"message_{lang}") or record.get("message_en") or "",
                )
            )
            if len(rows) >= MAX_PROBLEMS:
                break
    return rows


def import_upload(
    context: AppContext,
    principal: Principal,
    park_id: str,
    file_name: str | None,
    data: bytes,
    lang: str,
    *,
    timezone: str = "Asia/Ho_Chi_Minh",
    decimal_comma: bool = False,
) -> ReadingsReport:
    """Import an uploaded readings file for ``park_id`` as ``principal`` (the API and the dashboard)."""
    from ecozone.meters.ingest import import_readings

    state = context.registry.state()
    enforce(readings_write(principal, park_id, state), principal, "park", park_id)
    name = FilePath((file_name or "readings.csv").replace("\\", "/")).name[-100:] or "readings.csv"
    suffix = FilePath(name).suffix.lower()
    if suffix not in READINGS_SUFFIXES:
        raise FileFormatError("file.unknown_format", file=name, suffix=suffix, known=", ".join(READINGS_SUFFIXES))
    meters = upload_meters(principal, park_id, state)
    with tempfile.TemporaryDirectory(prefix="ecozone-readings-") as folder:
        path = FilePath(folder) / name
        path.write_bytes(data)
        quarantine = FilePath(folder) / "quarantine"
        try:
            report = import_readings(
                context.workspace.readings_path,
                [path],
                meters,
                timezone=timezone,
                decimal_comma=decimal_comma,
                quarantine_path=quarantine,
            )
        except EcozoneError:
            raise
        except Exception as exc:  # a damaged spreadsheet or Parquet file: any parser error means "cannot read"
            raise FileFormatError("api.upload.unreadable", file=name, detail=type(exc).__name__) from exc
        problems = _problems(report.quarantine_file, lang)
    lines = report.lines(lang)
    summary = lines[:-1] if report.quarantine_file is not None else lines  # the last line names a server path
    return ReadingsReport(
        file=name,
        rows_read=report.rows_read,
        accepted=report.accepted,
        duplicates_skipped=report.duplicates_skipped,
        quarantined=dict(report.quarantined),
        flagged=dict(report.flagged),
        problems=problems,
        summary=summary,
    )


@router.post(
    "/parks/{park_id}/readings/upload",
    response_model=ReadingsReport,
    responses=error_responses(400, 401, 403, 404, 413, 422),
    summary="Upload meter readings (the park's managers; firm users for their own firm's meters)",
    description=(
        "A CSV, XLSX or Parquet file with `meter_id`, `timestamp`, `value` and optionally `unit` (as `ecozone import "
        "readings` reads it). Units are checked against each meter's carrier and values are quality-flagged; rows that "
        "cannot be stored (unknown meter, wrong unit, not a number...) are quarantined and listed row by row in "
        "`problems`, the others are stored. A firm user's rows for any meter other than their firm's are quarantined "
        "as unknown meters."
    ),
)
async def upload_readings(
    park_id: ParkId,
    request: Request,
    context: Context,
    principal: SignedIn,
    file: Annotated[UploadFile, File(description="The readings file (.csv, .xlsx or .parquet).")],
    timezone: Annotated[
        str, Form(description="Time zone of timestamps written without an offset.", max_length=64)
    ] = "Asia/Ho_Chi_Minh",
    decimal_comma: Annotated[bool, Form(description="Read numbers written the Vietnamese way: 1.234,5.")] = False,
) -> ReadingsReport:
    """Import a readings file."""
    from starlette.concurrency import run_in_threadpool

    data = await read_limited(file, context.settings.max_upload_bytes)
    language = request_language(request)
    return await run_in_threadpool(
        import_upload, context, principal, park_id, file.filename, data, language, timezone=timezone, decimal_comma=decimal_comma
    )


def meter_readings(context: AppContext, meter_id: str, start: datetime | None, end: datetime | None, limit: int) -> MeterReadings:
    """Read a meter's stored readings in ``[start, end)`` (UTC), oldest first, at most ``limit``."""
    from ecozone.meters.dataset import open_readings

    park_id = context.registry.state().facts.meter_owners[meter_id][0]
    table = open_readings(context.workspace.readings_path)
    selected = table.filter(table.meter_id == meter_id, table.park_id == park_id)
    if start is not None:
        selected = selected.filter(selected.ts_utc >= start.replace(tzinfo=None))
    if end is not None:
        selected = selected.filter(selected.ts_utc < end.replace(tzinfo=None))
    columns = selected.select("ts_utc", "value", "unit", "interval_minutes", "flags").order_by("ts_utc").limit(limit + 1)
    frame = columns.execute()
    records: list[dict[str, Any]] = frame.astype(object).where(frame.notna(), None).to_dict("records")
    readings = [Reading.model_validate(record) for record in records[:limit]]
    return MeterReadings(meter_id=meter_id, count=len(readings), truncated=len(records) > limit, readings=readings)


@router.get(
    "/meters/{meter_id}/readings",
    response_model=MeterReadings,
    responses=error_responses(404, 422),
    summary="Query a meter's readings",
    description="Readings whose interval starts in `[start, end)` (UTC when no offset is given), oldest first.",
)
def get_readings(
    meter_id: MeterId,
    context: Context,
    principal: Caller,
    start: Annotated[datetime | None, Query(description="First instant (inclusive).", examples=["2024-01-01T00:00:00"])] = None,
    end: Annotated[datetime | None, Query(description="Last instant (exclusive).", examples=["2024-01-02T00:00:00"])] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_READINGS, description="Most readings returned.")] = 1000,
) -> MeterReadings:
    """Return a meter's readings."""
    state = context.registry.state()
    enforce(meter_read(principal, meter_id, state.facts), principal, "meter", meter_id)
    return meter_readings(context, meter_id, start, end, limit)
