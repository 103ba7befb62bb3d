"""``ecozone demo``: build the demonstration workspace and say what to try next."""

from __future__ import annotations

from collections.abc import Callable

import typer
from rich.console import Console
from rich.table import Table

from ecozone.cli.context import CliState, state
from ecozone.registry.files import RawTable
from ecozone.store.workspace import Workspace

DEMO_ORDER = ("park", "firm", "meter", "certification")

# Later steps (readings, KPIs, assessments, ...) append themselves here: each takes the
# CLI state, the workspace and a console, and prints what it built.
DemoStep = Callable[[CliState, Workspace, Console], None]
DEMO_STEPS: list[DemoStep] = []


def build_registry(workspace: Workspace, seed: int) -> dict[str, tuple[int, int, int]]:
    """Import the demo registry through the same validated path as user files.

    Returns
    -------
    dict
        Per entity: (inserted, updated, unchanged) counts.
    """
    from ecozone.demo.registry import demo_registry
    from ecozone.store.database import migrate
    from ecozone.store.registry_store import import_table

    migrate(workspace)
    rows = demo_registry(seed)
    counts = {}
    for entity in DEMO_ORDER:
        summary = import_table(workspace, entity, RawTable.from_records(f"demo-{entity}", rows[entity]))
        counts[entity] = (summary.inserted, summary.updated, summary.unchanged)
    return counts


def register(app: typer.Typer) -> None:
    """Add the ``demo`` command to ``app``."""

    @app.command()
    def demo(
        ctx: typer.Context,
        seed: int = typer.Option(20240101, "--seed", help="Seed of the synthetic demo generator."),
    ) -> None:
        """Build a workspace with 13 real reference parks and the synthetic demo park `demo`."""
        cli = state(ctx)
        workspace = cli.workspace()
        console = Console()
        counts = build_registry(workspace, seed)
        table = Table(cli.t("demo.entity"), cli.t("demo.inserted"), cli.t("demo.updated"), cli.t("demo.unchanged"))
        for entity, (inserted, updated, unchanged) in counts.items():
            table.add_row(cli.t(f"demo.entity.{entity}"), str(inserted), str(updated), str(unchanged))
        console.print(cli.t("demo.registry_built", path=str(workspace.path)))
        console.print(table)
        for step in DEMO_STEPS:
            step(cli, workspace, console)
        console.print(cli.t("demo.next_steps", workspace=str(workspace.path)))
