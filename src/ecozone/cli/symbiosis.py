"""``ecozone symbiosis`` (classes, match, optimise), ``ecozone import streams`` and the demo step."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from functools import partial
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from ecozone.cli.context import CliState, state
from ecozone.errors import ImportValidationError
from ecozone.i18n import translate
from ecozone.stats.number_format import format_number
from ecozone.store.workspace import Workspace
from ecozone.symbiosis.catalogue import StreamRecord
from ecozone.symbiosis.errors import InfeasibleTargetError, SymbiosisError
from ecozone.symbiosis.knowledge import KnowledgeBase, knowledge_base
from ecozone.symbiosis.matching import MatchResult, match_streams
from ecozone.symbiosis.metrics import ProgrammeMetrics, programme_metrics
from ecozone.symbiosis.model import ParetoPoint, SymbiosisSolution, build_problem, optimise, pareto_sweep
from ecozone.symbiosis.settings import OptimisationSettings
from ecozone.symbiosis.taxonomy import importable_classes, stream_class

MAX_REASONS_SHOWN = 3
PARETO_POINTS = 6


def _both(key: str) -> str:
    """Bilingual help text (the language option is read after help is built)."""
    return f"{translate(key, 'en')} / {translate(key, 'vi')}"


symbiosis_app = typer.Typer(help=_both("symbiosis.help"), no_args_is_help=True)
ParkOption = Annotated[str, typer.Option("--park", help=_both("symbiosis.option.park"))]
JsonOption = Annotated[bool, typer.Option("--json", help=_both("symbiosis.option.json"))]


@dataclass(frozen=True)
class ParkStreams:
    """A park's streams and what matching needs to place them."""

    park_id: str
    streams: tuple[StreamRecord, ...]
    locations: dict[str, tuple[float, float]]

    @property
    def owner_kinds(self) -> dict[str, str]:
        """Owner id → owner kind."""
        return {s.owner_id: s.owner_kind for s in self.streams}

    @property
    def owner_names(self) -> dict[str, str]:
        """Owner id → display name."""
        return {s.owner_id: s.owner_label for s in self.streams}

    @property
    def labels(self) -> dict[str, str]:
        """Arc stream key (``park:owner/direction/name``) → ``owner: name``."""
        return {f"{s.park_id}:{s.key}": f"{s.owner_label}: {s.name}" for s in self.streams}


def park_location(workspace: Workspace, park_id: str) -> tuple[float, float] | None:
    """The park's point, else its province's representative point (2025 layout), else None."""
    from ecozone.provinces import centroids
    from ecozone.store.registry_store import load_park

    park = load_park(workspace, park_id).park
    if park.latitude is not None and park.longitude is not None:
        return park.latitude, park.longitude
    return centroids("2025").get(park.province_new_code)


def load_park_streams(workspace: Workspace, park_id: str) -> ParkStreams:
    """Load a park's catalogue, failing with a clear message when it has none."""
    from ecozone.store.symbiosis_store import load_streams

    location = park_location(workspace, park_id)
    streams = load_streams(workspace, park_id)
    if not streams:
        raise SymbiosisError("symbiosis.no_streams", park=park_id)
    return ParkStreams(park_id, streams, {park_id: location} if location else {})


def run_match(park: ParkStreams, kb: KnowledgeBase | None = None) -> MatchResult:
    """Match the park's streams."""
    return match_streams(park.streams, kb or knowledge_base(), park.locations)


def _number(value: float | None, lang: str, decimals: int = 0) -> str:
    return format_number(value, lang, decimals)


def print_match(result: MatchResult, park: ParkStreams, lang: str, console: Console) -> None:
    """Print candidates (with their reasons), exclusions and unmatched streams."""
    t = partial(translate, lang=lang)
    table = Table(title=t("symbiosis.match.title", park=park.park_id, count=len(result.candidates)))
    for column in ("supplier", "receiver", "score", "distance", "why"):
        table.add_column(t(f"symbiosis.column.{column}"))
    for candidate in result.candidates:
        why = "\n".join(r.text(lang) for r in (*candidate.reasons, *candidate.warnings)[:MAX_REASONS_SHOWN])
        table.add_row(
            f"{candidate.supplier.owner_label}: {candidate.supplier.name}",
            f"{candidate.receiver.owner_label}: {candidate.receiver.name}",
            _number(candidate.score, lang, 2),
            _number(candidate.distance_km, lang, 1),
            why,
        )
    console.print(table)
    if result.excluded:
        excluded = Table(title=t("symbiosis.match.excluded", count=len(result.excluded)))
        for column in ("supplier", "receiver", "why"):
            excluded.add_column(t(f"symbiosis.column.{column}"))
        for exclusion in result.excluded:
            excluded.add_row(
                f"{exclusion.supplier.owner_label}: {exclusion.supplier.name}",
                f"{exclusion.receiver.owner_label}: {exclusion.receiver.name}",
                "\n".join(r.text(lang) for r in exclusion.reasons),
            )
        console.print(excluded)
    unmatched = [f"{s.owner_label}: {s.name}" for s in (*result.unmatched_outputs, *result.unmatched_inputs)]
    if unmatched:
        console.print(t("symbiosis.match.unmatched", streams="; ".join(unmatched)), highlight=False)


def metric_text(name: str, value: float, lang: str) -> str:
    """A programme metric as text (see :func:`ecozone.symbiosis.reporting.metric_text`)."""
    from ecozone.symbiosis.reporting import metric_text as text

    return text(name, value, lang)


def print_solution(
    solution: SymbiosisSolution, metrics: ProgrammeMetrics, park: ParkStreams, lang: str, console: Console
) -> None:
    """Print the optimised exchanges and the programme metrics."""
    t = partial(translate, lang=lang)
    labels = park.labels
    table = Table(
        title=t(
            "symbiosis.optimise.title", park=park.park_id, status=solution.status, gap=_number((solution.gap or 0) * 100, lang, 2)
        )
    )
    for column in ("supplier", "receiver", "flow", "benefit", "tco2e"):
        table.add_column(t(f"symbiosis.column.{column}"))
    for exchange in solution.exchanges:
        unit = stream_class(exchange.arc.output_class).unit
        table.add_row(
            labels.get(exchange.arc.supplier, exchange.arc.supplier),
            labels.get(exchange.arc.receiver, exchange.arc.receiver),
            f"{_number(exchange.flow, lang, 1)} {unit}",
            _number(exchange.benefit_vnd, lang),
            _number(round(exchange.tco2e, 1) + 0.0, lang, 1),
        )
    console.print(table)
    totals = Table(title=t("symbiosis.report.metrics"))
    totals.add_column(t("symbiosis.column.metric"))
    totals.add_column(t("symbiosis.column.value"), justify="right")
    for name, value in asdict(metrics).items():
        totals.add_row(t(f"symbiosis.metric.{name}"), metric_text(name, value, lang))
    console.print(totals)
    console.print(t("symbiosis.report.unverified"), highlight=False)


def print_pareto(points: Sequence[ParetoPoint], lang: str, console: Console) -> None:
    """Print the Pareto sweep."""
    t = partial(translate, lang=lang)
    table = Table(title=t("symbiosis.report.pareto"))
    for column in ("target", "tco2e", "benefit", "links"):
        table.add_column(t(f"symbiosis.column.{column}"), justify="right")
    for point in points:
        target = _number(point.co2_target, lang, 1) if point.co2_target is not None else "–"
        table.add_row(target, _number(point.tco2e, lang, 1), _number(point.benefit_vnd, lang), str(point.links))
    console.print(table)


def classes(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """List the stream classes of the taxonomy."""
    cli = state(ctx)
    entries = importable_classes()
    if as_json:
        rows = [
            {
                "code": c.code,
                "vi": c.vi,
                "en": c.en,
                "measure": c.measure,
                "unit": c.unit,
                "roles": sorted(c.roles),
                "hazardous": c.hazardous,
                "ewc": list(c.ewc),
                "vn_codes": list(c.vn_codes),
            }
            for c in entries
        ]
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    table = Table(title=cli.t("symbiosis.classes.title", count=len(entries)))
    for column in ("code", "label", "unit", "roles", "hazardous"):
        table.add_column(cli.t(f"symbiosis.column.{column}"))
    for entry in entries:
        table.add_row(entry.code, entry.label(cli.lang), entry.unit, ", ".join(sorted(entry.roles)), entry.hazardous)
    Console().print(table)


def match(ctx: typer.Context, park: ParkOption, as_json: JsonOption = False) -> None:
    """Candidate exchanges between the park's outputs and inputs, each explained."""
    from ecozone.symbiosis.reporting import match_document

    cli = state(ctx)
    streams = load_park_streams(cli.open_workspace(), park)
    result = run_match(streams)
    if as_json:
        typer.echo(json.dumps(match_document(park, result, cli.lang), ensure_ascii=False, indent=2))
        return
    print_match(result, streams, cli.lang, Console())


def optimise_command(
    ctx: typer.Context,
    park: ParkOption,
    co2_target: Annotated[float | None, typer.Option("--co2-target", help=_both("symbiosis.option.co2_target"))] = None,
    pareto: Annotated[bool, typer.Option("--pareto", help=_both("symbiosis.option.pareto"))] = False,
    as_json: JsonOption = False,
    plot: Annotated[Path | None, typer.Option("--plot", help=_both("symbiosis.option.plot"))] = None,
    html_file: Annotated[Path | None, typer.Option("--html", help=_both("symbiosis.option.html"))] = None,
    time_limit: Annotated[float, typer.Option("--time-limit", help=_both("symbiosis.option.time_limit"))] = 60.0,
) -> None:
    """Optimise the park's exchange network (HiGHS MILP) and report its benefits."""
    from ecozone.symbiosis.reporting import draw_network, html_report, optimisation_document

    cli = state(ctx)
    streams = load_park_streams(cli.open_workspace(), park)
    kb = knowledge_base()
    problem = build_problem(run_match(streams, kb).candidates, kb)
    settings = OptimisationSettings(time_limit_s=time_limit)
    try:
        solution = optimise(problem, co2_target=co2_target, settings=settings)
    except InfeasibleTargetError as error:
        console = Console(stderr=True)
        for line in error.explanation.lines(cli.lang):
            console.print(line, highlight=False)
        raise
    points = pareto_sweep(problem, PARETO_POINTS, settings) if pareto else []
    metrics = programme_metrics(solution.exchanges, streams.owner_kinds)
    notes = Console(stderr=as_json)
    if plot is not None:
        notes.print(
            cli.t("symbiosis.written", path=str(draw_network(solution, streams.owner_names, plot, cli.lang))), highlight=False
        )
    if html_file is not None:
        html_file.parent.mkdir(parents=True, exist_ok=True)
        html_file.write_text(html_report(park, solution, metrics, streams.labels, cli.lang, points), encoding="utf-8")
        notes.print(cli.t("symbiosis.written", path=str(html_file)), highlight=False)
    if as_json:
        typer.echo(
            json.dumps(optimisation_document(park, solution, metrics, streams.labels, points), ensure_ascii=False, indent=2)
        )
        return
    console = Console()
    print_solution(solution, metrics, streams, cli.lang, console)
    if points:
        print_pareto(points, cli.lang, console)


def import_streams_command(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="CSV or XLSX file.")],
    report: Annotated[Path | None, typer.Option("--report", help="Also write the problems to this CSV file.")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Validate only; write nothing.")] = False,
    decimal_comma: Annotated[
        bool, typer.Option("--decimal-comma", help="Read numbers written the Vietnamese way: 1.234,5.")
    ] = False,
    encoding: Annotated[str | None, typer.Option("--encoding", help="Force the CSV text encoding (else detected).")] = None,
) -> None:
    """Import symbiosis streams (outputs and inputs of firms, park utilities and partners), all or nothing."""
    from ecozone.cli.registry import write_problem_report
    from ecozone.registry.files import read_table
    from ecozone.store.symbiosis_store import import_streams

    cli = state(ctx)
    workspace = cli.open_workspace()
    table = read_table(file, "stream", encoding)
    try:
        summary = import_streams(workspace, table, dry_run=dry_run, decimal_comma=decimal_comma)
    except ImportValidationError as error:
        if report is not None:
            write_problem_report(error.problems, report, cli.lang)
            Console(stderr=True).print(cli.t("import.report_written", path=str(report)))
        raise
    console = Console()
    if dry_run:
        console.print(cli.t("import.dry_run_ok", file=file.name, rows=summary.rows))
        return
    console.print(
        cli.t(
            "import.done",
            entity="stream",
            file=file.name,
            inserted=summary.inserted,
            updated=summary.updated,
            unchanged=summary.unchanged,
        )
    )


def register(app: typer.Typer) -> None:
    """Add the ``symbiosis`` group (classes, match, optimise) to ``app``."""
    symbiosis_app.command("classes", help=_both("symbiosis.classes.help"))(classes)
    symbiosis_app.command("match", help=_both("symbiosis.match.help"))(match)
    symbiosis_app.command("optimise", help=_both("symbiosis.optimise.help"))(optimise_command)
    app.add_typer(symbiosis_app, name="symbiosis")


def register_import(import_app: typer.Typer) -> None:
    """Add ``streams`` to the ``import`` group."""
    import_app.command("streams", help=_both("symbiosis.import.help"))(import_streams_command)


def demo_step(cli: CliState, workspace: Workspace, console: Console) -> None:
    """Import the demo park's stream catalogue, match and optimise it, and write the network PNG and HTML report."""
    from ecozone.demo.registry import DEMO_PARK_ID
    from ecozone.demo.streams import demo_streams
    from ecozone.registry.files import RawTable
    from ecozone.store.registry_store import load_park
    from ecozone.store.symbiosis_store import import_streams
    from ecozone.symbiosis.reporting import draw_network, html_report

    summary = import_streams(workspace, RawTable.from_records("demo-streams", demo_streams(load_park(workspace, DEMO_PARK_ID))))
    console.print(
        cli.t("symbiosis.demo.imported", inserted=summary.inserted, updated=summary.updated, unchanged=summary.unchanged),
        highlight=False,
    )
    streams = load_park_streams(workspace, DEMO_PARK_ID)
    kb = knowledge_base()
    result = run_match(streams, kb)
    print_match(result, streams, cli.lang, console)
    solution = optimise(build_problem(result.candidates, kb))
    metrics = programme_metrics(solution.exchanges, streams.owner_kinds)
    print_solution(solution, metrics, streams, cli.lang, console)
    reports = workspace.path / "reports"
    picture = draw_network(solution, streams.owner_names, reports / "symbiosis-network.png", cli.lang)
    page = reports / "symbiosis.html"
    page.write_text(html_report(DEMO_PARK_ID, solution, metrics, streams.labels, cli.lang), encoding="utf-8")
    for path in (picture, page):
        console.print(cli.t("symbiosis.written", path=str(path)), highlight=False)
