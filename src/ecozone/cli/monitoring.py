"""``ecozone monitor run``, ``ecozone monitor alerts list|ack|close`` and ``ecozone forecast``.

Readings come from ``--readings FILE`` (CSV or Parquet with ``meter_id``, ``timestamp`` in UTC
or with an offset, ``value`` in the meter's registry unit, optional ``expected``) or, without
it, from the workspace's readings store (:mod:`ecozone.meters`, read only; values in the
meters' base units). ``monitor run`` keeps its watermark in the store, so it can run every
15 minutes from cron and re-running over the same readings creates no duplicate alert.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import pandas as pd
import typer
from rich.console import Console
from rich.table import Table

from ecozone.cli.context import CliState, state
from ecozone.i18n import translate

if TYPE_CHECKING:
    from ecozone.monitoring.forecasting import ForecastResult
    from ecozone.monitoring.incremental import StoredAlert
    from ecozone.monitoring.inputs import MonitoredMeter
    from ecozone.store.monitoring_store import RunSummary
    from ecozone.store.workspace import Workspace


def _both(key: str) -> str:
    return f"{translate(key, 'en')} / {translate(key, 'vi')}"


ParkOption = Annotated[str, typer.Option("--park", help=_both("monitoring.option.park"))]
ReadingsOption = Annotated[Path | None, typer.Option("--readings", help=_both("monitoring.option.readings"))]
TemperatureOption = Annotated[Path | None, typer.Option("--temperature", help=_both("monitoring.option.temperature"))]
JsonOption = Annotated[bool, typer.Option("--json", help=_both("monitoring.option.json"))]
HISTORY_WEEKS = 10
"""Weeks of stored readings loaded before the scored window (profile history and forecast lags)."""


def register(app: typer.Typer) -> None:
    """Add the ``monitor`` group and the ``forecast`` command to ``app``."""
    monitor = typer.Typer(help=_both("monitoring.help"), no_args_is_help=True)
    alerts = typer.Typer(help=_both("monitoring.alerts.help"), no_args_is_help=True)
    monitor.command("run", help=_both("monitoring.run.help"))(run)
    alerts.command("list", help=_both("monitoring.alerts.list.help"))(list_command)
    alerts.command("ack", help=_both("monitoring.alerts.ack.help"))(ack)
    alerts.command("close", help=_both("monitoring.alerts.close.help"))(close)
    monitor.add_typer(alerts, name="alerts")
    app.add_typer(monitor, name="monitor")
    app.command("forecast", help=_both("monitoring.forecast.help"))(forecast)


def _parse_time(text: str | None) -> pd.Timestamp | None:
    from ecozone.monitoring.inputs import MonitoringInputError

    if text is None:
        return None
    try:
        stamp = pd.Timestamp(text)
    except ValueError as exc:
        raise MonitoringInputError("monitoring.error.bad_time", value=text) from exc
    return stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")


def _read_table(path: Path) -> pd.DataFrame:
    from ecozone.monitoring.inputs import MonitoringInputError

    try:
        if path.suffix.lower() == ".parquet":
            return pd.read_parquet(path)
        return pd.read_csv(path)
    except (OSError, ValueError) as exc:
        raise MonitoringInputError("monitoring.error.readings_file", file=str(path), detail=str(exc)[:200]) from exc


def park_meters(workspace: Workspace, park_id: str, *, base_units: bool) -> dict[str, MonitoredMeter]:
    """Return the park's meters for monitoring (units in base units when readings come from the store)."""
    from dataclasses import replace

    from ecozone.monitoring.inputs import monitored_meters
    from ecozone.store.registry_store import load_park
    from ecozone.units import parse_unit

    meters = monitored_meters(load_park(workspace, park_id).meters)
    if not base_units:
        return meters
    return {key: replace(meter, unit=parse_unit(meter.unit).base_unit) for key, meter in meters.items()}


def load_readings(
    workspace: Workspace, park_id: str, readings_file: Path | None, since: pd.Timestamp | None
) -> tuple[pd.DataFrame, bool]:
    """Return readings (from the file, else the workspace store) and whether they are in base units."""
    from ecozone.monitoring.inputs import MonitoringInputError
    from ecozone.store.monitoring_store import stored_readings

    if readings_file is not None:
        return _read_table(readings_file), False
    first = None if since is None else since - pd.Timedelta(weeks=HISTORY_WEEKS)
    frame = stored_readings(workspace, park_id, first)
    if frame.empty:
        raise MonitoringInputError("monitoring.error.no_readings_source")
    return frame, True


def _temperature(path: Path | None) -> pd.DataFrame | None:
    return None if path is None else _read_table(path)


def run(
    ctx: typer.Context,
    park: ParkOption = "demo",
    since: Annotated[str | None, typer.Option("--since", help=_both("monitoring.option.since"))] = None,
    readings: ReadingsOption = None,
    temperature: TemperatureOption = None,
    as_json: JsonOption = False,
) -> None:
    """Score the readings that arrived since the last run and store the alerts."""
    from ecozone.store.monitoring_store import last_watermark, monitor_readings

    cli = state(ctx)
    workspace = cli.open_workspace()
    since_time = _parse_time(since)
    anchor = since_time if since_time is not None else (pd.Timestamp(w) if (w := last_watermark(workspace, park)) else None)
    frame, base_units = load_readings(workspace, park, readings, anchor)
    meters = park_meters(workspace, park, base_units=base_units)
    summary = monitor_readings(
        workspace,
        frame,
        meters,
        park_id=park,
        since=since_time.to_pydatetime() if since_time is not None else None,
        temperature=_temperature(temperature),
    )
    if as_json:
        typer.echo(json.dumps(run_document(summary), ensure_ascii=False, indent=2))
        return
    print_run(summary, cli, Console())


def run_document(summary: RunSummary) -> dict[str, Any]:
    """Return the JSON document of ``monitor run``."""
    return {
        "run_id": summary.run_id,
        "park_id": summary.park_id,
        "window_start": summary.window_start.isoformat() if summary.window_start else None,
        "window_end": summary.window_end.isoformat() if summary.window_end else None,
        "readings_until": summary.readings_until.isoformat() if summary.readings_until else None,
        "meters_scored": summary.meters_scored,
        "alerts_inserted": summary.inserted,
        "alerts_updated": summary.updated,
        "alerts_unchanged": summary.unchanged,
        "findings": [finding.as_dict() for finding in summary.findings],
    }


def print_run(summary: RunSummary, cli: CliState, console: Console) -> None:
    """Print what a run did and its findings."""
    console.print(
        cli.t(
            "monitoring.run.summary",
            park=summary.park_id,
            meters=summary.meters_scored,
            inserted=summary.inserted,
            updated=summary.updated,
            unchanged=summary.unchanged,
        ),
        highlight=False,
    )
    for finding in summary.findings:
        console.print(f"- [{finding.severity}] {finding.message(cli.lang)}", highlight=False, markup=False)


def _money(value: float | None) -> str:
    return "—" if value is None else f"{value:,.0f}"


def alerts_table(alerts: list[StoredAlert], lang: str, title: str) -> Table:
    """Return a table of stored alerts with their excess and explanation."""
    from ecozone.monitoring.calendar import format_local

    table = Table(title=title, show_lines=False)
    for key in ("id", "meter", "kind", "severity", "status", "start", "excess", "vnd", "kgco2e", "explanation"):
        table.add_column(translate(f"monitoring.column.{key}", lang), overflow="fold")
    for item in alerts:
        alert = item.alert
        excess = "—" if alert.excess is None else f"{alert.excess:+,.1f} {alert.unit}"
        table.add_row(
            str(item.id),
            alert.meter_id,
            translate(f"monitoring.kind.{alert.kind}", lang),
            translate(f"monitoring.severity.{alert.severity}", lang),
            translate(f"monitoring.status.{alert.status}", lang),
            format_local(pd.Timestamp(alert.start)),
            excess,
            _money(alert.excess_vnd),
            _money(alert.excess_kgco2e),
            alert.explanation(lang),
        )
    return table


def _alert_record(item: StoredAlert) -> dict[str, Any]:
    record = item.alert.as_dict()
    record["id"] = item.id
    for name in ("first_detected_at", "last_detected_at", "acknowledged_at", "closed_at"):
        value = getattr(item, name)
        record[name] = value.isoformat() if value else None
    record.update({"acknowledged_by": item.acknowledged_by, "closed_by": item.closed_by, "note": item.note})
    return record


def list_command(
    ctx: typer.Context,
    park: Annotated[str | None, typer.Option("--park", help=_both("monitoring.option.park"))] = None,
    status: Annotated[str | None, typer.Option("--status", help=_both("monitoring.option.status"))] = None,
    meter: Annotated[str | None, typer.Option("--meter", help=_both("monitoring.option.meter"))] = None,
    kind: Annotated[str | None, typer.Option("--kind", help=_both("monitoring.option.kind"))] = None,
    as_json: JsonOption = False,
) -> None:
    """List stored alerts."""
    from ecozone.store.monitoring_store import list_alerts

    cli = state(ctx)
    alerts = list_alerts(cli.open_workspace(), park, status, meter, kind)
    if as_json:
        typer.echo(json.dumps([_alert_record(item) for item in alerts], ensure_ascii=False, indent=2, default=str))
        return
    console = Console()
    if not alerts:
        console.print(cli.t("monitoring.alerts.none"), highlight=False)
        return
    console.print(alerts_table(alerts, cli.lang, cli.t("monitoring.alerts.title", count=len(alerts))))


ByOption = Annotated[str | None, typer.Option("--by", help=_both("monitoring.option.by"))]
NoteOption = Annotated[str | None, typer.Option("--note", help=_both("monitoring.option.note"))]


def ack(
    ctx: typer.Context,
    alert_id: Annotated[int, typer.Argument(help="Alert id / Số cảnh báo")],
    by: ByOption = None,
    note: NoteOption = None,
) -> None:
    """Acknowledge an alert."""
    from ecozone.store.monitoring_store import acknowledge_alert

    cli = state(ctx)
    item = acknowledge_alert(cli.open_workspace(), alert_id, by, note)
    Console().print(cli.t("monitoring.alerts.acknowledged", alert_id=item.id), highlight=False)


def close(
    ctx: typer.Context,
    alert_id: Annotated[int, typer.Argument(help="Alert id / Số cảnh báo")],
    by: ByOption = None,
    note: NoteOption = None,
) -> None:
    """Close an alert."""
    from ecozone.store.monitoring_store import close_alert

    cli = state(ctx)
    item = close_alert(cli.open_workspace(), alert_id, by, note)
    Console().print(cli.t("monitoring.alerts.closed", alert_id=item.id), highlight=False)


def forecast(
    ctx: typer.Context,
    park: ParkOption = "demo",
    horizon: Annotated[str, typer.Option("--horizon", help=_both("monitoring.option.horizon"))] = "1d",
    level: Annotated[str, typer.Option("--level", help=_both("monitoring.option.level"))] = "park",
    readings: ReadingsOption = None,
    temperature: TemperatureOption = None,
    as_json: JsonOption = False,
    plot: Annotated[Path | None, typer.Option("--plot", help=_both("monitoring.option.plot"))] = None,
) -> None:
    """Forecast electricity use with intervals, beside seasonal-naive, with a backtest of the last horizon."""
    from ecozone.monitoring.forecasting import aggregate_series, backtest, forecast_load, horizon_days
    from ecozone.monitoring.inputs import MonitoringInputError

    cli = state(ctx)
    days = horizon_days(horizon)
    if plot is not None and plot.suffix.lower() != ".png":
        raise MonitoringInputError("monitoring.error.plot_format", file=str(plot))
    workspace = cli.open_workspace()
    frame, base_units = load_readings(workspace, park, readings, None)
    meters = park_meters(workspace, park, base_units=base_units)
    series = aggregate_series(frame, meters, level)
    temperature_series = _temperature_series(temperature)
    ahead = forecast_load(series, days, temperature=temperature_series)
    checked = backtest(series, days, temperature=temperature_series)
    if plot is not None:
        written = draw_forecast(ahead, checked, plot, cli.lang)
        Console(stderr=as_json).print(cli.t("monitoring.forecast.plot_written", path=str(written)), highlight=False)
    if as_json:
        typer.echo(json.dumps({"forecast": ahead.as_dict(), "backtest": checked.as_dict()}, ensure_ascii=False, indent=2))
        return
    print_forecast(ahead, checked, cli, Console())


def _temperature_series(path: Path | None) -> pd.Series | None:
    table = _temperature(path)
    if table is None:
        return None
    return pd.Series(table["temperature_c"].to_numpy(), index=pd.to_datetime(table["timestamp"], utc=True))


def print_forecast(ahead: ForecastResult, checked: ForecastResult, cli: CliState, console: Console) -> None:
    """Print the forecast totals per series and the backtest metrics against seasonal-naive."""
    from ecozone.monitoring.calendar import format_local

    table = Table(
        title=cli.t("monitoring.forecast.title", origin=format_local(pd.Timestamp(ahead.origin)), days=ahead.horizon_days)
    )
    for key in ("series", "lower", "median", "upper", "naive"):
        table.add_column(cli.t(f"monitoring.forecast.column.{key}"), justify="right" if key != "series" else "left")
    for item in ahead.series[:20]:
        frame = item.frame
        table.add_row(
            item.series_id,
            f"{frame['lower'].sum():,.0f}",
            f"{frame['median'].sum():,.0f}",
            f"{frame['upper'].sum():,.0f}",
            f"{frame['seasonal_naive'].sum():,.0f}",
        )
    console.print(table)
    summary = checked.summary()
    if summary:
        console.print(
            cli.t(
                "monitoring.forecast.backtest",
                origin=format_local(pd.Timestamp(checked.origin)),
                mase=f"{summary['mase']:.3f}",
                naive=f"{summary['mase_seasonal_naive']:.3f}",
                mape=f"{summary['mape']:.1f}",
                coverage=f"{100 * summary['coverage']:.0f}",
            ),
            highlight=False,
        )
    for finding in ahead.findings:
        console.print(f"- [{finding.severity}] {finding.message(cli.lang)}", highlight=False, markup=False)


def draw_forecast(ahead: ForecastResult, checked: ForecastResult, path: Path, lang: str) -> Path:
    """Draw the first series' backtest and forecast with their intervals into a PNG file."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axis = plt.subplots(figsize=(11, 4.5))
    for result, label_key in ((checked, "monitoring.plot.backtest"), (ahead, "monitoring.plot.forecast")):
        if not result.series:
            continue
        frame = result.series[0].frame
        local = frame["timestamp"].dt.tz_convert("Asia/Ho_Chi_Minh").dt.tz_localize(None)
        axis.fill_between(local, frame["lower"], frame["upper"], alpha=0.25, label=translate("monitoring.plot.interval", lang))
        axis.plot(local, frame["median"], label=translate(label_key, lang))
        axis.plot(local, frame["seasonal_naive"], linestyle=":", label=translate("monitoring.plot.naive", lang))
        if frame["actual"].notna().any():
            axis.plot(local, frame["actual"], color="black", linewidth=0.8, label=translate("monitoring.plot.actual", lang))
    series_id = ahead.series[0].series_id if ahead.series else ""
    axis.set_title(translate("monitoring.plot.title", lang, series=series_id))
    axis.set_ylabel(translate("monitoring.plot.ylabel", lang, minutes=ahead.interval_minutes))
    axis.legend(loc="upper left", fontsize=8)
    figure.autofmt_xdate()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=110, bbox_inches="tight")
    plt.close(figure)
    return path


def demo_step(cli: CliState, workspace: Workspace, console: Console) -> None:
    """Inject the documented incidents into the demo readings, detect and list them with their excess cost; forecast a day."""
    from ecozone.demo.incidents import DEMO_INCIDENTS, apply_incidents, demo_temperature, demo_window_readings, scoring_window_utc
    from ecozone.demo.readings import DEFAULT_SEED, DEFAULT_YEAR, demo_readings
    from ecozone.demo.registry import demo_registry
    from ecozone.monitoring.forecasting import aggregate_series, backtest, forecast_load
    from ecozone.monitoring.synthetic import match_alerts
    from ecozone.store.monitoring_store import list_alerts, monitor_readings

    readings = demo_window_readings(demo_readings(demo_registry(DEFAULT_SEED), DEFAULT_YEAR, DEFAULT_SEED))
    readings, labels = apply_incidents(readings)
    meters = park_meters(workspace, "demo", base_units=False)
    start, end = scoring_window_utc()
    temperature = demo_temperature(DEFAULT_YEAR, DEFAULT_SEED)
    summary = monitor_readings(
        workspace, readings, meters, park_id="demo", since=start.to_pydatetime(), temperature=temperature, lookback_days=0
    )
    print_run(summary, cli, console)
    alerts = [item for item in list_alerts(workspace, "demo") if start <= pd.Timestamp(item.alert.start) < end]
    incident_meters = {incident.meter_id for incident in DEMO_INCIDENTS}
    matched = [item for item in alerts if item.alert.meter_id in incident_meters]
    console.print(alerts_table(matched, cli.lang, cli.t("monitoring.demo.incidents_title")))
    found = match_alerts(labels, pd.DataFrame([item.alert.as_dict() for item in alerts]))
    for incident, (_, row) in zip(DEMO_INCIDENTS, found.iterrows(), strict=True):
        description = incident.description_vi if cli.lang == "vi" else incident.description_en
        key = "monitoring.demo.detected" if row["detected"] else "monitoring.demo.missed"
        console.print(cli.t(key, incident=description, meter=incident.meter_id, delay=f"{row['delay_h']:.1f}"), highlight=False)
    console.print(cli.t("monitoring.demo.other_alerts", count=len(alerts) - len(matched)), highlight=False)
    reports = workspace.path / "reports"
    reports.mkdir(parents=True, exist_ok=True)
    csv_path = reports / "monitoring_alerts.csv"
    pd.DataFrame([_alert_record(item) for item in alerts]).to_csv(csv_path, index=False)
    console.print(cli.t("monitoring.demo.report_written", path=str(csv_path)), highlight=False)
    series = aggregate_series(readings, meters, "park")
    checked = backtest(series, 1, temperature=temperature)
    ahead = forecast_load(series, 1, temperature=temperature)
    plot = draw_forecast(ahead, checked, reports / "forecast_demo_park.png", cli.lang)
    print_forecast(ahead, checked, cli, console)
    console.print(cli.t("monitoring.forecast.plot_written", path=str(plot)), highlight=False)
