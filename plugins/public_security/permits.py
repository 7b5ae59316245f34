"""A permit as the platform answers for it: found by number, its state on a day, and the
refusals every act on a permit shares (revoked, card detained, dated before issue).

Status is derived from dates (《办法》第十四条; DESIGN §3): a permit is suspended the day after
``valid_until`` whether or not ``juzhu sweep`` has run.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import api

from . import materials, numbers

B21 = "《办法》第二十一条"


class PermitRevoked(api.RuleError):
    """An act on a revoked permit (API: 409 ``permit_revoked``): revocation is final; the
    holder applies for a new permit instead."""

    http_status = 409

    def __init__(self, permit: Any) -> None:
        super().__init__(
            "number", "permit_revoked",
            f"居住证 {permit.number} 已于{api.zh_date(permit.revoked_on)}注销"
            f"（{permit.revocation_reason or '已注销'}），不能再办理此项业务；如符合条件，"
            "可重新申领居住证（《办法》第十一条）", "《办法》第十一条")
        self.revoked_on = permit.revoked_on


class CardDetained(api.RuleError):
    """The permit's card is held by the police (API: 409 ``card_detained``, 第二十一条)."""

    http_status = 409

    def __init__(self, card: Any) -> None:
        super().__init__(
            "number", "card_detained",
            f"居住证卡（卡号 {card.serial}）已被公安机关扣押，扣押解除前不能换领、补领或换发新证"
            f"（{B21}）", B21)


class NoLiveCard(api.RuleError):
    """The permit has no card in use and none detained: nothing to hand in or replace."""

    http_status = 409

    def __init__(self, permit: Any) -> None:
        super().__init__("number", "no_live_card",
                         f"居住证 {permit.number} 没有在用的证卡，无法办理换发（《办法》第十五条）",
                         "《办法》第十五条")


def find_permit(session: Session, number: str) -> api.Permit | None:
    """The permit with this number (its decimal digits), or None."""
    return session.scalar(select(api.Permit).where(api.Permit.number == str(number)))


def status_on(permit: Any, as_of: dt.date) -> str:
    """``valid`` | ``suspended`` | ``revoked`` on ``as_of``, from dates alone."""
    return api.rules.permit_status(permit.valid_until, as_of, permit.revoked_on)


def permit_state(permit: Any, as_of: dt.date) -> api.PermitState:
    """The permit as every entitlement decision starts from it (DESIGN §4)."""
    return api.PermitState(
        number=permit.number, status=status_on(permit, as_of), issued_on=permit.issued_on,
        valid_until=permit.valid_until,
        continuous_residence_since=permit.continuous_residence_since,
        station_code=permit.station.code)


def require_not_revoked(permit: Any) -> None:
    """Refuse any act on a revoked permit, whatever the act's date."""
    if permit.revoked_on is not None:
        raise PermitRevoked(permit)


def require_not_before_issue(permit: Any, on: dt.date, field: str, label: str, basis: str,
                             *, card_act: bool = False) -> None:
    """An act cannot be dated before the permit exists, nor (``card_act``: a new card) before
    the card in use was made: 422 naming the field."""
    if on < permit.issued_on:
        raise api.RuleError(
            field, "before_issue",
            f"{label}：{api.zh_date(on)}早于居住证签发日期{api.zh_date(permit.issued_on)}（{basis}）",
            basis)
    card = permit.live_card if card_act else None
    if card is not None and on < card.issued_on:
        raise api.RuleError(
            field, "before_card_issue",
            f"{label}：{api.zh_date(on)}早于现用证卡（卡号 {card.serial}）的制发日期"
            f"{api.zh_date(card.issued_on)}（{basis}）", basis)


def card_in_hand(permit: Any) -> Any:
    """The live card the holder hands in or reports lost; a detained card cannot be."""
    card = permit.live_card
    if card is not None:
        return card
    last = permit.cards[-1] if permit.cards else None
    if last is not None and last.status == "detained":
        raise CardDetained(last)
    raise NoLiveCard(permit)


def retire_card(session: Session, card: Any, status: str, on: dt.date) -> None:
    """Take a card out of use before its successor is made (one live card per permit)."""
    card.status, card.status_on = status, on
    session.flush()


def issue_new_card(session: Session, permit: Any, station: Any, *, on: dt.date,
                   actor: Any) -> Any:
    """The successor card, numbered from ``station``'s ranges (409 ``no_numbers_left`` when
    empty); the permit's card list is reloaded so hooks see the new live card."""
    card = numbers.new_card(session, permit, station, on=on, actor=actor)
    session.expire(permit, ["cards"])
    return card


class IncompleteMaterials(api.RuleError):
    """Materials missing for an endorsement or address change (API: 422
    ``incomplete_materials``, with ``missing: [{code, name}]``)."""

    def __init__(self, act: str, missing: list[Any], basis: str) -> None:
        names = "；".join(m.name for m in missing)
        super().__init__("materials", "incomplete_materials",
                         f"{act}材料不全，缺少：{names}（{basis}）", basis)
        self.missing = [m.as_dict() for m in missing]

    @property
    def lines(self) -> list[str]:
        """One message per missing item, for the error body's ``fields.materials``."""
        return [f"缺少：{m['name']}（{self.basis}）" for m in self.missing]


def require_materials(act: str, given: list[str], basis: str) -> None:
    """ID card, permit card and a residence, employment or study proof (第十四条、第十六条)."""
    missing = materials.missing_for_endorsement(given)
    if missing:
        raise IncompleteMaterials(act, missing, basis)
