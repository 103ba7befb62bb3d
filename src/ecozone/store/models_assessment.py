"""SQLAlchemy models of stored assessments: questionnaire answer sets and assessment runs.

An answer set keeps the answers file as given (YAML text; an XLSX workbook is kept as the YAML
of its contents), who answered and when. A run keeps the rulebook's id, version and digest,
the assessment date, the answer set used and the full result document (JSON), so that
``ecozone assess diff`` can compare it with a later run.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, Float, ForeignKey, Integer, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column

from ecozone.store.models import Base


class AssessmentAnswerSet(Base):
    """A questionnaire's answers for one park and rulebook."""

    __tablename__ = "assessment_answer_sets"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    park_id: Mapped[str] = mapped_column(ForeignKey("parks.id"), index=True, comment="Park the answers describe.")
    rulebook_id: Mapped[str] = mapped_column(String(64), index=True, comment="Rulebook whose questionnaire was answered.")
    answered_by: Mapped[str] = mapped_column(String(300), comment="Who answered (name, position).")
    answered_on: Mapped[date] = mapped_column(Date, comment="Day the answers were given.")
    source_file: Mapped[str] = mapped_column(String(500), comment="Name of the answers file.")
    sha256: Mapped[str] = mapped_column(String(64), comment="SHA-256 of the stored text.")
    content: Mapped[str] = mapped_column(Text, comment="The answers as YAML text.")
    is_synthetic: Mapped[bool] = mapped_column(Boolean, default=False, comment="True for generated demonstration answers.")
    stored_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), comment="When the answers were stored (UTC)."
    )


class AssessmentRun(Base):
    """One assessment of a park against a rulebook, with its inputs and result."""

    __tablename__ = "assessment_runs"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    park_id: Mapped[str] = mapped_column(ForeignKey("parks.id"), index=True, comment="Assessed park.")
    rulebook_id: Mapped[str] = mapped_column(String(64), index=True, comment="Rulebook identifier.")
    rulebook_version: Mapped[str] = mapped_column(String(32), comment="Rulebook version.")
    rulebook_sha256: Mapped[str] = mapped_column(String(64), comment="SHA-256 of the rulebook YAML used.")
    assessed_on: Mapped[date] = mapped_column(Date, comment="Assessment date (certificates valid, evidence ages counted to it).")
    answer_set_id: Mapped[int | None] = mapped_column(
        ForeignKey("assessment_answer_sets.id"), comment="Answers used (none when assessed from the registry alone)."
    )
    score_pct: Mapped[float | None] = mapped_column(Float, comment="Overall score [%].")
    result_json: Mapped[str] = mapped_column(Text, comment="The result document (JSON): inputs, verdicts, scores, roadmap.")
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), comment="When the run was stored (UTC)."
    )
