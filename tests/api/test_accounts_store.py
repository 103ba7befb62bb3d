"""The accounts store on SQLite and PostgreSQL: migration, users, grants, tokens, sessions, jobs."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

import ecozone.store.models_accounts  # noqa: F401  (registers the account tables)
from ecozone.errors import NotFoundError
from ecozone.registry.files import RawTable
from ecozone.store import accounts_store
from ecozone.store.accounts_store import AccountError, DuplicateAccountError, Grant
from ecozone.store.database import engine_for
from ecozone.store.models import Base
from ecozone.store.registry_store import import_table
from ecozone.store.workspace import Workspace

PARK = {"id": "p1", "name_vi": "KCN Một", "province": "74", "park_type": "general", "status": "operating"}
FIRM = {"id": "f1", "park_id": "p1", "name": "Công ty Một", "vsic_code": "25"}


def _with_registry(workspace: Workspace) -> Workspace:
    import_table(workspace, "park", RawTable.from_records("p", [PARK]))
    import_table(workspace, "firm", RawTable.from_records("f", [FIRM]))
    return workspace


@pytest.fixture
def registry(sqlite_workspace: Workspace) -> Workspace:
    """A SQLite workspace with one park and one firm."""
    return _with_registry(sqlite_workspace)


@pytest.fixture
def both_registries(workspace: Workspace) -> Workspace:
    """The same on SQLite, then on PostgreSQL."""
    return _with_registry(workspace)


ACCOUNT_TABLES = {
    "users",
    "role_grants",
    "api_tokens",
    "web_sessions",
    "login_failures",
    "park_publications",
    "jobs",
    "account_settings",
}


def _ours(obj: Any, name: str | None, type_: str, _reflected: bool, _compare_to: Any) -> bool:
    table = name if type_ == "table" else getattr(getattr(obj, "table", None), "name", None)
    return table in ACCOUNT_TABLES


def test_migration_creates_the_models_tables(workspace: Workspace) -> None:
    """Migration ``accounts_0001`` creates exactly the tables of ``models_accounts`` (other domains' tables aside)."""
    assert set(Base.metadata.tables) >= ACCOUNT_TABLES
    with engine_for(workspace.database_url).connect() as connection:
        context = MigrationContext.configure(connection, opts={"include_object": _ours})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_users_and_grants(both_registries: Workspace) -> None:
    registry = both_registries
    account = accounts_store.create_user(
        registry, " Manager.One ", "long enough pw", display_name="Chị Một", grants=[Grant("park_manager", "p1")]
    )
    assert account.username == "manager.one"
    assert account.grants == (Grant("park_manager", "p1"),)
    accounts_store.add_grant(registry, "manager.one", Grant("firm_user", "f1"))
    accounts_store.add_grant(registry, "manager.one", Grant("firm_user", "f1"))  # idempotent
    assert accounts_store.get_account(registry, "MANAGER.ONE").grants == (Grant("park_manager", "p1"), Grant("firm_user", "f1"))
    assert [a.username for a in accounts_store.list_accounts(registry)] == ["manager.one"]
    with pytest.raises(DuplicateAccountError):
        accounts_store.create_user(registry, "manager.one", "long enough pw")


@pytest.mark.parametrize(
    ("username", "password", "grant", "key"),
    [
        ("x", "long enough pw", Grant("admin"), "api.account.bad_username"),
        ("ok-name", "short", Grant("admin"), "api.account.weak_password"),
        ("ok-name", "long enough pw", Grant("boss"), "api.account.unknown_role"),
        ("ok-name", "long enough pw", Grant("admin", "p1"), "api.account.unscoped_role"),
        ("ok-name", "long enough pw", Grant("park_manager", "nope"), "api.account.bad_scope"),
        ("ok-name", "long enough pw", Grant("firm_user", "p1"), "api.account.bad_scope"),
        ("ok-name", "long enough pw", Grant("park_manager"), "api.account.bad_scope"),
    ],
)
def test_account_validation(registry: Workspace, username: str, password: str, grant: Grant, key: str) -> None:
    with pytest.raises(AccountError) as raised:
        accounts_store.create_user(registry, username, password, grants=[grant])
    assert raised.value.key == key
    assert accounts_store.list_accounts(registry) == []


def test_passwords_tokens_and_sessions(both_registries: Workspace) -> None:
    registry = both_registries
    accounts_store.create_user(registry, "ana", "first password", grants=[Grant("investor")])
    assert accounts_store.check_password(registry, "ana", "first password") is not None
    assert accounts_store.check_password(registry, "ana", "wrong password") is None
    assert accounts_store.check_password(registry, "nobody", "first password") is None
    account = accounts_store.get_account(registry, "ana")
    assert account.last_login_at is not None
    secret = accounts_store.open_session(registry, account.id, timedelta(hours=1))
    assert accounts_store.account_for_session(registry, secret) == accounts_store.get_account(registry, "ana")
    accounts_store.set_password(registry, "ana", "second password")  # closes sessions
    assert accounts_store.account_for_session(registry, secret) is None
    expired = accounts_store.open_session(registry, account.id, timedelta(seconds=-1))
    assert accounts_store.account_for_session(registry, expired) is None
    token, info = accounts_store.issue_token(registry, "ana", "etl", timedelta(days=1))
    assert info.prefix == token[:10] and info.expires_at is not None
    assert accounts_store.account_for_token(registry, token) is not None
    assert accounts_store.list_tokens(registry, "ana")[0].last_used_at is not None
    accounts_store.revoke_token(registry, info.id)
    assert accounts_store.account_for_token(registry, token) is None
    with pytest.raises(NotFoundError):
        accounts_store.revoke_token(registry, 999)


def test_publications_and_signing_key(registry: Workspace) -> None:
    assert accounts_store.published_parks(registry) == frozenset()
    accounts_store.publish_park(registry, "p1", "admin")
    accounts_store.publish_park(registry, "p1", "admin")
    assert accounts_store.published_parks(registry) == {"p1"}
    accounts_store.unpublish_park(registry, "p1")
    assert accounts_store.published_parks(registry) == frozenset()
    with pytest.raises(NotFoundError):
        accounts_store.publish_park(registry, "nope")
    key = accounts_store.secret_key(registry)
    assert len(key) == 64 and accounts_store.secret_key(registry) == key


def test_jobs_round_trip(both_registries: Workspace) -> None:
    registry = both_registries
    job = accounts_store.create_job(registry, "national_rollup", None, {"layout": "2025"})
    accounts_store.start_job(registry, job.id)
    accounts_store.report_progress(registry, job.id, 1.7, "almost")
    running = accounts_store.get_job(registry, job.id)
    assert running is not None and (running.status, running.progress, running.message) == ("running", 1.0, "almost")
    accounts_store.finish_job(registry, job.id, {"parks": 1, "name": "KCN Một"})
    done = accounts_store.get_job(registry, job.id)
    assert done is not None and done.status == "succeeded" and done.result == {"parks": 1, "name": "KCN Một"}
    assert done.finished_at is not None and done.created_at is not None
    assert accounts_store.fail_interrupted_jobs(registry) == 0
    assert [j.id for j in accounts_store.list_jobs(registry)] == [job.id]


def test_login_failures_window(registry: Workspace) -> None:
    start = accounts_store.now()
    for _ in range(3):
        accounts_store.record_login_failure(registry, "Ana", "10.0.0.1")
    by_user, by_client = accounts_store.login_failures_since(registry, "ana", "10.0.0.1", start - timedelta(seconds=1))
    assert len(by_user) == len(by_client) == 3
    later = accounts_store.login_failures_since(registry, "ana", "10.0.0.1", accounts_store.now() + timedelta(seconds=1))
    assert later == ([], [])
    accounts_store.clear_login_failures(registry, "ANA")
    assert accounts_store.login_failures_since(registry, "ana", "x", start - timedelta(seconds=1))[0] == []


def test_the_api_on_both_stores(both_registries: Workspace) -> None:
    """The application on SQLite and PostgreSQL: sign-in, reads, a validated write, a job."""
    from fastapi.testclient import TestClient

    from ecozone.api import create_app

    accounts_store.create_user(both_registries, "boss", "long enough pw", grants=[Grant("admin")])
    accounts_store.create_user(both_registries, "mgr", "long enough pw", grants=[Grant("park_manager", "p1")])
    with TestClient(create_app(both_registries, migrate_store=False)) as client:
        token = client.post("/api/v1/auth/token", json={"username": "mgr", "password": "long enough pw"}).json()["token"]
        headers = {"Authorization": f"Bearer {token}"}
        assert [p["id"] for p in client.get("/api/v1/parks", headers=headers).json()] == ["p1"]
        assert client.get("/api/v1/parks").json() == []
        response = client.patch("/api/v1/parks/p1", json={"industrial_land_ha": 100, "leased_land_ha": 25}, headers=headers)
        assert response.status_code == 200 and response.json()["occupancy_pct"] == 25.0
        boss = client.post("/api/v1/auth/token", json={"username": "boss", "password": "long enough pw"}).json()["token"]
        job = client.post("/api/v1/jobs/national-rollup", headers={"Authorization": f"Bearer {boss}"}).json()
        client.app.state.context.jobs.wait(job["id"], timeout=60)  # type: ignore[attr-defined]
        done = client.get(job["url"], headers={"Authorization": f"Bearer {boss}"}).json()
    assert done["status"] == "succeeded" and done["result"]["totals"] == {"parks": 1, "firms": 1, "employees": 0, "meters": 0}
