"""The assessment engine: a rulebook and plain inputs in, verdicts, scores and findings out.

:func:`assess` never touches the database: it takes a
:class:`~ecozone.store.snapshot.ParkSnapshot`, an assessment date, KPI values measured
elsewhere (meters, GHG; a plain mapping) and validated questionnaire answers, and returns an
:class:`AssessmentResult`. KPI values are merged with the registry's first, then the
measured ones, then the answered ones (an answered value never overrides data; a finding says
when it was ignored).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ecozone.assessment.answers import Answers
from ecozone.assessment.checks import EvaluationContext, applicability, evaluate_check
from ecozone.assessment.errors import AnswersError, AssessmentError, Problem
from ecozone.assessment.kpis import Measurement, merge_measurements, registry_kpis
from ecozone.assessment.rulebook import Requirement, Rulebook, check_thresholds
from ecozone.assessment.scoring import CategoryScore, category_scores
from ecozone.assessment.verdicts import MET, NOT_ENOUGH_DATA, NOT_MET, Finding, Outcome, RequirementResult
from ecozone.errors import ReferenceDataError
from ecozone.store.snapshot import ParkSnapshot


@dataclass(frozen=True)
class AssessmentInputs:
    """What an assessment reads.

    Attributes
    ----------
    snapshot : ParkSnapshot
        The park with its firms, meters and certificates.
    assessed_on : date
        The day the park is assessed at (the last day of the year for a yearly assessment).
    metrics : mapping
        KPI values computed from meters, GHG inventories or other engines (name → Measurement).
    answers : Answers or None
        Validated questionnaire answers.
    """

    snapshot: ParkSnapshot
    assessed_on: date
    metrics: Mapping[str, Measurement] = field(default_factory=dict)
    answers: Answers | None = None


@dataclass(frozen=True)
class AssessmentResult:
    """Verdicts, scores, findings and the inputs behind them."""

    rulebook: Rulebook
    park_id: str
    park_name_vi: str
    park_name_en: str | None
    park_is_synthetic: bool
    assessed_on: date
    results: tuple[RequirementResult, ...]
    categories: tuple[CategoryScore, ...]
    overall: CategoryScore
    findings: tuple[Finding, ...]
    metrics: Mapping[str, Measurement]
    answers_meta: Mapping[str, Any] = field(default_factory=dict)

    def result(self, requirement_id: str) -> RequirementResult:
        """The result of ``requirement_id`` (KeyError if unknown)."""
        for result in self.results:
            if result.requirement_id == requirement_id:
                return result
        raise KeyError(requirement_id)

    def park_name(self, lang: str) -> str:
        """The park's name in ``lang`` (Vietnamese when no English name)."""
        return self.park_name_en if lang == "en" and self.park_name_en else self.park_name_vi

    def gaps(self) -> tuple[RequirementResult, ...]:
        """Requirements not met or without enough data, in rulebook order."""
        return tuple(result for result in self.results if result.status in (NOT_MET, NOT_ENOUGH_DATA))


def holidays_around(day: date) -> frozenset[date]:
    """Public holidays of the assessment year and the one before, where shipped."""
    from ecozone.demo.readings.holidays import public_holidays

    days: set[date] = set()
    for year in (day.year - 1, day.year):
        try:
            days.update(holiday.day for holiday in public_holidays(year))
        except ReferenceDataError:
            continue
    return frozenset(days)


def build_context(rulebook: Rulebook, inputs: AssessmentInputs) -> tuple[EvaluationContext, list[Finding]]:
    """The evaluation context (merged KPIs) and the findings about the inputs."""
    registry = registry_kpis(inputs.snapshot, inputs.assessed_on)
    answered = inputs.answers.kpis if inputs.answers is not None else {}
    metrics = merge_measurements(registry.values, inputs.metrics, answered)
    findings = [
        Finding.make(
            "assessment.finding.answer_overridden",
            "info",
            kpi=name,
            answered=f"{answered[name].value:g}",
            used=f"{metrics[name].value:g}",
            source=metrics[name].source,
        )
        for name in answered
        if metrics[name] is not answered[name]
    ]
    gaps = {name: needs for name, needs in registry.gaps.items() if name not in metrics}
    context = EvaluationContext(
        snapshot=inputs.snapshot,
        assessed_on=inputs.assessed_on,
        rulebook=rulebook,
        metrics=metrics,
        metric_gaps=gaps,
        answers=inputs.answers,
        holidays=holidays_around(inputs.assessed_on),
    )
    return context, findings


def check_answer_firms(answers: Answers, snapshot: ParkSnapshot) -> None:
    """Refuse answers naming firms that are not in the park (every one listed with its line)."""
    known = {firm.id for firm in snapshot.firms}
    problems = [
        Problem(
            answers.file, line, f"answers.{question}", "assessment.answers.unknown_firm", {"firm": firm, "park": snapshot.park.id}
        )
        for question, firm, line in answers.firm_references()
        if firm not in known
    ]
    if problems:
        raise AnswersError(problems, file=answers.file)


def evaluate_requirement(requirement: Requirement, context: EvaluationContext) -> RequirementResult:
    """A requirement's verdict and findings."""
    outcome = applicability(requirement.applies_when, context) or evaluate_check(requirement.check, context)
    return RequirementResult(
        requirement.id, requirement.category, requirement.prerequisite, outcome, requirement_findings(requirement, outcome)
    )


def requirement_findings(requirement: Requirement, outcome: Outcome) -> tuple[Finding, ...]:
    """Findings of one verdict: unmet (prerequisite: disqualification), missing data, old evidence, unverified thresholds."""
    findings = []
    if outcome.status == NOT_MET:
        code = "assessment.finding.prerequisite_not_met" if requirement.prerequisite else "assessment.finding.not_met"
        severity = "disqualification" if requirement.prerequisite else "warning"
        findings.append(Finding.make(code, severity, requirement.id, requirement=requirement.id))
    elif outcome.status == NOT_ENOUGH_DATA:
        missing = ", ".join(m.datum for m in outcome.all_missing())
        findings.append(
            Finding.make(
                "assessment.finding.not_enough_data", "warning", requirement.id, requirement=requirement.id, missing=missing
            )
        )
    for part in (outcome, *outcome.parts):
        if part.reason == "evidence_too_old":
            findings.append(
                Finding.make(
                    "assessment.finding.evidence_too_old",
                    "warning",
                    requirement.id,
                    requirement=requirement.id,
                    age=f"{part.value:g}",
                    limit=f"{part.threshold:g}",
                )
            )
    if outcome.status != "not_applicable":
        for threshold in check_thresholds(requirement.check):
            if threshold.status != "verified":
                findings.append(
                    Finding.make(
                        "assessment.finding.unverified_threshold",
                        "info",
                        requirement.id,
                        requirement=requirement.id,
                        value=f"{threshold.value:g}",
                        unit=threshold.unit,
                        source=threshold.source,
                    )
                )
    return tuple(findings)


def assess(rulebook: Rulebook, inputs: AssessmentInputs) -> AssessmentResult:
    """Assess a park against a rulebook.

    Parameters
    ----------
    rulebook : Rulebook
        A validated rulebook.
    inputs : AssessmentInputs
        Snapshot, date, measured KPIs and answers.

    Returns
    -------
    AssessmentResult
        One verdict per requirement (rulebook order), scores per category and overall, findings.

    Raises
    ------
    AssessmentError
        If the answers were given for another rulebook.
    AnswersError
        If the answers name firms that are not in the park.
    """
    answers = inputs.answers
    if answers is not None:
        if answers.rulebook_id != rulebook.id:
            raise AssessmentError("assessment.answers.wrong_rulebook", found=answers.rulebook_id, expected=rulebook.id)
        check_answer_firms(answers, inputs.snapshot)
    context, findings = build_context(rulebook, inputs)
    if not inputs.snapshot.firms:
        findings.append(Finding.make("assessment.finding.no_firms", "warning", park=inputs.snapshot.park.id))
    results = tuple(evaluate_requirement(requirement, context) for requirement in rulebook.requirements)
    categories, overall = category_scores(rulebook, results)
    for result in results:
        findings.extend(result.findings)
    park = inputs.snapshot.park
    meta: dict[str, Any] = {}
    if answers is not None:
        meta = {
            "answered_by": answers.answered_by,
            "answered_on": answers.answered_on.isoformat(),
            "file": answers.file,
            "synthetic": answers.synthetic,
            "answered": len(answers.values),
            "questions": len(rulebook.questions),
        }
    return AssessmentResult(
        rulebook=rulebook,
        park_id=park.id,
        park_name_vi=park.name_vi,
        park_name_en=park.name_en,
        park_is_synthetic=park.is_synthetic,
        assessed_on=inputs.assessed_on,
        results=results,
        categories=categories,
        overall=overall,
        findings=tuple(findings),
        metrics=context.metrics,
        answers_meta=meta,
    )


def met_count(result: AssessmentResult) -> int:
    """Requirements met."""
    return sum(r.status == MET for r in result.results)
