"""Authentication of requests: bearer tokens, signed session cookies, sign-in throttling, CSRF.

- Scripts send ``Authorization: Bearer ecz_…`` (a token from ``ecozone users token``). A
  header with an unknown, revoked or expired token is refused (401), never treated as anonymous.
- Browsers carry the ``ecozone_session`` cookie (HttpOnly, SameSite=Lax, Secure over HTTPS):
  the session secret signed with the deployment's key; the store holds its digest.
- Unsafe requests authenticated by cookie need the session's CSRF token, in the form field
  ``csrf_token`` (web forms) or the ``X-CSRF-Token`` header (scripts of the dashboard).
- Failed sign-ins are counted per username and per client address in a sliding window; past
  the limit, sign-in answers 429 with ``Retry-After`` until the oldest failure leaves the window.
"""

from __future__ import annotations

import math
from datetime import datetime
from typing import Annotated

from fastapi import Depends, Request
from starlette.requests import HTTPConnection
from starlette.responses import Response

from ecozone.api import security
from ecozone.api.context import AppContext
from ecozone.api.errors import AuthenticationRequiredError, PermissionDeniedError, TooManyAttemptsError
from ecozone.api.roles import ANONYMOUS, Principal
from ecozone.store import accounts_store
from ecozone.store.accounts_store import Account

SESSION_COOKIE = "ecozone_session"
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf_token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def app_context(connection: HTTPConnection) -> AppContext:
    """Return the application's shared context."""
    context: AppContext = connection.app.state.context
    return context


def client_address(connection: HTTPConnection) -> str:
    """The client's address as the server sees it."""
    return connection.client.host if connection.client else "unknown"


def _bearer(connection: HTTPConnection) -> str | None:
    header = connection.headers.get("authorization")
    if header is None:
        return None
    scheme, _, credentials = header.partition(" ")
    if scheme.lower() != "bearer" or not credentials.strip():
        raise AuthenticationRequiredError("api.auth.bad_header")
    return credentials.strip()


def resolve_principal(connection: HTTPConnection) -> Principal:
    """Return who makes the request (cached on the request)."""
    cached: Principal | None = getattr(connection.state, "principal", None)
    if cached is not None:
        return cached
    context = app_context(connection)
    principal = ANONYMOUS
    token = _bearer(connection)
    if token is not None:
        account = accounts_store.account_for_token(context.workspace, token)
        if account is None:
            raise AuthenticationRequiredError("api.auth.bad_token")
        principal = Principal(account, "token")
    else:
        cookie = connection.cookies.get(SESSION_COOKIE)
        secret = security.unsign(context.signing_key, cookie, "session") if cookie else None
        account = accounts_store.account_for_session(context.workspace, secret) if secret else None
        if account is not None and secret is not None:
            principal = Principal(account, "session", secret)
    connection.state.principal = principal
    return principal


async def current_principal(request: Request) -> Principal:
    """FastAPI dependency: the caller (anonymous when no credentials are sent; the store is read in a worker thread)."""
    if "authorization" not in request.headers and SESSION_COOKIE not in request.cookies:
        return ANONYMOUS
    from starlette.concurrency import run_in_threadpool

    return await run_in_threadpool(resolve_principal, request)


async def signed_in(principal: Annotated[Principal, Depends(current_principal)]) -> Principal:
    """FastAPI dependency: the caller, who must be signed in (401 otherwise)."""
    if not principal.is_authenticated:
        raise AuthenticationRequiredError("api.auth.required")
    return principal


def csrf_token_of(context: AppContext, principal: Principal) -> str | None:
    """The CSRF token of the caller's web session (None without one)."""
    if principal.session_secret is None:
        return None
    return security.csrf_token(context.signing_key, principal.session_secret)


def check_csrf(context: AppContext, principal: Principal, given: str | None) -> None:
    """Refuse (403) a cookie-authenticated unsafe request without the session's CSRF token."""
    expected = csrf_token_of(context, principal)
    if expected is not None and not security.same_secret(expected, given):
        raise PermissionDeniedError("api.auth.csrf")


async def csrf_protected(request: Request, principal: Annotated[Principal, Depends(current_principal)]) -> None:
    """FastAPI dependency of the API: unsafe methods sent with a session cookie need ``X-CSRF-Token``."""
    if request.method not in SAFE_METHODS and principal.via == "session":
        check_csrf(app_context(request), principal, request.headers.get(CSRF_HEADER))


def _retry_after(context: AppContext, failures: list[datetime], limit: int) -> int | None:
    if len(failures) < limit:
        return None
    oldest_counted = sorted(failures)[-limit]
    wait = (oldest_counted + context.settings.login_window - accounts_store.now()).total_seconds()
    return max(1, math.ceil(wait))


def check_throttle(context: AppContext, username: str, client: str) -> None:
    """Refuse (429) a sign-in when the username or the address failed too often recently."""
    since = accounts_store.now() - context.settings.login_window
    by_user, by_client = accounts_store.login_failures_since(context.workspace, username, client, since)
    waits = [
        _retry_after(context, by_user, context.settings.max_failures_per_user),
        _retry_after(context, by_client, context.settings.max_failures_per_client),
    ]
    longest = max((wait for wait in waits if wait is not None), default=None)
    if longest is not None:
        raise TooManyAttemptsError("api.auth.throttled", retry_after=longest)


def sign_in(context: AppContext, username: str, password: str, client: str) -> Account:
    """Check a username and password, with throttling.

    Raises
    ------
    TooManyAttemptsError
        After too many recent failures (429).
    AuthenticationRequiredError
        For a wrong username or password, or a disabled account (401, one message for all).
    """
    check_throttle(context, username, client)
    account = accounts_store.check_password(context.workspace, username, password)
    if account is None:
        accounts_store.record_login_failure(context.workspace, username, client)
        raise AuthenticationRequiredError("api.auth.bad_credentials")
    accounts_store.clear_login_failures(context.workspace, username)
    return account


def _secure(context: AppContext, connection: HTTPConnection) -> bool:
    if context.settings.secure_cookies is not None:
        return context.settings.secure_cookies
    return connection.url.scheme == "https"


def start_session(context: AppContext, connection: HTTPConnection, response: Response, account: Account) -> str:
    """Open a web session for ``account`` and set its cookie on ``response``; return the secret."""
    secret = accounts_store.open_session(context.workspace, account.id, context.settings.session_lifetime)
    response.set_cookie(
        SESSION_COOKIE,
        security.sign(context.signing_key, secret, "session"),
        max_age=int(context.settings.session_lifetime.total_seconds()),
        httponly=True,
        samesite="lax",
        secure=_secure(context, connection),
        path="/",
    )
    return secret


def end_session(context: AppContext, principal: Principal, response: Response) -> None:
    """Close the caller's web session and clear its cookie."""
    if principal.session_secret is not None:
        accounts_store.close_session(context.workspace, principal.session_secret)
    response.delete_cookie(SESSION_COOKIE, path="/")
