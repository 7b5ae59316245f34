"""The one database handle (Flask-SQLAlchemy) and the declarative base.

Naming conventions make constraint names stable, so Alembic migrations run the same on
SQLite (batch mode) and PostgreSQL.
"""

from __future__ import annotations

from typing import Any, Sequence

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


db = SQLAlchemy(model_class=Base)


def insert_new(session: Any, model: Any, rows: list[dict[str, Any]],
               returning: Sequence[Any]) -> list[Any]:
    """Insert ``rows`` into ``model``'s table, skipping any that a unique constraint already
    holds (``INSERT … ON CONFLICT DO NOTHING``, on PostgreSQL and SQLite alike), and return
    ``returning`` of the rows really written.

    For writes that two processes may race to make, such as two sweeps recording the same
    suspension: on PostgreSQL the second insert waits for the first transaction and then
    skips, so the caller acts (fires hooks, counts) only for what it wrote itself.
    """
    if not rows:
        return []
    name = session.get_bind().dialect.name
    if name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    elif name == "sqlite":
        from sqlalchemy.dialects.sqlite import insert
    else:  # pragma: no cover - the two engines juzhu supports (README)
        raise NotImplementedError(f"insert_new: unsupported database {name}")
    stmt = insert(model).on_conflict_do_nothing().returning(*returning)
    return list(session.execute(stmt, rows).all())


def insert_new_from(session: Any, model: Any, columns: Sequence[str], query: Any,
                    returning: Sequence[Any]) -> list[Any]:
    """``INSERT INTO model (columns) SELECT … ON CONFLICT DO NOTHING RETURNING …``: the
    set-based form of :func:`insert_new`, for rows the database can compute itself (the
    sweep's suspensions). ``query`` must have a WHERE clause (SQLite's grammar needs one
    before ON CONFLICT)."""
    name = session.get_bind().dialect.name
    if name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    elif name == "sqlite":
        from sqlalchemy.dialects.sqlite import insert
    else:  # pragma: no cover - the two engines juzhu supports (README)
        raise NotImplementedError(f"insert_new_from: unsupported database {name}")
    stmt = (insert(model).from_select(list(columns), query).on_conflict_do_nothing()
            .returning(*returning))
    return list(session.execute(stmt).all())
