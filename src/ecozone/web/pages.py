"""The dashboard's pages: national overview, park, firm, data upload, sign-in, language switch.

Pages are rendered on the server; charts and the map are drawn by vendored ECharts from
the same JSON API the pages' data come from. Access follows the API's rules exactly (the same
functions decide), and a denied page answers 403 or 404 like the API.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.responses import RedirectResponse, Response

from ecozone.api import security
from ecozone.api.access import enforce, find_firm, find_park, firm_certifications
from ecozone.api.auth import app_context, check_csrf, client_address, end_session, resolve_principal, sign_in, start_session
from ecozone.api.errors import AuthenticationRequiredError, PayloadTooLargeError, TooManyAttemptsError
from ecozone.api.language import LANGUAGE_COOKIE, LANGUAGES
from ecozone.api.roles import Access, firm_read, park_details_read, park_read, sees_park
from ecozone.api.routers.parks import overview
from ecozone.api.routers.uploads import UPLOAD_ENTITIES, import_upload
from ecozone.errors import EcozoneError, ImportValidationError
from ecozone.i18n import translate
from ecozone.web.engine_pages import park_sections
from ecozone.web.engine_pages import router as engine_router
from ecozone.web.questionnaire_pages import router as questionnaire_router
from ecozone.web.rendering import local_path, page_language, render

router = APIRouter(include_in_schema=False)
router.include_router(engine_router)
router.include_router(questionnaire_router)

LOGIN_CSRF_COOKIE = "ecozone_login_csrf"
YEAR_SECONDS = 365 * 24 * 3600


def _province_name(code: str | None, layout: str = "2025") -> str:
    from ecozone.provinces import provinces

    if code is None:
        return "–"
    province = provinces(layout).get(code)
    return province.name if province else code


def _national_rows(request: Request) -> list[dict[str, Any]]:
    from ecozone.stats.document import stats_document

    context = app_context(request)
    rows: list[dict[str, Any]] = context.memo(("national_rows",), lambda: stats_document(None)["national"])
    return rows


def _by_province(snapshot: Any) -> list[dict[str, Any]]:
    from ecozone.stats.document import stats_document

    rows: list[dict[str, Any]] = stats_document(snapshot, "2025")["registry"]["by_province"]
    return rows


@router.get("/")
def national_page(request: Request) -> Response:
    """The national overview: figures, the province map, the time series and the visible parks."""
    from ecozone.stats import national
    from ecozone.stats.registry import registry_totals
    from ecozone.store.snapshot import RegistrySnapshot

    context = app_context(request)
    principal = resolve_principal(request)
    state = context.registry.state()
    parks = [item for item in state.snapshot.parks if sees_park(principal, item.park.id, state.facts)]
    visible = RegistrySnapshot(tuple(parks))
    by_province = context.memo(
        ("web_by_province", state.version, frozenset(item.park.id for item in parks)), lambda: _by_province(visible)
    )
    year = national.default_year()
    return render(
        request,
        "national.html",
        latest=national.latest_year_end(year),
        latest_year=year,
        series=_national_rows(request),
        parks=parks,
        totals=registry_totals(visible),
        by_province=by_province,
        province_name=_province_name,
        published=state.facts.published,
    )


@router.get("/parks/{park_id}")
def park_page(park_id: str, request: Request) -> Response:
    """A park's overview page."""
    context = app_context(request)
    principal = resolve_principal(request)
    state = context.registry.state()
    enforce(park_read(principal, park_id, state.facts), principal, "park", park_id)
    item = find_park(state.snapshot, park_id)
    return render(
        request,
        "park.html",
        item=item,
        view=overview(item, state, principal),
        province_name=_province_name,
        may_upload=park_details_read(principal, park_id, state.facts) is Access.ALLOWED,
        today=date.today(),
        sections=park_sections(request, item),
    )


@router.get("/firms/{firm_id}")
def firm_page(firm_id: str, request: Request) -> Response:
    """A firm's page: its record, meters and certificates."""
    from ecozone.registry.countries import country_name
    from ecozone.registry.vsic import vsic_label

    context = app_context(request)
    principal = resolve_principal(request)
    state = context.registry.state()
    enforce(firm_read(principal, firm_id, state.facts), principal, "firm", firm_id)
    firm = find_firm(state.snapshot, firm_id)
    item = find_park(state.snapshot, firm.park_id)
    lang = page_language(request)
    return render(
        request,
        "firm.html",
        firm=firm,
        park=item.park,
        park_visible=sees_park(principal, item.park.id, state.facts),
        meters=[meter for meter in item.meters if meter.firm_id == firm_id],
        certifications=firm_certifications(item, firm_id),
        vsic=_safe(lambda: vsic_label(firm.vsic_code, lang), firm.vsic_code),
        country=_safe(lambda: country_name(firm.investor_country, lang), firm.investor_country) if firm.investor_country else "–",
        today=date.today(),
    )


def _safe(compute: Any, fallback: str) -> str:
    try:
        return str(compute())
    except EcozoneError:
        return fallback


@router.get("/login")
def login_form(request: Request, next: str = "/") -> Response:
    """The sign-in form (with a CSRF token bound to a short-lived cookie)."""
    token = security.new_secret()
    response = render(request, "login.html", login_csrf=token, next_path=local_path(next), error=None)
    _set_login_csrf(request, response, token)
    return response


def _set_login_csrf(request: Request, response: Response, token: str) -> None:
    response.set_cookie(
        LOGIN_CSRF_COOKIE,
        token,
        max_age=3600,
        httponly=True,
        samesite="strict",
        path="/login",
        secure=request.url.scheme == "https",
    )


@router.post("/login")
async def login(
    request: Request,
    username: Annotated[str, Form(max_length=64)] = "",
    password: Annotated[str, Form(max_length=1024)] = "",
    csrf_token: Annotated[str, Form(max_length=128)] = "",
    next: Annotated[str, Form(max_length=500)] = "/",
) -> Response:
    """Check the credentials (throttled), open a session and go on to ``next``."""
    context = app_context(request)
    target = local_path(next)
    if not security.same_secret(request.cookies.get(LOGIN_CSRF_COOKIE, ""), csrf_token) or not csrf_token:
        return _login_again(request, target, "web.login.expired", 403)
    try:
        account = await run_in_threadpool(sign_in, context, username, password, client_address(request))
    except TooManyAttemptsError as error:
        response = _login_again(request, target, error.key, 429, retry_after=error.retry_after)
        response.headers["Retry-After"] = str(error.retry_after)
        return response
    except AuthenticationRequiredError as error:
        return _login_again(request, target, error.key, 401)
    response = RedirectResponse(target, status_code=303)
    await run_in_threadpool(start_session, context, request, response, account)
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/login")
    if request.cookies.get(LANGUAGE_COOKIE) is None:
        response.set_cookie(LANGUAGE_COOKIE, account.language, max_age=YEAR_SECONDS, samesite="lax", path="/")
    return response


def _login_again(request: Request, target: str, key: str, status: int, **params: Any) -> Response:
    token = security.new_secret()
    error = translate(key, page_language(request), **params)
    response = render(request, "login.html", status=status, login_csrf=token, next_path=target, error=error)
    _set_login_csrf(request, response, token)
    return response


@router.post("/logout")
def logout(request: Request, csrf_token: Annotated[str, Form(max_length=128)] = "") -> Response:
    """Close the session (CSRF-protected) and return to the national overview."""
    context = app_context(request)
    principal = resolve_principal(request)
    check_csrf(context, principal, csrf_token)
    response = RedirectResponse("/", status_code=303)
    end_session(context, principal, response)
    return response


@router.get("/lang/{code}")
def switch_language(code: str, request: Request, next: str = "/") -> Response:
    """Remember the chosen language in a cookie and go back to ``next``."""
    response = RedirectResponse(local_path(next), status_code=303)
    if code in LANGUAGES:
        response.set_cookie(LANGUAGE_COOKIE, code, max_age=YEAR_SECONDS, samesite="lax", path="/")
    return response


@router.get("/upload")
def upload_form(request: Request) -> Response:
    """The data-upload form (signed-in users)."""
    principal = resolve_principal(request)
    if not principal.is_authenticated:
        return RedirectResponse("/login?next=/upload", status_code=303)
    return render(request, "upload.html", entities=UPLOAD_ENTITIES, report=None, problems=None, error=None, chosen="firms")


@router.post("/upload")
async def upload(request: Request) -> Response:
    """Import an uploaded table and show the report row by row (nothing is written on any problem)."""
    context = app_context(request)
    principal = resolve_principal(request)
    if not principal.is_authenticated:
        raise AuthenticationRequiredError("api.auth.required")
    limit = context.settings.max_upload_bytes
    async with request.form(max_files=1, max_fields=10) as form:
        check_csrf(context, principal, str(form.get("csrf_token") or ""))
        chosen = str(form.get("entity") or "")
        upload_file = form.get("file")
        entity = UPLOAD_ENTITIES.get(chosen)
        values: dict[str, Any] = {"entities": UPLOAD_ENTITIES, "report": None, "problems": None, "error": None, "chosen": chosen}
        lang = page_language(request)
        if entity is None or not isinstance(upload_file, UploadFile):
            return render(request, "upload.html", status=422, **values | {"error": translate("web.upload.choose", lang)})
        data = await upload_file.read(limit + 1)
        file_name = upload_file.filename
        dry_run = form.get("dry_run") == "on"
        decimal_comma = form.get("decimal_comma") == "on"
    try:
        if len(data) > limit:
            raise PayloadTooLargeError("api.upload.too_large", maximum=limit)
        summary = await run_in_threadpool(
            import_upload,
            context,
            principal,
            entity,
            file_name,
            data,
            dry_run=dry_run,
            decimal_comma=decimal_comma,
        )
    except ImportValidationError as error:
        return render(request, "upload.html", status=422, **values | {"problems": error.problems, "error": error.message(lang)})
    except EcozoneError as error:
        status = error.http_status if 400 <= error.http_status < 500 else 400
        return render(request, "upload.html", status=status, **values | {"error": error.message(lang)})
    return render(request, "upload.html", **values | {"report": summary})
