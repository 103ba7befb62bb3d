"""Form A.5 (Decree 35/2022/ND-CP Art. 43 cl. 4): the 18 EIP efficiency indicators of a park, as DOCX.

The rows come from the ``vn-decree-35-2022`` assessment document: each requirement carrying
``form: {name: A.5, ...}`` is one row, in the form's four sections (I. Môi trường, II. Quản lý
KCN, III. Xã hội, IV. Kinh tế). Every value says where it comes from (questionnaire answer with
its document reference and date, KPI with its source). The field list follows the national
investment portal's specification [V-spec]; the circular's own layout has not been read, so the
form says so in its footer.

The value types shared by forms B5 and A.4 (:mod:`ecozone.assessment.forms_b5_a4`) live here too:
a :class:`FormValue` is one cell of a form with the sources it comes from, the data it lacks
when it is empty ("not enough data", never zero) and whether it rests on an unverified figure.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from ecozone.assessment.answers import Answers
from ecozone.assessment.errors import AssessmentError
from ecozone.assessment.kpis import Measurement, kpi_catalogue
from ecozone.assessment.reports.formatting import number
from ecozone.assessment.rulebook import Rulebook
from ecozone.i18n import translate
from ecozone.store.snapshot import ParkSnapshot

FORM_NAME = "A.5"
RULEBOOK_ID = "vn-decree-35-2022"
SECTIONS = {"I": "I. Môi trường", "II": "II. Quản lý khu công nghiệp", "III": "III. Xã hội", "IV": "IV. Kinh tế"}
YES_NO = {"met": "Có", "not_met": "Không", "not_enough_data": "Chưa có dữ liệu", "not_applicable": "Không áp dụng"}
UNVERIFIED_MARK = "†"
"""Marks a value or threshold that rests on a figure not verified in the primary text."""


# --------------------------------------------------------------------------- form values (B5, A.4)


@dataclass(frozen=True)
class Message:
    """A text of the message catalogue, rendered in the form's language when the form is written."""

    key: str
    params: Mapping[str, Any] = field(default_factory=dict)
    numbers: Mapping[str, tuple[float, int]] = field(default_factory=dict)
    """Parameters that are numbers: name → (value, decimals), written the way ``lang`` writes numbers."""

    def text(self, lang: str) -> str:
        """The message in ``lang``."""
        numbers = {name: number(value, lang, decimals) for name, (value, decimals) in self.numbers.items()}
        return translate(self.key, lang, **self.params, **numbers)


@dataclass(frozen=True)
class ValueSource:
    """Where a form value comes from.

    Attributes
    ----------
    kind : str
        ``registry``, ``answers``, ``meters``, ``baselines``, ``data_file``, ``computed``,
        ``grid_factor`` or ``ignored`` (a data-file value not used because data exist); the
        label ``forms.source.<kind>`` names it in the form.
    detail : str or Message
        Field names, formula with its numbers, document reference, answer file and date.
    """

    kind: str
    detail: str | Message = ""

    def text(self, lang: str) -> str:
        """``Sổ đăng ký: park.total_area_ha = 600`` in ``lang``."""
        detail = self.detail.text(lang) if isinstance(self.detail, Message) else self.detail
        return translate(f"forms.source.{self.kind}", lang, detail=detail)


CellValue = float | int | bool | str | Message | None


@dataclass(frozen=True)
class FormValue:
    """One cell of a form with the evidence behind it.

    Attributes
    ----------
    value : float, int, bool, str, Message or None
        The value [unit]; None when the data are missing (shown as "not enough data", never 0).
    unit : str
        Unit of a number.
    decimals : int
        Decimals shown.
    sources : tuple of ValueSource
        Where the value comes from, first the one used.
    missing : tuple of str
        The data a missing value needs (``park.total_area_ha``, ``answers.firms_applying_recp``,
        ``a4.land_transport_ha``, ...).
    not_applicable : Message or None
        Why the row does not apply (then ``value`` is None and nothing is missing).
    unverified : bool
        The value (or the threshold beside it) rests on an unverified figure.
    """

    value: CellValue = None
    unit: str = ""
    decimals: int = 1
    sources: tuple[ValueSource, ...] = ()
    missing: tuple[str, ...] = ()
    not_applicable: Message | None = None
    unverified: bool = False

    @property
    def status(self) -> str:
        """``value``, ``missing`` or ``not_applicable``."""
        if self.not_applicable is not None:
            return "not_applicable"
        return "missing" if self.value is None else "value"

    @property
    def known(self) -> bool:
        """Whether the cell says something (a value, or why it does not apply)."""
        return self.status != "missing"


def value_text(cell: FormValue, lang: str) -> str:
    """The cell as shown: ``1.234,5`` (vi), ``Có``, ``Chưa có dữ liệu``, ``Không áp dụng``; ``†`` when unverified."""
    value = cell.value
    if cell.not_applicable is not None:
        text = translate("forms.value.not_applicable", lang)
    elif value is None:
        text = translate("forms.value.no_data", lang)
    elif isinstance(value, bool):
        text = translate("forms.value.yes" if value else "forms.value.no", lang)
    elif isinstance(value, int | float):
        text = number(float(value), lang, cell.decimals)
    elif isinstance(value, Message):
        text = value.text(lang)
    else:
        text = value
    return f"{text} {UNVERIFIED_MARK}" if cell.unverified and value is not None else text


def source_text(cell: FormValue, lang: str) -> str:
    """The cell's sources, why it does not apply, or the data it lacks."""
    parts = [source.text(lang) for source in cell.sources]
    if cell.not_applicable is not None:
        parts.append(cell.not_applicable.text(lang))
    if cell.missing:
        parts.append(translate("forms.value.missing", lang, data=", ".join(cell.missing)))
    return "; ".join(part for part in parts if part)


def form_rows(document: dict[str, Any], form: str = FORM_NAME) -> list[dict[str, Any]]:
    """The rows of ``form`` in the document's requirement order: code, section, name, value, unit, source."""
    answers = document["inputs"]["answers"]
    answered = (
        f"bảng hỏi, trả lời bởi {answers.get('answered_by')} ngày {answers.get('answered_on')}"
        if answers
        else "bảng hỏi: chưa có"
    )
    rows = []
    for requirement in document["requirements"]:
        field = requirement.get("form")
        if not field or field["name"] != form:
            continue
        outcome = requirement["outcome"]
        kind = outcome["kind"]
        if kind == "count" and outcome["value"] is not None:
            value, unit = number(outcome["value"], "vi", 0), "liên kết"
        elif kind == "kpi_threshold":
            value = "Chưa có dữ liệu" if outcome["value"] is None else number(outcome["value"], "vi", 1)
            unit = "%"
        else:
            value, unit = YES_NO[requirement["verdict"]], "Có/Không"
        rows.append(
            {
                "code": field["code"],
                "section": field.get("section") or requirement["category"],
                "name": requirement["title"]["vi"],
                "value": value,
                "unit": unit,
                "verdict": requirement["verdict"],
                "source": _source(requirement, document, answered),
            }
        )
    return rows


def _evidence(outcome: dict[str, Any]) -> list[str]:
    found = []
    for item in outcome.get("evidence", []):
        found.append(", ".join(str(part) for part in (item.get("reference"), item.get("date"), item.get("detail")) if part))
    for part in outcome.get("parts", []):
        found.extend(_evidence(part))
    return [text for text in found if text]


def _source(requirement: dict[str, Any], document: dict[str, Any], answered: str) -> str:
    outcome = requirement["outcome"]
    if requirement["verdict"] == "not_enough_data":
        return "Thiếu: " + "; ".join(requirement["missing"])
    if outcome["kind"] == "kpi_threshold":
        name = outcome["evidence"][0]["label"].removeprefix("kpi.") if outcome["evidence"] else ""
        metric = document["inputs"]["metrics"].get(name, {})
        return f"KPI {name}: {metric.get('source', '')} {metric.get('detail', '')}".strip()
    evidence = "; ".join(_evidence(outcome))
    return f"{answered}" + (f"; tài liệu: {evidence}" if evidence else "")


def write_form_a5(document: dict[str, Any], path: Path, year: int, developer: str | None = None) -> Path:
    """Write form A.5 of ``document`` (a ``vn-decree-35-2022`` result) for ``year`` as DOCX (Vietnamese)."""
    from docx import Document
    from docx.shared import Pt

    from ecozone.assessment.reports.docx_report import add_table

    if document["rulebook"]["id"] != "vn-decree-35-2022":
        from ecozone.assessment.errors import AssessmentError

        raise AssessmentError("assessment.form.wrong_rulebook", rulebook=document["rulebook"]["id"])
    park = document["park"]
    doc = Document()
    doc.core_properties.title = f"Mẫu A.5 — {park['name_vi']} — {year}"
    doc.core_properties.language = "vi"
    doc.add_paragraph("Mẫu A.5")
    doc.add_heading("CHỈ SỐ ĐÁNH GIÁ HIỆU QUẢ KINH TẾ, XÃ HỘI VÀ MÔI TRƯỜNG CỦA KHU CÔNG NGHIỆP SINH THÁI", level=1)
    doc.add_paragraph(f"Năm báo cáo: {year}")
    doc.add_paragraph(f"Khu công nghiệp: {park['name_vi']} (mã {park['id']})")
    doc.add_paragraph(f"Nhà đầu tư kinh doanh hạ tầng: {developer or '…'}")
    doc.add_paragraph("Căn cứ: Nghị định 35/2022/NĐ-CP, Điều 43 khoản 4.")
    if park["is_synthetic"] or document["inputs"]["answers"].get("synthetic"):
        doc.add_paragraph(
            "DỮ LIỆU GIẢ LẬP: biểu mẫu được lập từ dữ liệu minh họa, không mô tả KCN có thật.", style="Intense Quote"
        )
    rows = form_rows(document)
    table_rows: list[list[str]] = []
    current = None
    for index, row in enumerate(rows, start=1):
        if row["section"] != current:
            current = row["section"]
            table_rows.append(["", "", SECTIONS.get(current, current), "", "", ""])
        table_rows.append([str(index), row["code"], row["name"], row["unit"], row["value"], row["source"]])
    table = add_table(
        doc, ["STT", "Mã chỉ số", "Chỉ số", "Đơn vị", "Giá trị", "Nguồn số liệu / minh chứng"], table_rows, font_size=8.5
    )
    for table_row, values in zip(table.rows[1:], table_rows, strict=True):
        if not values[0]:
            for run in table_row.cells[2].paragraphs[0].runs:
                run.bold = True
    footer = doc.add_paragraph(
        f"Lập bằng ecozone ngày {document['assessed_on']} từ sổ đăng ký và bảng hỏi; "
        f"bộ tiêu chí {document['rulebook']['id']} phiên bản {document['rulebook']['version']}. "
        "Danh mục chỉ số theo đặc tả Cổng thông tin quốc gia về đầu tư "
        "(chưa đối chiếu với phụ lục của Thông tư 05/2025/TT-BKHĐT)."
    )
    for run in footer.runs:
        run.font.size = Pt(8)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    return path


# --------------------------------------------------------------------------- shared by forms B5 and A.4


class FormError(AssessmentError):
    """A form cannot be filled (a firm not in the park, answers of another rulebook)."""


@dataclass(frozen=True)
class AnswersInfo:
    """Who answered the questionnaire, when, in which file (shown as the source of answered values)."""

    answered_by: str
    answered_on: date
    file: str
    synthetic: bool = False

    def detail(self, question: str) -> Message:
        """``question firms_applying_recp (answered by … on …, file …)``."""
        return Message(
            "forms.detail.answer",
            {"question": question, "by": self.answered_by, "on": self.answered_on.isoformat(), "file": self.file},
        )


def answers_info(answers: Answers | None) -> AnswersInfo | None:
    """Who answered ``answers`` (None without answers)."""
    if answers is None:
        return None
    return AnswersInfo(answers.answered_by, answers.answered_on, answers.file, answers.synthetic)


def check_form_rulebook(rulebook: Rulebook) -> None:
    """Refuse a rulebook other than ``vn-decree-35-2022`` (the forms' questions and rows are its own)."""
    if rulebook.id != RULEBOOK_ID:
        raise FormError("forms.wrong_rulebook", rulebook=rulebook.id, expected=RULEBOOK_ID)


def firm_scope(snapshot: ParkSnapshot, firm_id: str) -> ParkSnapshot:
    """The park restricted to one firm, its meters and its certificates (what metric providers read for a firm).

    Raises
    ------
    FormError
        If the firm is not in the park.
    """
    firms = tuple(firm for firm in snapshot.firms if firm.id == firm_id)
    if not firms:
        raise FormError("forms.firm_not_in_park", firm=firm_id, park=snapshot.park.id)
    return replace(
        snapshot,
        firms=firms,
        meters=tuple(meter for meter in snapshot.meters if meter.firm_id == firm_id),
        certifications=tuple(c for c in snapshot.certifications if c.holder_kind == "firm" and c.holder_id == firm_id),
    )


@dataclass(frozen=True)
class MeasuredRow:
    """A measured KPI shown in a form's annex."""

    name: str
    label_vi: str
    label_en: str
    cell: FormValue

    def label(self, lang: str) -> str:
        """The KPI's name in ``lang``."""
        return self.label_vi if lang == "vi" else self.label_en


def measured_rows(metrics: Mapping[str, Measurement]) -> tuple[MeasuredRow, ...]:
    """Measured KPI values (meters, GHG) as annex rows, with their source and how they were obtained."""
    catalogue = kpi_catalogue()
    rows = []
    for name in sorted(metrics):
        measurement = metrics[name]
        known = catalogue.get(name)
        source = ValueSource("meters" if measurement.source == "meters" else "computed", f"{name}: {measurement.detail}".strip())
        rows.append(
            MeasuredRow(
                name,
                known.label_vi if known else name,
                known.label_en if known else name,
                FormValue(measurement.value, measurement.unit, 1, (source,)),
            )
        )
    return tuple(rows)


# --------------------------------------------------------------------------- DOCX pieces of forms B5 and A.4


def new_document(title: str, lang: str) -> Any:
    """A blank Word document with its title and language set."""
    from docx import Document

    doc = Document()
    doc.core_properties.title = title
    doc.core_properties.language = lang
    return doc


def small_print(paragraph: Any, size: float = 8) -> None:
    """Set the paragraph's runs in ``size`` [pt]."""
    from docx.shared import Pt

    for run in paragraph.runs:
        run.font.size = Pt(size)


def layout_note(doc: Any, key: str) -> None:
    """The bilingual note that the layout follows the portal specification, not the circular (always both languages)."""
    for lang in ("vi", "en"):
        small_print(doc.add_paragraph(translate(key, lang), style="Intense Quote"), 8.5)


def form_header(doc: Any, form_name: str, title_key: str, basis_key: str, lines: Sequence[str], lang: str) -> None:
    """The form's name, title, legal basis and identity lines."""
    doc.add_paragraph(translate(form_name, lang))
    doc.add_heading(translate(title_key, lang), level=1)
    doc.add_paragraph(translate(basis_key, lang))
    for line in lines:
        doc.add_paragraph(line)


def synthetic_banner(doc: Any, synthetic: bool, lang: str) -> None:
    """Say the form was made from synthetic data, when it was."""
    if synthetic:
        doc.add_paragraph(translate("forms.synthetic", lang), style="Intense Quote")


def bold_section_rows(table: Any, rows: Sequence[Sequence[str]], column: int) -> None:
    """Bold the ``column`` text of section rows (rows whose first cell is empty)."""
    for table_row, values in zip(table.rows[1:], rows, strict=True):
        if not values[0]:
            for run in table_row.cells[column].paragraphs[0].runs:
                run.bold = True


def answers_line(info: AnswersInfo | None, lang: str) -> str:
    """Which questionnaire answers the form uses (or that there are none)."""
    if info is None:
        return translate("forms.answers.none", lang)
    return translate("forms.answers.used", lang, by=info.answered_by, on=info.answered_on.isoformat(), file=info.file)
