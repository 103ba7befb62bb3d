"""Engine, sessions and schema migrations of the registry database.

SQLite (the workspace's file) by default, PostgreSQL by URL; the schema is created and
upgraded by Alembic migrations in ``migrations/``, never by ``create_all``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from ecozone.errors import ConfigurationError
from ecozone.store.workspace import Workspace


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.close()


_ENGINES: dict[str, Engine] = {}


def engine_for(url: str) -> Engine:
    """Return the (cached) engine of ``url``, with foreign keys enforced on SQLite."""
    if url in _ENGINES:
        return _ENGINES[url]
    try:
        engine = create_engine(url, future=True, pool_pre_ping=True)
    except (ArgumentError, NoSuchModuleError) as exc:
        raise ConfigurationError("store.bad_url", url=url, detail=str(exc)) from exc
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    _ENGINES[url] = engine
    return engine


def load_all_models() -> None:
    """Import every ``ecozone.store.models*`` module so ``Base.metadata`` knows all tables."""
    import importlib
    import pkgutil

    import ecozone.store

    for module in pkgutil.iter_modules(ecozone.store.__path__):
        if module.name.startswith("models"):
            importlib.import_module(f"ecozone.store.{module.name}")


def _alembic_config(url: str) -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(resources.files("ecozone.store").joinpath("migrations")))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def migrate(workspace: Workspace) -> None:
    """Create the workspace folder and bring the database schema to the latest revision."""
    from alembic import command

    workspace.path.mkdir(parents=True, exist_ok=True)
    engine = engine_for(workspace.database_url)
    try:
        with engine.begin() as connection:
            config = _alembic_config(workspace.database_url)
            config.attributes["connection"] = connection
            command.upgrade(config, "heads")
    except OperationalError as exc:
        raise ConfigurationError("store.unreachable", detail=str(exc.orig)) from exc


def is_initialised(workspace: Workspace) -> bool:
    """Whether the workspace's database holds the registry schema."""
    if workspace.is_embedded and not (workspace.path / "registry.sqlite").exists():
        return False
    try:
        return inspect(engine_for(workspace.database_url)).has_table("parks")
    except OperationalError as exc:
        raise ConfigurationError("store.unreachable", detail=str(exc.orig)) from exc


@contextmanager
def session_scope(workspace: Workspace) -> Iterator[Session]:
    """Yield a session in one transaction: committed on success, rolled back on any error."""
    factory = sessionmaker(bind=engine_for(workspace.database_url), expire_on_commit=False)
    with factory() as session, session.begin():
        yield session


def dispose_engine(url: str) -> None:
    """Close the pooled connections of ``url``'s engine and forget it."""
    engine = _ENGINES.pop(url, None)
    if engine is not None:
        engine.dispose()
