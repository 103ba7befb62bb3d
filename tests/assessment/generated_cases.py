"""Generate, from a rulebook's own data, inputs that meet a requirement and inputs that fail it.

A :class:`Scenario` starts as a park with ten firms (200 employees each), no certificates, no
KPIs and no answers; :func:`shape` edits it so that a check comes out met (``want=True``) or
not met (``want=False``), choosing values just at and just past each threshold. Nothing here
reads the verdict logic of the engine: values are derived from the operator and threshold only.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

from ecozone.assessment.answers import Answers, EvidenceAnswer, SymbiosisLink
from ecozone.assessment.engine import AssessmentInputs
from ecozone.assessment.kpis import Measurement, kpi_catalogue
from ecozone.assessment.rulebook import (
    Check,
    CombinationCheck,
    CountCheck,
    DeadlineCheck,
    EvidenceCheck,
    FirmCondition,
    KpiThresholdCheck,
    ParkCertificateCheck,
    Requirement,
    Rulebook,
    ShareOfFirmsCheck,
)
from ecozone.registry.schema import vocabulary
from ecozone.store.snapshot import CertificationRecord, FirmRecord, ParkRecord, ParkSnapshot
from tests.assessment.factories import firm, park

ASSESSED_ON = date(2024, 12, 31)
FIRMS = 10
DEADLINE_START = date(2024, 3, 4)  # a Monday with no public holiday in the following weeks


@dataclass
class Scenario:
    """Mutable inputs under construction."""

    rulebook: Rulebook
    park: ParkRecord = field(default_factory=lambda: park(year_established=2010))
    firms: list[FirmRecord] = field(default_factory=lambda: [firm(f"f{i + 1:02d}") for i in range(FIRMS)])
    certificates: list[CertificationRecord] = field(default_factory=list)
    metrics: dict[str, Measurement] = field(default_factory=dict)
    answers: dict[str, Any] = field(default_factory=dict)

    def inputs(self) -> AssessmentInputs:
        answers = Answers(self.rulebook.id, "test generator", ASSESSED_ON, dict(self.answers))
        snapshot = ParkSnapshot(self.park, tuple(self.firms), (), tuple(self.certificates))
        return AssessmentInputs(snapshot, ASSESSED_ON, dict(self.metrics), answers)


def passing_value(operator: str, threshold: float, want: bool, step: float = 1.0) -> float:
    """A value on the right (``want``) or wrong side of ``operator threshold``."""
    if operator == ">=":
        return threshold if want else threshold - step
    if operator == ">":
        return threshold + step if want else threshold
    if operator == "<=":
        return threshold if want else threshold + step
    if operator == "<":
        return threshold - step if want else threshold
    return threshold if want else threshold + step


def share_count(operator: str, threshold_pct: float, population: int, want: bool) -> int:
    """How many of ``population`` firms should meet the condition."""
    candidates = range(population + 1)

    def holds(met: int) -> bool:
        share = 100.0 * met / population
        return {
            ">=": share >= threshold_pct - 1e-9,
            ">": share > threshold_pct + 1e-9,
            "<=": share <= threshold_pct + 1e-9,
            "<": share < threshold_pct - 1e-9,
        }.get(operator, math.isclose(share, threshold_pct))

    chosen = [m for m in candidates if holds(m) == want]
    assert chosen, (operator, threshold_pct, want)
    # the count closest to the threshold on the wanted side
    return min(chosen, key=lambda m: abs(100.0 * m / population - threshold_pct))


REGISTRY_KPIS = ("green_area_share_pct", "occupancy_pct", "park_age_years", "firm_count")


def _set_kpi(scenario: Scenario, name: str, value: float) -> None:
    if name == "green_area_share_pct":
        scenario.park = replace(scenario.park, total_area_ha=1000.0, green_area_ha=10.0 * value)
    elif name == "occupancy_pct":
        scenario.park = replace(scenario.park, industrial_land_ha=1000.0, leased_land_ha=10.0 * value)
    elif name == "park_age_years":
        scenario.park = replace(scenario.park, year_established=ASSESSED_ON.year - int(value))
    elif name == "firm_count":
        scenario.firms = [firm(f"f{i + 1:02d}") for i in range(int(value))]
    else:
        scenario.metrics[name] = Measurement(value, kpi_catalogue()[name].unit, "test", "generated")


def _neutralise(condition: FirmCondition, scenario: Scenario) -> None:
    """Answer every questionnaire condition in the tree with 'no firm' (so it is known, and false)."""
    if (condition.kind == "answer" and condition.question not in scenario.answers) or (
        condition.kind == "symbiosis" and condition.question not in scenario.answers
    ):
        scenario.answers[condition.question] = ()
    for part in condition.parts:
        _neutralise(part, scenario)


def _make_true(condition: FirmCondition, firms: list[FirmRecord], scenario: Scenario) -> None:
    """Make ``condition`` true for ``firms`` (and leave it false for the others)."""
    ids = tuple(f.id for f in firms)
    kind = condition.kind
    if kind == "certificate":
        scheme = condition.schemes[0]
        level = (
            condition.levels[0] if condition.levels else (vocabulary("certification_scheme")[scheme].get("levels") or [None])[0]
        )
        for f in firms:
            scenario.certificates.append(
                CertificationRecord("firm", f.id, scheme, date(2023, 1, 1), date(2026, 12, 31), level=level)
            )
    elif kind == "attribute":
        assert condition.attribute and condition.operator and condition.value is not None
        value = passing_value(condition.operator, condition.value, True)
        others = passing_value(condition.operator, condition.value, False)
        cast = int if condition.attribute == "employees" else float
        scenario.firms = [replace(f, **{condition.attribute: cast(value if f.id in ids else others)}) for f in scenario.firms]
    elif kind == "answer":
        scenario.answers[condition.question] = tuple(sorted(set(scenario.answers.get(condition.question, ())) | set(ids)))
    elif kind == "symbiosis":
        links = list(scenario.answers.get(condition.question, ()))
        links.extend(SymbiosisLink(ids[i : i + 2], "input_output_exchange", "generated", "REF") for i in range(0, len(ids), 2))
        scenario.answers[condition.question] = tuple(links)
    elif kind == "all_of":
        for part in condition.parts:
            _make_true(part, firms, scenario)
    elif kind == "any_of":
        _make_true(condition.parts[0], firms, scenario)
    else:  # meter conditions are not used by the shipped rulebooks
        raise NotImplementedError(kind)


def _deadline_end(start: date, days: int, working: bool) -> date:
    if not working:
        return start + timedelta(days=days)
    end, counted = start, 0
    while counted < days:
        end += timedelta(days=1)
        if end.weekday() < 5:
            counted += 1
    return end


def shape(check: Check, scenario: Scenario, want: bool) -> None:
    """Edit ``scenario`` so that ``check`` is met (``want``) or not met."""
    if isinstance(check, KpiThresholdCheck):
        _set_kpi(scenario, check.kpi, passing_value(check.operator, check.threshold.value, want))
    elif isinstance(check, ShareOfFirmsCheck):
        if check.population is not None:
            _make_true(check.population, scenario.firms, scenario)
        _neutralise(check.condition, scenario)
        met = share_count(check.operator, check.threshold.value, len(scenario.firms), want)
        _make_true(check.condition, scenario.firms[:met], scenario)
    elif isinstance(check, EvidenceCheck):
        day = ASSESSED_ON - timedelta(days=30)
        scenario.answers[check.question] = EvidenceAnswer(want, "DOC-1" if want else None, day)
    elif isinstance(check, CountCheck):
        number = int(passing_value(check.operator, check.threshold.value, want))
        question = scenario.rulebook.question(check.question)
        if question.type == "integer":
            scenario.answers[check.question] = number
        elif question.type == "firm_list":
            scenario.answers[check.question] = tuple(f.id for f in scenario.firms[:number])
        else:
            ids = [f.id for f in scenario.firms]
            scenario.answers[check.question] = tuple(
                SymbiosisLink((ids[i % len(ids)],), "other", "generated", "REF") for i in range(number)
            )
    elif isinstance(check, ParkCertificateCheck):
        if want:
            scenario.certificates.append(CertificationRecord("park", scenario.park.id, check.schemes[0], date(2023, 1, 1), None))
    elif isinstance(check, DeadlineCheck):
        limit = int(check.threshold.value)
        scenario.answers[check.start] = DEADLINE_START
        scenario.answers[check.end] = _deadline_end(DEADLINE_START, limit if want else limit + 1, check.working_days)
    elif isinstance(check, CombinationCheck):
        count = len(check.checks)
        needed = {"all": count, "any": 1}.get(check.mode, check.k or 1)
        failing = count - (needed if want else needed - 1)
        # the first ``failing`` parts fail; passing parts are shaped first so that a failing part sharing an
        # answer with a passing one (e.g. symbiosis links counted and shared) overwrites it
        for part in check.checks[failing:]:
            shape(part, scenario, True)
        for part in check.checks[:failing]:
            shape(part, scenario, False)
    else:
        raise NotImplementedError(type(check))


def applicable(requirement: Requirement, scenario: Scenario) -> None:
    """Make ``requirement`` apply to the scenario's park."""
    applies = requirement.applies_when
    if applies is None:
        return
    if applies.park_types:
        scenario.park = replace(scenario.park, park_type=applies.park_types[0])
    else:
        assert applies.question is not None
        scenario.answers[applies.question] = applies.equals


def case(rulebook: Rulebook, requirement: Requirement, want: bool) -> AssessmentInputs:
    """Inputs under which ``requirement`` is met (``want``) or not met."""
    scenario = Scenario(rulebook)
    applicable(requirement, scenario)
    shape(requirement.check, scenario, want)
    return scenario.inputs()
