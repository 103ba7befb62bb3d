"""Each check kind on crafted inputs whose verdicts were worked out by hand."""

from __future__ import annotations

from datetime import date

import pytest

from ecozone.assessment.answers import Answers, EvidenceAnswer, SymbiosisLink
from ecozone.assessment.checks import (
    EvaluationContext,
    combine,
    evaluate_check,
    months_between,
    working_days_between,
)
from ecozone.assessment.engine import holidays_around
from ecozone.assessment.kpis import Measurement, registry_kpis
from ecozone.assessment.lint import parse_rulebook
from ecozone.assessment.rulebook import (
    CombinationCheck,
    CountCheck,
    DeadlineCheck,
    EvidenceCheck,
    FirmCondition,
    KpiThresholdCheck,
    ParkCertificateCheck,
    ShareOfFirmsCheck,
    Threshold,
)
from ecozone.store.snapshot import ParkSnapshot
from tests.assessment.factories import certificate, firm, snapshot

ON = date(2024, 12, 31)
RULEBOOK = parse_rulebook(
    """
id: t
version: "1"
title: {vi: T, en: T}
framework: {name: {vi: T, en: T}, edition: "1", publisher: P, source: S}
scope: park
scoring: {method: share_met}
categories: [{id: c, name: {vi: C, en: C}}]
questions:
  - {id: doc, type: evidence, prompt: {vi: D, en: D}}
requirements:
  - id: R1
    category: c
    prerequisite: false
    title: {vi: R, en: R}
    metric: {vi: M, en: M}
    check: {kind: evidence, question: doc}
    source: {document: S}
    status: verified
"""
)


def pct(value: float) -> Threshold:
    return Threshold(value, "%", "verified", "test")


def context(
    park: ParkSnapshot, answers: dict[str, object] | None = None, metrics: dict[str, Measurement] | None = None
) -> EvaluationContext:
    table = registry_kpis(park, ON)
    return EvaluationContext(
        snapshot=park,
        assessed_on=ON,
        rulebook=RULEBOOK,
        metrics={**table.values, **(metrics or {})},
        metric_gaps=table.gaps,
        answers=None if answers is None else Answers("t", "tester", ON, answers),
        holidays=holidays_around(ON),
    )


# ------------------------------------------------------------------ kpi_threshold


def test_green_share_worked_by_hand() -> None:
    park = snapshot(total_area_ha=500.0, green_area_ha=60.0)  # 60 / 500 = 12 %
    check = KpiThresholdCheck("green_area_share_pct", ">=", pct(10))
    outcome = evaluate_check(check, context(park))
    assert outcome.status == "met"
    assert outcome.value == pytest.approx(12.0)
    assert evaluate_check(KpiThresholdCheck("green_area_share_pct", ">=", pct(12.5)), context(park)).status == "not_met"


def test_missing_registry_field_is_named() -> None:
    park = snapshot(green_area_ha=None)
    outcome = evaluate_check(KpiThresholdCheck("green_area_share_pct", ">=", pct(10)), context(park))
    assert outcome.status == "not_enough_data"
    assert [m.datum for m in outcome.missing] == ["park.green_area_ha"]


def test_kpi_from_meters_missing_and_present() -> None:
    check = KpiThresholdCheck("renewable_energy_share_pct", ">=", pct(10))
    missing = evaluate_check(check, context(snapshot()))
    assert missing.status == "not_enough_data"
    assert [(m.source, m.datum) for m in missing.missing] == [("kpi", "kpi.renewable_energy_share_pct")]
    given = evaluate_check(check, context(snapshot(), metrics={"renewable_energy_share_pct": Measurement(9.99, "%", "meters")}))
    assert (given.status, given.value) == ("not_met", 9.99)


def test_kpi_in_an_unconvertible_unit_is_not_enough_data() -> None:
    check = KpiThresholdCheck("renewable_energy_share_pct", ">=", pct(10))
    outcome = evaluate_check(
        check, context(snapshot(), metrics={"renewable_energy_share_pct": Measurement(0.2, "kWh", "meters")})
    )
    assert (outcome.status, outcome.reason) == ("not_enough_data", "unit_mismatch")


# ------------------------------------------------------------------ share_of_firms


def test_share_of_certified_firms_counts_only_valid_certificates() -> None:
    firms = [firm(f"f{i}") for i in range(1, 5)]
    certificates = [
        certificate("f1", "iso_14001", date(2023, 1, 1), date(2025, 12, 31)),  # valid on 2024-12-31
        certificate("f2", "iso_14001", date(2021, 1, 1), date(2024, 12, 30)),  # expired the day before
        certificate("f3", "iso_14001", date(2025, 1, 1)),  # starts after the assessment date
        certificate("f4", "iso_50001", date(2023, 1, 1)),  # another scheme
    ]
    check = ShareOfFirmsCheck(FirmCondition("certificate", schemes=("iso_14001",)), ">=", pct(25))
    outcome = evaluate_check(check, context(snapshot(firms, certificates)))
    assert outcome.status == "met"
    assert outcome.value == pytest.approx(25.0)
    assert outcome.firms_meeting == ("f1",)
    assert outcome.firms_not_meeting == ("f2", "f3", "f4")
    assert outcome.detail["needed"] == 0
    higher = evaluate_check(ShareOfFirmsCheck(check.condition, ">=", pct(60)), context(snapshot(firms, certificates)))
    assert higher.status == "not_met"
    assert higher.detail["needed"] == 2  # 3 of 4 = 75 % ≥ 60 %


def test_park_with_no_firms_names_the_gap() -> None:
    check = ShareOfFirmsCheck(FirmCondition("certificate", schemes=("iso_14001",)), ">=", pct(20))
    outcome = evaluate_check(check, context(snapshot(0)))
    assert (outcome.status, outcome.reason) == ("not_enough_data", "no_firms")
    assert [m.datum for m in outcome.missing] == ["park.firms"]


def test_population_with_unknown_employees_decides_only_when_both_cases_agree() -> None:
    population = FirmCondition("attribute", attribute="employees", operator=">", value=100)
    condition = FirmCondition("answer", question="rules")
    firms = [firm("a", employees=150), firm("b", employees=150), firm("c", employees=None), firm("d", employees=50)]
    check = ShareOfFirmsCheck(condition, ">=", pct(75), population)
    # a and b are in the population and meet; whether c (unknown size, not meeting) belongs decides 100 % vs 67 %
    undecided = evaluate_check(check, context(snapshot(firms), {"rules": ("a", "b")}))
    assert undecided.status == "not_enough_data"
    assert [m.datum for m in undecided.missing] == ["firm.c.employees"]
    assert undecided.firms_unknown == ("c",)
    # if c also meets, both cases give 100 %
    decided = evaluate_check(check, context(snapshot(firms), {"rules": ("a", "b", "c")}))
    assert decided.status == "met"
    # if a alone meets: 1/2 = 50 % without c, 1/3 with c; not met either way
    failed = evaluate_check(check, context(snapshot(firms), {"rules": ("a",)}))
    assert failed.status == "not_met"


def test_empty_population_is_not_applicable() -> None:
    population = FirmCondition("certificate", schemes=("eco_enterprise",))
    check = ShareOfFirmsCheck(FirmCondition("answer", question="reported"), ">=", pct(100), population)
    assert evaluate_check(check, context(snapshot(3), {"reported": ()})).status == "not_applicable"


def test_unanswered_firm_list_is_not_enough_data_unless_a_certificate_decides() -> None:
    condition = FirmCondition(
        "any_of", parts=(FirmCondition("certificate", schemes=("iso_50001",)), FirmCondition("answer", question="ee"))
    )
    firms = [firm("a"), firm("b")]
    certificates = [certificate("a", "iso_50001", date(2024, 1, 1))]
    check = ShareOfFirmsCheck(condition, ">=", pct(50))
    # a meets by its certificate: 50 % at worst → met without the answer
    assert evaluate_check(check, context(snapshot(firms, certificates))).status == "met"
    strict = ShareOfFirmsCheck(condition, ">=", pct(100))
    outcome = evaluate_check(strict, context(snapshot(firms, certificates)))
    assert outcome.status == "not_enough_data"
    assert [m.datum for m in outcome.missing] == ["answers.ee"]


def test_symbiosis_participation() -> None:
    links = (SymbiosisLink(("a", "b"), "input_output_exchange", "steam", "C-1"),)
    check = ShareOfFirmsCheck(FirmCondition("symbiosis", question="links"), ">=", pct(50))
    outcome = evaluate_check(check, context(snapshot([firm("a"), firm("b"), firm("c"), firm("d")]), {"links": links}))
    assert (outcome.status, outcome.value, outcome.firms_meeting) == ("met", 50.0, ("a", "b"))


# ------------------------------------------------------------------ evidence


@pytest.mark.parametrize(
    ("answer", "status", "reason"),
    [
        (None, "not_enough_data", "unanswered"),
        (EvidenceAnswer(False), "not_met", "evidence_absent"),
        (EvidenceAnswer(True, "QD-1", date(2024, 1, 31)), "met", "evidence_present"),  # 11 months
        (EvidenceAnswer(True, "QD-1", date(2023, 12, 31)), "met", "evidence_present"),  # 12 months exactly
        (EvidenceAnswer(True, "QD-1", date(2023, 12, 30)), "not_met", "evidence_too_old"),  # 12 months and a day
        (EvidenceAnswer(True, "QD-1", None), "not_enough_data", "evidence_undated"),
        (EvidenceAnswer(True, "QD-1", date(2025, 1, 2)), "not_met", "evidence_after_assessment_date"),
    ],
)
def test_evidence_with_a_maximum_age(answer: EvidenceAnswer | None, status: str, reason: str) -> None:
    check = EvidenceCheck("doc", Threshold(12, "months", "verified", "test"))
    outcome = evaluate_check(check, context(snapshot(), {} if answer is None else {"doc": answer}))
    assert (outcome.status, outcome.reason) == (status, reason)


def test_months_between() -> None:
    assert months_between(date(2024, 1, 31), date(2024, 2, 29)) == 0
    assert months_between(date(2023, 12, 31), date(2024, 12, 31)) == 12
    assert months_between(date(2017, 1, 1), date(2024, 12, 31)) == 95


# ------------------------------------------------------------------ count, park certificate


def test_count_of_links_and_integer() -> None:
    links = (SymbiosisLink(("a", "b"), "other"), SymbiosisLink(("c",), "shared_infrastructure"))
    check = CountCheck("links", ">=", Threshold(2, "links", "verified", "t"))
    outcome = evaluate_check(check, context(snapshot(), {"links": links}))
    assert (outcome.status, outcome.value, outcome.firms_meeting) == ("met", 2.0, ("a", "b", "c"))
    assert (
        evaluate_check(CountCheck("n", ">=", Threshold(2, "events/yr", "verified", "t")), context(snapshot(), {"n": 1})).status
        == "not_met"
    )


def test_park_certificate() -> None:
    check = ParkCertificateCheck(("iso_14001",))
    park = snapshot(certificates=[certificate("p1", "iso_14001", date(2023, 4, 25), date(2026, 4, 24), kind="park")])
    assert evaluate_check(check, context(park)).status == "met"
    expired = snapshot(certificates=[certificate("p1", "iso_14001", date(2020, 1, 1), date(2023, 1, 1), kind="park")])
    assert evaluate_check(check, context(expired)).status == "not_met"


# ------------------------------------------------------------------ combination: Kleene logic


@pytest.mark.parametrize(
    ("statuses", "mode", "k", "expected"),
    [
        (["met", "met"], "all", None, "met"),
        (["met", "not_met"], "all", None, "not_met"),
        (["met", "not_enough_data"], "all", None, "not_enough_data"),
        (["not_met", "not_enough_data"], "all", None, "not_met"),
        (["not_met", "met"], "any", None, "met"),
        (["not_met", "not_enough_data"], "any", None, "not_enough_data"),
        (["not_met", "not_met"], "any", None, "not_met"),
        (["met", "met", "not_met", "not_enough_data"], "at_least", 3, "not_enough_data"),
        (["met", "met", "not_met", "not_met"], "at_least", 3, "not_met"),
        (["met", "met", "met", "not_enough_data"], "at_least", 3, "met"),
        (["met", "not_applicable"], "all", None, "met"),
        (["not_applicable", "not_applicable"], "all", None, "not_applicable"),
    ],
)
def test_combination_truth_table(statuses: list[str], mode: str, k: int | None, expected: str) -> None:
    assert combine(statuses, mode, k) == expected  # type: ignore[arg-type]


def test_combination_evaluates_its_parts() -> None:
    check = CombinationCheck("any", (ParkCertificateCheck(("iso_14001",)), EvidenceCheck("doc")), None)
    outcome = evaluate_check(check, context(snapshot(), {"doc": EvidenceAnswer(True, "EMS manual v3")}))
    assert outcome.status == "met"
    assert [part.status for part in outcome.parts] == ["not_met", "met"]


# ------------------------------------------------------------------ deadline


def test_working_days_skip_weekends_and_tet() -> None:
    holidays = holidays_around(date(2024, 12, 31))
    assert working_days_between(date(2024, 3, 1), date(2024, 3, 6), holidays) == 3  # Fri → Wed: Mon, Tue, Wed
    # Tết 2024: days off 8–14 February; received Wed 7 Feb → forwarded Thu 15 Feb is 1 working day
    assert working_days_between(date(2024, 2, 7), date(2024, 2, 15), holidays) == 1


@pytest.mark.parametrize(
    ("answers", "status", "reason"),
    [
        ({"start": date(2024, 3, 1), "end": date(2024, 3, 6)}, "met", "deadline_kept"),
        ({"start": date(2024, 3, 1), "end": date(2024, 3, 7)}, "not_met", "deadline_missed"),
        ({"start": date(2024, 12, 30)}, "not_enough_data", "deadline_pending"),
        ({"start": date(2024, 12, 20)}, "not_met", "deadline_overdue"),
        ({}, "not_enough_data", "unanswered"),
    ],
)
def test_deadline_in_working_days(answers: dict[str, object], status: str, reason: str) -> None:
    check = DeadlineCheck("start", "end", Threshold(3, "working days", "verified", "Art. 41"))
    outcome = evaluate_check(check, context(snapshot(), answers))
    assert (outcome.status, outcome.reason) == (status, reason)


def test_add_months_clamps_the_day() -> None:
    from ecozone.assessment.checks import add_months

    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2023, 12, 30), 12) == date(2024, 12, 30)
    assert add_months(date(2017, 1, 1), 84) == date(2024, 1, 1)


def test_applicability_by_park_type_and_answer() -> None:
    from ecozone.assessment.checks import applicability
    from ecozone.assessment.rulebook import AppliesWhen

    eco = AppliesWhen(park_types=("eco_industrial",))
    assert applicability(eco, context(snapshot(park_type="eco_industrial"))) is None
    outcome = applicability(eco, context(snapshot()))
    assert outcome is not None and outcome.status == "not_applicable"
    asked = AppliesWhen(question="is_new_eip", equals=True)
    unknown = applicability(asked, context(snapshot(), {}))
    assert unknown is not None and [m.datum for m in unknown.missing] == ["answers.is_new_eip"]
    assert applicability(asked, context(snapshot(), {"is_new_eip": True})) is None


def test_meter_condition() -> None:
    from ecozone.store.snapshot import MeterRecord

    meters = [MeterRecord("m1", "p1", "firm", "electricity", "kWh", "interval", firm_id="a")]
    check = ShareOfFirmsCheck(FirmCondition("meter", carriers=("electricity",)), ">=", pct(50))
    outcome = evaluate_check(check, context(snapshot([firm("a"), firm("b")], meters=meters)))
    assert (outcome.status, outcome.firms_meeting) == ("met", ("a",))


def test_measured_kpi_wins_over_the_entered_one_with_a_finding() -> None:
    from ecozone.assessment.engine import AssessmentInputs, assess
    from ecozone.assessment.rulebook import load_rulebook

    rulebook = load_rulebook("eip-framework-v2")
    answers = Answers(rulebook.id, "tester", ON, {}, {"renewable_energy_share_pct": Measurement(25.0, "%", "answers")})
    measured = {"renewable_energy_share_pct": Measurement(4.0, "%", "meters", "solar_pv / electricity")}
    result = assess(rulebook, AssessmentInputs(snapshot(2), ON, measured, answers))
    assert result.result("ENV-EN-3").outcome.value == 4.0
    assert result.result("ENV-EN-3").status == "not_met"
    assert "assessment.finding.answer_overridden" in {f.code for f in result.findings}
