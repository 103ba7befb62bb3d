"""The ``ecozone`` command."""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.console import Console

from ecozone.cli.context import CliState, set_language, state
from ecozone.errors import EcozoneError, ImportValidationError
from ecozone.i18n import current_language, translate

app = typer.Typer(
    name="ecozone",
    help="ecozone: smart, green and eco-industrial parks / khu công nghiệp thông minh, xanh và sinh thái.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


@app.callback()
def root(
    ctx: typer.Context,
    workspace: Annotated[
        str | None, typer.Option("--workspace", "-w", help="Workspace folder [default: ./ecozone-data or ECOZONE_WORKSPACE].")
    ] = None,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            help="Registry database URL, e.g. postgresql://user@host/db [default: ECOZONE_DB or the workspace's SQLite file].",
        ),
    ] = None,
    lang: Annotated[
        str | None, typer.Option("--lang", help="Language of messages: vi or en [default: ECOZONE_LANG or en].")
    ] = None,
) -> None:
    """Choose the workspace, database and language for the command that follows."""
    ctx.obj = CliState(workspace, db, set_language(lang))


@app.command()
def init(ctx: typer.Context) -> None:
    """Create the workspace and its database schema (safe to repeat)."""
    from ecozone.store.database import migrate

    cli = state(ctx)
    workspace = cli.workspace()
    migrate(workspace)
    Console().print(cli.t("init.done", path=str(workspace.path), db=_redact(workspace.database_url)))


def _redact(url: str) -> str:
    """Hide a password in a database URL."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def _register_groups() -> None:
    from ecozone.cli import (
        api,
        assessment,
        baselines,
        decarbonisation,
        demo,
        meters,
        monitoring,
        registry,
        siting,
        stats,
        symbiosis,
    )

    modules = (registry, stats, meters, baselines, monitoring, assessment, symbiosis, decarbonisation, siting, api, demo)
    for module in modules:
        module.register(app)
    meters.register_import(registry.import_app)
    symbiosis.register_import(registry.import_app)
    assessment.METRIC_PROVIDERS.append(meters.assessment_metrics)
    demo.DEMO_STEPS.extend(
        [
            meters.demo_readings_step,
            baselines.demo_step,
            monitoring.demo_step,
            assessment.demo_step,
            symbiosis.demo_step,
            decarbonisation.demo_step,
            siting.demo_step,
            api.demo_step,
        ]
    )


_register_groups()


def print_error(error: EcozoneError, lang: str) -> None:
    """Print an ecozone error to stderr without a traceback."""
    console = Console(stderr=True)
    console.print(f"[bold red]{translate('error.prefix', lang)}:[/] {error.message(lang)}", highlight=False)
    if isinstance(error, ImportValidationError):
        from ecozone.cli.registry import print_problems

        print_problems(error.problems, lang, console)


def run() -> None:
    """Entry point: run the app; ecozone errors print a message (no traceback) and exit 2."""
    try:
        app()
    except EcozoneError as error:
        print_error(error, current_language())
        sys.exit(2)
