"""Alembic environment: runs migrations on the connection ecozone hands over."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from ecozone.store.database import load_all_models
from ecozone.store.models import Base

load_all_models()
config = context.config
target_metadata = Base.metadata


def run() -> None:
    """Run migrations online, on the given connection or a new engine."""
    connection = config.attributes.get("connection")
    if connection is None:
        engine = create_engine(config.get_main_option("sqlalchemy.url") or "")
        with engine.begin() as new_connection:
            context.configure(connection=new_connection, target_metadata=target_metadata, render_as_batch=True)
            context.run_migrations()
        return
    context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
    context.run_migrations()


run()
