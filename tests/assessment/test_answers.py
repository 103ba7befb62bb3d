"""Questionnaire answers: the blank questionnaire round-trips; bad answers get precise errors with lines."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

from ecozone.assessment.answers import EvidenceAnswer, SymbiosisLink, parse_answers
from ecozone.assessment.engine import AssessmentInputs, assess
from ecozone.assessment.errors import AnswersError
from ecozone.assessment.questionnaire import questionnaire_xlsx, questionnaire_yaml, read_answers_xlsx
from ecozone.assessment.rulebook import load_rulebook, shipped_rulebook_ids
from tests.assessment.factories import snapshot

TODAY = date(2025, 3, 1)
EIP = load_rulebook("eip-framework-v2")

GOOD = """\
rulebook: eip-framework-v2
park: p1
answered_by: Nguyễn Thị Lan, EHS manager
answered_on: 2025-02-20
answers:
  pme_mandate: {present: true, reference: "QĐ 12/QĐ-BQL", date: 2019-05-01}
  park_ems: {present: false}
  firms_environmental_compliance: [f1, f2]
  community_dialogue_events: 3
  symbiosis_links:
    - {firms: [f1, f2], type: input_output_exchange, description: steam, reference: HĐ-01}
kpis:
  renewable_energy_share_pct: {value: 12.5, unit: "%", reference: "EVN bills 2024"}
  local_employee_share_pct: 0.6
"""


def errors(text: str) -> list[tuple[int | None, str]]:
    with pytest.raises(AnswersError) as caught:
        parse_answers(text, EIP, "answers.yaml", today=TODAY)
    return [(p.line, p.key) for p in caught.value.problems if p.severity == "error"]


def test_good_answers_are_read() -> None:
    answers = parse_answers(GOOD, EIP, "answers.yaml", today=TODAY)
    assert answers.answered_by.startswith("Nguyễn")
    assert answers.answered_on == date(2025, 2, 20)
    assert answers.values["pme_mandate"] == EvidenceAnswer(True, "QĐ 12/QĐ-BQL", date(2019, 5, 1))
    assert answers.values["firms_environmental_compliance"] == ("f1", "f2")
    assert answers.values["symbiosis_links"] == (SymbiosisLink(("f1", "f2"), "input_output_exchange", "steam", "HĐ-01"),)
    assert answers.kpis["renewable_energy_share_pct"].value == 12.5
    assert answers.kpis["local_employee_share_pct"].value == 0.6
    assert answers.lines["pme_mandate"] == 6


def test_answer_for_an_unknown_requirement() -> None:
    text = GOOD.replace("  park_ems:", "  PM-SV-9: {present: true, reference: X}\n  park_ems:")
    assert errors(text) == [(7, "assessment.answers.unknown_question")]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("community_dialogue_events: 3", "community_dialogue_events: three", (9, "assessment.answers.wrong_type")),
        ("community_dialogue_events: 3", "community_dialogue_events: true", (9, "assessment.answers.wrong_type")),
        ("park_ems: {present: false}", "park_ems: true", (7, "assessment.answers.evidence_mapping")),
        ("firms_environmental_compliance: [f1, f2]", "firms_environmental_compliance: f1", (8, "assessment.answers.wrong_type")),
        ("date: 2019-05-01", "date: 2026-01-01", (6, "assessment.answers.future_date")),
        ("answered_on: 2025-02-20", "answered_on: 2025-03-02", (4, "assessment.answers.future_date")),
        ('reference: "QĐ 12/QĐ-BQL", ', "", (6, "assessment.answers.evidence_without_reference")),
        ("type: input_output_exchange", "type: barter", (11, "assessment.answers.link_type")),
        ('unit: "%", reference', "unit: kWh, reference", (13, "assessment.answers.unit")),
        ("local_employee_share_pct: 0.6", "jobs_created: 10", (14, "assessment.answers.unknown_kpi")),
        ("rulebook: eip-framework-v2", "rulebook: vn-decree-35-2022", (1, "assessment.answers.wrong_rulebook")),
        ("answered_by: Nguyễn Thị Lan, EHS manager", "answered_by: ''", (3, "assessment.answers.answered_by")),
        ("park: p1", "park: p1\ncolour: red", (3, "assessment.answers.unknown_top_key")),
        ("park_ems: {present: false}", "park_ems: {present: false, sighted: yes}", (7, "assessment.answers.unknown_field")),
    ],
)
def test_bad_answers_name_the_line(old: str, new: str, expected: tuple[int, str]) -> None:
    assert old in GOOD
    assert expected in errors(GOOD.replace(old, new))


def test_several_problems_are_reported_together() -> None:
    text = GOOD.replace("community_dialogue_events: 3", "community_dialogue_events: -1").replace(
        "date: 2019-05-01", "date: 2030-01-01"
    )
    assert len(errors(text)) == 2


def test_key_given_twice() -> None:
    text = GOOD.replace("  park_ems: {present: false}", "  park_ems: {present: false}\n  park_ems: {present: true, reference: A}")
    assert (8, "assessment.yaml.duplicate_key") in errors(text)


def test_firm_not_in_the_park_is_refused_at_assessment() -> None:
    answers = parse_answers(GOOD.replace("compliance: [f1, f2]", "compliance: [f1, f9]"), EIP, "answers.yaml", today=TODAY)
    with pytest.raises(AnswersError) as caught:
        assess(EIP, AssessmentInputs(snapshot(3), date(2024, 12, 31), answers=answers))
    assert [(p.line, p.params["firm"]) for p in caught.value.problems] == [(8, "f9")]


@pytest.mark.parametrize("rulebook_id", shipped_rulebook_ids())
def test_blank_questionnaire_parses_as_unanswered(rulebook_id: str) -> None:
    rulebook = load_rulebook(rulebook_id)
    text = questionnaire_yaml(rulebook, snapshot(2))
    data = yaml.safe_load(text)
    assert set(data["answers"]) == {q.id for q in rulebook.questions}
    filled = text.replace('answered_by: ""', "answered_by: Tester").replace("answered_on: null", "answered_on: 2025-01-01")
    answers = parse_answers(filled, rulebook, today=TODAY)
    assert answers.values == {}
    assert answers.kpis == {}
    assert "Firm f1" in text


def test_xlsx_round_trip(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    path = questionnaire_xlsx(EIP, tmp_path / "q.xlsx", snapshot(3))
    workbook = load_workbook(path)
    info = workbook["info"]
    info["B4"] = "Trần Văn Bình"
    info["B5"] = date(2025, 2, 1)
    answers = workbook["answers"]
    rows = {row[0].value: row[0].row for row in answers.iter_rows(min_row=2)}
    answers.cell(rows["pme_mandate"], 7, "có")
    answers.cell(rows["pme_mandate"], 8, "QĐ 5")
    answers.cell(rows["pme_mandate"], 9, date(2020, 1, 1))
    answers.cell(rows["firms_labour_compliance"], 10, "f1, f3")
    answers.cell(rows["community_dialogue_events"], 10, 4)
    workbook["links"].append(["symbiosis_links", "f1,f2", "shared_infrastructure", "shared boiler", "HĐ 7", None])
    kpis = workbook["kpis"]
    kpi_rows = {row[0].value: row[0].row for row in kpis.iter_rows(min_row=2)}
    kpis.cell(kpi_rows["renewable_energy_share_pct"], 5, 8.0)
    workbook.save(path)
    read = read_answers_xlsx(path, EIP, today=TODAY)
    assert read.answered_by == "Trần Văn Bình"
    assert read.values["pme_mandate"] == EvidenceAnswer(True, "QĐ 5", date(2020, 1, 1))
    assert read.values["firms_labour_compliance"] == ("f1", "f3")
    assert read.values["community_dialogue_events"] == 4
    assert read.values["symbiosis_links"] == (SymbiosisLink(("f1", "f2"), "shared_infrastructure", "shared boiler", "HĐ 7"),)
    assert read.kpis["renewable_energy_share_pct"].value == 8.0


def test_xlsx_errors_name_the_row(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    path = questionnaire_xlsx(EIP, tmp_path / "q.xlsx")
    workbook = load_workbook(path)
    workbook["info"]["B4"] = "A"
    workbook["info"]["B5"] = date(2025, 2, 1)
    workbook["answers"].append(["no_such_question", None, None, None, None, None, None, None, None, "x"])
    workbook.save(path)
    with pytest.raises(AnswersError) as caught:
        read_answers_xlsx(path, EIP, today=TODAY)
    row = workbook["answers"].max_row
    assert [(p.line, p.key) for p in caught.value.problems] == [(row, "assessment.answers.unknown_question")]
