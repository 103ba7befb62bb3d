"""Form A.5 (Decree 35/2022/ND-CP Art. 43 cl. 4): the 18 EIP efficiency indicators of a park, as DOCX.

The rows come from the ``vn-decree-35-2022`` assessment document: each requirement carrying
``form: {name: A.5, ...}`` is one row, in the form's four sections (I. Môi trường, II. Quản lý
KCN, III. Xã hội, IV. Kinh tế). Every value says where it comes from (questionnaire answer with
its document reference and date, KPI with its source). The field list follows the national
investment portal's specification [V-spec]; the circular's own layout has not been read, so the
form says so in its footer.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ecozone.assessment.reports.formatting import number

FORM_NAME = "A.5"
SECTIONS = {"I": "I. Môi trường", "II": "II. Quản lý khu công nghiệp", "III": "III. Xã hội", "IV": "IV. Kinh tế"}
YES_NO = {"met": "Có", "not_met": "Không", "not_enough_data": "Chưa có dữ liệu", "not_applicable": "Không áp dụng"}


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
