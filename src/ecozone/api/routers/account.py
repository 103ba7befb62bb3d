"""The caller's account: who am I, and API tokens from a username and password."""

from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field

from ecozone.api.auth import client_address, csrf_token_of, sign_in
from ecozone.api.errors import error_responses
from ecozone.api.routers.parameters import Caller, Context
from ecozone.store import accounts_store

router = APIRouter(tags=["account"])


class GrantOut(BaseModel):
    """A role and the park or firm it is scoped to."""

    role: str = Field(description="admin, park_manager, firm_user, investor or public.", examples=["park_manager"])
    scope_id: str = Field(description="Park id (park_manager) or firm id (firm_user); empty otherwise.", examples=["demo"])


class Me(BaseModel):
    """The caller as the API sees them."""

    authenticated: bool = Field(description="Whether an account is signed in.")
    username: str | None = Field(description="Username; null for an anonymous caller.")
    display_name: str | None = Field(description="Name shown in the dashboard.")
    language: str | None = Field(description="Preferred language (vi or en).")
    via: str = Field(description="token, session or anonymous.")
    grants: list[GrantOut] = Field(description="Roles with their scope.")
    csrf_token: str | None = Field(description="For scripts of a signed-in web page: send it as X-CSRF-Token on writes.")


class TokenRequest(BaseModel):
    """A username and password exchanged for an API token."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"username": "manager", "password": "a long passphrase", "name": "etl"}]}
    )
    username: str = Field(max_length=64, description="Username.")
    password: str = Field(max_length=1024, description="Password.")
    name: str = Field(default="api", max_length=100, description="What the token is for.")
    expires_in_days: int | None = Field(default=90, ge=1, le=3650, description="Lifetime [days]; null: no expiry.")


class TokenOut(BaseModel):
    """A new API token: shown once, keep it secret."""

    token: str = Field(description="Send as `Authorization: Bearer <token>`.")
    token_id: int = Field(description="Identifier (to revoke it).")
    name: str = Field(description="What the token is for.")
    expires_at: str | None = Field(description="Expiry (UTC, ISO 8601); null: never.")


@router.get("/me", response_model=Me, summary="Who the caller is, with roles")
def me(context: Context, principal: Caller) -> Me:
    """Return the caller's account and grants (anonymous callers get the public role)."""
    account = principal.account
    return Me(
        authenticated=account is not None,
        username=account.username if account else None,
        display_name=account.display_name if account else None,
        language=account.language if account else None,
        via=principal.via,
        grants=[GrantOut(role=g.role, scope_id=g.scope_id) for g in principal.grants],
        csrf_token=csrf_token_of(context, principal),
    )


@router.post(
    "/auth/token",
    status_code=201,
    response_model=TokenOut,
    responses=error_responses(401, 422, 429),
    summary="Exchange a username and password for an API token",
    description="Failed attempts are throttled per username and per address (429 with Retry-After).",
)
def create_token(body: TokenRequest, request: Request, context: Context) -> TokenOut:
    """Issue a token for scripts."""
    account = sign_in(context, body.username, body.password, client_address(request))
    lifetime = timedelta(days=body.expires_in_days) if body.expires_in_days else None
    secret, info = accounts_store.issue_token(context.workspace, account.username, body.name, lifetime)
    return TokenOut(
        token=secret, token_id=info.id, name=info.name, expires_at=info.expires_at.isoformat() if info.expires_at else None
    )
