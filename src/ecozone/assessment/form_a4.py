"""Form A.4 of Decree 35/2022/ND-CP Art. 43 cl. 1: the yearly EIP monitoring report, filled from the data, as DOCX.

"Báo cáo theo dõi, giám sát thực hiện khu công nghiệp sinh thái": land use, legal compliance,
resource efficiency and cleaner production (RECP), industrial symbiosis and its results, field
by field as listed in ``form_a4_fields.yaml``. Each field is filled from the registry (land,
ISO 50001 certificates), the ``vn-decree-35-2022`` questionnaire answers (firms applying RECP,
symbiosis links and their types, evidence), electricity savings measured with baselines, and
Viet Nam's grid emission factor (CO2 of an electricity saving); else from the A.4 data file
(:mod:`ecozone.assessment.form_a4_data`) for what only the investor knows. Data win over entered
values, except for the free-text fields marked ``entry_first``; an entered value that was not
used is named in the source column. Sums (total cost saved) need every part: a missing part
makes the total "not enough data", never a partial total shown as the total.

The optimised exchanges of the park's stream catalogue, when given, are an annex clearly
labelled as potential (not implemented). The layout is known only from the national investment
portal's specification [V-spec]; the form says so in both languages.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from ecozone.assessment.answers import SYMBIOSIS_TYPES, Answers, EvidenceAnswer, SymbiosisLink
from ecozone.assessment.engine import AssessmentInputs, check_answer_firms
from ecozone.assessment.errors import AssessmentError
from ecozone.assessment.form_a4_data import A4Catalogue, A4Data, A4Field, a4_catalogue
from ecozone.assessment.forms import (
    RULEBOOK_ID,
    UNVERIFIED_MARK,
    AnswersInfo,
    FormError,
    FormValue,
    Message,
    ValueSource,
    answers_info,
    answers_line,
    bold_section_rows,
    check_form_rulebook,
    form_header,
    layout_note,
    new_document,
    small_print,
    source_text,
    synthetic_banner,
    value_text,
)
from ecozone.assessment.reports.formatting import number
from ecozone.assessment.rulebook import Rulebook
from ecozone.i18n import translate
from ecozone.store.snapshot import ParkRecord, ParkSnapshot

ISO_50001 = "iso_50001"


@dataclass(frozen=True)
class MeasuredSavings:
    """Electricity savings measured with baselines (IPMVP Option C / ASHRAE Guideline 14) over the year.

    Attributes
    ----------
    savings_kwh, counterfactual_kwh : float [kWh]
        Avoided energy and the baseline's counterfactual, summed over the meters.
    uncertainty_90_kwh : float or None [kWh]
        Half-width of the 90 % interval of the sum (root sum of squares).
    meters : tuple of str
        Meters whose savings are summed.
    start, end : date
        The reporting period used (after each baseline, within the year).
    """

    savings_kwh: float
    counterfactual_kwh: float
    uncertainty_90_kwh: float | None
    meters: tuple[str, ...]
    start: date
    end: date

    def detail(self) -> Message:
        """How the savings were measured."""
        numbers = {"counterfactual": (self.counterfactual_kwh, 0)}
        if self.uncertainty_90_kwh is not None:
            numbers["uncertainty"] = (self.uncertainty_90_kwh, 0)
        params = {"meters": ", ".join(self.meters), "start": self.start.isoformat(), "end": self.end.isoformat()}
        if self.uncertainty_90_kwh is None:
            params["uncertainty"] = "–"
        return Message("forms.detail.baselines", params, numbers)


@dataclass(frozen=True)
class PotentialExchange:
    """An exchange proposed by the symbiosis optimisation (not implemented)."""

    supplier: str
    receiver: str
    flow: float
    unit: str
    tco2e: float
    benefit_vnd: float


@dataclass(frozen=True)
class SymbiosisPotential:
    """The optimised exchange network of the park's stream catalogue (an annex, never a result)."""

    status: str
    exchanges: tuple[PotentialExchange, ...]
    metrics: Mapping[str, float]


@dataclass(frozen=True)
class A4Line:
    """A field of form A.4 with its cell (headings have an empty cell)."""

    field: A4Field
    cell: FormValue


@dataclass(frozen=True)
class FormA4:
    """Form A.4 of a park for a reporting year (N-1 of the form)."""

    park: ParkRecord
    year: int
    assessed_on: date
    lines: tuple[A4Line, ...]
    answers: AnswersInfo | None
    data: A4Data | None
    potential: SymbiosisPotential | None
    catalogue: A4Catalogue

    def line(self, key: str) -> A4Line:
        """The line of field ``key`` (KeyError if unknown)."""
        for line in self.lines:
            if line.field.key == key:
                return line
        raise KeyError(key)

    @property
    def synthetic(self) -> bool:
        """Whether the park, the answers or the data file are synthetic."""
        return bool(self.park.is_synthetic or (self.answers and self.answers.synthetic) or (self.data and self.data.synthetic))

    @property
    def missing_fields(self) -> tuple[str, ...]:
        """Codes of the fields without enough data."""
        return tuple(line.field.ref for line in self.lines if line.field.type != "heading" and line.cell.status == "missing")


@dataclass(frozen=True)
class _A4Inputs:
    snapshot: ParkSnapshot
    assessed_on: date
    answers: Answers | None
    info: AnswersInfo | None
    savings: MeasuredSavings | None

    def answer(self, question: str) -> Any:
        return None if self.answers is None else self.answers.get(question)

    def answer_source(self, question: str) -> ValueSource:
        detail: str | Message = question if self.info is None else self.info.detail(question)
        return ValueSource("answers", detail)

    def missing_answer(self, question: str) -> FormValue:
        return FormValue(None, missing=(f"answers.{question}",))


DataFunction = Callable[[A4Field, _A4Inputs], FormValue]


def _registry_number(attribute: str) -> DataFunction:
    def read(item: A4Field, inputs: _A4Inputs) -> FormValue:
        value = getattr(inputs.snapshot.park, attribute)
        if value is None:
            return FormValue(None, missing=(f"park.{attribute}",))
        source = ValueSource(
            "registry", Message("forms.detail.field_value", {"field": f"park.{attribute}"}, {"value": (value, 2)})
        )
        return FormValue(float(value), item.unit, item.decimals, (source,))

    return read


def _investor_name(item: A4Field, inputs: _A4Inputs) -> FormValue:
    developer = inputs.snapshot.park.developer
    if not developer:
        return FormValue(None, missing=("park.developer",))
    return FormValue(developer, sources=(ValueSource("registry", "park.developer"),))


def _project_name(item: A4Field, inputs: _A4Inputs) -> FormValue:
    park = inputs.snapshot.park
    return FormValue(park.name_vi, sources=(ValueSource("registry", f"park.name_vi ({park.id})"),))


def _project_location(item: A4Field, inputs: _A4Inputs) -> FormValue:
    from ecozone.provinces import provinces

    code = inputs.snapshot.park.province_new_code
    province = provinces("2025").get(code)
    if province is None:
        return FormValue(None, missing=("park.province_new_code",))
    return FormValue(province.name, sources=(ValueSource("registry", f"park.province_new_code = {code} (2025)"),))


def _legal_compliance(item: A4Field, inputs: _A4Inputs) -> FormValue:
    answer = inputs.answer("investor_compliance_3y")
    if not isinstance(answer, EvidenceAnswer):
        return inputs.missing_answer("investor_compliance_3y")
    if answer.present:
        day = answer.date.isoformat() if answer.date else "–"
        text = Message("forms.a4.compliance_confirmed", {"reference": answer.reference or "–", "date": day})
    else:
        text = Message("forms.a4.compliance_not_confirmed")
    return FormValue(text, sources=(inputs.answer_source("investor_compliance_3y"),))


def _recp_firms(item: A4Field, inputs: _A4Inputs) -> FormValue:
    firms = inputs.answer("firms_applying_recp")
    if not isinstance(firms, tuple):
        return inputs.missing_answer("firms_applying_recp")
    total = len(inputs.snapshot.firms)
    detail = Message(
        "forms.detail.recp_firms",
        {"firms": ", ".join(firms) or "–", "count": len(firms), "total": total, **({} if total else {"share": "–"})},
        {"share": (100.0 * len(firms) / total, 1)} if total else {},
    )
    return FormValue(len(firms), item.unit, 0, (inputs.answer_source("firms_applying_recp"), ValueSource("computed", detail)))


def _energy_management(item: A4Field, inputs: _A4Inputs) -> FormValue:
    names = {firm.id: firm.name for firm in inputs.snapshot.firms}
    holders = sorted(
        {
            names.get(c.holder_id, c.holder_id) if c.holder_kind == "firm" else inputs.snapshot.park.name_vi
            for c in inputs.snapshot.certifications
            if c.scheme == ISO_50001 and c.is_valid_on(inputs.assessed_on)
        }
    )
    if not holders:
        return FormValue(None, missing=("certifications.iso_50001",))
    text = Message("forms.a4.iso_50001_holders", {"count": len(holders), "holders": ", ".join(holders)})
    return FormValue(text, sources=(ValueSource("registry", f"certifications: {ISO_50001}, {inputs.assessed_on.isoformat()}"),))


def _saved_kwh(item: A4Field, inputs: _A4Inputs) -> FormValue:
    savings = inputs.savings
    if savings is None:
        return FormValue(None, missing=("baselines.savings",))
    return FormValue(savings.savings_kwh, item.unit, item.decimals, (ValueSource("baselines", savings.detail()),))


def _saving_pct(item: A4Field, inputs: _A4Inputs) -> FormValue:
    savings = inputs.savings
    if savings is None or savings.counterfactual_kwh <= 0:
        return FormValue(None, missing=("baselines.savings",))
    value = 100.0 * savings.savings_kwh / savings.counterfactual_kwh
    formula = Message(
        "forms.detail.ratio", numbers={"numerator": (savings.savings_kwh, 0), "denominator": (savings.counterfactual_kwh, 0)}
    )
    return FormValue(
        value, item.unit, item.decimals, (ValueSource("baselines", savings.detail()), ValueSource("computed", formula))
    )


def _links(inputs: _A4Inputs) -> tuple[SymbiosisLink, ...] | None:
    links = inputs.answer("symbiosis_links")
    return links if isinstance(links, tuple) else None


def _link_count(item: A4Field, inputs: _A4Inputs) -> FormValue:
    links = _links(inputs)
    if links is None:
        return inputs.missing_answer("symbiosis_links")
    return FormValue(len(links), item.unit, 0, (inputs.answer_source("symbiosis_links"),))


def _link_type(link_type: str) -> DataFunction:
    def read(item: A4Field, inputs: _A4Inputs) -> FormValue:
        links = _links(inputs)
        if links is None:
            return inputs.missing_answer("symbiosis_links")
        return FormValue(any(link.type == link_type for link in links), sources=(inputs.answer_source("symbiosis_links"),))

    return read


def _other_links(item: A4Field, inputs: _A4Inputs) -> FormValue:
    links = _links(inputs)
    if links is None:
        return inputs.missing_answer("symbiosis_links")
    others = [link.description or ", ".join(link.firms) for link in links if link.type == "other"]
    if not others:
        return FormValue(None, not_applicable=Message("forms.a4.no_other_links"))
    return FormValue("; ".join(others), sources=(inputs.answer_source("symbiosis_links"),))


def _link_evidence(item: A4Field, inputs: _A4Inputs) -> FormValue:
    links = _links(inputs)
    if links is None:
        return inputs.missing_answer("symbiosis_links")
    documents = [f"{link.reference} ({', '.join(link.firms)})" for link in links if link.reference]
    if not documents:
        return FormValue(None, missing=("answers.symbiosis_links.reference",))
    return FormValue("; ".join(documents), sources=(inputs.answer_source("symbiosis_links"),))


def _link_firms(item: A4Field, inputs: _A4Inputs) -> FormValue:
    links = _links(inputs)
    if links is None:
        return inputs.missing_answer("symbiosis_links")
    names = {firm.id: firm.name for firm in inputs.snapshot.firms}
    firms = sorted({firm for link in links for firm in link.firms})
    text = ", ".join(f"{names.get(firm, firm)} ({firm})" for firm in firms) or "–"
    return FormValue(text, sources=(inputs.answer_source("symbiosis_links"), ValueSource("registry", "firm.name")))


def _other_park_partners(item: A4Field, inputs: _A4Inputs) -> FormValue:
    links = _links(inputs)
    if links is None:
        return inputs.missing_answer("symbiosis_links")
    partners = [link.partners_outside for link in links if link.type == "cooperation_other_parks" and link.partners_outside]
    if not partners:
        return FormValue(None, missing=("answers.symbiosis_links.partners_outside",))
    return FormValue("; ".join(partners), sources=(inputs.answer_source("symbiosis_links"),))


def _investor_support(item: A4Field, inputs: _A4Inputs) -> FormValue:
    answer = inputs.answer("symbiosis_support")
    if not isinstance(answer, EvidenceAnswer):
        return inputs.missing_answer("symbiosis_support")
    if answer.present:
        day = answer.date.isoformat() if answer.date else "–"
        text = Message("forms.a4.support_present", {"reference": answer.reference or "–", "date": day})
    else:
        text = Message("forms.a4.support_absent")
    return FormValue(text, sources=(inputs.answer_source("symbiosis_support"),))


DATA_FUNCTIONS: dict[str, DataFunction] = {
    "investor_name": _investor_name,
    "project_name": _project_name,
    "project_location": _project_location,
    "land_total_ha": _registry_number("total_area_ha"),
    "land_green_ha": _registry_number("green_area_ha"),
    "land_industrial_ha": _registry_number("industrial_land_ha"),
    "land_leased_ha": _registry_number("leased_land_ha"),
    "legal_compliance": _legal_compliance,
    "recp_firms_n1": _recp_firms,
    "energy_management_system": _energy_management,
    "recp_electricity_saved_kwh": _saved_kwh,
    "recp_electricity_saving_pct": _saving_pct,
    "symbiosis_links_n1": _link_count,
    **{f"symbiosis_type_{kind}": _link_type(kind) for kind in SYMBIOSIS_TYPES},
    "symbiosis_other_description": _other_links,
    "symbiosis_evidence": _link_evidence,
    "symbiosis_firms_same_park": _link_firms,
    "symbiosis_firms_other_parks": _other_park_partners,
    "symbiosis_investor_support": _investor_support,
}
"""Field key → how the registry, the answers or the measured savings fill it."""


def _resolve(item: A4Field, data: FormValue | None, entered: FormValue | None) -> FormValue:
    """Choose between the data and the entered value (``order``); name what is missing when neither exists."""
    has_data = data is not None and data.known
    if entered is not None and (item.order == "entry_first" or not has_data):
        return entered
    if data is not None and has_data:
        if entered is not None:
            ignored = ValueSource("ignored", Message("forms.detail.ignored", {"value": _plain(entered.value)}))
            return replace(data, sources=(*data.sources, ignored))
        return data
    missing = (*(data.missing if data is not None else ()), *((f"a4.{item.key}",) if item.input else ()))
    return FormValue(None, item.unit, item.decimals, missing=tuple(dict.fromkeys(missing)))


def _plain(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)  # as entered (the data file's own notation)


def _share_cell(item: A4Field, cells: Mapping[str, FormValue]) -> FormValue:
    numerator, denominator = (cells[key] for key in item.share_of)
    if not isinstance(numerator.value, int | float) or not isinstance(denominator.value, int | float):
        return FormValue(None, item.unit, item.decimals, missing=tuple(dict.fromkeys((*numerator.missing, *denominator.missing))))
    top, bottom = float(numerator.value), float(denominator.value)
    if bottom <= 0:
        return FormValue(None, item.unit, item.decimals, missing=(f"{item.share_of[1]} > 0",))
    formula = Message("forms.detail.ratio", numbers={"numerator": (top, 2), "denominator": (bottom, 2)})
    return FormValue(100.0 * top / bottom, item.unit, item.decimals, (ValueSource("computed", formula),))


def _sum_cell(item: A4Field, cells: Mapping[str, FormValue], catalogue: A4Catalogue) -> FormValue:
    parts = [(catalogue.field(key).ref, cells[key]) for key in item.sum_of]
    known = [(code, float(cell.value)) for code, cell in parts if isinstance(cell.value, int | float)]
    formula = " + ".join(code for code, _ in parts)
    if len(known) < len(parts):
        missing = tuple(dict.fromkeys(datum for _, cell in parts if cell.value is None for datum in cell.missing))
        partial = Message("forms.detail.partial_sum", {"formula": formula}, {"value": (sum(v for _, v in known), 2)})
        return FormValue(None, item.unit, item.decimals, (ValueSource("computed", partial),), missing)
    total = sum(value for _, value in known)
    detail = Message("forms.detail.sum", {"formula": formula}, {"total": (total, 2)})
    return FormValue(total, item.unit, item.decimals, (ValueSource("computed", detail),))


def _co2_cell(item: A4Field, cells: Mapping[str, FormValue], entered: FormValue | None, year: int) -> FormValue:
    """CO2 avoided by an electricity saving [t]: entered, else kWh × Viet Nam's grid factor of the year.

    A measured saving (baselines) always uses the factor, so the two rows stay consistent.
    """
    from ecozone.errors import EcozoneError
    from ecozone.ghg.factors import grid_factor

    assert item.co2_from is not None
    electricity = cells[item.co2_from]
    measured = bool(electricity.sources) and electricity.sources[0].kind == "baselines"
    if entered is not None and not measured:
        return entered
    if not isinstance(electricity.value, int | float):
        return _resolve(item, FormValue(None, missing=electricity.missing), entered)
    try:
        factor = grid_factor(year)
    except EcozoneError:
        return _resolve(item, FormValue(None, missing=(f"ghg.grid_factor.{year}",)), entered)
    kwh = float(electricity.value)
    value = kwh / 1000.0 * factor.value
    sources = [
        ValueSource(
            "computed", Message("forms.detail.co2", {"unit": factor.unit}, {"kwh": (kwh, 0), "factor": (factor.value, 4)})
        ),
        ValueSource("grid_factor", f"{factor.id}, {factor.status}: {factor.source} ({factor.edition})"),
    ]
    if entered is not None:
        sources.append(ValueSource("ignored", Message("forms.detail.ignored", {"value": _plain(entered.value)})))
    return FormValue(value, item.unit, item.decimals, tuple(sources), unverified=not factor.is_trusted)


def form_a4(
    rulebook: Rulebook,
    inputs: AssessmentInputs,
    year: int,
    data: A4Data | None = None,
    savings: MeasuredSavings | None = None,
    potential: SymbiosisPotential | None = None,
) -> FormA4:
    """Fill form A.4 of a park for ``year`` (the form's year N-1).

    Parameters
    ----------
    rulebook : Rulebook
        The ``vn-decree-35-2022`` rulebook (its questionnaire answers feed the form).
    inputs : AssessmentInputs
        The park snapshot, the assessment date (end of ``year``) and the answers.
    year : int
        Reporting year (N-1 of the form; the form is filed in N).
    data : A4Data, optional
        The A.4 data file (what only the investor knows).
    savings : MeasuredSavings, optional
        Electricity savings measured with baselines over the year [kWh].
    potential : SymbiosisPotential, optional
        Optimised exchanges of the park's stream catalogue, shown as an annex.

    Raises
    ------
    FormError
        If the rulebook is not ``vn-decree-35-2022`` or the data file is for another park or year.
    AnswersError
        If the answers name firms that are not in the park.
    """
    check_form_rulebook(rulebook)
    if data is not None and (data.park_id != inputs.snapshot.park.id or data.year != year):
        raise FormError("forms.a4_data.mismatch", file=data.file, park=inputs.snapshot.park.id, year=year)
    if inputs.answers is not None:
        if inputs.answers.rulebook_id != rulebook.id:
            raise AssessmentError("assessment.answers.wrong_rulebook", found=inputs.answers.rulebook_id, expected=rulebook.id)
        check_answer_firms(inputs.answers, inputs.snapshot)
    catalogue = a4_catalogue()
    context = _A4Inputs(inputs.snapshot, inputs.assessed_on, inputs.answers, answers_info(inputs.answers), savings)
    cells: dict[str, FormValue] = {}
    lines = []
    for item in catalogue.fields:
        entered = data.cell(item) if data is not None else None
        if item.type == "heading":
            cell = FormValue()
        elif item.share_of:
            cell = _share_cell(item, cells)
        elif item.sum_of:
            cell = _sum_cell(item, cells, catalogue)
        elif item.co2_from:
            cell = _co2_cell(item, cells, entered, year)
        else:
            function = DATA_FUNCTIONS.get(item.key)
            cell = _resolve(item, None if function is None else function(item, context), entered)
        cells[item.key] = cell
        lines.append(A4Line(item, cell))
    return FormA4(inputs.snapshot.park, year, inputs.assessed_on, tuple(lines), context.info, data, potential, catalogue)


# --------------------------------------------------------------------------- DOCX


def _a4_value(line: A4Line, lang: str) -> str:
    if line.field.type == "checkbox" and isinstance(line.cell.value, bool):
        return "☒" if line.cell.value else "☐"
    return value_text(line.cell, lang)


def year_label(label: str, year: int) -> str:
    """The form's relative years made explicit: ``[N-1]`` → ``[N-1 = 2024]`` for reporting year 2024 (N = 2025)."""
    filed = year + 1
    for offset in (-2, -1, 3):
        label = label.replace(f"[N{offset:+d}]", f"[N{offset:+d} = {filed + offset}]")
    return label


def _a4_rows(form: FormA4, part: str, lang: str) -> list[list[str]]:
    """Table rows of one part: code, field, value, sources (a heading has an empty first cell)."""
    rows: list[list[str]] = []
    for line in form.lines:
        item = line.field
        if item.part != part:
            continue
        label = year_label(item.label(lang), form.year)
        if item.type == "heading":
            rows.append(["", f"{item.code}. {label}", "", ""])
        else:
            rows.append([item.code, label, _a4_value(line, lang), source_text(line.cell, lang)])
    return rows


def _potential_annex(doc: Any, potential: SymbiosisPotential | None, lang: str) -> None:
    from ecozone.assessment.reports.docx_report import add_table

    doc.add_heading(translate("forms.a4.potential_heading", lang), level=2)
    if potential is None:
        doc.add_paragraph(translate("forms.a4.potential_none", lang))
        return
    doc.add_paragraph(translate("forms.a4.potential_note", lang, status=potential.status))
    totals = [
        [translate(f"symbiosis.metric.{name}", lang), number(round(value, 1) + 0.0, lang, 1)]
        for name, value in potential.metrics.items()
    ]
    add_table(doc, [translate("forms.column.metric", lang), translate("forms.column.value", lang)], totals, font_size=8)
    exchanges = [
        [
            e.supplier,
            e.receiver,
            f"{number(e.flow, lang, 1)} {e.unit}",
            number(round(e.tco2e, 1) + 0.0, lang, 1),
            number(round(e.benefit_vnd) + 0.0, lang, 0),
        ]
        for e in potential.exchanges
    ]
    if exchanges:
        headers = [translate(f"forms.column.{name}", lang) for name in ("supplier", "receiver", "flow", "tco2e", "benefit")]
        add_table(doc, headers, exchanges, font_size=7.5)
    doc.add_paragraph(translate("symbiosis.report.unverified", lang))


def write_form_a4(form: FormA4, path: Path, lang: str = "vi") -> Path:
    """Write form A.4 as DOCX (Vietnamese by default; English with ``lang="en"``)."""
    from ecozone.assessment.reports.docx_report import add_table

    park = form.park
    doc = new_document(f"{translate('forms.a4.name', lang)} — {park.name_vi} — {form.year}", lang)
    lines = [
        translate("forms.a4.year", lang, year=form.year, filed=form.year + 1),
        translate("forms.park", lang, name=park.name_vi, id=park.id),
        translate("forms.developer", lang, name=park.developer or "…"),
        answers_line(form.answers, lang),
        translate("forms.a4.data_none", lang)
        if form.data is None
        else translate(
            "forms.a4.data_used", lang, by=form.data.answered_by, on=form.data.answered_on.isoformat(), file=form.data.file
        ),
    ]
    form_header(doc, "forms.a4.name", "forms.a4.title", "forms.a4.basis", lines, lang)
    layout_note(doc, "forms.a4.layout_note")
    synthetic_banner(doc, form.synthetic, lang)
    headers = [translate(f"forms.column.{name}", lang) for name in ("code", "field", "value", "source")]
    for part in ("I", "II", "III"):
        doc.add_heading(translate(f"forms.a4.part.{part}", lang), level=2)
        rows = _a4_rows(form, part, lang)
        bold_section_rows(add_table(doc, headers, rows, font_size=8), rows, 1)
    if any(line.cell.unverified for line in form.lines):
        doc.add_paragraph(translate("forms.a4.factor_note", lang, mark=UNVERIFIED_MARK))
    doc.add_paragraph(translate("forms.missing_note", lang))
    doc.add_paragraph(translate("forms.a4.personal_data_note", lang))
    _potential_annex(doc, form.potential, lang)
    small_print(
        doc.add_paragraph(
            translate("forms.footer", lang, date=form.assessed_on.isoformat(), rulebook=RULEBOOK_ID)
            + " "
            + translate("forms.a4.catalogue", lang, source=form.catalogue.source, status=form.catalogue.status)
        )
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    return path
