"""Registry uploads: a CSV/XLSX (or GeoJSON for parks) file in, an import report row by row out."""

from __future__ import annotations

import tempfile
from pathlib import Path as FilePath
from typing import Annotated, Literal

from fastapi import APIRouter, File, Form, Path, UploadFile
from pydantic import BaseModel, Field

from ecozone.api.context import AppContext
from ecozone.api.errors import PayloadTooLargeError, error_responses
from ecozone.api.roles import Principal
from ecozone.api.routers.parameters import Context, SignedIn
from ecozone.api.writes import write_table
from ecozone.errors import EcozoneError, FileFormatError
from ecozone.registry.files import TABLE_FORMATS, RawTable, read_table
from ecozone.store.registry_store import ImportSummary

router = APIRouter(tags=["uploads"])

UPLOAD_ENTITIES = {"parks": "park", "firms": "firm", "meters": "meter", "certifications": "certification"}
CHUNK = 64 * 1024


class ImportReport(BaseModel):
    """What an accepted upload did (or, in a dry run, would do)."""

    entity: str = Field(description="Entity imported.", examples=["firm"])
    file: str = Field(description="File name as uploaded.", examples=["firms.csv"])
    rows: int = Field(description="Valid rows read.", examples=[60])
    inserted: int = Field(description="Records created.", examples=[2])
    updated: int = Field(description="Records changed.", examples=[1])
    unchanged: int = Field(description="Records left as they were.", examples=[57])
    dry_run: bool = Field(description="Whether nothing was written on purpose.", examples=[False])

    @classmethod
    def of(cls, summary: ImportSummary) -> ImportReport:
        """The report of an import summary."""
        return cls(
            entity=summary.entity,
            file=summary.file_name,
            rows=summary.rows,
            inserted=summary.inserted,
            updated=summary.updated,
            unchanged=summary.unchanged,
            dry_run=summary.dry_run,
        )


def safe_file_name(name: str | None) -> str:
    """The base name of an uploaded file, with a known table extension (else a FileFormatError)."""
    base = FilePath((name or "upload").replace("\\", "/")).name.strip() or "upload"
    suffix = FilePath(base).suffix.lower()
    if suffix not in TABLE_FORMATS:
        raise FileFormatError("file.unknown_format", file=base[:100], suffix=suffix, known=", ".join(TABLE_FORMATS))
    return base[-100:]


def read_upload(data: bytes, file_name: str, entity: str, encoding: str | None) -> RawTable:
    """Read an uploaded file's bytes as a raw table (unreadable files give a FileFormatError)."""
    with tempfile.TemporaryDirectory(prefix="ecozone-upload-") as folder:
        path = FilePath(folder) / file_name
        path.write_bytes(data)
        try:
            return read_table(path, entity, encoding or None)
        except EcozoneError:
            raise
        except Exception as exc:  # a damaged spreadsheet or JSON: any parser error means "cannot read"
            raise FileFormatError("api.upload.unreadable", file=file_name, detail=type(exc).__name__) from exc


def import_upload(
    context: AppContext,
    principal: Principal,
    entity: str,
    file_name: str | None,
    data: bytes,
    *,
    dry_run: bool = False,
    decimal_comma: bool = False,
    encoding: str | None = None,
) -> ImportSummary:
    """Check, validate and import an uploaded table (all or nothing), as the API and the dashboard do."""
    if len(data) > context.settings.max_upload_bytes:
        raise PayloadTooLargeError("api.upload.too_large", maximum=context.settings.max_upload_bytes)
    table = read_upload(data, safe_file_name(file_name), entity, encoding)
    state = context.registry.state()
    summary = write_table(context.workspace, principal, entity, table, state.facts, dry_run=dry_run, decimal_comma=decimal_comma)
    if not dry_run:
        context.registry.invalidate()
    return summary


async def read_limited(upload: UploadFile, limit: int) -> bytes:
    """Read an upload, refusing (413) more than ``limit`` bytes."""
    chunks: list[bytes] = []
    size = 0
    while chunk := await upload.read(CHUNK):
        size += len(chunk)
        if size > limit:
            raise PayloadTooLargeError("api.upload.too_large", maximum=limit)
        chunks.append(chunk)
    return b"".join(chunks)


@router.post(
    "/registry/{entity}/upload",
    response_model=ImportReport,
    responses=error_responses(400, 401, 413, 422),
    summary="Upload a registry table (CSV, XLSX; GeoJSON for parks)",
    description=(
        "The file is read as `ecozone import` reads it (Vietnamese or English column names, UTF-8/UTF-16/Windows-1258), "
        "every row is checked against the caller's rights and validated, and the table is imported all or nothing. "
        "On any problem nothing is written and the 422 error lists every problem row by row in `details` "
        "(`file`, `row`, `column`, `value`, `code`, `reason`)."
    ),
)
async def upload_table(
    entity: Annotated[Literal["parks", "firms", "meters", "certifications"], Path(description="Registry table.")],
    context: Context,
    principal: SignedIn,
    file: Annotated[UploadFile, File(description="The table file (.csv, .xlsx, or .geojson for parks).")],
    dry_run: Annotated[bool, Form(description="Validate only; write nothing.")] = False,
    decimal_comma: Annotated[bool, Form(description="Read numbers written the Vietnamese way: 1.234,5.")] = False,
    encoding: Annotated[str | None, Form(description="Force the CSV text encoding (else detected).", max_length=32)] = None,
) -> ImportReport:
    """Import an uploaded table."""
    from starlette.concurrency import run_in_threadpool

    data = await read_limited(file, context.settings.max_upload_bytes)
    summary = await run_in_threadpool(
        import_upload,
        context,
        principal,
        UPLOAD_ENTITIES[entity],
        file.filename,
        data,
        dry_run=dry_run,
        decimal_comma=decimal_comma,
        encoding=encoding,
    )
    return ImportReport.of(summary)
