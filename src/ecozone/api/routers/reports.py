"""Assessment reports: generate one (HTML, PDF or DOCX) as a background job, then download it.

Whoever may read a stored run may have its report written; the file is kept under the
workspace's ``reports/api`` folder and downloaded by the job's owner (or an administrator)
while they may still read the run.
"""

from __future__ import annotations

from pathlib import Path as FilePath
from typing import Any, Literal

from fastapi import APIRouter, Request, Response
from fastapi.responses import FileResponse
from pydantic import BaseModel, ConfigDict, Field

from ecozone.api.access import not_found
from ecozone.api.context import AppContext
from ecozone.api.errors import error_responses
from ecozone.api.jobs import JOB_KINDS, JobContext
from ecozone.api.language import request_language
from ecozone.api.roles import Principal
from ecozone.api.routers.assessments import RunId, readable_run
from ecozone.api.routers.jobs import JobOut, job_model
from ecozone.api.routers.parameters import Context, JobId, SignedIn
from ecozone.errors import NotFoundError
from ecozone.store import accounts_store
from ecozone.store.workspace import Workspace

router = APIRouter(tags=["reports"])

REPORT_KIND = "assessment_report"
MEDIA_TYPES = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


class ReportRequest(BaseModel):
    """What report to write."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"format": "pdf", "lang": "vi"}]})
    format: Literal["html", "pdf", "docx"] = Field(default="pdf", description="File format.")
    lang: Literal["vi", "en"] | None = Field(default=None, description="Language (default: the request's).")


def report_folder(workspace: Workspace) -> FilePath:
    """Where the API keeps generated reports."""
    return workspace.path / "reports" / "api"


def report_path(workspace: Workspace, job_id: str, extension: str) -> FilePath:
    """The file of a report job."""
    return report_folder(workspace) / f"{job_id}.{extension}"


def report_job(context: JobContext) -> dict[str, Any]:
    """The ``assessment_report`` job: write the report of a stored run."""
    from ecozone.assessment.reports import write_report
    from ecozone.store.assessment_store import get_run

    parameters = context.parameters
    run = get_run(context.workspace, int(parameters["run_id"]))
    if run is None:
        raise NotFoundError("engines.run_not_found", run=parameters["run_id"])
    context.progress(0.2, "writing the report")
    extension = str(parameters["format"])
    path = write_report(run.document, report_path(context.workspace, context.job_id, extension), str(parameters["lang"]))
    return {
        "run_id": run.id,
        "park_id": run.park_id,
        "format": extension,
        "file_name": f"assessment-{run.park_id}-{run.rulebook_id}-{run.id}.{extension}",
        "bytes": path.stat().st_size,
        "download_url": f"/api/v1/reports/{context.job_id}/file",
    }


JOB_KINDS[REPORT_KIND] = report_job


def start_report(context: AppContext, principal: Principal, run_id: int, fmt: str, lang: str) -> Any:
    """Queue a report of run ``run_id`` (after checking the caller may read it); return the job."""
    run = readable_run(context, principal, run_id)
    return context.jobs.submit(
        REPORT_KIND, principal.user_id, {"run_id": run.id, "park_id": run.park_id, "format": fmt, "lang": lang}
    )


@router.post(
    "/assessments/{run_id}/reports",
    status_code=202,
    response_model=JobOut,
    responses=error_responses(401, 403, 404, 422),
    summary="Generate a stored assessment's report (HTML, PDF or DOCX) as a background job",
    description="Poll the job; once succeeded, its result's `download_url` serves the file.",
)
def generate_report(
    run_id: RunId, request: Request, response: Response, context: Context, principal: SignedIn, body: ReportRequest | None = None
) -> JobOut:
    """Queue a report."""
    wanted = body or ReportRequest()
    lang = wanted.lang or request_language(request)
    job = start_report(context, principal, run_id, wanted.format, lang)
    response.headers["Location"] = f"/api/v1/jobs/{job.id}"
    return job_model(job, request_language(request))


def report_file(context: AppContext, principal: Principal, job_id: str) -> tuple[FilePath, str, str]:
    """The finished report of job ``job_id`` the caller may download: (path, download name, media type)."""
    job = accounts_store.get_job(context.workspace, job_id)
    if job is None or job.kind != REPORT_KIND or not (principal.is_admin or job.owner_id == principal.user_id):
        raise not_found("job", job_id)
    readable_run(context, principal, int(job.parameters["run_id"]))
    result = job.result if isinstance(job.result, dict) else None
    path = report_path(context.workspace, job.id, str(job.parameters["format"]))
    if job.status != "succeeded" or result is None or not path.is_file():
        raise NotFoundError("engines.report_not_ready", job=job_id)
    return path, str(result["file_name"]), MEDIA_TYPES[str(job.parameters["format"])]


@router.get(
    "/reports/{job_id}/file",
    responses={**error_responses(401, 403, 404), 200: {"content": {t: {} for t in MEDIA_TYPES.values()}}},
    response_class=FileResponse,
    summary="Download a generated report (the job's owner and administrators)",
)
def download_report(job_id: JobId, context: Context, principal: SignedIn) -> FileResponse:
    """Serve the report file."""
    path, name, media_type = report_file(context, principal, job_id)
    return FileResponse(path, media_type=media_type, filename=name)
