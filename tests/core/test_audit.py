"""The audit chain: appended in the act's transaction, chained per county, HMAC-sealed;
verification finds edits, deletions, a lost tail and unknown keys."""

from __future__ import annotations

import pytest
from sqlalchemy import event as sa_event
from sqlalchemy import func, select, text, update
from sqlalchemy.exc import IntegrityError

from benchmarks.explain import captured
from core import audit
from core.db import db
from core.models import AuditEvent, AuditHead, OrgUnit


def problems(app) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(p) for p in audit.verify(db.session, app.config["JUZHU_AUDIT_KEYS"])]


def add_events(n: int, county: str = "530323") -> None:
    for i in range(n):
        audit.record(db.session, action="test.event", entity="thing", entity_id=i,
                     new={"i": i, "名称": "测试"}, county_code=county)
    db.session.commit()


def test_fresh_chain_verifies(app) -> None:  # type: ignore[no-untyped-def]
    add_events(5)
    assert problems(app) == []
    seqs = db.session.scalars(select(AuditEvent.seq).where(AuditEvent.county_code == "530323")
                              .order_by(AuditEvent.seq)).all()
    assert seqs == list(range(1, len(seqs) + 1))


def test_one_chain_per_county(app) -> None:  # type: ignore[no-untyped-def]
    add_events(2, county="530324")
    heads = {h.county_code: h.seq for h in db.session.scalars(select(AuditHead))}
    assert heads["530324"] == 2 and heads["530323"] > 0
    assert problems(app) == []


def test_an_edited_event_breaks_its_seal(app) -> None:  # type: ignore[no-untyped-def]
    add_events(3)
    target = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "test.event")).first()
    db.session.execute(update(AuditEvent).where(AuditEvent.id == target.id)
                       .values(new={"i": 999}))
    db.session.commit()
    found = problems(app)
    assert any("封印不符" in p and f"第 {target.seq} 条" in p for p in found), found


def test_a_deleted_event_breaks_the_chain(app) -> None:  # type: ignore[no-untyped-def]
    add_events(3)
    target = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "test.event")).first()
    db.session.execute(text("DELETE FROM audit_event WHERE id = :id"), {"id": target.id})
    db.session.commit()
    assert any("不连续" in p or "链断裂" in p for p in problems(app))


def test_a_lost_tail_is_found_through_the_head(app) -> None:  # type: ignore[no-untyped-def]
    add_events(3)
    last = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    db.session.execute(text("DELETE FROM audit_event WHERE id = :id"), {"id": last.id})
    db.session.commit()
    assert any("链头" in p for p in problems(app))


def test_rewriting_with_another_key_is_found(app) -> None:  # type: ignore[no-untyped-def]
    """A database administrator without the configured key cannot reseal history."""
    add_events(1)
    event = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    event.new = {"i": 1000}
    event.seal = audit.seal("not-the-key", event)
    db.session.commit()
    assert any("封印不符" in p for p in problems(app))


def test_rotated_keys_still_verify_old_events(app) -> None:  # type: ignore[no-untyped-def]
    add_events(1)
    audit.record(db.session, action="test.rotated", entity="thing", key=("newkey01", "new-key"))
    db.session.commit()
    assert any("未知的封印密钥" in p for p in problems(app))
    keys = {**app.config["JUZHU_AUDIT_KEYS"], "newkey01": "new-key"}
    assert list(audit.verify(db.session, keys)) == []


def test_event_rolls_back_with_its_act(app) -> None:  # type: ignore[no-untyped-def]
    before = db.session.scalar(select(AuditHead.seq).where(AuditHead.county_code == "530323"))
    audit.record(db.session, action="test.rollback", entity="thing")
    db.session.rollback()
    assert db.session.scalar(select(AuditHead.seq).where(AuditHead.county_code == "530323")) == before
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "test.rollback")) is None
    assert problems(app) == []


def test_personal_data_is_masked_in_the_audit_log(app) -> None:  # type: ignore[no-untyped-def]
    """The auditor reads the log and sees ID numbers and phones masked everywhere else; the log
    must not be the one place they appear in full (条例第十七条、第二十条)."""
    from core import audit as audit_module
    from core.db import db
    from core.models import AuditEvent

    event = audit_module.record(db.session, action="holder.create", entity="holder", entity_id=1,
                                new={"id_number": "530302199003070214", "phone": "13912345678",
                                     "name": "张伟"},
                                old={"agent_id_number": "530302199003070214"})
    db.session.commit()
    stored = db.session.get(AuditEvent, event.id)
    assert stored.new == {"id_number": "530302********0214", "phone": "139****5678", "name": "张伟"}
    assert stored.old == {"agent_id_number": "530302********0214"}
    assert list(audit_module.verify(db.session, app.config["JUZHU_AUDIT_KEYS"])) == []


def test_an_acts_events_are_sealed_together_at_the_flush(app) -> None:  # type: ignore[no-untyped-def]
    """Sealing waits for the flush: the act's events are numbered in the order recorded,
    under one lock of the head (one SELECT … FOR UPDATE for both, counted here)."""
    first = audit.record(db.session, action="test.one", entity="thing")
    second = audit.record(db.session, action="test.two", entity="thing")
    assert first.seal is None and second.seal is None
    with captured(db.session.get_bind()) as seen:
        db.session.flush()
    heads = [statement for statement, _ in seen if "audit_head" in statement
             and statement.lstrip().upper().startswith("SELECT")]
    assert len(heads) == 1
    assert second.seq == first.seq + 1 and second.prev_hash == first.seal
    db.session.commit()
    assert problems(app) == []


def test_an_event_rolled_back_before_its_flush_leaves_no_gap(app) -> None:  # type: ignore[no-untyped-def]
    audit.record(db.session, action="test.undone", entity="thing")
    db.session.rollback()
    kept = audit.record(db.session, action="test.kept", entity="thing")
    db.session.commit()
    head = db.session.scalar(select(AuditHead.seq).where(AuditHead.county_code == "530323"))
    assert kept.seq == head
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "test.undone")) is None
    assert problems(app) == []


def test_a_partial_flush_does_not_fork_the_chain(app) -> None:  # type: ignore[no-untyped-def]
    """A flush of some objects only (deprecated, still allowed) writes the event and
    advances the head at once; the next event follows the first."""
    first = audit.record(db.session, action="test.partial", entity="thing")
    db.session.flush([first])
    second = audit.record(db.session, action="test.after", entity="thing")
    db.session.commit()
    assert second.seq == first.seq + 1 and second.prev_hash == first.seal
    assert problems(app) == []


def test_events_are_written_after_the_flushs_other_rows(app) -> None:  # type: ignore[no-untyped-def]
    """The county's head is locked for the events' own statements only: an act's rows go
    first in the same flush, then the head's lock, the events and the head's advance."""
    org = db.session.scalars(select(OrgUnit).order_by(OrgUnit.id).limit(1)).one()
    org.name = "改名"
    event = audit.record(db.session, action="test.after_rows", entity="org_unit",
                         entity_id=org.id, new={"name": org.name, "phone": "13900000000"})
    with captured(db.session.get_bind()) as seen:
        db.session.flush()
    sent = [" ".join(statement.split()[:3]) for statement, _ in seen]
    writes = [s for s in sent if not s.startswith("SELECT") or "audit_head" in s]
    assert writes[0].startswith("UPDATE org_unit")
    assert [s.split()[0] for s in writes[1:]] == ["SELECT", "INSERT", "UPDATE"]
    assert "audit_head" in writes[1] and "audit_event" in writes[2] and "audit_head" in writes[3]
    assert event.id is not None and event.seal is not None
    db.session.commit()
    stored = db.session.get(AuditEvent, event.id)
    assert (stored.action, stored.seq, stored.seal) == ("test.after_rows", event.seq, event.seal)
    assert stored.new == {"name": "改名", "phone": "139****0000"}
    assert problems(app) == []


def test_a_head_held_by_the_session_follows_the_chain(app) -> None:  # type: ignore[no-untyped-def]
    """The head is advanced by a Core statement; a head row loaded into the session earlier
    is brought up to date, so verifying in the same session sees no lost tail."""
    head = db.session.get(AuditHead, "530323")
    before = head.seq
    add_events(2)
    assert head.seq == before + 2 and problems(app) == []


def test_a_flush_with_nothing_else_to_write_still_writes_the_events(app) -> None:  # type: ignore[no-untyped-def]
    """A row the flush drops after all (the ORM expunges a pending orphan; here another
    listener expunges it) does not take the act's events with it: they wait for the
    flush's end, which never comes, and are written before the commit instead."""
    session = db.session()
    count = session.scalar(select(func.count()).select_from(AuditEvent))
    dropped = OrgUnit(code="dropped", name="不写", kind="station", county_code="530323")
    session.add(dropped)
    audit.record(session, action="test.kept", entity="thing")

    def drop(session, flush_context, instances):  # type: ignore[no-untyped-def]
        if dropped in session:
            session.expunge(dropped)

    sa_event.listen(session, "before_flush", drop)
    try:
        session.flush()
        assert session.scalar(select(func.count()).select_from(AuditEvent)) == count
        session.commit()
    finally:
        sa_event.remove(session, "before_flush", drop)
    assert session.scalar(select(func.count()).select_from(AuditEvent)) == count + 1
    assert session.scalar(select(OrgUnit).where(OrgUnit.code == "dropped")) is None
    assert problems(app) == []


def test_events_of_a_failed_flush_are_not_written(app) -> None:  # type: ignore[no-untyped-def]
    """A flush that fails after the events were taken out of it leaves nothing behind for
    the next transaction: the events went with their act."""
    taken = db.session.scalars(select(OrgUnit).order_by(OrgUnit.id).limit(2)).all()
    taken[1].code = taken[0].code  # unique: the flush fails
    audit.record(db.session, action="test.failed", entity="thing")
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()
    audit.record(db.session, action="test.next", entity="thing")
    db.session.commit()
    actions = db.session.scalars(select(AuditEvent.action)).all()
    assert "test.failed" not in actions and "test.next" in actions
    assert problems(app) == []


def test_a_head_added_in_the_same_flush_follows_the_chain(app) -> None:  # type: ignore[no-untyped-def]
    """A county's head added to the session (as the profile's seeding does) and its first
    event, flushed together: the ORM inserts the head, the event advances it, and the head
    object in the session says so before the commit."""
    head = AuditHead(county_code="530325", seq=0, seal=audit.GENESIS)
    db.session.add(head)
    event = audit.record(db.session, action="test.first", entity="thing", county_code="530325")
    db.session.flush()
    assert (head.seq, head.seal) == (1, event.seal)
    assert problems(app) == []
    db.session.commit()
    assert problems(app) == []
