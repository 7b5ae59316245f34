"""换领、补领 (《办法》第十五条): a damaged card is exchanged (the old one handed in), a lost
one is replaced (the old one declared void), at the issuing station. The permit keeps its
number and validity; the new card takes the next serial of that station's ranges.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from core import api

from . import permits
from .models import CardReissue

B15 = "《办法》第十五条"


def old_card_status(reason: str, old_card_returned: bool) -> str:
    """What becomes of the old card (pure rule, 第十五条): ``returned`` or ``lost``.

    Damaged → it must be handed in (换领新证时，应当交回原证). Lost → it is declared void; a card
    reported lost cannot at the same time be handed in.
    """
    if reason == "damaged":
        if not old_card_returned:
            raise api.RuleError(
                "old_card_returned", "old_card_required",
                f"是否交回原证：损坏换领新证时，应当交回原证（{B15}）", B15)
        return "returned"
    if reason == "lost":
        if old_card_returned:
            raise api.RuleError(
                "old_card_returned", "lost_card_returned",
                f"是否交回原证：丢失补领的原证已不在持证人手中，不能同时交回；原证已找回的，"
                f"损坏的按换领办理，完好的无需补领（{B15}）", B15)
        return "lost"
    raise api.RuleError("reason", "reason_invalid",
                        f"办理原因：应为 lost（丢失补领）或 damaged（损坏换领）（{B15}）", B15)


def check_replacement_input(permit: Any, *, reason: str, on: dt.date,
                            old_card_returned: bool) -> str:
    """What is wrong whoever asks; returns the old card's new status."""
    status = old_card_status(reason, old_card_returned)
    permits.require_not_before_issue(permit, on, "on", "办理日期", B15, card_act=True)
    return status


def replace_card(session: Session, *, permit: Any, reason: str, on: dt.date,
                 old_card_returned: bool, actor: Any) -> CardReissue:
    """Retire the old card and make the new one, in the caller's transaction (no commit).

    Refusals: input (422 ``old_card_required`` …), revoked (409 ``permit_revoked``), card
    detained by the police (409 ``card_detained``, 第二十一条), no numbers left (409).
    """
    status = check_replacement_input(permit, reason=reason, on=on,
                                     old_card_returned=old_card_returned)
    permits.require_not_revoked(permit)
    old = permits.card_in_hand(permit)
    permits.retire_card(session, old, status, on)
    new = permits.issue_new_card(session, permit, permit.station, on=on, actor=actor)
    reissue = CardReissue(permit_id=permit.id, reason=reason, on=on, station_id=permit.station_id,
                          old_card_id=old.id, new_card_id=new.id,
                          old_card_returned=old_card_returned,
                          recorded_by_id=getattr(actor, "id", None))
    session.add(reissue)
    session.flush()
    api.record_audit(
        session, action="permit.replace", entity="permit", entity_id=permit.id, actor=actor,
        old={"card_serial": old.serial, "card_status": "live"},
        new={"number": permit.number, "reason": reason, "on": on,
             "old_card_serial": old.serial, "old_card_status": status,
             "old_card_returned": old_card_returned, "card_serial": new.serial})
    api.hooks().permit_replaced(permit=permit, old_card=old, new_card=new, reason=reason,
                                actor=actor, session=session)
    return reissue
