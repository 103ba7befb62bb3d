"""The assessment commands as a user runs them (on an app built like ``ecozone.cli.main``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import pytest
import typer
from typer.testing import CliRunner

from ecozone.assessment.errors import AnswersError, AssessmentError, RulebookError
from ecozone.cli import assessment as assessment_cli
from ecozone.cli.context import CliState, set_language
from ecozone.registry.files import RawTable
from ecozone.store.registry_store import import_table
from ecozone.store.workspace import Workspace

PARK = {"ma_kcn": "p1", "ten_kcn": "KCN Thử", "tinh": "Bắc Ninh", "loai_hinh": "general", "trang_thai": "operating",
        "tong_dien_tich_ha": 500, "dien_tich_cay_xanh_ha": 60}  # fmt: skip


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


def run(*arguments: str) -> typer.testing.Result:
    return CliRunner().invoke(APP, list(arguments), catch_exceptions=True, env={"COLUMNS": "220"})


@pytest.fixture
def park_workspace(sqlite_workspace: Workspace) -> Workspace:
    import_table(sqlite_workspace, "park", RawTable.from_records("parks", [PARK]))
    firms = [
        {"ma_dn": f"f{i}", "ma_kcn": "p1", "ten_dn": f"DN {i}", "ma_nganh_vsic": "26", "so_lao_dong": 150 * i}
        for i in range(1, 4)
    ]
    import_table(sqlite_workspace, "firm", RawTable.from_records("firms", firms))
    return sqlite_workspace


def test_rulebook_list_and_show() -> None:
    listed = run("rulebook", "list")
    assert listed.exit_code == 0, listed.output
    assert "eip-framework-v2" in listed.output
    shown = run("--lang", "vi", "rulebook", "show", "vn-decree-35-2022")
    assert shown.exit_code == 0, shown.output
    assert "Tiêu chí đối với nhà đầu tư" in shown.output
    assert "VN35-41-FORWARD" in shown.output


def test_rulebook_check(tmp_path: Path) -> None:
    good = tmp_path / "good.yaml"
    text = (Path(__file__).parent / "data" / "custom_rulebook.yaml").read_text(encoding="utf-8")
    good.write_text(text, encoding="utf-8")
    checked = run("rulebook", "check", str(good))
    assert checked.exit_code == 0, checked.output
    assert "is valid: 2 requirement(s)" in checked.output
    bad = tmp_path / "bad.yaml"
    bad.write_text(text.replace("kind: kpi_threshold", "kind: kpi_treshold"), encoding="utf-8")
    failed = run("rulebook", "check", str(bad))
    assert isinstance(failed.exception, RulebookError)
    message = failed.exception.message("en")
    assert f"{bad}:" in message
    assert "Unknown check kind 'kpi_treshold'" in message


def test_questionnaire_yaml_and_xlsx(tmp_path: Path, park_workspace: Workspace) -> None:
    blank = run("assess", "questionnaire", "--rulebook", "eip-framework-v2")
    assert blank.exit_code == 0, blank.output
    assert blank.output.startswith("# Bảng hỏi đánh giá ecozone / ecozone assessment questionnaire")
    assert "pme_mandate:" in blank.output
    with_park = run(
        "--workspace", str(park_workspace.path), "assess", "questionnaire", "--rulebook", "eip-framework-v2", "--park", "p1"
    )
    assert "#   f2: DN 2" in with_park.output
    xlsx = run("assess", "questionnaire", "--rulebook", "vn-decree-35-2022", "--xlsx", str(tmp_path / "q.xlsx"))
    assert xlsx.exit_code == 0, xlsx.output
    assert (tmp_path / "q.xlsx").is_file()


ANSWERS_2023 = """\
rulebook: eip-framework-v2
park: p1
answered_by: Nguyễn Văn A
answered_on: 2024-01-10
answers:
  pme_mandate: {present: true, reference: "QĐ 1", date: 2020-01-01}
  firms_environmental_compliance: [f1, f2]
"""


def test_assess_store_diff_report(tmp_path: Path, park_workspace: Workspace) -> None:
    workspace = str(park_workspace.path)
    first_answers = tmp_path / "answers-2023.yaml"
    first_answers.write_text(ANSWERS_2023, encoding="utf-8")
    first = run(
        "--workspace",
        workspace,
        "assess",
        "--park",
        "p1",
        "--rulebook",
        "eip-framework-v2",
        "--answers",
        str(first_answers),
        "--year",
        "2023",
    )
    assert first.exit_code == 0, first.output
    assert "Stored as run #1" in first.output
    assert "ENV-EM-1 ★" in first.output  # 2 of 3 firms comply: a prerequisite not met
    second_answers = tmp_path / "answers-2024.yaml"
    second_answers.write_text(
        ANSWERS_2023.replace("[f1, f2]", "[f1, f2, f3]").replace("2024-01-10", "2025-01-10"), encoding="utf-8"
    )
    report = tmp_path / "report.html"
    second = run(
        "--workspace", workspace, "--lang", "vi", "assess", "--park", "p1", "--rulebook", "eip-framework-v2",
        "--answers", str(second_answers), "--year", "2024", "--report", str(report),
    )  # fmt: skip
    assert second.exit_code == 0, second.output
    assert "Đã lưu lần đánh giá #2" in second.output
    assert "Báo cáo đánh giá" in report.read_text(encoding="utf-8")
    diff = run("--workspace", workspace, "assess", "diff", "--park", "p1", "--rulebook", "eip-framework-v2", "--json")
    assert diff.exit_code == 0, diff.output
    changes = json.loads(diff.output)
    assert {c["requirement_id"]: (c["before"], c["after"]) for c in changes["changes"]}["ENV-EM-1"] == ("not_met", "met")
    # without --answers the last stored answers are used
    again = run(
        "--workspace",
        workspace,
        "assess",
        "--park",
        "p1",
        "--rulebook",
        "eip-framework-v2",
        "--year",
        "2024",
        "--json",
        "--no-store",
    )
    document = json.loads(again.stdout)
    assert document["inputs"]["answers"]["answered_by"] == "Nguyễn Văn A"
    assert next(r for r in document["requirements"] if r["id"] == "ENV-EM-1")["verdict"] == "met"


def test_bad_inputs_are_precise_errors(tmp_path: Path, park_workspace: Workspace) -> None:
    workspace = str(park_workspace.path)
    answers = tmp_path / "a.yaml"
    answers.write_text(
        ANSWERS_2023.replace("  pme_mandate:", "  PM-SV-99: {present: true, reference: X}\n  pme_mandate:"), encoding="utf-8"
    )
    result = run("--workspace", workspace, "assess", "--park", "p1", "--rulebook", "eip-framework-v2", "--answers", str(answers))
    assert isinstance(result.exception, AnswersError)
    assert "a.yaml:6" in result.exception.message("en")
    missing = run("--workspace", workspace, "assess", "--park", "p1")
    assert isinstance(missing.exception, AssessmentError)
    unknown = run("--workspace", workspace, "assess", "--park", "p1", "--rulebook", "leed-v5")
    assert "No rulebook 'leed-v5'" in str(unknown.exception)
    only_one = run("--workspace", workspace, "assess", "diff", "--park", "p1", "--rulebook", "eip-framework-v2")
    assert isinstance(only_one.exception, AssessmentError)


def test_park_without_firms_is_not_enough_data(tmp_path: Path, sqlite_workspace: Workspace) -> None:
    import_table(sqlite_workspace, "park", RawTable.from_records("parks", [PARK]))
    result = run("--workspace", str(sqlite_workspace.path), "assess", "--park", "p1", "--rulebook", "eip-framework-v2", "--json")
    document = json.loads(result.stdout)
    share = next(r for r in document["requirements"] if r["id"] == "ENV-EM-3")
    assert share["verdict"] == "not_enough_data"
    assert share["missing"] == ["park.firms"]
    assert "assessment.finding.no_firms" in {f["code"] for f in document["findings"]}


def test_form_a5_command(tmp_path: Path, park_workspace: Workspace) -> None:
    output = tmp_path / "a5.docx"
    result = run(
        "--workspace", str(park_workspace.path), "report", "form-a5", "--park", "p1", "--year", "2024", "--output", str(output)
    )
    assert result.exit_code == 0, result.output
    assert output.is_file()


def test_demo_step_writes_a_report_per_rulebook(sqlite_workspace: Workspace) -> None:
    from rich.console import Console

    from ecozone.assessment.rulebook import shipped_rulebook_ids
    from ecozone.cli.demo import build_registry

    build_registry(sqlite_workspace, 20240101)
    console = Console(record=True, width=200)
    assessment_cli.demo_step(CliState(str(sqlite_workspace.path), None, "en"), sqlite_workspace, console)
    printed = console.export_text()
    for rulebook_id in shipped_rulebook_ids():
        report = sqlite_workspace.path / "reports" / f"assessment-{rulebook_id}.html"
        assert report.is_file()
        assert str(report) in printed
        assert "SYNTHETIC ANSWERS" in report.read_text(encoding="utf-8")
