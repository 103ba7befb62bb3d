"""Forms B5 and A.4 (Decree 35/2022 Art. 43): values worked out by hand, DOCX opened and read back, the CLI.

The crafted park has four firms (50, 150, 300 and 120 workers), a registry with 500 ha of land
(350 industrial, 280 leased, 60 green), answers naming the firms behind each B5 indicator and
three symbiosis links, and an A.4 data file; every expected value below is computed by hand
from those numbers.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
import typer
import yaml
from docx import Document
from typer.testing import CliRunner

from ecozone.assessment.answers import parse_answers
from ecozone.assessment.engine import AssessmentInputs
from ecozone.assessment.errors import AnswersError
from ecozone.assessment.forms import FormError, source_text, value_text
from ecozone.assessment.forms_b5_a4 import (
    FormDataError,
    MeasuredSavings,
    PotentialExchange,
    SymbiosisPotential,
    a4_catalogue,
    a4_template,
    form_a4,
    form_b5,
    parse_a4_data,
    write_form_a4,
    write_form_b5,
)
from ecozone.assessment.kpis import Measurement
from ecozone.assessment.rulebook import load_rulebook
from ecozone.cli import assessment as assessment_cli
from ecozone.cli.context import CliState, set_language
from ecozone.store.snapshot import ParkSnapshot
from ecozone.store.workspace import Workspace
from tests.assessment.factories import certificate, firm, snapshot

TODAY = date(2025, 2, 1)
ON = date(2024, 12, 31)
RULEBOOK = load_rulebook("vn-decree-35-2022")
GRID_2024 = 0.6811  # tCO2/MWh, research estimate for 2024 (ghg/factor_sets/grid_vn.csv; not official)
GRID_2023 = 0.6592  # tCO2/MWh, official DCC figure for 2023
ANSWERS = """\
rulebook: vn-decree-35-2022
answered_by: Phòng Môi trường
answered_on: 2025-01-10
answers:
  investor_compliance_3y: {present: true, reference: "CV 123/BQL-MT", date: 2024-03-01}
  symbiosis_support: {present: false}
  firms_applying_recp: [f1, f3]
  firms_grievance_rules: [f2, f3]
  firms_disclosure: [f1, f2, f3, f4]
  firms_anti_harassment: [f4]
  symbiosis_links:
    - {firms: [f1, f2], type: input_output_exchange, reference: "HĐ-01/2024"}
    - {firms: [f3, f4], type: other, description: "Dùng chung xe đưa đón công nhân", reference: "TT-02"}
    - {firms: [f2], type: cooperation_other_parks, partners_outside: "Công ty Tái chế X (KCN Y)", reference: "HĐ-03"}
"""
DATA = """\
form: A.4
park: p1
year: 2024
answered_by: Ban Quản lý dự án
answered_on: 2025-01-20
values:
  land_transport_ha: 45.5
  land_technical_ha: 12
  land_social_ha: {value: 8, reference: "QĐ quy hoạch 1/2000"}
  land_total_ha: 999
  legal_compliance: "Không có vi phạm trong năm 2024"
  recp_solutions_n1: 7
  recp_electricity_saved_kwh: {value: 120, unit: MWh, reference: "Báo cáo kiểm toán năng lượng 2024"}
  recp_electricity_cost_mvnd: 250
  recp_water_cost_mvnd: 40
  recp_wastewater_cost_mvnd: 10.5
  recp_waste_reused_cost_mvnd: 0
  recp_waste_recycled_cost_mvnd: 12
  recp_materials_cost_mvnd: 30
  recp_chemicals_cost_mvnd: 5
  symbiosis_planned_n3: 5
"""


def crafted_park(**park_values: Any) -> ParkSnapshot:
    firms = [firm("f1", employees=50), firm("f2", employees=150), firm("f3", employees=300), firm("f4", employees=120)]
    certificates = [
        certificate("f2", "iso_50001", date(2023, 1, 1), certificate_number="EN-2"),
        certificate("f3", "iso_50001", date(2020, 1, 1), date(2022, 12, 31)),
        certificate("f1", "iso_14001", date(2023, 1, 1)),
    ]
    values = {"developer": "Công ty Phát triển KCN Thử", **park_values}
    return snapshot(firms, certificates, **values)


def inputs(park: ParkSnapshot | None = None, answers: str | None = ANSWERS, on: date = ON) -> AssessmentInputs:
    parsed = None if answers is None else parse_answers(answers, RULEBOOK, "answers.yaml", today=TODAY)
    return AssessmentInputs(park or crafted_park(), on, {}, parsed)


def data(text: str = DATA, year: int = 2024) -> Any:
    return parse_a4_data(text, "p1", year, "a4.yaml", today=TODAY)


def b5_table(path: Path) -> dict[str, list[str]]:
    """Rows of the B5 table by indicator code."""
    table = Document(str(path)).tables[0]
    return {row.cells[1].text: [cell.text for cell in row.cells] for row in table.rows[1:] if row.cells[0].text}


def a4_table(path: Path) -> dict[tuple[str, str], tuple[str, str]]:
    """(part, code) → (value, source) from the three part tables of form A.4."""
    tables = Document(str(path)).tables[:3]
    found = {}
    for part, table in zip(("I", "II", "III"), tables, strict=True):
        for row in table.rows[1:]:
            cells = [cell.text for cell in row.cells]
            if cells[0]:
                found[(part, cells[0])] = (cells[2], cells[3])
    return found


def all_text(path: Path) -> str:
    doc = Document(str(path))
    cells = [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


# =========================================================================== form B5


def test_b5_park_shares_by_hand() -> None:
    form = form_b5(RULEBOOK, inputs(), 2024)
    rows = {row.code: row for row in form.rows}
    assert list(rows) == ["ENV.2", "SOC.1", "SOC.2", "SOC.4", "SOC.6"]
    assert [row.section for row in form.rows] == ["I", "II", "II", "II", "II"]
    assert rows["ENV.2"].park.value == pytest.approx(100 * 2 / 4)  # f1, f3 of 4 firms
    assert rows["SOC.1"].park.value == pytest.approx(100 * 2 / 3)  # f2, f3 of the 3 firms above 100 workers
    assert rows["SOC.2"].park.value == pytest.approx(100.0)
    assert rows["SOC.6"].park.value == pytest.approx(25.0)
    soc4 = rows["SOC.4"].park
    assert soc4.value is None and soc4.status == "missing"
    assert soc4.missing == ("answers.firms_gender_equality",)
    assert all(row.threshold is not None and row.threshold.status == "unverified" for row in form.rows)
    assert rows["ENV.2"].threshold is not None and rows["ENV.2"].threshold.value == 20
    assert form.missing_count == 1


def test_b5_docx_for_the_park(tmp_path: Path) -> None:
    path = write_form_b5(form_b5(RULEBOOK, inputs(), 2024), tmp_path / "b5.docx")
    rows = b5_table(path)
    assert [rows[code][4] for code in ("ENV.2", "SOC.1", "SOC.2", "SOC.4", "SOC.6")] == [
        "50",
        "66,7",
        "100",
        "Chưa có dữ liệu",
        "25",
    ]
    assert rows["ENV.2"][5] == "≥ 20 % †"
    assert rows["SOC.1"][5] == "≥ 75 % †"
    assert "thiếu: answers.firms_gender_equality" in rows["SOC.4"][6]
    assert "2/3 doanh nghiệp đáp ứng: f2, f3" in rows["SOC.1"][6]
    assert "3 doanh nghiệp thỏa employees > 100" in rows["SOC.1"][6]
    assert "firms_applying_recp (trả lời bởi Phòng Môi trường ngày 2025-01-10, tệp answers.yaml)" in rows["ENV.2"][6]
    text = all_text(path)
    assert "CÁC CHỈ SỐ ĐÁNH GIÁ HIỆU QUẢ MÔI TRƯỜNG, XÃ HỘI CỦA DOANH NGHIỆP SINH THÁI" in text
    assert "I. MÔI TRƯỜNG" in text and "II. XÃ HỘI" in text
    assert "chưa đối chiếu với phụ lục" in text  # the layout note, in Vietnamese ...
    assert "has not been checked against the appendix" in text  # ... and in English
    assert "† SOC.6: portal specification value range 75–100 %" in text


def test_b5_for_a_firm(tmp_path: Path) -> None:
    metrics = {"renewable_energy_share_pct": Measurement(12.5, "%", "meters", "ecozone kpi --park p1 --year 2024")}
    form = form_b5(RULEBOOK, inputs(), 2024, "f1", metrics)
    firm_cells = {row.code: row.firm for row in form.rows}
    assert firm_cells["ENV.2"] is not None and firm_cells["ENV.2"].value is True
    assert firm_cells["SOC.1"] is not None and firm_cells["SOC.1"].status == "not_applicable"  # 50 workers
    assert firm_cells["SOC.4"] is not None and firm_cells["SOC.4"].status == "not_applicable"
    assert firm_cells["SOC.6"] is not None and firm_cells["SOC.6"].value is False
    path = write_form_b5(form, tmp_path / "b5-f1.docx")
    rows = b5_table(path)
    assert [rows[code][3] for code in ("ENV.2", "SOC.1", "SOC.2", "SOC.4", "SOC.6")] == [
        "Có",
        "Không áp dụng",
        "Có",
        "Không áp dụng",
        "Không",
    ]
    assert rows["ENV.2"][4] == "50"  # the park's share beside the firm's status
    assert "firm.f1.employees = 50" in rows["SOC.1"][6]
    text = all_text(path)
    assert "Doanh nghiệp: Firm f1 (mã f1); ngành VSIC 26; số lao động 50" in text
    assert "iso_14001" in text
    assert "Tỷ lệ năng lượng tái tạo" in text and "12,5" in text  # the firm's measured KPI in the annex


def test_b5_firm_with_unanswered_indicator_and_unknown_workforce() -> None:
    park = crafted_park()
    park = ParkSnapshot(park.park, (*park.firms, firm("f5", employees=None)), (), park.certifications)
    form = form_b5(RULEBOOK, inputs(park), 2024, "f5")
    rows = {row.code: row for row in form.rows}
    soc1 = rows["SOC.1"]
    assert soc1.park.value is None  # f5 may or may not count: 2/3 or 2/4
    assert soc1.park.missing == ("firm.f5.employees",)
    assert "50–66,7 %" in source_text(soc1.park, "vi")
    assert soc1.firm is not None and soc1.firm.missing == ("firm.f5.employees",)
    assert value_text(soc1.firm, "en") == "Not enough data"
    assert rows["ENV.2"].park.value == pytest.approx(100 * 2 / 5)


def test_b5_without_answers_and_without_large_firms() -> None:
    small = snapshot([firm("f1", employees=20), firm("f2", employees=80)])
    rows = {row.code: row for row in form_b5(RULEBOOK, inputs(small, None), 2024).rows}
    assert rows["ENV.2"].park.missing == ("answers.firms_applying_recp",)
    assert rows["SOC.1"].park.status == "not_applicable"  # no firm above 100 workers
    assert value_text(rows["SOC.1"].park, "vi") == "Không áp dụng"
    assert "không có doanh nghiệp nào thỏa employees > 100" in source_text(rows["SOC.1"].park, "vi")


def test_b5_refuses_unknown_firm_and_other_rulebook() -> None:
    with pytest.raises(FormError, match="Firm f9 is not in park p1"):
        form_b5(RULEBOOK, inputs(), 2024, "f9")
    with pytest.raises(FormError, match="not eip-framework-v2"):
        form_b5(load_rulebook("eip-framework-v2"), inputs(answers=None), 2024)


# =========================================================================== form A.4


def test_a4_catalogue_follows_the_specification() -> None:
    catalogue = a4_catalogue()
    assert catalogue.status == "unverified"
    assert "UC341-346" in catalogue.source
    refs = [item.ref for item in catalogue.fields]
    assert len(refs) == len(set(refs))
    assert {item.part for item in catalogue.fields} == {"I", "II", "III"}
    assert catalogue.field("recp_total_cost_mvnd").sum_of == (
        "recp_electricity_cost_mvnd",
        "recp_water_cost_mvnd",
        "recp_wastewater_cost_mvnd",
        "recp_waste_reused_cost_mvnd",
        "recp_waste_recycled_cost_mvnd",
        "recp_materials_cost_mvnd",
        "recp_chemicals_cost_mvnd",
    )  # 1.3.16 = 1.2.6 + 1.3.3 + 1.3.5 + 1.3.9 + 1.3.11 + 1.3.13 + 1.3.15 (SRS UC341-346)
    assert [catalogue.field(k).code for k in catalogue.field("is_total_cost_mvnd").sum_of] == [
        "3.5",
        "3.10",
        "3.12",
        "3.14",
        "3.16",
        "3.18",
        "3.20",
        "3.24",
    ]
    assert all(item.label_vi and item.label_en for item in catalogue.fields)


def test_a4_values_by_hand() -> None:
    form = form_a4(RULEBOOK, inputs(), 2024, data())
    value = {line.field.key: line.cell.value for line in form.lines}
    assert value["land_total_ha"] == 500  # the registry wins over the entered 999
    assert value["land_green_pct"] == pytest.approx(12.0)  # 60 / 500
    assert value["land_transport_pct"] == pytest.approx(9.1)  # 45.5 / 500
    assert value["land_technical_pct"] == pytest.approx(2.4)
    assert value["land_social_pct"] == pytest.approx(1.6)
    assert value["land_industrial_pct"] == pytest.approx(70.0)  # 350 / 500
    assert value["land_leased_pct"] == pytest.approx(80.0)  # 280 / 350
    assert value["investor_name"] == "Công ty Phát triển KCN Thử"
    assert value["project_location"] == "Thành phố Hồ Chí Minh"
    assert value["legal_compliance"] == "Không có vi phạm trong năm 2024"  # entry first for this text
    assert value["recp_firms_n1"] == 2
    assert value["recp_solutions_n1"] == 7
    assert value["recp_electricity_saved_kwh"] == pytest.approx(120_000)  # 120 MWh converted
    assert value["recp_electricity_co2_t"] == pytest.approx(120 * GRID_2024)
    assert value["recp_total_cost_mvnd"] == pytest.approx(250 + 40 + 10.5 + 0 + 12 + 30 + 5)
    assert value["symbiosis_links_n1"] == 3
    assert [
        value[f"symbiosis_type_{kind}"] for kind in ("input_output_exchange", "shared_infrastructure", "business_services")
    ] == [
        True,
        False,
        False,
    ]
    assert value["symbiosis_type_cooperation_other_parks"] is True
    assert value["symbiosis_type_other"] is True
    assert value["symbiosis_other_description"] == "Dùng chung xe đưa đón công nhân"
    assert value["symbiosis_evidence"] == "HĐ-01/2024 (f1, f2); TT-02 (f3, f4); HĐ-03 (f2)"
    assert value["symbiosis_firms_same_park"] == "Firm f1 (f1), Firm f2 (f2), Firm f3 (f3), Firm f4 (f4)"
    assert value["symbiosis_firms_other_parks"] == "Công ty Tái chế X (KCN Y)"
    assert value["symbiosis_planned_n3"] == 5
    cells = {line.field.key: line.cell for line in form.lines}
    assert value_text(cells["energy_management_system"], "vi") == "ISO 50001 (chứng chỉ còn hiệu lực): 1 đơn vị — Firm f2"
    assert value_text(cells["symbiosis_investor_support"], "vi") == "Chưa có dịch vụ hỗ trợ cộng sinh"
    assert cells["recp_electricity_co2_t"].unverified  # the 2024 grid factor is a research estimate
    assert "giá trị kê khai 999 không dùng" in source_text(cells["land_total_ha"], "vi")
    assert cells["recp_electricity_cost_mvnd"].sources[0].kind == "data_file"
    assert "Báo cáo kiểm toán năng lượng 2024" in source_text(cells["recp_electricity_saved_kwh"], "vi")
    assert cells["recp_other_fuels"].missing == ("a4.recp_other_fuels",)
    assert cells["symbiosis_investor_support"].sources[0].kind == "answers"


def test_a4_official_grid_factor_is_not_marked() -> None:
    form = form_a4(RULEBOOK, inputs(on=date(2023, 12, 31)), 2023, data(DATA.replace("year: 2024", "year: 2023"), 2023))
    cell = form.line("recp_electricity_co2_t").cell
    assert cell.value == pytest.approx(120 * GRID_2023)
    assert not cell.unverified


def test_a4_total_needs_every_part() -> None:
    form = form_a4(RULEBOOK, inputs(), 2024, data(DATA.replace("  recp_chemicals_cost_mvnd: 5\n", "")))
    total = form.line("recp_total_cost_mvnd").cell
    assert total.value is None
    assert total.missing == ("a4.recp_chemicals_cost_mvnd",)
    assert "342,5" in source_text(total, "vi")  # the parts with data, said to be not the total
    assert "III.1.3.16" in form.missing_fields


def test_a4_measured_savings_win_over_entered_values() -> None:
    savings = MeasuredSavings(50_000.0, 500_000.0, 4_000.0, ("m1", "m2"), date(2024, 9, 1), date(2024, 12, 31))
    text = DATA + "  recp_electricity_co2_t: 99\n"
    form = form_a4(RULEBOOK, inputs(), 2024, data(text), savings)
    kwh = form.line("recp_electricity_saved_kwh").cell
    assert kwh.value == pytest.approx(50_000)
    assert kwh.sources[0].kind == "baselines"
    assert "giá trị kê khai 120000 không dùng" in source_text(kwh, "vi")
    assert "công tơ m1, m2, 2024-09-01–2024-12-31" in source_text(kwh, "vi")
    assert form.line("recp_electricity_saving_pct").cell.value == pytest.approx(10.0)
    co2 = form.line("recp_electricity_co2_t").cell
    assert co2.value == pytest.approx(50 * GRID_2024)  # computed from the measured saving, not the entered 99
    assert "giá trị kê khai 99 không dùng" in source_text(co2, "vi")


def test_a4_without_data_file_or_answers_is_not_enough_data() -> None:
    form = form_a4(RULEBOOK, inputs(answers=None), 2024)
    cells = {line.field.key: line.cell for line in form.lines}
    assert cells["land_green_pct"].value == pytest.approx(12.0)  # the registry alone
    assert cells["recp_firms_n1"].missing == ("answers.firms_applying_recp", "a4.recp_firms_n1")
    assert cells["symbiosis_type_other"].missing == ("answers.symbiosis_links", "a4.symbiosis_type_other")
    assert cells["land_transport_pct"].missing == ("a4.land_transport_ha",)
    assert cells["recp_electricity_saved_kwh"].missing == ("baselines.savings", "a4.recp_electricity_saved_kwh")
    assert cells["recp_total_cost_mvnd"].value is None
    assert all(cell.value != 0 for cell in cells.values() if cell.missing)


def test_a4_refuses_answers_naming_firms_outside_the_park() -> None:
    with pytest.raises(AnswersError) as raised:
        form_a4(RULEBOOK, inputs(snapshot([firm("f1"), firm("f2")])), 2024)
    assert {problem.params["firm"] for problem in raised.value.problems} == {"f3", "f4"}


@pytest.mark.parametrize(("lang", "no_data"), [("vi", "Chưa có dữ liệu"), ("en", "Not enough data")])
def test_a4_docx_read_back(tmp_path: Path, lang: str, no_data: str) -> None:
    potential = SymbiosisPotential(
        "optimal",
        (PotentialExchange("f1: Xỉ than", "f2: Cốt liệu gạch", 2400.0, "t", -0.01, 885_254_340.4),),
        {"links": 1.0, "tco2e_avoided": -0.01},
    )
    path = write_form_a4(form_a4(RULEBOOK, inputs(), 2024, data(), potential=potential), tmp_path / "a4.docx", lang)
    rows = a4_table(path)
    decimal = "," if lang == "vi" else "."
    assert rows[("I", "2.5.1")][0] == "500"
    assert rows[("I", "2.5.3")][0] == "12"
    assert rows[("I", "2.5.5")][0] == f"9{decimal}1"
    assert rows[("III", "1.1.3")][0] == "2"
    assert rows[("III", "1.2.5")][0] == f"81{decimal}7 †"  # 120 MWh × 0.6811, unverified factor
    assert rows[("III", "1.3.16")][0] == f"347{decimal}5"
    assert rows[("III", "2.1.2")][0] == "☒" and rows[("III", "2.1.3")][0] == "☐"
    assert rows[("III", "3.2")][0] == no_data  # never 0
    assert "a4.is_electricity_saved_kwh" in rows[("III", "3.2")][1]
    assert "grid_vn/2024" in rows[("III", "1.2.5")][1]
    text = all_text(path)
    assert "chưa đối chiếu với phụ lục" in text and "not been checked against the appendix" in text
    assert ("[N-1 = 2024]" in text) and ("[N+3 = 2028]" in text)
    assert "f1: Xỉ than" in text
    assert ("2.400 t" if lang == "vi" else "2,400 t") in text
    assert "-0" not in [cell for row in Document(str(path)).tables[-1].rows for cell in (c.text for c in row.cells)]


def test_a4_data_file_problems_have_lines() -> None:
    text = """\
form: A.4
park: p1
year: 2023
answered_by: X
answered_on: 2099-01-01
colour: red
values:
  land_transprot_ha: 4
  land_green_pct: 12
  recp_water_saved_m3: -5
  recp_electricity_saving_pct: 140
  recp_electricity_saved_kwh: {value: 3, unit: furlong}
  symbiosis_type_other: "yes"
  recp_solutions_n1: 2.5
"""
    with pytest.raises(FormDataError) as raised:
        parse_a4_data(text, "p1", 2024, "bad.yaml", today=TODAY)
    found = {(problem.key, problem.line) for problem in raised.value.problems}
    assert found == {
        ("forms.a4_data.wrong_year", 3),
        ("assessment.answers.future_date", 5),
        ("forms.a4_data.unknown_top_key", 6),
        ("forms.a4_data.unknown_field", 8),
        ("forms.a4_data.computed_field", 9),
        ("assessment.answers.wrong_type", 10),
        ("forms.a4_data.percent_range", 11),
        ("assessment.answers.unit", 12),
        ("assessment.answers.wrong_type", 13),
        ("assessment.answers.wrong_type", 14),
    }
    message = raised.value.message("en")
    assert "bad.yaml:8" in message and "did you mean 'land_transport_ha'" in message


def test_a4_template_lists_every_field_and_parses_once_filled() -> None:
    template = a4_template("p1", 2024)
    entered = [item.key for item in a4_catalogue().inputs]
    for key in entered:
        assert f"  {key}: null" in template
    assert "land_green_pct" not in template  # computed
    filled = template.replace("answered_by: null", "answered_by: A").replace("answered_on: null", "answered_on: 2025-01-02")
    parsed = parse_a4_data(filled, "p1", 2024, today=TODAY)
    assert parsed.values == {}
    with pytest.raises(FormError, match="not for park p1, year 2023"):
        form_a4(RULEBOOK, inputs(), 2023, parsed)


# =========================================================================== CLI


def make_app() -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def root(
        ctx: typer.Context,
        workspace: Annotated[str | None, typer.Option("--workspace")] = None,
        lang: Annotated[str | None, typer.Option("--lang")] = None,
    ) -> None:
        ctx.obj = CliState(workspace, None, set_language(lang))

    assessment_cli.register(app)
    return app


APP = make_app()


def run(*arguments: str) -> Any:
    return CliRunner().invoke(APP, list(arguments), catch_exceptions=True, env={"COLUMNS": "200"})


@pytest.fixture(scope="module")
def demo_workspace(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Workspace, Path, dict[str, Any]]]:
    """The demo registry (``build_registry``) and SYNTHETIC answers for the demo park."""
    from ecozone.assessment.synthetic import synthetic_answers
    from ecozone.cli.demo import build_registry
    from ecozone.store.database import dispose_engine
    from ecozone.store.registry_store import load_park
    from ecozone.store.workspace import resolve_workspace

    folder = tmp_path_factory.mktemp("forms")
    workspace = resolve_workspace(folder / "ws")
    build_registry(workspace, 20240101)
    answers = folder / "answers.yaml"
    text = synthetic_answers(RULEBOOK, load_park(workspace, "demo"), ON)
    answers.write_text(text, encoding="utf-8")
    yield workspace, answers, yaml.safe_load(text)["answers"]
    dispose_engine(workspace.database_url)


def test_cli_form_b5_for_a_firm(
    tmp_path: Path, demo_workspace: tuple[Workspace, Path, dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    workspace, answers, answered = demo_workspace
    calls: list[ParkSnapshot] = []

    def provider(_: Workspace, scope: ParkSnapshot, on: date) -> dict[str, Measurement]:
        calls.append(scope)
        return {"renewable_energy_share_pct": Measurement(float(len(scope.firms)), "%", "meters", f"{on.year}")}

    monkeypatch.setattr(assessment_cli, "METRIC_PROVIDERS", [provider])
    firm_id = "demo-f03"
    output = tmp_path / "b5.docx"
    result = run(
        "--workspace", str(workspace.path), "--lang", "vi", "report", "form-b5", "--park", "demo", "--firm", firm_id,
        "--year", "2024", "--answers", str(answers), "-o", str(output),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert str(output) in result.output
    assert "chưa đối chiếu với phụ lục" in result.output
    assert "5 ngưỡng tham chiếu chưa được kiểm chứng" in result.output
    firm_scoped = calls[-1]
    assert [f.id for f in firm_scoped.firms] == [firm_id]
    assert firm_scoped.meters and {m.firm_id for m in firm_scoped.meters} == {firm_id}
    assert len(calls[0].firms) == 60  # the park's own measured KPIs
    rows = b5_table(output)
    recp = answered["firms_applying_recp"]
    assert rows["ENV.2"][3] == ("Có" if firm_id in recp else "Không")
    share = f"{100 * len(recp) / 60:.1f}".replace(".", ",").removesuffix(",0")
    assert rows["ENV.2"][4] == share
    text = all_text(output)
    assert "DỮ LIỆU GIẢ LẬP" in text
    assert "Phụ lục: số liệu đo đạc của doanh nghiệp năm 2024" in text


def test_cli_form_b5_for_the_park_and_errors(tmp_path: Path, demo_workspace: tuple[Workspace, Path, dict[str, Any]]) -> None:
    workspace, answers, answered = demo_workspace
    output = tmp_path / "b5-park.docx"
    base = ("--workspace", str(workspace.path), "report", "form-b5", "--park", "demo", "--year", "2024")
    result = run(*base, "--answers", str(answers), "-o", str(output))
    assert result.exit_code == 0, result.output
    header = [cell.text for cell in Document(str(output)).tables[0].rows[0].cells]
    assert header[3:5] == ["Đơn vị", "Giá trị"]
    disclosure = b5_table(output)["SOC.2"][4]
    assert disclosure == f"{100 * len(answered['firms_disclosure']) / 60:.1f}".replace(".", ",").removesuffix(",0")
    unknown = run(*base, "--firm", "nobody")
    assert isinstance(unknown.exception, FormError)
    assert "Firm nobody is not in park demo" in str(unknown.exception)


def test_cli_form_a4_with_template_and_data(tmp_path: Path, demo_workspace: tuple[Workspace, Path, dict[str, Any]]) -> None:
    workspace, answers, answered = demo_workspace
    template = tmp_path / "a4-data.yaml"
    base = ("--workspace", str(workspace.path), "report", "form-a4", "--park", "demo", "--year", "2024")
    written = run(*base, "--template", str(template))
    assert written.exit_code == 0, written.output
    filled = yaml.safe_load(template.read_text(encoding="utf-8"))
    filled.update(answered_by="Phòng Kế hoạch", answered_on="2025-01-15")
    filled["values"]["land_transport_ha"] = 60
    template.write_text(yaml.safe_dump(filled, allow_unicode=True), encoding="utf-8")
    output = tmp_path / "a4.docx"
    result = run(*base, "--answers", str(answers), "--data", str(template), "--no-potential", "-o", str(output))
    assert result.exit_code == 0, result.output
    assert "not been checked against the appendix" in result.output
    assert "field(s) without enough data: I.1.2" in result.output
    rows = a4_table(output)
    assert rows[("I", "2.5.1")][0] == "600"  # demo park: 600 ha
    assert rows[("I", "2.5.5")][0] == "10"  # 60 / 600
    assert rows[("I", "2.5.3")][0] == "11"  # 66 / 600
    assert rows[("III", "2.1.1")][0] == str(len(answered["symbiosis_links"]))
    assert rows[("III", "1.1.3")][0] == str(len(answered["firms_applying_recp"]))
    assert "Phòng Kế hoạch" in rows[("I", "2.5.4")][1]
    bad = tmp_path / "bad.yaml"
    bad.write_text("form: A.4\npark: demo\nyear: 2024\nanswered_by: X\nanswered_on: 2025-01-01\nvalues:\n  land_total: 5\n")
    refused = run(*base, "--data", str(bad))
    assert isinstance(refused.exception, FormDataError)
    assert f"{bad}:7" in refused.exception.message("en")


def test_cli_form_a4_annexes_the_optimised_symbiosis(
    tmp_path: Path, demo_workspace: tuple[Workspace, Path, dict[str, Any]]
) -> None:
    from ecozone.demo.streams import demo_streams
    from ecozone.registry.files import RawTable
    from ecozone.store.registry_store import load_park
    from ecozone.store.symbiosis_store import import_streams

    workspace, _, _ = demo_workspace
    import_streams(workspace, RawTable.from_records("demo-streams", demo_streams(load_park(workspace, "demo"))))
    potential = assessment_cli.symbiosis_potential(workspace, "demo")
    assert potential is not None and potential.status == "optimal"
    assert potential.metrics["links"] == len(potential.exchanges) > 0
    output = tmp_path / "a4.docx"
    result = run("--workspace", str(workspace.path), "report", "form-a4", "--park", "demo", "--year", "2024", "-o", str(output))
    assert result.exit_code == 0, result.output
    assert f"{len(potential.exchanges)} potential exchange(s)" in result.output
    exchanges = Document(str(output)).tables[-1]
    assert len(exchanges.rows) == 1 + len(potential.exchanges)
    assert "chưa thực hiện" in all_text(output)


# --------------------------------------------------------------------------- measured data: baselines and meters

FIRM, METER = "demo-f24", "demo-f24-electricity"


def _daily_readings() -> tuple[pd.DataFrame, float]:
    """Daily kWh of 2024–2025, 10 % saved over 2025, and the true 2025 saving [kWh] (holiday calendars: 2024–2025)."""
    rng = np.random.default_rng(11)
    days = pd.date_range("2024-01-01", "2025-12-31", freq="D")
    temperature = 27.5 + 1.5 * np.sin(2 * np.pi * (np.arange(days.size) - 60) / 365.5) + rng.normal(0, 1.0, days.size)
    counterfactual = 50_000 + 4_000 * (temperature - 22.0) - np.where(days.day_of_week == 6, 15_000, 0)
    saving = days >= pd.Timestamp("2025-01-01")
    energy = counterfactual * np.where(saving, 0.9, 1.0) + rng.normal(0, 800, days.size)
    return pd.DataFrame({"date": days, "temperature_c": temperature, "energy": energy}), float(
        (counterfactual - energy)[saving].sum()
    )


@pytest.fixture
def metered(sqlite_workspace: Workspace, tmp_path: Path) -> tuple[Workspace, float]:
    """One firm of the demo park with two years of daily electricity and a baseline fitted on 2024."""
    from ecozone.cli import baselines
    from ecozone.demo.registry import demo_registry
    from ecozone.meters.dataset import write_readings
    from ecozone.registry.files import RawTable
    from ecozone.store.registry_store import import_table

    rows = demo_registry(20240101)
    for entity, records in (
        ("park", [r for r in rows["park"] if r["id"] == "demo"]),
        ("firm", [r for r in rows["firm"] if r["id"] == FIRM]),
        ("meter", [r for r in rows["meter"] if r.get("firm_id") == FIRM]),
    ):
        import_table(sqlite_workspace, entity, RawTable.from_records(entity, records))
    frame, truth = _daily_readings()
    count = len(frame)
    table = pa.table(
        {
            "park_id": ["demo"] * count,
            "meter_id": [METER] * count,
            "firm_id": [FIRM] * count,
            "carrier": ["electricity"] * count,
            "unit": ["kWh"] * count,
            "ts_utc": pa.array((frame["date"] - pd.Timedelta(hours=7)).to_numpy().astype("datetime64[us]")),
            "interval_minutes": pa.array(np.full(count, 1440, dtype=np.int32)),
            "value": frame["energy"].to_numpy(),
            "register_value": pa.array([None] * count, type=pa.float64()),
            "flags": pa.array(np.zeros(count, dtype=np.int16)),
            "source_hash": ["test"] * count,
        }
    )
    write_readings(sqlite_workspace.readings_path, table)
    weather = tmp_path / "weather.csv"
    frame.assign(date=frame["date"].dt.date)[["date", "temperature_c"]].to_csv(weather, index=False)
    app = typer.Typer()

    @app.callback()
    def root() -> None:
        """Test root."""

    baselines.register(app)
    fitted = CliRunner().invoke(
        app,
        [
            "baseline",
            "fit",
            "--firm",
            FIRM,
            "--baseline",
            "2024-01-01:2024-12-31",
            "--drivers",
            "sunday",
            "--weather",
            str(weather),
        ],
        obj=CliState(str(sqlite_workspace.path), sqlite_workspace.database_url, "en"),
    )
    assert fitted.exit_code == 0, fitted.output
    return sqlite_workspace, truth


def test_measured_savings_and_firm_kpis_reach_the_forms(
    tmp_path: Path, metered: tuple[Workspace, float], monkeypatch: pytest.MonkeyPatch
) -> None:
    from ecozone.cli.meters import assessment_metrics
    from ecozone.store.registry_store import load_park

    workspace, truth = metered
    savings = assessment_cli.measured_savings(workspace, load_park(workspace, "demo"), 2025)
    assert savings is not None
    assert savings.meters == (METER,)
    assert (savings.start, savings.end) == (date(2025, 1, 1), date(2025, 12, 31))
    assert savings.savings_kwh == pytest.approx(truth, rel=0.05)
    assert savings.uncertainty_90_kwh is not None and abs(savings.savings_kwh - truth) <= savings.uncertainty_90_kwh
    assert assessment_cli.measured_savings(workspace, load_park(workspace, "demo"), 2024) is None  # 2024 is the baseline
    output = tmp_path / "a4.docx"
    base = ("--workspace", str(workspace.path), "report", "form-a4", "--park", "demo", "--year", "2025", "--no-potential")
    result = run(*base, "-o", str(output))
    assert result.exit_code == 0, result.output
    assert "Electricity savings measured against baselines" in result.output
    value, source = a4_table(output)[("III", "1.2.3")]
    assert value == f"{savings.savings_kwh:,.0f}".replace(",", ".")
    assert METER in source and "2025-01-01–2025-12-31" in source
    monkeypatch.setattr(assessment_cli, "METRIC_PROVIDERS", [assessment_metrics])
    b5 = tmp_path / "b5.docx"
    result = run(
        "--workspace", str(workspace.path), "report", "form-b5", "--park", "demo", "--firm", FIRM, "--year", "2025", "-o", str(b5)
    )
    assert result.exit_code == 0, result.output
    annex = Document(str(b5)).tables[-1]
    months = {row.cells[0].text: row.cells[1].text for row in annex.rows[1:]}
    assert months["Số tháng liên tiếp có số liệu năng lượng đầy đủ"] == "24"  # January 2024 to December 2025
