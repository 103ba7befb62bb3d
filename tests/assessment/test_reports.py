"""Reports: HTML, DOCX and PDF render offline in both languages; form A.5 is opened and its fields checked."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from ecozone.assessment.answers import parse_answers
from ecozone.assessment.documents import result_document
from ecozone.assessment.engine import AssessmentInputs, assess
from ecozone.assessment.forms import form_rows, write_form_a5
from ecozone.assessment.reports import write_report
from ecozone.assessment.roadmap import build_roadmap
from ecozone.assessment.rulebook import load_rulebook
from ecozone.errors import FileFormatError
from tests.assessment.factories import certificate, snapshot

ON = date(2024, 12, 31)
DECREE_ANSWERS = """\
rulebook: vn-decree-35-2022
answered_by: Phòng Môi trường
answered_on: 2025-01-10
answers:
  symbiosis_links:
    - {firms: [f1, f2], type: input_output_exchange, reference: "HĐ 1"}
    - {firms: [f2, f3], type: shared_infrastructure, reference: "HĐ 2"}
  ghg_monitoring_programme: {present: true, reference: "KH-KNK-2024", date: 2024-02-01}
  io_monitoring_mechanism: {present: false}
  climate_response_plan: {present: true, reference: "KH-BĐKH", date: 2015-06-01}
  eip_support_unit: {present: true, reference: "QĐ 45/QĐ-BQL"}
  is_new_eip: false
  economic_cooperation_plan: {present: true, reference: "KH hợp tác"}
kpis:
  wastewater_reused_share_pct: {value: 7.5, reference: "Sổ vận hành XLNT 2024"}
"""


def _document(rulebook_id: str, answers_text: str | None = None) -> dict[str, Any]:
    rulebook = load_rulebook(rulebook_id)
    park = snapshot(4, [certificate("f1", "iso_14001", date(2023, 1, 1))], is_synthetic=True)
    answers = None if answers_text is None else parse_answers(answers_text, rulebook, today=date(2025, 2, 1))
    result = assess(rulebook, AssessmentInputs(park, ON, answers=answers))
    return result_document(result, build_roadmap(result, park), {f.id: f.name for f in park.firms})


@pytest.fixture(scope="module")
def decree() -> dict[str, Any]:
    return _document("vn-decree-35-2022", DECREE_ANSWERS)


@pytest.mark.parametrize(("lang", "words"), [("en", "Executive summary"), ("vi", "Tóm tắt")])
def test_html_report(tmp_path: Path, decree: dict[str, Any], lang: str, words: str) -> None:
    html = write_report(decree, tmp_path / "r.html", lang).read_text(encoding="utf-8")
    assert words in html
    assert "data:image/png;base64," in html
    assert "http://" not in html and "https://" not in html.replace("https://lawnet", "")  # nothing fetched at run time
    for requirement in ("VN35-37.1c", "A5-PM.2", "B5-SOC.1"):
        assert requirement in html
    assert "†" in html  # unverified thresholds are marked
    assert ("SYNTHETIC DATA" if lang == "en" else "DỮ LIỆU GIẢ LẬP") in html


def test_docx_report(tmp_path: Path, decree: dict[str, Any]) -> None:
    from docx import Document

    doc = Document(str(write_report(decree, tmp_path / "r.docx", "vi")))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert "Lộ trình" in headings
    assert "Ngưỡng chưa kiểm chứng" in headings
    assert len(doc.inline_shapes) == 1  # the scorecard chart
    unverified = doc.tables[-1]
    assert len(unverified.rows) == 1 + len(decree["unverified_thresholds"])


@pytest.mark.slow
def test_pdf_report_renders_offline(tmp_path: Path) -> None:
    document = _document("eip-framework-v2")
    path = write_report(document, tmp_path / "r.pdf", "en")
    assert path.read_bytes().startswith(b"%PDF")
    assert path.stat().st_size > 10_000


def test_unknown_report_format(tmp_path: Path, decree: dict[str, Any]) -> None:
    with pytest.raises(FileFormatError):
        write_report(decree, tmp_path / "r.odt", "en")


def test_form_a5_rows(decree: dict[str, Any]) -> None:
    rows = form_rows(decree)
    assert [row["code"] for row in rows] == [
        "ENV.1", "ENV.3", "ENV.4", "ENV.5", "ENV.6",
        "PM.1", "PM.2", "PM.3", "PM.4",
        "SOC.3", "SOC.5", "SOC.7",
        "ECO.1", "ECO.2", "ECO.3", "ECO.4", "ECO.5", "ECO.6",
    ]  # fmt: skip
    values = {row["code"]: row["value"] for row in rows}
    assert values["ENV.1"] == "2"  # two links
    assert values["ENV.3"] == "7,5"  # entered KPI, Vietnamese decimal comma
    assert values["ENV.4"] == "Có"
    assert values["ENV.5"] == "Không"
    assert values["PM.2"] == "Không"  # plan from 2015: older than 7 years
    assert values["PM.4"] == "Không áp dụng"  # not a new EIP
    assert values["SOC.3"] == "Chưa có dữ liệu"
    assert {row["section"] for row in rows} == {"I", "II", "III", "IV"}


def test_form_a5_docx_opened_and_checked(tmp_path: Path, decree: dict[str, Any]) -> None:
    from docx import Document

    path = write_form_a5(decree, tmp_path / "a5.docx", 2024, "Demo Development JSC")
    doc = Document(str(path))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Mẫu A.5" in text
    assert "Năm báo cáo: 2024" in text
    assert "Demo Development JSC" in text
    assert "DỮ LIỆU GIẢ LẬP" in text
    table = doc.tables[0]
    cells = [[cell.text for cell in row.cells] for row in table.rows]
    assert cells[0] == ["STT", "Mã chỉ số", "Chỉ số", "Đơn vị", "Giá trị", "Nguồn số liệu / minh chứng"]
    indicator_rows = [row for row in cells[1:] if row[0]]
    assert len(indicator_rows) == 18
    section_rows = [row[2] for row in cells[1:] if not row[0]]
    assert section_rows == ["I. Môi trường", "II. Quản lý khu công nghiệp", "III. Xã hội", "IV. Kinh tế"]
    by_code = {row[1]: row for row in indicator_rows}
    assert by_code["ENV.1"][4] == "2"
    assert "HĐ 1" in by_code["ENV.1"][5]  # traceable to the link's contract
    assert "Sổ vận hành XLNT 2024" in by_code["ENV.3"][5]
    assert "answers.worker_social_infrastructure" in by_code["SOC.3"][5]
    assert by_code["ENV.4"][2] == "Giám sát giảm phát thải khí nhà kính"
