"""``ecozone pv``, ``ecozone macc`` and ``ecozone plan``: rooftop PV, abatement costs and pathways to 2050.

Firms' energy comes from the readings store (``ecozone.meters``) when it holds readings of
the park; for the synthetic demo park without stored readings, from the seeded demo
generator (labelled synthetic). Engines get plain data; this module is the only one here
that opens the workspace.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict
from pathlib import Path
from typing import Annotated, Any

import pandas as pd
import typer
from rich.console import Console
from rich.table import Table

from ecozone.cli.context import CliState, state
from ecozone.decarbonisation.errors import LoadProfileError
from ecozone.decarbonisation.firms import FirmEnergy, firm_energy, readings_rows
from ecozone.decarbonisation.macc import MaccSettings, macc_by_measure, macc_table, plot_macc
from ecozone.decarbonisation.pathway import PathwayResult, PathwaySettings, plan_pathway
from ecozone.decarbonisation.pathway.chart import plot_pathway
from ecozone.decarbonisation.planning import ParkAnalysis, analyse_park
from ecozone.decarbonisation.pv.study import PvSettings
from ecozone.decarbonisation.pv.weather import read_weather
from ecozone.errors import NotFoundError
from ecozone.i18n import translate
from ecozone.store.snapshot import ParkSnapshot
from ecozone.store.workspace import Workspace

DEMO_PARK = "demo"
DEMO_YEAR = 2024


def _both(key: str) -> str:
    """Bilingual help text."""
    return f"{translate(key, 'en')} / {translate(key, 'vi')}"


def register(app: typer.Typer) -> None:
    """Add the ``pv``, ``macc`` and ``plan`` commands to ``app``."""
    app.command("pv", help=_both("decarbonisation.help.pv"))(pv)
    app.command("macc", help=_both("decarbonisation.help.macc"))(macc)
    app.command("plan", help=_both("decarbonisation.help.plan"))(plan)


def _stored_readings(workspace: Workspace, park_id: str, year: int | None) -> tuple[pd.DataFrame, int] | None:
    """Readings of ``park_id`` in the readings store for ``year`` (default: the latest year held), or None."""
    try:
        from ecozone.meters.dataset import connect_stored, dataset_files
    except ImportError:
        return None
    if not dataset_files(workspace.readings_path, [park_id]):
        return None
    connection = connect_stored(workspace.readings_path, [park_id])
    try:
        if year is None:
            latest = connection.execute("SELECT max(ts_utc) FROM stored WHERE value IS NOT NULL").fetchone()
            if latest is None or latest[0] is None:
                return None
            year = int((pd.Timestamp(latest[0]) + pd.Timedelta(hours=7)).year)
        start = pd.Timestamp(year=year, month=1, day=1) - pd.Timedelta(hours=7)
        end = pd.Timestamp(year=year + 1, month=1, day=1) - pd.Timedelta(hours=7)
        frame = connection.execute(
            "SELECT meter_id, ts_utc, value, unit, flags FROM stored WHERE value IS NOT NULL AND ts_utc >= ? AND ts_utc < ?",
            [start.to_pydatetime(), end.to_pydatetime()],
        ).df()
    finally:
        connection.close()
    return (frame, year) if not frame.empty else None


def park_energy(workspace: Workspace, park_id: str, year: int | None = None) -> tuple[ParkSnapshot, dict[str, FirmEnergy], str]:
    """The park's snapshot, its firms' energy and where the readings came from (``store`` or ``synthetic``).

    Raises
    ------
    NotFoundError
        Unknown park.
    LoadProfileError
        No readings stored and the park is not the synthetic demo park.
    """
    from ecozone.store.registry_store import load_park

    snapshot = load_park(workspace, park_id)
    stored = _stored_readings(workspace, park_id, year)
    if stored is not None:
        readings, chosen = stored
        origin = "synthetic" if snapshot.park.is_synthetic else "store"
        return snapshot, firm_energy(snapshot.firms, snapshot.meters, readings, chosen), origin
    if not snapshot.park.is_synthetic:
        raise LoadProfileError("decarbonisation.no_readings", park=park_id)
    from ecozone.demo.readings import demo_readings

    chosen = year or DEMO_YEAR
    readings = demo_readings(readings_rows(snapshot.firms, snapshot.meters), chosen)
    return snapshot, firm_energy(snapshot.firms, snapshot.meters, readings, chosen), "synthetic"


def _analysis(
    cli: CliState, park_id: str, year: int | None, weather_file: Path | None, export_price: float | None
) -> tuple[ParkSnapshot, ParkAnalysis, str]:
    workspace = cli.open_workspace()
    snapshot, energies, origin = park_energy(workspace, park_id, year)
    if not energies:
        raise NotFoundError("decarbonisation.no_firms", park=park_id)
    settings = PvSettings(export_price_vnd_per_kwh=export_price, zero_export_price_if_missing=export_price is None)
    weather = None
    if weather_file is not None:
        from ecozone.decarbonisation.planning import park_location

        latitude, longitude = park_location(snapshot.park)
        weather = read_weather(weather_file, latitude, longitude, next(iter(energies.values())).year)
    return snapshot, analyse_park(snapshot.park, energies, settings, weather=weather), origin


def _number(value: float, decimals: int = 0) -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "-"
    return f"{value:,.{decimals}f}"


def _clean(value: Any) -> Any:
    """JSON-safe value (NaN and infinities become null)."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    if hasattr(value, "item"):
        return _clean(value.item())
    return value


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [_clean(r) for r in frame.to_dict(orient="records")]


def _notes(cli: CliState, analysis: ParkAnalysis, origin: str) -> list[str]:
    notes = [cli.t("decarbonisation.note.unverified")]
    if origin == "synthetic":
        notes.append(cli.t("decarbonisation.note.synthetic"))
    if analysis.weather.is_estimate:
        notes.append(cli.t("decarbonisation.note.weather_estimate", label=analysis.weather.label))
    for key, params in analysis.weather.warnings:
        notes.append(cli.t(key, **params))
    if analysis.pv is not None and analysis.pv.price is not None and analysis.pv.price.basis == "zero_missing_market_price":
        notes.append(cli.t("decarbonisation.note.zero_export_price"))
    flagged = sorted({flag for e in analysis.energies.values() for flag in e.flags})
    if flagged:
        notes.append(cli.t("decarbonisation.note.readings_flags", flags=", ".join(flagged)))
    return notes


def pv(
    ctx: typer.Context,
    firm: Annotated[str | None, typer.Option("--firm", help=_both("decarbonisation.option.firm"))] = None,
    park: Annotated[str | None, typer.Option("--park", help=_both("decarbonisation.option.park"))] = None,
    as_json: Annotated[bool, typer.Option("--json", help=_both("decarbonisation.option.json"))] = False,
    year: Annotated[int | None, typer.Option("--year", help=_both("decarbonisation.option.year"))] = None,
    weather: Annotated[Path | None, typer.Option("--weather", help=_both("decarbonisation.option.weather"))] = None,
    export_price: Annotated[
        float | None, typer.Option("--export-price", help=_both("decarbonisation.option.export_price"))
    ] = None,
) -> None:
    """Rooftop PV and batteries sized and simulated hour by hour."""
    cli = state(ctx)
    park_id = _park_of(cli, firm, park)
    _, analysis, origin = _analysis(cli, park_id, year, weather, export_price)
    table = _pv_table(analysis)
    if firm is not None:
        table = table[table["firm_id"] == firm]
        if table.empty:
            raise NotFoundError("decarbonisation.no_pv_for_firm", firm=firm)
    notes = _notes(cli, analysis, origin)
    if as_json:
        document = {
            "park_id": park_id,
            "weather": analysis.weather.label,
            "is_estimate": analysis.weather.is_estimate,
            "firms": _records(table),
            "notes": notes,
        }
        if analysis.pv is not None and analysis.pv.rule is not None:
            document["export_rule"] = _clean(
                asdict(analysis.pv.rule)
                | {"valid_from": str(analysis.pv.rule.valid_from), "valid_to": str(analysis.pv.rule.valid_to)}
            )
        typer.echo(json.dumps(document, ensure_ascii=False, indent=2))
        return
    console = Console()
    console.print(cli.t("decarbonisation.pv.title", park=park_id), highlight=False)
    view = Table(*(cli.t(f"decarbonisation.column.{c}") for c in PV_COLUMNS))
    for row in _records(table):
        view.add_row(
            row["firm_id"],
            _number(row["pv_kwp"]),
            _number(row["battery_kwh"]),
            _number(row["generation_kwh"] / 1000),
            _number(100 * row["self_consumption_share"]),
            _number(row["export_kwh"] / 1000),
            _number(row["annual_saving_vnd"] / 1e6),
        )
    console.print(view)
    for note in notes:
        console.print(f"- {note}", highlight=False)


PV_COLUMNS = ("firm_id", "pv_kwp", "battery_kwh", "generation_mwh", "self_consumption_pct", "export_mwh", "saving_million_vnd")


def _park_of(cli: CliState, firm: str | None, park: str | None) -> str:
    if (firm is None) == (park is None):
        raise NotFoundError("decarbonisation.firm_or_park")
    if park is not None:
        return park
    from ecozone.store.registry_store import load_registry

    for snapshot in load_registry(cli.open_workspace()).parks:
        if any(f.id == firm for f in snapshot.firms):
            return snapshot.park.id
    raise NotFoundError("decarbonisation.unknown_firm", firm=firm)


def _pv_table(analysis: ParkAnalysis) -> pd.DataFrame:
    columns = [
        "firm_id",
        "pv_kwp",
        "battery_kwh",
        "battery_kw",
        "generation_kwh",
        "self_consumed_kwh",
        "export_kwh",
        "curtailed_kwh",
        "self_consumption_share",
        "annual_saving_vnd",
        "capex_vnd",
    ]
    if analysis.pv is None:
        return pd.DataFrame(columns=columns)
    table = analysis.pv.table.rename(columns={"capacity_kwp": "pv_kwp"})
    if analysis.sizing is not None:
        table = table.merge(analysis.sizing.table[["firm_id", "capex_vnd"]], on="firm_id", how="left")
    else:
        table["capex_vnd"] = float("nan")
    return table[columns]


def macc(
    ctx: typer.Context,
    park: Annotated[str, typer.Option("--park", help=_both("decarbonisation.option.park"))],
    plot: Annotated[Path | None, typer.Option("--plot", help=_both("decarbonisation.option.plot"))] = None,
    as_json: Annotated[bool, typer.Option("--json", help=_both("decarbonisation.option.json"))] = False,
    year: Annotated[int | None, typer.Option("--year", help=_both("decarbonisation.option.year"))] = None,
    grid_scenario: Annotated[
        str | None, typer.Option("--grid-scenario", help=_both("decarbonisation.option.grid_scenario"))
    ] = None,
) -> None:
    """Marginal abatement cost curve of every measure in every firm."""
    cli = state(ctx)
    _, analysis, origin = _analysis(cli, park, year, None, None)
    settings = MaccSettings(grid_scenario=grid_scenario) if grid_scenario else MaccSettings()
    table, excluded = macc_table(analysis.options, settings)
    by_measure = macc_by_measure(table)
    notes = _notes(cli, analysis, origin)
    if plot is not None:
        plot_macc(by_measure, plot, cli.lang)
        notes.append(cli.t("decarbonisation.chart_written", path=str(plot)))
    if as_json:
        document = {
            "park_id": park,
            "measures": _records(by_measure),
            "options": _records(table),
            "excluded": _records(excluded),
            "notes": notes,
        }
        typer.echo(json.dumps(document, ensure_ascii=False, indent=2))
        return
    console = Console()
    print_macc(console, cli, park, by_measure)
    for note in notes:
        console.print(f"- {note}", highlight=False)


def print_macc(console: Console, cli: CliState, park: str, by_measure: pd.DataFrame) -> None:
    """Print the park's abatement cost curve as a table."""
    console.print(cli.t("decarbonisation.macc.title", park=park), highlight=False)
    columns = ("measure", "firms", "abatement_t", "cost_vnd_per_t", "capex_billion_vnd")
    view = Table(*(cli.t(f"decarbonisation.column.{c}") for c in columns))
    name = "name_vi" if cli.lang == "vi" else "name_en"
    for row in _records(by_measure):
        view.add_row(
            str(row[name]),
            str(row["firms"]),
            _number(row["levelised_abatement_t_per_yr"]),
            _number(row["cost_vnd_per_t"]),
            _number(row["capex_vnd"] / 1e9, 1),
        )
    console.print(view)


def plan(
    ctx: typer.Context,
    park: Annotated[str, typer.Option("--park", help=_both("decarbonisation.option.park"))],
    target: Annotated[str, typer.Option("--target", help=_both("decarbonisation.option.target"))] = "net-zero-2050",
    budget: Annotated[float | None, typer.Option("--budget", help=_both("decarbonisation.option.budget"))] = None,
    as_json: Annotated[bool, typer.Option("--json", help=_both("decarbonisation.option.json"))] = False,
    plot: Annotated[Path | None, typer.Option("--plot", help=_both("decarbonisation.option.plot"))] = None,
    year: Annotated[int | None, typer.Option("--year", help=_both("decarbonisation.option.year"))] = None,
    grid_scenario: Annotated[
        str | None, typer.Option("--grid-scenario", help=_both("decarbonisation.option.grid_scenario"))
    ] = None,
    enforce_ndc: Annotated[bool, typer.Option("--enforce-ndc", help=_both("decarbonisation.option.enforce_ndc"))] = False,
) -> None:
    """Which measures, in which firms, in which year, to 2050."""
    cli = state(ctx)
    _, analysis, origin = _analysis(cli, park, year, None, None)
    settings = PathwaySettings(
        target=None if target == "none" else target,
        budget_vnd_per_year=budget,
        enforce_ndc=enforce_ndc,
        **({"grid_scenario": grid_scenario} if grid_scenario else {}),
    )
    result = plan_pathway(analysis.options, analysis.energies, settings)
    notes = _notes(cli, analysis, origin)
    if plot is not None:
        plot_pathway(result, plot, cli.lang)
        notes.append(cli.t("decarbonisation.chart_written", path=str(plot)))
    if as_json:
        typer.echo(json.dumps(plan_document(park, result, notes), ensure_ascii=False, indent=2))
        return
    console = Console()
    print_plan(console, cli, park, result)
    for note in notes:
        console.print(f"- {note}", highlight=False)


def plan_document(park: str, result: PathwayResult, notes: list[str]) -> dict[str, Any]:
    """The plan as one JSON-ready document."""
    explanation = None
    if result.explanation is not None:
        explanation = _clean(
            {
                "binding": result.explanation.binding,
                "shortfall_t": {str(k): v for k, v in result.explanation.shortfall_t.items()},
                "shortfall_unlimited_budget_t": {str(k): v for k, v in result.explanation.shortfall_unlimited_t.items()},
                "binding_budget_years": list(result.explanation.binding_budget_years),
            }
        )
    return {
        "park_id": park,
        "status": result.status,
        "mip_gap": _clean(result.mip_gap),
        "objective_vnd": _clean(result.objective_vnd),
        "targets": [
            {"target": t.id, "year": t.year, "limit_t": _clean(limit), "met": met, "status": t.status}
            for t, limit, met in result.targets
        ],
        "explanation": explanation,
        "emissions": _records(result.emissions),
        "spending": _records(result.spending),
        "timeline": _records(result.timeline),
        "notes": notes,
    }


def print_plan(console: Console, cli: CliState, park: str, result: PathwayResult) -> None:
    """Print a plan's summary: status, targets, emissions and spending by milestone year, first measures."""
    console.print(
        cli.t("decarbonisation.plan.title", park=park, status=cli.t(f"decarbonisation.status.{result.status}")), highlight=False
    )
    for target, limit, met in result.targets:
        key = "decarbonisation.plan.target_met" if met else "decarbonisation.plan.target_missed"
        console.print(cli.t(key, target=target.id, year=target.year, limit=_number(limit)), highlight=False)
    if result.explanation is not None:
        for year, shortfall in result.explanation.shortfall_t.items():
            if shortfall > 0:
                console.print(cli.t("decarbonisation.plan.shortfall", year=year, tonnes=_number(shortfall)), highlight=False)
        console.print(cli.t(f"decarbonisation.plan.binding_{result.explanation.binding}"), highlight=False)
        if result.explanation.binding_budget_years:
            years = ", ".join(str(y) for y in result.explanation.binding_budget_years)
            console.print(cli.t("decarbonisation.plan.budget_years", years=years), highlight=False)
    milestones = result.emissions[result.emissions["year"].isin([2025, 2030, 2035, 2040, 2045, 2050])]
    capex_by_year = dict(zip(result.spending["year"].tolist(), result.spending["capex_vnd"].tolist(), strict=True))
    columns = ("year", "bau_t", "scope1_t", "scope2_market_t", "removals_t", "net_t", "capex_billion_vnd")
    view = Table(*(cli.t(f"decarbonisation.column.{c}") for c in columns))
    for row in _records(milestones):
        view.add_row(
            str(row["year"]),
            _number(row["bau_t"]),
            _number(row["scope1_t"]),
            _number(row["scope2_market_t"]),
            _number(row["removals_t"]),
            _number(row["net_t"]),
            _number(capex_by_year[row["year"]] / 1e9, 1),
        )
    console.print(view)
    firsts = result.timeline.groupby("measure_id").agg(first_year=("year", "min"), firms=("firm_id", "nunique")).reset_index()
    for row in _records(firsts.sort_values("first_year")):
        console.print(
            cli.t("decarbonisation.plan.measure_line", measure=row["measure_id"], year=row["first_year"], firms=row["firms"]),
            highlight=False,
        )


def demo_step(cli: CliState, workspace: Workspace, console: Console) -> None:
    """Print the demo park's plan summary and write its MACC and pathway charts to ``workspace/reports``."""
    snapshot, energies, origin = park_energy(workspace, DEMO_PARK)
    analysis = analyse_park(snapshot.park, energies, PvSettings(zero_export_price_if_missing=True))
    table, _ = macc_table(analysis.options)
    by_measure = macc_by_measure(table)
    print_macc(console, cli, DEMO_PARK, by_measure)
    result = plan_pathway(analysis.options, analysis.energies, PathwaySettings())
    print_plan(console, cli, DEMO_PARK, result)
    reports = workspace.path / "reports"
    for path in (
        plot_macc(by_measure, reports / "demo_macc.png", cli.lang),
        plot_pathway(result, reports / "demo_pathway.png", cli.lang),
    ):
        console.print(cli.t("decarbonisation.chart_written", path=str(path)), highlight=False)
    for note in _notes(cli, analysis, origin):
        console.print(f"- {note}", highlight=False)
