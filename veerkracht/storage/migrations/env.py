"""Alembic environment: runs on the connection handed in by storage.engine.upgrade."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from veerkracht.storage.tables import metadata

config = context.config
connection = config.attributes.get("connection")

if connection is None:  # pragma: no cover - used by `alembic revision --autogenerate` only
    connectable = create_engine(config.get_main_option("sqlalchemy.url"))
    with connectable.connect() as connection:
        context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
else:
    context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()
