"""Audit: every state change writes an event in the same transaction (DESIGN §2).

Events are chained per county: each seal is HMAC-SHA256(key, previous seal + canonical
event). The key lives in configuration, never in the database, so whoever can write the
database still cannot rewrite history unnoticed. The county's head row is locked for the
append (SELECT … FOR UPDATE on PostgreSQL; SQLite serialises writers anyway), and
(county_code, seq) is unique, so a chain can never fork.

Sealing happens at the flush, not at :func:`record`: the events an act records are numbered
and sealed together, under one lock of the head, and written after the flush's other rows.
The head is the whole county's point of contention (every act of every station appends to
it), so it is locked as late as possible, once per flush instead of once per event, and
held for three Core statements (lock, insert the events, advance the head) rather than for
the ORM's flush work. An event is still in the database as soon as the session flushes.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from functools import cache
from typing import Any, Iterator, Mapping

from flask import current_app
from sqlalchemy import event as sa_event
from sqlalchemy import bindparam, insert, inspect, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from core.clock import utcnow
from core.models import AuditEvent, AuditHead

GENESIS = "0" * 64


def _jsonable(value: Any) -> Any:
    """Dates and other values as the JSON column will give them back."""
    return json.loads(json.dumps(value, ensure_ascii=False, default=str)) if value is not None \
        else None


def canonical(event: AuditEvent) -> bytes:
    body = {
        "county": event.county_code, "seq": event.seq, "at": event.at.isoformat(),
        "actor": event.actor, "org": event.org, "action": event.action, "entity": event.entity,
        "entity_id": event.entity_id, "old": event.old, "new": event.new,
        "prev": event.prev_hash, "key": event.key_id,
    }
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def seal(key: str, event: AuditEvent) -> str:
    return hmac.new(key.encode(), canonical(event), hashlib.sha256).hexdigest()


def _actor_fields(actor: Any) -> tuple[str, str | None]:
    if actor is None:
        return "system", None
    org = getattr(actor, "org", None)
    return actor.username, org.code if org else None


# Keys whose values are personal data (ID numbers, phones): the audit log is read by the
# auditor role, which sees them masked everywhere else (DESIGN §5; 条例第十七条), so the log
# keeps them masked too. The entity id points at the row, which holds the full value.
ID_NUMBER_KEYS = frozenset({"id_number", "holder_id_number", "agent_id_number", "child_id_number"})
PHONE_KEYS = frozenset({"phone", "reporter_phone"})


def mask_personal(values: Mapping[str, Any]) -> dict[str, Any]:
    from core.rules import mask_id_number, mask_phone

    out = dict(values)
    for key, value in out.items():
        if isinstance(value, str):
            if key in ID_NUMBER_KEYS:
                out[key] = mask_id_number(value)
            elif key in PHONE_KEYS:
                out[key] = mask_phone(value)
    return out


def record(session: Session, *, action: str, entity: str, entity_id: Any = None,
           old: Mapping[str, Any] | None = None, new: Mapping[str, Any] | None = None,
           actor: Any = None, county_code: str | None = None,
           key: tuple[str, str] | None = None) -> AuditEvent:
    """Append one event to the county's chain inside the caller's transaction.

    `key` is (key_id, key); by default the application's current audit key. The event is
    numbered, sealed and written when the session next flushes (:func:`_write`): its ``id``,
    ``seq``, ``prev_hash`` and ``seal`` are set from then on. The object itself leaves the
    session then (Core writes the row); load the row by its ``id`` to see it as stored.
    """
    if key is None:
        cfg = current_app.config
        key = (cfg["JUZHU_AUDIT_KEY_ID"], cfg["JUZHU_AUDIT_KEYS"][cfg["JUZHU_AUDIT_KEY_ID"]])
    if county_code is None:
        county_code = current_app.extensions["juzhu"].profile.county_code
    actor_name, org = _actor_fields(actor)
    event = AuditEvent(
        county_code=county_code, at=utcnow(), actor=actor_name, org=org,
        action=action, entity=entity, entity_id=None if entity_id is None else str(entity_id),
        old=_jsonable(mask_personal(old) if old is not None else None),
        new=_jsonable(mask_personal(new) if new is not None else None), key_id=key[0],
    )
    session.info.setdefault(_UNSEALED, []).append((event, key[1]))
    session.add(event)
    return event


_UNSEALED = "juzhu.audit.unsealed"  # session.info: [(event, key)] in the order recorded
_UNWRITTEN = "juzhu.audit.unwritten"  # session.info: sealed at a flush, to write after its rows


@sa_event.listens_for(Session, "before_flush")
def _take_pending(session: Session, flush_context: Any, instances: Any) -> None:
    """Take the events recorded since the last flush out of the ORM's flush: they are written
    by :func:`_write_unwritten` after the flush's other rows, or here at once when the flush has
    nothing else to write. Events a rollback took out of the session are dropped: their act
    did not happen."""
    unsealed = session.info.pop(_UNSEALED, None)
    if not unsealed:
        return
    events = [(event, key) for event, key in unsealed if inspect(event).pending]
    for event, _ in events:
        session.expunge(event)
    if not events:
        return
    # With other rows to write, wait for them: the head is then locked only for the
    # events' own statements. A flush of chosen objects only (deprecated) writes at once.
    if instances is None and (session.new or session.dirty or session.deleted):
        session.info.setdefault(_UNWRITTEN, []).extend(events)
    else:
        _write(session, events)


def _write_unwritten(session: Session, *_: Any) -> None:
    """Write the events :func:`_take_pending` set aside. Runs after each flush (its rows are
    written by then) and before each commit: a flush that found nothing to write after all
    (only orphans, say) never reaches its end, and its events must not be lost."""
    taken = session.info.pop(_UNWRITTEN, None)
    if taken:
        _write(session, taken)


sa_event.listen(Session, "after_flush", _write_unwritten)
sa_event.listen(Session, "before_commit", _write_unwritten)


@sa_event.listens_for(Session, "after_soft_rollback")
def _drop_taken(session: Session, previous_transaction: Any) -> None:
    session.info.pop(_UNWRITTEN, None)


def _write(session: Session, events: list[tuple[AuditEvent, str]]) -> None:
    """Number, seal and insert ``events`` (in the order recorded), each county's under one
    lock of its head, with Core statements: three per county (lock, insert, advance), none
    of the ORM's flush work while the county waits. The events get their ids, and a head
    row this session holds is brought up to date."""
    connection = session.connection()
    by_county: dict[str, list[tuple[AuditEvent, str]]] = {}
    for item in events:
        by_county.setdefault(item[0].county_code, []).append(item)
    for county_code, items in by_county.items():
        row = connection.execute(_head_locked(), {"county_code": county_code}).first()
        seq, prev = (row.seq, row.seal) if row is not None else (0, GENESIS)
        for event, key in items:
            event.seq, event.prev_hash = seq + 1, prev
            event.seal = seal(key, event)
            seq, prev = event.seq, event.seal
        ids = connection.execute(_insert_events(), [
            {column: getattr(event, column) for column in _EVENT_COLUMNS}
            for event, _ in items]).scalars().all()
        for (event, _), event_id in zip(items, ids):
            event.id = event_id
        if row is not None:
            connection.execute(_advance_head(),
                               {"county": county_code, "new_seq": seq, "new_seal": prev})
        else:
            connection.execute(_new_head(), {"county_code": county_code, "seq": seq,
                                             "seal": prev})
        held = _held_head(session, county_code)
        if held is not None:
            set_committed_value(held, "seq", seq)
            set_committed_value(held, "seal", prev)


def _held_head(session: Session, county_code: str) -> AuditHead | None:
    """The session's object for the county's head row, if it has one: loaded earlier, or
    added and inserted by the flush these events follow (the profile's seeding), which is
    in the identity map only once the flush ends."""
    held = session.identity_map.get(session.identity_key(AuditHead, county_code))
    if held is None:
        held = next((obj for obj in session.new if isinstance(obj, AuditHead)
                     and obj.county_code == county_code), None)
    return held


_EVENT_COLUMNS = ("county_code", "seq", "at", "actor", "org", "action", "entity", "entity_id",
                  "old", "new", "prev_hash", "key_id", "seal")


# Each statement is built once: every act runs them, and building costs more than running.
@cache
def _head_locked() -> Any:
    head = AuditHead.__table__
    return (select(head.c.seq, head.c.seal)
            .where(head.c.county_code == bindparam("county_code")).with_for_update())


@cache
def _insert_events() -> Any:
    table = AuditEvent.__table__
    return insert(table).returning(table.c.id, sort_by_parameter_order=True)


@cache
def _advance_head() -> Any:
    head = AuditHead.__table__
    return (update(head).where(head.c.county_code == bindparam("county"))
            .values(seq=bindparam("new_seq"), seal=bindparam("new_seal")))


@cache
def _new_head() -> Any:
    # A county's first event; a second transaction starting the same chain at once fails on
    # the head's primary key instead of forking it.
    return insert(AuditHead.__table__)


@dataclass(frozen=True)
class Problem:
    county_code: str
    seq: int | None
    message: str  # Chinese

    def __str__(self) -> str:
        where = f"县 {self.county_code}" + (f" 第 {self.seq} 条" if self.seq is not None else "")
        return f"{where}：{self.message}"


def verify(session: Session, keys: Mapping[str, str]) -> Iterator[Problem]:
    """Walk every county's chain; yield each break, bad seal, unknown key or lost tail."""
    heads = {h.county_code: h for h in session.scalars(select(AuditHead))}
    counties = set(heads) | set(session.scalars(select(AuditEvent.county_code).distinct()))
    for county in sorted(counties):
        expected_seq, prev = 1, GENESIS
        stmt = (select(AuditEvent).where(AuditEvent.county_code == county)
                .order_by(AuditEvent.seq).execution_options(yield_per=2000))
        for event in session.scalars(stmt):
            if event.seq != expected_seq:
                yield Problem(county, event.seq, f"序号不连续：应为 {expected_seq}")
            if event.prev_hash != prev:
                yield Problem(county, event.seq, "链断裂：前一事件的封印不符")
            key = keys.get(event.key_id)
            if key is None:
                yield Problem(county, event.seq, f"未知的封印密钥 {event.key_id}")
            elif not hmac.compare_digest(seal(key, event), event.seal):
                yield Problem(county, event.seq, "封印不符：事件内容被改动")
            expected_seq, prev = event.seq + 1, event.seal
        head = heads.get(county)
        if head is None:
            yield Problem(county, None, "缺少链头记录")
        elif head.seq != expected_seq - 1 or head.seal != prev:
            yield Problem(county, None, f"链头（第 {head.seq} 条）与最后一条事件不符：事件可能被删除")
