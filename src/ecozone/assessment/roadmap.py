"""The roadmap: unmet requirements in the order a park should work on them, with the firms to talk to.

Order (first key first):

1. prerequisites before performance requirements (they unlock the status itself);
2. gaps to close (``not_met``) before data to collect (``not_enough_data``);
3. closest to the threshold first (:func:`ecozone.assessment.checks.shortfall`, 0–1);
4. cheapest measure first, then the shortest (``measures.csv``: cost class, effort in months);
5. the requirement id, for a stable order.

For a share of firms the firms to talk to are those not meeting the condition (or whose data is
unknown), largest first by the measure's ranking attribute (e.g. roof area for rooftop solar,
floor area by default), with the number of firms still needed to reach the threshold.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any

from ecozone.assessment.checks import shortfall
from ecozone.assessment.engine import AssessmentResult
from ecozone.assessment.measures import Measure, measure_catalogue
from ecozone.assessment.verdicts import NOT_ENOUGH_DATA, NOT_MET, Missing, Outcome
from ecozone.store.snapshot import FirmRecord, ParkSnapshot

DEFAULT_FIRM_RANKING = "floor_area_m2"
CLOSE_GAP = "close_gap"
COLLECT_DATA = "collect_data"


@dataclass(frozen=True)
class RoadmapStep:
    """One step of the roadmap.

    Attributes
    ----------
    action : str
        ``close_gap`` (not met) or ``collect_data`` (not enough data).
    shortfall : float or None
        Distance to the threshold, 0 (at it) to 1 [-]; None when unknown.
    cost_class, effort_months
        Of the cheapest measure (``measures.csv``); None without a measure.
    firms_to_talk_to : tuple of str
        Firm ids, largest first (at most ``max_firms``).
    firms_needed : int or None
        More firms that must meet the condition to reach the threshold (shares of firms).
    """

    rank: int
    requirement_id: str
    category: str
    prerequisite: bool
    action: str
    shortfall: float | None
    measures: tuple[str, ...]
    cost_class: str | None
    effort_months: float | None
    firms_to_talk_to: tuple[str, ...]
    firms_needed: int | None
    missing: tuple[Missing, ...]

    def as_dict(self) -> dict[str, Any]:
        """Plain values."""
        return {
            "rank": self.rank,
            "requirement_id": self.requirement_id,
            "category": self.category,
            "prerequisite": self.prerequisite,
            "action": self.action,
            "shortfall": self.shortfall,
            "measures": list(self.measures),
            "cost_class": self.cost_class,
            "effort_months": self.effort_months,
            "firms_to_talk_to": list(self.firms_to_talk_to),
            "firms_needed": self.firms_needed,
            "missing": [m.datum for m in self.missing],
        }


def _firms_of(outcome: Outcome) -> tuple[list[str], int | None]:
    """Firms that could move the verdict, and how many more are needed (shares only)."""
    if outcome.kind == "share_of_firms":
        needed = outcome.detail.get("needed")
        return [*outcome.firms_not_meeting, *outcome.firms_unknown], needed
    firms: list[str] = []
    needed_total: int | None = None
    for part in outcome.parts:
        if part.status in (NOT_MET, NOT_ENOUGH_DATA):
            part_firms, part_needed = _firms_of(part)
            firms.extend(part_firms)
            if part_needed is not None:
                needed_total = max(needed_total or 0, part_needed)
    return list(dict.fromkeys(firms)), needed_total


def _rank_firms(candidates: list[str], firms: dict[str, FirmRecord], attribute: str, limit: int) -> tuple[str, ...]:
    def size(firm_id: str) -> float:
        value = getattr(firms[firm_id], attribute, None) if firm_id in firms else None
        return float(value) if value is not None else -1.0

    ordered = sorted(candidates, key=lambda firm_id: (-size(firm_id), firm_id))
    return tuple(ordered[:limit])


def _kpi_firms(measures: list[Measure], firms: dict[str, FirmRecord], limit: int) -> tuple[str, ...]:
    """For a park-level KPI, the largest firms by the measure's ranking attribute (when it names one)."""
    ranking = next((m.firm_ranking for m in measures if m.firm_ranking), None)
    if ranking is None:
        return ()
    return _rank_firms(list(firms), firms, ranking, limit)


def build_roadmap(result: AssessmentResult, snapshot: ParkSnapshot, max_firms: int = 5) -> tuple[RoadmapStep, ...]:
    """The ordered roadmap of a result's gaps.

    Parameters
    ----------
    result : AssessmentResult
        The assessment.
    snapshot : ParkSnapshot
        The park's firms (to rank the firms to talk to).
    max_firms : int
        Firms listed per step.
    """
    catalogue = measure_catalogue()
    firms = {firm.id: firm for firm in snapshot.firms}
    drafts = []
    for item in result.gaps():
        requirement = result.rulebook.requirement(item.requirement_id)
        measures = [catalogue[m] for m in requirement.measures if m in catalogue]
        cheapest = min(measures, key=lambda m: (m.cost_rank, m.effort_months)) if measures else None
        candidates, needed = _firms_of(item.outcome)
        ranking = next((m.firm_ranking for m in measures if m.firm_ranking), DEFAULT_FIRM_RANKING)
        talk_to = _rank_firms(candidates, firms, ranking, max_firms) if candidates else ()
        if not talk_to and item.status == NOT_MET and item.outcome.kind == "kpi_threshold":
            talk_to = _kpi_firms(measures, firms, max_firms)
        gap = shortfall(item.outcome)
        action = CLOSE_GAP if item.status == NOT_MET else COLLECT_DATA
        key = (
            not requirement.prerequisite,
            action != CLOSE_GAP,
            gap if gap is not None else 1.0,
            cheapest.cost_rank if cheapest else math.inf,
            cheapest.effort_months if cheapest else math.inf,
            requirement.id,
        )
        step = RoadmapStep(
            rank=0,
            requirement_id=requirement.id,
            category=requirement.category,
            prerequisite=requirement.prerequisite,
            action=action,
            shortfall=gap,
            measures=tuple(m.measure_id for m in measures),
            cost_class=cheapest.cost_class if cheapest else None,
            effort_months=cheapest.effort_months if cheapest else None,
            firms_to_talk_to=talk_to,
            firms_needed=needed,
            missing=item.outcome.all_missing(),
        )
        drafts.append((key, step))
    drafts.sort(key=lambda draft: draft[0])
    return tuple(replace(step, rank=index) for index, (_, step) in enumerate(drafts, start=1))
