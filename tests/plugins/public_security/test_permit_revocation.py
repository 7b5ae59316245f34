"""注销 through the API: the county PSB only, with a reason (settlement 第十九条, leaving,
death, false materials 条例第十八条); the card stops verifying; one live permit per holder."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from core.db import db
from core.models import AuditEvent, Card, Permit, PermitStatusEvent
from plugins.public_security import verification
from plugins.public_security.revocation import REASONS, reason_text

ON = dt.date(2026, 9, 1)


def counts() -> dict[str, int]:
    return {m.__name__: db.session.scalar(select(func.count()).select_from(m))
            for m in (Card, PermitStatusEvent, AuditEvent)}


def revoke(api: Any, token: str, number: str, reason: str = "settled", on: str = "2026-09-01",
           **extra: Any) -> Any:
    return api("POST", f"/permits/{number}/revocation", token,
               json={"on": on, "reason": reason, **extra})


@pytest.fixture
def permit(ps):  # type: ignore[no-untyped-def]
    return ps.permit(issued_on=dt.date(2026, 1, 15))


def test_revocation_voids_the_card(permit, admin, clerk, api) -> None:  # type: ignore[no-untyped-def]
    token = verification.token_for(permit.live_card)
    r = revoke(api, admin[1], permit.number, note="已办理落户手续")
    assert r.status_code == 201, r.json
    assert r.json["status"] == "revoked" and r.json["revoked_on"] == "2026-09-01"
    assert "落户" in r.json["revocation_reason"] and "第十九条" in r.json["revocation_reason"]
    db.session.expire_all()
    p = db.session.get(Permit, permit.id)
    assert (p.revoked_on, p.cards[0].status, p.cards[0].status_on) == (ON, "void", ON)
    assert not verification.verify(db.session, token, ON).valid
    event = db.session.scalar(select(PermitStatusEvent))
    assert (event.status, event.on) == ("revoked", ON) and "已办理落户手续" in event.reason
    audit = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "permit.revoke"))
    assert audit.new["reason"] == "settled" and audit.new["card_status"] == "void"
    read = api("GET", f"/permits/{permit.number}?as_of=2026-09-01", clerk[1]).json
    assert read["status"] == "revoked"
    assert read["card_serial"] is None and read["verify_token"] is None
    assert api("GET", f"/permits/{permit.number}?as_of=2026-08-31",
               clerk[1]).json["status"] == "valid"


def test_already_revoked_is_409(permit, admin, api) -> None:  # type: ignore[no-untyped-def]
    assert revoke(api, admin[1], permit.number).status_code == 201
    before = counts()
    r = revoke(api, admin[1], permit.number, reason="died")
    assert r.status_code == 409 and r.json["error"] == "permit_revoked"
    assert "2026年9月1日" in r.json["message"]
    assert counts() == before


def test_only_the_county_psb(permit, clerk, users, api) -> None:  # type: ignore[no-untyped-def]
    _, officer = users("police_officer")
    assert revoke(api, clerk[1], permit.number).status_code == 403
    assert revoke(api, officer, permit.number).status_code == 403
    # bad input is 422 even for a role that could not act
    assert revoke(api, clerk[1], permit.number, reason="bored").status_code == 422


def test_bad_reason_and_date_before_issue_are_422(permit, admin, api) -> None:  # type: ignore[no-untyped-def]
    before = counts()
    r = revoke(api, admin[1], permit.number, reason="bored")
    assert r.status_code == 422 and "reason" in r.json["fields"]
    r = revoke(api, admin[1], permit.number, on="2026-01-01")
    assert r.status_code == 422 and r.json["error"] == "before_issue"
    assert counts() == before


def test_a_revoked_holder_may_get_a_new_permit_but_never_two_live(ps, admin, api) -> None:  # type: ignore[no-untyped-def]
    holder = ps.holder()
    first = ps.permit(holder, issued_on=dt.date(2026, 1, 15))
    with pytest.raises(IntegrityError):
        ps.permit(holder, issued_on=dt.date(2026, 2, 1))
    db.session.rollback()
    assert revoke(api, admin[1], first.number, reason="left_county").status_code == 201
    second = ps.permit(holder, issued_on=dt.date(2026, 10, 1))
    assert second.number != first.number and second.revoked_on is None


def test_acts_on_a_revoked_permit_are_409(permit, admin, clerk, api) -> None:  # type: ignore[no-untyped-def]
    revoke(api, admin[1], permit.number, reason="false_materials")
    r = api("POST", f"/permits/{permit.number}/replacements", clerk[1],
            json={"reason": "lost", "on": "2026-10-01"})
    assert r.status_code == 409 and r.json["error"] == "permit_revoked"
    r = api("POST", f"/permits/{permit.number}/endorsements", clerk[1],
            json={"endorsed_on": "2027-01-02", "materials": ["id_card", "permit_card",
                                                             "rental_contract"]})
    assert r.status_code == 409 and r.json["error"] == "permit_revoked"


@pytest.mark.parametrize("reason, basis", [
    ("settled", "《办法》第十九条"), ("left_county", "《办法》第二条"), ("died", "《办法》第二条"),
    ("false_materials", "《居住证暂行条例》第十八条")])
def test_every_reason_names_its_basis(reason, basis) -> None:  # type: ignore[no-untyped-def]
    assert reason in REASONS and reason_text(reason).endswith(f"（{basis}）")



def test_an_unknown_reason_outside_the_api_names_field_and_articles() -> None:
    from core.rules import RuleError

    with pytest.raises(RuleError) as info:
        reason_text("moved_abroad")
    assert info.value.field == "reason" and "注销原因" in info.value.message
    assert "第十九条" in info.value.message
