"""Rendering dashboard pages: Jinja2 templates, the request's language, Vietnamese formats.

Every visible string comes from the i18n catalogues (``web.*`` keys) or from bilingual
reference data (vocabulary labels, VSIC, country and province names); numbers and dates
follow the page's language (``1.234,5`` and ``29/11/2026`` in Vietnamese).
"""

from __future__ import annotations

from datetime import date, datetime
from functools import cache
from typing import Any
from urllib.parse import quote, urlsplit
from zoneinfo import ZoneInfo

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse

from ecozone.api.auth import app_context, csrf_token_of, resolve_principal
from ecozone.api.language import request_language
from ecozone.api.roles import ANONYMOUS, Principal
from ecozone.errors import EcozoneError
from ecozone.i18n import translate
from ecozone.registry.schema import vocabulary
from ecozone.stats.number_format import format_number

DISPLAY_ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
WEB_DEFAULT_LANGUAGE = "vi"


def format_date(value: date | datetime | None, lang: str, missing: str = "–") -> str:
    """Return a date as ``dd/mm/yyyy`` (vi) or ``yyyy-mm-dd`` (en); datetimes shown in Viet Nam's time zone."""
    if value is None:
        return missing
    if isinstance(value, datetime):
        moment = value.astimezone(DISPLAY_ZONE) if value.tzinfo else value
        return moment.strftime("%d/%m/%Y %H:%M" if lang == "vi" else "%Y-%m-%d %H:%M")
    return value.strftime("%d/%m/%Y" if lang == "vi" else "%Y-%m-%d")


def label(vocabulary_name: str, code: str | None, lang: str) -> str:
    """Return the label of ``code`` in a controlled vocabulary (the code itself if unknown)."""
    if code is None:
        return "–"
    entry = vocabulary(vocabulary_name).get(code)
    return str(entry.get(lang, code)) if entry else code


def local_path(target: str | None, fallback: str = "/") -> str:
    """Return ``target`` if it is a path on this site (no scheme, host or ``//``), else ``fallback``."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return fallback
    return target


@cache
def environment() -> Environment:
    """The Jinja2 environment of the dashboard's templates (autoescaped)."""
    env = Environment(
        loader=PackageLoader("ecozone.web", "templates"),
        autoescape=select_autoescape(default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["label"] = label
    env.filters["urlquote"] = lambda text: quote(str(text), safe="")
    return env


def page_language(request: Request) -> str:
    """The language of a page: ``?lang=``, the cookie, ``Accept-Language``, else Vietnamese."""
    return request_language(request, default=WEB_DEFAULT_LANGUAGE)


def _principal(request: Request) -> Principal:
    try:
        return resolve_principal(request)
    except EcozoneError:
        return ANONYMOUS


def render(request: Request, template: str, status: int = 200, **values: Any) -> HTMLResponse:
    """Render ``template`` for ``request`` with the common values (language, caller, CSRF token, formats)."""
    lang = page_language(request)
    principal = _principal(request)

    def t(key: str, **params: Any) -> str:
        return translate(key, lang, **params)

    def number(value: float | None, decimals: int = 0) -> str:
        return format_number(value, lang, decimals)

    path = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    context = {
        "request": request,
        "lang": lang,
        "other_lang": "en" if lang == "vi" else "vi",
        "t": t,
        "number": number,
        "day": lambda value: format_date(value, lang),
        "principal": principal,
        "csrf_token": csrf_token_of(app_context(request), principal),
        "current_path": path,
        **values,
    }
    html = environment().get_template(template).render(**context)
    return HTMLResponse(html, status_code=status)


def render_error(request: Request, status: int, code: str, message: str) -> HTMLResponse:
    """Render the error page (the dashboard's counterpart of the API's error shape)."""
    return render(request, "error.html", status=status, status_code=status, code=code, message=message)
