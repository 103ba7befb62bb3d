"""Assessments against green and EIP rulebooks: questionnaires, answers, runs (as jobs) and results.

- Anyone may list the shipped rulebooks and download a blank questionnaire.
- A park's managers (and administrators) upload questionnaire answers and run assessments;
  a run is a background job (``assessment``) whose result names the stored run.
- Stored runs are the park's aggregates: its managers, administrators and its own firms' users
  read them (others who may see the park get 403, the rest 404).
"""

from __future__ import annotations

import tempfile
from datetime import date, datetime
from pathlib import Path as FilePath
from typing import Annotated, Any

from fastapi import APIRouter, File, Path, Query, Request, Response, UploadFile
from pydantic import BaseModel, ConfigDict, Field

from ecozone.api.access import enforce
from ecozone.api.context import AppContext
from ecozone.api.errors import error_responses
from ecozone.api.jobs import JOB_KINDS, JobContext
from ecozone.api.language import request_language
from ecozone.api.registry_cache import RegistryState
from ecozone.api.roles import Access, Principal, decide, manages_park, sees_park
from ecozone.api.routers.jobs import JobOut, job_model
from ecozone.api.routers.kpis import park_aggregates_read
from ecozone.api.routers.parameters import Caller, Context, ParkId, SignedIn
from ecozone.api.routers.uploads import read_limited
from ecozone.errors import FileFormatError, NotFoundError

router = APIRouter(tags=["assessments"])

RulebookId = Annotated[str, Path(description="Rulebook identifier.", max_length=64, examples=["eip_framework_v2"])]
RunId = Annotated[int, Path(description="Stored assessment run.", ge=1, le=2**31 - 1, examples=[1])]
ANSWER_SUFFIXES = (".yaml", ".yml", ".xlsx")


class RulebookOut(BaseModel):
    """A shipped rulebook."""

    id: str = Field(description="Rulebook identifier.", examples=["eip_framework_v2"])
    version: str = Field(description="Rulebook version.")
    name: str = Field(description="Name in the request's language.")


class AnswersOut(BaseModel):
    """A stored answer set."""

    id: int = Field(description="Answer set identifier.")
    park_id: str
    rulebook_id: str
    answered_by: str
    answered_on: date
    source_file: str
    is_synthetic: bool
    content: str | None = Field(default=None, description="The answers as YAML (when read back).")


class RunSummary(BaseModel):
    """A stored assessment run, in brief."""

    id: int = Field(description="Run identifier.", examples=[1])
    park_id: str
    rulebook_id: str
    rulebook_version: str
    assessed_on: date
    score_pct: float | None = Field(description="Overall score [%].")
    created_at: datetime | None
    url: str = Field(description="Where to read the full result.")


class AssessmentRequest(BaseModel):
    """Parameters of an assessment run."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"rulebook": "eip_framework_v2", "year": 2024}]})
    rulebook: str = Field(description="Shipped rulebook id.", max_length=64)
    year: int | None = Field(default=None, ge=1990, le=2100, description="Assess at the end of this year (default: today).")


def rulebook_ids() -> list[str]:
    """The shipped rulebooks' ids."""
    from ecozone.assessment.rulebook import shipped_rulebook_ids

    return list(shipped_rulebook_ids())


def shipped_rulebook(rulebook_id: str) -> Any:
    """A shipped rulebook (404 for an unknown id; never a user file path)."""
    if rulebook_id not in rulebook_ids():
        raise NotFoundError("engines.rulebook_not_found", rulebook=rulebook_id)
    from ecozone.assessment.rulebook import load_rulebook

    return load_rulebook(rulebook_id)


def park_manage(principal: Principal, park_id: str, state: RegistryState) -> Access:
    """Running assessments and uploading answers: the park's managers and administrators."""
    facts = state.facts
    return decide(sees_park(principal, park_id, facts), park_id in facts.parks and manages_park(principal, park_id))


def ensure_metric_providers() -> None:
    """Let assessments read measured KPIs from the meters, as ``ecozone assess`` does."""
    from ecozone.cli import assessment, meters

    if meters.assessment_metrics not in assessment.METRIC_PROVIDERS:
        assessment.METRIC_PROVIDERS.append(meters.assessment_metrics)


def assessment_job(context: JobContext) -> dict[str, Any]:
    """The ``assessment`` job: assess a park against a rulebook with its stored answers and KPIs; store the run."""
    from ecozone.cli.assessment import run_assessment

    parameters = context.parameters
    context.progress(0.1, "loading the rulebook")
    book = shipped_rulebook(str(parameters["rulebook"]))
    ensure_metric_providers()
    context.progress(0.3, "assessing")
    year = parameters.get("year")
    run = run_assessment(context.workspace, str(parameters["park_id"]), book, year=int(year) if year is not None else None)
    overall = run.document.get("scores", {}).get("overall", {})
    return {
        "run_id": run.run_id,
        "park_id": parameters["park_id"],
        "rulebook_id": book.id,
        "score_pct": overall.get("score_pct"),
        "coverage_pct": overall.get("coverage_pct"),
        "url": f"/api/v1/assessments/{run.run_id}",
    }


JOB_KINDS["assessment"] = assessment_job


def _name(book: Any, lang: str) -> str:
    return str(book.title.get(lang))


@router.get("/rulebooks", response_model=list[RulebookOut], summary="List the shipped rulebooks")
def list_rulebooks(request: Request) -> list[RulebookOut]:
    """Return every shipped rulebook."""
    from ecozone.assessment.rulebook import load_rulebook

    lang = request_language(request)
    books = [load_rulebook(rulebook_id) for rulebook_id in rulebook_ids()]
    return [RulebookOut(id=b.id, version=str(b.version), name=_name(b, lang)) for b in books]


@router.get(
    "/rulebooks/{rulebook_id}/questionnaire",
    responses={**error_responses(404), 200: {"content": {"application/x-yaml": {}}}},
    summary="A rulebook's blank bilingual questionnaire (YAML)",
)
def questionnaire(rulebook_id: RulebookId) -> Response:
    """Return the blank questionnaire to fill and upload as answers."""
    from ecozone.assessment.questionnaire import questionnaire_yaml

    return Response(questionnaire_yaml(shipped_rulebook(rulebook_id), None), media_type="application/x-yaml")


def save_answers_upload(
    context: AppContext, principal: Principal, park_id: str, rulebook_id: str, file_name: str | None, data: bytes
) -> AnswersOut:
    """Validate and store an uploaded answers file (YAML or XLSX) for a park (the API and the dashboard)."""
    from ecozone.assessment.errors import AssessmentError
    from ecozone.assessment.questionnaire import read_answers_file
    from ecozone.store.assessment_store import latest_answers, save_answers

    state = context.registry.state()
    enforce(park_manage(principal, park_id, state), principal, "park", park_id)
    book = shipped_rulebook(rulebook_id)
    name = FilePath((file_name or "answers.yaml").replace("\\", "/")).name[-100:] or "answers.yaml"
    suffix = FilePath(name).suffix.lower()
    if suffix not in ANSWER_SUFFIXES:
        raise FileFormatError("file.unknown_format", file=name, suffix=suffix, known=", ".join(ANSWER_SUFFIXES))
    with tempfile.TemporaryDirectory(prefix="ecozone-answers-") as folder:
        path = FilePath(folder) / name
        path.write_bytes(data)
        try:
            answers, content = read_answers_file(path, book)
        except (AssessmentError, FileFormatError):
            raise
        except Exception as exc:  # a damaged workbook or undecodable text: cannot read
            raise FileFormatError("api.upload.unreadable", file=name, detail=type(exc).__name__) from exc
    if answers.park_id is not None and answers.park_id != park_id:
        raise AssessmentError("assessment.answers.wrong_park", found=answers.park_id, expected=park_id)
    save_answers(
        context.workspace,
        park_id=park_id,
        rulebook_id=book.id,
        answered_by=answers.answered_by or (principal.username or ""),
        answered_on=answers.answered_on,
        source_file=name,
        content=content,
        is_synthetic=answers.synthetic,
    )
    stored = latest_answers(context.workspace, park_id, book.id)
    assert stored is not None
    return _answers_out(stored, with_content=False)


def _answers_out(stored: Any, *, with_content: bool) -> AnswersOut:
    return AnswersOut(
        id=stored.id,
        park_id=stored.park_id,
        rulebook_id=stored.rulebook_id,
        answered_by=stored.answered_by,
        answered_on=stored.answered_on,
        source_file=stored.source_file,
        is_synthetic=stored.is_synthetic,
        content=stored.content if with_content else None,
    )


@router.put(
    "/parks/{park_id}/assessments/{rulebook_id}/answers",
    response_model=AnswersOut,
    responses=error_responses(400, 401, 403, 404, 413, 422),
    summary="Upload a park's questionnaire answers (its managers and administrators)",
    description="A filled questionnaire (YAML or XLSX); every problem is listed (422) and nothing is stored then.",
)
async def upload_answers(
    park_id: ParkId,
    rulebook_id: RulebookId,
    context: Context,
    principal: SignedIn,
    file: Annotated[UploadFile, File(description="The filled questionnaire (.yaml or .xlsx).")],
) -> AnswersOut:
    """Store a park's answers."""
    from starlette.concurrency import run_in_threadpool

    data = await read_limited(file, context.settings.max_upload_bytes)
    return await run_in_threadpool(save_answers_upload, context, principal, park_id, rulebook_id, file.filename, data)


@router.get(
    "/parks/{park_id}/assessments/{rulebook_id}/answers",
    response_model=AnswersOut,
    responses=error_responses(401, 403, 404),
    summary="Read a park's latest answers (its managers and administrators)",
)
def latest_park_answers(park_id: ParkId, rulebook_id: RulebookId, context: Context, principal: Caller) -> AnswersOut:
    """Return the latest stored answers, with their YAML."""
    from ecozone.store.assessment_store import latest_answers

    state = context.registry.state()
    enforce(park_manage(principal, park_id, state), principal, "park", park_id)
    stored = latest_answers(context.workspace, park_id, shipped_rulebook(rulebook_id).id)
    if stored is None:
        raise NotFoundError("engines.no_answers", park=park_id, rulebook=rulebook_id)
    return _answers_out(stored, with_content=True)


@router.post(
    "/parks/{park_id}/assessments",
    status_code=202,
    response_model=JobOut,
    responses=error_responses(401, 403, 404, 422),
    summary="Run an assessment of a park (its managers and administrators) as a background job",
    description="Uses the park's latest stored answers for the rulebook and its measured KPIs; poll `url` for the run id.",
)
def start_assessment(
    park_id: ParkId, body: AssessmentRequest, request: Request, response: Response, context: Context, principal: SignedIn
) -> JobOut:
    """Queue an assessment."""
    state = context.registry.state()
    enforce(park_manage(principal, park_id, state), principal, "park", park_id)
    shipped_rulebook(body.rulebook)
    job = context.jobs.submit("assessment", principal.user_id, {"park_id": park_id} | body.model_dump())
    response.headers["Location"] = f"/api/v1/jobs/{job.id}"
    return job_model(job, request_language(request))


def _summary(run: Any) -> RunSummary:
    return RunSummary(
        id=run.id,
        park_id=run.park_id,
        rulebook_id=run.rulebook_id,
        rulebook_version=run.rulebook_version,
        assessed_on=run.assessed_on,
        score_pct=run.score_pct,
        created_at=run.created_at,
        url=f"/api/v1/assessments/{run.id}",
    )


def park_runs(context: AppContext, park_id: str, rulebook_id: str | None = None) -> list[RunSummary]:
    """Stored runs of a park (of one rulebook, or all), newest first."""
    from ecozone.store.assessment_store import list_runs

    ids = [shipped_rulebook(rulebook_id).id] if rulebook_id else rulebook_ids()
    runs = [run for book in ids for run in list_runs(context.workspace, park_id, book)]
    return [_summary(run) for run in sorted(runs, key=lambda run: run.id, reverse=True)]


@router.get(
    "/parks/{park_id}/assessments",
    response_model=list[RunSummary],
    responses=error_responses(401, 403, 404),
    summary="List a park's stored assessment runs (its managers, its firms' users, administrators)",
)
def list_park_runs(
    park_id: ParkId,
    context: Context,
    principal: Caller,
    rulebook: Annotated[str | None, Query(max_length=64, description="Only this rulebook.")] = None,
) -> list[RunSummary]:
    """Return the park's runs, newest first."""
    state = context.registry.state()
    enforce(park_aggregates_read(principal, park_id, state.facts), principal, "park", park_id)
    return park_runs(context, park_id, rulebook)


def readable_run(context: AppContext, principal: Principal, run_id: int) -> Any:
    """A stored run the caller may read (404 when missing or its park is hidden; 403 when only the park is visible)."""
    from ecozone.store.assessment_store import get_run

    run = get_run(context.workspace, run_id)
    state = context.registry.state()
    access = Access.HIDDEN if run is None else park_aggregates_read(principal, run.park_id, state.facts)
    if run is None or access is Access.HIDDEN:
        raise NotFoundError("engines.run_not_found", run=run_id)
    enforce(access, principal, "park", run.park_id)
    return run


@router.get(
    "/assessments/{run_id}",
    responses=error_responses(401, 403, 404, 422),
    summary="Read a stored assessment result: scorecard, gaps, roadmap",
    description="The result document as `ecozone assess --json` prints it.",
)
def get_assessment(run_id: RunId, context: Context, principal: Caller) -> dict[str, Any]:
    """Return the run's result document."""
    from ecozone.api.routers.kpis import finite

    run = readable_run(context, principal, run_id)
    return {"id": run.id, "document": finite(run.document)}
