"""CLI: import streams, match, optimise (JSON, plot, HTML, Pareto, infeasible target) and the demo step."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
import typer
from rich.console import Console
from typer.testing import CliRunner

from ecozone.cli.context import CliState, set_language
from ecozone.cli.demo import build_registry
from ecozone.cli.symbiosis import demo_step, register, register_import
from ecozone.demo.streams import demo_streams
from ecozone.registry.files import RawTable
from ecozone.store.registry_store import load_park
from ecozone.store.symbiosis_store import import_streams, load_streams
from ecozone.store.workspace import Workspace
from ecozone.symbiosis.catalogue import stream_schema
from ecozone.symbiosis.knowledge import knowledge_base
from ecozone.symbiosis.matching import match_streams
from ecozone.symbiosis.model import build_problem, optimise
from tests.symbiosis.rows import STREAMS
from tests.symbiosis.rows import build_registry as build_small_registry

runner = CliRunner()


def make_app() -> typer.Typer:
    app = typer.Typer()
    import_app = typer.Typer()

    @app.callback()
    def root(
        ctx: typer.Context, workspace: str = typer.Option(None, "--workspace"), lang: str = typer.Option(None, "--lang")
    ) -> None:
        ctx.obj = CliState(workspace, None, set_language(lang))

    register(app)
    register_import(import_app)
    app.add_typer(import_app, name="import")
    return app


@pytest.fixture(autouse=True)
def _wide_console(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "220")


@pytest.fixture
def small_park(sqlite_workspace: Workspace, tmp_path: Path) -> Workspace:
    build_small_registry(sqlite_workspace)
    path = tmp_path / "streams.csv"
    columns = stream_schema().names
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        writer.writerows({c: row.get(c) for c in columns} for row in STREAMS)
    result = runner.invoke(make_app(), ["--workspace", str(sqlite_workspace.path), "import", "streams", str(path)])
    assert result.exit_code == 0, result.output
    assert "5 new" in result.output
    return sqlite_workspace


def test_import_reports_problems_and_writes_nothing(sqlite_workspace: Workspace, tmp_path: Path) -> None:
    build_small_registry(sqlite_workspace)
    path = tmp_path / "bad.csv"
    path.write_text(
        "park_id,owner_kind,owner_id,direction,name,stream_class,quantity_per_year,unit\n"
        "kcn-a,firm,boiler-co,output,Xỉ,coal_ash_slag,-3,t\n"
        "kcn-a,firm,boiler-co,output,Dầu,used_oil,5,t\n",
        encoding="utf-8",
    )
    report = tmp_path / "problems.csv"
    result = runner.invoke(
        make_app(), ["--workspace", str(sqlite_workspace.path), "import", "streams", str(path), "--report", str(report)]
    )
    assert result.exit_code != 0
    problems = list(csv.DictReader(report.read_text(encoding="utf-8-sig").splitlines()))
    assert {(p["row"], p["column"]) for p in problems} == {("2", "quantity_per_year"), ("3", "hazardous_code")}
    assert load_streams(sqlite_workspace, "kcn-a") == ()


def test_match_json_and_table(small_park: Workspace) -> None:
    result = runner.invoke(make_app(), ["--workspace", str(small_park.path), "symbiosis", "match", "--park", "kcn-a", "--json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    pairs = {(c["supplier"]["owner_id"], c["receiver"]["owner_id"]) for c in document["candidates"]}
    assert pairs == {("boiler-co", "brick-co"), ("food-co", "biogas-x")}
    assert all(c["reasons"] for c in document["candidates"])
    table = runner.invoke(
        make_app(), ["--workspace", str(small_park.path), "--lang", "vi", "symbiosis", "match", "--park", "kcn-a"]
    )
    assert table.exit_code == 0 and "Liên kết trong cơ sở tri thức" in table.output


def test_optimise_outputs(small_park: Workspace, tmp_path: Path) -> None:
    png, page = tmp_path / "net.png", tmp_path / "report.html"
    args = [
        "--workspace",
        str(small_park.path),
        "symbiosis",
        "optimise",
        "--park",
        "kcn-a",
        "--json",
        "--pareto",
        "--plot",
        str(png),
        "--html",
        str(page),
    ]
    result = runner.invoke(make_app(), args)
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["status"] == "optimal"
    assert document["metrics"]["links"] == len(document["exchanges"]) == 2
    assert document["objective_vnd"] == pytest.approx(sum(e["benefit_vnd"] for e in document["exchanges"]))
    assert document["pareto"]
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    text = page.read_text(encoding="utf-8")
    assert (
        "<svg" in text
        and "<script" not in text
        and "http" not in text.split("<svg", 1)[1].replace("http://www.w3.org/2000/svg", "")
    )


def test_infeasible_target_is_explained(small_park: Workspace) -> None:
    args = ["--workspace", str(small_park.path), "symbiosis", "optimise", "--park", "kcn-a", "--co2-target", "99999"]
    result = runner.invoke(make_app(), args)
    assert result.exit_code != 0
    assert "cannot be met" in str(result.exception)
    assert "Binding" in result.output


def test_park_without_streams(sqlite_workspace: Workspace) -> None:
    build_small_registry(sqlite_workspace)
    result = runner.invoke(make_app(), ["--workspace", str(sqlite_workspace.path), "symbiosis", "match", "--park", "kcn-a"])
    assert result.exit_code != 0
    assert "no symbiosis streams" in str(result.exception)


def test_classes_listing() -> None:
    result = runner.invoke(make_app(), ["symbiosis", "classes", "--json"])
    assert result.exit_code == 0
    codes = {c["code"] for c in json.loads(result.stdout)}
    assert {"coal_ash_slag", "cement_raw_material", "treated_wastewater"} <= codes and "unspecified" not in codes


@pytest.fixture(scope="module")
def demo_workspace(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    from ecozone.store.workspace import resolve_workspace

    workspace = resolve_workspace(tmp_path_factory.mktemp("demo") / "ws")
    build_registry(workspace, 20240101)
    return workspace


@pytest.mark.slow
def test_demo_opportunities_are_found(demo_workspace: Workspace) -> None:
    park = load_park(demo_workspace, "demo")
    rows = demo_streams(park)
    assert import_streams(demo_workspace, RawTable.from_records("demo-streams", rows)).rows == len(rows)
    streams = load_streams(demo_workspace, "demo")
    kb = knowledge_base()
    result = match_streams(streams, kb, {"demo": (park.park.latitude or 0.0, park.park.longitude or 0.0)})
    pairs = {(c.supplier.stream_class, c.receiver.stream_class, c.receiver.owner_id) for c in result.candidates}
    assert ("food_waste", "digester_feedstock", "biogas-partner") in pairs
    assert ("ferrous_scrap", "furnace_charge", "foundry-partner") in pairs
    assert ("coal_ash_slag", "brick_block_material", "brick-partner") in pairs
    assert any(p[:2] == ("treated_wastewater", "clean_water") for p in pairs)
    assert any(r.key == "symbiosis.block.hazardous_unlicensed" for e in result.excluded for r in e.reasons)
    solution = optimise(build_problem(result.candidates, kb))
    used = {(e.arc.output_class, e.arc.input_class) for e in solution.exchanges}
    assert {
        ("food_waste", "digester_feedstock"),
        ("ferrous_scrap", "furnace_charge"),
        ("coal_ash_slag", "brick_block_material"),
        ("treated_wastewater", "clean_water"),
    } <= used


@pytest.mark.slow
def test_demo_step_prints_and_writes_reports(demo_workspace: Workspace) -> None:
    console = Console(record=True, width=200)
    demo_step(CliState(str(demo_workspace.path), None, "en"), demo_workspace, console)
    text = console.export_text()
    assert "Symbiosis programme metrics" in text
    assert (demo_workspace.path / "reports" / "symbiosis-network.png").is_file()
    assert "<svg" in (demo_workspace.path / "reports" / "symbiosis.html").read_text(encoding="utf-8")
    again = Console(record=True, width=200)
    demo_step(CliState(str(demo_workspace.path), None, "vi"), demo_workspace, again)
    assert "0 mới, 0 cập nhật" in again.export_text()
