"""POST/GET /checks through the API (《办法》第二十一条): only police roles check, detain and
release; a detained card stops verifying; refusals write nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import func, select

from core import api as kernel
from core.db import db
from core.models import AuditEvent
from plugins.public_security import numbers, verification
from plugins.public_security.models import Check

from .conftest import DANFENG, XIONGBI

BODY = {"place": "师宗县丹凤街道某出租屋", "result": "人证一致"}


def count(model: Any) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def live_permit(ps: Any, **kw: Any) -> Any:
    """A permit issued 30 days ago: valid today, whatever today is."""
    return ps.permit(issued_on=kernel.today() - dt.timedelta(days=30), **kw)


def verify(api: Any, card: Any) -> dict[str, Any]:
    return api("GET", f"/verify/{verification.token_for(card)}").get_json()


@pytest.mark.parametrize("role, org", [
    ("county_admin", None), ("station_clerk", DANFENG), ("station_clerk", XIONGBI),
    ("police_officer", None), ("police_officer", XIONGBI),
])
def test_each_police_role_records_a_check(ps, users, api, role, org) -> None:  # type: ignore[no-untyped-def]
    permit = live_permit(ps)
    serial = permit.live_card.serial
    user, token = users(role, org)
    events = count(AuditEvent)
    r = api("POST", "/checks", token, {**BODY, "card_serial": serial, "action": "none"})
    assert r.status_code == 201, r.get_json()
    body = r.get_json()
    assert body == {"id": body["id"], "card_serial": serial, "card_status": "live",
                    "permit_number": permit.number, "verify": {"valid": True, "status": "valid"}}
    check = db.session.get(Check, body["id"])
    assert (check.officer_id, check.org_id, check.action) == (user.id, user.org_id, "none")
    assert check.place == BODY["place"] and check.permit_id == permit.id
    assert count(AuditEvent) == events + 1
    event = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert (event.action, event.entity, event.actor) == ("card.check", "card", user.username)
    assert event.new["check_id"] == check.id and event.old is None


@pytest.mark.parametrize("role, org", [
    ("dept_clerk", "dept-education"), ("assistant", None), ("auditor", None),
])
def test_other_roles_may_not_check_or_detain(ps, users, api, role, org) -> None:  # type: ignore[no-untyped-def]
    permit = live_permit(ps)
    _, token = users(role, org)
    checks, events = count(Check), count(AuditEvent)
    for action in ("none", "detain"):
        r = api("POST", "/checks", token, {**BODY, "card_serial": permit.live_card.serial,
                                          "action": action})
        assert r.status_code == 403 and r.get_json()["error"] == "forbidden"
    assert api("GET", f"/checks?permit_number={permit.number}", token).status_code == 403
    assert (count(Check), count(AuditEvent)) == (checks, events)
    db.session.refresh(permit.live_card)
    assert permit.live_card.status == "live"


def test_no_token_is_401(ps, api) -> None:  # type: ignore[no-untyped-def]
    permit = live_permit(ps)
    r = api("POST", "/checks", None, {**BODY, "card_serial": permit.live_card.serial,
                                       "action": "none"})
    assert r.status_code == 401


def test_detained_card_stops_verifying_and_release_restores_it(ps, users, api) -> None:  # type: ignore[no-untyped-def]
    permit = live_permit(ps)
    card = permit.live_card
    _, token = users("police_officer")
    assert verify(api, card)["valid"] is True
    r = api("POST", "/checks", token, {**BODY, "card_serial": card.serial, "action": "detain",
                                       "result": "持证人涉嫌冒用他人证件"})
    assert r.status_code == 201, r.get_json()
    assert r.get_json()["card_status"] == "detained"
    assert r.get_json()["verify"] == {"valid": False, "status": "valid"}
    db.session.refresh(card)
    assert (card.status, card.status_on) == ("detained", kernel.today())
    assert verify(api, card)["valid"] is False
    event = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert event.action == "card.detain" and event.old == {"status": "live"}

    r = api("POST", "/checks", token, {**BODY, "permit_number": permit.number,
                                       "action": "release", "result": "核查无误，发还"})
    assert r.status_code == 201, r.get_json()
    assert r.get_json()["card_status"] == "live" and r.get_json()["verify"]["valid"] is True
    assert verify(api, card) == {"valid": True, "status": "valid", "masked_name": "张*",
                                 "valid_until": permit.valid_until.isoformat()}
    event = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert event.action == "card.release" and event.new["status"] == "live"


def test_permit_number_checks_its_live_card(ps, users, api) -> None:  # type: ignore[no-untyped-def]
    permit = live_permit(ps)
    old = permit.live_card
    old.status = "returned"  # an earlier card, handed in on a replacement
    db.session.flush()
    live = numbers.new_card(db.session, permit, ps.station(DANFENG), on=kernel.today())
    db.session.commit()
    _, token = users("county_admin")
    r = api("POST", "/checks", token, {**BODY, "permit_number": permit.number,
                                       "action": "detain"})
    assert r.status_code == 201 and r.get_json()["card_serial"] == live.serial
    db.session.refresh(old)
    assert old.status == "returned"


def _refused(api: Any, token: str, body: dict[str, Any], status: int, error: str) -> Any:
    checks, events = count(Check), count(AuditEvent)
    r = api("POST", "/checks", token, body)
    assert r.status_code == status, r.get_json()
    assert r.get_json()["error"] == error
    assert (count(Check), count(AuditEvent)) == (checks, events)  # nothing half-written
    return r.get_json()


def test_conflicting_states_are_409_and_write_nothing(ps, users, api) -> None:  # type: ignore[no-untyped-def]
    permit = live_permit(ps)
    card = permit.live_card
    _, token = users("station_clerk", DANFENG)
    body = _refused(api, token, {**BODY, "card_serial": card.serial, "action": "release"},
                    409, "card_not_detained")
    assert "未被扣押" in body["message"] and "第二十一条" in body["message"]
    assert body["card_status"] == "live" and "action" in body["fields"]

    assert api("POST", "/checks", token, {**BODY, "card_serial": card.serial,
                                          "action": "detain"}).status_code == 201
    body = _refused(api, token, {**BODY, "card_serial": card.serial, "action": "detain"},
                    409, "card_not_live")
    assert body["card_status"] == "detained" and "已扣押" in body["message"]

    card.status = "lost"
    db.session.commit()
    body = _refused(api, token, {**BODY, "card_serial": card.serial, "action": "detain"},
                    409, "card_not_live")
    assert "已挂失作废" in body["message"]
    db.session.refresh(card)
    assert card.status == "lost"


def test_a_lost_card_can_be_checked_and_does_not_verify(ps, users, api) -> None:  # type: ignore[no-untyped-def]
    permit = live_permit(ps)
    card = permit.live_card
    card.status = "lost"
    db.session.commit()
    _, token = users("police_officer")
    r = api("POST", "/checks", token, {**BODY, "card_serial": card.serial, "action": "none",
                                       "result": "出示已挂失的证卡"})
    assert r.status_code == 201
    assert r.get_json()["card_status"] == "lost" and r.get_json()["verify"]["valid"] is False


def test_release_refused_when_permit_has_a_new_card_or_is_revoked(ps, users, api) -> None:  # type: ignore[no-untyped-def]
    permit = live_permit(ps)
    old = permit.live_card
    _, token = users("county_admin")
    assert api("POST", "/checks", token, {**BODY, "card_serial": old.serial,
                                          "action": "detain"}).status_code == 201
    new = numbers.new_card(db.session, permit, ps.station(DANFENG), on=kernel.today())
    db.session.commit()
    body = _refused(api, token, {**BODY, "card_serial": old.serial, "action": "release"},
                    409, "card_superseded")
    assert str(new.serial) in body["message"]

    new.status = "void"
    permit.revoked_on = kernel.today()
    db.session.commit()
    body = _refused(api, token, {**BODY, "card_serial": old.serial, "action": "release"},
                    409, "card_superseded")
    assert "已注销" in body["message"]


@pytest.mark.parametrize("patch, field", [
    ({}, "card_serial"),  # neither
    ({"card_serial": 1, "permit_number": "1"}, "card_serial"),  # both
    ({"card_serial": 1, "action": "seize"}, "action"),
    ({"card_serial": 1, "checked_at": "2026-13-01T10:00"}, "checked_at"),
    ({"card_serial": 1, "checked_at": 1700000000}, "checked_at"),
    ({"card_serial": 1, "checked_at": "2999-01-01T10:00:00+08:00"}, "checked_at"),
    ({"card_serial": 1, "place": ""}, "place"),
])
def test_invalid_input_is_422_whoever_sends_it(ps, users, api, patch, field) -> None:  # type: ignore[no-untyped-def]
    _, dept = users("dept_clerk", "dept-education")
    body = {**BODY, "action": "none", **patch}
    for token in (users("police_officer")[1], dept):
        r = _refused(api, token, body, 422, "invalid_input")
        assert field in r["fields"], r
        assert "第二十一条" in " ".join(r["fields"][field])


def test_unknown_card_or_permit_is_404(ps, users, api) -> None:  # type: ignore[no-untyped-def]
    _, token = users("police_officer")
    _refused(api, token, {**BODY, "card_serial": 999, "action": "none"}, 404, "card_not_found")
    _refused(api, token, {**BODY, "permit_number": "999", "action": "none"}, 404,
             "permit_not_found")


def test_check_before_the_card_existed_is_refused(ps, users, api) -> None:  # type: ignore[no-untyped-def]
    permit = live_permit(ps)
    _, token = users("police_officer")
    before = (permit.issued_on - dt.timedelta(days=1)).isoformat() + "T10:00:00"
    body = _refused(api, token, {**BODY, "card_serial": permit.live_card.serial,
                                 "action": "none", "checked_at": before}, 422,
                    "checked_before_issue")
    assert "查验时间" in body["message"]


def test_checked_at_is_kept_in_beijing_time_and_dates_the_detention(ps, users, api) -> None:  # type: ignore[no-untyped-def]
    permit = live_permit(ps)
    card = permit.live_card
    _, token = users("police_officer")
    day = kernel.today() - dt.timedelta(days=2)
    utc = dt.datetime.combine(day, dt.time(20, 30), tzinfo=dt.timezone.utc)
    r = api("POST", "/checks", token, {**BODY, "card_serial": card.serial, "action": "detain",
                                       "checked_at": utc.isoformat()})
    assert r.status_code == 201, r.get_json()
    check = db.session.get(Check, r.get_json()["id"])
    assert check.checked_at == dt.datetime.combine(day + dt.timedelta(days=1), dt.time(4, 30))
    db.session.refresh(card)
    assert card.status_on == day + dt.timedelta(days=1)
    # releasing before the detention's date is a date in the wrong order
    _refused(api, token, {**BODY, "card_serial": card.serial, "action": "release",
                          "checked_at": f"{day.isoformat()}T09:00:00"}, 422,
             "checked_before_status")


def test_list_of_checks_newest_first(ps, users, api) -> None:  # type: ignore[no-untyped-def]
    permit = live_permit(ps)
    other = live_permit(ps, holder=ps.holder(name="李四"))
    officer, token = users("police_officer", XIONGBI)
    day = kernel.today() - dt.timedelta(days=3)
    for hour, action in ((9, "none"), (11, "detain"), (15, "release")):
        assert api("POST", "/checks", token, {
            **BODY, "permit_number": permit.number, "action": action,
            "checked_at": f"{day.isoformat()}T{hour:02d}:00:00"}).status_code == 201
    assert api("POST", "/checks", token, {**BODY, "permit_number": other.number,
                                          "action": "none"}).status_code == 201
    _, clerk = users("station_clerk", DANFENG)
    r = api("GET", f"/checks?permit_number={permit.number}", clerk)
    assert r.status_code == 200
    rows = r.get_json()
    assert [row["action"] for row in rows] == ["release", "detain", "none"]
    assert rows[0]["checked_at"] == f"{day.isoformat()}T15:00:00+08:00"
    assert rows[0]["officer"] == officer.username and rows[0]["org"] == XIONGBI
    assert {row["permit_number"] for row in rows} == {permit.number}
    assert api("GET", "/checks?permit_number=404404", clerk).status_code == 404
    assert api("GET", "/checks", clerk).status_code == 422
