"""The siting and project commands as a user runs them (in-process), and the demo step."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from rich.console import Console
from typer.testing import CliRunner

from ecozone.cli import siting
from ecozone.cli.context import CliState
from ecozone.cli.main import root
from ecozone.errors import FileFormatError
from ecozone.store.workspace import Workspace
from tests.siting.registry import store_registry

INVESTOR = """
name: Test assembler
sector_vsic: "26"
land_ha: 20
power_mw: 15
max_km_to_seaport: 60
weights: {land_available_ha: 2, distance_seaport_km: 1, same_sector_firms: 1}
"""
PROJECTS_CSV = """id,title,park_id,firm_id,taxonomy_category,status,capex_vnd,annual_savings_vnd,abated_tco2e_per_year,\
lifetime_years
pv-n,Rooftop PV,north,,renewable_energy,seeking finance,20000000000,4000000000,900,20
heat-s,Heat recovery,south,s-1,energy_efficiency,idea,5000000000,1500000000,300,10
"""


def _app() -> typer.Typer:
    app = typer.Typer()
    app.callback()(root)
    siting.register(app)
    return app


def _run(workspace: Workspace, *arguments: str, lang: str = "en") -> str:
    arguments_ = ["--workspace", str(workspace.path), "--lang", lang, *arguments]
    result = CliRunner().invoke(_app(), arguments_, catch_exceptions=False, env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture
def registry(sqlite_workspace: Workspace) -> Workspace:
    store_registry(sqlite_workspace)
    return sqlite_workspace


def test_match_uses_published_fields_only(registry: Workspace, tmp_path: Path) -> None:
    investor = tmp_path / "investor.yaml"
    investor.write_text(INVESTOR, encoding="utf-8")
    before = json.loads(_run(registry, "match", "--investor", str(investor), "--json"))
    assert all(entry["coverage"] == 0 for entry in before["ranked"])  # nothing published yet
    assert "publish" in _run(registry, "match", "--investor", str(investor))
    _run(registry, "profile", "publish", "north", "--all")
    _run(registry, "profile", "publish", "south", "--all")
    _run(registry, "profile", "publish", "vague", "--all")
    document = json.loads(_run(registry, "match", "--investor", str(investor), "--json", "--top", "1"))
    assert [entry["park_id"] for entry in document["ranked"]] == ["north"]
    excluded = {entry["park_id"]: entry["reasons"] for entry in document["excluded"]}
    assert "south" in excluded and excluded["south"][0].startswith(
        "Available industrial land: needs 20 ha, the park offers 10 ha"
    )
    assert document["weights"] == pytest.approx(
        {"land_available_ha": 0.5, "distance_seaport_km": 0.25, "same_sector_firms": 0.25}
    )
    assert any(notice["key"] == "siting.investor.weights_normalised" for notice in document["notices"])
    text = _run(registry, "match", "--investor", str(investor), lang="vi")
    assert "KCN phù hợp" in text and "KCN bị loại" in text and "Độ nhạy" in text


def test_match_maps(registry: Workspace, tmp_path: Path) -> None:
    investor = tmp_path / "investor.yaml"
    investor.write_text(INVESTOR, encoding="utf-8")
    _run(registry, "profile", "publish", "north", "--all")
    for name in ("map.png", "map.html"):
        _run(registry, "match", "--investor", str(investor), "--map", str(tmp_path / name))
    assert (tmp_path / "map.png").read_bytes()[:4] == b"\x89PNG"
    page = (tmp_path / "map.html").read_text(encoding="utf-8")
    assert (
        "<svg" in page
        and "North Park" in page
        and "geoBoundaries" in page
        and "http" not in page.split("<footer>")[0].replace("http://www.w3.org/2000/svg", "")
    )
    with pytest.raises(FileFormatError):
        CliRunner().invoke(
            _app(),
            ["--workspace", str(registry.path), "match", "--investor", str(investor), "--map", "m.pdf"],
            catch_exceptions=False,
        )


def test_profile_show(registry: Workspace) -> None:
    _run(registry, "profile", "publish", "north", "land_available_ha")
    published = json.loads(_run(registry, "profile", "show", "north", "--published", "--json"))
    assert list(published["fields"]) == ["land_available_ha"]
    everything = _run(registry, "profile", "show", "north")
    assert "Grid connection capacity" in everything and "test registry" in everything


def test_projects_commands(registry: Workspace, tmp_path: Path) -> None:
    source = tmp_path / "projects.csv"
    source.write_text(PROJECTS_CSV, encoding="utf-8")
    assert "nothing written" in _run(registry, "projects", "import", str(source), "--dry-run")
    assert "2 new" in _run(registry, "projects", "import", str(source))
    listed = json.loads(_run(registry, "projects", "list", "--json", "--sort", "irr"))
    assert [row["id"] for row in listed] == ["heat-s", "pv-n"]
    assert [row["id"] for row in json.loads(_run(registry, "projects", "list", "--json", "--category", "renewable_energy"))] == [
        "pv-n"
    ]
    sheet = _run(registry, "projects", "show", "pv-n")
    assert "Rooftop PV" in sheet and "Renewable energy" in sheet and "Internal rate of return" in sheet
    assert "đang tìm vốn" in _run(registry, "projects", "show", "pv-n", lang="vi")
    assert "Exported 1" in _run(registry, "projects", "export", str(tmp_path / "lender.xlsx"), "--status", "idea")
    from ecozone.projects.pipeline import read_projects

    assert [p.id for p in read_projects(tmp_path / "lender.xlsx")] == ["heat-s"]


def test_demo_step(registry: Workspace) -> None:
    console = Console(record=True, width=160)
    siting.demo_step(CliState(str(registry.path), None, "en"), registry, console)
    text = console.export_text()
    assert "Matching parks" in text and "North Park" in text
    assert (registry.path / "reports" / "siting_match.png").is_file()
    document = json.loads((registry.path / "reports" / "siting_match.json").read_text(encoding="utf-8"))
    assert document["ranked"][0]["park_id"] == "north"
