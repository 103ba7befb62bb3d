"""Docs pages from the rulebook YAML; reference tables with sources; messages in both languages; synthetic answers."""

from __future__ import annotations

import csv
from datetime import date
from importlib import resources

import pytest

from ecozone.assessment.answers import parse_answers
from ecozone.assessment.docs import render_rulebook, rulebook_pages
from ecozone.assessment.engine import AssessmentInputs, assess
from ecozone.assessment.kpis import kpi_catalogue
from ecozone.assessment.measures import measure_catalogue
from ecozone.assessment.rulebook import load_rulebook, shipped_rulebook_ids
from ecozone.assessment.synthetic import synthetic_answers
from ecozone.i18n import catalogue
from tests.assessment.factories import demo_snapshot


@pytest.mark.parametrize("rulebook_id", shipped_rulebook_ids())
def test_docs_page_is_generated_from_the_yaml(rulebook_id: str) -> None:
    rulebook = load_rulebook(rulebook_id)
    page = render_rulebook(rulebook_id)
    assert page.startswith(f"# {rulebook.title.en}")
    for requirement in rulebook.requirements:
        assert f"`{requirement.id}`" in page
    for question in rulebook.questions:
        assert f"`{question.id}`" in page
    for requirement, threshold in rulebook.unverified_thresholds():
        assert f"| `{requirement.id}` | {threshold.value:g} {threshold.unit} |" in page
    assert set(rulebook_pages()) == {f"{rid}.md" for rid in shipped_rulebook_ids()}


@pytest.mark.parametrize("name", ["measures.csv", "sdg_targets.csv"])
def test_shipped_csv_have_source_edition_status(name: str) -> None:
    text = resources.files("ecozone.assessment").joinpath(name).read_text(encoding="utf-8")
    rows = list(csv.DictReader(text.splitlines()))
    assert rows
    for row in rows:
        assert row["source"]
        assert row["edition"]
        assert row["status"] in ("verified", "unverified")


def test_catalogues_are_complete() -> None:
    assert set(measure_catalogue()) >= {
        m for rid in shipped_rulebook_ids() for r in load_rulebook(rid).requirements for m in r.measures
    }
    assert {kpi for rid in shipped_rulebook_ids() for kpi in load_rulebook(rid).kpis()} <= set(kpi_catalogue())


def test_every_assessment_message_has_both_languages() -> None:
    own = {key: entry for key, entry in catalogue().items() if key.startswith("assessment.")}
    assert len(own) > 150
    for key, entry in own.items():
        assert entry.get("vi") and entry.get("en"), key


@pytest.mark.parametrize("rulebook_id", shipped_rulebook_ids())
def test_synthetic_answers_are_valid_and_labelled(rulebook_id: str) -> None:
    rulebook = load_rulebook(rulebook_id)
    park = demo_snapshot()
    text = synthetic_answers(rulebook, park, date(2024, 12, 31))
    assert text.startswith("# SYNTHETIC")
    answers = parse_answers(text, rulebook, today=date(2025, 1, 1))
    assert answers.synthetic
    assert answers.values
    assert text == synthetic_answers(rulebook, park, date(2024, 12, 31))  # seeded
    result = assess(rulebook, AssessmentInputs(park, date(2024, 12, 31), answers=answers))
    assert "met" in {r.status for r in result.results}
