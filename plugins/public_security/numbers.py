"""Permit numbers and card serials (《办法》第七条、第八条; DESIGN §3 Numbers).

Numbers are integers and are card serials. The county PSB allocates ranges to stations
(:func:`allocate_range`: the county's register of its code space, so no two ranges overlap
anywhere in the county); issuing takes the lowest free number of the issuing station's
ranges (:func:`take_serial`).

Two clerks issuing at the same moment never get the same number: the station's ranges are
locked (SELECT … FOR UPDATE on PostgreSQL; on SQLite, which ignores FOR UPDATE, the
transaction takes the database's one write lock before it reads the cursor), and
``SerialUse.serial`` is a primary key, so even a bug here could not put one number on two
cards. Two admins allocating at once are serialised the same way (a table lock on
PostgreSQL), so the overlap check and the insert see the same register.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from functools import cache

from sqlalchemy import bindparam, select, text
from sqlalchemy.orm import Session

from core import api

from .models import NumberRange, SerialUse
from .stations import station_by_code

B7 = "《办法》第七条、第八条"
B7_ONLY = "《办法》第七条"
MAX_SERIAL = 2**63 - 1  # the BIGINT column's ceiling
RANGE_TABLE = NumberRange.__tablename__


class NoNumbersLeft(api.RuleError):
    """The station has no free number in any of its ranges (API: 409 ``no_numbers_left``)."""

    http_status = 409

    def __init__(self, station_name: str) -> None:
        super().__init__(
            "station", "no_numbers_left",
            f"{station_name}已无可用的居住证号码：请县公安局为该所分配新的号段后再办理（{B7}）", B7)


class RangeOverlap(api.RuleError):
    """A range overlapping one in the county's register (422 ``overlap``); the API body
    carries that range as ``overlapping`` for programs."""

    def __init__(self, start: int, end: int, clash: NumberRange) -> None:
        super().__init__(
            "start", "overlap",
            f"起止号码：{start}–{end} 与已分配给{clash.station.name}的号段 "
            f"{clash.start}–{clash.end} 重叠；县公安局对全县编码统一登记，号段不得重叠"
            f"（{B7_ONLY}）", B7_ONLY)
        self.overlapping = {"id": clash.id, "station": clash.station.code,
                            "start": clash.start, "end": clash.end}


# --- pure rules --------------------------------------------------------------------------

def check_bounds(start: int, end: int) -> None:
    """A range is ``[start, end]`` of positive integers, start first (第七条)."""
    if start < 1:
        raise api.RuleError("start", "start_not_positive",
                            f"起始号码：应为不小于 1 的整数，收到 {start}（{B7_ONLY}）", B7_ONLY)
    if end > MAX_SERIAL:
        raise api.RuleError("end", "end_too_large",
                            f"终止号码：不能大于 {MAX_SERIAL}（{B7_ONLY}）", B7_ONLY)
    if end < start:
        raise api.RuleError("end", "range_reversed",
                            f"起止号码：终止号码 {end} 小于起始号码 {start}（{B7_ONLY}）", B7_ONLY)


# --- the register of ranges --------------------------------------------------------------

def resolve_station(session: Session, station: Any) -> Any:
    """The police station given as an org code or an OrgUnit; 422 on ``station`` otherwise."""
    found = (station_by_code(session, station) if isinstance(station, str)
             else station if getattr(station, "kind", None) == "police_station" else None)
    if found is None:
        shown = station if isinstance(station, str) else getattr(station, "code", station)
        raise api.RuleError("station", "unknown_station",
                            f"派出所：“{shown}”不是本县的派出所代码（{B7_ONLY}）", B7_ONLY)
    return found


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


def _sqlite_write_lock(session: Session) -> None:
    """SQLite ignores FOR UPDATE and begins a transaction only at its first write: a no-op
    write takes the database's write lock now, so what this transaction reads next cannot
    change under it before it commits (other writers wait on the busy timeout)."""
    if _dialect(session) == "sqlite":
        session.execute(text(f"UPDATE {RANGE_TABLE} SET id = id WHERE 0"))


def _lock_register(session: Session) -> None:
    """Serialise allocations: the overlap check and the insert must see the same ranges."""
    if _dialect(session) == "postgresql":
        # Self-exclusive, and excludes inserts from any other path; plain reads go on.
        session.execute(text(f"LOCK TABLE {RANGE_TABLE} IN SHARE ROW EXCLUSIVE MODE"))
    else:
        _sqlite_write_lock(session)


def check_range(session: Session, *, station: Any, start: int, end: int) -> Any:
    """Validate an allocation without writing; returns the station (RuleError otherwise).

    Overlap is checked against every range in the county, whichever station holds it
    (第七条: 县公安局统一登记编码). Not locked: :func:`allocate_range` calls it under the lock.
    """
    check_bounds(start, end)
    found = resolve_station(session, station)
    clash = session.scalar(select(NumberRange).where(NumberRange.start <= end,
                                                     NumberRange.end >= start)
                           .order_by(NumberRange.start).limit(1))
    if clash is not None:
        raise RangeOverlap(start, end, clash)
    return found


def allocate_range(session: Session, *, station: Any, start: int, end: int, on: dt.date,
                   actor: Any, note: str | None = None) -> NumberRange:
    """Allocate ``[start, end]`` to ``station`` (org code or OrgUnit) on ``on`` (第七条).

    Raises RuleError (``range_reversed``, ``start_not_positive``, ``unknown_station``,
    ``overlap``). Audited as ``number_range.allocate``; the caller commits.
    """
    _lock_register(session)
    found = check_range(session, station=station, start=start, end=end)
    rng = NumberRange(station_id=found.id, start=start, end=end, next_free=start,
                      allocated_on=on, allocated_by_id=getattr(actor, "id", None),
                      note=(note or "").strip() or None)
    session.add(rng)
    session.flush()
    api.record_audit(session, action="number_range.allocate", entity=RANGE_TABLE,
                     entity_id=rng.id, actor=actor,
                     new={"station": found.code, "start": start, "end": end,
                          "allocated_on": on, "note": rng.note})
    return rng


# --- taking numbers ----------------------------------------------------------------------

@cache
def _station_ranges_locked() -> Any:
    # Built once with placeholders: building a select costs more than running it.
    return (select(NumberRange).where(NumberRange.station_id == bindparam("station_id"))
            .order_by(NumberRange.start).with_for_update()
            .execution_options(populate_existing=True))


@cache
def _live_ranges_locked() -> Any:
    # Only ranges with numbers left: a station keeps its used-up ranges for ever (the PSB's
    # register), and taking a number has no business loading or locking them. The lock on
    # the live ones still serialises every taker; one that finds a range used up after its
    # wait skips it (PostgreSQL re-checks the condition on the row it waited for).
    return _station_ranges_locked().where(NumberRange.next_free <= NumberRange.end)


@cache
def _used_between() -> Any:
    return (select(SerialUse.serial).where(SerialUse.serial >= bindparam("low"),
                                           SerialUse.serial <= bindparam("high"))
            .order_by(SerialUse.serial))


def locked_ranges(session: Session, station_id: int,
                  with_numbers_left: bool = False) -> list[NumberRange]:
    """The station's ranges (only those with numbers left, if asked), lowest first, locked
    for the rest of the transaction and read afresh (an object loaded earlier in the session
    must not keep a stale cursor)."""
    _sqlite_write_lock(session)
    query = _live_ranges_locked() if with_numbers_left else _station_ranges_locked()
    return list(session.scalars(query, {"station_id": station_id}))


def _lowest_free(session: Session, station: Any) -> tuple[NumberRange, int]:
    """Lock ``station``'s ranges with numbers left and find its lowest free number (第八条);
    the range's cursor moves past it (written at the next flush). Numbers below a cursor are
    all used, so a range whose cursor is past its end has none. Raises
    :class:`NoNumbersLeft`."""
    for rng in locked_ranges(session, station.id, with_numbers_left=True):
        candidate = rng.next_free
        # Numbers above the cursor may already be used (a blank voided by serial): skip them.
        used_above = session.scalars(_used_between(),
                                     {"low": candidate, "high": rng.end}).all()
        for serial in used_above:
            if serial != candidate:
                break
            candidate += 1
        if candidate <= rng.end:
            rng.next_free = candidate + 1
            return rng, candidate
        rng.next_free = candidate  # this range is used up: try the next
    raise NoNumbersLeft(station.name)


def take_serial(session: Session, station: Any, *, kind: str, on: dt.date,
                actor: Any = None, reason: str | None = None) -> SerialUse:
    """Take the lowest free number of ``station``'s ranges and record its use without a
    card: ``kind`` is ``voided`` (a spoiled blank; cards are made by :func:`new_card`).
    Raises :class:`NoNumbersLeft`. Runs in the caller's transaction.
    """
    rng, serial = _lowest_free(session, station)
    use = SerialUse(serial=serial, range_id=rng.id, station_id=station.id, kind=kind,
                    used_on=on, reason=reason, used_by_id=getattr(actor, "id", None))
    session.add(use)
    session.flush()
    return use


def new_card(session: Session, permit: Any, station: Any, *, on: dt.date,
             actor: Any = None, flush: bool = True) -> Any:
    """A new live card for ``permit`` with the lowest free number of ``station``, and the
    number's use (``issued``, naming the card). The caller has already retired the previous
    live card: one live card per permit.

    ``permit`` may be new and not yet numbered: a first issuance's permit number is its
    first card's serial (第八条), so it is set here, and the permit, the card and the use go
    to the database in one flush, each row once (no update of the use afterwards). With
    ``flush=False`` that flush is the caller's (an application writes its own row with
    them: one flush fewer while the station's ranges are locked).
    """
    rng, serial = _lowest_free(session, station)
    if permit.number is None:
        permit.number = str(serial)
    card = api.Card(permit=permit, serial=serial, station_id=station.id, issued_on=on,
                    status="live", status_on=on)
    session.add(SerialUse(serial=serial, range_id=rng.id, station_id=station.id,
                          kind="issued", used_on=on, used_by_id=getattr(actor, "id", None),
                          card=card))
    if flush:
        session.flush()
    return card
