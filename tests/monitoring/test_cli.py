"""The CLI: monitor run (incremental, no duplicates), alerts list/ack/close, forecast, and the demo step."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
import typer
from rich.console import Console
from typer.testing import CliRunner

from ecozone.cli import monitoring
from ecozone.cli.context import CliState
from ecozone.cli.demo import build_registry
from ecozone.demo.incidents import DEMO_INCIDENTS, apply_incidents, demo_window_readings
from ecozone.demo.readings import demo_readings
from ecozone.demo.registry import demo_registry
from ecozone.monitoring.inputs import MonitoringInputError
from ecozone.store.workspace import Workspace

pytestmark = pytest.mark.slow
METERS = ("demo-f12-electricity", "demo-f05-water", "demo-f25-electricity", "demo-f01-electricity", "demo-f02-electricity")


def _app(workspace: Workspace) -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def root(ctx: typer.Context) -> None:
        ctx.obj = CliState(str(workspace.path), workspace.database_url, "en")

    monitoring.register(app)
    return app


@pytest.fixture(scope="module")
def readings_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    readings = demo_window_readings(demo_readings(demo_registry(20240101), 2024))
    readings, _ = apply_incidents(readings[readings["meter_id"].isin(METERS)])
    path = tmp_path_factory.mktemp("readings") / "readings.csv"
    readings[["meter_id", "timestamp", "value"]].to_csv(path, index=False)
    return path


def test_monitor_run_alerts_and_forecast(sqlite_workspace: Workspace, readings_file: Path, tmp_path: Path) -> None:
    build_registry(sqlite_workspace, 20240101)
    runner = CliRunner()
    app = _app(sqlite_workspace)
    since = ["--since", "2024-11-11T00:00+07:00"]
    first = runner.invoke(app, ["monitor", "run", "--park", "demo", *since, "--readings", str(readings_file), "--json"])
    assert first.exit_code == 0, first.output
    document = json.loads(first.output)
    assert document["alerts_inserted"] >= 3
    again = runner.invoke(app, ["monitor", "run", "--park", "demo", *since, "--readings", str(readings_file), "--json"])
    assert json.loads(again.output)["alerts_inserted"] == 0
    listed = json.loads(runner.invoke(app, ["monitor", "alerts", "list", "--park", "demo", "--json"]).output)
    kinds = {(row["meter_id"], row["kind"]) for row in listed}
    assert {(incident.meter_id, incident.kind) for incident in DEMO_INCIDENTS} <= kinds
    leak = next(row for row in listed if row["kind"] == "leak")
    assert leak["excess_m3"] > 0 and leak["explanation_vi"]
    compressor = next(row for row in listed if row["kind"] == "baseload_drift")
    assert compressor["excess_vnd"] > 0 and compressor["excess_kgco2e"] > 0
    assert runner.invoke(app, ["monitor", "alerts", "ack", str(leak["id"]), "--by", "operator"]).exit_code == 0
    closed = runner.invoke(app, ["monitor", "alerts", "close", str(leak["id"]), "--note", "pipe fixed"])
    assert "closed" in closed.output
    table = runner.invoke(app, ["monitor", "alerts", "list", "--status", "closed"])
    assert "Alerts (1)" in table.output
    twice = runner.invoke(app, ["monitor", "alerts", "close", str(leak["id"])])
    assert isinstance(twice.exception, MonitoringInputError)
    plot = tmp_path / "forecast.png"
    forecast = runner.invoke(
        app, ["forecast", "--park", "demo", "--horizon", "1d", "--readings", str(readings_file), "--json", "--plot", str(plot)]
    )
    assert forecast.exit_code == 0, forecast.output
    result = json.loads(forecast.stdout)
    assert len(result["forecast"]["series"][0]["forecast"]) == 96
    assert result["backtest"]["summary"]["mase"] > 0
    assert plot.stat().st_size > 0
    bad = runner.invoke(app, ["forecast", "--park", "demo", "--horizon", "1y", "--readings", str(readings_file)])
    assert isinstance(bad.exception, MonitoringInputError)


def test_demo_step_lists_the_documented_incidents(sqlite_workspace: Workspace) -> None:
    build_registry(sqlite_workspace, 20240101)
    console = Console(record=True, width=200)
    monitoring.demo_step(CliState(str(sqlite_workspace.path), sqlite_workspace.database_url, "vi"), sqlite_workspace, console)
    text = console.export_text()
    assert text.count("✓") == 3
    assert (sqlite_workspace.path / "reports" / "monitoring_alerts.csv").exists()
    assert (sqlite_workspace.path / "reports" / "forecast_demo_park.png").exists()
    alerts = pd.read_csv(sqlite_workspace.path / "reports" / "monitoring_alerts.csv")
    assert {incident.meter_id for incident in DEMO_INCIDENTS} <= set(alerts["meter_id"])
