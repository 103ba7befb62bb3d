"""One JSON error shape for every 4xx (and the rare 5xx) of the API.

Every error response of ``/api`` is::

    {"error": {"status": 404, "code": "registry.park_not_found",
               "message": "No park 'x'", "details": []}}

``code`` is the message key (stable, for programs), ``message`` its text in the request's
language, ``details`` a list of objects (validation problems: ``location``/``message``/``type``;
import problems: ``file``/``row``/``column``/``value``/``reason``). ecozone errors are mapped
by their ``http_status``; request validation gives 422; unknown routes 404; anything
unexpected 500 with no internals. Pages outside ``/api`` get the same status as an HTML page.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from ecozone.api.language import request_language
from ecozone.errors import EcozoneError, ImportValidationError
from ecozone.i18n import translate

LOGGER = logging.getLogger("ecozone.api")

HtmlRenderer = Callable[[Request, int, str, str], Response]
"""Renders an error page: (request, status, code, message) → response."""


class ApiError(EcozoneError):
    """An error of the API layer (authentication, permission, conflict, throttling)."""


class AuthenticationRequiredError(ApiError):
    """The request needs a signed-in user or a valid token."""

    http_status = 401


class PermissionDeniedError(ApiError):
    """The caller may see the object but not do this to it."""

    http_status = 403


class ConflictError(ApiError):
    """The object already exists."""

    http_status = 409


class PayloadTooLargeError(ApiError):
    """An upload exceeds the size limit."""

    http_status = 413


class TooManyAttemptsError(ApiError):
    """Too many failed sign-ins; ``retry_after`` says when to try again [s]."""

    http_status = 429

    def __init__(self, key: str, retry_after: int, **params: Any) -> None:
        self.retry_after = retry_after
        super().__init__(key, retry_after=retry_after, **params)


class ErrorDetail(BaseModel):
    """The body of an error."""

    status: int = Field(description="HTTP status code.", examples=[404])
    code: str = Field(description="Stable message key of the error.", examples=["registry.park_not_found"])
    message: str = Field(description="Human-readable message in the request's language.", examples=["No park 'x'"])
    details: list[dict[str, Any]] = Field(
        default_factory=list, description="Per-field or per-row problems, when there are any.", examples=[[]]
    )


class ErrorResponse(BaseModel):
    """Every error response of the API has this shape."""

    error: ErrorDetail


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """Return OpenAPI ``responses`` documenting the error shape for ``statuses``."""
    descriptions = {
        400: "Bad request.",
        401: "Sign-in or a valid token is required.",
        403: "The caller may see the object but not do this.",
        404: "No such object, or the caller may not know it exists.",
        409: "The object already exists.",
        413: "The upload is too large.",
        422: "The input is invalid; `details` lists each problem.",
        429: "Too many failed sign-ins; retry after the `Retry-After` seconds.",
    }
    return {status: {"model": ErrorResponse, "description": descriptions.get(status, "Error.")} for status in statuses}


def error_body(status: int, code: str, message: str, details: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """Return the JSON body of an error."""
    return {"error": {"status": status, "code": code, "message": message, "details": details or []}}


def problem_details(error: ImportValidationError, lang: str) -> list[dict[str, Any]]:
    """Return an import's problems as detail objects (row by row)."""
    return [
        {"file": p.file, "row": p.row, "column": p.column, "value": p.value, "code": p.key, "reason": p.reason(lang)}
        for p in error.problems
    ]


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api")


def _lang(request: Request) -> str:
    """The request's language (the API defaults to English, dashboard pages to Vietnamese)."""
    return request_language(request, default="en" if _is_api(request) else "vi")


def _respond(
    request: Request, status: int, code: str, message: str, details: list[dict[str, Any]], headers: dict[str, str] | None = None
) -> Response:
    renderer: HtmlRenderer | None = getattr(request.app.state, "html_error_renderer", None)
    if not _is_api(request) and renderer is not None:
        response = renderer(request, status, code, message)
        for name, value in (headers or {}).items():
            response.headers[name] = value
        return response
    return JSONResponse(error_body(status, code, message, details), status_code=status, headers=headers)


def _ecozone_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, EcozoneError)
    lang = _lang(request)
    details = problem_details(exc, lang) if isinstance(exc, ImportValidationError) else []
    headers: dict[str, str] = {}
    if isinstance(exc, TooManyAttemptsError):
        headers["Retry-After"] = str(exc.retry_after)
    if isinstance(exc, AuthenticationRequiredError):
        headers["WWW-Authenticate"] = "Bearer"
    status = exc.http_status if 400 <= exc.http_status < 600 else 400
    return _respond(request, status, exc.key, exc.message(lang), details, headers)


def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    lang = _lang(request)
    code = f"api.http.{exc.status_code}"
    message = translate(code, lang) if code in _known_http_codes() else translate("api.http.other", lang, status=exc.status_code)
    return _respond(request, exc.status_code, code, message, [], dict(exc.headers or {}))


def _known_http_codes() -> frozenset[str]:
    from ecozone.i18n import catalogue

    return frozenset(key for key in catalogue() if key.startswith("api.http."))


def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    lang = _lang(request)
    details = [
        {
            "location": [str(part) for part in error.get("loc", ())],
            "message": str(error.get("msg", "")),
            "type": error.get("type"),
        }
        for error in exc.errors()
    ]
    return _respond(request, 422, "api.invalid_request", translate("api.invalid_request", lang, count=len(details)), details)


def _unexpected_error(request: Request, exc: Exception) -> Response:
    LOGGER.exception("Unexpected error on %s %s", request.method, request.url.path, exc_info=exc)
    return _respond(request, 500, "api.internal", translate("api.internal", _lang(request)), [])


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers that give every error the shape of :class:`ErrorResponse`."""
    app.add_exception_handler(EcozoneError, _ecozone_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(Exception, _unexpected_error)
