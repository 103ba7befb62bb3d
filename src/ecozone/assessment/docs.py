"""Markdown pages rendered from the rulebook files themselves (``docs/rulebooks/<id>.md``).

:func:`render_rulebook` documents one rulebook from its YAML: the framework and its source,
how it is scored, the notes on unverified values, every requirement by category with its
check, threshold, unit, status, source and SDG targets, the questionnaire, and the list of
unverified thresholds. A test regenerates the pages, so they cannot drift from the data.
"""

from __future__ import annotations

from ecozone.assessment.kpis import kpi_catalogue
from ecozone.assessment.rulebook import (
    Check,
    CountCheck,
    DeadlineCheck,
    EvidenceCheck,
    FirmCondition,
    KpiThresholdCheck,
    ParkCertificateCheck,
    Rulebook,
    ShareOfFirmsCheck,
    Threshold,
    load_rulebook,
    shipped_rulebook_ids,
)
from ecozone.assessment.sdg import sdg_targets, target_sort_key

OPERATORS = {">=": "≥", "<=": "≤", ">": ">", "<": "<", "==": "="}


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _threshold(threshold: Threshold, operator: str) -> str:
    mark = "" if threshold.status == "verified" else " †"
    return f"{OPERATORS.get(operator, operator)} {threshold.value:g} {threshold.unit}{mark}"


def describe_condition(condition: FirmCondition) -> str:
    """A firm condition in words (English)."""
    kind = condition.kind
    if kind == "certificate":
        levels = f" ({', '.join(condition.levels)})" if condition.levels else ""
        return f"valid {' or '.join(condition.schemes)} certificate{levels}"
    if kind == "attribute":
        return f"{condition.attribute} {OPERATORS.get(condition.operator or '', condition.operator)} {condition.value:g}"
    if kind == "answer":
        return f"listed in `{condition.question}`"
    if kind == "symbiosis":
        return f"in a symbiosis link of `{condition.question}`"
    if kind == "meter":
        return f"has a {' or '.join(condition.carriers)} meter"
    joiner = " or " if kind == "any_of" else " and "
    return "(" + joiner.join(describe_condition(part) for part in condition.parts) + ")"


def describe_check(check: Check) -> str:
    """A check in words (English), thresholds included."""
    if isinstance(check, KpiThresholdCheck):
        return f"KPI `{check.kpi}` {_threshold(check.threshold, check.operator)}"
    if isinstance(check, ShareOfFirmsCheck):
        population = f" among firms with {describe_condition(check.population)}" if check.population else ""
        return (
            f"share of firms{population} with {describe_condition(check.condition)} {_threshold(check.threshold, check.operator)}"
        )
    if isinstance(check, EvidenceCheck):
        age = f", at most {_threshold(check.max_age, '<=').removeprefix('≤ ')} old" if check.max_age else ""
        return f"evidence `{check.question}`{age}"
    if isinstance(check, CountCheck):
        return f"count of `{check.question}` {_threshold(check.threshold, check.operator)}"
    if isinstance(check, ParkCertificateCheck):
        return f"park holds a valid {' or '.join(check.schemes)} certificate"
    if isinstance(check, DeadlineCheck):
        return f"from `{check.start}` to `{check.end}` {_threshold(check.threshold, '<=')}"
    mode = {"all": "all of", "any": "any of"}.get(check.mode, f"at least {check.k} of")
    return f"{mode}: " + "; ".join(describe_check(part) for part in check.checks)


def render_rulebook(rulebook_id: str) -> str:
    """The Markdown page of a shipped rulebook."""
    return render_rulebook_page(load_rulebook(rulebook_id))


def render_rulebook_page(rulebook: Rulebook) -> str:
    """The Markdown page of ``rulebook``."""
    lines = [
        f"# {rulebook.title.en} / {rulebook.title.vi}",
        "",
        f"Generated from `src/ecozone/assessment/{rulebook.path}` by `make docs`; do not edit by hand.",
        "",
        f"- **Rulebook:** `{rulebook.id}`, version {rulebook.version}, scope: {rulebook.scope}",
        f"- **Framework:** {rulebook.framework.name.en} / {rulebook.framework.name.vi}",
        f"- **Edition:** {rulebook.framework.edition} — {rulebook.framework.publisher}",
        f"- **Source:** {rulebook.framework.source}",
        f"- **Scoring:** `{rulebook.scoring}`"
        + (f" — {rulebook.scoring_description.en}" if rulebook.scoring_description else ""),
    ]
    if rulebook.label is not None:
        lines.append(f"- **Label:** {rulebook.label.en} / {rulebook.label.vi}")
    if rulebook.notes is not None:
        lines += ["", "## Notes / Ghi chú", "", rulebook.notes.en, "", f"_{rulebook.notes.vi}_"]
    lines += ["", "## Requirements / Yêu cầu", "", "★ prerequisite; † threshold not verified in the primary text.", ""]
    for category in rulebook.categories:
        weight = f" (weight {category.weight:g})" if category.weight is not None else ""
        lines += [f"### {category.name.en} / {category.name.vi}{weight}", ""]
        lines.append("| id | requirement | check | status | source | SDG |")
        lines.append("|---|---|---|---|---|---|")
        for requirement in (r for r in rulebook.requirements if r.category == category.id):
            star = " ★" if requirement.prerequisite else ""
            applies = ""
            if requirement.applies_when is not None:
                condition = requirement.applies_when
                applies = (
                    f" (applies when park type is {', '.join(condition.park_types)})"
                    if condition.park_types
                    else f" (applies when `{condition.question}` = {condition.equals})"
                )
            points = f" [{requirement.points:g} pts]" if requirement.points is not None else ""
            title = f"{requirement.title.en}{points}<br>_{requirement.title.vi}_"
            lines.append(
                f"| `{requirement.id}`{star} | {_cell(title)} | {_cell(describe_check(requirement.check) + applies)} "
                f"| {requirement.status} | {_cell(requirement.source.citation())} | {', '.join(requirement.sdg_targets)} |"
            )
        lines.append("")
    lines += ["## Questionnaire / Bảng hỏi", "", "| question | type | prompt |", "|---|---|---|"]
    for question in rulebook.questions:
        unit = f" [{question.unit}]" if question.unit else ""
        lines.append(
            f"| `{question.id}` | {question.type}{unit} | {_cell(question.prompt.en)}<br>_{_cell(question.prompt.vi)}_ |"
        )
    kpis = rulebook.kpis()
    if kpis:
        catalogue = kpi_catalogue()
        lines += ["", "## KPIs", "", "| KPI | unit | from | definition |", "|---|---|---|---|"]
        for name in kpis:
            definition = catalogue[name]
            lines.append(f"| `{name}` | {definition.unit} | {', '.join(definition.provided_by)} | {_cell(definition.formula)} |")
    unverified = rulebook.unverified_thresholds()
    lines += ["", "## Unverified thresholds / Ngưỡng chưa kiểm chứng", ""]
    if unverified:
        lines += ["| requirement | threshold | source |", "|---|---|---|"]
        lines.extend(
            f"| `{requirement.id}` | {threshold.value:g} {threshold.unit} | {_cell(threshold.source)} |"
            for requirement, threshold in unverified
        )
    else:
        lines.append("None.")
    lines += ["", "## SDG targets / Mục tiêu SDG", "", "| target | text | requirements |", "|---|---|---|"]
    targets = sdg_targets()
    served: dict[str, list[str]] = {}
    for requirement in rulebook.requirements:
        for target in requirement.sdg_targets:
            served.setdefault(target, []).append(requirement.id)
    for target in sorted(served, key=target_sort_key):
        known = targets[target]
        lines.append(f"| {target} | {_cell(known.text_en)} | {', '.join(f'`{r}`' for r in served[target])} |")
    lines.append("")
    return "\n".join(lines)


def rulebook_pages() -> dict[str, str]:
    """File name → Markdown of every shipped rulebook (for ``docs/rulebooks/``)."""
    return {f"{rulebook_id}.md": render_rulebook(rulebook_id) for rulebook_id in shipped_rulebook_ids()}
