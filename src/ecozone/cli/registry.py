"""``ecozone import`` and ``ecozone export`` for parks, firms, meters and certifications."""

from __future__ import annotations

import csv
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from ecozone.cli.context import state
from ecozone.errors import ImportValidationError
from ecozone.i18n import translate
from ecozone.registry.files import read_table, write_table
from ecozone.registry.validation import Problem

import_app = typer.Typer(help="Import registry tables (CSV, XLSX, GeoJSON for parks), all or nothing.", no_args_is_help=True)
export_app = typer.Typer(
    help="Export registry tables to CSV, XLSX or GeoJSON (parks), by the file's extension.", no_args_is_help=True
)

ENTITY_COMMANDS = {"parks": "park", "firms": "firm", "meters": "meter", "certifications": "certification"}

FileArgument = Annotated[Path, typer.Argument(help="CSV, XLSX or (parks) GeoJSON file.")]
ReportOption = Annotated[Path | None, typer.Option("--report", help="Also write the problems to this CSV file.")]
DryRunOption = Annotated[bool, typer.Option("--dry-run", help="Validate only; write nothing.")]
DecimalOption = Annotated[bool, typer.Option("--decimal-comma", help="Read numbers written the Vietnamese way: 1.234,5.")]
EncodingOption = Annotated[str | None, typer.Option("--encoding", help="Force the CSV text encoding (else detected).")]


def print_problems(problems: Sequence[Problem], lang: str, console: Console | None = None, limit: int = 200) -> None:
    """Print problems as a table of file, row, column, value and reason."""
    console = console or Console(stderr=True)
    table = Table(*translate("problem.header", lang).split("|"), show_lines=False)
    for problem in problems[:limit]:
        table.add_row(problem.file, str(problem.row), problem.column, problem.value, problem.reason(lang))
    console.print(table)
    if len(problems) > limit:
        console.print(f"… (+{len(problems) - limit})")


def write_problem_report(problems: Sequence[Problem], path: Path, lang: str) -> None:
    """Write problems to a CSV file (UTF-8 with BOM, so Excel shows Vietnamese)."""
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["file", "row", "column", "value", "reason"])
        writer.writerows([p.file, p.row, p.column, p.value, p.reason(lang)] for p in problems)


def _import(
    ctx: typer.Context,
    entity: str,
    file: Path,
    report: Path | None,
    dry_run: bool,
    decimal_comma: bool,
    encoding: str | None,
) -> None:
    from ecozone.store.registry_store import import_table

    cli = state(ctx)
    workspace = cli.open_workspace()
    table = read_table(file, entity, encoding)
    try:
        summary = import_table(workspace, entity, table, dry_run=dry_run, decimal_comma=decimal_comma)
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
            entity=entity,
            file=file.name,
            inserted=summary.inserted,
            updated=summary.updated,
            unchanged=summary.unchanged,
        )
    )


def _make_import_command(entity: str) -> Callable[..., None]:
    def command(
        ctx: typer.Context,
        file: FileArgument,
        report: ReportOption = None,
        dry_run: DryRunOption = False,
        decimal_comma: DecimalOption = False,
        encoding: EncodingOption = None,
    ) -> None:
        _import(ctx, entity, file, report, dry_run, decimal_comma, encoding)

    command.__doc__ = f"Import {entity} rows; columns in English or Vietnamese (see docs/data-model.md)."
    return command


def _make_export_command(entity: str) -> Callable[..., None]:
    def command(
        ctx: typer.Context,
        file: Annotated[Path, typer.Argument(help="Output .csv, .xlsx or (parks) .geojson file.")],
        park: Annotated[str | None, typer.Option("--park", help="Only this park's records.")] = None,
    ) -> None:
        from ecozone.store.registry_store import export_rows

        cli = state(ctx)
        columns, rows = export_rows(cli.open_workspace(), entity, park)
        write_table(file, entity, columns, rows)
        Console().print(cli.t("export.done", rows=len(rows), entity=entity, file=str(file)))

    command.__doc__ = f"Export {entity} rows (a lossless round trip with import)."
    return command


def register(app: typer.Typer) -> None:
    """Add the ``import`` and ``export`` groups to ``app``."""
    for name, entity in ENTITY_COMMANDS.items():
        import_app.command(name)(_make_import_command(entity))
        export_app.command(name)(_make_export_command(entity))
    app.add_typer(import_app, name="import")
    app.add_typer(export_app, name="export")
