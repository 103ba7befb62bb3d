"""Evaluation of each check kind: pure functions from plain inputs to an :class:`Outcome`.

Three-valued logic throughout: a check is ``met``, ``not_met`` or ``not_enough_data``; it
never guesses. A share of firms with some firms' data unknown is decided only when the best
and the worst case agree; a combination follows Kleene's logic (``all`` is not met as soon as
one part is not met, met only when every part is met).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from ecozone.assessment.answers import Answers, EvidenceAnswer, NumberAnswer, SymbiosisLink
from ecozone.assessment.kpis import Measurement, kpi_catalogue
from ecozone.assessment.rulebook import (
    AppliesWhen,
    Check,
    CombinationCheck,
    CountCheck,
    DeadlineCheck,
    EvidenceCheck,
    FirmCondition,
    KpiThresholdCheck,
    ParkCertificateCheck,
    Rulebook,
    ShareOfFirmsCheck,
)
from ecozone.assessment.verdicts import MET, NOT_APPLICABLE, NOT_ENOUGH_DATA, NOT_MET, EvidenceItem, Missing, Outcome, Status
from ecozone.store.snapshot import FirmRecord, ParkSnapshot
from ecozone.units import UnitError, conversion_factor

TOLERANCE = 1e-9
SATURDAY = 5


@dataclass(frozen=True)
class EvaluationContext:
    """Everything a check may read.

    Attributes
    ----------
    assessed_on : date
        Certificates must be valid on this day; evidence ages are counted to it.
    metrics : mapping
        KPI name → :class:`Measurement` (registry, meters, answers), already merged.
    metric_gaps : mapping
        KPI name → the data it lacks (from :func:`ecozone.assessment.kpis.registry_kpis`).
    holidays : frozenset of date
        Public holidays not counted as working days.
    """

    snapshot: ParkSnapshot
    assessed_on: date
    rulebook: Rulebook
    metrics: Mapping[str, Measurement] = field(default_factory=dict)
    metric_gaps: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    answers: Answers | None = None
    holidays: frozenset[date] = frozenset()

    def answer(self, question: str) -> object | None:
        """The answer to ``question`` or None."""
        return None if self.answers is None else self.answers.get(question)


def compare(value: float, operator: str, threshold: float) -> bool:
    """``value <operator> threshold`` with a small tolerance for equality [same unit]."""
    if operator == ">=":
        return value >= threshold - TOLERANCE
    if operator == ">":
        return value > threshold + TOLERANCE
    if operator == "<=":
        return value <= threshold + TOLERANCE
    if operator == "<":
        return value < threshold - TOLERANCE
    return abs(value - threshold) <= TOLERANCE


def evaluate_check(check: Check, context: EvaluationContext) -> Outcome:
    """Evaluate any check."""
    evaluators: dict[type, Callable[..., Outcome]] = {
        KpiThresholdCheck: kpi_threshold,
        ShareOfFirmsCheck: share_of_firms,
        EvidenceCheck: evidence,
        CountCheck: count,
        CombinationCheck: combination,
        ParkCertificateCheck: park_certificate,
        DeadlineCheck: deadline,
    }
    return evaluators[type(check)](check, context)


# --------------------------------------------------------------------------- kpi_threshold


def kpi_threshold(check: KpiThresholdCheck, context: EvaluationContext) -> Outcome:
    """A KPI against a threshold (the KPI converted into the threshold's unit)."""
    threshold = check.threshold
    base = Outcome(check.kind, NOT_ENOUGH_DATA, "", unit=threshold.unit, operator=check.operator, threshold=threshold.value)
    measurement = context.metrics.get(check.kpi)
    if measurement is None:
        gaps = context.metric_gaps.get(check.kpi)
        if gaps:
            missing = tuple(Missing("registry", datum) for datum in gaps)
        else:
            source = "answers" if kpi_catalogue()[check.kpi].provided_by == ("answers",) else "kpi"
            missing = (Missing(source, f"kpi.{check.kpi}"),)
        return replace(base, reason="kpi_missing", missing=missing)
    try:
        value = measurement.value * (
            1.0 if measurement.unit == threshold.unit else conversion_factor(measurement.unit, threshold.unit)
        )
    except UnitError:
        return replace(
            base,
            reason="unit_mismatch",
            missing=(Missing("kpi", f"kpi.{check.kpi} [{threshold.unit}]"),),
            detail={"given_unit": measurement.unit},
        )
    met = compare(value, check.operator, threshold.value)
    item = EvidenceItem(f"kpi.{check.kpi}", None, None, f"{measurement.source}: {measurement.detail}".rstrip(": "))
    return replace(
        base,
        status=MET if met else NOT_MET,
        reason="threshold_met" if met else "threshold_not_met",
        value=value,
        evidence=(item,),
    )


# --------------------------------------------------------------------------- share_of_firms


@dataclass(frozen=True)
class _Truth:
    """The value of a firm condition: True, False or None (unknown, with what is missing)."""

    value: bool | None
    missing: tuple[Missing, ...] = ()
    evidence: tuple[EvidenceItem, ...] = ()


def _and(parts: list[_Truth]) -> _Truth:
    if any(part.value is False for part in parts):
        return _Truth(False)
    if all(part.value is True for part in parts):
        return _Truth(True, (), tuple(e for part in parts for e in part.evidence))
    return _Truth(None, tuple(m for part in parts for m in part.missing))


def _or(parts: list[_Truth]) -> _Truth:
    true = [part for part in parts if part.value is True]
    if true:
        return _Truth(True, (), true[0].evidence)
    if all(part.value is False for part in parts):
        return _Truth(False)
    return _Truth(None, tuple(m for part in parts for m in part.missing))


def firm_condition_value(condition: FirmCondition, firm: FirmRecord, context: EvaluationContext) -> _Truth:
    """Whether ``firm`` meets ``condition`` on the assessment date (None when unknown)."""
    kind = condition.kind
    if kind == "certificate":
        for certificate in context.snapshot.certifications:
            if (
                certificate.holder_kind == "firm"
                and certificate.holder_id == firm.id
                and certificate.scheme in condition.schemes
                and (not condition.levels or certificate.level in condition.levels)
                and certificate.is_valid_on(context.assessed_on)
            ):
                label = f"{certificate.scheme} {certificate.level or ''}".strip()
                valid_to = certificate.valid_to.isoformat() if certificate.valid_to else "…"
                detail = f"{firm.id}: {label}, {certificate.valid_from.isoformat()} – {valid_to}"
                return _Truth(
                    True, (), (EvidenceItem("certificate", certificate.certificate_number, certificate.valid_from, detail),)
                )
        return _Truth(False)
    if kind == "attribute":
        assert condition.attribute is not None and condition.operator is not None and condition.value is not None
        value = getattr(firm, condition.attribute)
        if value is None:
            return _Truth(None, (Missing("registry", f"firm.{firm.id}.{condition.attribute}"),))
        return _Truth(compare(float(value), condition.operator, condition.value))
    if kind in ("answer", "symbiosis"):
        assert condition.question is not None
        answer = context.answer(condition.question)
        if answer is None:
            return _Truth(None, (Missing("answers", f"answers.{condition.question}"),))
        assert isinstance(answer, tuple)
        if kind == "answer":
            return _Truth(firm.id in answer)
        return _Truth(any(isinstance(link, SymbiosisLink) and firm.id in link.firms for link in answer))
    if kind == "meter":
        return _Truth(any(meter.firm_id == firm.id and meter.carrier in condition.carriers for meter in context.snapshot.meters))
    parts = [firm_condition_value(part, firm, context) for part in condition.parts]
    return _and(parts) if kind == "all_of" else _or(parts)


def _share_bounds(cases: list[tuple[_Truth, _Truth]]) -> tuple[tuple[int, int], tuple[int, int]]:
    """(met, population) in the best and in the worst case over the unknown firms."""
    best_met = best_pop = worst_met = worst_pop = 0
    for member, meets in cases:
        if member.value is False:
            continue
        if member.value is True:
            best_pop += 1
            worst_pop += 1
            best_met += meets.value is not False
            worst_met += meets.value is True
            continue
        # membership unknown: include in the best case only if it may meet, in the worst only if it may fail
        if meets.value is not False:
            best_pop += 1
            best_met += 1
        if meets.value is not True:
            worst_pop += 1
    return (best_met, best_pop), (worst_met, worst_pop)


def share_of_firms(check: ShareOfFirmsCheck, context: EvaluationContext) -> Outcome:
    """The share of the population's firms meeting the condition [%] against the threshold."""
    threshold = check.threshold
    base = Outcome(check.kind, NOT_ENOUGH_DATA, "", unit="%", operator=check.operator, threshold=threshold.value)
    firms = context.snapshot.firms
    if not firms:
        return replace(base, reason="no_firms", missing=(Missing("registry", "park.firms"),))
    meeting: list[str] = []
    not_meeting: list[str] = []
    unknown: list[str] = []
    missing: list[Missing] = []
    evidence: list[EvidenceItem] = []
    cases = []
    for firm in firms:
        member = _Truth(True) if check.population is None else firm_condition_value(check.population, firm, context)
        meets = firm_condition_value(check.condition, firm, context)
        cases.append((member, meets))
        if member.value is False:
            continue
        if member.value is None or meets.value is None:
            unknown.append(firm.id)
            missing.extend(member.missing + meets.missing)
        elif meets.value:
            meeting.append(firm.id)
            evidence.extend(meets.evidence)
        else:
            not_meeting.append(firm.id)
    (best_met, best_pop), (worst_met, worst_pop) = _share_bounds(cases)
    verdicts = {
        _share_verdict(met, pop, check.operator, threshold.value) for met, pop in ((best_met, best_pop), (worst_met, worst_pop))
    }
    known_population = len(meeting) + len(not_meeting)
    value = 100.0 * len(meeting) / known_population if known_population and not unknown else None
    detail = {
        "best_pct": 100.0 * best_met / best_pop if best_pop else None,
        "worst_pct": 100.0 * worst_met / worst_pop if worst_pop else None,
        "population": known_population + len(unknown),
        "meeting": len(meeting),
        "unknown": len(unknown),
        "needed": _firms_needed(len(meeting), known_population + len(unknown), check.operator, threshold.value),
    }
    common = replace(
        base,
        value=value,
        firms_meeting=tuple(meeting),
        firms_not_meeting=tuple(not_meeting),
        firms_unknown=tuple(unknown),
        evidence=tuple(evidence),
        detail=detail,
    )
    if verdicts == {None}:
        return replace(common, status=NOT_APPLICABLE, reason="empty_population")
    if len(verdicts) == 1:
        status = verdicts.pop()
        assert status is not None
        return replace(common, status=status, reason="threshold_met" if status == MET else "threshold_not_met")
    return replace(common, reason="firm_data_missing", missing=tuple(dict.fromkeys(missing)))


def _share_verdict(met: int, population: int, operator: str, threshold: float) -> Status | None:
    if population == 0:
        return None
    return MET if compare(100.0 * met / population, operator, threshold) else NOT_MET


def _firms_needed(met: int, population: int, operator: str, threshold: float) -> int | None:
    """How many more firms must meet the condition to reach a ``>=``/``>`` threshold (0 if reached)."""
    if operator not in (">=", ">") or population == 0:
        return None
    for extra in range(population - met + 1):
        if compare(100.0 * (met + extra) / population, operator, threshold):
            return extra
    return None


# --------------------------------------------------------------------------- evidence


def months_between(earlier: date, later: date) -> int:
    """Whole months from ``earlier`` to ``later`` (e.g. 2024-01-31 → 2024-02-29 is 0) [months]."""
    months = (later.year - earlier.year) * 12 + (later.month - earlier.month)
    return months - 1 if later.day < earlier.day else months


def add_months(day: date, months: int) -> date:
    """``day`` plus ``months`` calendar months (the day clamped to the month's length)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    following = date(year + (month + 1) // 12, (month + 1) % 12 + 1, 1)
    return date(year, month + 1, min(day.day, (following - timedelta(days=1)).day))


def evidence(check: EvidenceCheck, context: EvaluationContext) -> Outcome:
    """An evidence answer: present, referenced, dated no later than the assessment and young enough.

    A document dated D is young enough when D + the maximum age (calendar months) is not before
    the assessment date; ``value`` is its age in whole months.
    """
    aged = check.max_age_months is not None
    base = Outcome(
        check.kind,
        NOT_ENOUGH_DATA,
        "",
        unit="months" if aged else None,
        operator="<=" if aged else None,
        threshold=check.max_age_months,
    )
    answer = context.answer(check.question)
    if answer is None:
        return replace(base, reason="unanswered", missing=(Missing("answers", f"answers.{check.question}"),))
    assert isinstance(answer, EvidenceAnswer)
    by = context.answers.answered_by if context.answers else ""
    item = EvidenceItem(check.question, answer.reference, answer.date, answer.note or by)
    base = replace(base, evidence=(item,))
    if not answer.present:
        return replace(base, status=NOT_MET, reason="evidence_absent")
    if answer.date is not None and answer.date > context.assessed_on:
        return replace(base, status=NOT_MET, reason="evidence_after_assessment_date")
    if check.max_age_months is None:
        return replace(base, status=MET, reason="evidence_present")
    if answer.date is None:
        return replace(base, reason="evidence_undated", missing=(Missing("answers", f"answers.{check.question}.date"),))
    age = months_between(answer.date, context.assessed_on)
    if add_months(answer.date, int(check.max_age_months)) < context.assessed_on:
        return replace(base, status=NOT_MET, reason="evidence_too_old", value=float(age))
    return replace(base, status=MET, reason="evidence_present", value=float(age))


# --------------------------------------------------------------------------- count


def count(check: CountCheck, context: EvaluationContext) -> Outcome:
    """The number of items answered against the threshold."""
    base = Outcome(
        check.kind, NOT_ENOUGH_DATA, "", unit=check.threshold.unit, operator=check.operator, threshold=check.threshold.value
    )
    answer = context.answer(check.question)
    if answer is None:
        return replace(base, reason="unanswered", missing=(Missing("answers", f"answers.{check.question}"),))
    evidence_items: tuple[EvidenceItem, ...] = ()
    firms: tuple[str, ...] = ()
    if isinstance(answer, tuple):
        number = len(answer)
        links = [item for item in answer if isinstance(item, SymbiosisLink)]
        evidence_items = tuple(
            EvidenceItem(check.question, link.reference, None, f"{' + '.join(link.firms)}: {link.type}") for link in links
        )
        firms = (
            tuple(dict.fromkeys(firm for link in links for firm in link.firms)) if links else tuple(str(item) for item in answer)
        )
    else:
        assert isinstance(answer, int)
        number = answer
    met = compare(float(number), check.operator, check.threshold.value)
    return replace(
        base,
        status=MET if met else NOT_MET,
        reason="threshold_met" if met else "threshold_not_met",
        value=float(number),
        evidence=evidence_items,
        firms_meeting=firms,
    )


# --------------------------------------------------------------------------- combination


def combine(statuses: list[Status], mode: str, k: int | None = None) -> Status:
    """Kleene combination of part verdicts (not-applicable parts are left out).

    ``all``: met if every part is met, not met if any is not met, else not enough data.
    ``any``: met if any part is met, not met if every part is not met, else not enough data.
    ``at_least`` k: met if at least k parts are met, not met if even with every unknown part
    met fewer than k would be, else not enough data.
    """
    relevant = [status for status in statuses if status != NOT_APPLICABLE]
    if not relevant:
        return NOT_APPLICABLE
    met = relevant.count(MET)
    unknown = relevant.count(NOT_ENOUGH_DATA)
    needed = {"all": len(relevant), "any": 1}.get(mode, k or 1)
    if met >= needed:
        return MET
    if met + unknown < needed:
        return NOT_MET
    return NOT_ENOUGH_DATA


def combination(check: CombinationCheck, context: EvaluationContext) -> Outcome:
    """All / any / at least k of the nested checks."""
    parts = tuple(evaluate_check(part, context) for part in check.checks)
    status = combine([part.status for part in parts], check.mode, check.k)
    met = sum(part.status == MET for part in parts)
    threshold = {"all": float(len(parts)), "any": 1.0}.get(check.mode, float(check.k or 1))
    firms_meeting = tuple(dict.fromkeys(firm for part in parts for firm in part.firms_meeting))
    return Outcome(
        kind=check.kind,
        status=status,
        reason=f"combination_{check.mode}",
        value=float(met),
        unit="checks",
        operator=">=",
        threshold=threshold,
        parts=parts,
        firms_meeting=firms_meeting if status == MET else (),
        detail={"mode": check.mode, "k": check.k, "parts": len(parts)},
    )


# --------------------------------------------------------------------------- park_certificate


def park_certificate(check: ParkCertificateCheck, context: EvaluationContext) -> Outcome:
    """The park holds a certificate of the schemes (and levels) valid on the assessment date."""
    park_id = context.snapshot.park.id
    for certificate in context.snapshot.certifications:
        if (
            certificate.holder_kind == "park"
            and certificate.holder_id == park_id
            and certificate.scheme in check.schemes
            and (not check.levels or certificate.level in check.levels)
            and certificate.is_valid_on(context.assessed_on)
        ):
            valid_to = certificate.valid_to.isoformat() if certificate.valid_to else "…"
            detail = f"{park_id}: {certificate.scheme}, {certificate.valid_from.isoformat()} – {valid_to}"
            item = EvidenceItem("certificate", certificate.certificate_number, certificate.valid_from, detail)
            return Outcome(kind=check.kind, status=MET, reason="certificate_valid", evidence=(item,))
    return Outcome(kind=check.kind, status=NOT_MET, reason="certificate_missing", detail={"schemes": list(check.schemes)})


# --------------------------------------------------------------------------- deadline


def working_days_between(start: date, end: date, holidays: frozenset[date]) -> int:
    """Working days after ``start`` up to and including ``end`` (Monday–Friday, not a holiday) [days]."""
    days = 0
    day = start
    while day < end:
        day += timedelta(days=1)
        if day.weekday() < SATURDAY and day not in holidays:
            days += 1
    return days


def days_between(start: date, end: date, *, working: bool, holidays: frozenset[date]) -> int:
    """Days from ``start`` to ``end``: working days or calendar days [days]."""
    return working_days_between(start, end, holidays) if working else (end - start).days


def deadline(check: DeadlineCheck, context: EvaluationContext) -> Outcome:
    """Whether the step from ``start`` to ``end`` took at most the allowed days.

    With no end date yet: not met (overdue) once the allowed days have passed by the
    assessment date, otherwise not enough data (pending), naming the end date.
    """
    threshold = check.threshold
    base = Outcome(check.kind, NOT_ENOUGH_DATA, "", unit=threshold.unit, operator="<=", threshold=threshold.value)
    start = context.answer(check.start)
    if start is None:
        return replace(base, reason="unanswered", missing=(Missing("answers", f"answers.{check.start}"),))
    assert isinstance(start, date)
    end = context.answer(check.end)
    items = [EvidenceItem(check.start, None, start)]
    if end is None:
        elapsed = days_between(start, context.assessed_on, working=check.working_days, holidays=context.holidays)
        if elapsed > threshold.value:
            return replace(base, status=NOT_MET, reason="deadline_overdue", value=float(elapsed), evidence=tuple(items))
        return replace(
            base,
            reason="deadline_pending",
            value=float(elapsed),
            evidence=tuple(items),
            missing=(Missing("answers", f"answers.{check.end}"),),
        )
    assert isinstance(end, date)
    items.append(EvidenceItem(check.end, None, end))
    elapsed = days_between(start, end, working=check.working_days, holidays=context.holidays)
    met = elapsed <= threshold.value + TOLERANCE
    return replace(
        base,
        status=MET if met else NOT_MET,
        reason="deadline_kept" if met else "deadline_missed",
        value=float(elapsed),
        evidence=tuple(items),
    )


# --------------------------------------------------------------------------- applicability


def applicability(applies: AppliesWhen | None, context: EvaluationContext) -> Outcome | None:
    """None when the requirement applies; otherwise a not-applicable or not-enough-data outcome."""
    if applies is None:
        return None
    if applies.park_types:
        if context.snapshot.park.park_type in applies.park_types:
            return None
        return Outcome(
            kind="applies_when",
            status=NOT_APPLICABLE,
            reason="not_applicable",
            detail={"park_type": context.snapshot.park.park_type},
        )
    assert applies.question is not None
    answer = context.answer(applies.question)
    if answer is None:
        return Outcome(
            kind="applies_when",
            status=NOT_ENOUGH_DATA,
            reason="applicability_unknown",
            missing=(Missing("answers", f"answers.{applies.question}"),),
        )
    value = answer.value if isinstance(answer, NumberAnswer) else answer
    if value == applies.equals:
        return None
    return Outcome(kind="applies_when", status=NOT_APPLICABLE, reason="not_applicable", detail={applies.question: str(value)})


def shortfall(outcome: Outcome) -> float | None:
    """How far an unmet outcome is from its threshold, 0 (at it) to 1 (nothing done) [-].

    None when unknown (not enough data). Numeric checks give the relative distance to the
    threshold; an absent document gives 1; a combination the mean of its unmet parts.
    """
    if outcome.status == MET:
        return 0.0
    if outcome.status != NOT_MET:
        return None
    if outcome.kind == "combination":
        gaps = [gap for part in outcome.parts if part.status != MET and (gap := shortfall(part)) is not None]
        return sum(gaps) / len(gaps) if gaps else 1.0
    if outcome.value is None or outcome.threshold is None or outcome.kind == "evidence":
        return 1.0
    scale = abs(outcome.threshold) if outcome.threshold else 1.0
    gap = abs(outcome.threshold - outcome.value) / scale
    return min(1.0, gap) if math.isfinite(gap) else 1.0
