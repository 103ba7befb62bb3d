"""``ecozone users add|grant|list|token``, ``ecozone serve`` and the demo accounts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import typer
from rich.console import Console
from typer.testing import CliRunner

from ecozone.cli import api as cli_api
from ecozone.cli.context import CliState
from ecozone.errors import EcozoneError
from ecozone.store import accounts_store
from ecozone.store.workspace import Workspace


def _app() -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def root(ctx: typer.Context, workspace: str = typer.Option(..., "--workspace")) -> None:
        ctx.obj = CliState(workspace, None, "en")

    cli_api.register(app)
    return app


def _run(workspace: Workspace, *args: str, stdin: str | None = None) -> Any:
    return CliRunner().invoke(_app(), ["--workspace", str(workspace.path), *args], input=stdin, env={"COLUMNS": "200"})


def test_users_add_list_grant_token(demo_workspace: Workspace) -> None:
    result = _run(
        demo_workspace,
        "users",
        "add",
        "Lan",
        "--role",
        "park_manager",
        "--scope",
        "demo",
        "--password-stdin",
        stdin="a long password\n",
    )
    assert result.exit_code == 0, result.output
    assert "Created account lan with role park_manager (demo)" in result.output
    assert accounts_store.check_password(demo_workspace, "lan", "a long password") is not None
    result = _run(demo_workspace, "users", "grant", "lan", "--role", "firm_user", "--scope", "demo-f03")
    assert result.exit_code == 0, result.output
    listing = _run(demo_workspace, "users", "list")
    assert (
        "park_manager:demo, firm_user:demo-f03" in listing.output.replace("\n", " ").replace("│", " ")
        or "demo-f03" in listing.output
    )
    assert "8 account(s)." in listing.output
    token_run = _run(demo_workspace, "users", "token", "lan", "--name", "etl", "--days", "30")
    assert token_run.exit_code == 0, token_run.output
    token = token_run.output.strip().splitlines()[-1]
    account = accounts_store.account_for_token(demo_workspace, token)
    assert account is not None and account.username == "lan"
    token_id = accounts_store.list_tokens(demo_workspace, "lan")[0].id
    assert _run(demo_workspace, "users", "token", "lan", "--revoke", str(token_id)).exit_code == 0
    assert accounts_store.account_for_token(demo_workspace, token) is None


def test_users_add_generates_a_password(demo_workspace: Workspace) -> None:
    result = _run(demo_workspace, "users", "add", "bot", "--role", "investor", "--generate-password")
    assert result.exit_code == 0, result.output
    password = result.output.split("Password (shown this once): ")[1].split()[0]
    assert accounts_store.check_password(demo_workspace, "bot", password) is not None


def test_users_add_refuses_a_bad_scope(demo_workspace: Workspace) -> None:
    result = _run(demo_workspace, "users", "add", "eve", "--role", "park_manager", "--scope", "nope", "--no-password")
    assert isinstance(result.exception, EcozoneError)
    assert result.exception.key == "api.account.bad_scope"


def test_serve_runs_uvicorn_on_the_workspace(demo_workspace: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    import uvicorn

    calls: list[tuple[Any, dict[str, Any]]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: calls.append((app, options)))
    result = _run(demo_workspace, "serve", "--port", "8123")
    assert result.exit_code == 0, result.output
    assert "http://127.0.0.1:8123/" in result.output
    app, options = calls[0]
    assert (options["host"], options["port"]) == ("127.0.0.1", 8123)
    assert app.state.context.workspace == demo_workspace
    monkeypatch.setenv("ECOZONE_WORKSPACE", str(demo_workspace.path))  # serve sets both for its workers: restore them
    monkeypatch.setenv("ECOZONE_DB", demo_workspace.database_url)
    _run(demo_workspace, "serve", "--workers", "3", "--host", "0.0.0.0")
    target, options = calls[1]
    assert target == "ecozone.api.app:app_from_environment"
    assert options["factory"] is True and options["workers"] == 3


def test_demo_accounts_are_reset_each_time(demo_workspace: Workspace) -> None:
    accounts_store.unpublish_park(demo_workspace, "demo")
    first = {a.username: a for a in cli_api.demo_accounts(demo_workspace)}
    assert {name: (a.role, a.scope_id) for name, a in first.items()} == {
        "admin": ("admin", ""),
        "manager": ("park_manager", "demo"),
        "tenant": ("firm_user", "demo-f01"),
        "investor": ("investor", ""),
    }
    assert "demo" in accounts_store.published_parks(demo_workspace)
    second = {a.username: a for a in cli_api.demo_accounts(demo_workspace)}
    for name, account in first.items():
        assert accounts_store.check_password(demo_workspace, name, account.password) is None
        assert accounts_store.check_password(demo_workspace, name, second[name].password) is not None


def test_demo_step_says_how_to_open_the_dashboard(demo_workspace: Workspace, tmp_path: Path) -> None:
    console = Console(file=(tmp_path / "out.txt").open("w", encoding="utf-8"), width=200)
    cli_api.demo_step(CliState(str(demo_workspace.path), None, "en"), demo_workspace, console)
    console.file.close()
    text = (tmp_path / "out.txt").read_text(encoding="utf-8")
    assert "ecozone --workspace" in text and " serve" in text
    assert "http://127.0.0.1:8000/" in text
    for username in ("admin", "manager", "tenant", "investor"):
        assert username in text
