"""``python -m ecozone`` runs the CLI."""

from ecozone.cli.main import run

run()
