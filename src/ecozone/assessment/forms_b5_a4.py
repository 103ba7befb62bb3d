"""Forms B5 and A.4 of Decree 35/2022/ND-CP Art. 43: the yearly EIP reports, filled from the data, as DOCX.

**Form B5** — "Các chỉ số đánh giá hiệu quả môi trường, xã hội của doanh nghiệp sinh thái" (Art. 43
cl. 4), filled here: five indicators in two sections (I. Môi trường: ENV.2; II. Xã hội: SOC.1,
SOC.2, SOC.4, SOC.6). The national investment portal's specification [V-spec] has the
infrastructure investor file one B5 for the whole park, each value being a share of the park's
enterprises [%]; the rows are the ``vn-decree-35-2022`` requirements carrying ``form: {name: B5}``
and their shares are the engine's ``share_of_firms`` results. With a firm, the form also gives
that enterprise's own status (yes / no / not applicable / not enough data) beside the park's
share, and the firm's measured KPIs (the assessment's metric providers run on the firm's meters,
:func:`~ecozone.assessment.forms.firm_scope`) as an annex. The candidate thresholds (20 %, 75 %)
are the specification's value ranges, marked unverified (``†``) with their source.

**Form A.4** — the yearly monitoring report (Art. 43 cl. 1) — is filled by
:mod:`ecozone.assessment.form_a4` from the field catalogue and data file of
:mod:`ecozone.assessment.form_a4_data`; its public names are re-exported here, so this module is
the one entry point for both forms.

Every value carries its sources; a missing one is "not enough data" naming the datum, never 0.
The layout of both forms is known only from the portal specification (the circular's appendix
has not been read): every form and the CLI say so in both languages.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from ecozone.assessment.checks import EvaluationContext, firm_condition_value
from ecozone.assessment.engine import AssessmentInputs, assess, build_context
from ecozone.assessment.form_a4 import (
    A4Line,
    FormA4,
    MeasuredSavings,
    PotentialExchange,
    SymbiosisPotential,
    form_a4,
    write_form_a4,
)
from ecozone.assessment.form_a4_data import A4Data, FormDataError, a4_catalogue, a4_template, parse_a4_data
from ecozone.assessment.forms import (
    RULEBOOK_ID,
    UNVERIFIED_MARK,
    AnswersInfo,
    FormError,
    FormValue,
    MeasuredRow,
    Message,
    ValueSource,
    answers_info,
    answers_line,
    bold_section_rows,
    check_form_rulebook,
    firm_scope,
    form_header,
    layout_note,
    measured_rows,
    new_document,
    small_print,
    source_text,
    synthetic_banner,
    value_text,
)
from ecozone.assessment.kpis import Measurement
from ecozone.assessment.reports.formatting import number
from ecozone.assessment.rulebook import FirmCondition, Requirement, Rulebook, ShareOfFirmsCheck
from ecozone.assessment.verdicts import NOT_APPLICABLE, Outcome
from ecozone.i18n import translate
from ecozone.store.snapshot import FirmRecord, ParkRecord, ParkSnapshot

__all__ = [
    "A4Data",
    "A4Line",
    "B5Row",
    "FormA4",
    "FormB5",
    "FormDataError",
    "FormError",
    "MeasuredSavings",
    "PotentialExchange",
    "SymbiosisPotential",
    "a4_catalogue",
    "a4_template",
    "firm_scope",
    "form_a4",
    "form_b5",
    "parse_a4_data",
    "write_form_a4",
    "write_form_b5",
]

B5_SECTIONS = {"Môi trường": "I", "Xã hội": "II"}


@dataclass(frozen=True)
class B5Threshold:
    """The candidate threshold of a B5 indicator (a share of enterprises) with its status."""

    operator: str
    value: float
    unit: str
    status: str
    source: str

    def text(self, lang: str) -> str:
        """``≥ 20 % †`` (the mark when unverified)."""
        operator = {">=": "≥", "<=": "≤"}.get(self.operator, self.operator)
        mark = f" {UNVERIFIED_MARK}" if self.status != "verified" else ""
        return f"{operator} {number(self.value, lang, 0)} {self.unit}{mark}"


@dataclass(frozen=True)
class B5Row:
    """One indicator of form B5.

    Attributes
    ----------
    park : FormValue
        Share of the park's enterprises (in the population) meeting the indicator [%].
    firm : FormValue or None
        The firm's own status (True / False / not applicable / missing) when the form is for a firm.
    """

    requirement_id: str
    code: str
    section: str
    label_vi: str
    label_en: str
    threshold: B5Threshold | None
    park: FormValue
    firm: FormValue | None = None

    def label(self, lang: str) -> str:
        """The indicator's name in ``lang``."""
        return self.label_vi if lang == "vi" else self.label_en


@dataclass(frozen=True)
class FormB5:
    """Form B5 of a park (and optionally of one of its firms) for a year."""

    park: ParkRecord
    year: int
    assessed_on: date
    rows: tuple[B5Row, ...]
    measured: tuple[MeasuredRow, ...]
    answers: AnswersInfo | None
    firm: FirmRecord | None = None
    firm_certificates: tuple[str, ...] = ()

    @property
    def synthetic(self) -> bool:
        """Whether the park, the firm or the answers are synthetic."""
        return bool(self.park.is_synthetic or (self.firm and self.firm.is_synthetic) or (self.answers and self.answers.synthetic))

    @property
    def missing_count(self) -> int:
        """Cells without enough data."""
        cells = [row.park for row in self.rows] + [row.firm for row in self.rows if row.firm is not None]
        return sum(cell.status == "missing" for cell in cells)


def _questions(condition: FirmCondition | None) -> list[str]:
    if condition is None:
        return []
    found = [condition.question] if condition.question else []
    for part in condition.parts:
        found.extend(_questions(part))
    return found


def _condition_text(condition: FirmCondition | None) -> str:
    """``employees > 100`` for an attribute condition (else the condition's kind)."""
    if condition is None:
        return ""
    if condition.kind == "attribute" and condition.value is not None:
        return f"{condition.attribute} {condition.operator} {condition.value:g}"
    return condition.kind


def _share_check(requirement: Requirement) -> ShareOfFirmsCheck:
    if not isinstance(requirement.check, ShareOfFirmsCheck):
        raise FormError("forms.b5.not_a_share", requirement=requirement.id)
    return requirement.check


def _b5_threshold(check: ShareOfFirmsCheck) -> B5Threshold:
    threshold = check.threshold
    return B5Threshold(check.operator, threshold.value, threshold.unit, threshold.status, threshold.source)


def _park_share(check: ShareOfFirmsCheck, outcome: Outcome, context: EvaluationContext, info: AnswersInfo | None) -> FormValue:
    """The park's share [%] from the engine's outcome, with the firms and answers behind it."""
    sources = [ValueSource("answers", info.detail(question)) for question in _questions(check.condition) if info is not None]
    population = outcome.detail.get("population", 0)
    if check.population is not None:
        sources.insert(
            0,
            ValueSource(
                "registry",
                Message("forms.detail.population", {"count": population, "condition": _condition_text(check.population)}),
            ),
        )
    if outcome.status == NOT_APPLICABLE:
        reason = Message("forms.b5.empty_population", {"condition": _condition_text(check.population)})
        return FormValue(None, "%", 1, tuple(sources), not_applicable=reason)
    if outcome.value is None:
        missing: list[str] = [m.datum for m in outcome.missing]
        for firm in context.snapshot.firms:
            missing.extend(_firm_truth_missing(check, firm, context))
        low, high = outcome.detail.get("worst_pct"), outcome.detail.get("best_pct")
        if low is not None and high is not None and (low > 0 or high < 100):
            bounds = Message("forms.detail.bounds", numbers={"low": (low, 1), "high": (high, 1)})
            sources.append(ValueSource("computed", bounds))
        return FormValue(None, "%", 1, tuple(sources), tuple(dict.fromkeys(missing)))
    meeting = ", ".join(outcome.firms_meeting) or "–"
    share = Message("forms.detail.share", {"meeting": len(outcome.firms_meeting), "population": population, "firms": meeting})
    sources.append(ValueSource("computed", share))
    return FormValue(outcome.value, "%", 1, tuple(sources))


def _firm_truth_missing(check: ShareOfFirmsCheck, firm: FirmRecord, context: EvaluationContext) -> list[str]:
    """The data that keep a firm's membership or condition unknown (nothing for a firm outside the population)."""
    found: list[str] = []
    if check.population is not None:
        member = firm_condition_value(check.population, firm, context)
        if member.value is False:
            return []
        found.extend(m.datum for m in member.missing)
    found.extend(m.datum for m in firm_condition_value(check.condition, firm, context).missing)
    return found


def _firm_status(check: ShareOfFirmsCheck, firm: FirmRecord, context: EvaluationContext, info: AnswersInfo | None) -> FormValue:
    """The firm's own status on one indicator: is it in the population, does it meet the condition."""
    sources: list[ValueSource] = []
    if check.population is not None:
        member = firm_condition_value(check.population, firm, context)
        condition = _condition_text(check.population)
        if member.value is None:
            return FormValue(None, missing=tuple(m.datum for m in member.missing))
        value = getattr(firm, check.population.attribute) if check.population.attribute else None
        detail = f"firm.{firm.id}.{check.population.attribute} = {value}" if value is not None else condition
        sources.append(ValueSource("registry", detail))
        if member.value is False:
            return FormValue(
                None, sources=tuple(sources), not_applicable=Message("forms.b5.outside_population", {"condition": condition})
            )
    meets = firm_condition_value(check.condition, firm, context)
    if meets.value is None:
        return FormValue(None, sources=tuple(sources), missing=tuple(m.datum for m in meets.missing))
    for question in _questions(check.condition):
        key = "forms.detail.firm_listed" if meets.value else "forms.detail.firm_not_listed"
        sources.append(ValueSource("answers", Message(key, {"firm": firm.id, "question": question})))
    return FormValue(bool(meets.value), sources=tuple(sources))


def _valid_certificates(snapshot: ParkSnapshot, firm_id: str, on: date) -> tuple[str, ...]:
    return tuple(
        f"{c.scheme}{' ' + c.level if c.level else ''} ({c.certificate_number or '–'}, {c.valid_from.isoformat()} – "
        f"{c.valid_to.isoformat() if c.valid_to else '…'})"
        for c in snapshot.certifications
        if c.holder_kind == "firm" and c.holder_id == firm_id and c.is_valid_on(on)
    )


def form_b5(
    rulebook: Rulebook,
    inputs: AssessmentInputs,
    year: int,
    firm_id: str | None = None,
    firm_metrics: Mapping[str, Measurement] | None = None,
) -> FormB5:
    """Fill form B5 for a park, and for one of its firms when ``firm_id`` is given.

    Parameters
    ----------
    rulebook : Rulebook
        The ``vn-decree-35-2022`` rulebook (its ``form: B5`` requirements are the rows).
    inputs : AssessmentInputs
        The park snapshot, the assessment date (end of ``year``), the park's measured KPIs and
        the questionnaire answers.
    year : int
        Reporting year.
    firm_id : str, optional
        The enterprise whose own status is shown beside the park's shares.
    firm_metrics : mapping, optional
        The firm's measured KPIs (metric providers run on :func:`firm_scope`); without a firm the
        park's measured KPIs (``inputs.metrics``) fill the annex.

    Raises
    ------
    FormError
        If the rulebook is not ``vn-decree-35-2022`` or the firm is not in the park.
    AnswersError
        If the answers name firms that are not in the park.
    """
    check_form_rulebook(rulebook)
    firm = None
    if firm_id is not None:
        firm = firm_scope(inputs.snapshot, firm_id).firms[0]
    result = assess(rulebook, inputs)
    context, _ = build_context(rulebook, inputs)
    info = answers_info(inputs.answers)
    rows = []
    for requirement in rulebook.requirements:
        form = requirement.form
        if form is None or form.name != "B5":
            continue
        check = _share_check(requirement)
        outcome = result.result(requirement.id).outcome
        rows.append(
            B5Row(
                requirement.id,
                form.code,
                B5_SECTIONS.get(form.section, form.section),
                form.label_vi or requirement.title.vi,
                requirement.title.en,
                _b5_threshold(check),
                _park_share(check, outcome, context, info),
                None if firm is None else _firm_status(check, firm, context, info),
            )
        )
    metrics = firm_metrics if firm is not None else inputs.metrics
    return FormB5(
        park=inputs.snapshot.park,
        year=year,
        assessed_on=inputs.assessed_on,
        rows=tuple(rows),
        measured=measured_rows(metrics or {}),
        answers=info,
        firm=firm,
        firm_certificates=() if firm is None else _valid_certificates(inputs.snapshot, firm.id, inputs.assessed_on),
    )


# --------------------------------------------------------------------------- DOCX


def _b5_table_rows(form: FormB5, lang: str) -> list[list[str]]:
    rows: list[list[str]] = []
    section = None
    for index, row in enumerate(form.rows, start=1):
        if row.section != section:
            section = row.section
            title = translate(f"forms.b5.section.{section}", lang)
            rows.append(["", "", title, "", "", "", ""])
        threshold = row.threshold.text(lang) if row.threshold else "–"
        if row.firm is None:
            cells = ["%", value_text(row.park, lang)]
            sources = source_text(row.park, lang)
        else:
            cells = [value_text(row.firm, lang), value_text(row.park, lang)]
            sources = "; ".join(part for part in (source_text(row.firm, lang), source_text(row.park, lang)) if part)
        rows.append([str(index), row.code, row.label(lang), *cells, threshold, sources])
    return rows


def _measured_annex(doc: Any, rows: Sequence[MeasuredRow], heading_key: str, empty_key: str, lang: str, **params: Any) -> None:
    from ecozone.assessment.reports.docx_report import add_table

    doc.add_heading(translate(heading_key, lang, **params), level=2)
    if not rows:
        doc.add_paragraph(translate(empty_key, lang, **params))
        return
    table_rows = [[row.label(lang), value_text(row.cell, lang), row.cell.unit, source_text(row.cell, lang)] for row in rows]
    headers = [translate(f"forms.column.{name}", lang) for name in ("kpi", "value", "unit", "source")]
    add_table(doc, headers, table_rows, font_size=8)


def write_form_b5(form: FormB5, path: Path, lang: str = "vi") -> Path:
    """Write form B5 as DOCX (Vietnamese by default; English with ``lang="en"``)."""
    from ecozone.assessment.reports.docx_report import add_table

    park = form.park
    doc = new_document(f"{translate('forms.b5.name', lang)} — {park.name_vi} — {form.year}", lang)
    lines = [
        translate("forms.year", lang, year=form.year),
        translate("forms.park", lang, name=park.name_vi, id=park.id),
        translate("forms.developer", lang, name=park.developer or "…"),
    ]
    if form.firm is None:
        lines.append(translate("forms.b5.scope_park", lang))
    else:
        firm = form.firm
        employees = "–" if firm.employees is None else str(firm.employees)
        lines.append(translate("forms.b5.firm", lang, name=firm.name, id=firm.id, vsic=firm.vsic_code, employees=employees))
        lines.append(translate("forms.b5.certificates", lang, certificates="; ".join(form.firm_certificates) or "–"))
        lines.append(translate("forms.b5.scope_firm", lang))
    lines.append(answers_line(form.answers, lang))
    form_header(doc, "forms.b5.name", "forms.b5.title", "forms.b5.basis", lines, lang)
    layout_note(doc, "forms.b5.layout_note")
    synthetic_banner(doc, form.synthetic, lang)
    columns = ("no", "code", "indicator", "unit", "value") if form.firm is None else ("no", "code", "indicator", "firm", "park")
    headers = [translate(f"forms.column.{name}", lang) for name in (*columns, "threshold", "source")]
    rows = _b5_table_rows(form, lang)
    bold_section_rows(add_table(doc, headers, rows, font_size=8), rows, 2)
    unverified = [row for row in form.rows if row.threshold and row.threshold.status != "verified"]
    if unverified:
        doc.add_paragraph(translate("forms.b5.thresholds_note", lang, mark=UNVERIFIED_MARK))
        for row in unverified:
            assert row.threshold is not None
            small_print(doc.add_paragraph(f"{UNVERIFIED_MARK} {row.code}: {row.threshold.source}", style="List Bullet"))
    doc.add_paragraph(translate("forms.missing_note", lang))
    if form.firm is None:
        _measured_annex(doc, form.measured, "forms.b5.annex_park", "forms.b5.annex_empty", lang, year=form.year)
    else:
        _measured_annex(doc, form.measured, "forms.b5.annex_firm", "forms.b5.annex_empty", lang, year=form.year)
    small_print(doc.add_paragraph(translate("forms.footer", lang, date=form.assessed_on.isoformat(), rulebook=RULEBOOK_ID)))
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    return path
