"""A stored decision follows the holder's permit until the election: the permit_issued and
permit_endorsed hooks judge again each application for an election held on or after the
event (a late endorsement restarts the years, 第十四条), audited; past elections stay as
they were decided."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select

from core import api as kernel
from core.db import db
from core.models import AuditEvent, Endorsement
from plugins.civil_affairs import services
from plugins.civil_affairs.models import VoterApplication

D = dt.date


def apply(election: Any, holder: Any, applied_on: dt.date) -> VoterApplication:
    application, _ = services.apply(db.session, election=election, holder=holder,
                                    applied_on=applied_on, note=None, actor=None)
    db.session.commit()
    return application


def test_a_permit_issued_after_the_application(ca: Any, app: Any) -> None:
    election = ca.election(held_on=D(2027, 3, 20))
    holder = ca.holder()
    application = apply(election, holder, D(2027, 1, 10))
    assert application.eligible is False and application.reasons[0]["code"] == "permit"
    permit = ca.permit(holder, D(2027, 1, 12), since=D(2025, 7, 10))
    kernel.hooks().permit_issued(permit=permit, card=permit.cards[0], actor=None,
                                 session=db.session)
    db.session.commit()
    db.session.refresh(application)
    assert application.eligible is True and application.reasons[0]["passed"] is True
    event = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert event.action == "civil_affairs_voter_application.reassess"
    assert event.old == {"eligible": False}
    assert event.new == {"eligible": True, "cause": "permit_issued"}


def test_a_late_endorsement_before_the_election(ca: Any, app: Any) -> None:
    future = ca.election(held_on=D(2027, 3, 20))
    past = ca.election(held_on=D(2026, 6, 1), name="上一届选举")
    holder = ca.holder()
    permit = ca.permit(holder, D(2025, 1, 10), since=D(2024, 7, 1),
                       valid_until=D(2027, 12, 31))
    old = apply(past, holder, D(2026, 5, 1))
    coming = apply(future, holder, D(2027, 1, 10))
    assert old.eligible and coming.eligible
    # the police record a late endorsement on 2026-12-01: residence counts from that day
    permit.continuous_residence_since = D(2026, 12, 1)
    endorsement = Endorsement(permit_id=permit.id, station_id=permit.station_id,
                              endorsed_on=D(2026, 12, 1), late=True,
                              valid_until_before=D(2026, 1, 10),
                              valid_until_after=D(2027, 12, 1))
    db.session.add(endorsement)
    db.session.flush()
    kernel.hooks().permit_endorsed(permit=permit, endorsement=endorsement, actor=None,
                                   session=db.session)
    db.session.commit()
    db.session.refresh(coming)
    db.session.refresh(old)
    assert coming.eligible is False
    assert "2027年12月1日满1年" in coming.reasons[2]["text"]
    assert old.eligible is True  # the election of 2026-06-01 was decided on its own day


def test_nothing_changes_nothing_is_audited(ca: Any, app: Any) -> None:
    election = ca.election(held_on=D(2027, 3, 20))
    holder = ca.holder()
    ca.permit(holder, D(2026, 1, 10), since=D(2025, 7, 1), valid_until=D(2028, 1, 10))
    application = apply(election, holder, D(2027, 1, 10))
    assert application.eligible
    events = db.session.query(AuditEvent).count()
    assert services.reassess(db.session, holder.id, D(2027, 1, 1), None, "permit_issued") == 0
    assert db.session.query(AuditEvent).count() == events
    # an event after the election day leaves the application alone
    assert services.reassess(db.session, holder.id, D(2027, 3, 21), None, "permit_issued") == 0


def test_a_permit_not_yet_written_is_ignored(app: Any) -> None:
    # an event hook may be fired with rows not flushed yet (no holder id, no date)
    assert services.reassess(db.session, None, D(2027, 1, 1), None, "permit_issued") == 0
    assert services.reassess(db.session, 1, None, None, "permit_endorsed") == 0
