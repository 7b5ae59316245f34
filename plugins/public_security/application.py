"""居住证申领与当场签发 (《办法》第十一条至第十三条; DESIGN §3 Application).

Two halves: pure rules (who may apply through an agent, whether the holder is eligible and
what is missing — functions of facts and ``accepted_on`` only) and :func:`apply`, which looks
the facts up, keeps every application as a row and, when complete and eligible, issues the
permit and its first card on the spot in the caller's transaction. There is no override of
eligibility anywhere (第九条): the outcome follows from the facts alone.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from typing import Any, Iterable, Literal

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session, joinedload

from core import api

from . import documents, numbers, stations
from .materials import BASIS_NAMES, Missing, missing_for_application
from .models import Application, Registration

B10_11 = "《办法》第十条、第十一条"
B11 = "《办法》第十一条"
B12 = "《办法》第十二条"
AGENT_AGE = 16  # 未满16周岁的未成年人可由监护人、近亲属代为申领 (第十二条)

Outcome = Literal["issued", "incomplete", "ineligible"]


# -- pure rules --------------------------------------------------------------------------

@dataclass(frozen=True)
class Evaluation:
    """What the facts of one application decide (第十一条 eligibility, 第十二条 materials)."""

    outcome: Outcome
    reasons: tuple[api.Reason, ...]  # eligibility conditions, passed or not
    missing: tuple[Missing, ...]  # every missing item at once (第十三条 一次性告知)


def residence_reason(registered_on: dt.date, accepted_on: dt.date) -> api.Reason:
    """满半年 counted from the registration date, not the arrival (DESIGN §3)."""
    start = api.rules.residence_eligible_from(registered_on)
    reg, acc, frm = api.zh_date(registered_on), api.zh_date(accepted_on), api.zh_date(start)
    if start <= accepted_on:
        text = f"居住已满半年：{reg}办理暂住登记，自{frm}起满半年，受理日{acc}符合"
    else:
        text = (f"居住未满半年：{reg}办理暂住登记，自{frm}起方满半年，受理日{acc}尚不符合；"
                f"可于{frm}起再次申领")
    return api.Reason("residence_six_months", start <= accepted_on, text, B11)


def basis_reason(basis: Iterable[str]) -> api.Reason:
    """At least one of 合法稳定就业、合法稳定住所、连续就读 (第十一条)."""
    named = [BASIS_NAMES[b] for b in dict.fromkeys(basis)]
    if named:
        return api.Reason("basis", True, f"申领条件：{'、'.join(named)}", B11)
    return api.Reason("basis", False, "未申明合法稳定就业、合法稳定住所、连续就读条件中的任何一项，"
                      "不符合申领条件", B11)


def evaluate(*, registered_on: dt.date, accepted_on: dt.date, basis: Iterable[str],
             materials: Iterable[str], under_16: bool, by_agent: bool) -> Evaluation:
    """Ineligible if any condition fails (the missing items are still listed, so the citizen
    knows them); else incomplete if anything is missing; else issued."""
    basis = list(basis)
    reasons = (residence_reason(registered_on, accepted_on), basis_reason(basis))
    missing = tuple(missing_for_application(materials, basis, under_16=under_16,
                                            by_agent=by_agent))
    if not all(r.passed for r in reasons):
        outcome: Outcome = "ineligible"
    elif missing:
        outcome = "incomplete"
    else:
        outcome = "issued"
    return Evaluation(outcome, reasons, missing)


def check_agent(*, holder_birth_date: dt.date, holder_id_number: str, accepted_on: dt.date,
                applicant: str, agent_id_number: str | None,
                limited_mobility: bool) -> str | None:
    """第十二条: a guardian or close relative may apply only for a holder under 16 or one with
    limited mobility, and must be identified. Returns the agent's canonical ID number (None
    when the holder applies in person); raises :class:`api.RuleError` otherwise."""
    if applicant == "self":
        if agent_id_number:
            raise api.RuleError("agent_id_number", "agent_id_number_unexpected",
                                f"代办人公民身份号码：本人申领时不应填写；由监护人、近亲属代为申领的，"
                                f"申领人应选择监护人或近亲属（{B12}）", B12)
        return None
    age = api.rules.age_on(holder_birth_date, accepted_on)
    if age >= AGENT_AGE and not limited_mobility:
        raise api.RuleError("applicant", "agent_not_allowed",
                            f"申领人：持证人于{api.zh_date(accepted_on)}已满16周岁且未申明行动不便，"
                            f"应由本人申领；监护人、近亲属只能为未满16周岁的未成年人或行动不便的"
                            f"老年人、残疾人等代为申领（{B12}）", B12)
    if not agent_id_number:
        raise api.RuleError("agent_id_number", "agent_id_number_required",
                            f"代办人公民身份号码：代为申领的，必须填写代办人的公民身份号码（{B12}）", B12)
    try:
        agent = api.rules.parse_id_number(agent_id_number, as_of=accepted_on)
    except api.RuleError as err:
        raise api.RuleError("agent_id_number", err.code,
                            f"代办人公民身份号码：{err.message}（{B12}）", B12) from None
    if agent.number == holder_id_number:
        raise api.RuleError("agent_id_number", "agent_is_holder",
                            f"代办人公民身份号码：与持证人本人的号码相同；代为申领的应是监护人或"
                            f"近亲属（{B12}）", B12)
    return agent.number


# -- the act -----------------------------------------------------------------------------

class PermitExists(api.RuleError):
    """The holder already has a live (unrevoked) permit: at most one (API: 409)."""

    http_status = 409

    def __init__(self, number: str) -> None:
        super().__init__("holder_id", "permit_exists",
                         f"持证人：已持有居住证（号码{number}），一人只能持有一张有效居住证，不能重复申领；"
                         f"逾期未签注的应办理签注手续（《办法》第十四条）", "《办法》第十四条")
        self.permit_number = number


@cache
def _latest_registration() -> Any:
    # Built once with placeholders: building a select costs more than running it.
    return (select(Registration)
            .where(Registration.holder_id == bindparam("holder_id"),
                   Registration.registered_on <= bindparam("on"))
            .order_by(Registration.registered_on.desc(), Registration.id.desc()).limit(1)
            .options(joinedload(Registration.station)))  # the station acts next


@cache
def _lock_holder() -> Any:
    return select(api.Holder.id).where(api.Holder.id == bindparam("holder_id")).with_for_update()


@cache
def _live_permit_number() -> Any:
    return select(api.Permit.number).where(api.Permit.holder_id == bindparam("holder_id"),
                                           api.Permit.revoked_on.is_(None))


def registration_for(session: Session, holder: Any, accepted_on: dt.date) -> Registration:
    """The registration the application relies on: the latest one on or before
    ``accepted_on``; without one the holder must register first (第十条、第十一条)."""
    reg = session.scalar(_latest_registration(), {"holder_id": holder.id, "on": accepted_on})
    if reg is None:
        raise api.RuleError("holder_id", "not_registered",
                            f"持证人：{holder.name}在{api.zh_date(accepted_on)}前没有暂住登记，应先到居住地"
                            f"公安派出所办理暂住登记（《办法》第十条），居住满半年后方可申领居住证"
                            f"（《办法》第十一条）", B10_11)
    return reg


def apply(session: Session, *, holder: Any, accepted_on: dt.date, basis: list[str],
          materials: list[str], applicant: str, agent_id_number: str | None = None,
          limited_mobility: bool = False, actor: Any) -> Application:
    """Accept one application at the station of the holder's registration and decide it.

    Refusals, in order: not registered, agent rules (422, whoever asks); ``actor`` not acting
    for the station (403; skipped when ``actor`` is None, e.g. demo data); a live permit
    (409); no numbers left (409). Otherwise the application is kept whatever its outcome, and
    an ``issued`` one carries its permit. Does not commit.
    """
    registration = registration_for(session, holder, accepted_on)
    agent = check_agent(holder_birth_date=holder.birth_date, holder_id_number=holder.id_number,
                        accepted_on=accepted_on, applicant=applicant,
                        agent_id_number=agent_id_number, limited_mobility=limited_mobility)
    station = registration.station
    if actor is not None:
        stations.require_station(actor, station, "居住证由持证人暂住登记地的派出所受理（《办法》第十三条）")
    # Lock the holder: two clerks applying for the same person at once are serialised, so
    # the second one sees the first one's permit (409) instead of hitting the unique index.
    session.execute(_lock_holder(), {"holder_id": holder.id})
    live = session.scalar(_live_permit_number(), {"holder_id": holder.id})
    if live is not None:
        raise PermitExists(live)

    result = evaluate(registered_on=registration.registered_on, accepted_on=accepted_on,
                      basis=basis, materials=materials,
                      under_16=api.rules.age_on(holder.birth_date, accepted_on) < AGENT_AGE,
                      by_agent=applicant != "self")
    # Everything that needs no number is built before the station's first lock: from the
    # counter's step to the commit the station's other issuances wait (docs/scale.md). The
    # rows go in one flush, then the audit events in the next, so the county's audit head
    # (every station's acts wait for it) is locked only for the last writes. With no number
    # left nothing at all is written (the view rolls back, the counter's step included).
    permit = _new_permit(holder, registration, accepted_on) \
        if result.outcome == "issued" else None
    application = Application(
        holder_id=holder.id, station_id=station.id, registration_id=registration.id,
        accepted_on=accepted_on, basis=list(basis), materials=list(materials),
        applicant=applicant, agent_id_number=agent, limited_mobility=limited_mobility,
        outcome=result.outcome, missing=[m.as_dict() for m in result.missing],
        reasons=[r.as_dict() for r in result.reasons],
        permit=permit, accepted_by_id=getattr(actor, "id", None))
    # The station's counter, then its ranges, then (at the flush) the audit head: the one
    # order in which all acts take these locks, so none waits for another in a circle (README).
    application.document_number = documents.next_number(session, station, "document",
                                                        accepted_on.year)
    card = None
    if permit is not None:
        # 当场制发 (第十三条): the station's lowest free number is the permit number and the
        # first card's serial; the flush below writes them with the application.
        card = numbers.new_card(session, permit, station, on=accepted_on, actor=actor,
                                flush=False)
    session.add(application)
    session.flush()
    api.record_audit(session, action="application.create", entity="application",
                     entity_id=application.id, actor=actor, new={
                         "document_number": application.document_number,
                         "holder_id": holder.id, "station": station.code,
                         "registration_id": registration.id, "accepted_on": accepted_on,
                         "basis": application.basis, "materials": application.materials,
                         "applicant": applicant, "agent_id_number": agent,
                         "limited_mobility": limited_mobility, "outcome": result.outcome,
                         "missing": [m.code for m in result.missing],
                         "failed": [r.code for r in result.reasons if not r.passed],
                         "permit_number": permit.number if permit else None})
    if permit is not None:
        api.record_audit(session, action="permit.issue", entity="permit", entity_id=permit.id,
                         actor=actor, new={
                             "number": permit.number, "serial": card.serial,
                             "holder_id": holder.id, "station": station.code,
                             "application_id": application.id, "issued_on": permit.issued_on,
                             "valid_until": permit.valid_until,
                             "continuous_residence_since": permit.continuous_residence_since})
        api.hooks().permit_issued(permit=permit, card=card, actor=actor, session=session)
    return application


def _new_permit(holder: Any, registration: Registration, on: dt.date) -> Any:
    """The permit an issuance on ``on`` makes, not yet numbered (its number is its first
    card's serial, 第八条) and not yet in the session; the county PSB is the issuing
    authority (第十四条)."""
    return api.Permit(holder_id=holder.id, authority_id=stations.county_psb_id(),
                      station_id=registration.station.id, issued_on=on,
                      valid_until=api.rules.valid_until_for(on),
                      continuous_residence_since=registration.registered_on)
