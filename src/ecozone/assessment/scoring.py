"""Scores by category, counted the way the framework's assessors count them.

``share_met`` (International EIP Framework, as UNIDO scored 50 parks): the score of a category
is the share of its applicable requirements that are met,

    score [%] = 100 × met / applicable,   applicable = met + not met + not enough data,

so a requirement without data counts as not met (nothing is scored as met without evidence);
``not_applicable`` requirements are left out. The score among assessed requirements
(``met / (met + not met)``) and the data coverage (``(met + not met) / applicable``) are given
beside it. ``points`` (readiness estimates such as LEED): the sum of the points of the
requirements met over the points of the applicable ones.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ecozone.assessment.rulebook import Rulebook
from ecozone.assessment.verdicts import MET, NOT_APPLICABLE, NOT_ENOUGH_DATA, NOT_MET, RequirementResult

OVERALL = "overall"


@dataclass(frozen=True)
class CategoryScore:
    """Counts and scores of one category (or ``overall``).

    Attributes
    ----------
    score_pct : float or None
        100 × met / applicable [%] (share_met), or 100 × points / max_points [%] (points);
        None when nothing applies.
    assessed_score_pct : float or None
        100 × met / (met + not met) [%]: the score among requirements with data.
    coverage_pct : float or None
        100 × (met + not met) / applicable [%].
    points, max_points : float or None
        Points earned and available (points scoring only).
    """

    category: str
    met: int
    not_met: int
    not_enough_data: int
    not_applicable: int
    prerequisites: int
    prerequisites_met: int
    points: float | None = None
    max_points: float | None = None

    @property
    def applicable(self) -> int:
        """Requirements that apply."""
        return self.met + self.not_met + self.not_enough_data

    @property
    def score_pct(self) -> float | None:
        """The category's score [%]."""
        if self.max_points is not None:
            return 100.0 * (self.points or 0.0) / self.max_points if self.max_points else None
        return 100.0 * self.met / self.applicable if self.applicable else None

    @property
    def assessed_score_pct(self) -> float | None:
        """Score among requirements with data [%]."""
        assessed = self.met + self.not_met
        return 100.0 * self.met / assessed if assessed else None

    @property
    def coverage_pct(self) -> float | None:
        """Share of applicable requirements with enough data [%]."""
        return 100.0 * (self.met + self.not_met) / self.applicable if self.applicable else None

    @property
    def prerequisites_all_met(self) -> bool:
        """Whether every applicable prerequisite is met."""
        return self.prerequisites == self.prerequisites_met

    def as_dict(self) -> dict[str, object]:
        """Plain values, scores included."""
        return {
            "category": self.category,
            "met": self.met,
            "not_met": self.not_met,
            "not_enough_data": self.not_enough_data,
            "not_applicable": self.not_applicable,
            "applicable": self.applicable,
            "prerequisites": self.prerequisites,
            "prerequisites_met": self.prerequisites_met,
            "score_pct": self.score_pct,
            "assessed_score_pct": self.assessed_score_pct,
            "coverage_pct": self.coverage_pct,
            "points": self.points,
            "max_points": self.max_points,
        }


def score(category: str, results: Sequence[RequirementResult], points: dict[str, float] | None = None) -> CategoryScore:
    """Score ``results`` as one group.

    Parameters
    ----------
    category : str
        Label of the group.
    results : sequence of RequirementResult
        The verdicts to count.
    points : dict, optional
        Requirement id → points (points scoring); None for share-met scoring.
    """
    statuses = [result.status for result in results]
    applicable = [result for result in results if result.status != NOT_APPLICABLE]
    prerequisites = [result for result in applicable if result.prerequisite]
    earned = maximum = None
    if points is not None:
        earned = sum(points.get(result.requirement_id, 0.0) for result in applicable if result.status == MET)
        maximum = sum(points.get(result.requirement_id, 0.0) for result in applicable)
    return CategoryScore(
        category=category,
        met=statuses.count(MET),
        not_met=statuses.count(NOT_MET),
        not_enough_data=statuses.count(NOT_ENOUGH_DATA),
        not_applicable=statuses.count(NOT_APPLICABLE),
        prerequisites=len(prerequisites),
        prerequisites_met=sum(result.status == MET for result in prerequisites),
        points=earned,
        max_points=maximum,
    )


def category_scores(rulebook: Rulebook, results: Sequence[RequirementResult]) -> tuple[tuple[CategoryScore, ...], CategoryScore]:
    """Scores per category (in the rulebook's order) and overall."""
    points = (
        {requirement.id: float(requirement.points or 0.0) for requirement in rulebook.requirements}
        if rulebook.scoring == "points"
        else None
    )
    per_category = tuple(
        score(category.id, [result for result in results if result.category == category.id], points)
        for category in rulebook.categories
    )
    return per_category, score(OVERALL, results, points)
