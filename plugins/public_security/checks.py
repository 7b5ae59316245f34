"""查验、扣押与发还 (《办法》第二十一条): police check a card and may detain or release it.

《办法》第二十一条: people must cooperate when the police (人民警察) check a permit, and nobody but
the police may detain one. The rules below are pure functions of the card's facts; the one act,
:func:`record_check`, writes the check row, the card's new status and one audit event in the
caller's transaction. A detained card is no longer the permit's live card, so it stops
verifying (verification.verify); releasing it makes it live again.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from core import api

from .models import Check

B21 = "《办法》第二十一条"
TZ = ZoneInfo("Asia/Shanghai")  # checks are recorded in the county's wall-clock time

ACTIONS = {"none": "查验", "detain": "扣押", "release": "发还"}
AUDIT_ACTIONS = {"none": "card.check", "detain": "card.detain", "release": "card.release"}


class CardNotLive(api.RuleError):
    """Only a live card can be detained (API: 409 ``card_not_live``)."""

    http_status = 409

    def __init__(self, serial: int, status: str) -> None:
        super().__init__(
            "action", "card_not_live",
            f"处置：卡号{serial}的证卡当前状态为“{api.CARD_STATUSES.get(status, status)}”，"
            f"不是在用证卡，不能扣押（{B21}）", B21)
        self.card_status = status


class CardNotDetained(api.RuleError):
    """Only a detained card can be released (API: 409 ``card_not_detained``)."""

    http_status = 409

    def __init__(self, serial: int, status: str) -> None:
        super().__init__(
            "action", "card_not_detained",
            f"处置：卡号{serial}的证卡当前状态为“{api.CARD_STATUSES.get(status, status)}”，"
            f"未被扣押，无需发还（{B21}）", B21)
        self.card_status = status


class CardSuperseded(api.RuleError):
    """A detained card whose permit has since been given a new card, or been revoked, cannot
    become live again: a permit has one live card (API: 409 ``card_superseded``)."""

    http_status = 409

    def __init__(self, serial: int, why: str) -> None:
        super().__init__(
            "action", "card_superseded",
            f"处置：卡号{serial}的证卡不能发还为在用证卡：{why}（{B21}；《办法》第十五条）", B21)


def local_time(value: dt.datetime) -> dt.datetime:
    """A check time as the county's wall clock reads it (naive, Asia/Shanghai): an aware time
    is converted, a naive one is taken as already local."""
    return value.astimezone(TZ).replace(tzinfo=None) if value.tzinfo else value


def card_status_after(action: str, *, serial: int, status: str, permit_revoked: bool,
                      other_live_serial: int | None) -> str:
    """The card's status after a check with ``action`` (none | detain | release), or the
    refusal. Detaining needs a live card; releasing needs a detained card whose permit is
    neither revoked nor already carried by a newer live card."""
    if action == "detain":
        if status != "live":
            raise CardNotLive(serial, status)
        return "detained"
    if action == "release":
        if status != "detained":
            raise CardNotDetained(serial, status)
        if permit_revoked:
            raise CardSuperseded(serial, "该居住证已注销")
        if other_live_serial is not None:
            raise CardSuperseded(serial, f"该居住证已换发新证卡（卡号{other_live_serial}）")
        return "live"
    return status


def check_date_order(on: dt.date, *, issued_on: dt.date, status_on: dt.date | None,
                     changes_status: bool) -> None:
    """A check cannot predate the card, and a detention or release cannot predate the card's
    last change of status (dates in the wrong order are bad input: 422)."""
    if on < issued_on:
        raise api.RuleError(
            "checked_at", "checked_before_issue",
            f"查验时间：{api.zh_date(on)}早于该证卡的制发日期{api.zh_date(issued_on)}（{B21}）", B21)
    if changes_status and status_on is not None and on < status_on:
        raise api.RuleError(
            "checked_at", "checked_before_status",
            f"查验时间：{api.zh_date(on)}早于该证卡上次变更状态的日期{api.zh_date(status_on)}"
            f"（{B21}）", B21)


def record_check(session: Session, *, card: Any, officer: Any, place: str, result: str,
                 action: str, checked_at: dt.datetime) -> Check:
    """Record a check of ``card`` by ``officer`` (a police role) and, with ``action`` detain
    or release, change the card's status on the check's date. One audit event: card.check,
    card.detain or card.release. Raises the refusals above before writing anything; does
    not commit."""
    checked_at = local_time(checked_at)
    permit = card.permit
    live = permit.live_card
    new_status = card_status_after(
        action, serial=card.serial, status=card.status,
        permit_revoked=permit.revoked_on is not None,
        other_live_serial=live.serial if live is not None and live.id != card.id else None)
    old_status = card.status
    check_date_order(checked_at.date(), issued_on=card.issued_on, status_on=card.status_on,
                     changes_status=new_status != old_status)
    check = Check(card_id=card.id, permit_id=permit.id, officer_id=officer.id,
                  org_id=officer.org_id, checked_at=checked_at, place=place, result=result,
                  action=action)
    session.add(check)
    if new_status != old_status:
        card.status, card.status_on = new_status, checked_at.date()
    session.flush()
    api.record_audit(
        session, action=AUDIT_ACTIONS[action], entity="card", entity_id=card.id, actor=officer,
        old={"status": old_status} if new_status != old_status else None,
        new={"check_id": check.id, "serial": card.serial, "permit_number": permit.number,
             "status": new_status, "checked_at": checked_at.isoformat(timespec="seconds"),
             "place": place, "result": result, "action": action})
    return check
