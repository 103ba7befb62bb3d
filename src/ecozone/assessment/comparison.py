"""What changed between two stored assessments of the same park and rulebook (``ecozone assess diff``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class RequirementChange:
    """A requirement whose verdict or value changed (``before``/``after`` None when absent from a run)."""

    requirement_id: str
    before: str | None
    after: str | None
    value_before: float | None
    value_after: float | None


@dataclass(frozen=True)
class ScoreChange:
    """A category's score in both runs [%]."""

    category: str
    before: float | None
    after: float | None

    @property
    def delta(self) -> float | None:
        """The change: after − before [percentage points]."""
        return None if self.before is None or self.after is None else self.after - self.before


@dataclass(frozen=True)
class Comparison:
    """Differences between a previous and a current result document."""

    previous_date: str
    current_date: str
    rulebook_changed: bool
    scores: tuple[ScoreChange, ...]
    changes: tuple[RequirementChange, ...]

    def improved(self) -> tuple[RequirementChange, ...]:
        """Requirements now met that were not."""
        return tuple(c for c in self.changes if c.after == "met" and c.before != "met")

    def worsened(self) -> tuple[RequirementChange, ...]:
        """Requirements met before and not now."""
        return tuple(c for c in self.changes if c.before == "met" and c.after != "met")


def compare_documents(previous: dict[str, Any], current: dict[str, Any]) -> Comparison:
    """Compare two result documents (:func:`ecozone.assessment.documents.result_document`)."""
    before = {r["id"]: r for r in previous["requirements"]}
    after = {r["id"]: r for r in current["requirements"]}
    changes = []
    for requirement_id in [*after, *(rid for rid in before if rid not in after)]:
        old, new = before.get(requirement_id), after.get(requirement_id)
        old_status, new_status = (old or {}).get("verdict"), (new or {}).get("verdict")
        old_value = (old or {}).get("outcome", {}).get("value")
        new_value = (new or {}).get("outcome", {}).get("value")
        if old_status != new_status or old_value != new_value:
            changes.append(RequirementChange(requirement_id, old_status, new_status, old_value, new_value))
    old_scores = {s["category"]: s["score_pct"] for s in previous["scores"]["categories"]}
    new_scores = {s["category"]: s["score_pct"] for s in current["scores"]["categories"]}
    scores = [
        ScoreChange(category, old_scores.get(category), new_scores.get(category))
        for category in dict.fromkeys([*new_scores, *old_scores])
    ]
    scores.append(ScoreChange("overall", previous["scores"]["overall"]["score_pct"], current["scores"]["overall"]["score_pct"]))
    return Comparison(
        previous_date=previous["assessed_on"],
        current_date=current["assessed_on"],
        rulebook_changed=(previous["rulebook"]["version"], previous["rulebook"]["sha256"])
        != (current["rulebook"]["version"], current["rulebook"]["sha256"]),
        scores=tuple(scores),
        changes=tuple(changes),
    )
