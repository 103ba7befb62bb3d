"""Background jobs: start a national roll-up, poll any job's progress and result."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from ecozone.api.access import not_found
from ecozone.api.errors import PermissionDeniedError, error_responses
from ecozone.api.language import request_language
from ecozone.api.roles import Principal
from ecozone.api.routers.parameters import Context, JobId, SignedIn
from ecozone.i18n import translate
from ecozone.store import accounts_store
from ecozone.store.accounts_store import JobRecord

router = APIRouter(tags=["jobs"])


class JobError(BaseModel):
    """Why a job failed."""

    code: str = Field(description="Message key.")
    message: str = Field(description="Message in the request's language.")


class JobOut(BaseModel):
    """A background job: poll it until `status` is `succeeded` or `failed`."""

    id: str = Field(description="Job identifier.")
    kind: str = Field(description="What the job does.", examples=["national_rollup"])
    status: Literal["queued", "running", "succeeded", "failed"] = Field(description="Where the job is.")
    progress: float = Field(description="Share of the work done, 0 to 1.")
    message: str | None = Field(description="Last progress message (English).")
    parameters: dict[str, Any] = Field(description="Parameters the job was started with.")
    result: Any = Field(default=None, description="The result once succeeded (its shape depends on the kind).")
    error: JobError | None = Field(default=None, description="The error once failed.")
    created_at: datetime | None = Field(description="When the job was queued (UTC).")
    started_at: datetime | None = Field(description="When it started (UTC).")
    finished_at: datetime | None = Field(description="When it finished (UTC).")
    url: str = Field(description="Where to poll it.")


class RollupRequest(BaseModel):
    """Parameters of a national roll-up."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"layout": "2025"}]})
    layout: Literal["2025", "2008"] = Field(default="2025", description="Province layout of the aggregates.")


def job_model(job: JobRecord, lang: str) -> JobOut:
    """The response model of a job, its error in ``lang``."""
    error = None
    if job.error is not None:
        key = str(job.error.get("key", "api.job.crashed"))
        error = JobError(code=key, message=translate(key, lang, **job.error.get("params", {})))
    return JobOut(
        id=job.id,
        kind=job.kind,
        status=job.status,
        progress=job.progress,
        message=job.message,
        parameters=job.parameters,
        result=job.result,
        error=error,
        created_at=job.created_at,
        started_at=job.started_at,
        finished_at=job.finished_at,
        url=f"/api/v1/jobs/{job.id}",
    )


@router.post(
    "/jobs/national-rollup",
    status_code=202,
    response_model=JobOut,
    responses=error_responses(401, 403, 422),
    summary="Start a national roll-up of every park (administrators)",
    description="Answers at once with the job; poll `url` for progress and the result.",
)
def start_rollup(
    request: Request, context: Context, principal: SignedIn, response: Response, body: RollupRequest | None = None
) -> JobOut:
    """Queue a national roll-up."""
    if not principal.is_admin:
        raise PermissionDeniedError("api.denied.rollup")
    parameters = (body or RollupRequest()).model_dump()
    job = context.jobs.submit("national_rollup", principal.user_id, parameters)
    response.headers["Location"] = f"/api/v1/jobs/{job.id}"
    return job_model(job, request_language(request))


def _visible_job(context: Context, principal: Principal, job_id: str) -> JobRecord:
    job = accounts_store.get_job(context.workspace, job_id)
    if job is None or not (principal.is_admin or job.owner_id == principal.user_id):
        raise not_found("job", job_id)
    return job


@router.get(
    "/jobs/{job_id}",
    response_model=JobOut,
    responses=error_responses(401, 404),
    summary="Poll a job (its owner and administrators)",
)
def get_job(job_id: JobId, request: Request, context: Context, principal: SignedIn) -> JobOut:
    """Return a job's status, progress and, once finished, result or error."""
    return job_model(_visible_job(context, principal, job_id), request_language(request))


@router.get("/jobs", response_model=list[JobOut], responses=error_responses(401), summary="List the caller's latest jobs")
def list_jobs(request: Request, context: Context, principal: SignedIn) -> list[JobOut]:
    """Return the caller's latest 50 jobs (administrators: everyone's), newest first."""
    owner = None if principal.is_admin else principal.user_id
    lang = request_language(request)
    return [job_model(job, lang) for job in accounts_store.list_jobs(context.workspace, owner)]
