"""Writes of 民政: elections, voter applications, the meeting's decision, and the
reassessment of stored decisions when a holder's permit changes before the election.

Each function validates first (a :class:`api.RuleError` naming the field and the article),
then writes its rows and one audit event in the caller's transaction; the API and the admin
forms commit once, so a refusal leaves nothing written.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from functools import cache

from sqlalchemy import bindparam, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core import api

from . import rules
from .entitlements import VoterDecision, decision_on
from .models import Election, VoterApplication

ELECTION = "civil_affairs_election"
APPLICATION = "civil_affairs_voter_application"


class AlreadyApplied(api.RuleError):
    """The holder has already applied for this election (API: 409 ``already_applied``)."""

    http_status = 409

    def __init__(self, election: Election, existing_id: int | None) -> None:
        number = f"（申请编号{existing_id}）" if existing_id is not None else ""
        super().__init__(
            "holder_id", "already_applied",
            f"持证人：已申请参加“{election.name}”{number}，同一选举不能重复申请（{rules.B_VILLAGE}）",
            rules.B_VILLAGE)
        self.application_id = existing_id


def holder_for(session: Session, holder_id: Any) -> Any:
    holder = session.get(api.Holder, holder_id) if isinstance(holder_id, int) else None
    if holder is None:
        raise api.RuleError("holder_id", "holder_not_found",
                            f"持证人：编号为{holder_id}的持证人不存在（{rules.B18_1}）", rules.B18_1)
    return holder


def holder_by_id_number(session: Session, id_number: str | None) -> Any:
    value = (id_number or "").strip().upper()
    holder = session.scalar(select(api.Holder).where(api.Holder.id_number == value)) \
        if value else None
    if holder is None:
        raise api.RuleError("holder_id_number", "holder_not_found",
                            f"公民身份号码：未找到该持证人，请核对号码（{rules.B18_1}）", rules.B18_1)
    return holder


def divisions() -> Any:
    """The county profile's divisions, when an application is running."""
    try:
        return api.profile().divisions
    except RuntimeError:  # no application context
        return None


def create_election(session: Session, *, name: str | None, division_code: str | None,
                    kind: str | None, held_on: dt.date | None,
                    registration_closes_on: dt.date | None, actor: Any) -> Election:
    """选举: a village or community committee election of the county. Audited."""
    name = rules.check_name(name)
    kind = rules.check_kind(kind)
    division_code = rules.check_division(division_code, kind, divisions())
    for field_name, label, value in (("held_on", "选举日", held_on),
                                     ("registration_closes_on", "报名截止日期",
                                      registration_closes_on)):
        if value is None:
            raise api.RuleError(field_name, f"{field_name}_missing",
                                f"{label}：必须填写（{rules.B_VILLAGE_LIST}）", rules.B_VILLAGE_LIST)
    assert held_on is not None and registration_closes_on is not None
    rules.check_election_dates(held_on, registration_closes_on)
    election = Election(name=name, division_code=division_code, kind=kind, held_on=held_on,
                        registration_closes_on=registration_closes_on,
                        created_by_id=getattr(actor, "id", None))
    session.add(election)
    session.flush()
    api.record_audit(session, action=f"{ELECTION}.create", entity=ELECTION, entity_id=election.id,
                     new={"name": name, "division_code": division_code, "kind": kind,
                          "held_on": held_on.isoformat(),
                          "registration_closes_on": registration_closes_on.isoformat()},
                     actor=actor)
    return election


def _store(application: VoterApplication, decision: VoterDecision) -> None:
    application.eligible = decision.eligible
    application.reasons = [r.as_dict() for r in decision.reasons]


def apply(session: Session, *, election: Election, holder: Any, applied_on: dt.date | None,
          note: str | None, actor: Any) -> tuple[VoterApplication, VoterDecision]:
    """参选申请: the holder asks to take part; the 第十八条（一） decision on the election day is
    stored with it. Late (after registration closes) → 422; twice → 409. Audited."""
    if applied_on is None:
        raise api.RuleError("applied_on", "applied_on_missing",
                            f"申请日期：必须填写（{rules.B_VILLAGE}）", rules.B_VILLAGE)
    rules.check_applied_on(applied_on, election.registration_closes_on, holder.birth_date)
    note = (note or "").strip() or None
    if note is not None and len(note) > 255:
        raise api.RuleError("note", "note_too_long", f"备注：不超过255个字（{rules.B_VILLAGE}）",
                            rules.B_VILLAGE)
    existing = session.scalar(select(VoterApplication.id).where(
        VoterApplication.election_id == election.id, VoterApplication.holder_id == holder.id))
    if existing is not None:
        raise AlreadyApplied(election, existing)
    decision = decision_on(session, holder, election.held_on)
    application = VoterApplication(election_id=election.id, holder_id=holder.id,
                                   applied_on=applied_on, note=note,
                                   recorded_by_id=getattr(actor, "id", None))
    _store(application, decision)
    session.add(application)
    try:
        session.flush()
    except IntegrityError:  # two clerks at once: the unique key decided; nothing is kept
        refusal = AlreadyApplied(election, None)
        session.rollback()
        raise refusal from None
    api.record_audit(session, action=f"{APPLICATION}.create", entity=APPLICATION,
                     entity_id=application.id,
                     new={"election_id": election.id, "holder_id": holder.id,
                          "applied_on": applied_on.isoformat(), "eligible": decision.eligible,
                          "note": note}, actor=actor)
    return application, decision


def decide(session: Session, application: VoterApplication, *, approved: bool | None,
           approved_on: dt.date | None, actor: Any) -> VoterApplication:
    """The 村民会议（村民代表会议） decision on an application (第十三条): approved or not, on a
    day between the application and the election; None puts it back to pending. Audited."""
    approved_on = rules.check_approval(approved, approved_on, application.applied_on,
                                       application.election.held_on)
    old = {"approved": application.approved,
           "approved_on": application.approved_on.isoformat() if application.approved_on else None}
    application.approved, application.approved_on = approved, approved_on
    session.flush()
    new = {"approved": approved, "approved_on": approved_on.isoformat() if approved_on else None}
    if new != old:
        api.record_audit(session, action=f"{APPLICATION}.decide", entity=APPLICATION,
                         entity_id=application.id, old=old, new=new, actor=actor)
    return application


@cache
def _coming_applications() -> Any:
    # Built once with placeholders: every permit issued or endorsed runs it (most find none),
    # and building a select costs more than running it.
    return (select(VoterApplication).join(Election)
            .where(VoterApplication.holder_id == bindparam("holder_id"),
                   Election.held_on >= bindparam("since")))


def reassess(session: Session, holder_id: int | None, since: dt.date | None, actor: Any,
             cause: str) -> int:
    """A holder's permit was issued or endorsed on ``since``: the stored decision of each of
    their applications for an election held on or after that day is made again on its
    election day (a late endorsement restarts the years of residence, 第十四条). Returns how
    many changed; each change is audited."""
    if holder_id is None or since is None:  # a permit not yet written: nothing to judge
        return 0
    rows = session.scalars(_coming_applications(),
                           {"holder_id": holder_id, "since": since}).all()
    changed = 0
    for application in rows:
        decision = decision_on(session, application.holder, application.election.held_on)
        reasons = [r.as_dict() for r in decision.reasons]
        if application.eligible == decision.eligible and application.reasons == reasons:
            continue
        old = {"eligible": application.eligible}
        _store(application, decision)
        api.record_audit(session, action=f"{APPLICATION}.reassess", entity=APPLICATION,
                         entity_id=application.id, old=old,
                         new={"eligible": decision.eligible, "cause": cause}, actor=actor)
        changed += 1
    if changed:
        session.flush()
    return changed
