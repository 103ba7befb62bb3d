"""Decarbonisation plans of a park: rooftop PV, the abatement cost curve (MACC) and the pathway to 2050.

Each is a background job (``plan_pv``, ``plan_macc``, ``plan_pathway``) started by the park's
managers or administrators (others who may see the park get 403, the rest 404); the result is
stored in the job, with notes on unverified and synthetic inputs in Vietnamese and English.
Firms' energy comes from the readings store, or for the synthetic demo park from the seeded
demo generator, exactly as ``ecozone pv|macc|plan`` do.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import asdict
from functools import partial
from typing import Any

import pandas as pd
from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from ecozone.api.access import enforce
from ecozone.api.errors import error_responses
from ecozone.api.jobs import JOB_KINDS, JobContext
from ecozone.api.language import request_language
from ecozone.api.roles import Principal
from ecozone.api.routers.assessments import park_manage
from ecozone.api.routers.jobs import JobOut, job_model
from ecozone.api.routers.kpis import finite
from ecozone.api.routers.parameters import Context, ParkId, SignedIn
from ecozone.errors import EcozoneError, NotFoundError
from ecozone.i18n import translate

router = APIRouter(tags=["plans"])

LANGUAGES = ("vi", "en")
MAX_TIME_LIMIT_S = 600.0
PV_COLUMNS = (
    "firm_id",
    "pv_kwp",
    "battery_kwh",
    "battery_kw",
    "generation_kwh",
    "self_consumed_kwh",
    "export_kwh",
    "curtailed_kwh",
    "self_consumption_share",
    "annual_saving_vnd",
    "capex_vnd",
)


class PlanInputError(EcozoneError):
    """A plan's parameters name something that does not exist (a grid scenario, a target)."""

    http_status = 422


class PvRequest(BaseModel):
    """Parameters of a rooftop PV study."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"year": 2024, "export_price_vnd_per_kwh": None}]})
    year: int | None = Field(default=None, ge=2000, le=2100, description="Year of readings (default: the latest stored).")
    export_price_vnd_per_kwh: float | None = Field(
        default=None, ge=0, le=1e6, description="Price of exported electricity [VND/kWh]; none: zero when no market price."
    )


class MaccRequest(BaseModel):
    """Parameters of an abatement cost curve."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"year": 2024}]})
    year: int | None = Field(default=None, ge=2000, le=2100, description="Year of readings (default: the latest stored).")
    grid_scenario: str | None = Field(default=None, max_length=64, description="Grid emission factor scenario (default one).")


class PathwayRequest(BaseModel):
    """Parameters of a pathway to 2050."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"target": "net-zero-2050", "budget_vnd_per_year": 50e9, "time_limit_s": 60}]},
    )
    target: str = Field(default="net-zero-2050", max_length=64, description="Target id, or `none` for least cost only.")
    budget_vnd_per_year: float | None = Field(default=None, ge=0, le=1e15, description="Yearly investment budget [VND/yr].")
    year: int | None = Field(default=None, ge=2000, le=2100, description="Year of readings (default: the latest stored).")
    grid_scenario: str | None = Field(default=None, max_length=64, description="Grid emission factor scenario (default one).")
    enforce_ndc: bool = Field(default=False, description="Also impose the 2030 NDC reduction as a constraint.")
    time_limit_s: float = Field(default=120.0, gt=0, le=MAX_TIME_LIMIT_S, description="Solver time limit [s].")


def check_grid_scenario(scenario: str | None) -> None:
    """Refuse (422) an unknown grid scenario before a job is queued."""
    from ecozone.decarbonisation.emission_factors import grid_scenarios

    known = grid_scenarios()
    if scenario is not None and scenario not in known:
        raise PlanInputError("api_plans.unknown_grid_scenario", scenario=scenario, known=", ".join(known))


def check_target(target: str) -> None:
    """Refuse (422) an unknown pathway target before a job is queued."""
    from ecozone.decarbonisation.pathway.targets import targets

    known = sorted(targets())
    if target != "none" and target.replace("-", "_") not in known:
        names = [name.replace("_", "-") for name in known]
        raise PlanInputError("api_plans.unknown_target", target=target, known=", ".join([*names, "none"]))


def _clean(value: Any) -> Any:
    """JSON-safe value: numpy scalars as Python numbers, NaN and infinities as None."""
    if hasattr(value, "item") and not isinstance(value, dict | list | tuple | str):
        value = value.item()
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The rows of ``frame`` as JSON-safe dictionaries."""
    return [_clean(row) for row in frame.to_dict(orient="records")]


def plan_notes(analysis: Any, origin: str) -> dict[str, list[str]]:
    """Notes on unverified, synthetic and estimated inputs, in each language."""
    keys: list[tuple[str, dict[str, Any]]] = [("decarbonisation.note.unverified", {})]
    if origin == "synthetic":
        keys.append(("decarbonisation.note.synthetic", {}))
    if analysis.weather.is_estimate:
        keys.append(("decarbonisation.note.weather_estimate", {"label": analysis.weather.label}))
    keys.extend((key, dict(params)) for key, params in analysis.weather.warnings)
    if analysis.pv is not None and analysis.pv.price is not None and analysis.pv.price.basis == "zero_missing_market_price":
        keys.append(("decarbonisation.note.zero_export_price", {}))
    flagged = sorted({flag for energy in analysis.energies.values() for flag in energy.flags})
    if flagged:
        keys.append(("decarbonisation.note.readings_flags", {"flags": ", ".join(flagged)}))
    return {lang: [translate(key, lang, **params) for key, params in keys] for lang in LANGUAGES}


def park_analysis(context: JobContext, export_price: float | None = None) -> tuple[Any, str]:
    """Load the park's firms' energy and analyse every measure (PV sized hour by hour); progress 0.1 → 0.6."""
    from ecozone.cli.decarbonisation import park_energy
    from ecozone.decarbonisation.planning import analyse_park
    from ecozone.decarbonisation.pv.study import PvSettings

    park_id = str(context.parameters["park_id"])
    year = context.parameters.get("year")
    context.progress(0.1, "loading the firms' energy")
    snapshot, energies, origin = park_energy(context.workspace, park_id, None if year is None else int(year))
    if not energies:
        raise NotFoundError("decarbonisation.no_firms", park=park_id)
    context.progress(0.3, "analysing measures and rooftop PV")
    settings = PvSettings(export_price_vnd_per_kwh=export_price, zero_export_price_if_missing=export_price is None)
    return analyse_park(snapshot.park, energies, settings), origin


def pv_job(context: JobContext) -> dict[str, Any]:
    """The ``plan_pv`` job: rooftop PV and batteries sized and simulated hour by hour, per firm."""
    price = context.parameters.get("export_price_vnd_per_kwh")
    analysis, origin = park_analysis(context, None if price is None else float(price))
    context.progress(0.8, "tabulating")
    firms: list[dict[str, Any]] = []
    if analysis.pv is not None:
        table = analysis.pv.table.rename(columns={"capacity_kwp": "pv_kwp"})
        if analysis.sizing is not None:
            table = table.merge(analysis.sizing.table[["firm_id", "capex_vnd"]], on="firm_id", how="left")
        else:
            table["capex_vnd"] = float("nan")
        firms = records(table[[c for c in PV_COLUMNS if c in table.columns]])
    document: dict[str, Any] = {
        "park_id": context.parameters["park_id"],
        "weather": analysis.weather.label,
        "is_estimate": analysis.weather.is_estimate,
        "firms": firms,
        "export_rule": None,
        "notes": plan_notes(analysis, origin),
    }
    if analysis.pv is not None and analysis.pv.rule is not None:
        rule = analysis.pv.rule
        document["export_rule"] = _clean(asdict(rule) | {"valid_from": str(rule.valid_from), "valid_to": str(rule.valid_to)})
    return _clean(document)  # type: ignore[no-any-return]


def macc_job(context: JobContext) -> dict[str, Any]:
    """The ``plan_macc`` job: the marginal abatement cost of every measure in every firm."""
    from ecozone.decarbonisation.macc import MaccSettings, macc_by_measure, macc_table

    analysis, origin = park_analysis(context)
    context.progress(0.8, "building the abatement cost curve")
    scenario = context.parameters.get("grid_scenario")
    settings = MaccSettings(grid_scenario=str(scenario)) if scenario else MaccSettings()
    table, excluded = macc_table(analysis.options, settings)
    return {
        "park_id": context.parameters["park_id"],
        "measures": records(macc_by_measure(table)),
        "options": records(table),
        "excluded": records(excluded),
        "notes": plan_notes(analysis, origin),
    }


def pathway_job(context: JobContext) -> dict[str, Any]:
    """The ``plan_pathway`` job: which measures, in which firms, in which year, to 2050 (HiGHS MILP)."""
    from ecozone.cli.decarbonisation import plan_document
    from ecozone.decarbonisation.pathway import PathwaySettings, plan_pathway

    parameters = context.parameters
    analysis, origin = park_analysis(context)
    context.progress(0.7, "solving the pathway")
    scenario = parameters.get("grid_scenario")
    target = str(parameters.get("target", "net-zero-2050"))
    budget = parameters.get("budget_vnd_per_year")
    settings = PathwaySettings(
        target=None if target == "none" else target,
        budget_vnd_per_year=None if budget is None else float(budget),
        enforce_ndc=bool(parameters.get("enforce_ndc", False)),
        time_limit_s=float(parameters.get("time_limit_s", 120.0)),
        **({"grid_scenario": str(scenario)} if scenario else {}),
    )
    result = plan_pathway(analysis.options, analysis.energies, settings)
    notes = plan_notes(analysis, origin)
    document: dict[str, Any] = finite(_clean(plan_document(str(parameters["park_id"]), result, notes["en"])))
    document["notes"] = notes
    return document


JOB_KINDS["plan_pv"] = pv_job
JOB_KINDS["plan_macc"] = macc_job
JOB_KINDS["plan_pathway"] = pathway_job


def _start(
    kind: str,
    park_id: str,
    parameters: BaseModel,
    request: Request,
    response: Response,
    context: Context,
    principal: Principal,
    *checks: Callable[[], None],
) -> JobOut:
    """Check the caller's rights, then the parameters, and queue the job."""
    enforce(park_manage(principal, park_id, context.registry.state()), principal, "park", park_id)
    for check in checks:
        check()
    job = context.jobs.submit(kind, principal.user_id, {"park_id": park_id} | parameters.model_dump())
    response.headers["Location"] = f"/api/v1/jobs/{job.id}"
    return job_model(job, request_language(request))


@router.post(
    "/parks/{park_id}/plans/pv",
    status_code=202,
    response_model=JobOut,
    responses=error_responses(401, 403, 404, 422),
    summary="Size rooftop PV and batteries for a park's firms, as a background job (its managers and administrators)",
    description=(
        "Simulates each firm's roof hour by hour against its load (pvlib, typical weather of the park's location) "
        "and sizes PV and batteries for the best saving under the export rule in force. Poll `url`: the result "
        "lists per firm kWp, battery, generation, self-consumption, export, saving [VND/yr] and capex [VND]."
    ),
)
def start_pv(
    park_id: ParkId,
    request: Request,
    response: Response,
    context: Context,
    principal: SignedIn,
    body: PvRequest | None = None,
) -> JobOut:
    """Queue a PV study."""
    return _start("plan_pv", park_id, body or PvRequest(), request, response, context, principal)


@router.post(
    "/parks/{park_id}/plans/macc",
    status_code=202,
    response_model=JobOut,
    responses=error_responses(401, 403, 404, 422),
    summary="Build a park's marginal abatement cost curve, as a background job (its managers and administrators)",
    description=(
        "Every measure of the catalogue in every firm where it applies, with its levelised abatement [tCO2e/yr] and "
        "cost [VND/tCO2e], grouped by measure for the curve; options that cannot be costed are listed as excluded."
    ),
)
def start_macc(
    park_id: ParkId,
    request: Request,
    response: Response,
    context: Context,
    principal: SignedIn,
    body: MaccRequest | None = None,
) -> JobOut:
    """Queue a MACC."""
    parameters = body or MaccRequest()
    checks = (partial(check_grid_scenario, parameters.grid_scenario),)
    return _start("plan_macc", park_id, parameters, request, response, context, principal, *checks)


@router.post(
    "/parks/{park_id}/plans/pathway",
    status_code=202,
    response_model=JobOut,
    responses=error_responses(401, 403, 404, 422),
    summary="Plan a park's decarbonisation pathway to 2050, as a background job (its managers and administrators)",
    description=(
        "Chooses which measures to adopt in which firms and years at least cost (HiGHS MILP) under the target and "
        "yearly budget. Poll `url`: the result has the solver status, whether each target is met (and, when not, "
        "the shortfall and the binding constraint), emissions and spending per year and the adoption timeline."
    ),
)
def start_pathway(
    park_id: ParkId,
    request: Request,
    response: Response,
    context: Context,
    principal: SignedIn,
    body: PathwayRequest | None = None,
) -> JobOut:
    """Queue a pathway."""
    parameters = body or PathwayRequest()
    checks = (partial(check_grid_scenario, parameters.grid_scenario), partial(check_target, parameters.target))
    return _start("plan_pathway", park_id, parameters, request, response, context, principal, *checks)
