"""Command-line interface: one Typer command group per domain."""
