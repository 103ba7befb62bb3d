"""``ecozone import readings``, ``ecozone kpi`` and ``ecozone ghg``."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date as date_type
from pathlib import Path
from typing import Annotated, Any, Literal

import pandas as pd
import typer
from rich.console import Console
from rich.table import Table

from ecozone.cli.context import CliState, state
from ecozone.errors import EcozoneError, NotFoundError
from ecozone.store.snapshot import ParkSnapshot
from ecozone.store.workspace import Workspace

ParkOption = Annotated[str, typer.Option("--park", help="Park id.")]
YearOption = Annotated[int, typer.Option("--year", help="Calendar year (local time).")]
FirmOption = Annotated[str | None, typer.Option("--firm", help="Only this firm of the park.")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print one JSON object instead of tables.")]
PlotOption = Annotated[Path | None, typer.Option("--plot", help="Also draw a chart into this PNG file.")]
EngineOption = Annotated[str, typer.Option("--engine", help="Query engine: duckdb (one machine) or spark (local Spark).")]
FallbackOption = Annotated[
    bool, typer.Option("--tariff-fallback", help="Price days no shipped EVN table covers with the nearest table (flagged).")
]


@dataclass(frozen=True)
class Scope:
    """The park, and optionally one of its firms, that a command reports on."""

    park: ParkSnapshot
    firm_id: str | None

    @property
    def label(self) -> str:
        """Firm id or park id."""
        return self.firm_id or self.park.park.id

    def meter_frame(self) -> pd.DataFrame:
        """The scope's meters (all the park's, or the firm's)."""
        from ecozone.meters.rollup import meter_frame

        meters = [m for m in self.park.meters if self.firm_id is None or m.firm_id == self.firm_id]
        return meter_frame(meters)


def _scope(workspace: Workspace, park_id: str, firm_id: str | None) -> Scope:
    from ecozone.store.registry_store import load_park

    park = load_park(workspace, park_id)
    if firm_id is not None and firm_id not in {f.id for f in park.firms}:
        raise NotFoundError("kpi.firm_not_in_park", firm=firm_id, park=park_id)
    return Scope(park, firm_id)


def _level(scope: Scope) -> Literal["firm", "park"]:
    return "firm" if scope.firm_id else "park"


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    cleaned = frame.astype(object).where(frame.notna(), None)
    return [
        {str(k): (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in row.items()} for row in cleaned.to_dict("records")
    ]


def stored_readings(workspace: Workspace, engine: str = "duckdb") -> Any:
    """The workspace's readings as an Ibis table on ``engine`` (``duckdb`` or ``spark``)."""
    from ecozone.meters.engines import open_readings_on

    return open_readings_on(engine, workspace.readings_path)


def kpi_document(
    workspace: Workspace, scope: Scope, year: int, *, fallback: bool = False, engine: str = "duckdb"
) -> dict[str, Any]:
    """Compute the scope's yearly KPIs from the readings store as one JSON-ready document."""
    from ecozone.meters import kpis
    from ecozone.meters.rollup import electricity_cost, year_readings

    meters = scope.meter_frame()
    readings = year_readings(stored_readings(workspace, engine), meters["meter_id"], year).drop("period_start")
    roles = {m: r for m, r in zip(meters["meter_id"], meters["role"], strict=True) if r}
    level = _level(scope)
    energy = kpis.energy_by_carrier(readings, level=level, period="year").execute()
    if energy.empty:
        raise NotFoundError("kpi.no_readings", scope=scope.label, year=year)
    monthly = kpis.electricity_demand(readings, level=level, period="month").execute()
    denominators = kpis.intensity_denominators([scope.park])
    document: dict[str, Any] = {
        "park_id": scope.park.park.id,
        "firm_id": scope.firm_id,
        "year": year,
        "synthetic": scope.park.park.is_synthetic,
        "energy_by_carrier": _records(energy),
        "electricity_monthly": _records(monthly.sort_values("period_start")),
        "renewable": _records(kpis.renewable_share(readings, roles, level=level, period="year").execute()),
        "water": _records(kpis.water_balance(readings, roles, level=level, period="year").execute()),
        "waste": _records(kpis.waste_by_fate(readings, roles, level=level, period="year").execute()),
        "intensity": _records(kpis.energy_intensity(readings, denominators, level=level, period="year").execute()),
    }
    try:
        cost = electricity_cost(readings, meters, year, fallback=fallback)
        document["electricity_cost"] = _records(cost)
    except EcozoneError as error:
        document["electricity_cost"] = None
        document["electricity_cost_error"] = {
            "key": error.key,
            "message_en": error.message("en"),
            "message_vi": error.message("vi"),
        }
    return document


def _number(value: Any, digits: int = 0) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "–"
    return f"{float(value):,.{digits}f}"


def _print_kpis(cli: CliState, document: dict[str, Any], console: Console) -> None:
    t = cli.t
    scope = document["firm_id"] or document["park_id"]
    console.print(f"[bold]{t('kpi.title', scope=scope, year=document['year'])}[/]")
    columns = ("carrier", "quantity", "unit", "energy_mwh", "energy_gj", "flagged")
    energy = Table(*(t(f"kpi.column.{c}") for c in columns), title=t("kpi.energy_title"))
    for row in document["energy_by_carrier"]:
        mwh = None if row["energy_kwh"] is None else row["energy_kwh"] / 1000
        cells = (_number(row["quantity"]), row["unit"], _number(mwh), _number(row["energy_gj"]), str(row["flagged_readings"]))
        energy.add_row(row["carrier"], *cells)
    console.print(energy)
    costs = _monthly_costs(document)
    months = ("month", "energy_mwh", "peak_kw", "load_factor", "cost_mvnd")
    monthly = Table(*(t(f"kpi.column.{c}") for c in months), title=t("kpi.monthly_title"))
    for row in document["electricity_monthly"]:
        month = str(row["period_start"])[:7]
        cost = costs.get(month, float("nan")) / 1e6
        monthly.add_row(
            month, _number(row["energy_kwh"] / 1000), _number(row["peak_kw"]), _number(row["load_factor"], 2), _number(cost, 1)
        )
    console.print(monthly)
    console.print(_indicator_table(cli, document))
    _print_cost_notes(cli, document, console)
    console.print(f"[dim]{t('kpi.unverified_note')}[/]")


def _monthly_costs(document: dict[str, Any]) -> dict[str, float]:
    totals: dict[str, float] = {}
    for row in document.get("electricity_cost") or []:
        totals[row["month"]] = totals.get(row["month"], 0.0) + float(row["cost_vnd"])
    return totals


def _indicator_table(cli: CliState, document: dict[str, Any]) -> Table:
    t = cli.t
    table = Table(t("kpi.column.indicator"), t("kpi.column.value"), title=t("kpi.indicators_title"))
    for row in document["renewable"]:
        table.add_row(t("kpi.renewable_share"), _number(100 * (row["renewable_share"] or 0), 2))
    for row in document["water"]:
        table.add_row(t("kpi.water_withdrawal"), _number(row["withdrawal_m3"]))
        if row["recycled_share"] is not None:
            table.add_row(t("kpi.recycled_share"), _number(100 * row["recycled_share"], 1))
        if row["wastewater_treated_share"] is not None:
            table.add_row(t("kpi.wastewater_treated_share"), _number(100 * row["wastewater_treated_share"], 1))
    for row in document["waste"]:
        table.add_row(t("kpi.waste_fate", carrier=row["carrier"], fate=row["fate"]), _number(row["mass_t"], 1))
    for row in document["intensity"]:
        for key, value in row.items():
            if key.startswith("energy_kwh_per_") and value is not None:
                table.add_row(t("kpi.intensity", denominator=key.removeprefix("energy_")), _number(value, 2))
    costs = _monthly_costs(document)
    if costs:
        table.add_row(t("kpi.cost_total"), _number(sum(costs.values()) / 1e6, 1))
    return table


def _print_cost_notes(cli: CliState, document: dict[str, Any], console: Console) -> None:
    error = document.get("electricity_cost_error")
    if error:
        console.print(f"[yellow]{cli.t('kpi.cost_unavailable', reason=error['message_' + cli.lang])}[/]")
        return
    fallbacks = {row["decision"] for row in document.get("electricity_cost") or [] if row["fallback_table"]}
    if fallbacks:
        console.print(f"[yellow]{cli.t('kpi.cost_fallback', decision=', '.join(sorted(fallbacks)))}[/]")


def _plot_energy(cli: CliState, document: dict[str, Any], path: Path, workspace: Workspace, scope: Scope, year: int) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from ecozone.meters import kpis
    from ecozone.meters.dataset import open_readings
    from ecozone.meters.rollup import year_readings

    meters = scope.meter_frame()
    readings = year_readings(open_readings(workspace.readings_path), meters["meter_id"], year).drop("period_start")
    monthly = kpis.energy_by_carrier(readings, level=_level(scope), period="month").execute()
    pivot = monthly.pivot_table(index="period_start", columns="carrier", values="energy_kwh", aggfunc="sum").fillna(0) / 1000
    figure, axes = plt.subplots(figsize=(9, 4.5))
    pivot.index = [str(p)[:7] for p in pivot.index]
    pivot.plot(kind="bar", stacked=True, ax=axes, width=0.8)
    axes.set_ylabel(cli.t("kpi.plot_axis"))
    axes.set_title(cli.t("kpi.plot_title", scope=scope.label, year=year))
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=110)
    plt.close(figure)


def ghg_result(
    workspace: Workspace, scope: Scope, year: int, *, gwp: str = "AR5", engine: str = "duckdb"
) -> tuple[Any, list[str]]:
    """Compute the scope's inventory for ``year`` from the readings store.

    Returns
    -------
    tuple
        (:class:`ecozone.ghg.InventoryResult`, waste meters left out for want of a fate).
    """
    from ecozone.ghg import InventorySettings, compute_inventory
    from ecozone.meters.rollup import annual_quantities, ghg_activity, parent_of

    meters = scope.meter_frame()
    quantities = annual_quantities(stored_readings(workspace, engine), meters["meter_id"], year)
    if quantities.empty:
        raise NotFoundError("kpi.no_readings", scope=scope.label, year=year)
    activity, instruments, without_fate = ghg_activity(quantities, meters, year)
    settings = InventorySettings(gwp_set=gwp)
    result = compute_inventory(activity, instruments, settings, parent_of=parent_of(meters))
    return result, without_fate


def _ghg_rows(result: Any, scope: Scope) -> pd.DataFrame:
    summary: pd.DataFrame = result.summary
    if scope.firm_id:
        return summary[summary["entity_id"] == scope.firm_id]
    return summary


def _print_ghg(cli: CliState, rows: pd.DataFrame, scope: Scope, year: int, without_fate: list[str], console: Console) -> None:
    t = cli.t
    headers = ("entity", "scope1", "scope2_location", "scope2_market", "scope3", "total", "decree06")
    table = Table(*(t(f"ghg.cli.{h}") for h in headers), title=t("ghg.cli.title", scope=scope.label, year=year))
    for row in rows.sort_values(["entity_kind", "total_t"], ascending=[False, False]).itertuples():
        name = t("ghg.cli.park_total", park=row.entity_id) if row.entity_kind == "rollup" else str(row.entity_id)
        totals = (row.scope1_t, row.scope2_location_t, row.scope2_market_t, row.scope3_t, row.total_t)
        obliged = t("ghg.cli.yes") if row.decree06_obligation else t("ghg.cli.no")
        table.add_row(name, *(_number(v) for v in totals), obliged)
    console.print(table)
    if rows["estimate_grid_factor"].any():
        console.print(f"[yellow]{t('ghg.cli.estimate_grid', year=year)}[/]")
    not_assessed = sorted({c for text in rows["not_assessed"] for c in str(text).split(";") if c})
    if not_assessed:
        console.print(f"[dim]{t('ghg.cli.not_assessed', categories=', '.join(not_assessed))}[/]")
    if without_fate:
        console.print(f"[yellow]{t('ghg.cli.waste_without_fate', meters=', '.join(without_fate))}[/]")
    console.print(f"[dim]{t('kpi.unverified_note')}[/]")


def _plot_ghg(cli: CliState, rows: pd.DataFrame, path: Path, scope: Scope, year: int) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    firms = rows[rows["entity_kind"] != "rollup"].sort_values("total_t", ascending=False).head(20)
    figure, axes = plt.subplots(figsize=(9, 4.5))
    bottom = None
    for column, label in (
        ("scope1_t", "ghg.cli.scope1"),
        ("scope2_location_t", "ghg.cli.scope2_location"),
        ("scope3_t", "ghg.cli.scope3"),
    ):
        values = firms[column].fillna(0).to_numpy()
        axes.bar(firms["entity_id"], values, bottom=bottom, label=cli.t(label))
        bottom = values if bottom is None else bottom + values
    axes.set_ylabel("tCO2e")
    axes.set_title(cli.t("ghg.cli.plot_title", scope=scope.label, year=year))
    axes.tick_params(axis="x", rotation=70, labelsize=7)
    axes.legend()
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=110)
    plt.close(figure)


def _import_readings_command(
    ctx: typer.Context,
    files: Annotated[list[Path], typer.Argument(help="CSV, XLSX or Parquet files with meter_id, timestamp, value[, unit].")],
    timezone: Annotated[str, typer.Option("--timezone", help="Time zone of timestamps without an offset.")] = "Asia/Ho_Chi_Minh",
    interval_label: Annotated[
        str, typer.Option("--interval-label", help="Timestamps mark the interval's start or end.")
    ] = "start",
    decimal_comma: Annotated[bool, typer.Option("--decimal-comma", help="Read numbers written 1.234,5.")] = False,
    encoding: Annotated[str | None, typer.Option("--encoding", help="Force the CSV text encoding.")] = None,
) -> None:
    """Import meter readings: units checked against each meter's carrier, quality-flagged, all or nothing."""
    from ecozone.meters.ingest import import_readings
    from ecozone.store.registry_store import load_registry

    cli = state(ctx)
    workspace = cli.open_workspace()
    meters = {m.id: m for park in load_registry(workspace).parks for m in park.meters}
    report = import_readings(
        workspace.readings_path,
        files,
        meters,
        timezone=timezone,
        interval_label=interval_label,  # type: ignore[arg-type]
        decimal_comma=decimal_comma,
        encoding=encoding,
        quarantine_path=workspace.path / "quarantine",
    )
    console = Console()
    for line in report.lines(cli.lang):
        console.print(line, highlight=False)


def register_import(import_app: typer.Typer) -> None:
    """Add ``readings`` to the ``import`` group."""
    import_app.command("readings")(_import_readings_command)


def register(app: typer.Typer) -> None:
    """Add the ``kpi`` and ``ghg`` commands to ``app``."""

    @app.command()
    def kpi(
        ctx: typer.Context,
        park: ParkOption,
        year: YearOption,
        firm: FirmOption = None,
        as_json: JsonOption = False,
        plot: PlotOption = None,
        tariff_fallback: FallbackOption = False,
        engine: EngineOption = "duckdb",
    ) -> None:
        """Energy, electricity demand and cost, water, waste, renewable share and intensities."""
        cli = state(ctx)
        workspace = cli.open_workspace()
        scope = _scope(workspace, park, firm)
        document = kpi_document(workspace, scope, year, fallback=tariff_fallback, engine=engine)
        if as_json:
            typer.echo(json.dumps(document, ensure_ascii=False, default=str))
        else:
            _print_kpis(cli, document, Console())
        if plot is not None:
            _plot_energy(cli, document, plot, workspace, scope, year)
            Console(stderr=True).print(cli.t("kpi.plot_written", path=str(plot)))

    @app.command()
    def ghg(
        ctx: typer.Context,
        park: ParkOption,
        year: YearOption,
        firm: FirmOption = None,
        as_json: JsonOption = False,
        plot: PlotOption = None,
        uncertainty: Annotated[bool, typer.Option("--uncertainty", help="Add a Monte Carlo range of the totals.")] = False,
        gwp: Annotated[str, typer.Option("--gwp", help="GWP set: AR5 (as Viet Nam reports) or AR6.")] = "AR5",
        engine: EngineOption = "duckdb",
    ) -> None:
        """GHG inventory (Scope 1, 2 location and market, 3 cat. 3 and 5) from the meters."""
        cli = state(ctx)
        gwp = gwp.upper()
        if gwp not in ("AR5", "AR6"):
            raise EcozoneError("ghg.cli.bad_gwp", value=gwp)
        workspace = cli.open_workspace()
        scope = _scope(workspace, park, firm)
        result, without_fate = ghg_result(workspace, scope, year, gwp=gwp, engine=engine)
        rows = _ghg_rows(result, scope)
        ranges = _uncertainty(workspace, scope, year, gwp) if uncertainty else None
        if as_json:
            document = {
                "park_id": scope.park.park.id,
                "firm_id": scope.firm_id,
                "year": year,
                "summary": _records(rows),
                "factors": _records(result.factors),
                "waste_meters_without_fate": without_fate,
                "uncertainty": None if ranges is None else _records(ranges),
            }
            typer.echo(json.dumps(document, ensure_ascii=False, default=str))
        else:
            console = Console()
            _print_ghg(cli, rows, scope, year, without_fate, console)
            if ranges is not None:
                _print_uncertainty(cli, ranges, scope, console)
        if plot is not None:
            _plot_ghg(cli, rows, plot, scope, year)
            Console(stderr=True).print(cli.t("kpi.plot_written", path=str(plot)))


def _uncertainty(workspace: Workspace, scope: Scope, year: int, gwp: str) -> pd.DataFrame:
    from ecozone.ghg import InventorySettings, monte_carlo
    from ecozone.meters.dataset import open_readings
    from ecozone.meters.rollup import annual_quantities, ghg_activity, parent_of

    meters = scope.meter_frame()
    quantities = annual_quantities(open_readings(workspace.readings_path), meters["meter_id"], year)
    activity, instruments, _ = ghg_activity(quantities, meters, year)
    settings = InventorySettings(gwp_set=gwp)
    return monte_carlo(activity, instruments, settings, draws=1000, seed=year, parent_of=parent_of(meters))


def _print_uncertainty(cli: CliState, ranges: pd.DataFrame, scope: Scope, console: Console) -> None:
    wanted = ranges[(ranges["entity_id"] == scope.label) & (ranges["quantity"] == "total_t")]
    for row in wanted.itertuples():
        console.print(cli.t("ghg.cli.uncertainty", draws=row.draws, p50=row.p50_t, p2_5=row.p2_5_t, p97_5=row.p97_5_t))


def demo_readings_step(cli: CliState, workspace: Workspace, console: Console) -> None:
    """Import the demo park's synthetic 2024 readings, then show its KPIs and inventory with charts."""
    import pyarrow as pa

    from ecozone.demo import demo_registry
    from ecozone.demo.readings import demo_readings
    from ecozone.meters.ingest import import_readings_files
    from ecozone.meters.readings_file import NORMALISED_SCHEMA, ReadingsFile
    from ecozone.store.registry_store import load_park

    year, seed = 2024, 20240101
    frame = demo_readings(demo_registry(seed), year, seed)
    table = pa.table(
        {
            "row": pa.array(range(1, len(frame) + 1), pa.int64()),
            "meter_id": pa.array(frame["meter_id"].astype(str)),
            "ts_utc": pa.array(frame["timestamp"].dt.tz_convert(None).astype("datetime64[us]")),
            "value": pa.array(frame["value"].astype(float)),
            "value_text": pa.nulls(len(frame), pa.string()),
            "unit": pa.array(frame["unit"].astype(str)),
            "estimated": pa.array(frame["estimated"].astype(bool)),
        },
        schema=NORMALISED_SCHEMA,
    )
    digest = hashlib.sha256(f"ecozone-demo-readings:{seed}:{year}".encode()).hexdigest()
    park = load_park(workspace, "demo")
    report = import_readings_files(
        workspace.readings_path,
        [ReadingsFile(f"demo-readings-{year}", digest, table)],
        {m.id: m for m in park.meters},
        quarantine_path=workspace.path / "quarantine",
    )
    console.print(cli.t("demo.readings_imported", year=year, summary=report.lines(cli.lang)[0]))
    scope = Scope(park, None)
    reports = workspace.path / "reports"
    document = kpi_document(workspace, scope, year, fallback=True)
    _print_kpis(cli, document, console)
    _plot_energy(cli, document, reports / "demo-energy-2024.png", workspace, scope, year)
    result, without_fate = ghg_result(workspace, scope, year)
    rows = _ghg_rows(result, scope)
    _print_ghg(cli, rows[rows["entity_kind"] == "rollup"], scope, year, without_fate, console)
    _plot_ghg(cli, rows, reports / "demo-ghg-2024.png", scope, year)
    for name in ("demo-energy-2024.png", "demo-ghg-2024.png"):
        console.print(cli.t("kpi.plot_written", path=str(reports / name)))


COMPLETE_MONTH_SHARE = 0.9
"""A meter-month counts as complete with at least 90 % of its expected intervals (ecozone default)."""


def _complete_months(readings: Any, meters: pd.DataFrame, carrier: str, on: date_type) -> int:
    """Consecutive calendar months, ending with ``on``'s month, in which every meter of ``carrier`` is complete."""
    from ecozone.meters.kpis import with_period

    chosen = meters[meters["carrier"] == carrier]
    if chosen.empty:
        return 0
    dated = with_period(readings.filter(readings.meter_id.isin(list(chosen["meter_id"]))), "month")
    counts = dated.group_by(["meter_id", "period_start", "interval_minutes"]).aggregate(n=dated.count()).execute()
    if counts.empty:
        return 0
    start = pd.to_datetime(counts["period_start"])
    expected = start.dt.days_in_month * 1440 / counts["interval_minutes"].clip(lower=1).clip(upper=44640)
    counts["complete"] = counts["n"] >= COMPLETE_MONTH_SHARE * expected.clip(lower=1)
    counts["month"] = start.dt.to_period("M")
    complete = counts.groupby("month")["complete"].agg(lambda c: bool(c.all()) and len(c) == len(chosen))
    months, month = 0, pd.Period(on, "M")
    while complete.get(month, False):
        months += 1
        month -= 1
    return months


def assessment_metrics(workspace: Workspace, snapshot: ParkSnapshot, on: date_type) -> dict[str, Any]:
    """Measured KPIs for the assessment engine: shares from the year's readings and data coverage.

    Returns nothing when the park has no readings in ``on``'s year, so answers are used instead.
    """
    from ecozone.assessment.kpis import Measurement
    from ecozone.meters import kpis
    from ecozone.meters.dataset import open_readings
    from ecozone.meters.rollup import year_readings

    scope = Scope(snapshot, None)
    meters = scope.meter_frame()
    stored = open_readings(workspace.readings_path)
    readings = year_readings(stored, meters["meter_id"], on.year).drop("period_start")
    roles = {m: r for m, r in zip(meters["meter_id"], meters["role"], strict=True) if r}
    if int(readings.count().execute()) == 0:
        return {}
    found: dict[str, Any] = {}
    detail = f"ecozone kpi --park {snapshot.park.id} --year {on.year}"
    renewable = kpis.renewable_share(readings, roles, level="park", period="year").execute()
    if not renewable.empty and renewable["electricity_use_kwh"].iloc[0]:
        found["renewable_energy_share_pct"] = Measurement(
            100 * float(renewable["renewable_share"].iloc[0]), "%", "meters", detail
        )
    water = kpis.water_balance(readings, roles, level="park", period="year").execute()
    row = water.iloc[0] if not water.empty else None
    if row is not None and row["wastewater_m3"]:
        found["wastewater_treated_share_pct"] = Measurement(100 * float(row["wastewater_treated_share"]), "%", "meters", detail)
        found["wastewater_reused_share_pct"] = Measurement(
            100 * float(row["recycled_m3"] / row["wastewater_m3"]), "%", "meters", detail
        )
    waste = kpis.waste_by_fate(readings, roles, level="park", period="year").execute()
    solid = waste[waste["carrier"] == "solid_waste"]
    if not solid.empty and solid["mass_kg"].sum() > 0:
        recovered = solid.loc[solid["fate"].isin(["reuse", "recycling"]), "mass_kg"].sum()
        found["solid_waste_recovered_share_pct"] = Measurement(
            100 * float(recovered / solid["mass_kg"].sum()), "%", "meters", detail
        )
    for name, carrier in (("energy_data_months", "electricity"), ("water_data_months", "water_withdrawal")):
        found[name] = Measurement(float(_complete_months(stored, meters, carrier, on)), "months", "meters", detail)
    return found
