"""What a report shows, computed once from a result document for every format (HTML, PDF, DOCX)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ecozone.assessment.measures import measure_catalogue
from ecozone.assessment.reports.formatting import comparison, evidence_lines, number, reason, text, verdict
from ecozone.i18n import translate


@dataclass(frozen=True)
class ReportContext:
    """Rows and sentences of a report in one language."""

    lang: str
    title: str
    park: str
    rulebook: str
    framework: str
    assessed_on: str
    labels: list[str]
    summary: list[str]
    score_rows: list[list[str]]
    score_headers: list[str]
    gap_rows: list[list[str]]
    gap_headers: list[str]
    met_rows: list[list[str]]
    met_headers: list[str]
    roadmap_rows: list[list[str]]
    roadmap_headers: list[str]
    sdg_rows: list[list[str]]
    sdg_headers: list[str]
    source_rows: list[list[str]]
    source_headers: list[str]
    unverified_rows: list[list[str]]
    unverified_headers: list[str]
    notes: str
    headings: dict[str, str] = field(default_factory=dict)


def _t(key: str, lang: str, **params: Any) -> str:
    return translate(key, lang, **params)


def _labels(document: dict[str, Any], lang: str) -> list[str]:
    labels = []
    if document["park"]["is_synthetic"]:
        labels.append(_t("assessment.report.synthetic_park", lang))
    if document["inputs"]["answers"].get("synthetic"):
        labels.append(_t("assessment.report.synthetic_answers", lang))
    label = text(document["rulebook"].get("label"), lang)
    if label:
        labels.append(label)
    if document["unverified_thresholds"]:
        labels.append(_t("assessment.report.unverified_label", lang, count=len(document["unverified_thresholds"])))
    return labels


def _summary(document: dict[str, Any], lang: str) -> list[str]:
    overall = document["scores"]["overall"]
    park = _park_name(document, lang)
    rulebook = text(document["rulebook"]["title"], lang)
    lines = [
        _t(
            "assessment.report.summary.score",
            lang,
            park=park,
            rulebook=rulebook,
            met=overall["met"],
            applicable=overall["applicable"],
            score=number(overall["score_pct"], lang),
        )
    ]
    if overall["points"] is not None:
        lines.append(
            _t(
                "assessment.report.summary.points",
                lang,
                points=number(overall["points"], lang),
                total=number(overall["max_points"], lang),
            )
        )
    lines.append(
        _t("assessment.report.summary.prerequisites", lang, met=overall["prerequisites_met"], total=overall["prerequisites"])
    )
    if overall["not_enough_data"]:
        lines.append(
            _t(
                "assessment.report.summary.missing",
                lang,
                count=overall["not_enough_data"],
                coverage=number(overall["coverage_pct"], lang),
            )
        )
    scored = [c for c in document["scores"]["categories"] if c["score_pct"] is not None]
    if len(scored) > 1:
        best = max(scored, key=lambda c: c["score_pct"])
        worst = min(scored, key=lambda c: c["score_pct"])
        lines.append(
            _t(
                "assessment.report.summary.categories",
                lang,
                best=text(best["name"], lang),
                best_score=number(best["score_pct"], lang),
                worst=text(worst["name"], lang),
                worst_score=number(worst["score_pct"], lang),
            )
        )
    first = [step["requirement_id"] for step in document["roadmap"][:3]]
    if first:
        lines.append(_t("assessment.report.summary.first_steps", lang, steps=", ".join(first)))
    return lines


def _park_name(document: dict[str, Any], lang: str) -> str:
    park = document["park"]
    return str(park["name_en"] if lang == "en" and park.get("name_en") else park["name_vi"])


def _requirements(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {r["id"]: r for r in document["requirements"]}


def _firms(step: dict[str, Any], document: dict[str, Any], lang: str) -> str:
    names = document.get("firms", {})
    firms = ", ".join(
        f"{firm} ({names.get(firm, firm)})" if names.get(firm, firm) != firm else firm for firm in step["firms_to_talk_to"]
    )
    if step.get("firms_needed"):
        firms = _t("assessment.report.firms_needed", lang, count=step["firms_needed"]) + (f": {firms}" if firms else "")
    return firms


def build_context(document: dict[str, Any], lang: str) -> ReportContext:
    """Everything a report shows, in ``lang``."""
    requirements = _requirements(document)
    measures = measure_catalogue()
    points = document["rulebook"]["scoring"] == "points"
    score_headers = [
        _t(f"assessment.column.{name}", lang)
        for name in ("category", "met", "not_met", "not_enough_data", "not_applicable", "score", "coverage")
    ]
    if points:
        score_headers.append(_t("assessment.column.points", lang))
    score_rows = []
    for score in [*document["scores"]["categories"], {**document["scores"]["overall"], "name": {"vi": "Tổng", "en": "Overall"}}]:
        row = [
            text(score.get("name"), lang) or score["category"],
            str(score["met"]),
            str(score["not_met"]),
            str(score["not_enough_data"]),
            str(score["not_applicable"]),
            f"{number(score['score_pct'], lang)} %" if score["score_pct"] is not None else "–",
            f"{number(score['coverage_pct'], lang)} %" if score["coverage_pct"] is not None else "–",
        ]
        if points:
            row.append(f"{number(score['points'], lang)} / {number(score['max_points'], lang)}")
        score_rows.append(row)
    gap_rows = []
    met_rows = []
    for requirement in document["requirements"]:
        outcome = requirement["outcome"]
        title = text(requirement["title"], lang)
        prerequisite = " ★" if requirement["prerequisite"] else ""
        threshold = requirement.get("threshold") or {}
        status_mark = "" if threshold.get("status", "verified") == "verified" else " †"
        evidence = "; ".join(evidence_lines(outcome, lang))
        if requirement["verdict"] in ("not_met", "not_enough_data"):
            detail = "; ".join(requirement["missing"]) if requirement["verdict"] == "not_enough_data" else evidence
            gap_rows.append(
                [
                    requirement["id"] + prerequisite,
                    title,
                    verdict(requirement["verdict"], lang),
                    comparison(outcome, lang) + status_mark,
                    reason(outcome, lang) + (f" — {detail}" if detail else ""),
                ]
            )
        elif requirement["verdict"] == "met":
            met_rows.append([requirement["id"] + prerequisite, title, comparison(outcome, lang) + status_mark, evidence])
    roadmap_rows = []
    for step in document["roadmap"]:
        requirement = requirements.get(step["requirement_id"], {})
        names = [measures[m].name(lang) for m in step["measures"] if m in measures]
        effort = (
            f"{number(step['effort_months'], lang, 0)} {_t('assessment.text.months', lang)}"
            if step["effort_months"] is not None
            else "–"
        )
        cost = _t(f"assessment.cost.{step['cost_class']}", lang) if step["cost_class"] else "–"
        roadmap_rows.append(
            [
                str(step["rank"]),
                step["requirement_id"] + (" ★" if step["prerequisite"] else ""),
                text(requirement.get("title"), lang),
                _t(f"assessment.action.{step['action']}", lang),
                "; ".join(names) or "–",
                f"{cost} / {effort}",
                _firms(step, document, lang) or "–",
            ]
        )
    sdg_rows = [
        [row["target"], text(row.get("text"), lang), f"{row['met']} / {len(row['requirements'])}", ", ".join(row["requirements"])]
        for row in document["sdg"]
    ]
    source_rows = [
        [name, f"{number(m['value'], lang, 2)} {m['unit']}", m["source"], m.get("detail") or ""]
        for name, m in document["inputs"]["metrics"].items()
    ]
    answers = document["inputs"]["answers"]
    if answers:
        source_rows.append(
            [
                _t("assessment.report.questionnaire", lang),
                f"{answers.get('answered')} / {answers.get('questions')}",
                "answers",
                _t(
                    "assessment.report.answered_by",
                    lang,
                    by=answers.get("answered_by"),
                    on=answers.get("answered_on"),
                    file=answers.get("file"),
                ),
            ]
        )
    rulebook = document["rulebook"]
    source_rows.append(
        [
            _t("assessment.report.rulebook_row", lang),
            rulebook["version"],
            rulebook["id"],
            f"sha256 {rulebook['sha256'][:16]}… — {rulebook['framework']['source']}",
        ]
    )
    unverified_rows = [
        [row["requirement_id"], f"{number(row['value'], lang)} {row['unit']}", row["source"]]
        for row in document["unverified_thresholds"]
    ]
    headings = {
        name: _t(f"assessment.report.heading.{name}", lang)
        for name in ("summary", "scorecard", "gaps", "roadmap", "met", "sdg", "sources", "unverified", "notes", "legend")
    }
    return ReportContext(
        lang=lang,
        title=_t("assessment.report.title", lang, rulebook=text(rulebook["title"], lang)),
        park=f"{_park_name(document, lang)} ({document['park']['id']})",
        rulebook=f"{text(rulebook['title'], lang)} — {rulebook['id']} {rulebook['version']}",
        framework=f"{text(rulebook['framework']['name'], lang)}, {rulebook['framework']['edition']}",
        assessed_on=document["assessed_on"],
        labels=_labels(document, lang),
        summary=_summary(document, lang),
        score_rows=score_rows,
        score_headers=score_headers,
        gap_rows=gap_rows,
        gap_headers=[_t(f"assessment.column.{n}", lang) for n in ("requirement", "title", "verdict", "value", "evidence")],
        met_rows=met_rows,
        met_headers=[_t(f"assessment.column.{n}", lang) for n in ("requirement", "title", "value", "evidence")],
        roadmap_rows=roadmap_rows,
        roadmap_headers=[
            _t(f"assessment.column.{n}", lang)
            for n in ("rank", "requirement", "title", "action", "measures", "cost_effort", "firms")
        ],
        sdg_rows=sdg_rows,
        sdg_headers=[_t(f"assessment.column.{n}", lang) for n in ("sdg_target", "title", "met", "requirements")],
        source_rows=source_rows,
        source_headers=[_t(f"assessment.column.{n}", lang) for n in ("datum", "value", "source", "detail")],
        unverified_rows=unverified_rows,
        unverified_headers=[_t(f"assessment.column.{n}", lang) for n in ("requirement", "threshold", "source")],
        notes=text(rulebook.get("notes"), lang),
        headings=headings,
    )
