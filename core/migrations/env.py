"""Alembic environment: runs on the connection handed over by core.migrate."""

from __future__ import annotations

from alembic import context

from core.db import db
import core.models  # noqa: F401  (registers the kernel's tables on the metadata)

config = context.config
connection = config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=db.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
