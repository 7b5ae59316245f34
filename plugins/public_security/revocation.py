"""注销: the county PSB ends a permit — settlement in the county (《办法》第十九条), leaving the
county, death, or a permit obtained with false materials (《居住证暂行条例》第十八条). The card
is voided and stops verifying; the holder may later be issued a new permit (at most one live
permit per holder: the database's partial unique index).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from core import api

from . import permits

#: Reason code → (Chinese reason as recorded on the permit, its basis).
REASONS: dict[str, tuple[str, str]] = {
    "settled": ("在本县落户", "《办法》第十九条"),
    "left_county": ("离开本县居住", "《办法》第二条"),
    "died": ("持证人死亡", "《办法》第二条"),
    "false_materials": ("以虚假证明材料骗领", "《居住证暂行条例》第十八条"),
}


def reason_text(reason: str) -> str:
    """The recorded revocation reason, with its basis (pure)."""
    if reason not in REASONS:
        raise api.RuleError("reason", "reason_invalid",
                            f"注销原因：应为 {'、'.join(REASONS)} 之一"
                            "（《办法》第二条、第十九条，《居住证暂行条例》第十八条）",
                            "《办法》第十九条")
    text, basis = REASONS[reason]
    return f"{text}（{basis}）"


def revoke(session: Session, *, permit: Any, on: dt.date, reason: str, actor: Any,
           note: str | None = None) -> Any:
    """Revoke ``permit`` on ``on`` in the caller's transaction (no commit): revoked_on and the
    Chinese reason, the live card void, a status event, one audit event.

    Refusals: unknown reason or a date before issue (422); already revoked (409
    ``permit_revoked``).
    """
    text = reason_text(reason)
    permits.require_not_before_issue(permit, on, "on", "注销日期", REASONS[reason][1])
    permits.require_not_revoked(permit)
    card = permit.live_card
    permit.revoked_on, permit.revocation_reason = on, text
    if card is not None:
        card.status, card.status_on = "void", on
    event_reason = f"注销：{text}" + (f"；{note}" if note else "")
    session.add(api.PermitStatusEvent(permit_id=permit.id, status="revoked", on=on,
                                      reason=event_reason[:255]))
    session.flush()
    api.record_audit(
        session, action="permit.revoke", entity="permit", entity_id=permit.id, actor=actor,
        old={"revoked_on": None, "card_serial": card.serial if card else None,
             "card_status": "live" if card else None},
        new={"number": permit.number, "revoked_on": on, "reason": reason,
             "revocation_reason": text, "note": note,
             "card_status": "void" if card else None})
    return permit
