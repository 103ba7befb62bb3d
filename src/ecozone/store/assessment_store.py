"""Storing questionnaire answers and assessment runs (the only assessment code that knows SQL)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from ecozone.store.database import session_scope
from ecozone.store.models_assessment import AssessmentAnswerSet, AssessmentRun
from ecozone.store.workspace import Workspace


@dataclass(frozen=True)
class StoredAnswers:
    """A stored answer set."""

    id: int
    park_id: str
    rulebook_id: str
    answered_by: str
    answered_on: date
    source_file: str
    content: str
    is_synthetic: bool
    stored_at: datetime | None


@dataclass(frozen=True)
class StoredRun:
    """A stored assessment run with its result document."""

    id: int
    park_id: str
    rulebook_id: str
    rulebook_version: str
    assessed_on: date
    answer_set_id: int | None
    score_pct: float | None
    document: dict[str, Any]
    created_at: datetime | None


def save_answers(
    workspace: Workspace,
    *,
    park_id: str,
    rulebook_id: str,
    answered_by: str,
    answered_on: date,
    source_file: str,
    content: str,
    is_synthetic: bool = False,
) -> int:
    """Store an answer set (an identical one already stored is reused) and return its id."""
    digest = hashlib.sha256(content.encode("utf-8")).hexdigest()
    with session_scope(workspace) as session:
        existing = session.scalars(
            select(AssessmentAnswerSet).where(
                AssessmentAnswerSet.park_id == park_id,
                AssessmentAnswerSet.rulebook_id == rulebook_id,
                AssessmentAnswerSet.sha256 == digest,
            )
        ).first()
        if existing is not None:
            return existing.id
        row = AssessmentAnswerSet(
            park_id=park_id,
            rulebook_id=rulebook_id,
            answered_by=answered_by,
            answered_on=answered_on,
            source_file=source_file,
            sha256=digest,
            content=content,
            is_synthetic=is_synthetic,
        )
        session.add(row)
        session.flush()
        return row.id


def _answers(row: AssessmentAnswerSet) -> StoredAnswers:
    return StoredAnswers(
        id=row.id,
        park_id=row.park_id,
        rulebook_id=row.rulebook_id,
        answered_by=row.answered_by,
        answered_on=row.answered_on,
        source_file=row.source_file,
        content=row.content,
        is_synthetic=row.is_synthetic,
        stored_at=row.stored_at,
    )


def latest_answers(workspace: Workspace, park_id: str, rulebook_id: str) -> StoredAnswers | None:
    """The most recently stored answers of a park for a rulebook (None if none)."""
    with session_scope(workspace) as session:
        row = session.scalars(
            select(AssessmentAnswerSet)
            .where(AssessmentAnswerSet.park_id == park_id, AssessmentAnswerSet.rulebook_id == rulebook_id)
            .order_by(AssessmentAnswerSet.answered_on.desc(), AssessmentAnswerSet.id.desc())
        ).first()
        return None if row is None else _answers(row)


def save_run(workspace: Workspace, document: dict[str, Any], answer_set_id: int | None = None) -> int:
    """Store a result document (:func:`ecozone.assessment.documents.result_document`); return the run id."""
    rulebook = document["rulebook"]
    with session_scope(workspace) as session:
        row = AssessmentRun(
            park_id=document["park"]["id"],
            rulebook_id=rulebook["id"],
            rulebook_version=rulebook["version"],
            rulebook_sha256=rulebook["sha256"],
            assessed_on=date.fromisoformat(document["assessed_on"]),
            answer_set_id=answer_set_id,
            score_pct=document["scores"]["overall"]["score_pct"],
            result_json=json.dumps(document, ensure_ascii=False, sort_keys=True),
        )
        session.add(row)
        session.flush()
        return row.id


def _run(row: AssessmentRun) -> StoredRun:
    return StoredRun(
        row.id,
        row.park_id,
        row.rulebook_id,
        row.rulebook_version,
        row.assessed_on,
        row.answer_set_id,
        row.score_pct,
        json.loads(row.result_json),
        row.created_at,
    )


def list_runs(workspace: Workspace, park_id: str, rulebook_id: str) -> list[StoredRun]:
    """Stored runs of a park for a rulebook, oldest first (by stored order)."""
    with session_scope(workspace) as session:
        rows = session.scalars(
            select(AssessmentRun)
            .where(AssessmentRun.park_id == park_id, AssessmentRun.rulebook_id == rulebook_id)
            .order_by(AssessmentRun.id)
        )
        return [_run(row) for row in rows]


def get_run(workspace: Workspace, run_id: int) -> StoredRun | None:
    """The run ``run_id`` (None if absent)."""
    with session_scope(workspace) as session:
        row = session.get(AssessmentRun, run_id)
        return None if row is None else _run(row)
