"""Rulebook linting: precise errors with lines for bad rulebooks; every shipped rulebook is clean."""

from __future__ import annotations

import pytest

from ecozone.assessment.errors import RulebookError
from ecozone.assessment.lint import lint_rulebook, parse_rulebook
from ecozone.assessment.rulebook import load_rulebook, rulebook_text, shipped_rulebook_ids

HEADER = """\
id: custom
version: "1"
title: {vi: Bộ thử, en: Test book}
framework: {name: {vi: T, en: T}, edition: "1", publisher: P, source: S}
scope: park
scoring: {method: share_met}
notes: {vi: Ghi chú, en: Notes}
categories: [{id: env, name: {vi: Môi trường, en: Environment}}]
questions:
  - {id: plan, type: evidence, prompt: {vi: Kế hoạch, en: Plan}}
  - {id: firms_ok, type: firm_list, prompt: {vi: Doanh nghiệp, en: Firms}}
requirements:
"""


def requirement(check: str, rid: str = "R1") -> str:
    return f"""\
  - id: {rid}
    category: env
    prerequisite: false
    title: {{vi: Yêu cầu, en: Requirement}}
    metric: {{vi: Chỉ số, en: Metric}}
    source: {{document: Test}}
    status: unverified
    check:
{check}
"""


def problems(text: str) -> list[tuple[int | None, str, str]]:
    return [(p.line, p.key, p.severity) for p in lint_rulebook(text, "custom.yaml")]


def test_good_rulebook_has_no_error() -> None:
    text = (
        HEADER
        + requirement("      {kind: evidence, question: plan}")
        + requirement(
            "      kind: share_of_firms\n      condition: {answer: firms_ok}\n      operator: '>='\n"
            "      threshold: {value: 20, unit: '%', status: unverified, source: placeholder}",
            "R2",
        )
    )
    assert [p for p in problems(text) if p[2] == "error"] == []
    rulebook = parse_rulebook(text)
    assert [r.id for r in rulebook.requirements] == ["R1", "R2"]


def test_unknown_check_kind_names_the_line_and_the_known_kinds() -> None:
    text = HEADER + requirement("      kind: magic_score\n      question: plan")
    found = lint_rulebook(text, "custom.yaml")
    errors = [p for p in found if p.severity == "error"]
    assert [(p.line, p.key) for p in errors] == [(21, "assessment.lint.unknown_check_kind")]
    assert "kpi_threshold" in errors[0].message("en")
    assert "magic_score" in errors[0].render("vi")


def test_threshold_without_unit() -> None:
    check = (
        "      kind: kpi_threshold\n      kpi: green_area_share_pct\n      operator: '>='\n"
        "      threshold: {value: 10, status: verified, source: S}"
    )
    assert (24, "assessment.lint.threshold_without_unit", "error") in problems(HEADER + requirement(check))


def test_unknown_kpi_suggests_the_closest() -> None:
    check = (
        "      kind: kpi_threshold\n      kpi: green_area_share\n      operator: '>='\n"
        "      threshold: {value: 10, unit: '%', status: verified, source: S}"
    )
    found = [p for p in lint_rulebook(HEADER + requirement(check)) if p.key == "assessment.lint.unknown_kpi"]
    assert len(found) == 1
    assert found[0].line == 22
    assert "green_area_share_pct" in found[0].message("en")


def test_threshold_unit_must_suit_the_kpi() -> None:
    check = (
        "      kind: kpi_threshold\n      kpi: green_area_share_pct\n      operator: '>='\n"
        "      threshold: {value: 10, unit: ha, status: verified, source: S}"
    )
    assert ("assessment.lint.unit_mismatch", "error") in [(k, s) for _, k, s in problems(HEADER + requirement(check))]


@pytest.mark.parametrize(
    ("check", "key"),
    [
        ("      {kind: evidence, question: nope}", "assessment.lint.unknown_question"),
        ("      {kind: evidence, question: firms_ok}", "assessment.lint.question_type"),
        ("      {kind: park_certificate, schemes: [iso_9999]}", "assessment.lint.unknown_scheme"),
        ("      {kind: park_certificate, schemes: [leed], levels: [diamond]}", "assessment.lint.unknown_level"),
        (
            "      kind: share_of_firms\n      condition: {answer: firms_ok}\n      operator: '>='\n"
            "      threshold: {value: 2, unit: firms, status: verified, source: S}",
            "assessment.lint.share_unit",
        ),
        (
            "      kind: share_of_firms\n      condition: {attribute: {name: turnover, operator: '>', value: 1}}\n"
            "      operator: '>='\n"
            "      threshold: {value: 2, unit: '%', status: verified, source: S}",
            "assessment.lint.unknown_attribute",
        ),
        (
            "      kind: combination\n      mode: at_least\n      k: 3\n      checks:\n"
            "        - {kind: evidence, question: plan}\n        - {kind: park_certificate, schemes: [iso_14001]}",
            "assessment.lint.k_too_large",
        ),
        ("      {kind: evidence, question: plan, colour: red}", "assessment.lint.unknown_field"),
    ],
)
def test_semantic_errors(check: str, key: str) -> None:
    assert key in [k for _, k, s in problems(HEADER + requirement(check)) if s == "error"]


def test_duplicate_ids_and_unknown_category() -> None:
    text = HEADER + requirement("      {kind: evidence, question: plan}") + requirement("      {kind: evidence, question: plan}")
    assert ("assessment.lint.duplicate_id", "error") in [(k, s) for _, k, s in problems(text)]
    other = (HEADER + requirement("      {kind: evidence, question: plan}")).replace("category: env", "category: water")
    assert "assessment.lint.unknown_category" in [k for _, k, _ in problems(other)]


def test_yaml_syntax_error_has_a_line() -> None:
    text = HEADER + "  - id: R1\n    title: {vi: a, en: b\n"
    found = lint_rulebook(text, "custom.yaml")
    assert found[0].key == "assessment.yaml.syntax"
    assert found[0].line is not None


def test_duplicate_key_is_an_error() -> None:
    text = HEADER.replace('version: "1"\n', 'version: "1"\nversion: "2"\n') + requirement(
        "      {kind: evidence, question: plan}"
    )
    assert (3, "assessment.yaml.duplicate_key", "error") in problems(text)


def test_parse_raises_with_every_problem() -> None:
    text = (
        HEADER
        + requirement("      {kind: evidence, question: nope}")
        + requirement("      {kind: evidence, question: nothing}", "R2")
    )
    with pytest.raises(RulebookError) as caught:
        parse_rulebook(text, "custom.yaml")
    message = caught.value.message("en")
    assert "2 error(s)" in message
    assert "custom.yaml:21" in message
    assert "custom.yaml:30" in message


def test_unused_question_and_missing_notes_are_warnings() -> None:
    text = HEADER.replace("notes: {vi: Ghi chú, en: Notes}\n", "") + requirement(
        "      kind: kpi_threshold\n      kpi: occupancy_pct\n      operator: '>='\n"
        "      threshold: {value: 60, unit: '%', status: unverified, source: S}"
    )
    found = {(k, s) for _, k, s in problems(text)}
    assert ("assessment.lint.unused_question", "warning") in found
    assert ("assessment.lint.unverified_without_notes", "warning") in found
    assert all(s == "warning" for _, s in found)


@pytest.mark.parametrize("rulebook_id", shipped_rulebook_ids())
def test_shipped_rulebooks_are_clean(rulebook_id: str) -> None:
    text, label = rulebook_text(rulebook_id)
    assert lint_rulebook(text, label) == []
    rulebook = load_rulebook(rulebook_id)
    assert rulebook.id == rulebook_id
    for requirement_ in rulebook.requirements:
        assert requirement_.source.document
        assert requirement_.status in ("verified", "unverified")


@pytest.mark.parametrize("rulebook_id", shipped_rulebook_ids())
def test_unverified_thresholds_are_explained_in_the_notes(rulebook_id: str) -> None:
    rulebook = load_rulebook(rulebook_id)
    if rulebook.unverified_thresholds():
        assert rulebook.notes is not None
