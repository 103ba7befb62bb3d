"""Industrial symbiosis of a park: its stream catalogue, candidate matches and the optimised network.

Everything here is a park's working data: its managers and administrators read and change it;
others who may see the park get 403, the rest 404 (as for a park that does not exist).
Optimising the exchange network (HiGHS) is a background job (``symbiosis_optimise``); an
unreachable CO2e target ends the job failed with the explanation of the binding constraints.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, Response, UploadFile
from pydantic import BaseModel, ConfigDict, Field

from ecozone.api.access import enforce, json_bytes, json_response
from ecozone.api.context import AppContext
from ecozone.api.errors import error_responses
from ecozone.api.jobs import JOB_KINDS, JobContext
from ecozone.api.language import request_language
from ecozone.api.roles import Principal
from ecozone.api.routers.assessments import park_manage
from ecozone.api.routers.jobs import JobOut, job_model
from ecozone.api.routers.kpis import finite
from ecozone.api.routers.parameters import Caller, Context, ParkId, SignedIn
from ecozone.api.routers.uploads import ImportReport, read_limited, read_upload, safe_file_name
from ecozone.errors import EcozoneError, ImportValidationError
from ecozone.registry.files import RawTable
from ecozone.registry.schema import fold
from ecozone.registry.validation import Problem
from ecozone.store.registry_store import ImportSummary

router = APIRouter(tags=["symbiosis"])

NOT_PERMITTED = "api.problem.not_permitted"
MAX_TIME_LIMIT_S = 300.0

STREAM_EXAMPLE = {
    "park_id": "demo",
    "owner_kind": "firm",
    "owner_id": "demo-f36",
    "direction": "output",
    "name": "Phế phẩm thủy sản, bã thải hữu cơ",
    "stream_class": "food_waste",
    "quantity_per_year": 1800.0,
    "unit": "t",
    "unit_cost_vnd": 600000.0,
    "is_synthetic": True,
}
MATCH_EXAMPLE = {
    "park": "demo",
    "candidates": [
        {
            "supplier": {"owner_id": "demo-f36", "name": "Phế phẩm thủy sản", "stream_class": "food_waste"},
            "receiver": {"owner_id": "demo-biogas", "name": "Chất thải hữu cơ", "stream_class": "food_waste"},
            "score": 0.92,
            "distance_km": 0.8,
            "optimisable": True,
            "reasons": ["Same stream class (food_waste)."],
            "warnings": [],
        }
    ],
    "excluded": [],
    "unmatched_outputs": [],
    "unmatched_inputs": [],
}


class StreamsOut(BaseModel):
    """A park's stream catalogue."""

    park_id: str = Field(description="Park.", examples=["demo"])
    streams: list[dict[str, Any]] = Field(
        description="One row per stream, as `ecozone export` writes them (quantities in the class's canonical unit).",
        examples=[[STREAM_EXAMPLE]],
    )


class OptimiseRequest(BaseModel):
    """Parameters of a network optimisation."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"co2_target": 500.0, "time_limit_s": 30}]})
    co2_target: float | None = Field(
        default=None, ge=0, le=1e9, description="Emissions the network must avoid at least [tCO2e/yr]; none: maximise benefit."
    )
    time_limit_s: float = Field(default=60.0, gt=0, le=MAX_TIME_LIMIT_S, description="Solver time limit [s].")


class InfeasibleTargetJobError(EcozoneError):
    """The asked CO2e target cannot be met (the job's error, with the explanation in both languages)."""

    http_status = 422


def _stream_park_problems(table: RawTable, park_id: str) -> list[Problem]:
    """A problem for each row whose park is not ``park_id`` (a park's upload may only touch its own catalogue)."""
    from ecozone.symbiosis.catalogue import stream_schema

    attribute = next(a for a in stream_schema().attributes if a.name == "park_id")
    spellings = {fold(attribute.name), fold(attribute.vi), fold(attribute.vi.replace("_", " "))}
    columns = [column for column in table.columns if fold(column) in spellings]
    problems = []
    for number, row in zip(table.row_numbers, table.rows, strict=True):
        for column in columns:
            value = row.get(column)
            text = "" if value is None else str(value).strip()
            if text and text != park_id:
                problems.append(Problem(table.file_name, number, column, text[:100], NOT_PERMITTED, {"column": column}))
    return problems


def import_park_streams(
    context: AppContext,
    principal: Principal,
    park_id: str,
    file_name: str | None,
    data: bytes,
    *,
    dry_run: bool = False,
    decimal_comma: bool = False,
    encoding: str | None = None,
) -> ImportSummary:
    """Validate and import an uploaded stream table into ``park_id``'s catalogue, all or nothing (API and dashboard)."""
    from ecozone.store.symbiosis_store import import_streams

    enforce(park_manage(principal, park_id, context.registry.state()), principal, "park", park_id)
    table = read_upload(data, safe_file_name(file_name), "stream", encoding)
    problems = _stream_park_problems(table, park_id)
    if problems:
        raise ImportValidationError(problems, file=table.file_name)
    return import_streams(context.workspace, table, dry_run=dry_run, decimal_comma=decimal_comma)


def _checked(context: AppContext, principal: Principal, park_id: str) -> None:
    enforce(park_manage(principal, park_id, context.registry.state()), principal, "park", park_id)


@router.get(
    "/parks/{park_id}/symbiosis/streams",
    response_model=StreamsOut,
    responses=error_responses(401, 403, 404, 422),
    summary="A park's symbiosis stream catalogue (its managers and administrators)",
    description=(
        "Outputs (by-products, waste, waste heat, wastewater) and inputs of the park's firms, utilities and partners, "
        "with quantities per year in the stream class's canonical unit. An empty list when none is stored."
    ),
)
def list_streams(park_id: ParkId, context: Context, principal: Caller) -> StreamsOut:
    """Return the park's streams."""
    from ecozone.store.symbiosis_store import export_stream_rows

    _checked(context, principal, park_id)
    _, rows = export_stream_rows(context.workspace, park_id)
    return StreamsOut(park_id=park_id, streams=finite(rows))


@router.post(
    "/parks/{park_id}/symbiosis/streams/upload",
    response_model=ImportReport,
    responses=error_responses(400, 401, 403, 404, 413, 422),
    summary="Upload a park's stream catalogue (CSV or XLSX; its managers and administrators)",
    description=(
        "The file is read as `ecozone import streams` reads it (Vietnamese or English column names), every row must "
        "belong to this park, and the table is imported all or nothing (upserted by park, owner, direction and name). "
        "On any problem nothing is written and the 422 error lists every problem row by row in `details`."
    ),
)
async def upload_streams(
    park_id: ParkId,
    context: Context,
    principal: SignedIn,
    file: Annotated[UploadFile, File(description="The stream table (.csv or .xlsx).")],
    dry_run: Annotated[bool, Form(description="Validate only; write nothing.")] = False,
    decimal_comma: Annotated[bool, Form(description="Read numbers written the Vietnamese way: 1.234,5.")] = False,
    encoding: Annotated[str | None, Form(description="Force the CSV text encoding (else detected).", max_length=32)] = None,
) -> ImportReport:
    """Import the park's streams."""
    from starlette.concurrency import run_in_threadpool

    _checked(context, principal, park_id)
    data = await read_limited(file, context.settings.max_upload_bytes)
    summary = await run_in_threadpool(
        import_park_streams,
        context,
        principal,
        park_id,
        file.filename,
        data,
        dry_run=dry_run,
        decimal_comma=decimal_comma,
        encoding=encoding,
    )
    return ImportReport.of(summary)


def match_park(context: AppContext, park_id: str, lang: str) -> dict[str, Any]:
    """The explained candidate matches of a park's catalogue (a 422 when it has no streams)."""
    from ecozone.cli.symbiosis import load_park_streams, run_match
    from ecozone.symbiosis.reporting import match_document

    result = run_match(load_park_streams(context.workspace, park_id))
    document: dict[str, Any] = finite(match_document(park_id, result, lang))
    return document


@router.get(
    "/parks/{park_id}/symbiosis/matches",
    responses={**error_responses(401, 403, 404, 422), 200: {"content": {"application/json": {"example": MATCH_EXAMPLE}}}},
    summary="Candidate exchanges between a park's outputs and inputs, each explained (its managers and administrators)",
    description=(
        "Every output is matched to every input it could feed (curated knowledge-base links, stream classes, quality "
        "limits, distance), with the reasons and warnings in the request's language, the pairs excluded and why, and "
        "the streams left unmatched. 422 (`symbiosis.no_streams`) when the park has no catalogue."
    ),
)
def park_matches(park_id: ParkId, request: Request, context: Context, principal: Caller) -> Response:
    """Return the park's candidate matches."""
    _checked(context, principal, park_id)
    return json_response(json_bytes(match_park(context, park_id, request_language(request))))


def optimise_job(context: JobContext) -> dict[str, Any]:
    """The ``symbiosis_optimise`` job: match the park's streams and solve the exchange network.

    Returns
    -------
    dict
        ``ecozone symbiosis optimise --json``'s document: status, objective [VND/yr], the
        exchanges (flows, benefits, tCO2e) and the programme metrics.

    Raises
    ------
    InfeasibleTargetJobError
        When the CO2e target exceeds what the candidate links can avoid (the job fails with the explanation).
    """
    from ecozone.cli.symbiosis import load_park_streams, run_match
    from ecozone.symbiosis.errors import InfeasibleTargetError
    from ecozone.symbiosis.knowledge import knowledge_base
    from ecozone.symbiosis.metrics import programme_metrics
    from ecozone.symbiosis.model import build_problem, optimise
    from ecozone.symbiosis.reporting import optimisation_document
    from ecozone.symbiosis.settings import OptimisationSettings

    park_id = str(context.parameters["park_id"])
    target = context.parameters.get("co2_target")
    context.progress(0.1, "loading the stream catalogue")
    streams = load_park_streams(context.workspace, park_id)
    kb = knowledge_base()
    context.progress(0.3, "matching streams")
    problem = build_problem(run_match(streams, kb).candidates, kb)
    context.progress(0.6, "solving the exchange network")
    settings = OptimisationSettings(time_limit_s=float(context.parameters.get("time_limit_s", 60.0)))
    try:
        solution = optimise(problem, co2_target=None if target is None else float(target), settings=settings)
    except InfeasibleTargetError as error:
        lines = {lang: " ".join(error.explanation.lines(lang)) for lang in ("vi", "en")}
        raise InfeasibleTargetJobError(
            "api_plans.symbiosis.infeasible",
            explanation_vi=lines["vi"],
            explanation_en=lines["en"],
            target_tco2e=error.explanation.target_tco2e,
            max_tco2e=error.explanation.max_tco2e,
        ) from error
    metrics = programme_metrics(solution.exchanges, streams.owner_kinds)
    document: dict[str, Any] = finite(optimisation_document(park_id, solution, metrics, streams.labels))
    return document


JOB_KINDS["symbiosis_optimise"] = optimise_job


@router.post(
    "/parks/{park_id}/symbiosis/optimise",
    status_code=202,
    response_model=JobOut,
    responses=error_responses(401, 403, 404, 422),
    summary="Optimise a park's exchange network as a background job (its managers and administrators)",
    description=(
        "Matches the park's streams and chooses the exchanges of greatest net benefit (HiGHS MILP), optionally "
        "avoiding at least `co2_target` tCO2e/yr. Poll `url`: the result holds the exchanges and the programme "
        "metrics; an unreachable target ends the job `failed` with the most that can be avoided and the binding "
        "supplies and demands."
    ),
)
def start_optimise(
    park_id: ParkId,
    request: Request,
    response: Response,
    context: Context,
    principal: SignedIn,
    body: OptimiseRequest | None = None,
) -> JobOut:
    """Queue an optimisation."""
    _checked(context, principal, park_id)
    parameters = {"park_id": park_id} | (body or OptimiseRequest()).model_dump()
    job = context.jobs.submit("symbiosis_optimise", principal.user_id, parameters)
    response.headers["Location"] = f"/api/v1/jobs/{job.id}"
    return job_model(job, request_language(request))
