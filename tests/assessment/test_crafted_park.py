"""A crafted park assessed against the International EIP Framework, every verdict and score worked out by hand."""

from __future__ import annotations

from datetime import date

import pytest

from ecozone.assessment.answers import parse_answers
from ecozone.assessment.engine import AssessmentInputs, assess
from ecozone.assessment.roadmap import build_roadmap
from ecozone.assessment.rulebook import load_rulebook
from tests.assessment.factories import certificate, snapshot

ON = date(2024, 12, 31)
ANSWERS = """\
rulebook: eip-framework-v2
park: p1
answered_by: Test engineer
answered_on: 2025-01-15
answers:
  pme_mandate: {present: true, reference: "QĐ 1", date: 2019-01-01}
  performance_reporting: {present: true, reference: "Report 2023", date: 2023-06-30}   # 18 months old: too old
  shared_services: {present: false}
  eip_master_plan: {present: true, reference: "Master plan 2015"}
  zoning_enforcement: {present: true, reference: "Zoning rules"}
  firms_environmental_compliance: [f1, f2, f3, f4, f5]
  energy_monitoring: {present: true, reference: "BMS"}
  firms_energy_measures: [f3]
  ghg_inventory: {present: true, reference: "GHG 2023", date: 2024-03-01}
  ghg_target: {present: false}
  firms_water_measures: []
  waste_plan: {present: true, reference: "Waste plan"}
  symbiosis_links:
    - {firms: [f1, f2], type: input_output_exchange, description: "steam to dyeing", reference: "HĐ 3"}
  climate_risk_assessment: {present: false}
  pollution_monitoring: {present: true, reference: "Monitoring Q3", date: 2024-10-01}
  social_management_system: {present: true, reference: "SMS manual"}
  grievance_mechanism: {present: true, reference: "Hotline 1800"}
  firms_labour_compliance: [f1, f2, f3, f4]
  worker_health_services: {present: true, reference: "Clinic"}
  worker_housing: {present: false}
  canteens: {present: true, reference: "Canteen"}
  worker_transport: {present: true, reference: "Buses"}
  community_dialogue_events: 1
  community_programmes: {present: false}
  economic_monitoring: {present: true, reference: "Economic report", date: 2024-12-01}
kpis:
  renewable_energy_share_pct: 12.5
  wastewater_treated_share_pct: 95
  hazardous_waste_managed_share_pct: 100
  solid_waste_recovered_share_pct: 40
  local_employee_share_pct: 60
  local_procurement_share_pct: 15
"""

EXPECTED = {
    "PM-SV-1": "met",
    "PM-SV-2": "not_met",
    "PM-SV-3": "not_met",
    "PM-SV-4": "not_enough_data",
    "PM-PZ-1": "met",
    "PM-PZ-2": "met",
    "ENV-EM-1": "met",
    "ENV-EM-2": "met",
    "ENV-EM-3": "met",
    "ENV-EN-1": "met",
    "ENV-EN-2": "met",
    "ENV-EN-3": "met",
    "ENV-EN-4": "not_met",
    "ENV-WA-1": "not_enough_data",
    "ENV-WA-2": "not_met",
    "ENV-WA-3": "not_enough_data",
    "ENV-WA-4": "not_met",
    "ENV-WM-1": "met",
    "ENV-WM-2": "met",
    "ENV-WM-3": "not_met",
    "ENV-WM-4": "met",
    "ENV-NE-1": "not_met",
    "ENV-NE-2": "met",
    "ENV-NE-3": "met",
    "SOC-MS-1": "met",
    "SOC-MS-2": "met",
    "SOC-MS-3": "not_met",
    "SOC-SI-1": "met",
    "SOC-SI-2": "not_enough_data",
    "SOC-CO-1": "not_met",
    "SOC-CO-2": "not_met",
    "ECO-EC-1": "met",
    "ECO-EC-2": "not_enough_data",
    "ECO-LB-1": "not_met",
    "ECO-VC-1": "met",
}


@pytest.fixture(scope="module")
def crafted():  # type: ignore[no-untyped-def]
    rulebook = load_rulebook("eip-framework-v2")
    park = snapshot(
        5,
        [
            certificate("f1", "iso_14001", date(2023, 1, 1), date(2025, 12, 31)),
            certificate("f2", "iso_14001", date(2021, 1, 1), date(2023, 12, 31)),
            certificate("p1", "iso_14001", date(2024, 1, 1), date(2026, 12, 31), kind="park"),
        ],
        total_area_ha=500.0,
        green_area_ha=60.0,
    )
    answers = parse_answers(ANSWERS, rulebook, "crafted.yaml", today=date(2025, 2, 1))
    result = assess(rulebook, AssessmentInputs(park, ON, answers=answers))
    return result, park


def test_every_verdict(crafted) -> None:  # type: ignore[no-untyped-def]
    result, _ = crafted
    assert {r.requirement_id: r.status for r in result.results} == EXPECTED


def test_values_worked_by_hand(crafted) -> None:  # type: ignore[no-untyped-def]
    result, _ = crafted
    assert result.result("ENV-EM-3").outcome.value == pytest.approx(20.0)  # f1 of 5 (f2's certificate expired 2023-12-31)
    assert result.result("ENV-NE-2").outcome.value == pytest.approx(12.0)  # 60 ha / 500 ha
    assert result.result("SOC-MS-3").outcome.firms_not_meeting == ("f5",)
    assert result.result("PM-SV-2").outcome.reason == "evidence_too_old"
    assert result.result("ENV-WM-4").outcome.parts[1].value == pytest.approx(40.0)  # f1, f2 of 5 in a link
    assert [m.datum for m in result.result("ENV-WA-3").outcome.all_missing()] == ["kpi.wastewater_reused_share_pct"]
    assert result.result("SOC-SI-1").outcome.value == 3.0  # health, canteens, transport


def test_category_scores_by_hand(crafted) -> None:  # type: ignore[no-untyped-def]
    result, _ = crafted
    scores = {score.category: (score.met, score.not_met, score.not_enough_data, score.score_pct) for score in result.categories}
    assert scores["park_management"] == (3, 2, 1, pytest.approx(50.0))
    assert scores["environmental"] == (11, 5, 2, pytest.approx(100 * 11 / 18))
    assert scores["social"] == (3, 3, 1, pytest.approx(100 * 3 / 7))
    assert scores["economic"] == (2, 1, 1, pytest.approx(50.0))
    assert result.overall.score_pct == pytest.approx(100 * 19 / 35)
    assert (result.overall.prerequisites, result.overall.prerequisites_met) == (4, 4)


def test_roadmap_order_by_hand(crafted) -> None:  # type: ignore[no-untyped-def]
    result, park = crafted
    roadmap = build_roadmap(result, park)
    assert [step.requirement_id for step in roadmap] == [
        "ENV-WA-2",  # 95 % of 100 %: 0.05 from the threshold
        "SOC-MS-3",  # 80 % of 100 %: 0.2, labour compliance reviews cost little
        "ENV-WM-3",  # 40 % of 50 %: 0.2, waste recovery costs more
        "ECO-LB-1",  # 15 % of 20 %: 0.25
        "SOC-CO-1",  # 1 of 2 events: 0.5
        "ENV-EN-4",  # documents absent (1.0), cheapest first: GHG inventory low / 4 months
        "ENV-WA-4",  # low / 6 months
        "SOC-CO-2",  # low / 6 months
        "ENV-NE-1",  # medium / 6 months
        "PM-SV-2",
        "PM-SV-3",
        "ENV-WA-1",  # then data to collect: low / 4 months
        "PM-SV-4",
        "SOC-SI-2",
        "ECO-EC-2",  # low / 6 months
        "ENV-WA-3",  # high / 12 months
    ]
    steps = {step.requirement_id: step for step in roadmap}
    assert steps["SOC-MS-3"].firms_to_talk_to == ("f5",)
    assert steps["SOC-MS-3"].firms_needed == 1
    assert steps["ENV-WA-4"].firms_needed == 1  # 1 of 5 firms = 20 %
    assert steps["ENV-WA-1"].action == "collect_data"
    assert [m.datum for m in steps["ENV-WA-1"].missing] == ["answers.water_plan"]
