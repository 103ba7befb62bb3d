"""The Alembic migrations create exactly the schema the ORM models describe."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from ecozone.store.database import engine_for, load_all_models
from ecozone.store.models import Base
from ecozone.store.workspace import Workspace


def test_migrations_match_the_models(workspace: Workspace) -> None:
    load_all_models()
    with engine_for(workspace.database_url).connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []
