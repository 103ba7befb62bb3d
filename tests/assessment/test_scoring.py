"""The category score formula against worked examples."""

from __future__ import annotations

import pytest

from ecozone.assessment.scoring import score
from ecozone.assessment.verdicts import Outcome, RequirementResult


def result(requirement_id: str, status: str, prerequisite: bool = False) -> RequirementResult:
    return RequirementResult(requirement_id, "c", prerequisite, Outcome("evidence", status, "test"))  # type: ignore[arg-type]


def test_share_met_worked_example() -> None:
    # 10 requirements: 6 met (one a prerequisite), 2 not met (one a prerequisite), 1 without data, 1 not applicable.
    results = [result(f"m{i}", "met", prerequisite=i == 0) for i in range(6)]
    results += [result("n0", "not_met", prerequisite=True), result("n1", "not_met")]
    results += [result("d0", "not_enough_data"), result("x0", "not_applicable")]
    scored = score("c", results)
    assert scored.applicable == 9
    assert scored.score_pct == pytest.approx(100 * 6 / 9)  # 66.7 %: missing data counts as not met
    assert scored.assessed_score_pct == pytest.approx(100 * 6 / 8)  # 75 % among requirements with data
    assert scored.coverage_pct == pytest.approx(100 * 8 / 9)
    assert (scored.prerequisites, scored.prerequisites_met, scored.prerequisites_all_met) == (2, 1, False)


def test_unido_country_average_shape() -> None:
    # UNIDO reports Viet Nam's parks at 63 % average compliance: e.g. 32 of 51 indicators met → 62.7 %.
    results = [result(f"r{i}", "met" if i < 32 else "not_met") for i in range(51)]
    assert score("overall", results).score_pct == pytest.approx(62.745, abs=1e-3)


def test_points_worked_example() -> None:
    results = [result("a", "met"), result("b", "not_met"), result("c", "not_enough_data"), result("d", "not_applicable")]
    points = {"a": 13.0, "b": 6.0, "c": 1.0, "d": 10.0}
    scored = score("energy", results, points)
    assert (scored.points, scored.max_points) == (13.0, 20.0)  # d does not apply
    assert scored.score_pct == pytest.approx(65.0)


def test_nothing_applicable_has_no_score() -> None:
    scored = score("c", [result("x", "not_applicable")])
    assert scored.score_pct is None
    assert scored.coverage_pct is None
