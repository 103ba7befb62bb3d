"""Dashboard pages of a park's assessment questionnaire (fill, save, evidence upload) and its reports (download).

Both pages belong to the park's managers and administrators: they ask
:func:`ecozone.api.routers.assessments.park_manage`, as the assessment page does, so others get
403 (they may see the park) or 404 (they may not).

The questionnaire is generated from the rulebook (one labelled input per question, of the
question's type), prefilled with the park's latest stored answers. "Save" turns the form into
the same YAML document the CLI's blank questionnaire describes and validates it with
:func:`ecozone.assessment.answers.parse_answers`; on any problem the page shows each message
beside its question and nothing (answers or evidence files) is stored.
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml
from fastapi import APIRouter, Query, Request
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile
from starlette.responses import RedirectResponse, Response

from ecozone.api.access import enforce, find_park
from ecozone.api.auth import app_context, check_csrf, resolve_principal
from ecozone.api.context import AppContext
from ecozone.api.errors import AuthenticationRequiredError, PayloadTooLargeError, PermissionDeniedError
from ecozone.api.roles import Principal
from ecozone.errors import EcozoneError, NotFoundError
from ecozone.i18n import translate
from ecozone.web.rendering import page_language, render

router = APIRouter(include_in_schema=False)

QUESTION_PREFIX = "q."
KPI_PREFIX = "k."
WEB_SOURCE_FILE = "web-questionnaire.yaml"
EVIDENCE_FOLDER = "evidence"
MAX_EVIDENCE_FILES = 100
MAX_FORM_FIELDS = 2000
REPORT_WAIT_SECONDS = 120.0
FORM_RULEBOOK = "vn-decree-35-2022"
FORMS = ("a5", "b5", "a4")
REGISTRY_ENTITIES = ("park", "firm", "meter", "certification")
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")
VI_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
FIRST_YEAR = 2000


class ReportChoiceError(EcozoneError):
    """An unknown report format or form was asked for."""

    http_status = 422


FormValues = dict[str, Any]
"""Field name → submitted text (a list of ids for firm lists), e.g. ``q.power_supply.present`` → ``yes``."""


# ---------------------------------------------------------------------------
# Access
# ---------------------------------------------------------------------------


def _signed_in_redirect(principal: Principal, target: str) -> Response | None:
    if not principal.is_authenticated:
        return RedirectResponse(f"/login?next={target}", status_code=303)
    return None


def _check_manage(request: Request, park_id: str) -> tuple[AppContext, Principal]:
    from ecozone.api.routers.assessments import park_manage

    context = app_context(request)
    principal = resolve_principal(request)
    enforce(park_manage(principal, park_id, context.registry.state()), principal, "park", park_id)
    return context, principal


def _error_status(error: EcozoneError) -> int:
    return error.http_status if 400 <= error.http_status < 500 else 400


# ---------------------------------------------------------------------------
# Form values ⇄ answers document (pure functions)
# ---------------------------------------------------------------------------


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _link_line(link: Any) -> str:
    if not isinstance(link, dict):
        return _text(link)
    firms = link.get("firms")
    firm_text = ", ".join(str(firm) for firm in firms) if isinstance(firms, list) else _text(firms)
    parts = [firm_text, _text(link.get("type")), _text(link.get("description")), _text(link.get("reference"))]
    while len(parts) > 2 and not parts[-1]:
        parts.pop()
    return " | ".join(parts)


def values_from_document(data: Any, rulebook: Any) -> FormValues:
    """The form's values of a stored answers document (the YAML of :func:`ecozone.store.assessment_store.save_answers`).

    Parameters
    ----------
    data : Any
        The loaded YAML document (a mapping with ``answers`` and ``kpis``).
    rulebook : Rulebook
        The rulebook whose questions the form asks.

    Returns
    -------
    dict
        Field name → text (firm lists: a list of firm ids).
    """
    values: FormValues = {}
    if not isinstance(data, dict):
        return values
    values["answered_by"] = _text(data.get("answered_by"))
    values["answered_on"] = _text(data.get("answered_on"))
    raw_answers = data.get("answers")
    answers: dict[str, Any] = raw_answers if isinstance(raw_answers, dict) else {}
    for question in rulebook.questions:
        value = answers.get(question.id)
        name = QUESTION_PREFIX + question.id
        if value is None:
            continue
        if question.type == "evidence" and isinstance(value, dict):
            for part in ("present", "reference", "date", "note"):
                values[f"{name}.{part}"] = _text(value.get(part))
        elif question.type == "number" and isinstance(value, dict):
            values[f"{name}.value"] = _text(value.get("value"))
        elif question.type == "number":
            values[f"{name}.value"] = _text(value)
        elif question.type == "firm_list" and isinstance(value, list):
            values[name] = [str(firm) for firm in value]
            if not value:
                values[f"{name}.none"] = "on"
        elif question.type == "link_list" and isinstance(value, list):
            values[name] = "\n".join(_link_line(link) for link in value)
        else:
            values[name] = _text(value)
    raw_kpis = data.get("kpis")
    kpis: dict[str, Any] = raw_kpis if isinstance(raw_kpis, dict) else {}
    for kpi, entry in kpis.items():
        record = entry if isinstance(entry, dict) else {"value": entry}
        for part in ("value", "reference", "date"):
            values[f"{KPI_PREFIX}{kpi}.{part}"] = _text(record.get(part))
    return values


def values_from_form(fields: FormData) -> FormValues:
    """The submitted form's values (firm-list checkboxes gathered into lists, texts trimmed)."""
    values: FormValues = {}
    for key, value in fields.multi_items():
        if not isinstance(value, str) or key == "csrf_token":
            continue
        if key.startswith(QUESTION_PREFIX) and key.endswith(".firm"):
            values.setdefault(key.removesuffix(".firm"), []).append(value.strip())
        else:
            values[key] = value.strip()
    return values


def _number(text: str) -> float | int | str:
    cleaned = text.replace(" ", "").replace("\u00a0", "")
    try:
        if "," in cleaned and "." not in cleaned:
            cleaned = cleaned.replace(",", ".")
        number = float(cleaned)
    except ValueError:
        return text
    return int(number) if number.is_integer() and "." not in cleaned and "e" not in cleaned.lower() else number


def _day(text: str) -> date | str | None:
    """A date from ``YYYY-MM-DD`` or ``dd/mm/yyyy``; the text itself when neither (the parser reports it)."""
    if not text:
        return None
    found = VI_DATE.match(text)
    try:
        if found:
            return date(int(found.group(3)), int(found.group(2)), int(found.group(1)))
        return date.fromisoformat(text)
    except ValueError:
        return text


def _truth(text: str) -> bool | str | None:
    return {"yes": True, "no": False, "": None}.get(text, text)


def _integer(text: str) -> int | str | None:
    if not text:
        return None
    try:
        return int(text.replace(" ", "").replace(".", "") if re.fullmatch(r"\d{1,3}(\.\d{3})+", text) else text)
    except ValueError:
        return text


def _links(text: str) -> list[dict[str, Any]] | None:
    links = []
    for line in text.splitlines():
        if not line.strip():
            continue
        parts = [part.strip() for part in line.split("|")]
        link: dict[str, Any] = {"firms": [firm.strip() for firm in parts[0].split(",") if firm.strip()]}
        link["type"] = parts[1] if len(parts) > 1 and parts[1] else None
        for index, key in ((2, "description"), (3, "reference"), (4, "partners_outside")):
            if len(parts) > index and parts[index]:
                link[key] = parts[index]
        links.append(link)
    return links or None


def _evidence(values: FormValues, name: str, stored_file: str | None) -> dict[str, Any] | None:
    present = _truth(str(values.get(f"{name}.present", "")))
    reference = str(values.get(f"{name}.reference", ""))
    day = _day(str(values.get(f"{name}.date", "")))
    note = str(values.get(f"{name}.note", ""))
    if stored_file is not None:
        reference = f"{reference}; {stored_file}" if reference and stored_file not in reference else reference or stored_file
        present = True if present is None else present
    if present is None and not (reference or day or note):
        return None
    entry: dict[str, Any] = {"present": present}
    for key, value in (("reference", reference or None), ("date", day), ("note", note or None)):
        if value is not None:
            entry[key] = value
    return entry


def _answer(question: Any, values: FormValues, stored_file: str | None) -> Any:
    name = QUESTION_PREFIX + question.id
    kind = question.type
    if kind == "evidence":
        return _evidence(values, name, stored_file)
    if kind == "firm_list":
        firms = [firm for firm in values.get(name, []) if firm]
        return firms if firms or values.get(f"{name}.none") == "on" else None
    text = values.get(f"{name}.value" if kind == "number" else name, "")
    text = text if isinstance(text, str) else ""
    if kind == "boolean":
        return _truth(text)
    if kind == "integer":
        return _integer(text)
    if kind == "number":
        return {"value": _number(text), "unit": question.unit or ""} if text else None
    if kind == "date":
        return _day(text)
    if kind == "link_list":
        return _links(text)
    return text or None


def answers_document(
    rulebook: Any, park_id: str, values: FormValues, stored_files: dict[str, str] | None = None
) -> dict[str, Any]:
    """The answers document (as an answers YAML file holds it) of the submitted form.

    Parameters
    ----------
    rulebook : Rulebook
        The rulebook answered.
    park_id : str
        The park.
    values : dict
        The form's values (:func:`values_from_form`).
    stored_files : dict, optional
        Question id → workspace-relative path of the evidence file uploaded for it (recorded as its reference).

    Returns
    -------
    dict
        ``rulebook``, ``park``, ``answered_by``, ``answered_on``, ``answers`` and ``kpis``; texts that are not of the
        question's type are kept as text, so that the parser names the problem.
    """
    from ecozone.assessment.questionnaire import answerable_kpis

    files = stored_files or {}
    answers = {question.id: _answer(question, values, files.get(question.id)) for question in rulebook.questions}
    kpis: dict[str, Any] = {}
    for kpi in answerable_kpis(rulebook):
        text = str(values.get(f"{KPI_PREFIX}{kpi}.value", ""))
        if not text:
            continue
        entry: dict[str, Any] = {"value": _number(text)}
        reference = str(values.get(f"{KPI_PREFIX}{kpi}.reference", ""))
        day = _day(str(values.get(f"{KPI_PREFIX}{kpi}.date", "")))
        if reference:
            entry["reference"] = reference
        if day is not None:
            entry["date"] = day
        kpis[kpi] = entry
    return {
        "rulebook": rulebook.id,
        "park": park_id,
        "answered_by": str(values.get("answered_by", "")),
        "answered_on": _day(str(values.get("answered_on", ""))),
        "answers": answers,
        "kpis": kpis,
    }


def problem_field(path: str) -> str:
    """The form field a parser problem belongs to: ``q.<question>``, ``k.<kpi>``, a top-level key or ``general``."""
    for prefix, field in (("answers.", QUESTION_PREFIX), ("kpis.", KPI_PREFIX)):
        if path.startswith(prefix):
            rest = path.removeprefix(prefix)
            return field + re.split(r"[.\[]", rest, maxsplit=1)[0]
    return path if path in ("answered_by", "answered_on") else "general"


def problems_by_field(problems: list[Any], lang: str) -> dict[str, list[str]]:
    """Field → messages (in ``lang``) of the parser's error problems."""
    found: dict[str, list[str]] = {}
    for problem in problems:
        if problem.severity == "error":
            found.setdefault(problem_field(problem.path), []).append(problem.message(lang))
    return found


def evidence_name(question_id: str, file_name: str) -> str:
    """A safe stored name of an evidence file: ``<question>-<file name>`` with only ``A-Za-z0-9._-``."""
    base = Path(file_name.replace("\\", "/")).name
    cleaned = SAFE_NAME.sub("_", base).strip("._") or "evidence"
    return f"{SAFE_NAME.sub('_', question_id)}-{cleaned}"[-150:]


# ---------------------------------------------------------------------------
# Questionnaire page
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class EvidenceUpload:
    """An evidence file sent with the form (kept in memory until the answers are valid)."""

    question_id: str
    relative_path: str
    data: bytes


def _rulebook(rulebook_id: str | None) -> Any:
    from ecozone.api.routers.assessments import rulebook_ids, shipped_rulebook

    ids = rulebook_ids()
    return shipped_rulebook(rulebook_id or (FORM_RULEBOOK if FORM_RULEBOOK in ids else ids[0]))


def _stored(context: AppContext, park_id: str, rulebook: Any) -> tuple[Any, FormValues]:
    from ecozone.store.assessment_store import latest_answers

    stored = latest_answers(context.workspace, park_id, rulebook.id)
    if stored is None:
        return None, {}
    try:
        data = yaml.safe_load(stored.content)
    except yaml.YAMLError:
        data = None
    return stored, values_from_document(data, rulebook)


def _questionnaire_values(
    context: AppContext, principal: Principal, park_id: str, rulebook: Any, lang: str, **extra: Any
) -> dict[str, Any]:
    from ecozone.api.routers.assessments import rulebook_ids
    from ecozone.assessment.kpis import kpi_catalogue
    from ecozone.assessment.questionnaire import answerable_kpis, question_users
    from ecozone.assessment.rulebook import load_rulebook

    item = find_park(context.registry.state().snapshot, park_id)
    stored, values = _stored(context, park_id, rulebook)
    if "values" in extra:
        values = extra.pop("values")
    values.setdefault("answered_by", principal.username or "")
    values.setdefault("answered_on", date.today().isoformat())
    catalogue = kpi_catalogue()
    result: dict[str, Any] = {
        "park": item.park,
        "firms": item.firms,
        "rulebook": rulebook,
        "rulebooks": [(book_id, load_rulebook(book_id).title.get(lang)) for book_id in rulebook_ids()],
        "users": question_users(rulebook),
        "kpis": [(name, catalogue[name]) for name in answerable_kpis(rulebook)],
        "stored": stored,
        "values": values,
        "errors": {},
        "message": None,
        "error": None,
        "today": date.today().isoformat(),
    }
    return result | extra


@router.get("/parks/{park_id}/questionnaire")
def questionnaire_page(park_id: str, request: Request, rulebook: str | None = Query(default=None, max_length=64)) -> Response:
    """The park's questionnaire of ``rulebook`` as a form, prefilled with its latest stored answers."""
    redirect = _signed_in_redirect(resolve_principal(request), f"/parks/{park_id}/questionnaire")
    if redirect is not None:
        return redirect
    context, principal = _check_manage(request, park_id)
    lang = page_language(request)
    book = _rulebook(rulebook)
    return render(request, "questionnaire.html", **_questionnaire_values(context, principal, park_id, book, lang))


async def _questionnaire_form(request: Request, limit: int) -> tuple[FormData, list[tuple[str, str, bytes]]]:
    files: list[tuple[str, str, bytes]] = []
    async with request.form(max_files=MAX_EVIDENCE_FILES, max_fields=MAX_FORM_FIELDS) as form:
        for key, value in form.multi_items():
            if isinstance(value, UploadFile) and value.filename and key.startswith(QUESTION_PREFIX) and key.endswith(".file"):
                data = await value.read(limit + 1)
                if len(data) > limit:
                    raise PayloadTooLargeError("api.upload.too_large", maximum=limit)
                if data:
                    files.append((key.removeprefix(QUESTION_PREFIX).removesuffix(".file"), value.filename, data))
        fields = FormData([(key, value) for key, value in form.multi_items() if isinstance(value, str)])
    return fields, files


def save_questionnaire(
    context: AppContext, park_id: str, rulebook: Any, values: FormValues, uploads: list[EvidenceUpload]
) -> int:
    """Validate the form's answers with the CLI's parser; then write the evidence files and store the answers.

    Returns
    -------
    int
        The stored answer set's id.

    Raises
    ------
    AnswersError
        With every problem found (nothing is written then).
    """
    from ecozone.assessment.answers import parse_answers
    from ecozone.store.assessment_store import save_answers

    document = answers_document(rulebook, park_id, values, {upload.question_id: upload.relative_path for upload in uploads})
    content = yaml.safe_dump(document, allow_unicode=True, sort_keys=False)
    answers = parse_answers(content, rulebook, WEB_SOURCE_FILE)
    for upload in uploads:
        target = context.workspace.path / upload.relative_path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(upload.data)
    return save_answers(
        context.workspace,
        park_id=park_id,
        rulebook_id=rulebook.id,
        answered_by=answers.answered_by,
        answered_on=answers.answered_on,
        source_file=WEB_SOURCE_FILE,
        content=content,
        is_synthetic=answers.synthetic,
    )


@router.post("/parks/{park_id}/questionnaire")
async def questionnaire_save(park_id: str, request: Request) -> Response:
    """Save the filled questionnaire (CSRF-protected); every problem is shown beside its question and nothing is stored."""
    from ecozone.assessment.errors import ProblemsError

    principal = resolve_principal(request)
    if not principal.is_authenticated:
        raise AuthenticationRequiredError("api.auth.required")
    context, principal = _check_manage(request, park_id)
    fields, files = await _questionnaire_form(request, context.settings.max_upload_bytes)
    check_csrf(context, principal, str(fields.get("csrf_token") or ""))
    lang = page_language(request)
    book = _rulebook(str(fields.get("rulebook") or "") or None)
    values = values_from_form(fields)
    known = {question.id for question in book.questions if question.type == "evidence"}
    folder = f"{EVIDENCE_FOLDER}/{SAFE_NAME.sub('_', park_id)}"
    uploads = [
        EvidenceUpload(question_id, f"{folder}/{evidence_name(question_id, name)}", data)
        for question_id, name, data in files
        if question_id in known
    ]
    try:
        await run_in_threadpool(save_questionnaire, context, park_id, book, values, uploads)
    except ProblemsError as error:
        errors = problems_by_field(error.problems, lang)
        page = _questionnaire_values(
            context, principal, park_id, book, lang, values=values, errors=errors, error=error.message(lang)
        )
        return render(request, "questionnaire.html", status=422, **page)
    except EcozoneError as error:
        page = _questionnaire_values(context, principal, park_id, book, lang, values=values, error=error.message(lang))
        return render(request, "questionnaire.html", status=_error_status(error), **page)
    message = translate("web.forms.questionnaire.saved", lang, rulebook=book.id, files=len(uploads))
    return render(
        request, "questionnaire.html", **_questionnaire_values(context, principal, park_id, book, lang, message=message)
    )


# ---------------------------------------------------------------------------
# Reports page
# ---------------------------------------------------------------------------


def _reports_values(context: AppContext, park_id: str, **extra: Any) -> dict[str, Any]:
    from ecozone.api.routers.assessments import park_runs
    from ecozone.api.routers.reports import MEDIA_TYPES

    values: dict[str, Any] = {
        "park": find_park(context.registry.state().snapshot, park_id).park,
        "runs": park_runs(context, park_id),
        "formats": tuple(MEDIA_TYPES),
        "forms": FORMS,
        "year": date.today().year - 1,
        "first_year": FIRST_YEAR,
        "last_year": date.today().year,
        "report_job": None,
        "report_format": None,
        "error": None,
    }
    return values | extra


@router.get("/parks/{park_id}/reports")
def reports_page(park_id: str, request: Request) -> Response:
    """The park's reports: assessment reports (PDF, DOCX, HTML), Decree 35 forms (DOCX), registry export (XLSX)."""
    redirect = _signed_in_redirect(resolve_principal(request), f"/parks/{park_id}/reports")
    if redirect is not None:
        return redirect
    context, _ = _check_manage(request, park_id)
    return render(request, "reports.html", **_reports_values(context, park_id))


@router.post("/parks/{park_id}/reports")
async def reports_generate(park_id: str, request: Request) -> Response:
    """Write the report of a stored run of the park (waiting for the job) and offer its download."""
    from ecozone.api.routers.assessments import readable_run
    from ecozone.api.routers.reports import MEDIA_TYPES, start_report
    from ecozone.store import accounts_store

    principal = resolve_principal(request)
    if not principal.is_authenticated:
        raise AuthenticationRequiredError("api.auth.required")
    context, principal = _check_manage(request, park_id)
    async with request.form(max_files=0, max_fields=10) as form:
        fields = FormData([(key, value) for key, value in form.multi_items() if isinstance(value, str)])
    check_csrf(context, principal, str(fields.get("csrf_token") or ""))
    lang = page_language(request)
    fmt = str(fields.get("format") or "")
    run_text = str(fields.get("run_id") or "")
    try:
        if fmt not in MEDIA_TYPES:
            raise ReportChoiceError("web.forms.reports.unknown_format", format=fmt[:20], known=", ".join(MEDIA_TYPES))
        if not run_text.isdigit() or len(run_text) > 9:
            raise NotFoundError("engines.run_not_found", run=run_text[:20])
        run = readable_run(context, principal, int(run_text))
        if run.park_id != park_id:
            raise PermissionDeniedError("api.denied.park", object_id=park_id)
        job = start_report(context, principal, run.id, fmt, lang)
        await run_in_threadpool(context.jobs.wait, job.id, REPORT_WAIT_SECONDS)
        finished = accounts_store.get_job(context.workspace, job.id)
        if finished is None or finished.status != "succeeded":
            raise NotFoundError("engines.report_not_ready", job=job.id)
    except EcozoneError as error:
        return render(
            request, "reports.html", status=_error_status(error), **_reports_values(context, park_id, error=error.message(lang))
        )
    return render(request, "reports.html", **_reports_values(context, park_id, report_job=job.id, report_format=fmt))


def write_form(context: AppContext, park_id: str, form: str, year: int, lang: str, folder: Path) -> Path:
    """Fill Decree 35 form ``a5``, ``b5`` or ``a4`` of the park for ``year`` as DOCX in ``folder`` (as ``ecozone report``).

    Uses the park's latest stored answers of ``vn-decree-35-2022`` and its measured KPIs; nothing is stored.
    """
    from ecozone.api.routers.assessments import ensure_metric_providers
    from ecozone.assessment.rulebook import load_rulebook
    from ecozone.cli.assessment import form_inputs, measured_savings, run_assessment, symbiosis_potential

    ensure_metric_providers()
    path = folder / f"form-{form}-{park_id}-{year}.docx"
    if form == "a5":
        from ecozone.assessment.forms import write_form_a5

        run = run_assessment(context.workspace, park_id, load_rulebook(FORM_RULEBOOK), year=year, store=False)
        return write_form_a5(run.document, path, year, run.snapshot.park.developer)
    if form == "b5":
        from ecozone.assessment.forms_b5_a4 import form_b5, write_form_b5

        rulebook, inputs = form_inputs(context.workspace, park_id, None, year)
        return write_form_b5(form_b5(rulebook, inputs, year, None, None), path, lang)
    from ecozone.assessment.forms_b5_a4 import form_a4, write_form_a4

    rulebook, inputs = form_inputs(context.workspace, park_id, None, year, with_metrics=False)
    savings = measured_savings(context.workspace, inputs.snapshot, year)
    network = symbiosis_potential(context.workspace, park_id)
    return write_form_a4(form_a4(rulebook, inputs, year, None, savings, network), path, lang)


def _file_response(data: bytes, media_type: str, name: str) -> Response:
    return Response(data, media_type=media_type, headers={"Content-Disposition": f'attachment; filename="{name}"'})


def _form_bytes(context: AppContext, park_id: str, form: str, year: int, lang: str) -> tuple[bytes, str]:
    with tempfile.TemporaryDirectory(prefix="ecozone-form-") as folder:
        path = write_form(context, park_id, form, year, lang, Path(folder))
        return path.read_bytes(), path.name


@router.get("/parks/{park_id}/reports/forms/{form}")
async def download_form(
    park_id: str, form: str, request: Request, year: int | None = Query(default=None, ge=FIRST_YEAR, le=2100)
) -> Response:
    """Download Decree 35 form A.5, B5 or A.4 of the park for ``year`` (DOCX)."""
    principal = resolve_principal(request)
    if not principal.is_authenticated:
        raise AuthenticationRequiredError("api.auth.required")
    context, _ = _check_manage(request, park_id)
    lang = page_language(request)
    if form not in FORMS:
        raise ReportChoiceError("web.forms.reports.unknown_form", form=form[:20], known=", ".join(FORMS))
    try:
        wanted = date.today().year - 1 if year is None else min(year, date.today().year)
        data, name = await run_in_threadpool(_form_bytes, context, park_id, form, wanted, lang)
    except EcozoneError as error:
        return render(
            request, "reports.html", status=_error_status(error), **_reports_values(context, park_id, error=error.message(lang))
        )
    return _file_response(data, DOCX_TYPE, name)


def registry_workbook(context: AppContext, park_id: str, path: Path) -> Path:
    """Write the park's registry (park, firms, meters, certifications) and its latest KPIs as one XLSX workbook.

    Each entity is exported as ``ecozone registry export`` writes it (one sheet each); a ``kpis`` sheet lists the
    energy by carrier [kWh] of the latest year with readings, when there is one.
    """
    from openpyxl import Workbook, load_workbook

    from ecozone.registry.files import write_table
    from ecozone.store.registry_store import export_rows

    workbook = Workbook()
    workbook.remove(workbook.active)
    for entity in REGISTRY_ENTITIES:
        columns, rows = export_rows(context.workspace, entity, park_id)
        single = path.with_name(f"{entity}.xlsx")
        write_table(single, entity, columns, rows)
        source = load_workbook(single, read_only=True)
        sheet = workbook.create_sheet(entity)
        for row in source[entity].iter_rows(values_only=True):
            sheet.append(list(row))
        source.close()
        single.unlink()
    _kpi_sheet(context, park_id, workbook)
    workbook.save(path)
    return path


def _kpi_sheet(context: AppContext, park_id: str, workbook: Any) -> None:
    from ecozone.api.routers.kpis import kpis_of
    from ecozone.web.engine_pages import latest_reading_year

    year = latest_reading_year(context, park_id)
    if year is None:
        return
    try:
        document = kpis_of(context, find_park(context.registry.state().snapshot, park_id), None, year)
    except EcozoneError:
        return
    rows = document.get("energy_by_carrier") or []
    sheet = workbook.create_sheet("kpis")
    columns = ["year", *(list(rows[0]) if rows else ["carrier", "energy_kwh"])]
    sheet.append(columns)
    for row in rows:
        sheet.append([year, *(row.get(column) for column in columns[1:])])


def _registry_bytes(context: AppContext, park_id: str) -> bytes:
    with tempfile.TemporaryDirectory(prefix="ecozone-registry-") as folder:
        return registry_workbook(context, park_id, Path(folder) / "registry.xlsx").read_bytes()


@router.get("/parks/{park_id}/reports/registry.xlsx")
async def download_registry(park_id: str, request: Request) -> Response:
    """Download the park's registry and KPI export (XLSX)."""
    principal = resolve_principal(request)
    if not principal.is_authenticated:
        raise AuthenticationRequiredError("api.auth.required")
    context, _ = _check_manage(request, park_id)
    data = await run_in_threadpool(_registry_bytes, context, park_id)
    return _file_response(data, XLSX_TYPE, f"registry-{SAFE_NAME.sub('_', park_id)}-{date.today().isoformat()}.xlsx")
