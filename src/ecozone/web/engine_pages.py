"""Dashboard pages of the engines: park KPIs, GHG and assessment sections, assessment runs, investor matching, projects.

Every page asks the same access functions as the API routers it mirrors (KPIs and GHG:
:func:`ecozone.api.routers.kpis.park_aggregates_read`; assessments:
:func:`ecozone.api.routers.assessments.park_manage`; matches:
:func:`ecozone.api.routers.matches.may_match`; projects:
:func:`ecozone.api.routers.projects.visible_project_parks`), so a page never shows more than
the API would answer, and a denied page answers 403 or 404 like the API.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile
from starlette.responses import RedirectResponse, Response

from ecozone.api.access import enforce, find_park
from ecozone.api.auth import app_context, check_csrf, resolve_principal
from ecozone.api.context import AppContext
from ecozone.api.errors import AuthenticationRequiredError, PayloadTooLargeError, PermissionDeniedError
from ecozone.api.roles import Access, Principal
from ecozone.errors import EcozoneError, NotFoundError
from ecozone.i18n import translate
from ecozone.store.snapshot import ParkSnapshot
from ecozone.web.rendering import page_language, render

router = APIRouter(include_in_schema=False)

MONTH_FOLDER = re.compile(r"^month=(\d{4})-\d{2}$")
REPORT_WAIT_SECONDS = 120.0
MATCH_NUMBER_FIELDS = (
    "land_ha",
    "power_mw",
    "renewable_share_target_pct",
    "water_m3_day",
    "max_km_to_seaport",
    "max_km_to_airport",
)
WEIGHT_CRITERIA = (
    "land_available_ha",
    "power_capacity_mw",
    "water_supply_capacity_m3_day",
    "distance_seaport_km",
    "distance_airport_km",
    "renewable_share_pct",
)
MATCH_TOP = 20


# ---------------------------------------------------------------------------
# Park overview sections
# ---------------------------------------------------------------------------


def latest_reading_year(context: AppContext, park_id: str) -> int | None:
    """The latest calendar year with stored readings of ``park_id`` (from the dataset's month folders), or None.

    Parameters
    ----------
    context : AppContext
        The application's context (its workspace holds the readings dataset).
    park_id : str
        The park.

    Returns
    -------
    int or None
        The year [yr] of the newest ``month=YYYY-MM`` partition, None when nothing is stored.
    """
    folder = context.workspace.readings_path / f"park_id={park_id}"
    if not folder.is_dir():
        return None
    years = [int(match.group(1)) for path in folder.iterdir() if (match := MONTH_FOLDER.match(path.name)) and any(path.iterdir())]
    return max(years) if years else None


def _first(rows: list[dict[str, Any]] | None) -> dict[str, Any] | None:
    return rows[0] if rows else None


def kpi_summary(document: dict[str, Any]) -> dict[str, Any]:
    """The headline figures of a KPI document (:func:`ecozone.cli.meters.kpi_document`).

    Returns
    -------
    dict
        ``energy`` (rows carrier, unit, quantity, energy_kwh), ``total_kwh`` [kWh], ``peak_kw`` [kW] and
        ``load_factor`` [-] of the month with the highest peak, ``water`` (the water balance row),
        ``waste`` (rows carrier, fate, mass_t), ``renewable_share`` [-] (None when not measured).
    """
    monthly = document.get("electricity_monthly") or []
    peak = max(monthly, key=lambda row: row.get("peak_kw") or 0.0) if monthly else None
    renewable = _first(document.get("renewable"))
    return {
        "year": document["year"],
        "energy": document.get("energy_by_carrier") or [],
        "total_kwh": sum(row.get("energy_kwh") or 0.0 for row in document.get("energy_by_carrier") or []),
        "peak_kw": peak.get("peak_kw") if peak else None,
        "load_factor": peak.get("load_factor") if peak else None,
        "peak_month": str(peak["period_start"])[:7] if peak else None,
        "water": _first(document.get("water")),
        "waste": document.get("waste") or [],
        "renewable_share": renewable.get("renewable_share") if renewable else None,
    }


GHG_SCOPES = ("scope1", "scope2_location", "scope2_market", "scope3")


def ghg_chart_data(by_scope: dict[str, float | None], lang: str) -> str:
    """The JSON of the GHG bar chart: scope labels (in ``lang``) and values [tCO2e] (null when unknown)."""
    labels = [translate(f"web.engines.ghg.{scope}", lang) for scope in GHG_SCOPES]
    values = [by_scope.get(scope) for scope in GHG_SCOPES]
    return json.dumps({"labels": labels, "values": values, "unit": "tCO2e"}, ensure_ascii=False, allow_nan=False)


@dataclass(frozen=True)
class Scorecard:
    """A stored assessment shown on a page: the run, its category scores and its gaps."""

    run_id: int
    rulebook_id: str
    title: str
    assessed_on: str
    score_pct: float | None
    coverage_pct: float | None
    categories: list[dict[str, Any]]
    gaps: list[dict[str, Any]]
    synthetic: bool


def scorecard(run_id: int, document: dict[str, Any], lang: str) -> Scorecard:
    """The scorecard and gaps (roadmap order) of an assessment result document, in ``lang``."""
    titles = {r["id"]: r.get("title", {}).get(lang, r["id"]) for r in document.get("requirements", [])}
    categories = [
        {
            "name": (c.get("name") or {}).get(lang, c["category"]),
            "score_pct": c.get("score_pct"),
            "coverage_pct": c.get("coverage_pct"),
            "met": c.get("met", 0),
            "applicable": c.get("applicable", 0),
        }
        for c in document.get("scores", {}).get("categories", [])
    ]
    gaps = [
        {
            "rank": item.get("rank"),
            "requirement_id": item["requirement_id"],
            "title": titles.get(item["requirement_id"], item["requirement_id"]),
            "prerequisite": bool(item.get("prerequisite")),
            "action": item.get("action"),
            "effort_months": item.get("effort_months"),
        }
        for item in document.get("roadmap", [])
    ]
    overall = document.get("scores", {}).get("overall") or {}
    book = document.get("rulebook", {})
    return Scorecard(
        run_id=run_id,
        rulebook_id=str(book.get("id", "")),
        title=str((book.get("title") or {}).get(lang, book.get("id", ""))),
        assessed_on=str(document.get("assessed_on", "")),
        score_pct=overall.get("score_pct"),
        coverage_pct=overall.get("coverage_pct"),
        categories=categories,
        gaps=gaps,
        synthetic=bool((document.get("inputs") or {}).get("answers", {}).get("synthetic")),
    )


def latest_scorecards(context: AppContext, park_id: str, lang: str) -> list[Scorecard]:
    """The newest stored run of each rulebook of ``park_id`` (newest first)."""
    from ecozone.api.routers.assessments import park_runs
    from ecozone.store.assessment_store import get_run

    newest: dict[str, int] = {}
    for run in park_runs(context, park_id):
        newest.setdefault(run.rulebook_id, run.id)
    cards = []
    for run_id in newest.values():
        stored = get_run(context.workspace, run_id)
        if stored is not None:
            cards.append(scorecard(stored.id, stored.document, lang))
    return cards


def park_sections(request: Request, item: ParkSnapshot) -> dict[str, Any]:
    """The engine sections of a park's overview the caller may see (empty when none has data or is allowed).

    Returns
    -------
    dict
        ``kpis`` (see :func:`kpi_summary`) or None, ``ghg`` (by scope [tCO2e]) and ``ghg_chart`` (JSON) or None,
        ``scorecards`` (list of :class:`Scorecard`), ``may_assess`` (bool), ``symbiosis`` (see
        :func:`symbiosis_section`) and ``plan`` (see :func:`plan_section`), None unless the caller manages the park.
    """
    from ecozone.api.routers.assessments import park_manage
    from ecozone.api.routers.ghg import inventory
    from ecozone.api.routers.kpis import kpis_of, park_aggregates_read

    context = app_context(request)
    principal = resolve_principal(request)
    state = context.registry.state()
    park_id = item.park.id
    lang = page_language(request)
    sections: dict[str, Any] = {"kpis": None, "ghg": None, "ghg_chart": None, "scorecards": [], "may_assess": False}
    sections |= {"symbiosis": None, "plan": None}
    sections["may_assess"] = park_manage(principal, park_id, state) is Access.ALLOWED
    if sections["may_assess"]:  # the symbiosis and plans routers' right: the park's managers and administrators
        sections["symbiosis"] = symbiosis_section(context, park_id, lang)
        sections["plan"] = plan_section(context, park_id, lang)
    if park_aggregates_read(principal, park_id, state.facts) is not Access.ALLOWED:
        return sections
    year = latest_reading_year(context, park_id)
    if year is not None:
        try:
            sections["kpis"] = kpi_summary(kpis_of(context, item, None, year))
            ghg = inventory(context, item, None, year, "AR5", principal)
            if any(value is not None for value in ghg.by_scope.values()):
                sections["ghg"] = {"year": year, "by_scope": ghg.by_scope}
                sections["ghg_chart"] = ghg_chart_data(ghg.by_scope, lang)
        except EcozoneError:
            pass  # no readings of that year for this scope (e.g. only flagged rows): the sections are not shown
    sections["scorecards"] = latest_scorecards(context, park_id, lang)
    return sections


# ---------------------------------------------------------------------------
# Assessment page (park managers and administrators)
# ---------------------------------------------------------------------------


def _require_signed_in(principal: Principal, target: str) -> Response | None:
    if not principal.is_authenticated:
        return RedirectResponse(f"/login?next={target}", status_code=303)
    return None


def _assessment_values(context: AppContext, park_id: str, lang: str, **extra: Any) -> dict[str, Any]:
    from ecozone.api.routers.assessments import park_runs, rulebook_ids
    from ecozone.assessment.rulebook import load_rulebook

    books = [(book_id, str(load_rulebook(book_id).title.get(lang))) for book_id in rulebook_ids()]
    values: dict[str, Any] = {
        "park": find_park(context.registry.state().snapshot, park_id).park,
        "rulebooks": books,
        "chosen": extra.pop("chosen", None) or (books[0][0] if books else ""),
        "runs": park_runs(context, park_id),
        "card": None,
        "message": None,
        "error": None,
        "report_job": None,
    }
    return values | extra


def _check_manage(request: Request, park_id: str) -> tuple[AppContext, Principal]:
    from ecozone.api.routers.assessments import park_manage

    context = app_context(request)
    principal = resolve_principal(request)
    enforce(park_manage(principal, park_id, context.registry.state()), principal, "park", park_id)
    return context, principal


@router.get("/parks/{park_id}/assessment")
def assessment_page(park_id: str, request: Request, run: int | None = None) -> Response:
    """A park's assessment page: choose a rulebook, upload answers, run, see the scorecard, get the PDF."""
    from ecozone.api.routers.assessments import readable_run

    redirect = _require_signed_in(resolve_principal(request), f"/parks/{park_id}/assessment")
    if redirect is not None:
        return redirect
    context, principal = _check_manage(request, park_id)
    lang = page_language(request)
    card = None
    if run is not None:
        stored = readable_run(context, principal, run)
        if stored.park_id != park_id:
            raise PermissionDeniedError("api.denied.park", object_id=park_id)
        card = scorecard(stored.id, stored.document, lang)
    return render(request, "assessment.html", **_assessment_values(context, park_id, lang, card=card))


async def _form(request: Request) -> tuple[FormData, bytes | None, str | None]:
    context = app_context(request)
    limit = context.settings.max_upload_bytes
    async with request.form(max_files=1, max_fields=20) as form:
        upload_file = form.get("file")
        data = await upload_file.read(limit + 1) if isinstance(upload_file, UploadFile) else None
        name = upload_file.filename if isinstance(upload_file, UploadFile) else None
        fields = FormData([(key, value) for key, value in form.multi_items() if isinstance(value, str)])
    if data is not None and len(data) > limit:
        raise PayloadTooLargeError("api.upload.too_large", maximum=limit)
    return fields, data, name


def _error_status(error: EcozoneError) -> int:
    return error.http_status if 400 <= error.http_status < 500 else 400


@router.post("/parks/{park_id}/assessment")
async def assessment_action(park_id: str, request: Request) -> Response:
    """Upload answers (``action=answers``), run an assessment (``action=run``) or write its PDF (``action=report``)."""
    principal = resolve_principal(request)
    if not principal.is_authenticated:
        raise AuthenticationRequiredError("api.auth.required")
    context, principal = _check_manage(request, park_id)
    fields, data, file_name = await _form(request)
    check_csrf(context, principal, str(fields.get("csrf_token") or ""))
    lang = page_language(request)
    action = str(fields.get("action") or "")
    chosen = str(fields.get("rulebook") or "")
    try:
        if action == "answers":
            return await _upload_answers(request, context, principal, park_id, chosen, data, file_name, lang)
        if action == "run":
            run_id = await run_in_threadpool(_run_assessment, context, park_id, chosen)
            return RedirectResponse(f"/parks/{park_id}/assessment?run={run_id}", status_code=303)
        if action == "report":
            return await _write_report(request, context, principal, park_id, str(fields.get("run_id") or ""), lang)
        values = _assessment_values(
            context, park_id, lang, chosen=chosen, error=translate("web.engines.assess.unknown_action", lang)
        )
        return render(request, "assessment.html", status=422, **values)
    except EcozoneError as error:
        values = _assessment_values(context, park_id, lang, chosen=chosen, error=error.message(lang))
        return render(request, "assessment.html", status=_error_status(error), **values)


async def _upload_answers(
    request: Request,
    context: AppContext,
    principal: Principal,
    park_id: str,
    rulebook_id: str,
    data: bytes | None,
    file_name: str | None,
    lang: str,
) -> Response:
    from ecozone.api.routers.assessments import save_answers_upload

    if not data:
        values = _assessment_values(
            context, park_id, lang, chosen=rulebook_id, error=translate("web.engines.assess.no_file", lang)
        )
        return render(request, "assessment.html", status=422, **values)
    stored = await run_in_threadpool(save_answers_upload, context, principal, park_id, rulebook_id, file_name, data)
    message = translate("web.engines.assess.answers_saved", lang, file=stored.source_file, rulebook=stored.rulebook_id)
    return render(request, "assessment.html", **_assessment_values(context, park_id, lang, chosen=rulebook_id, message=message))


def _run_assessment(context: AppContext, park_id: str, rulebook_id: str) -> int:
    """Assess ``park_id`` against a shipped rulebook with its stored answers and KPIs (synchronously); the run id."""
    from ecozone.api.routers.assessments import ensure_metric_providers, shipped_rulebook
    from ecozone.cli.assessment import run_assessment

    book = shipped_rulebook(rulebook_id)
    ensure_metric_providers()
    run = run_assessment(context.workspace, park_id, book)
    if run.run_id is None:  # stored runs always have an id
        raise NotFoundError("engines.run_not_found", run=0)
    return run.run_id


async def _write_report(
    request: Request, context: AppContext, principal: Principal, park_id: str, run_text: str, lang: str
) -> Response:
    from ecozone.api.routers.assessments import readable_run
    from ecozone.api.routers.reports import start_report

    if not run_text.isdigit():
        raise PermissionDeniedError("api.denied.park", object_id=park_id)
    run = readable_run(context, principal, int(run_text))
    if run.park_id != park_id:
        raise PermissionDeniedError("api.denied.park", object_id=park_id)
    job = start_report(context, principal, run.id, "pdf", lang)
    await run_in_threadpool(context.jobs.wait, job.id, REPORT_WAIT_SECONDS)
    card = scorecard(run.id, run.document, lang)
    values = _assessment_values(context, park_id, lang, chosen=run.rulebook_id, card=card, report_job=job.id)
    return render(request, "assessment.html", **values)


@router.get("/reports/{job_id}/download")
def download_report(job_id: str, request: Request) -> Response:
    """Download a generated report (its owner and administrators, while they may read the run)."""
    from ecozone.api.routers.reports import report_file

    principal = resolve_principal(request)
    if not principal.is_authenticated:
        raise AuthenticationRequiredError("api.auth.required")
    path, name, media_type = report_file(app_context(request), principal, job_id[:64])
    return FileResponse(path, media_type=media_type, filename=name)


# ---------------------------------------------------------------------------
# Investor matching (investors and administrators)
# ---------------------------------------------------------------------------


def _check_match(request: Request) -> Response | None:
    from ecozone.api.routers.matches import may_match

    principal = resolve_principal(request)
    redirect = _require_signed_in(principal, "/match")
    if redirect is not None:
        return redirect
    if not may_match(principal):
        raise PermissionDeniedError("engines.denied.match")
    return None


def _number(text: str) -> float | str | None:
    """A form number (decimal comma accepted); the text itself when it is not a number (the engine reports it)."""
    cleaned = text.strip().replace(" ", "")
    if not cleaned:
        return None
    try:
        return float(cleaned.replace(",", ".")) if cleaned.count(",") <= 1 and "." not in cleaned else float(cleaned)
    except ValueError:
        return cleaned


def profile_from_form(fields: FormData) -> dict[str, Any]:
    """An investor profile mapping (as :func:`ecozone.siting.investor.investor_from_mapping` reads it) from the form."""
    profile: dict[str, Any] = {"name": str(fields.get("name") or "").strip()[:200] or "web"}
    sector = str(fields.get("sector_vsic") or "").strip()
    if sector:
        profile["sector_vsic"] = sector[:10]
    for name in MATCH_NUMBER_FIELDS:
        value = _number(str(fields.get(name) or ""))
        if value is not None:
            profile[name] = value
    weights = {}
    for name in WEIGHT_CRITERIA:
        value = _number(str(fields.get(f"weight_{name}") or ""))
        if value is not None:
            weights[name] = value
    if weights:
        profile["weights"] = weights
    return profile


def map_points(document: dict[str, Any]) -> str:
    """The JSON of the ranked parks' map points: name, rank, [longitude, latitude] (only parks with published coordinates)."""
    points = document.get("map_points", {})
    rows = [
        {
            "name": row["name"],
            "rank": row["rank"],
            "value": [points[row["park_id"]]["longitude"], points[row["park_id"]]["latitude"]],
        }
        for row in document.get("ranked", [])
        if row["park_id"] in points
    ]
    return json.dumps(rows, ensure_ascii=False, allow_nan=False)


def _match_values(**extra: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "fields": {},
        "number_fields": MATCH_NUMBER_FIELDS,
        "weight_criteria": WEIGHT_CRITERIA,
        "result": None,
        "points": "[]",
        "error": None,
    }
    return values | extra


@router.get("/match")
def match_page(request: Request) -> Response:
    """The investor matching form."""
    denied = _check_match(request)
    if denied is not None:
        return denied
    return render(request, "match.html", **_match_values())


@router.post("/match")
async def match(request: Request) -> Response:
    """Rank the parks for the submitted profile; show the table, explanations and the map."""
    from ecozone.api.routers.matches import match_parks_document

    principal = resolve_principal(request)
    if not principal.is_authenticated:
        raise AuthenticationRequiredError("api.auth.required")
    denied = _check_match(request)
    if denied is not None:
        return denied
    context = app_context(request)
    async with request.form(max_files=0, max_fields=40) as form:
        fields = FormData([(key, value) for key, value in form.multi_items() if isinstance(value, str)])
    check_csrf(context, principal, str(fields.get("csrf_token") or ""))
    lang = page_language(request)
    shown = {key: str(value)[:50] for key, value in fields.items() if key != "csrf_token"}
    try:
        document = await run_in_threadpool(match_parks_document, context, principal, profile_from_form(fields), lang, MATCH_TOP)
    except EcozoneError as error:
        return render(
            request, "match.html", status=_error_status(error), **_match_values(fields=shown, error=error.message(lang))
        )
    return render(request, "match.html", **_match_values(fields=shown, result=document, points=map_points(document)))


# ---------------------------------------------------------------------------
# Project pipeline (investors, administrators; park managers for their parks)
# ---------------------------------------------------------------------------


@router.get("/projects")
def projects_page(request: Request) -> Response:
    """The green project pipeline the caller may see, ranked by abatement per billion VND."""
    from ecozone.api.routers.projects import visible_project_parks
    from ecozone.projects.pipeline import lender_view, project_row, taxonomy_groups
    from ecozone.store.siting_store import load_projects

    principal = resolve_principal(request)
    redirect = _require_signed_in(principal, "/projects")
    if redirect is not None:
        return redirect
    context = app_context(request)
    state = context.registry.state()
    parks = visible_project_parks(principal, state.facts.parks, state.facts.published)
    if not parks:
        raise PermissionDeniedError("engines.denied.projects")
    projects = [p for p in load_projects(context.workspace) if p.park_id in parks]
    rows = [
        project_row(p)
        for p in lender_view(projects, categories=(), statuses=(), park_id=None, min_irr_pct=None, sort_by="abatement")
    ]
    lang = page_language(request)
    groups = {code: group.name(lang) for code, group in taxonomy_groups().items()}
    return render(request, "projects.html", projects=rows, groups=groups)


# ---------------------------------------------------------------------------
# Firm page sections: data quality and baselines of the firm's meters
# ---------------------------------------------------------------------------

LOCAL_OFFSET_HOURS = 7
"""Viet Nam's offset from UTC [h] (Indochina Time, no daylight saving): readings are counted by local calendar year."""

QUALITY_FLAGS = ("gap", "duplicate", "negative", "spike", "stuck", "estimated")
"""The quality flags shown per meter (names of :class:`ecozone.meters.quality.ReadingFlag` members)."""

CONFIDENCES = (0.68, 0.9)
"""Confidence levels of the savings uncertainty shown [-] (those the baselines engine computes)."""


@dataclass(frozen=True)
class MeterQuality:
    """Data quality of one meter's readings over its latest local calendar year with readings.

    Attributes
    ----------
    meter_id : str
        The meter.
    year : int [yr]
        Latest local (UTC+7) calendar year with readings.
    readings : int [-]
        Stored readings of that year.
    flagged : int [-]
        Readings of that year with at least one of :data:`QUALITY_FLAGS`.
    by_flag : dict of str to int [-]
        Readings of that year carrying each flag (a reading may carry several).
    """

    meter_id: str
    year: int
    readings: int
    flagged: int
    by_flag: dict[str, int]

    @property
    def flagged_share(self) -> float:
        """Share of the year's readings with any shown flag [-]."""
        return self.flagged / self.readings if self.readings else 0.0

    def share(self, name: str) -> float:
        """Share of the year's readings carrying flag ``name`` [-]."""
        return self.by_flag.get(name, 0) / self.readings if self.readings else 0.0


def latest_year_quality(counts: Any) -> dict[str, MeterQuality]:
    """Keep, per meter, the counts of its latest year (pure; ``counts`` from :func:`reading_quality_counts`).

    Parameters
    ----------
    counts : pandas.DataFrame
        One row per meter and local year: ``meter_id``, ``year``, ``readings``, ``flagged`` and one
        column per name of :data:`QUALITY_FLAGS` (counts [-]).

    Returns
    -------
    dict
        Meter id → :class:`MeterQuality` of its latest year.
    """
    result: dict[str, MeterQuality] = {}
    for row in counts.sort_values(["meter_id", "year"]).itertuples(index=False):
        result[str(row.meter_id)] = MeterQuality(
            meter_id=str(row.meter_id),
            year=int(row.year),
            readings=int(row.readings),
            flagged=int(row.flagged),
            by_flag={name: int(getattr(row, name)) for name in QUALITY_FLAGS},
        )
    return result


def reading_quality_counts(context: AppContext, park_id: str, meter_ids: list[str]) -> tuple[Any, dict[str, Any]]:
    """Count the stored readings of ``meter_ids`` per meter and local year, with their flags (one DuckDB query).

    Returns
    -------
    tuple
        The counts (pandas.DataFrame, see :func:`latest_year_quality`) and the last reading time (UTC, naive) of each meter.
    """
    import ibis

    from ecozone.meters.dataset import open_readings
    from ecozone.meters.quality import FLAG_NAMES

    table = open_readings(context.workspace.readings_path)
    table = table.filter(table.park_id == park_id, table.meter_id.isin(meter_ids))
    table = table.mutate(
        year=(table.ts_utc + ibis.interval(hours=LOCAL_OFFSET_HOURS)).year(), flag_bits=table.flags.cast("int64")
    )
    shown = sum(int(FLAG_NAMES[name]) for name in QUALITY_FLAGS)

    def flagged(mask: int) -> Any:
        return ((table.flag_bits & mask) != 0).ifelse(1, 0).sum()

    counts = (
        table.group_by(["meter_id", "year"])
        .aggregate(
            readings=table.count(),
            flagged=flagged(shown),
            last_ts=table.ts_utc.max(),
            **{name: flagged(int(FLAG_NAMES[name])) for name in QUALITY_FLAGS},
        )
        .execute()
    )
    last = counts.groupby("meter_id")["last_ts"].max().to_dict() if len(counts) else {}
    return counts, {str(key): value for key, value in last.items()}


def _fraction(value: Any) -> float | None:
    return None if value is None else float(value)


def baseline_summary(model_document: dict[str, Any]) -> dict[str, Any]:
    """The figures shown of a stored baseline (from :func:`ecozone.baselines.serialisation.model_to_dict`).

    Returns
    -------
    dict
        ``form``, ``frequency``, ``start``/``end`` (ISO dates), ``cv_rmse`` and ``nmbe`` [-], their Guideline 14
        limits ``cv_rmse_max``/``nmbe_max`` [-], ``passes`` (bool), ``status`` (verified|unverified), ``unit``.
    """
    statistics = model_document.get("statistics") or {}
    acceptance = model_document.get("acceptance") or {}
    return {
        "form": model_document.get("form"),
        "frequency": model_document.get("frequency"),
        "start": model_document["baseline"]["start"],
        "end": model_document["baseline"]["end"],
        "cv_rmse": _fraction(statistics.get("cv_rmse")),
        "nmbe": _fraction(statistics.get("nmbe")),
        "cv_rmse_max": _fraction(acceptance.get("cv_rmse_max")),
        "nmbe_max": _fraction(acceptance.get("nmbe_max")),
        "passes": bool(acceptance.get("passes")),
        "status": acceptance.get("status", "unverified"),
        "unit": model_document.get("energy_unit", "kWh"),
    }


def savings_summary(document: dict[str, Any]) -> dict[str, Any]:
    """The figures shown of a savings document (:meth:`ecozone.baselines.savings.SavingsResult.to_dict`).

    Returns
    -------
    dict
        ``start``/``end``, ``savings`` [unit], ``fraction`` [-] (None when undefined), ``uncertainty``
        (confidence [-] → absolute [unit]), ``disqualified`` (bool), ``events`` (non-routine events count).
    """
    uncertainty = {float(item["confidence"]): item.get("absolute") for item in document.get("uncertainty", [])}
    return {
        "start": document["reporting"]["start"],
        "end": document["reporting"]["end"],
        "savings": document.get("savings"),
        "fraction": document.get("savings_fraction"),
        "uncertainty": [(level, uncertainty.get(level)) for level in CONFIDENCES if level in uncertainty],
        "disqualified": bool(document.get("disqualified")),
        "events": len(document.get("non_routine_events") or []),
    }


def savings_chart_data(document: dict[str, Any], lang: str) -> str:
    """The JSON of the savings line chart: period starts, observed and counterfactual energy [unit] per period."""
    periods = document.get("periods") or []
    return json.dumps(
        {
            "labels": [str(row["period_start"])[:10] for row in periods],
            "observed": [row.get("observed") for row in periods],
            "counterfactual": [row.get("counterfactual") for row in periods],
            "names": [translate("web_firm.savings.observed", lang), translate("web_firm.savings.counterfactual", lang)],
            "unit": document.get("energy_unit", "kWh"),
        },
        ensure_ascii=False,
        allow_nan=False,
    )


def _reporting_period(baseline_end: str, last_reading: Any) -> str | None:
    """The reporting period after the baseline (``YYYY-MM-DD:YYYY-MM-DD``) up to the last local reading day, or None."""
    import pandas as pd

    if last_reading is None or pd.isna(last_reading):
        return None
    start = (pd.Timestamp(baseline_end) + pd.Timedelta(days=1)).date()
    end = (pd.Timestamp(last_reading) + pd.Timedelta(hours=LOCAL_OFFSET_HOURS)).date()
    return f"{start.isoformat()}:{end.isoformat()}" if end >= start else None


def meter_baseline(context: AppContext, meter: Any, last_reading: Any, lang: str) -> dict[str, Any] | None:
    """A meter's stored baseline and its savings after the baseline period (None when no baseline is stored)."""
    from ecozone.api.routers.baselines import meter_savings
    from ecozone.baselines.serialisation import model_to_dict
    from ecozone.store.baselines_store import load_model, model_path

    if not model_path(context.workspace, meter.id).exists():
        return None
    try:
        model, _ = load_model(context.workspace, meter.id)
    except (EcozoneError, ValueError, KeyError):
        return None
    summary: dict[str, Any] = {"meter_id": meter.id, "model": baseline_summary(model_to_dict(model))}
    summary |= {"savings": None, "chart": None, "note": None}
    reporting = _reporting_period(summary["model"]["end"], last_reading)
    if reporting is None:
        summary["note"] = translate("web_firm.savings.no_reporting", lang)
        return summary
    try:
        document = meter_savings(context, meter, reporting)
    except EcozoneError as error:
        summary["note"] = error.message(lang)
        return summary
    summary["savings"] = savings_summary(document)
    summary["chart"] = savings_chart_data(document, lang)
    return summary


def firm_sections(request: Request, firm: Any) -> dict[str, Any]:
    """The engine sections of a firm's page: each meter's data quality and its baseline with savings.

    Only meters the caller may read (:func:`ecozone.api.roles.meter_read`, as the readings and baselines
    routers) are shown; the firm page itself already asks :func:`ecozone.api.roles.firm_read`.

    Returns
    -------
    dict
        ``quality`` (list of :class:`MeterQuality`, in the firm's meter order) and ``baselines`` (list of dicts,
        see :func:`meter_baseline`); both empty when there is no data.
    """
    from ecozone.api.roles import meter_read

    context = app_context(request)
    principal = resolve_principal(request)
    state = context.registry.state()
    lang = page_language(request)
    item = find_park(state.snapshot, firm.park_id)
    meters = [
        meter
        for meter in item.meters
        if meter.firm_id == firm.id and meter_read(principal, meter.id, state.facts) is Access.ALLOWED
    ]
    sections: dict[str, Any] = {"quality": [], "baselines": []}
    if not meters:
        return sections
    counts, last = reading_quality_counts(context, item.park.id, [meter.id for meter in meters])
    quality = latest_year_quality(counts)
    sections["quality"] = [quality[meter.id] for meter in meters if meter.id in quality]
    for meter in meters:
        baseline = meter_baseline(context, meter, last.get(meter.id), lang)
        if baseline is not None:
            sections["baselines"].append(baseline)
    return sections


# ---------------------------------------------------------------------------
# Park overview: symbiosis and plan sections (its managers and administrators)
# ---------------------------------------------------------------------------


class PlanActionError(EcozoneError):
    """The dashboard asked for a plan job that does not exist."""

    http_status = 422


MACC_TOP = 10
_CANDIDATE_CACHE: dict[tuple[str, str, int], int] = {}
_CANDIDATE_CACHE_SIZE = 64


def latest_park_jobs(context: AppContext, park_id: str, kind: str, limit: int = 50) -> tuple[Any, Any]:
    """The newest succeeded job of ``kind`` for ``park_id``, and the newest job of that kind when it is another one.

    Returns
    -------
    tuple
        (:class:`ecozone.store.accounts_store.JobRecord` or None, JobRecord or None).
    """
    from sqlalchemy import select

    from ecozone.store.accounts_store import get_job
    from ecozone.store.database import session_scope
    from ecozone.store.models_accounts import Job

    marker = f'"park_id": {json.dumps(park_id, ensure_ascii=False)}'
    with session_scope(context.workspace) as session:
        statement = (
            select(Job.id, Job.status, Job.parameters)
            .where(Job.kind == kind, Job.parameters.contains(marker))
            .order_by(Job.created_at.desc(), Job.id)
            .limit(limit)
        )
        rows = [(job_id, status) for job_id, status, parameters in session.execute(statement) if _park_of(parameters) == park_id]
    newest = rows[0] if rows else None
    succeeded = next((job_id for job_id, status in rows if status == "succeeded"), None)
    done = get_job(context.workspace, succeeded) if succeeded else None
    pending = get_job(context.workspace, newest[0]) if newest is not None and newest[0] != succeeded else None
    return done, pending


def _park_of(parameters: str | None) -> str | None:
    try:
        value = json.loads(parameters or "{}").get("park_id")
    except (ValueError, AttributeError):
        return None
    return None if value is None else str(value)


def candidate_count(context: AppContext, park_id: str) -> int:
    """Candidate exchanges of the park's stream catalogue (matched once per catalogue version, then cached) [-]."""
    from ecozone.cli.symbiosis import load_park_streams, run_match

    streams = load_park_streams(context.workspace, park_id)
    key = (str(context.workspace.path), park_id, hash(repr(streams.streams)))
    if key not in _CANDIDATE_CACHE:
        if len(_CANDIDATE_CACHE) >= _CANDIDATE_CACHE_SIZE:
            _CANDIDATE_CACHE.clear()
        _CANDIDATE_CACHE[key] = len(run_match(streams).candidates)
    return _CANDIDATE_CACHE[key]


def _job_state(job: Any, lang: str) -> dict[str, Any] | None:
    if job is None:
        return None
    error = None
    if job.error is not None:
        key = str(job.error.get("key", "api.job.crashed"))
        error = translate(key, lang, **job.error.get("params", {}))
    return {"id": job.id, "status": job.status, "progress": job.progress, "error": error}


def symbiosis_section(context: AppContext, park_id: str, lang: str) -> dict[str, Any] | None:
    """The park's symbiosis summary: streams, candidates, the latest optimised network's metrics (None without streams).

    Returns
    -------
    dict or None
        ``outputs``, ``inputs``, ``candidates`` [-]; ``network`` (``links`` [-], ``diverted_t`` [t/yr],
        ``tco2e`` [tCO2e/yr], ``vnd`` [VND/yr], ``finished`` datetime, ``status``) or None; ``pending`` job state or None.
    """
    from ecozone.store.symbiosis_store import load_streams

    streams = load_streams(context.workspace, park_id)
    if not streams:
        return None
    try:
        candidates: int | None = candidate_count(context, park_id)
    except EcozoneError:
        candidates = None
    done, pending = latest_park_jobs(context, park_id, "symbiosis_optimise")
    network = None
    if done is not None and isinstance(done.result, dict):
        metrics = done.result.get("metrics") or {}
        network = {
            "links": metrics.get("links"),
            "diverted_t": metrics.get("diverted_from_landfill_t"),
            "tco2e": metrics.get("tco2e_avoided"),
            "vnd": metrics.get("vnd_saved"),
            "status": done.result.get("status"),
            "finished": done.finished_at,
        }
    return {
        "outputs": sum(1 for stream in streams if stream.direction == "output"),
        "inputs": sum(1 for stream in streams if stream.direction == "input"),
        "candidates": candidates,
        "network": network,
        "pending": _job_state(pending, lang),
    }


def macc_rows(measures: list[dict[str, Any]], lang: str, top: int = MACC_TOP) -> list[dict[str, Any]]:
    """The ``top`` measures of a MACC job result by cost per tonne (cheapest first; measures without a cost last).

    Returns
    -------
    list of dict
        ``measure_id``, ``name`` (in ``lang``), ``firms`` [-], ``abatement_t`` [tCO2e/yr, levelised],
        ``cost_vnd_per_t`` [VND/tCO2e], ``capex_vnd`` [VND], ``npv_vnd`` [VND].
    """

    def cost(row: dict[str, Any]) -> tuple[int, float]:
        value = row.get("cost_vnd_per_t")
        return (1, 0.0) if value is None else (0, float(value))

    return [
        {
            "measure_id": row.get("measure_id"),
            "name": row.get(f"name_{lang}") or row.get("name_en") or row.get("measure_id"),
            "firms": row.get("firms"),
            "abatement_t": row.get("levelised_abatement_t_per_yr"),
            "cost_vnd_per_t": row.get("cost_vnd_per_t"),
            "capex_vnd": row.get("capex_vnd"),
            "npv_vnd": row.get("npv_vnd"),
        }
        for row in sorted(measures, key=cost)[:top]
    ]


def plan_section(context: AppContext, park_id: str, lang: str) -> dict[str, Any]:
    """The park's latest abatement cost curve (from the newest finished ``plan_macc`` job) and any newer job's state.

    Returns
    -------
    dict
        ``measures`` (see :func:`macc_rows`, empty without a finished job), ``total`` [-] measures in the curve,
        ``notes`` (in ``lang``), ``finished`` (datetime or None), ``pending`` (job state or None).
    """
    done, pending = latest_park_jobs(context, park_id, "plan_macc")
    result = done.result if done is not None and isinstance(done.result, dict) else {}
    measures = list(result.get("measures") or [])
    notes = (result.get("notes") or {}).get(lang) or []
    return {
        "measures": macc_rows(measures, lang),
        "total": len(measures),
        "notes": [str(note) for note in notes],
        "finished": done.finished_at if done is not None else None,
        "pending": _job_state(pending, lang),
    }


@router.post("/parks/{park_id}/plans/run")
async def run_plan_job(park_id: str, request: Request) -> Response:
    """Queue the optimised symbiosis network (``action=symbiosis_optimise``) or the MACC (``action=plan_macc``) of a park."""
    from ecozone.api.routers.plans import MaccRequest
    from ecozone.api.routers.symbiosis import OptimiseRequest

    principal = resolve_principal(request)
    if not principal.is_authenticated:
        raise AuthenticationRequiredError("api.auth.required")
    context, principal = _check_manage(request, park_id)
    async with request.form(max_files=0, max_fields=10) as form:
        fields = FormData([(key, value) for key, value in form.multi_items() if isinstance(value, str)])
    check_csrf(context, principal, str(fields.get("csrf_token") or ""))
    action = str(fields.get("action") or "")
    defaults: dict[str, type[OptimiseRequest] | type[MaccRequest]] = {
        "symbiosis_optimise": OptimiseRequest,
        "plan_macc": MaccRequest,
    }
    if action not in defaults:
        raise PlanActionError("web_firm.plans.unknown_action", action=action[:40])
    context.jobs.submit(action, principal.user_id, {"park_id": park_id} | defaults[action]().model_dump())
    return RedirectResponse(f"/parks/{park_id}#plans", status_code=303)


def _register_template_globals() -> None:
    """Let ``firm.html`` ask for its engine sections (the firm page's route renders it with the registry values only)."""
    from ecozone.web.rendering import environment

    environment().globals["firm_sections"] = firm_sections


_register_template_globals()
