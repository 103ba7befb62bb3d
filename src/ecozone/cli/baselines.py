"""``ecozone baseline fit`` and ``ecozone savings``: energy baselines (M&V) and verified savings.

``baseline fit`` reads each meter's energy per day (or month, or hour) from the readings
store, adds the outdoor temperature (a daily CSV, else the province's monthly normals) and
the chosen drivers (calendar day types, or columns of a drivers CSV), fits every meter in
one batch and stores one JSON model per meter under ``<workspace>/baselines``. ``savings``
reads the stored models, the reporting-period data built the same way, and reports the
avoided energy with its uncertainty (ASHRAE Guideline 14), non-routine events and, with
``--plot``, a chart of measured against counterfactual energy and the CUSUM.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import numpy as np
import pandas as pd
import typer
from rich.console import Console
from rich.table import Table

from ecozone.cli.context import CliState, state
from ecozone.errors import NotFoundError
from ecozone.i18n import translate

if TYPE_CHECKING:
    from ecozone.baselines.findings import Finding
    from ecozone.baselines.fitting import BaselineModel, MeterFit
    from ecozone.baselines.observations import Period
    from ecozone.baselines.savings import SavingsResult
    from ecozone.store.snapshot import MeterRecord, ParkSnapshot, RegistrySnapshot
    from ecozone.store.workspace import Workspace

DEMO_PARK = "demo"
DEMO_YEAR = 2024
DEMO_DRIVERS = ("saturday", "sunday", "holiday", "tet")
DEMO_CHART = "baselines_demo_savings.png"
DEMO_WEATHER = "demo_weather_station_{year}.csv"
REPORTS_FOLDER = "reports"
SEVERITY_STYLE = {"info": "dim", "warning": "yellow", "disqualification": "bold red"}


def _both(key: str) -> str:
    """Bilingual help text (the language option is read after help is built)."""
    return f"{translate(key, 'en')} / {translate(key, 'vi')}"


baseline_app = typer.Typer(help=_both("baselines.help.group"), no_args_is_help=True)

MeterOption = Annotated[str | None, typer.Option("--meter", help=_both("baselines.option.meter"))]
FirmOption = Annotated[str | None, typer.Option("--firm", help=_both("baselines.option.firm"))]
ParkOption = Annotated[str | None, typer.Option("--park", help=_both("baselines.option.park"))]
JsonOption = Annotated[bool, typer.Option("--json", help=_both("baselines.option.json"))]
WeatherOption = Annotated[Path | None, typer.Option("--weather", help=_both("baselines.option.weather"))]
DriversFileOption = Annotated[Path | None, typer.Option("--drivers-file", help=_both("baselines.option.drivers_file"))]


def register(app: typer.Typer) -> None:
    """Add the ``baseline`` group and the ``savings`` command to ``app``."""
    baseline_app.command("fit", help=_both("baselines.help.fit"))(fit_command)
    baseline_app.command("list", help=_both("baselines.help.list"))(list_command)
    app.add_typer(baseline_app, name="baseline")
    app.command("savings", help=_both("baselines.help.savings"))(savings_command)


# ---------------------------------------------------------------- selection of meters


def _selected_meters(
    snapshot: RegistrySnapshot, meter: str | None, firm: str | None, park: str | None, carrier: str
) -> list[MeterRecord]:
    """The meters named by exactly one of --meter, --firm and --park (for firms and parks: of ``carrier``)."""
    chosen = [name for name, value in (("--meter", meter), ("--firm", firm), ("--park", park)) if value]
    if len(chosen) != 1:
        from ecozone.baselines.errors import BaselineInputError

        raise BaselineInputError("baselines.error.one_selector", given=", ".join(chosen) or "-")
    meters = [m for p in snapshot.parks for m in p.meters]
    if meter:
        found = [m for m in meters if m.id == meter]
        if not found:
            raise NotFoundError("baselines.error.unknown_meter", meter_id=meter)
        return found
    if firm:
        found = [m for m in meters if m.firm_id == firm and m.carrier == carrier]
        if not any(f.id == firm for p in snapshot.parks for f in p.firms):
            raise NotFoundError("baselines.error.unknown_firm", firm_id=firm)
    else:
        snapshot.park(str(park))
        found = [m for m in meters if m.park_id == park and m.carrier == carrier]
    if not found:
        raise NotFoundError("baselines.error.no_meters", selector=str(firm or park), carrier=carrier)
    return found


def _park_province(snapshot: RegistrySnapshot, park_id: str) -> str:
    park = snapshot.park(park_id).park
    return park.province_old_code or park.province_new_code


# ---------------------------------------------------------------- observations


@dataclass(frozen=True)
class Inputs:
    """Where temperatures and drivers come from (stored with each model as its fit context)."""

    frequency: str
    drivers: tuple[str, ...]
    weather_file: str | None
    drivers_file: str | None
    carrier: str

    def context(self, province: str | None) -> dict[str, Any]:
        """The JSON fit context of a model."""
        weather = (
            {"source": "file", "path": self.weather_file} if self.weather_file else {"source": "normals", "province": province}
        )
        return {
            "frequency": self.frequency,
            "drivers": list(self.drivers),
            "drivers_file": self.drivers_file,
            "weather": weather,
            "carrier": self.carrier,
        }

    @classmethod
    def from_context(cls, context: dict[str, Any], weather: Path | None, drivers_file: Path | None) -> Inputs:
        """Rebuild the inputs of a stored model, command-line files taking precedence."""
        stored_weather = context.get("weather", {})
        weather_file = (
            str(weather) if weather else (stored_weather.get("path") if stored_weather.get("source") == "file" else None)
        )
        return cls(
            frequency=str(context.get("frequency", "daily")),
            drivers=tuple(context.get("drivers", ())),
            weather_file=weather_file,
            drivers_file=str(drivers_file) if drivers_file else context.get("drivers_file"),
            carrier=str(context.get("carrier", "electricity")),
        )


def _driver_frame(path: Path, frequency: str) -> pd.DataFrame:
    """Read a drivers CSV (``date``, optional ``meter_id`` or ``firm_id``, driver columns), summed per period."""
    from ecozone.baselines.errors import BaselineInputError
    from ecozone.baselines.observations import local_period_starts

    frame = pd.read_csv(path)
    date_column = "period_start" if "period_start" in frame.columns else "date"
    if date_column not in frame.columns:
        raise BaselineInputError("baselines.error.drivers_columns", file=str(path))
    keys = [name for name in ("meter_id", "firm_id") if name in frame.columns]
    frame["period_start"] = local_period_starts(frame[date_column], frequency)  # type: ignore[arg-type]
    values = [name for name in frame.columns if name not in {*keys, "period_start", "date"}]
    for name in values:
        frame[name] = pd.to_numeric(frame[name], errors="coerce")
    return frame.groupby([*keys, "period_start"], as_index=False)[values].sum(min_count=1)


def _add_drivers(table: pd.DataFrame, inputs: Inputs, firms: dict[str, str | None]) -> pd.DataFrame:
    from ecozone.baselines.calendar_drivers import CALENDAR_DRIVERS, calendar_drivers
    from ecozone.baselines.errors import BaselineInputError

    calendar = [name for name in inputs.drivers if name in CALENDAR_DRIVERS]
    others = [name for name in inputs.drivers if name not in CALENDAR_DRIVERS]
    if calendar and not table.empty:
        values = calendar_drivers(table["period_start"], inputs.frequency, calendar)  # type: ignore[arg-type]
        table = pd.concat([table, values], axis=1)
    if not others:
        return table
    if inputs.drivers_file is None:
        raise BaselineInputError("baselines.error.drivers_need_file", drivers=", ".join(others))
    drivers = _driver_frame(Path(inputs.drivers_file), inputs.frequency)
    missing = [name for name in others if name not in drivers.columns]
    if missing:
        raise BaselineInputError("baselines.error.missing_columns", columns=", ".join(missing), required=", ".join(others))
    if "meter_id" in drivers.columns:
        keys = ["meter_id", "period_start"]
    elif "firm_id" in drivers.columns:
        table = table.assign(firm_id=table["meter_id"].map(firms))
        keys = ["firm_id", "period_start"]
    else:
        keys = ["period_start"]
    return table.merge(drivers[[*keys, *others]], on=keys, how="left")


def observations(
    workspace: Workspace, snapshot: RegistrySnapshot, meters: Sequence[MeterRecord], period: Period, inputs: Inputs
) -> tuple[pd.DataFrame, dict[str, str]]:
    """Long table of energy, temperature and drivers of ``meters`` over ``period``.

    Returns
    -------
    tuple
        The table (see :mod:`ecozone.baselines.observations`) and each meter's province
        (the source of its normals, when no weather file is given).
    """
    from ecozone.baselines.method_parameters import parameter_value
    from ecozone.baselines.weather import normals_temperature, read_temperature_csv, temperature_for_periods
    from ecozone.store.baselines_store import period_energy

    frequency = inputs.frequency
    energy = period_energy(workspace, [m.id for m in meters], sorted({m.park_id for m in meters}), period, frequency)  # type: ignore[arg-type]
    if frequency != "monthly":
        energy = energy[energy["coverage"] >= parameter_value("min_interval_coverage")]
    table = energy.drop(columns="coverage").reset_index(drop=True)
    provinces = {m.id: _park_province(snapshot, m.park_id) for m in meters}
    if inputs.weather_file:
        weather = read_temperature_csv(Path(inputs.weather_file))
        table["temperature_c"] = temperature_for_periods(table["period_start"], frequency, weather)  # type: ignore[arg-type]
    else:
        temperature = np.full(len(table), np.nan)
        for province in sorted(set(provinces.values())):
            rows = (table["meter_id"].map(provinces) == province).to_numpy()
            temperature[rows] = normals_temperature(province, table["period_start"][rows], frequency)  # type: ignore[arg-type]
        table["temperature_c"] = temperature
    firms = {m.id: m.firm_id for m in meters}
    return _add_drivers(table, inputs, firms), provinces


# ---------------------------------------------------------------- baseline fit


def _with_weather_finding(fit: MeterFit, inputs: Inputs, province: str | None) -> MeterFit:
    from ecozone.baselines.fitting import MeterFit as Fit
    from ecozone.baselines.weather import normals_finding

    if inputs.weather_file or province is None:
        return fit
    finding = normals_finding(province, inputs.frequency)  # type: ignore[arg-type]
    model = replace(fit.model, findings=(*fit.model.findings, finding)) if fit.model is not None else None
    return Fit(fit.meter_id, model, (*fit.findings, finding))


def fit_command(
    ctx: typer.Context,
    baseline: Annotated[str, typer.Option("--baseline", help=_both("baselines.option.baseline"))],
    meter: MeterOption = None,
    firm: FirmOption = None,
    park: ParkOption = None,
    drivers: Annotated[str, typer.Option("--drivers", help=_both("baselines.option.drivers"))] = "",
    drivers_file: DriversFileOption = None,
    weather: WeatherOption = None,
    frequency: Annotated[str, typer.Option("--frequency", help=_both("baselines.option.frequency"))] = "daily",
    carrier: Annotated[str, typer.Option("--carrier", help=_both("baselines.option.carrier"))] = "electricity",
    as_json: JsonOption = False,
) -> None:
    """Fit and store the baseline of each selected meter."""
    from ecozone.baselines.fitting import fit_many
    from ecozone.baselines.observations import Period, check_frequency
    from ecozone.store.baselines_store import delete_model, save_model
    from ecozone.store.registry_store import load_registry

    cli = state(ctx)
    check_frequency(frequency)
    period = Period.parse(baseline)
    workspace = cli.open_workspace()
    snapshot = load_registry(workspace)
    meters = _selected_meters(snapshot, meter, firm, park, carrier)
    names = tuple(name.strip() for name in drivers.split(",") if name.strip())
    inputs = Inputs(frequency, names, str(weather) if weather else None, str(drivers_file) if drivers_file else None, carrier)
    table, provinces = observations(workspace, snapshot, meters, period, inputs)
    fits = fit_many(table, frequency=frequency, drivers=names, baseline=period, expected_meters=[m.id for m in meters])
    documents = []
    for meter_id, raw in fits.items():
        fitted = _with_weather_finding(raw, inputs, provinces.get(meter_id))
        context = inputs.context(provinces.get(meter_id))
        path = None
        if fitted.model is not None:
            path = save_model(workspace, fitted.model, context)
        else:
            delete_model(workspace, meter_id)
        documents.append((fitted, path))
    if as_json:
        typer.echo(json.dumps(fit_document(documents), ensure_ascii=False, indent=2, allow_nan=False))
        return
    print_fits(Console(), [fit for fit, _ in documents], cli.lang, period)
    Console().print(
        cli.t(
            "baselines.cli.models_written", count=sum(p is not None for _, p in documents), path=str(workspace.path / "baselines")
        )
    )


def fit_document(documents: Sequence[tuple[MeterFit, Path | None]]) -> dict[str, Any]:
    """The JSON document of ``baseline fit --json``: per meter the model, findings and file."""
    from ecozone.baselines.serialisation import model_to_dict

    return {
        "meters": [
            {
                "meter_id": fit.meter_id,
                "disqualified": fit.is_disqualified,
                "model": model_to_dict(fit.model) if fit.model is not None else None,
                "findings": [finding.to_dict() for finding in fit.findings],
                "file": str(path) if path else None,
            }
            for fit, path in documents
        ]
    }


def _number(value: float | None, decimals: int = 0) -> str:
    if value is None or not math.isfinite(value):
        return "—"
    return f"{value:,.{decimals}f}"


def _status(disqualified: bool, findings: Sequence[Finding], lang: str) -> str:
    if disqualified:
        return f"[bold red]{translate('baselines.cli.status.disqualified', lang)}[/]"
    if any(f.severity == "warning" for f in findings):
        return f"[yellow]{translate('baselines.cli.status.warning', lang)}[/]"
    return f"[green]{translate('baselines.cli.status.ok', lang)}[/]"


def _balance_points(model: BaselineModel) -> str:
    from ecozone.baselines.model import ChangePointModel

    if not isinstance(model, ChangePointModel):
        return "—"
    parts = [_number(value, 1) for value in (model.heating_balance_point_c, model.cooling_balance_point_c) if value is not None]
    return " / ".join(parts) if parts else "—"


def print_fits(console: Console, fits: Sequence[MeterFit], lang: str, period: Period) -> None:
    """Print a table of fitted models, then every finding."""
    table = Table(title=translate("baselines.cli.fit_title", lang, period=str(period)))
    for key in ("meter", "form", "balance_points", "points", "r_squared", "cv_rmse", "nmbe", "g14", "status"):
        table.add_column(
            translate(f"baselines.cli.column.{key}", lang), justify="left" if key in ("meter", "form", "status") else "right"
        )
    for fit in fits:
        model = fit.model
        if model is None:
            table.add_row(fit.meter_id, "—", "—", "—", "—", "—", "—", "—", _status(True, fit.findings, lang))
            continue
        statistics, acceptance = model.statistics, model.acceptance
        g14 = translate("baselines.cli.yes" if acceptance.passes else "baselines.cli.no", lang)
        if acceptance.status != "verified":
            g14 += "*"
        table.add_row(
            fit.meter_id,
            model.form,
            _balance_points(model),
            str(statistics.points),
            _number(statistics.r_squared, 3),
            _number(100 * statistics.cv_rmse, 1) + " %",
            _number(100 * statistics.nmbe, 2) + " %",
            g14,
            _status(fit.is_disqualified, fit.findings, lang),
        )
    console.print(table)
    console.print(translate("baselines.cli.g14_note", lang), highlight=False)
    print_findings(console, [(fit.meter_id, fit.findings) for fit in fits], lang)


def print_findings(console: Console, findings: Sequence[tuple[str, Sequence[Finding]]], lang: str) -> None:
    """Print findings, one line each, coloured by severity."""
    for meter_id, items in findings:
        for finding in items:
            style = SEVERITY_STYLE[finding.severity]
            severity = translate(f"baselines.severity.{finding.severity}", lang)
            console.print(
                f"[{style}]{meter_id} · {severity}[/] {finding.message(lang)}  [dim]({finding.code})[/]", highlight=False
            )


def list_command(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """List the stored baseline models."""
    from ecozone.store.baselines_store import load_model, stored_meters

    cli = state(ctx)
    workspace = cli.open_workspace()
    rows = []
    for meter_id in stored_meters(workspace):
        model, context = load_model(workspace, meter_id)
        rows.append((model, context))
    if as_json:
        document = [
            {"meter_id": m.meter_id, "form": m.form, "baseline": str(m.baseline), "cv_rmse": m.statistics.cv_rmse, "context": c}
            for m, c in rows
        ]
        typer.echo(json.dumps(document, ensure_ascii=False, indent=2, allow_nan=False))
        return
    table = Table(title=translate("baselines.cli.list_title", cli.lang))
    for key in ("meter", "form", "baseline", "cv_rmse", "weather"):
        table.add_column(translate(f"baselines.cli.column.{key}", cli.lang))
    for model, context in rows:
        weather = context.get("weather", {})
        source = weather.get("path") or translate("baselines.cli.normals_of", cli.lang, province=weather.get("province"))
        table.add_row(
            model.meter_id, model.form, str(model.baseline), _number(100 * model.statistics.cv_rmse, 1) + " %", str(source)
        )
    Console().print(table)


# ---------------------------------------------------------------- savings


def savings_command(
    ctx: typer.Context,
    reporting: Annotated[str, typer.Option("--reporting", help=_both("baselines.option.reporting"))],
    meter: MeterOption = None,
    firm: FirmOption = None,
    park: ParkOption = None,
    weather: WeatherOption = None,
    drivers_file: DriversFileOption = None,
    as_json: JsonOption = False,
    plot: Annotated[Path | None, typer.Option("--plot", help=_both("baselines.option.plot"))] = None,
) -> None:
    """Savings of the meters with a stored baseline over a reporting period."""
    from ecozone.baselines.observations import Period
    from ecozone.baselines.savings import avoided_energy, check_reporting_period
    from ecozone.store.baselines_store import load_model, stored_meters
    from ecozone.store.registry_store import load_registry

    cli = state(ctx)
    period = Period.parse(reporting)
    workspace = cli.open_workspace()
    snapshot = load_registry(workspace)
    wanted = _stored_selection(snapshot, stored_meters(workspace), meter, firm, park)
    records = {m.id: m for p in snapshot.parks for m in p.meters}
    results = []
    for meter_id in wanted:
        model, context = load_model(workspace, meter_id)
        check_reporting_period(model, period)
        inputs = Inputs.from_context(context, weather, drivers_file)
        table, _ = observations(workspace, snapshot, [records[meter_id]], period, inputs)
        results.append(avoided_energy(model, table.drop(columns="meter_id"), reporting=period))
    if plot is not None:
        from ecozone.baselines.plot import savings_chart

        written = savings_chart(results, plot, cli.lang)
        Console(stderr=as_json).print(cli.t("baselines.cli.plot_written", path=str(written)), highlight=False)
    if as_json:
        typer.echo(json.dumps(savings_document(results), ensure_ascii=False, indent=2, allow_nan=False))
        return
    print_savings(Console(), results, cli.lang, period)


def _stored_selection(
    snapshot: RegistrySnapshot, stored: Sequence[str], meter: str | None, firm: str | None, park: str | None
) -> list[str]:
    """Stored models of meters still in the registry, filtered by --meter, --firm or --park."""
    records = {m.id: m for p in snapshot.parks for m in p.meters}
    known = [meter_id for meter_id in stored if meter_id in records]
    if not known:
        raise NotFoundError("baselines.error.no_models")
    if not (meter or firm or park):
        return known
    chosen = [
        meter_id
        for meter_id in known
        if (meter and meter_id == meter)
        or (firm and records[meter_id].firm_id == firm)
        or (park and records[meter_id].park_id == park)
    ]
    if not chosen:
        raise NotFoundError("baselines.error.no_model", meter_id=str(meter or firm or park))
    return chosen


def savings_document(results: Sequence[SavingsResult]) -> dict[str, Any]:
    """The JSON document of ``savings --json``: per meter and in total."""
    from ecozone.baselines.savings import aggregate_uncertainty

    levels = results[0].uncertainty if results else ()
    total: dict[str, Any] = {
        "savings": float(sum(r.savings for r in results)),
        "counterfactual": float(sum(r.counterfactual_total for r in results)),
        "observed": float(sum(r.observed_total for r in results)),
        "uncertainty": [{"confidence": u.confidence, "absolute": aggregate_uncertainty(results, u.confidence)} for u in levels],
    }
    total["uncertainty"] = [
        {k: (v if not isinstance(v, float) or math.isfinite(v) else None) for k, v in u.items()} for u in total["uncertainty"]
    ]
    return {"meters": [result.to_dict() for result in results], "total": total}


def _uncertainty_cell(result: SavingsResult, confidence: float) -> str:
    try:
        value = result.uncertainty_at(confidence).absolute
    except KeyError:
        return "—"
    return "± " + _number(value)


def print_savings(console: Console, results: Sequence[SavingsResult], lang: str, period: Period) -> None:
    """Print the savings table (per meter and total), then the findings."""
    from ecozone.baselines.savings import aggregate_uncertainty

    table = Table(title=translate("baselines.cli.savings_title", lang, period=str(period)))
    for key in ("meter", "observed", "counterfactual", "savings", "savings_pct", "u68", "u90", "events", "status"):
        table.add_column(
            translate(f"baselines.cli.column.{key}", lang), justify="left" if key in ("meter", "status") else "right"
        )
    for result in results:
        table.add_row(
            result.meter_id,
            _number(result.observed_total),
            _number(result.counterfactual_total),
            _number(result.savings),
            _number(100 * result.savings_fraction, 1) + " %",
            _uncertainty_cell(result, 0.68),
            _uncertainty_cell(result, 0.9),
            str(len(result.non_routine_events)),
            _status(result.is_disqualified, result.findings, lang),
            end_section=result is results[-1],
        )
    if len(results) > 1:
        total_savings = sum(r.savings for r in results)
        total_counterfactual = sum(r.counterfactual_total for r in results)
        table.add_row(
            translate("baselines.cli.total", lang),
            _number(sum(r.observed_total for r in results)),
            _number(total_counterfactual),
            _number(total_savings),
            _number(100 * total_savings / total_counterfactual if total_counterfactual else math.nan, 1) + " %",
            "± " + _number(aggregate_uncertainty(results, 0.68)),
            "± " + _number(aggregate_uncertainty(results, 0.9)),
            str(sum(len(r.non_routine_events) for r in results)),
            "",
        )
    console.print(table)
    console.print(translate("baselines.cli.savings_note", lang), highlight=False)
    print_findings(console, [(r.meter_id, r.findings) for r in results], lang)


# ---------------------------------------------------------------- demo


def _demo_rows(park: ParkSnapshot) -> dict[str, list[dict[str, object]]]:
    """Registry rows of the demo park in the shape the demo readings generator takes."""
    firms: list[dict[str, object]] = [
        {
            "id": f.id,
            "vsic_code": f.vsic_code,
            "employees": f.employees,
            "floor_area_m2": f.floor_area_m2,
            "annual_production": f.annual_production,
            "production_unit": f.production_unit,
        }
        for f in park.firms
    ]
    meters: list[dict[str, object]] = [
        {"id": m.id, "park_id": m.park_id, "owner_kind": m.owner_kind, "firm_id": m.firm_id, "carrier": m.carrier, "unit": m.unit}
        for m in park.meters
    ]
    return {"firm": firms, "meter": meters}


def demo_station_temperature(year: int = DEMO_YEAR, seed: int | None = None) -> pd.DataFrame:
    """Daily mean temperature of the demo park's (synthetic) weather: its climate normals plus the year's anomalies.

    Rebuilt from the public building blocks of :mod:`ecozone.demo.readings` in the order the
    generator draws them, so it is the weather the demo readings were generated with.

    Returns
    -------
    pandas.DataFrame
        ``date`` (local days of ``year``) and ``temperature_c`` [°C].
    """
    from ecozone.demo.readings import DEFAULT_SEED, park_climate, readings_assumptions
    from ecozone.demo.readings.series import park_weather, seeded_generator, temperature_anomalies
    from ecozone.demo.readings.timeline import year_timeline

    assumptions = readings_assumptions()
    timeline = year_timeline(year, assumptions.utc_offset_hours, assumptions.tet_days_before, assumptions.tet_days_after)
    generator = seeded_generator(DEFAULT_SEED if seed is None else seed, "weather", year)
    anomalies = temperature_anomalies(generator, timeline.days, assumptions.anomaly_autocorrelation, assumptions.anomaly_sd_c)
    weather = park_weather(timeline, park_climate(), anomaly_c=anomalies)
    days = pd.date_range(date(year, 1, 1), periods=timeline.days, freq="D")
    return pd.DataFrame({"date": days, "temperature_c": np.round(weather.daily_mean_c, 3)})


def demo_daily_energy(readings: pd.DataFrame, utc_offset_hours: int = 7) -> pd.DataFrame:
    """Sum 15-minute demo readings to local days: ``meter_id``, ``period_start``, ``energy`` [kWh]."""
    local = (readings["timestamp"].dt.tz_convert(None) + pd.Timedelta(hours=utc_offset_hours)).dt.floor("D")
    daily: pd.DataFrame = (
        readings.assign(period_start=local).groupby(["meter_id", "period_start"], as_index=False).agg(energy=("value", "sum"))
    )
    return daily


@dataclass(frozen=True)
class DemoRecovery:
    """One demo retrofit: the truth and what the baseline recovered."""

    firm_id: str
    measure: str
    start: date
    true_saving: float
    fit: MeterFit
    savings: SavingsResult | None


def demo_recoveries(park: ParkSnapshot, year: int = DEMO_YEAR) -> tuple[list[DemoRecovery], pd.DataFrame]:
    """Fit each demo retrofit's meter before its start and estimate the savings after it.

    Returns
    -------
    tuple
        One :class:`DemoRecovery` per retrofit, and the daily station temperatures used.
    """
    from ecozone.baselines.calendar_drivers import calendar_drivers
    from ecozone.baselines.fitting import fit
    from ecozone.baselines.observations import Period
    from ecozone.baselines.savings import avoided_energy
    from ecozone.baselines.weather import temperature_for_periods
    from ecozone.demo.readings import demo_readings, demo_retrofits

    rows = _demo_rows(park)
    retrofits = demo_retrofits(rows, year)
    wanted = {r.meter_id for r in retrofits}
    subset = {"firm": rows["firm"], "meter": [m for m in rows["meter"] if m["id"] in wanted]}
    daily = demo_daily_energy(demo_readings(subset, year))
    station = demo_station_temperature(year)
    daily["temperature_c"] = temperature_for_periods(daily["period_start"], "daily", station)
    daily = pd.concat([daily, calendar_drivers(daily["period_start"], "daily", DEMO_DRIVERS)], axis=1)
    recoveries = []
    for retrofit in retrofits:
        table = daily[daily["meter_id"] == retrofit.meter_id]
        baseline = Period(date(year, 1, 1), retrofit.start - timedelta(days=1))
        fitted = fit(table, drivers=DEMO_DRIVERS, baseline=baseline, meter_id=retrofit.meter_id)
        savings = None
        if fitted.model is not None:
            savings = avoided_energy(fitted.model, table, reporting=Period(retrofit.start, date(year, 12, 31)))
        recoveries.append(
            DemoRecovery(retrofit.firm_id, retrofit.measure, retrofit.start, retrofit.true_annual_saving_kwh, fitted, savings)
        )
    return recoveries, station


def _within(recovery: DemoRecovery, confidence: float) -> bool:
    assert recovery.savings is not None
    half = recovery.savings.uncertainty_at(confidence).absolute
    return bool(abs(recovery.savings.savings - recovery.true_saving) <= half)


def demo_step(cli: CliState, workspace: Workspace, console: Console) -> None:
    """Recover the demo retrofits' true savings with baselines fitted before each measure."""
    from ecozone.baselines.plot import savings_chart
    from ecozone.store.registry_store import load_park

    try:
        park = load_park(workspace, DEMO_PARK)
    except NotFoundError:
        console.print(cli.t("baselines.demo.no_park"), highlight=False)
        return
    recoveries, station = demo_recoveries(park)
    reports = workspace.path / REPORTS_FOLDER
    reports.mkdir(parents=True, exist_ok=True)
    station_file = reports / DEMO_WEATHER.format(year=DEMO_YEAR)
    station.assign(date=station["date"].dt.date).to_csv(station_file, index=False)
    table = Table(title=cli.t("baselines.demo.title", year=DEMO_YEAR))
    for key in ("firm", "measure", "start", "model", "estimated", "u68", "u90", "true", "error", "within"):
        table.add_column(
            cli.t(f"baselines.demo.column.{key}"), justify="left" if key in ("firm", "measure", "model") else "right"
        )
    for item in recoveries:
        model = item.fit.model
        if model is None or item.savings is None:
            table.add_row(
                item.firm_id, item.measure, item.start.isoformat(), "—", "—", "—", "—", _number(item.true_saving), "—", "—"
            )
            continue
        result = item.savings
        error = 100.0 * (result.savings / item.true_saving - 1.0) if item.true_saving else math.nan
        within = "90 %" if _within(item, 0.9) else cli.t("baselines.cli.no")
        if _within(item, 0.68):
            within = "68 %"
        table.add_row(
            item.firm_id,
            item.measure,
            item.start.isoformat(),
            f"{model.form} · CV {_number(100 * model.statistics.cv_rmse, 1)} %",
            _number(result.savings),
            _uncertainty_cell(result, 0.68),
            _uncertainty_cell(result, 0.9),
            _number(item.true_saving),
            _number(error, 1) + " %",
            within,
        )
    console.print(table)
    console.print(cli.t("baselines.demo.note", drivers=", ".join(DEMO_DRIVERS), weather=str(station_file)), highlight=False)
    print_findings(console, [(r.fit.meter_id, [f for f in r.fit.findings if f.severity != "info"]) for r in recoveries], cli.lang)
    if recoveries:
        first = recoveries[0]
        baseline_end = (first.start - timedelta(days=1)).isoformat()
        hint = cli.t(
            "baselines.demo.try",
            firm=first.firm_id,
            baseline=f"{DEMO_YEAR}-01-01:{baseline_end}",
            drivers=",".join(DEMO_DRIVERS),
            weather=str(station_file),
            reporting=f"{first.start.isoformat()}:{DEMO_YEAR}-12-31",
        )
        console.print(hint, highlight=False, soft_wrap=True)
    results = [item.savings for item in recoveries if item.savings is not None]
    titles = [f"{item.firm_id} · {item.measure} ({item.start.isoformat()})" for item in recoveries if item.savings is not None]
    if results:
        chart = savings_chart(results, reports / DEMO_CHART, cli.lang, titles)
        console.print(cli.t("baselines.cli.plot_written", path=str(chart)), highlight=False)
