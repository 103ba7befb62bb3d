"""An assessment as one JSON document: what ``--json`` prints, what is stored, what reports read.

The document carries both languages, the rulebook's id, version and digest, the inputs (KPI
values with their source, who answered and when), every verdict with its values, firms,
evidence and missing data, the scores, the roadmap, the SDG contribution and every unverified
threshold, so that a stored run can be compared with next year's and re-rendered without the
rulebook at hand.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ecozone.assessment.engine import AssessmentResult
from ecozone.assessment.roadmap import RoadmapStep
from ecozone.assessment.rulebook import Bilingual, Requirement, Rulebook, check_thresholds
from ecozone.assessment.sdg import sdg_targets, target_sort_key
from ecozone.assessment.verdicts import MET, NOT_APPLICABLE, Outcome

DOCUMENT_VERSION = 1


def _text(value: Bilingual | None) -> dict[str, str] | None:
    return None if value is None else {"vi": value.vi, "en": value.en}


def outcome_document(outcome: Outcome) -> dict[str, Any]:
    """Plain values of an outcome and its parts."""
    return {
        "kind": outcome.kind,
        "status": outcome.status,
        "reason": outcome.reason,
        "value": outcome.value,
        "unit": outcome.unit,
        "operator": outcome.operator,
        "threshold": outcome.threshold,
        "firms_meeting": list(outcome.firms_meeting),
        "firms_not_meeting": list(outcome.firms_not_meeting),
        "firms_unknown": list(outcome.firms_unknown),
        "evidence": [
            {"label": e.label, "reference": e.reference, "date": e.date.isoformat() if e.date else None, "detail": e.detail}
            for e in outcome.evidence
        ],
        "missing": [{"source": m.source, "datum": m.datum} for m in outcome.missing],
        "detail": outcome.detail,
        "parts": [outcome_document(part) for part in outcome.parts],
    }


def _requirement_document(requirement: Requirement, outcome: Outcome, findings: Sequence[Any]) -> dict[str, Any]:
    threshold = requirement.threshold
    return {
        "id": requirement.id,
        "category": requirement.category,
        "subcategory": requirement.subcategory,
        "prerequisite": requirement.prerequisite,
        "title": _text(requirement.title),
        "metric": _text(requirement.metric),
        "source": requirement.source.citation(),
        "status": requirement.status,
        "threshold": None
        if threshold is None
        else {"value": threshold.value, "unit": threshold.unit, "status": threshold.status, "source": threshold.source},
        "sdg_targets": list(requirement.sdg_targets),
        "form": None
        if requirement.form is None
        else {
            "name": requirement.form.name,
            "code": requirement.form.code,
            "section": requirement.form.section,
            "label_vi": requirement.form.label_vi,
        },
        "verdict": outcome.status,
        "outcome": outcome_document(outcome),
        "missing": [m.datum for m in outcome.all_missing()],
        "findings": [f.code for f in findings],
    }


def unverified_document(rulebook: Rulebook) -> list[dict[str, Any]]:
    """Every unverified threshold of the rulebook."""
    return [
        {"requirement_id": requirement.id, "value": threshold.value, "unit": threshold.unit, "source": threshold.source}
        for requirement, threshold in rulebook.unverified_thresholds()
    ]


def sdg_contribution(result: AssessmentResult) -> list[dict[str, Any]]:
    """Per SDG target: the applicable requirements serving it and how many are met."""
    targets = sdg_targets()
    table: dict[str, dict[str, Any]] = {}
    for item in result.results:
        if item.status == NOT_APPLICABLE:
            continue
        for target in result.rulebook.requirement(item.requirement_id).sdg_targets:
            row = table.setdefault(target, {"target": target, "requirements": [], "met": 0})
            row["requirements"].append(item.requirement_id)
            row["met"] += item.status == MET
    rows = []
    for target in sorted(table, key=target_sort_key):
        row = table[target]
        known = targets.get(target)
        row["goal"] = known.goal if known else None
        row["text"] = {"vi": known.text_vi, "en": known.text_en} if known else None
        row["share_met_pct"] = 100.0 * row["met"] / len(row["requirements"])
        rows.append(row)
    return rows


def result_document(
    result: AssessmentResult, roadmap: Sequence[RoadmapStep] = (), firm_names: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """The JSON document of an assessment (plain values only).

    Parameters
    ----------
    result : AssessmentResult
        The assessment.
    roadmap : sequence of RoadmapStep
        Its roadmap (:func:`ecozone.assessment.roadmap.build_roadmap`).
    firm_names : mapping, optional
        Firm id → name, kept for the firms named in the roadmap.
    """
    named = {firm for step in roadmap for firm in step.firms_to_talk_to}
    rulebook = result.rulebook
    names = {category.id: _text(category.name) for category in rulebook.categories}
    return {
        "document_version": DOCUMENT_VERSION,
        "rulebook": {
            "id": rulebook.id,
            "version": rulebook.version,
            "sha256": rulebook.sha256,
            "title": _text(rulebook.title),
            "framework": {
                "name": _text(rulebook.framework.name),
                "edition": rulebook.framework.edition,
                "source": rulebook.framework.source,
            },
            "scoring": rulebook.scoring,
            "label": _text(rulebook.label),
            "notes": _text(rulebook.notes),
        },
        "park": {
            "id": result.park_id,
            "name_vi": result.park_name_vi,
            "name_en": result.park_name_en,
            "is_synthetic": result.park_is_synthetic,
        },
        "assessed_on": result.assessed_on.isoformat(),
        "scores": {
            "categories": [{**score.as_dict(), "name": names.get(score.category)} for score in result.categories],
            "overall": result.overall.as_dict(),
        },
        "requirements": [
            _requirement_document(rulebook.requirement(item.requirement_id), item.outcome, item.findings)
            for item in result.results
        ],
        "roadmap": [step.as_dict() for step in roadmap],
        "firms": {firm: (firm_names or {}).get(firm, firm) for firm in sorted(named)},
        "findings": [
            {
                "code": f.code,
                "severity": f.severity,
                "requirement_id": f.requirement_id,
                "message": {"vi": f.message_vi, "en": f.message_en},
            }
            for f in result.findings
        ],
        "unverified_thresholds": unverified_document(rulebook),
        "sdg": sdg_contribution(result),
        "inputs": {
            "metrics": {
                name: {"value": m.value, "unit": m.unit, "source": m.source, "detail": m.detail}
                for name, m in sorted(result.metrics.items())
            },
            "answers": dict(result.answers_meta),
        },
    }


def threshold_count(rulebook: Rulebook) -> int:
    """Number of thresholds in the rulebook (maximum ages of evidence included)."""
    return sum(len(check_thresholds(requirement.check)) for requirement in rulebook.requirements)
