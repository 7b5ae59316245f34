"""换领、补领 through the API (《办法》第十五条): damaged needs the old card handed in, lost
voids it; a new serial from the issuing station, the same permit number and validity."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import func, select

from core.db import db
from core.models import AuditEvent, Card, Permit
from plugins.public_security import verification
from plugins.public_security.models import CardReissue, SerialUse

from .conftest import DANFENG, XIONGBI

D = dt.date(2026, 6, 1)


def counts() -> dict[str, int]:
    return {m.__name__: db.session.scalar(select(func.count()).select_from(m))
            for m in (Card, SerialUse, CardReissue, AuditEvent)}


def replace(api: Any, token: str, number: str, reason: str, on: str = "2026-06-01",
            returned: bool | None = None) -> Any:
    body: dict[str, Any] = {"reason": reason, "on": on}
    if returned is not None:
        body["old_card_returned"] = returned
    return api("POST", f"/permits/{number}/replacements", token, json=body)


def fresh(permit: Any) -> Permit:
    db.session.expire_all()
    return db.session.get(Permit, permit.id)


@pytest.fixture
def permit(ps):  # type: ignore[no-untyped-def]
    return ps.permit(issued_on=dt.date(2026, 1, 15))


def test_damaged_card_handed_in_gets_a_new_serial(permit, clerk, api) -> None:  # type: ignore[no-untyped-def]
    old_serial = permit.live_card.serial
    r = replace(api, clerk[1], permit.number, "damaged", returned=True)
    assert r.status_code == 201, r.json
    assert r.json["old_card_serial"] == old_serial and r.json["old_card_status"] == "returned"
    assert r.json["card_serial"] not in (old_serial, None)
    p = fresh(permit)
    assert p.number == permit.number and p.valid_until == dt.date(2027, 1, 15)
    assert p.live_card.serial == r.json["card_serial"] and p.live_card.issued_on == D
    assert [c.status for c in p.cards] == ["returned", "live"]
    assert p.cards[0].status_on == D
    use = db.session.get(SerialUse, r.json["card_serial"])
    assert use.kind == "issued" and use.card_id == p.live_card.id
    assert use.station_id == p.station_id  # the issuing station's stock
    reissue = db.session.scalar(select(CardReissue))
    assert (reissue.reason, reissue.old_card_returned, reissue.on) == ("damaged", True, D)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "permit.replace"))
    assert event.old["card_serial"] == old_serial
    assert event.new["card_serial"] == r.json["card_serial"]


def test_damaged_without_the_old_card_is_refused(permit, clerk, api) -> None:  # type: ignore[no-untyped-def]
    before = counts()
    for returned in (False, None):
        r = replace(api, clerk[1], permit.number, "damaged", returned=returned)
        assert r.status_code == 422 and r.json["error"] == "old_card_required"
        assert "交回原证" in r.json["message"] and "第十五条" in r.json["message"]
        assert "old_card_returned" in r.json["fields"]
    assert counts() == before and [c.status for c in fresh(permit).cards] == ["live"]


def test_lost_card_stops_verifying_and_the_new_one_verifies(permit, clerk, api) -> None:  # type: ignore[no-untyped-def]
    old_token = verification.token_for(permit.live_card)
    assert verification.verify(db.session, old_token, D).valid
    r = replace(api, clerk[1], permit.number, "lost", returned=False)
    assert r.status_code == 201, r.json
    assert r.json["old_card_status"] == "lost"
    db.session.expire_all()
    assert not verification.verify(db.session, old_token, D).valid
    new_token = api("GET", f"/permits/{permit.number}?as_of=2026-06-01",
                    clerk[1]).json["verify_token"]
    assert new_token != old_token
    assert verification.verify(db.session, new_token, D).valid
    assert db.session.scalar(select(CardReissue)).old_card_returned is False


def test_lost_card_cannot_also_be_handed_in(permit, clerk, api) -> None:  # type: ignore[no-untyped-def]
    before = counts()
    r = replace(api, clerk[1], permit.number, "lost", returned=True)
    assert r.status_code == 422 and r.json["error"] == "lost_card_returned"
    assert counts() == before


def test_detained_card_cannot_be_replaced(permit, clerk, api) -> None:  # type: ignore[no-untyped-def]
    card = permit.live_card
    card.status, card.status_on = "detained", D
    db.session.commit()
    before = counts()
    r = replace(api, clerk[1], permit.number, "lost", returned=False)
    assert r.status_code == 409 and r.json["error"] == "card_detained"
    assert "第二十一条" in r.json["message"] and str(card.serial) in r.json["message"]
    assert counts() == before and fresh(permit).cards[0].status == "detained"


def test_dates_before_the_permit_or_the_card_in_use_are_422(permit, clerk, api) -> None:  # type: ignore[no-untyped-def]
    r = replace(api, clerk[1], permit.number, "lost", on="2026-01-14")
    assert r.status_code == 422 and r.json["error"] == "before_issue"
    assert replace(api, clerk[1], permit.number, "lost", on="2026-06-01").status_code == 201
    before = counts()
    r = replace(api, clerk[1], permit.number, "lost", on="2026-05-31")
    assert r.status_code == 422 and r.json["error"] == "before_card_issue"
    assert "办理日期" in r.json["fields"]["on"][0]
    assert counts() == before


def test_empty_station_leaves_the_old_card_live(ps, clerk, api) -> None:  # type: ignore[no-untyped-def]
    ps.number_range(DANFENG, 7, 7)  # one number: the permit's own
    permit = ps.permit(issued_on=dt.date(2026, 1, 15))
    assert permit.number == "7"
    before = counts()
    r = replace(api, clerk[1], permit.number, "damaged", returned=True)
    assert r.status_code == 409 and r.json["error"] == "no_numbers_left"
    assert counts() == before
    assert [c.status for c in fresh(permit).cards] == ["live"]


def test_only_the_issuing_station(permit, users, admin, api) -> None:  # type: ignore[no-untyped-def]
    _, other = users("station_clerk", XIONGBI)
    _, officer = users("police_officer")
    before = counts()
    r = replace(api, other, permit.number, "lost", returned=False)
    assert r.status_code == 403 and "第十五条" in r.json["message"]
    assert replace(api, officer, permit.number, "lost", returned=False).status_code == 403
    # invalid whoever asks: 422 first
    assert replace(api, other, permit.number, "damaged", returned=False).status_code == 422
    assert counts() == before
    assert replace(api, admin[1], permit.number, "lost", returned=False).status_code == 201


def test_revoked_permit_is_409(permit, clerk, api) -> None:  # type: ignore[no-untyped-def]
    permit.revoked_on, permit.revocation_reason = dt.date(2026, 3, 1), "离开本县居住（《办法》第二条）"
    db.session.commit()
    r = replace(api, clerk[1], permit.number, "lost", returned=False)
    assert r.status_code == 409 and r.json["error"] == "permit_revoked"
