"""assessment: questionnaire answer sets and assessment runs

Revision ID: assessment_0001
Revises: 0001
Create Date: 2026-11-30 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "assessment_0001"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "assessment_answer_sets",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("park_id", sa.String(length=64), nullable=False, comment="Park the answers describe."),
        sa.Column("rulebook_id", sa.String(length=64), nullable=False, comment="Rulebook whose questionnaire was answered."),
        sa.Column("answered_by", sa.String(length=300), nullable=False, comment="Who answered (name, position)."),
        sa.Column("answered_on", sa.Date(), nullable=False, comment="Day the answers were given."),
        sa.Column("source_file", sa.String(length=500), nullable=False, comment="Name of the answers file."),
        sa.Column("sha256", sa.String(length=64), nullable=False, comment="SHA-256 of the stored text."),
        sa.Column("content", sa.Text(), nullable=False, comment="The answers as YAML text."),
        sa.Column("is_synthetic", sa.Boolean(), nullable=False, comment="True for generated demonstration answers."),
        sa.Column(
            "stored_at",
            sa.DateTime(timezone=True),
            server_default=sa.func.now(),
            nullable=False,
            comment="When the answers were stored (UTC).",
        ),
        sa.ForeignKeyConstraint(["park_id"], ["parks.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("assessment_answer_sets", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_assessment_answer_sets_park_id"), ["park_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_assessment_answer_sets_rulebook_id"), ["rulebook_id"], unique=False)

    op.create_table(
        "assessment_runs",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("park_id", sa.String(length=64), nullable=False, comment="Assessed park."),
        sa.Column("rulebook_id", sa.String(length=64), nullable=False, comment="Rulebook identifier."),
        sa.Column("rulebook_version", sa.String(length=32), nullable=False, comment="Rulebook version."),
        sa.Column("rulebook_sha256", sa.String(length=64), nullable=False, comment="SHA-256 of the rulebook YAML used."),
        sa.Column(
            "assessed_on", sa.Date(), nullable=False, comment="Assessment date (certificates valid, evidence ages counted to it)."
        ),
        sa.Column(
            "answer_set_id", sa.Integer(), nullable=True, comment="Answers used (none when assessed from the registry alone)."
        ),
        sa.Column("score_pct", sa.Float(), nullable=True, comment="Overall score [%]."),
        sa.Column(
            "result_json", sa.Text(), nullable=False, comment="The result document (JSON): inputs, verdicts, scores, roadmap."
        ),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.func.now(),
            nullable=False,
            comment="When the run was stored (UTC).",
        ),
        sa.ForeignKeyConstraint(["answer_set_id"], ["assessment_answer_sets.id"]),
        sa.ForeignKeyConstraint(["park_id"], ["parks.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("assessment_runs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_assessment_runs_park_id"), ["park_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_assessment_runs_rulebook_id"), ["rulebook_id"], unique=False)


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("assessment_runs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assessment_runs_rulebook_id"))
        batch_op.drop_index(batch_op.f("ix_assessment_runs_park_id"))
    op.drop_table("assessment_runs")
    with op.batch_alter_table("assessment_answer_sets", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assessment_answer_sets_rulebook_id"))
        batch_op.drop_index(batch_op.f("ix_assessment_answer_sets_park_id"))
    op.drop_table("assessment_answer_sets")
