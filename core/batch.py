"""Batch evaluation (DESIGN §4): one entitlement, every holder, one date, as set-based SQL.

The permit part is one query for all holders: each holder's latest permit issued on or before
``as_of`` (a window function), its status from the same date rule as
:func:`core.rules.permit_status`. The department's part is the entitlement's SQL form
(:attr:`core.entitlements.Entitlement.sql`), a SELECT of the holder ids whose own conditions
pass; the two are joined in the database, and rows stream out in holder-id order.

An entitlement without a SQL form is evaluated holder by holder with the same engine the API
uses — correct, only slower; ``mode`` says which ran.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Callable, Iterator

from sqlalchemy import String, and_, case, cast, func, literal, select
from sqlalchemy.orm import Session, aliased

from core.engine import decide, permit_state
from core.entitlements import CODE_RE, BatchContext, CheckFacts, Entitlement
from core.models import Holder, Permit
from core.parameters import ParameterError, ParameterStore

CHUNK = 5000


@dataclass(frozen=True)
class BatchRow:
    holder_id: int
    permit_number: str | None
    permit_status: str | None  # "valid" | "suspended" | "revoked" | None (no permit)
    status: str  # "eligible" | "ineligible" | "error"
    # Why not, in one code: no_permit | suspended | revoked | conditions | error; "" if eligible
    reason: str

    @property
    def eligible(self) -> bool:
        return self.status == "eligible"


def latest_on(model: Any, day: str, as_of: dt.date) -> Any:
    """A condition on ``model``'s rows: the row is its holder's latest with ``day`` on or
    before ``as_of`` (ties on the day: the higher id). For SQL forms (``api.latest_on``).

    Correlated on the table's (holder_id, day) index, the order the per-holder reads use. A
    ``row_number()`` window says the same, but SQLite materialises it and builds an automatic
    index over it on every run: at 1.1 M holders the batch's statement (the CSV line form)
    took 6.3 s with windows for the permit and the housing facts, 3.5–4.5 s correlated
    (docs/scale.md)."""
    newer = aliased(model, name="newer")
    latest_id = (select(newer.id)
                 .where(newer.holder_id == model.holder_id, getattr(newer, day) <= as_of)
                 .order_by(getattr(newer, day).desc(), newer.id.desc()).limit(1)
                 .scalar_subquery())
    return and_(getattr(model, day) <= as_of, model.id == latest_id)


def latest_permits(as_of: dt.date) -> Any:
    """Per holder, the latest permit issued on or before ``as_of`` and its status that day,
    read from ``ix_permit_holder_issued`` (:func:`latest_on`), as :func:`core.engine.permit_state`
    reads it for one holder."""
    status = case(
        (and_(Permit.revoked_on.is_not(None), Permit.revoked_on <= as_of), literal("revoked")),
        (Permit.valid_until < as_of, literal("suspended")),
        else_=literal("valid"))
    return (select(Permit.holder_id, Permit.number, status.label("status"), Permit.issued_on,
                   Permit.valid_until, Permit.continuous_residence_since)
            .where(latest_on(Permit, "issued_on", as_of)).subquery("latest"))


#: The columns of :func:`sql_table`'s rows, in order (the CSV of ``juzhu entitlements
#: evaluate``).
COLUMNS = ("holder_id", "code", "as_of", "status", "eligible", "permit_number", "permit_status",
           "reason")


def _statement(session: Session, ent: Entitlement, as_of: dt.date, store: ParameterStore,
               code: str, *, lines: bool = False) -> Any:
    """One statement giving every holder's row in :data:`COLUMNS` order, already as text:
    the reason (no_permit, the permit's status when not valid, conditions, or "" when
    eligible) is a CASE over the latest permit and the entitlement's SQL form, so no row
    needs Python to become a line of output. With ``lines``, each row is one column: the
    CSV line itself (see :func:`csv_lines`)."""
    assert ent.sql is not None
    latest = latest_permits(as_of)
    try:
        passing = ent.sql(BatchContext(as_of=as_of, session=session,
                                       params=store.reader(as_of))).subquery("passing")
    except ParameterError:
        # no value of a threshold in force that day: nobody passes (as the engine answers)
        passing = None
    passes = literal(False) if passing is None else list(passing.c)[0].is_not(None)
    # Each condition once and flat: SQLite re-evaluates a CASE every time it is named, so
    # eligibility is not derived from the reason (nested CASEs cost a million-holder run a
    # second).
    eligible = and_(latest.c.status == "valid", passes)
    reason = case((latest.c.status.is_(None), literal("no_permit")),
                  (latest.c.status != "valid", latest.c.status),
                  (passes, literal("")),
                  else_=literal("conditions"))
    number = func.coalesce(latest.c.number, literal(""))
    status = func.coalesce(latest.c.status, literal(""))
    if lines:
        stmt = select(cast(Holder.id, String) + literal(f",{code},{as_of.isoformat()},")
                      + case((eligible, literal("eligible,true,")),
                             else_=literal("ineligible,false,"))
                      + number + literal(",") + status + literal(",") + reason)
    else:
        stmt = select(Holder.id, literal(code), literal(as_of.isoformat()),
                      case((eligible, literal("eligible")), else_=literal("ineligible")),
                      case((eligible, literal("true")), else_=literal("false")),
                      number, status, reason)
    stmt = stmt.outerjoin(latest, latest.c.holder_id == Holder.id)
    if passing is not None:
        stmt = stmt.outerjoin(passing, list(passing.c)[0] == Holder.id)
    # The options go on the statement: Connection.execution_options would change the
    # session's connection for every later statement.
    return stmt.order_by(Holder.id).execution_options(stream_results=True,
                                                      max_row_buffer=CHUNK)


def _chunks(session: Session, stmt: Any) -> Iterator[list[Any]]:
    """The statement's rows in chunks of :data:`CHUNK` tuples, streamed."""
    conn = session.connection()
    if conn.dialect.name != "sqlite":
        yield from conn.execute(stmt).partitions(CHUNK)
        return
    # sqlite3's cursor reads lazily by itself, and every column is text or an integer (no
    # result processing to apply): reading the DBAPI cursor directly skips a SQLAlchemy Row
    # per holder (a second of a million-holder run).
    cursor = conn.execute(stmt.execution_options(stream_results=False)).cursor
    while chunk := cursor.fetchmany(CHUNK):
        yield chunk


def sql_table(session: Session, ent: Entitlement, as_of: dt.date, store: ParameterStore,
              code: str) -> Iterator[list[Any]]:
    """The entitlement over every holder in one statement (the SQL form), as chunks of
    rows in :data:`COLUMNS` order, streamed (Core tuples straight from the cursor: a
    million holders cost no Python object per row beyond the driver's)."""
    return _chunks(session, _statement(session, ent, as_of, store, code))


def csv_lines(session: Session, ent: Entitlement, as_of: dt.date, store: ParameterStore,
              code: str) -> Iterator[str]:
    """The CSV of ``juzhu entitlements evaluate`` without its header, a chunk of lines at a
    time, each chunk ending in a newline: the database joins each row's fields.

    No field ever needs the csv module's quoting: the holder id is an integer, the code
    matches :data:`core.entitlements.CODE_RE`, the date is ISO, the statuses and reasons are
    fixed words, and a permit number is the decimal digits of a card serial (第七条). Eight
    columns per holder made Python build a tuple of eight objects and the csv module format
    it: 2.7 s of a 1.1 M-holder run, against well under a second for one string each.
    """
    assert CODE_RE.match(code), code
    for chunk in _chunks(session, _statement(session, ent, as_of, store, code, lines=True)):
        yield "\n".join([row[0] for row in chunk]) + "\n"


def sql_rows(session: Session, ent: Entitlement, as_of: dt.date,
             store: ParameterStore) -> Iterator[BatchRow]:
    """The entitlement over every holder in one statement (the SQL form), as BatchRows."""
    for chunk in sql_table(session, ent, as_of, store, ent.code):
        for holder_id, _code, _as_of, status, _eligible, number, permit_status, reason in chunk:
            yield BatchRow(holder_id, number or None, permit_status or None, status, reason)


def loop_rows(session: Session, ent: Entitlement, as_of: dt.date,
              store: ParameterStore, *, expunge: bool = True) -> Iterator[BatchRow]:
    """The same answer holder by holder, through the per-holder engine (no SQL form)."""
    last = 0
    while True:
        holders = session.scalars(select(Holder).where(Holder.id > last)
                                  .order_by(Holder.id).limit(CHUNK)).all()
        if not holders:
            return
        for holder in holders:
            state = permit_state(session, holder.id, as_of)
            item = decide(ent, CheckFacts(holder=holder, permit=state, as_of=as_of,
                                          session=session), store)
            if item.status == "error":
                reason = "error"
            elif state is None:
                reason = "no_permit"
            elif state.status != "valid":
                reason = state.status
            else:
                reason = "" if item.eligible else "conditions"
            yield BatchRow(holder.id, state.number if state else None,
                           state.status if state else None, item.status, reason)
        last = holders[-1].id
        if expunge:
            session.expunge_all()  # keep memory flat over a million holders


def evaluate_all(session: Session, ent: Entitlement, as_of: dt.date, store: ParameterStore,
                 *, force_loop: bool = False) -> tuple[str, Callable[[], Iterator[BatchRow]]]:
    """``(mode, rows)``: "sql" when the entitlement has a SQL form, else "loop"."""
    if ent.sql is not None and not force_loop:
        return "sql", lambda: sql_rows(session, ent, as_of, store)
    return "loop", lambda: loop_rows(session, ent, as_of, store)


def holder_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Holder)) or 0
