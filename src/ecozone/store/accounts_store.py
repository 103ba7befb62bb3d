"""Persistence of accounts, role grants, tokens, sessions, publications and jobs.

Only this module touches the tables of :mod:`ecozone.store.models_accounts`; it returns plain
frozen records. Secrets (passwords, tokens, session secrets) are never stored: passwords as
Argon2id hashes, tokens and session secrets as SHA-256 digests (see :mod:`ecozone.api.security`).
"""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from ecozone.api import security
from ecozone.errors import EcozoneError, NotFoundError
from ecozone.store.database import session_scope
from ecozone.store.models import Firm, Park
from ecozone.store.models_accounts import (
    AccountSetting,
    ApiToken,
    Job,
    LoginFailure,
    ParkPublication,
    RoleGrant,
    User,
    WebSession,
)
from ecozone.store.workspace import Workspace

ROLE_SCOPES: dict[str, str | None] = {
    "admin": None,
    "park_manager": "park",
    "firm_user": "firm",
    "investor": None,
    "public": None,
}
"""Each role and the kind of object it is scoped to (None: unscoped)."""

ROLES = tuple(ROLE_SCOPES)
LANGUAGES = ("vi", "en")
JOB_STATUSES = ("queued", "running", "succeeded", "failed")
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._@-]{1,63}$")
LAST_USED_RESOLUTION = timedelta(minutes=1)
"""A token's ``last_used_at`` is written at most this often (no write per request)."""


class AccountError(EcozoneError):
    """An account operation was refused (bad name, weak password, unknown role or scope)."""


class DuplicateAccountError(AccountError):
    """The username is taken."""

    http_status = 409


@dataclass(frozen=True)
class Grant:
    """A role, scoped to a park or firm id when the role needs one."""

    role: str
    scope_id: str = ""


@dataclass(frozen=True)
class Account:
    """A user as the API sees it (no secrets)."""

    id: int
    username: str
    display_name: str | None
    language: str
    is_active: bool
    grants: tuple[Grant, ...]
    last_login_at: datetime | None = None


@dataclass(frozen=True)
class TokenInfo:
    """An API token's public facts (the secret is shown once, at issue)."""

    id: int
    username: str
    name: str
    prefix: str
    created_at: datetime | None
    expires_at: datetime | None
    last_used_at: datetime | None
    revoked: bool


@dataclass(frozen=True)
class JobRecord:
    """A background job: status, progress [0–1], parameters and, when finished, result or error."""

    id: str
    kind: str
    owner_id: int | None
    status: str
    progress: float
    message: str | None
    parameters: dict[str, Any]
    result: Any
    error: dict[str, Any] | None
    created_at: datetime | None
    started_at: datetime | None
    finished_at: datetime | None


def utc(moment: datetime | None) -> datetime | None:
    """Return ``moment`` as an aware UTC datetime (SQLite gives naive ones back)."""
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def now() -> datetime:
    """The current time, aware, in UTC."""
    return datetime.now(UTC)


def normalise_username(text: str) -> str:
    """Return the username in canonical form (trimmed, lower case), or raise :class:`AccountError`."""
    name = text.strip().lower()
    if not USERNAME.match(name):
        raise AccountError("api.account.bad_username", username=text)
    return name


def check_password_strength(password: str) -> None:
    """Refuse passwords shorter than :data:`~ecozone.api.security.MINIMUM_PASSWORD_LENGTH` characters."""
    if len(password) < security.MINIMUM_PASSWORD_LENGTH:
        raise AccountError("api.account.weak_password", minimum=security.MINIMUM_PASSWORD_LENGTH)


def _grants(session: Session, user_id: int) -> tuple[Grant, ...]:
    rows = session.execute(
        select(RoleGrant.role, RoleGrant.scope_id).where(RoleGrant.user_id == user_id).order_by(RoleGrant.id)
    ).all()
    return tuple(Grant(role, scope or "") for role, scope in rows)


def _account(session: Session, user: User) -> Account:
    return Account(
        user.id,
        user.username,
        user.display_name,
        user.language,
        user.is_active,
        _grants(session, user.id),
        utc(user.last_login_at),
    )


def _user(session: Session, username: str) -> User:
    user = session.scalars(select(User).where(User.username == normalise_username(username))).one_or_none()
    if user is None:
        raise NotFoundError("api.account.unknown_user", username=username)
    return user


def check_grant(session: Session, grant: Grant) -> Grant:
    """Return ``grant`` if its role exists and its scope names an existing park or firm."""
    if grant.role not in ROLE_SCOPES:
        raise AccountError("api.account.unknown_role", role=grant.role, known=", ".join(ROLES))
    kind = ROLE_SCOPES[grant.role]
    if kind is None:
        if grant.scope_id:
            raise AccountError("api.account.unscoped_role", role=grant.role)
        return grant
    model = Park if kind == "park" else Firm
    if not grant.scope_id or session.get(model, grant.scope_id) is None:
        raise AccountError("api.account.bad_scope", role=grant.role, kind=kind, scope=grant.scope_id or "—")
    return grant


def create_user(
    workspace: Workspace,
    username: str,
    password: str | None = None,
    *,
    display_name: str | None = None,
    language: str = "vi",
    grants: Iterable[Grant] = (),
) -> Account:
    """Create an account with its grants.

    Parameters
    ----------
    password : str, optional
        At least 10 characters; None creates a token-only account (no sign-in).

    Raises
    ------
    DuplicateAccountError
        If the username is taken.
    AccountError
        For a bad username, weak password, unknown language, role or scope.
    """
    name = normalise_username(username)
    if language not in LANGUAGES:
        raise AccountError("api.account.bad_language", language=language)
    if password is not None:
        check_password_strength(password)
    with session_scope(workspace) as session:
        if session.scalars(select(User.id).where(User.username == name)).first() is not None:
            raise DuplicateAccountError("api.account.exists", username=name)
        checked = [check_grant(session, grant) for grant in dict.fromkeys(grants)]
        user = User(
            username=name,
            display_name=display_name,
            password_hash=security.hash_password(password) if password is not None else None,
            language=language,
            is_active=True,
        )
        session.add(user)
        session.flush()
        session.add_all(RoleGrant(user_id=user.id, role=g.role, scope_id=g.scope_id) for g in checked)
        session.flush()
        return _account(session, user)


def set_password(workspace: Workspace, username: str, password: str) -> None:
    """Replace a user's password (and close their web sessions)."""
    check_password_strength(password)
    with session_scope(workspace) as session:
        user = _user(session, username)
        user.password_hash = security.hash_password(password)
        session.execute(delete(WebSession).where(WebSession.user_id == user.id))


def add_grant(workspace: Workspace, username: str, grant: Grant) -> Account:
    """Give a user one more role (idempotent)."""
    with session_scope(workspace) as session:
        user = _user(session, username)
        check_grant(session, grant)
        if grant not in _grants(session, user.id):
            session.add(RoleGrant(user_id=user.id, role=grant.role, scope_id=grant.scope_id))
            session.flush()
        return _account(session, user)


def set_active(workspace: Workspace, username: str, active: bool) -> Account:
    """Enable or disable an account (a disabled one can neither sign in nor use its tokens)."""
    with session_scope(workspace) as session:
        user = _user(session, username)
        user.is_active = active
        if not active:
            session.execute(delete(WebSession).where(WebSession.user_id == user.id))
        return _account(session, user)


def get_account(workspace: Workspace, username: str) -> Account:
    """Return one account, or raise :class:`NotFoundError`."""
    with session_scope(workspace) as session:
        return _account(session, _user(session, username))


def list_accounts(workspace: Workspace) -> list[Account]:
    """Return every account, by username."""
    with session_scope(workspace) as session:
        return [_account(session, user) for user in session.scalars(select(User).order_by(User.username))]


def check_password(workspace: Workspace, username: str, password: str) -> Account | None:
    """Return the account if ``password`` is right and the account active, else None.

    Unknown usernames cost the same time as wrong passwords. A successful check records the
    sign-in time and upgrades the hash when the hashing parameters changed.
    """
    try:
        name = normalise_username(username)
    except AccountError:
        security.verify_password(None, password)
        return None
    with session_scope(workspace) as session:
        user = session.scalars(select(User).where(User.username == name)).one_or_none()
        if not security.verify_password(user.password_hash if user else None, password) or user is None:
            return None
        if not user.is_active:
            return None
        if user.password_hash and security.needs_rehash(user.password_hash):
            user.password_hash = security.hash_password(password)
        user.last_login_at = now()
        return _account(session, user)


def issue_token(workspace: Workspace, username: str, name: str, expires_in: timedelta | None = None) -> tuple[str, TokenInfo]:
    """Create an API token for ``username``.

    Returns
    -------
    tuple
        The token secret (shown once; only its digest is stored) and its public facts.
    """
    secret = security.new_secret(security.TOKEN_PREFIX)
    with session_scope(workspace) as session:
        user = _user(session, username)
        token = ApiToken(
            user_id=user.id,
            name=name[:100] or "token",
            token_hash=security.digest(secret),
            prefix=secret[:10],
            expires_at=now() + expires_in if expires_in is not None else None,
            revoked=False,
        )
        session.add(token)
        session.flush()
        return secret, _token_info(token, user.username)


def _token_info(token: ApiToken, username: str) -> TokenInfo:
    return TokenInfo(
        token.id,
        username,
        token.name,
        token.prefix,
        utc(token.created_at),
        utc(token.expires_at),
        utc(token.last_used_at),
        token.revoked,
    )


def list_tokens(workspace: Workspace, username: str | None = None) -> list[TokenInfo]:
    """Return the tokens of ``username`` (or of everyone), newest first."""
    with session_scope(workspace) as session:
        statement = select(ApiToken, User.username).join(User, User.id == ApiToken.user_id).order_by(ApiToken.id.desc())
        if username is not None:
            statement = statement.where(User.username == normalise_username(username))
        return [_token_info(token, name) for token, name in session.execute(statement).all()]


def revoke_token(workspace: Workspace, token_id: int) -> None:
    """Revoke a token by id."""
    with session_scope(workspace) as session:
        token = session.get(ApiToken, token_id)
        if token is None:
            raise NotFoundError("api.account.unknown_token", token_id=token_id)
        token.revoked = True


def account_for_token(workspace: Workspace, secret: str) -> Account | None:
    """Return the active account a valid (known, unrevoked, unexpired) token belongs to."""
    with session_scope(workspace) as session:
        row = session.execute(
            select(ApiToken, User).join(User, User.id == ApiToken.user_id).where(ApiToken.token_hash == security.digest(secret))
        ).one_or_none()
        if row is None:
            return None
        token, user = row
        moment = now()
        expires = utc(token.expires_at)
        if token.revoked or not user.is_active or (expires is not None and expires <= moment):
            return None
        last_used = utc(token.last_used_at)
        if last_used is None or moment - last_used >= LAST_USED_RESOLUTION:
            token.last_used_at = moment
        return _account(session, user)


def open_session(workspace: Workspace, user_id: int, lifetime: timedelta) -> str:
    """Start a web session; return its secret (the cookie's content, stored only as a digest)."""
    secret = security.new_secret()
    with session_scope(workspace) as session:
        session.execute(delete(WebSession).where(WebSession.expires_at < now()))
        session.add(WebSession(id=security.digest(secret), user_id=user_id, expires_at=now() + lifetime))
    return secret


def account_for_session(workspace: Workspace, secret: str) -> Account | None:
    """Return the active account of an unexpired session."""
    with session_scope(workspace) as session:
        row = session.execute(
            select(WebSession, User).join(User, User.id == WebSession.user_id).where(WebSession.id == security.digest(secret))
        ).one_or_none()
        if row is None:
            return None
        web_session, user = row
        expires = utc(web_session.expires_at)
        if not user.is_active or expires is None or expires <= now():
            return None
        return _account(session, user)


def close_session(workspace: Workspace, secret: str) -> None:
    """End a web session (sign out)."""
    with session_scope(workspace) as session:
        session.execute(delete(WebSession).where(WebSession.id == security.digest(secret)))


def record_login_failure(workspace: Workspace, username: str, client: str) -> None:
    """Remember a failed sign-in of ``username`` from ``client``."""
    with session_scope(workspace) as session:
        session.add(LoginFailure(username=username.strip().lower()[:64], client=client[:64], failed_at=now()))


def login_failures_since(
    workspace: Workspace, username: str, client: str, since: datetime
) -> tuple[list[datetime], list[datetime]]:
    """Return the times of failed sign-ins since ``since``: for ``username``, and from ``client``."""
    name = username.strip().lower()[:64]
    with session_scope(workspace) as session:
        session.execute(delete(LoginFailure).where(LoginFailure.failed_at < since - timedelta(days=1)))
        by_user = session.scalars(
            select(LoginFailure.failed_at).where(LoginFailure.username == name, LoginFailure.failed_at >= since)
        ).all()
        by_client = session.scalars(
            select(LoginFailure.failed_at).where(LoginFailure.client == client[:64], LoginFailure.failed_at >= since)
        ).all()
    return [t for t in map(utc, by_user) if t], [t for t in map(utc, by_client) if t]


def clear_login_failures(workspace: Workspace, username: str) -> None:
    """Forget the failed sign-ins of ``username`` (after a successful one)."""
    with session_scope(workspace) as session:
        session.execute(delete(LoginFailure).where(LoginFailure.username == username.strip().lower()[:64]))


def secret_key(workspace: Workspace) -> str:
    """Return the deployment's signing key, creating it on first use (shared by every worker)."""
    with session_scope(workspace) as session:
        setting = session.get(AccountSetting, "signing_key")
        if setting is not None:
            return setting.value
    candidate = secrets.token_hex(32)
    try:
        with session_scope(workspace) as session:
            session.add(AccountSetting(name="signing_key", value=candidate))
    except Exception:  # another worker created it first: read theirs
        with session_scope(workspace) as session:
            setting = session.get(AccountSetting, "signing_key")
            if setting is None:
                raise
            return setting.value
    return candidate


def publish_park(workspace: Workspace, park_id: str, by: str | None = None) -> None:
    """Publish a park's profile (idempotent)."""
    with session_scope(workspace) as session:
        if session.get(Park, park_id) is None:
            raise NotFoundError("registry.park_not_found", park_id=park_id)
        if session.get(ParkPublication, park_id) is None:
            session.add(ParkPublication(park_id=park_id, published_by=by))


def unpublish_park(workspace: Workspace, park_id: str) -> None:
    """Withdraw a park's profile from publication (idempotent)."""
    with session_scope(workspace) as session:
        session.execute(delete(ParkPublication).where(ParkPublication.park_id == park_id))


def published_parks(workspace: Workspace) -> frozenset[str]:
    """Return the ids of the parks whose profile is published."""
    with session_scope(workspace) as session:
        return frozenset(session.scalars(select(ParkPublication.park_id)))


def publications_fingerprint(workspace: Workspace) -> tuple[int, str]:
    """Return (count, latest publication time) of publications: changes whenever they change."""
    with session_scope(workspace) as session:
        count, latest = session.execute(select(func.count(), func.max(ParkPublication.published_at))).one()
    return int(count), str(latest)


def _job_record(job: Job) -> JobRecord:
    return JobRecord(
        job.id,
        job.kind,
        job.owner_id,
        job.status,
        job.progress,
        job.message,
        json.loads(job.parameters or "{}"),
        json.loads(job.result) if job.result is not None else None,
        json.loads(job.error) if job.error is not None else None,
        utc(job.created_at),
        utc(job.started_at),
        utc(job.finished_at),
    )


def create_job(workspace: Workspace, kind: str, owner_id: int | None, parameters: dict[str, Any]) -> JobRecord:
    """Store a new queued job and return it."""
    with session_scope(workspace) as session:
        job = Job(
            id=secrets.token_hex(16),
            kind=kind,
            owner_id=owner_id,
            status="queued",
            progress=0.0,
            parameters=json.dumps(parameters, ensure_ascii=False, sort_keys=True),
            created_at=now(),
        )
        session.add(job)
        session.flush()
        return _job_record(job)


def start_job(workspace: Workspace, job_id: str) -> None:
    """Mark a job running."""
    with session_scope(workspace) as session:
        session.execute(update(Job).where(Job.id == job_id).values(status="running", started_at=now()))


def report_progress(workspace: Workspace, job_id: str, progress: float, message: str | None = None) -> None:
    """Record a running job's progress (share done, clipped to 0–1) and message."""
    with session_scope(workspace) as session:
        session.execute(update(Job).where(Job.id == job_id).values(progress=min(1.0, max(0.0, progress)), message=message))


def finish_job(workspace: Workspace, job_id: str, result: Any) -> None:
    """Store a job's result (JSON-serialisable) and mark it succeeded."""
    text = json.dumps(result, ensure_ascii=False, default=str)
    with session_scope(workspace) as session:
        session.execute(
            update(Job).where(Job.id == job_id).values(status="succeeded", progress=1.0, result=text, finished_at=now())
        )


def fail_job(workspace: Workspace, job_id: str, key: str, params: dict[str, Any]) -> None:
    """Mark a job failed with a message key and its parameters."""
    text = json.dumps({"key": key, "params": params}, ensure_ascii=False, default=str)
    with session_scope(workspace) as session:
        session.execute(update(Job).where(Job.id == job_id).values(status="failed", error=text, finished_at=now()))


def get_job(workspace: Workspace, job_id: str) -> JobRecord | None:
    """Return a job, or None."""
    with session_scope(workspace) as session:
        job = session.get(Job, job_id)
        return _job_record(job) if job is not None else None


def list_jobs(workspace: Workspace, owner_id: int | None = None, limit: int = 50) -> list[JobRecord]:
    """Return the latest jobs (of ``owner_id``, or of everyone when None), newest first."""
    with session_scope(workspace) as session:
        statement = select(Job).order_by(Job.created_at.desc(), Job.id).limit(limit)
        if owner_id is not None:
            statement = statement.where(Job.owner_id == owner_id)
        return [_job_record(job) for job in session.scalars(statement)]


def fail_interrupted_jobs(workspace: Workspace, job_ids: Sequence[str] | None = None) -> int:
    """Mark queued or running jobs failed (a restarted server lost them); return how many."""
    text = json.dumps({"key": "api.job.interrupted", "params": {}})
    with session_scope(workspace) as session:
        statement = update(Job).where(Job.status.in_(("queued", "running")))
        if job_ids is not None:
            statement = statement.where(Job.id.in_(job_ids))
        result = session.execute(statement.values(status="failed", error=text, finished_at=now()))
        return int(getattr(result, "rowcount", 0) or 0)
