"""The one database handle (Flask-SQLAlchemy) and the declarative base.

Naming conventions make constraint names stable, so Alembic migrations run the same on
SQLite (batch mode) and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from functools import cache
from typing import Any, Callable, Iterable, Iterator, Mapping, Sequence

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import JSON, Boolean, Date, DateTime, MetaData, Table, bindparam
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


def configure_engine(engine: Any) -> None:
    """Settings of every new connection of ``engine`` (the app's, made by
    :data:`db`); called once per app.

    SQLite file databases run in WAL mode (write-ahead log). Why: in SQLite's default
    rollback-journal mode a commit must wait until no connection is reading, so a long read
    (``juzhu entitlements evaluate`` over every holder, an export) would make a clerk's
    commit at the counter wait out sqlite3's 5 s busy timeout and fail with "database is
    locked". In WAL mode readers and the one writer do not block each other: a commit
    appends its pages to the log, and readers go on with the pages of their snapshot.
    ``synchronous`` stays FULL (the default): a commit the clerk was told of survives a
    power cut.

    The mode is kept in the file, so this is a no-op after the first connection; a database
    busy at that moment is converted by a later one. Backups are made as plain one-file
    databases (core/backup.py), and the -wal and -shm files beside the database belong to it
    (copy the three together, or use ``juzhu backup``)."""
    if engine.dialect.name != "sqlite" or engine.url.database in (None, "", ":memory:"):
        return
    from sqlalchemy import event

    @event.listens_for(engine, "connect")
    def _wal(dbapi_connection: Any, _record: Any) -> None:
        try:
            dbapi_connection.execute("PRAGMA journal_mode=WAL")
        except sqlite3.OperationalError:  # busy: another connection converts it later
            pass


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
    stmt = _upsert_insert(_dialect(session))(model).on_conflict_do_nothing().returning(*returning)
    return list(session.execute(stmt, rows).all())


def insert_new_from(session: Any, model: Any, columns: Sequence[str], query: Any,
                    returning: Sequence[Any]) -> list[Any]:
    """``INSERT INTO model (columns) SELECT … ON CONFLICT DO NOTHING RETURNING …``: the
    set-based form of :func:`insert_new`, for rows the database can compute itself (the
    sweep's suspensions). ``query`` must have a WHERE clause (SQLite's grammar needs one
    before ON CONFLICT)."""
    stmt = (_upsert_insert(_dialect(session))(model).from_select(list(columns), query)
            .on_conflict_do_nothing().returning(*returning))
    return list(session.execute(stmt).all())


def increment(session: Any, model: Any, key: Mapping[str, Any], column: str, by: int = 1) -> int:
    """Add ``by`` to ``column`` of ``model``'s row at ``key`` (its primary key's columns and
    values), making the row with ``column = by`` if there is none, and return the new value.

    One statement (``INSERT … ON CONFLICT (key) DO UPDATE SET column = column + by
    RETURNING column``): the row stays locked to the end of the transaction, so two
    transactions counting at once get consecutive values, the first use included. For
    counters that hand out numbers (document numbers per station and year).
    """
    stmt = _increment_statement(_dialect(session), model, tuple(key), column)
    return int(session.execute(stmt, {**key, "by": by}).scalar_one())


@cache
def _increment_statement(dialect: str, model: Any, key: tuple[str, ...], column: str) -> Any:
    # Built once per counter with placeholders: every issuance counts a document number, and
    # building the upsert cost more than running it (py-spy of the issuance, 2026-12-05).
    target = getattr(model, column)
    insert = _upsert_insert(dialect)
    return (insert(model).values({**{k: bindparam(k) for k in key}, column: bindparam("by")})
            .on_conflict_do_update(index_elements=list(key),
                                   set_={column: target + bindparam("by")})
            .returning(target))


def _dialect(session: Any) -> str:
    return str(session.get_bind().dialect.name)


def _upsert_insert(name: str) -> Any:
    """The ``insert`` of the dialect ``name`` that knows ON CONFLICT (PostgreSQL and SQLite
    alike)."""
    if name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    elif name == "sqlite":
        from sqlalchemy.dialects.sqlite import insert
    else:  # pragma: no cover - the two engines juzhu supports (README)
        raise NotImplementedError(f"unsupported database {name}")
    return insert


# -- bulk writes -----------------------------------------------------------------------------

BULK_CHUNK = 5000  # rows per executemany batch


def bulk_write(session: Any, table: Any, rows: Iterable[Mapping[str, Any] | Sequence[Any]],
               columns: Sequence[str] | None = None,
               on_columns: Callable[[list[str]], Any] | None = None) -> int:
    """Insert ``rows`` into ``table`` (a model or Table) in the session's transaction, as
    fast as the driver allows: ``executemany`` in batches on SQLite, ``COPY … FROM STDIN``
    on PostgreSQL; no ORM object, no per-row statement, no RETURNING. Rows are mappings, or
    sequences in the order of ``columns``; values are converted by the columns' own
    SQLAlchemy types (dates, booleans, JSON). Returns the row count.

    For bulk loads whose rows the caller has already checked (generated data, an import's
    validated rows); ids, when given, are the caller's (see :func:`sequence_ids`).
    ``on_columns(columns)`` is told the column list once it is known."""
    t = table if isinstance(table, Table) else table.__table__
    it = iter(rows)
    if columns is None:
        first = next(it, None)
        if first is None:
            return 0
        columns = list(first)  # type: ignore[arg-type]
        keys = list(columns)
        it = (tuple(r[k] for k in keys) for r in _chain(first, it))  # type: ignore[index]
    if on_columns is not None:
        on_columns(list(columns))
    conn = session.connection()
    raw = conn.connection.driver_connection
    try:
        if conn.dialect.name == "postgresql":
            return _copy(raw, t, list(columns), it)
        return _executemany(raw, t, list(columns), it, conn.dialect)
    except conn.dialect.loaded_dbapi.Error as exc:
        # The driver's own error, as SQLAlchemy would have raised it (IntegrityError for a
        # unique or foreign-key violation, …), so callers catch one kind on both engines.
        from sqlalchemy.exc import DBAPIError

        raise DBAPIError.instance(f"bulk_write {t.name}", None, exc,
                                  conn.dialect.loaded_dbapi.Error,
                                  dialect=conn.dialect) from exc


def sequence_ids(session: Any, table: Any, n: int) -> list[int]:
    """``n`` fresh primary keys of ``table`` for rows written by :func:`bulk_write` with
    their ids known. PostgreSQL: from the column's sequence, which stays in step. SQLite:
    after the current maximum (the caller writes in this transaction, and SQLite has one
    writer at a time)."""
    from sqlalchemy import func, select, text

    t = table if isinstance(table, Table) else table.__table__
    if session.get_bind().dialect.name == "postgresql":
        # One array, not n rows: fetching thousands of one-number rows cost more than
        # taking the numbers.
        return list(session.scalar(text(
            "SELECT array_agg(nextval(pg_get_serial_sequence(:t, 'id'))) "
            "FROM generate_series(1, :n)"), {"t": t.name, "n": n}) or [])
    top = session.scalar(select(func.max(t.c.id))) or 0
    return list(range(top + 1, top + n + 1))


def lookup_many(session: Any, key: Any, value: Any, keys: Sequence[Any]) -> dict[Any, Any]:
    """``{key: value}`` for the rows of ``key``'s table whose ``key`` column is among
    ``keys`` (two Columns of one table, ``key`` indexed). One statement whatever the number
    of keys, with the keys as ONE parameter: an array on PostgreSQL (``= ANY(%s)``), a JSON
    text on SQLite (``IN (SELECT value FROM json_each(?))``); an ``in_()`` of thousands of
    keys would compile and parse thousands of placeholders on every call."""
    if not keys:
        return {}
    conn = session.connection()
    quote = conn.dialect.identifier_preparer.quote
    table, k, v = quote(key.table.name), quote(key.name), quote(value.name)
    if conn.dialect.name == "postgresql":
        sql, param = f"SELECT {k}, {v} FROM {table} WHERE {k} = ANY(%s)", list(keys)
    else:
        sql = f"SELECT {k}, {v} FROM {table} WHERE {k} IN (SELECT value FROM json_each(?))"
        param = json.dumps(list(keys))
    return dict(conn.exec_driver_sql(sql, (param,)).all())


def _chain(first: Any, rest: Iterator[Any]) -> Iterator[Any]:
    yield first
    yield from rest


def _batches(rows: Iterator[Sequence[Any]], size: int = BULK_CHUNK) -> Iterator[list[Sequence[Any]]]:
    batch: list[Sequence[Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _executemany(raw: Any, t: Table, columns: list[str], rows: Iterator[Sequence[Any]],
                 dialect: Any) -> int:
    # The statement names the columns in the rows' own order (a compiled insert() would
    # order its placeholders by the table's columns). SQLite's paramstyle is qmark.
    quote = dialect.identifier_preparer.quote
    sql = (f"INSERT INTO {quote(t.name)} ({', '.join(quote(c) for c in columns)}) "
           f"VALUES ({', '.join('?' for _ in columns)})")
    procs = [_sqlite_proc(t.c[c], dialect) for c in columns]
    convert = [(i, p) for i, p in enumerate(procs) if p is not None]
    cur = raw.cursor()
    n = 0
    try:
        for batch in _batches(rows):
            if convert:
                out = []
                for row in batch:
                    row = list(row)
                    for i, p in convert:
                        row[i] = p(row[i])
                    out.append(row)
                batch = out
            cur.executemany(sql, batch)
            n += len(batch)
    finally:
        cur.close()
    return n


def _sqlite_proc(column: Any, dialect: Any) -> Callable[[Any], Any] | None:
    """How a value of ``column`` goes to sqlite3, or None when it goes as it is: dates go
    through the adapter registered below (the text the Date type stores, made in C),
    booleans as Python's True/False, which sqlite3 stores as 1/0 exactly as the type's
    processor would; other types through their own processor."""
    kind = column.type
    if isinstance(kind, (Date, Boolean)) and not isinstance(kind, DateTime):
        return None
    return kind.bind_processor(dialect)


# A date handed to sqlite3 becomes "YYYY-MM-DD", the text SQLAlchemy's Date type stores on
# SQLite (years 1000–9999), converted in C by date.isoformat: bulk writes pass dates
# through untouched. Python 3.12 deprecates sqlite3's own default date adapter (a Python
# function giving the same text); this one is explicit. Adapters match the exact type, so
# datetimes are not affected (they always go through their column type's processor).
sqlite3.register_adapter(dt.date, dt.date.isoformat)


def _copy(raw: Any, t: Table, columns: list[str], rows: Iterator[Sequence[Any]]) -> int:
    as_json = [i for i, c in enumerate(columns) if isinstance(t.c[c].type, JSON)]
    cols = ", ".join(f'"{c}"' for c in columns)
    n = 0
    with raw.cursor() as cur:
        with cur.copy(f'COPY "{t.name}" ({cols}) FROM STDIN') as copy:
            for row in rows:
                if as_json:
                    row = list(row)
                    for i in as_json:
                        if row[i] is not None:
                            row[i] = json.dumps(row[i], ensure_ascii=False)
                copy.write_row(row)
                n += 1
    return n
