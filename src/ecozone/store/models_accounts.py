"""SQLAlchemy models of accounts, access and background jobs (the API and web dashboard).

- :class:`User`: a person or a script, with an argon2 password hash (never the password).
- :class:`RoleGrant`: a role held by a user, scoped to a park or a firm where the role needs one
  (``park_manager`` → a park, ``firm_user`` → a firm; ``admin``, ``investor``, ``public`` → none).
- :class:`ApiToken` and :class:`WebSession`: bearer tokens for scripts and signed-cookie sessions
  for the browser, both stored as SHA-256 digests of a random secret (the secret itself is shown
  once and never stored).
- :class:`LoginFailure`: failed sign-ins, for throttling.
- :class:`ParkPublication`: parks whose profile is published (visible to investors and the public).
- :class:`Job`: a background job (e.g. the national roll-up) with progress and stored result.
- :class:`AccountSetting`: named settings of the deployment, e.g. the key that signs cookies.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, Float, ForeignKey, Integer, String, Text, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column

from ecozone.store.models import Base


class User(Base):
    """An account of the API and the web dashboard."""

    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(64), unique=True, comment="Sign-in name (lower case, unique).")
    display_name: Mapped[str | None] = mapped_column(String(200), comment="Name shown in the dashboard.")
    password_hash: Mapped[str | None] = mapped_column(
        String(255), comment="Argon2id hash of the password; empty for token-only accounts."
    )
    language: Mapped[str] = mapped_column(String(2), default="vi", comment="Preferred language: vi or en.")
    is_active: Mapped[bool] = mapped_column(Boolean, default=True, comment="False blocks every sign-in and token.")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), comment="Last successful sign-in (UTC).")


class RoleGrant(Base):
    """A role held by a user, scoped to a park or a firm when the role needs it."""

    __tablename__ = "role_grants"
    __table_args__ = (UniqueConstraint("user_id", "role", "scope_id", name="uq_role_grant"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(16), comment="admin, park_manager, firm_user, investor or public.")
    scope_id: Mapped[str] = mapped_column(
        String(64), default="", comment="Park id (park_manager) or firm id (firm_user); empty for unscoped roles."
    )


class ApiToken(Base):
    """A bearer token for scripts; only the SHA-256 digest of the secret is stored."""

    __tablename__ = "api_tokens"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100), comment="What the token is for.")
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, comment="SHA-256 of the token (hex).")
    prefix: Mapped[str] = mapped_column(String(16), comment="First characters of the token, to recognise it.")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), comment="Expiry (UTC); empty: never.")
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)


class WebSession(Base):
    """A signed-in browser; the cookie holds the secret, the table its SHA-256 digest."""

    __tablename__ = "web_sessions"
    id: Mapped[str] = mapped_column(String(64), primary_key=True, comment="SHA-256 of the session secret (hex).")
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), comment="Expiry (UTC).")


class LoginFailure(Base):
    """A failed sign-in (for throttling)."""

    __tablename__ = "login_failures"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(64), index=True)
    client: Mapped[str] = mapped_column(String(64), index=True, comment="Client address.")
    failed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


class ParkPublication(Base):
    """A park whose profile is published: investors and the public may read it."""

    __tablename__ = "park_publications"
    park_id: Mapped[str] = mapped_column(ForeignKey("parks.id", ondelete="CASCADE"), primary_key=True)
    published_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    published_by: Mapped[str | None] = mapped_column(String(64), comment="Username of who published it.")


class Job(Base):
    """A background job with its progress and, once finished, its result or error."""

    __tablename__ = "jobs"
    id: Mapped[str] = mapped_column(String(32), primary_key=True, comment="Random hexadecimal id.")
    kind: Mapped[str] = mapped_column(String(64), comment="What the job does, e.g. national_rollup.")
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    status: Mapped[str] = mapped_column(String(16), comment="queued, running, succeeded or failed.")
    progress: Mapped[float] = mapped_column(Float, default=0.0, comment="Share done, 0 to 1.")
    message: Mapped[str | None] = mapped_column(Text, comment="Last progress message (English).")
    parameters: Mapped[str] = mapped_column(Text, default="{}", comment="Parameters as JSON.")
    result: Mapped[str | None] = mapped_column(Text, comment="Result as JSON once succeeded.")
    error: Mapped[str | None] = mapped_column(Text, comment="Error as JSON (message key and parameters) once failed.")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class AccountSetting(Base):
    """A named setting of the deployment (e.g. the cookie-signing key)."""

    __tablename__ = "account_settings"
    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
