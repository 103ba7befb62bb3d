"""Stored answers and runs on SQLite and PostgreSQL; the migration matches the models."""

from __future__ import annotations

from datetime import date

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from ecozone.assessment.comparison import compare_documents
from ecozone.assessment.documents import result_document
from ecozone.assessment.engine import AssessmentInputs, assess
from ecozone.assessment.roadmap import build_roadmap
from ecozone.assessment.rulebook import load_rulebook
from ecozone.registry.files import RawTable
from ecozone.store import models_assessment
from ecozone.store.assessment_store import get_run, latest_answers, list_runs, save_answers, save_run
from ecozone.store.database import engine_for
from ecozone.store.models import Base
from ecozone.store.registry_store import import_table, load_park
from ecozone.store.workspace import Workspace
from tests.assessment.factories import snapshot

OWN_TABLES = {models_assessment.AssessmentAnswerSet.__tablename__, models_assessment.AssessmentRun.__tablename__}


def _park(workspace: Workspace) -> None:
    row = {"ma_kcn": "p1", "ten_kcn": "KCN Thử", "tinh": "Bắc Ninh", "loai_hinh": "general", "trang_thai": "operating"}
    import_table(workspace, "park", RawTable.from_records("parks", [row]))


def test_migration_creates_the_models_tables(workspace: Workspace) -> None:
    with engine_for(workspace.database_url).connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    ours = [d for d in differences if any(table in str(d) for table in OWN_TABLES)]
    assert ours == []


def test_answers_and_runs_round_trip(workspace: Workspace) -> None:
    _park(workspace)
    first = save_answers(
        workspace,
        park_id="p1",
        rulebook_id="eip-framework-v2",
        answered_by="A",
        answered_on=date(2024, 1, 5),
        source_file="a.yaml",
        content="x: 1\n",
    )
    again = save_answers(
        workspace,
        park_id="p1",
        rulebook_id="eip-framework-v2",
        answered_by="A",
        answered_on=date(2024, 1, 5),
        source_file="a.yaml",
        content="x: 1\n",
    )
    later = save_answers(
        workspace,
        park_id="p1",
        rulebook_id="eip-framework-v2",
        answered_by="B",
        answered_on=date(2025, 1, 5),
        source_file="b.yaml",
        content="x: 2\n",
    )
    assert first == again != later
    stored = latest_answers(workspace, "p1", "eip-framework-v2")
    assert stored is not None
    assert (stored.id, stored.answered_by, stored.content) == (later, "B", "x: 2\n")
    assert latest_answers(workspace, "p1", "vn-decree-35-2022") is None

    rulebook = load_rulebook("eip-framework-v2")
    park = load_park(workspace, "p1")
    result = assess(rulebook, AssessmentInputs(park, date(2024, 12, 31)))
    document = result_document(result, build_roadmap(result, park))
    run_id = save_run(workspace, document, later)
    run = get_run(workspace, run_id)
    assert run is not None
    assert run.document == document
    assert (run.rulebook_version, run.answer_set_id, run.assessed_on) == (rulebook.version, later, date(2024, 12, 31))
    assert [r.id for r in list_runs(workspace, "p1", "eip-framework-v2")] == [run_id]


def test_diff_of_two_years() -> None:
    rulebook = load_rulebook("eip-framework-v2")
    before = result_document(assess(rulebook, AssessmentInputs(snapshot(2, green_area_ha=40.0), date(2023, 12, 31))))
    after = result_document(assess(rulebook, AssessmentInputs(snapshot(2, green_area_ha=60.0), date(2024, 12, 31))))
    comparison = compare_documents(before, after)
    assert not comparison.rulebook_changed
    assert [c.requirement_id for c in comparison.improved()] == ["ENV-NE-2"]  # 8 % → 12 % of 500 ha
    change = comparison.changes[0]
    assert (change.before, change.after, change.value_before, change.value_after) == ("not_met", "met", 8.0, 12.0)
    environmental = next(s for s in comparison.scores if s.category == "environmental")
    assert environmental.delta is not None
    assert round(environmental.delta, 6) == round(100 / 18, 6)
