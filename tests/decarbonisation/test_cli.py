"""``ecozone pv``, ``macc`` and ``plan`` and the demo step on a small synthetic park (5 demo firms)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import typer
from rich.console import Console
from typer.testing import CliRunner

from ecozone.cli import decarbonisation
from ecozone.cli.context import CliState, set_language
from ecozone.decarbonisation.errors import LoadProfileError
from ecozone.demo.registry import demo_registry
from ecozone.errors import NotFoundError
from ecozone.registry.files import RawTable
from ecozone.store.database import dispose_engine, migrate
from ecozone.store.registry_store import import_table
from ecozone.store.workspace import Workspace, resolve_workspace

FIRMS = 5


def _app() -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def root(
        ctx: typer.Context, workspace: str = typer.Option(..., "--workspace"), lang: str = typer.Option("en", "--lang")
    ) -> None:
        ctx.obj = CliState(workspace, None, set_language(lang))

    decarbonisation.register(app)
    return app


@pytest.fixture(scope="module")
def small_park(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    workspace = resolve_workspace(tmp_path_factory.mktemp("decarbonisation") / "ws")
    migrate(workspace)
    rows = demo_registry(20240101)
    firms = [r for r in rows["firm"] if r["park_id"] == "demo"][:FIRMS]
    firm_ids = {f["id"] for f in firms}
    selected = {
        "park": [p for p in rows["park"] if p["id"] in {"demo", "vsip-1"} or p["id"] == "demo"],
        "firm": firms,
        "meter": [m for m in rows["meter"] if m.get("firm_id") in firm_ids],
    }
    for entity in ("park", "firm", "meter"):
        import_table(workspace, entity, RawTable.from_records(f"test-{entity}", selected[entity]))
    yield workspace
    dispose_engine(workspace.database_url)


def _invoke(workspace: Workspace, *args: str) -> tuple[int, str, BaseException | None]:
    result = CliRunner().invoke(_app(), ["--workspace", str(workspace.path), *args])
    return result.exit_code, result.stdout, result.exception


@pytest.mark.slow
def test_pv_plan_and_macc_as_json(small_park: Workspace, tmp_path: Path) -> None:
    code, out, error = _invoke(small_park, "pv", "--park", "demo", "--json")
    assert code == 0, error
    document = json.loads(out)
    assert document["is_estimate"] is True
    assert len(document["firms"]) <= FIRMS
    assert all(f["pv_kwp"] > 0 for f in document["firms"])
    assert any("SYNTHETIC" in n or "ESTIMATE" in n for n in document["notes"])
    assert document["export_rule"]["instrument"] == "Decree 58/2025/ND-CP"

    firm = document["firms"][0]["firm_id"]
    code, out, error = _invoke(small_park, "pv", "--firm", firm, "--json")
    assert code == 0, error
    assert [f["firm_id"] for f in json.loads(out)["firms"]] == [firm]

    chart = tmp_path / "macc.png"
    code, out, error = _invoke(small_park, "macc", "--park", "demo", "--json", "--plot", str(chart))
    assert code == 0, error
    macc = json.loads(out)
    costs = [m["cost_vnd_per_t"] for m in macc["measures"]]
    assert costs == sorted(costs)
    assert chart.stat().st_size > 1000

    plot = tmp_path / "plan.png"
    code, out, error = _invoke(small_park, "plan", "--park", "demo", "--json", "--budget", "2e10", "--plot", str(plot))
    assert code == 0, error
    plan = json.loads(out)
    assert plan["status"] in {"optimal", "infeasible", "time_limit"}
    assert len(plan["emissions"]) == 26
    assert all(s["capex_vnd"] <= 2e10 * (1 + 1e-6) for s in plan["spending"])
    assert (plan["status"] == "infeasible") == (plan["explanation"] is not None)
    assert plot.exists()

    code, out, error = _invoke(small_park, "--lang", "vi", "plan", "--park", "demo", "--target", "none")
    assert code == 0, error
    assert "Lộ trình" in out


def test_bad_requests_are_explained(small_park: Workspace) -> None:
    _, _, error = _invoke(small_park, "pv")
    assert isinstance(error, NotFoundError)
    _, _, error = _invoke(small_park, "pv", "--firm", "nobody")
    assert isinstance(error, NotFoundError)
    _, _, error = _invoke(small_park, "macc", "--park", "vsip-1")
    assert isinstance(error, (LoadProfileError, NotFoundError))


@pytest.mark.slow
def test_demo_step_prints_the_plan_and_writes_charts(small_park: Workspace) -> None:
    console = Console(record=True, width=120)
    decarbonisation.demo_step(CliState(str(small_park.path), None, "en"), small_park, console)
    text = console.export_text()
    assert "Decarbonisation pathway to 2050" in text
    assert "Marginal abatement cost curve" in text
    assert (small_park.path / "reports" / "demo_macc.png").exists()
    assert (small_park.path / "reports" / "demo_pathway.png").exists()
