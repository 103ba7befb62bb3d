"""Green projects: derived figures by hand, validation of imported tables, the lender view, round trip."""

from __future__ import annotations

from pathlib import Path

import pytest

from ecozone.errors import ImportValidationError
from ecozone.projects.pipeline import (
    GreenProject,
    lender_view,
    project_irr,
    projects_from_table,
    read_projects,
    taxonomy_groups,
    write_projects,
)
from ecozone.registry.files import RawTable

PV = GreenProject(
    id="pv-1",
    title="Rooftop PV 2 MWp",
    park_id="demo",
    taxonomy_category="renewable_energy",
    status="seeking_finance",
    capex_vnd=30e9,
    annual_savings_vnd=6e9,
    abated_tco2e_per_year=1500.0,
    lifetime_years=20,
)
LED = GreenProject(
    id="led-1",
    title="LED street lighting",
    park_id="demo",
    taxonomy_category="energy_efficiency",
    status="idea",
    capex_vnd=2e9,
    annual_savings_vnd=0.8e9,
    abated_tco2e_per_year=200.0,
    lifetime_years=10,
)
WWTP = GreenProject(
    id="wwtp-1",
    title="Wastewater reuse",
    park_id="other",
    taxonomy_category="water_wastewater",
    status="feasibility",
    capex_vnd=50e9,
)


def test_irr_by_hand() -> None:
    # 100 now, 50 a year for 3 years: 100 = 50/(1+r) + 50/(1+r)^2 + 50/(1+r)^3
    rate = project_irr(100.0, 50.0, 3)
    assert rate is not None
    assert sum(50.0 / (1 + rate) ** year for year in (1, 2, 3)) == pytest.approx(100.0, abs=1e-6)
    assert rate == pytest.approx(0.2338, abs=1e-4)
    assert project_irr(100.0, 25.0, 4) == pytest.approx(0.0, abs=1e-6)  # savings just repay the capex
    assert project_irr(100.0, 0.0, 5) is None


def test_derived_figures_by_hand() -> None:
    assert PV.lifetime_abatement_tco2e == 30_000.0
    assert PV.abatement_t_per_billion_vnd == pytest.approx(30_000 / 30)  # tCO2e per billion VND
    assert PV.simple_payback_years == pytest.approx(5.0)
    assert PV.irr_pct == pytest.approx(100 * project_irr(30e9, 6e9, 20))  # type: ignore[operator]
    assert WWTP.irr_pct is None and WWTP.abatement_t_per_billion_vnd is None and WWTP.simple_payback_years is None


def test_lender_view_filters_and_ranks() -> None:
    projects = [PV, LED, WWTP]
    # abatement per VND: LED 2000/2 = 1000 t/bn, PV 1000 t/bn: tie broken by id; WWTP has none, last
    assert [p.id for p in lender_view(projects)] == ["led-1", "pv-1", "wwtp-1"]
    assert [p.id for p in lender_view(projects, sort_by="irr")] == ["led-1", "pv-1", "wwtp-1"]
    assert [p.id for p in lender_view(projects, sort_by="capex")] == ["led-1", "pv-1", "wwtp-1"]
    assert [p.id for p in lender_view(projects, categories=["renewable_energy"])] == ["pv-1"]
    assert [p.id for p in lender_view(projects, statuses=["feasibility", "idea"])] == ["led-1", "wwtp-1"]
    assert [p.id for p in lender_view(projects, park_id="other")] == ["wwtp-1"]
    assert [p.id for p in lender_view(projects, min_irr_pct=25.0)] == ["led-1"]


def test_taxonomy_groups_have_sources() -> None:
    groups = taxonomy_groups()
    assert len(groups) == 8 and "unclassified" in groups
    assert all(group.source and group.status in ("verified", "unverified") for group in groups.values())
    assert groups["energy_efficiency"].name("vi") == "Sử dụng năng lượng hiệu quả"


def test_table_validation_reports_every_problem() -> None:
    rows = [
        {
            "id": "ok-1",
            "title": "A",
            "park_id": "demo",
            "taxonomy_category": "Energy efficiency",
            "status": "seeking finance",
            "capex_vnd": "1,000,000",
        },
        {"id": "bad id!", "title": None, "park_id": "demo", "taxonomy_category": "magic", "status": "done", "capex_vnd": "-5"},
        {
            "id": "ok-1",
            "title": "B",
            "park_id": "demo",
            "taxonomy_category": "energy_efficiency",
            "status": "idea",
            "capex_vnd": 10,
            "lifetime_years": 2.5,
        },
        {
            "id": "ok-2",
            "title": "C",
            "park_id": "demo",
            "taxonomy_category": "energy_efficiency",
            "status": "idea",
            "capex_vnd": 10,
            "colour": "red",
        },
    ]
    projects, problems = projects_from_table(RawTable.from_records("p.csv", rows))  # rows numbered from 1
    assert [p.id for p in projects] == ["ok-1", "ok-2"]
    assert projects[0].taxonomy_category == "energy_efficiency" and projects[0].status == "seeking_finance"
    assert projects[0].capex_vnd == 1_000_000
    found = {(problem.row, problem.column, problem.key) for problem in problems}
    assert (1, "colour", "projects.problem.unknown_column") in found
    assert {key for row, _, key in found if row == 2} == {
        "projects.problem.bad_id",
        "projects.problem.required",
        "projects.problem.unknown_code",
        "projects.problem.negative",
    }
    assert (3, "lifetime_years", "projects.problem.not_integer") in found


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_export_import_round_trip(tmp_path: Path, suffix: str) -> None:
    path = write_projects(tmp_path / f"projects{suffix}", [PV, LED, WWTP])
    assert read_projects(path) == [PV, LED, WWTP]


def test_read_rejects_a_bad_file_whole(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text(
        "id,title,park_id,taxonomy_category,status,capex_vnd\nx,T,demo,energy_efficiency,idea,abc\n", encoding="utf-8"
    )
    with pytest.raises(ImportValidationError) as error:
        read_projects(path)
    assert error.value.problems[0].key == "projects.problem.not_a_number"


def test_demo_projects_are_valid_and_synthetic() -> None:
    from ecozone.projects.pipeline import demo_projects

    projects = demo_projects()
    assert len(projects) == 4
    assert all(project.is_synthetic and project.park_id == "demo" for project in projects)
    assert all(project.source and "Illustrative" in project.source for project in projects)
