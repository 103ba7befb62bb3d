"""accounts: users, role grants, API tokens, web sessions, login failures, park publications, jobs, settings

Revision ID: accounts_0001
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "accounts_0001"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the account, access and job tables."""
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False, comment="Sign-in name (lower case, unique)."),
        sa.Column("display_name", sa.String(length=200), nullable=True, comment="Name shown in the dashboard."),
        sa.Column(
            "password_hash",
            sa.String(length=255),
            nullable=True,
            comment="Argon2id hash of the password; empty for token-only accounts.",
        ),
        sa.Column("language", sa.String(length=2), nullable=False, comment="Preferred language: vi or en."),
        sa.Column("is_active", sa.Boolean(), nullable=False, comment="False blocks every sign-in and token."),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("last_login_at", sa.DateTime(timezone=True), nullable=True, comment="Last successful sign-in (UTC)."),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("username"),
    )
    op.create_table(
        "role_grants",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False, comment="admin, park_manager, firm_user, investor or public."),
        sa.Column(
            "scope_id",
            sa.String(length=64),
            nullable=False,
            comment="Park id (park_manager) or firm id (firm_user); empty for unscoped roles.",
        ),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("user_id", "role", "scope_id", name="uq_role_grant"),
    )
    op.create_index(op.f("ix_role_grants_user_id"), "role_grants", ["user_id"], unique=False)
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False, comment="What the token is for."),
        sa.Column("token_hash", sa.String(length=64), nullable=False, comment="SHA-256 of the token (hex)."),
        sa.Column("prefix", sa.String(length=16), nullable=False, comment="First characters of the token, to recognise it."),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True, comment="Expiry (UTC); empty: never."),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )
    op.create_index(op.f("ix_api_tokens_user_id"), "api_tokens", ["user_id"], unique=False)
    op.create_table(
        "web_sessions",
        sa.Column("id", sa.String(length=64), nullable=False, comment="SHA-256 of the session secret (hex)."),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False, comment="Expiry (UTC)."),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_web_sessions_user_id"), "web_sessions", ["user_id"], unique=False)
    op.create_table(
        "login_failures",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("client", sa.String(length=64), nullable=False, comment="Client address."),
        sa.Column("failed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_login_failures_username"), "login_failures", ["username"], unique=False)
    op.create_index(op.f("ix_login_failures_client"), "login_failures", ["client"], unique=False)
    op.create_index(op.f("ix_login_failures_failed_at"), "login_failures", ["failed_at"], unique=False)
    op.create_table(
        "park_publications",
        sa.Column("park_id", sa.String(length=64), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("published_by", sa.String(length=64), nullable=True, comment="Username of who published it."),
        sa.ForeignKeyConstraint(["park_id"], ["parks.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("park_id"),
    )
    op.create_table(
        "jobs",
        sa.Column("id", sa.String(length=32), nullable=False, comment="Random hexadecimal id."),
        sa.Column("kind", sa.String(length=64), nullable=False, comment="What the job does, e.g. national_rollup."),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False, comment="queued, running, succeeded or failed."),
        sa.Column("progress", sa.Float(), nullable=False, comment="Share done, 0 to 1."),
        sa.Column("message", sa.Text(), nullable=True, comment="Last progress message (English)."),
        sa.Column("parameters", sa.Text(), nullable=False, comment="Parameters as JSON."),
        sa.Column("result", sa.Text(), nullable=True, comment="Result as JSON once succeeded."),
        sa.Column("error", sa.Text(), nullable=True, comment="Error as JSON (message key and parameters) once failed."),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["owner_id"], ["users.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_jobs_owner_id"), "jobs", ["owner_id"], unique=False)
    op.create_table(
        "account_settings",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )


def downgrade() -> None:
    """Drop the account, access and job tables."""
    op.drop_table("account_settings")
    op.drop_index(op.f("ix_jobs_owner_id"), table_name="jobs")
    op.drop_table("jobs")
    op.drop_table("park_publications")
    for name in ("failed_at", "client", "username"):
        op.drop_index(op.f(f"ix_login_failures_{name}"), table_name="login_failures")
    op.drop_table("login_failures")
    op.drop_index(op.f("ix_web_sessions_user_id"), table_name="web_sessions")
    op.drop_table("web_sessions")
    op.drop_index(op.f("ix_api_tokens_user_id"), table_name="api_tokens")
    op.drop_table("api_tokens")
    op.drop_index(op.f("ix_role_grants_user_id"), table_name="role_grants")
    op.drop_table("role_grants")
    op.drop_table("users")
