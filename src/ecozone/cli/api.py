"""``ecozone serve`` (the API and web dashboard) and ``ecozone users add|grant|list|token``."""

from __future__ import annotations

import os
import secrets
import sys
from dataclasses import dataclass
from datetime import timedelta
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from ecozone.cli.context import CliState, state
from ecozone.i18n import translate
from ecozone.store.workspace import Workspace

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


def _both(key: str) -> str:
    """Bilingual help text (the language option is read after help is built)."""
    return f"{translate(key, 'en')} / {translate(key, 'vi')}"


users_app = typer.Typer(help=_both("api.cli.users.help"), no_args_is_help=True)


@dataclass(frozen=True)
class DemoAccount:
    """A demonstration account and its (freshly generated) password."""

    username: str
    password: str
    role: str
    scope_id: str = ""


DEMO_USERS = (
    ("admin", "admin", ""),
    ("manager", "park_manager", "demo"),
    ("tenant", "firm_user", "demo-f01"),
    ("investor", "investor", ""),
)
"""Demo usernames with their role and scope (the synthetic park ``demo`` and its firm ``demo-f01``)."""


def _password_from(stdin: bool, generate: bool, none: bool) -> str | None:
    if none:
        return None
    if generate:
        return secrets.token_urlsafe(12)
    if stdin:
        return sys.stdin.readline().rstrip("\n")
    password: str = typer.prompt(translate("api.cli.password_prompt"), hide_input=True, confirmation_prompt=True)
    return password


@users_app.command("add", help=_both("api.cli.add.help"))
def add_user(
    ctx: typer.Context,
    username: Annotated[str, typer.Argument(help=_both("api.cli.option.username"))],
    role: Annotated[str, typer.Option("--role", help=_both("api.cli.option.role"))],
    scope: Annotated[str, typer.Option("--scope", help=_both("api.cli.option.scope"))] = "",
    display_name: Annotated[str | None, typer.Option("--name", help=_both("api.cli.option.name"))] = None,
    language: Annotated[str, typer.Option("--language", help=_both("api.cli.option.language"))] = "vi",
    password_stdin: Annotated[bool, typer.Option("--password-stdin", help=_both("api.cli.option.password_stdin"))] = False,
    generate: Annotated[bool, typer.Option("--generate-password", help=_both("api.cli.option.generate"))] = False,
    no_password: Annotated[bool, typer.Option("--no-password", help=_both("api.cli.option.no_password"))] = False,
) -> None:
    """Create an account with one role (more with ``ecozone users grant``)."""
    from ecozone.store.accounts_store import Grant, create_user

    cli = state(ctx)
    workspace = cli.open_workspace()
    password = _password_from(password_stdin, generate, no_password)
    account = create_user(
        workspace, username, password, display_name=display_name, language=language, grants=[Grant(role, scope)]
    )
    console = Console()
    console.print(cli.t("api.cli.added", username=account.username, role=role, scope=scope or "—"), highlight=False)
    if generate and password is not None:
        console.print(cli.t("api.cli.generated_password", password=password), highlight=False)


@users_app.command("grant", help=_both("api.cli.grant.help"))
def grant(
    ctx: typer.Context,
    username: Annotated[str, typer.Argument(help=_both("api.cli.option.username"))],
    role: Annotated[str, typer.Option("--role", help=_both("api.cli.option.role"))],
    scope: Annotated[str, typer.Option("--scope", help=_both("api.cli.option.scope"))] = "",
) -> None:
    """Give an account one more role."""
    from ecozone.store.accounts_store import Grant, add_grant

    cli = state(ctx)
    account = add_grant(cli.open_workspace(), username, Grant(role, scope))
    Console().print(cli.t("api.cli.granted", username=account.username, role=role, scope=scope or "—"), highlight=False)


@users_app.command("list", help=_both("api.cli.list.help"))
def list_users(ctx: typer.Context) -> None:
    """List the accounts with their roles."""
    from ecozone.store.accounts_store import list_accounts

    cli = state(ctx)
    accounts = list_accounts(cli.open_workspace())
    table = Table(*cli.t("api.cli.list.header").split("|"))
    for account in accounts:
        roles = ", ".join(f"{g.role}:{g.scope_id}" if g.scope_id else g.role for g in account.grants)
        active = cli.t("api.cli.yes") if account.is_active else cli.t("api.cli.no")
        table.add_row(account.username, account.display_name or "", roles, account.language, active)
    console = Console()
    console.print(table)
    console.print(cli.t("api.cli.list.count", count=len(accounts)), highlight=False)


@users_app.command("token", help=_both("api.cli.token.help"))
def token(
    ctx: typer.Context,
    username: Annotated[str, typer.Argument(help=_both("api.cli.option.username"))],
    name: Annotated[str, typer.Option("--name", help=_both("api.cli.option.token_name"))] = "cli",
    days: Annotated[int | None, typer.Option("--days", min=1, max=3650, help=_both("api.cli.option.days"))] = None,
    revoke: Annotated[int | None, typer.Option("--revoke", help=_both("api.cli.option.revoke"))] = None,
) -> None:
    """Issue an API token for an account (printed once), or revoke one by id."""
    from ecozone.store.accounts_store import issue_token, revoke_token

    cli = state(ctx)
    workspace = cli.open_workspace()
    console = Console()
    if revoke is not None:
        revoke_token(workspace, revoke)
        console.print(cli.t("api.cli.token_revoked", token_id=revoke), highlight=False)
        return
    secret, info = issue_token(workspace, username, name, timedelta(days=days) if days else None)
    console.print(cli.t("api.cli.token_issued", username=info.username, token_id=info.id), highlight=False)
    typer.echo(secret)


def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option("--host", help=_both("api.cli.option.host"))] = DEFAULT_HOST,
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help=_both("api.cli.option.port"))] = DEFAULT_PORT,
    workers: Annotated[int, typer.Option("--workers", min=1, max=64, help=_both("api.cli.option.workers"))] = 1,
) -> None:
    """Serve the REST API and the web dashboard on the workspace's store."""
    import uvicorn

    from ecozone.store.accounts_store import fail_interrupted_jobs

    cli = state(ctx)
    workspace = cli.open_workspace()
    fail_interrupted_jobs(workspace)
    Console().print(cli.t("api.cli.serving", url=f"http://{_url_host(host)}:{port}/", path=str(workspace.path)), highlight=False)
    if workers == 1:
        from ecozone.api.app import create_app

        uvicorn.run(create_app(workspace, migrate_store=False), host=host, port=port, log_level="warning", proxy_headers=False)
        return
    os.environ["ECOZONE_WORKSPACE"] = str(workspace.path)
    os.environ["ECOZONE_DB"] = workspace.database_url
    uvicorn.run("ecozone.api.app:app_from_environment", factory=True, host=host, port=port, workers=workers, log_level="warning")


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def demo_accounts(workspace: Workspace, publish: bool = True) -> list[DemoAccount]:
    """Create (or reset) the demo accounts with new random passwords, and publish the parks.

    Accounts: ``admin``; ``manager``, park manager of ``demo``; ``tenant``, user of the firm
    ``demo-f01``; ``investor``. Existing ones get a new password and the missing grant.

    Returns
    -------
    list of DemoAccount
        Usernames with their new passwords (to print: they are stored only as hashes).
    """
    from ecozone.store import accounts_store
    from ecozone.store.accounts_store import Grant

    existing = {account.username for account in accounts_store.list_accounts(workspace)}
    accounts = []
    for username, role, scope in DEMO_USERS:
        password = secrets.token_urlsafe(9)
        if username in existing:
            accounts_store.set_password(workspace, username, password)
            accounts_store.add_grant(workspace, username, Grant(role, scope))
        else:
            accounts_store.create_user(
                workspace, username, password, display_name=f"Demo {username}", language="vi", grants=[Grant(role, scope)]
            )
        accounts.append(DemoAccount(username, password, role, scope))
    if publish:
        from ecozone.store.registry_store import load_registry

        for item in load_registry(workspace).parks:
            accounts_store.publish_park(workspace, item.park.id, "demo")
    return accounts


def demo_step(cli: CliState, workspace: Workspace, console: Console) -> None:
    """Create the demo accounts and say how to open the dashboard."""
    accounts = demo_accounts(workspace)
    table = Table(*cli.t("api.demo.header").split("|"), title=cli.t("api.demo.title"))
    for account in accounts:
        table.add_row(account.username, account.password, account.role, account.scope_id or "—")
    console.print(table)
    command = "ecozone serve" if workspace.path.name == "ecozone-data" else f"ecozone --workspace {workspace.path} serve"
    console.print(cli.t("api.demo.open", command=command, url=f"http://{DEFAULT_HOST}:{DEFAULT_PORT}/"), highlight=False)


def register(app: typer.Typer) -> None:
    """Add ``serve`` and the ``users`` group to ``app``."""
    app.command("serve", help=_both("api.cli.serve.help"))(serve)
    app.add_typer(users_app, name="users")
