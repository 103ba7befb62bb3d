"""``ecozone baseline fit`` and ``ecozone savings`` on a workspace with stored readings; the demo step."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
import typer
from rich.console import Console
from typer.testing import CliRunner

from ecozone.baselines.errors import BaselineInputError
from ecozone.cli.baselines import demo_station_temperature, register
from ecozone.cli.context import CliState
from ecozone.demo.registry import demo_registry
from ecozone.registry.files import RawTable
from ecozone.store.baselines_store import load_model, model_path, period_energy, save_model, stored_meters
from ecozone.store.registry_store import import_table
from ecozone.store.workspace import Workspace

FIRM, METER = "demo-f24", "demo-f24-electricity"
SAVING_START = "2024-09-01"


def _app() -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def root() -> None:
        """Test root."""

    register(app)
    return app


def _import_registry(workspace: Workspace) -> None:
    rows = demo_registry(20240101)
    parks = [row for row in rows["park"] if row["id"] == "demo"]
    firms = [row for row in rows["firm"] if row["id"] == FIRM]
    meters = [row for row in rows["meter"] if row.get("firm_id") == FIRM]
    for entity, records in (("park", parks), ("firm", firms), ("meter", meters)):
        import_table(workspace, entity, RawTable.from_records(f"test-{entity}", records))


def _daily_readings() -> tuple[pd.DataFrame, float]:
    """Daily kWh of 2024 with 10 % saved from 1 September, and the true saving [kWh]."""
    rng = np.random.default_rng(7)
    days = pd.date_range("2024-01-01", "2024-12-31", freq="D")
    temperature = 27.5 + 1.5 * np.sin(2 * np.pi * (np.arange(days.size) - 60) / 366) + rng.normal(0, 1.0, days.size)
    sunday = days.day_of_week == 6
    counterfactual = 50_000 + 4_000 * (temperature - 22.0) - np.where(sunday, 15_000, 0)
    energy = counterfactual * np.where(days >= pd.Timestamp(SAVING_START), 0.9, 1.0) + rng.normal(0, 800, days.size)
    truth = float((counterfactual - energy)[days >= pd.Timestamp(SAVING_START)].sum())
    frame = pd.DataFrame({"date": days, "temperature_c": temperature, "energy": energy})
    return frame, truth


def _write_readings(workspace: Workspace, frame: pd.DataFrame) -> None:
    from ecozone.meters.dataset import write_readings

    count = len(frame)
    utc = (frame["date"] - pd.Timedelta(hours=7)).to_numpy().astype("datetime64[us]")
    table = pa.table(
        {
            "park_id": ["demo"] * count,
            "meter_id": [METER] * count,
            "firm_id": [FIRM] * count,
            "carrier": ["electricity"] * count,
            "unit": ["kWh"] * count,
            "ts_utc": pa.array(utc),
            "interval_minutes": pa.array(np.full(count, 1440, dtype=np.int32)),
            "value": frame["energy"].to_numpy(),
            "register_value": pa.array([None] * count, type=pa.float64()),
            "flags": pa.array(np.zeros(count, dtype=np.int16)),
            "source_hash": ["test"] * count,
        }
    )
    write_readings(workspace.readings_path, table)


@pytest.fixture
def stocked(sqlite_workspace: Workspace, tmp_path: Path) -> Iterator[tuple[Workspace, Path, float]]:
    """A workspace with one firm's daily electricity of 2024 and a weather CSV."""
    _import_registry(sqlite_workspace)
    frame, truth = _daily_readings()
    _write_readings(sqlite_workspace, frame)
    weather = tmp_path / "weather.csv"
    frame.assign(date=frame["date"].dt.date)[["date", "temperature_c"]].to_csv(weather, index=False)
    yield sqlite_workspace, weather, truth


def _invoke(workspace: Workspace, *args: str) -> typer.testing.Result:  # type: ignore[name-defined]
    return CliRunner().invoke(_app(), list(args), obj=CliState(str(workspace.path), workspace.database_url, "en"))


def test_period_energy_reads_local_days(stocked: tuple[Workspace, Path, float]) -> None:
    from ecozone.baselines.observations import Period

    workspace, _, _ = stocked
    frame = period_energy(workspace, [METER], ["demo"], Period.parse("2024-02-01:2024-02-29"), "daily")
    assert len(frame) == 29
    assert frame["period_start"].iloc[0] == pd.Timestamp("2024-02-01")
    assert (frame["coverage"] == 1.0).all()
    monthly = period_energy(workspace, [METER], ["demo"], Period.parse("2024-01-01:2024-12-31"), "monthly")
    assert len(monthly) == 12
    assert monthly["coverage"].to_numpy() == pytest.approx(1.0)


def test_fit_then_savings_recover_the_known_saving(stocked: tuple[Workspace, Path, float], tmp_path: Path) -> None:
    workspace, weather, truth = stocked
    fitted = _invoke(
        workspace,
        "baseline",
        "fit",
        "--firm",
        FIRM,
        "--baseline",
        "2024-01-01:2024-08-31",
        "--drivers",
        "sunday",
        "--weather",
        str(weather),
        "--json",
    )
    assert fitted.exit_code == 0, fitted.output
    document = json.loads(fitted.output)
    entry = document["meters"][0]
    assert entry["meter_id"] == METER
    assert entry["model"]["drivers"] == ["sunday"]
    assert "baselines.sufficiency.short_baseline" in [f["code"] for f in entry["findings"]]
    assert Path(entry["file"]) == model_path(workspace, METER)
    assert stored_meters(workspace) == [METER]
    chart = tmp_path / "savings.png"
    saved = _invoke(workspace, "savings", "--reporting", "2024-09-01:2024-12-31", "--json", "--plot", str(chart))
    assert saved.exit_code == 0, saved.output
    result = json.loads(saved.stdout)["meters"][0]
    assert result["savings"] == pytest.approx(truth, rel=0.05)
    assert abs(result["savings"] - truth) <= result["uncertainty"][1]["absolute"]
    assert chart.stat().st_size > 10_000
    table = _invoke(workspace, "savings", "--reporting", "2024-09-01:2024-12-31", "--firm", FIRM)
    assert table.exit_code == 0 and METER in table.output


def test_savings_refuse_a_reporting_period_overlapping_the_baseline(stocked: tuple[Workspace, Path, float]) -> None:
    workspace, weather, _ = stocked
    _invoke(workspace, "baseline", "fit", "--meter", METER, "--baseline", "2024-01-01:2024-08-31", "--weather", str(weather))
    result = _invoke(workspace, "savings", "--reporting", "2024-08-01:2024-12-31")
    assert result.exit_code != 0
    assert isinstance(result.exception, BaselineInputError)


def test_fit_with_province_normals_says_so(stocked: tuple[Workspace, Path, float]) -> None:
    workspace, _, _ = stocked
    result = _invoke(workspace, "baseline", "fit", "--meter", METER, "--baseline", "2024-01-01:2024-08-31")
    assert result.exit_code == 0, result.output
    assert "baselines.weather.monthly_normals" in result.output
    model, context = load_model(workspace, METER)
    assert context["weather"] == {"source": "normals", "province": "74"}
    assert "baselines.weather.monthly_normals" in [f.code for f in model.findings]
    listing = _invoke(workspace, "baseline", "list", "--json")
    assert json.loads(listing.output)[0]["meter_id"] == METER


def test_a_refit_without_data_removes_the_stale_model(stocked: tuple[Workspace, Path, float]) -> None:
    workspace, weather, _ = stocked
    _invoke(workspace, "baseline", "fit", "--meter", METER, "--baseline", "2024-01-01:2024-08-31", "--weather", str(weather))
    assert model_path(workspace, METER).exists()
    empty = _invoke(workspace, "baseline", "fit", "--meter", METER, "--baseline", "2022-01-01:2022-12-31", "--json")
    assert json.loads(empty.output)["meters"][0]["model"] is None
    assert not model_path(workspace, METER).exists()


def test_fit_selection_errors(stocked: tuple[Workspace, Path, float]) -> None:
    workspace, _, _ = stocked
    both = _invoke(workspace, "baseline", "fit", "--meter", METER, "--firm", FIRM, "--baseline", "2024-01-01:2024-08-31")
    assert isinstance(both.exception, BaselineInputError)
    unknown = _invoke(workspace, "baseline", "fit", "--meter", "nope", "--baseline", "2024-01-01:2024-08-31")
    assert unknown.exit_code != 0
    no_models = _invoke(workspace, "savings", "--reporting", "2024-09-01:2024-12-31")
    assert no_models.exit_code != 0


def test_store_round_trip(stocked: tuple[Workspace, Path, float]) -> None:
    from ecozone.baselines.fitting import fit

    workspace, _, _ = stocked
    frame, _ = _daily_readings()
    table = frame.rename(columns={"date": "period_start"})
    model = fit(table, meter_id=METER).model
    assert model is not None
    save_model(workspace, model, {"weather": {"source": "file", "path": "w.csv"}})
    loaded, context = load_model(workspace, METER)
    assert np.array_equal(loaded.predict(table), model.predict(table))
    assert context["weather"]["path"] == "w.csv"


def test_demo_station_is_the_generator_weather() -> None:
    from ecozone.demo.readings import readings_assumptions
    from ecozone.demo.readings.generator import _context

    expected = _context(readings_assumptions(), 2024, 20240101).weather.daily_mean_c
    np.testing.assert_allclose(demo_station_temperature(2024)["temperature_c"], expected, atol=5e-4)


@pytest.mark.slow
def test_demo_step_recovers_the_retrofits(sqlite_workspace: Workspace) -> None:
    from ecozone.cli.baselines import demo_recoveries, demo_step
    from ecozone.cli.demo import build_registry
    from ecozone.store.registry_store import load_park

    build_registry(sqlite_workspace, 20240101)
    recoveries, _ = demo_recoveries(load_park(sqlite_workspace, "demo"))
    assert len(recoveries) == 3
    for item in recoveries:
        assert item.savings is not None
        assert abs(item.savings.savings - item.true_saving) <= item.savings.uncertainty_at(0.9).absolute
    console = Console(record=True, width=200)
    demo_step(CliState(str(sqlite_workspace.path), None, "vi"), sqlite_workspace, console)
    text = console.export_text()
    assert "chiller_replacement" in text and "Đã vẽ biểu đồ" in text
    assert (sqlite_workspace.path / "reports" / "baselines_demo_savings.png").exists()


def test_production_driver_from_a_file(stocked: tuple[Workspace, Path, float], tmp_path: Path) -> None:
    workspace, weather, _ = stocked
    days = pd.date_range("2024-01-01", "2024-12-31", freq="D")
    production = np.random.default_rng(3).uniform(100, 200, days.size)
    drivers = tmp_path / "production.csv"
    pd.DataFrame({"date": days.date, "firm_id": FIRM, "production": production}).to_csv(drivers, index=False)
    missing = _invoke(
        workspace, "baseline", "fit", "--meter", METER, "--baseline", "2024-01-01:2024-08-31", "--drivers", "production"
    )
    assert isinstance(missing.exception, BaselineInputError)
    fitted = _invoke(
        workspace,
        "baseline",
        "fit",
        "--meter",
        METER,
        "--baseline",
        "2024-01-01:2024-08-31",
        "--drivers",
        "production,sunday",
        "--drivers-file",
        str(drivers),
        "--weather",
        str(weather),
        "--json",
    )
    assert fitted.exit_code == 0, fitted.output
    model = json.loads(fitted.output)["meters"][0]["model"]
    assert model["drivers"] == ["production", "sunday"]
    saved = _invoke(workspace, "savings", "--reporting", "2024-09-01:2024-12-31", "--json")
    assert saved.exit_code == 0, saved.output
    assert json.loads(saved.stdout)["meters"][0]["savings"] > 0
