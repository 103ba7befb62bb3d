"""Every requirement of every shipped rulebook: one generated case meets it, one fails it."""

from __future__ import annotations

import pytest

from ecozone.assessment.engine import assess
from ecozone.assessment.rulebook import load_rulebook, shipped_rulebook_ids
from tests.assessment.generated_cases import case

CASES = [
    (rulebook_id, requirement.id)
    for rulebook_id in shipped_rulebook_ids()
    for requirement in load_rulebook(rulebook_id).requirements
]


@pytest.mark.parametrize(("rulebook_id", "requirement_id"), CASES)
def test_generated_case_meets_and_fails(rulebook_id: str, requirement_id: str) -> None:
    rulebook = load_rulebook(rulebook_id)
    requirement = rulebook.requirement(requirement_id)
    met = assess(rulebook, case(rulebook, requirement, want=True)).result(requirement_id)
    failed = assess(rulebook, case(rulebook, requirement, want=False)).result(requirement_id)
    assert met.status == "met", met.outcome
    assert failed.status == "not_met", failed.outcome


def test_every_shipped_rulebook_has_cases() -> None:
    assert {rulebook for rulebook, _ in CASES} == set(shipped_rulebook_ids())
    assert len(CASES) >= 70
