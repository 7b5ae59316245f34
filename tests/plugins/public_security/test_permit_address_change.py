"""居住地变更换证 through the API (《办法》第十六条): inside the county, by the new address's
station; the permit moves there with a new card from its stock; residence history is kept.
Outside the county → 422 outside_county, whoever asks."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import func, select

from core.db import db
from core.models import AuditEvent, Card, Permit, Residence
from plugins.public_security import verification
from plugins.public_security.models import AddressChange, CardReissue, SerialUse

from .conftest import DANFENG, DANFENG_CODE, XIONGBI, XIONGBI_CODE

ON = dt.date(2026, 8, 1)


def counts() -> dict[str, int]:
    return {m.__name__: db.session.scalar(select(func.count()).select_from(m))
            for m in (Card, SerialUse, Residence, CardReissue, AddressChange, AuditEvent)}


def move(api: Any, token: str, number: str, code: str = XIONGBI_CODE, on: str = "2026-08-01",
         address: str = "雄壁镇雄壁村委会12号", **extra: Any) -> Any:
    return api("POST", f"/permits/{number}/address-changes", token,
               json={"on": on, "residence_address": address, "residence_division_code": code,
                     **extra})


def live_at(holder: Any, address: str = "丹凤街道某社区1号", code: str = DANFENG_CODE,
            since: dt.date = dt.date(2026, 1, 5)) -> Residence:
    """The holder's current residence, as registration (第十条) records it."""
    residence = Residence(holder_id=holder.id, address=address, division_code=code,
                          from_date=since)
    db.session.add(residence)
    db.session.commit()
    return residence


@pytest.fixture
def permit(ps):  # type: ignore[no-untyped-def]
    holder = ps.holder()
    live_at(holder)
    ps.number_range(XIONGBI, 1000, 1999)
    return ps.permit(holder, issued_on=dt.date(2026, 7, 15), registered_on=dt.date(2026, 1, 10))


@pytest.fixture
def xiongbi(users):  # type: ignore[no-untyped-def]
    return users("station_clerk", XIONGBI)


def test_the_new_station_moves_the_permit_and_keeps_history(permit, xiongbi, clerk, api) -> None:  # type: ignore[no-untyped-def]
    old_card = permit.live_card
    old_token = verification.token_for(old_card)
    r = move(api, xiongbi[1], permit.number)
    assert r.status_code == 201, r.json
    assert r.json["station"] == XIONGBI and r.json["card_serial"] == 1000  # 雄壁所's stock
    db.session.expire_all()
    p = db.session.get(Permit, permit.id)
    assert p.station.code == XIONGBI and p.number == permit.number
    assert p.valid_until == dt.date(2027, 7, 15)
    assert [(c.serial, c.status) for c in p.cards] == [(old_card.serial, "returned"),
                                                       (1000, "live")]
    history = db.session.scalars(select(Residence).where(Residence.holder_id == p.holder_id)
                                 .order_by(Residence.from_date)).all()
    assert [(r.division_code, r.from_date, r.to_date) for r in history] == [
        (DANFENG_CODE, dt.date(2026, 1, 5), ON), (XIONGBI_CODE, ON, None)]
    change = db.session.scalar(select(AddressChange))
    assert (change.old_station.code, change.new_station.code) == (DANFENG, XIONGBI)
    assert change.old_residence_id == history[0].id and change.new_residence_id == history[1].id
    reissue = db.session.get(CardReissue, change.reissue_id)
    assert (reissue.reason, reissue.old_card_returned) == ("address_change", True)
    assert not verification.verify(db.session, old_token, ON).valid
    event = db.session.scalar(select(AuditEvent)
                              .where(AuditEvent.action == "permit.address_change"))
    assert event.old["station"] == DANFENG and event.new["station"] == XIONGBI
    assert event.old["residence_division_code"] == DANFENG_CODE
    read = api("GET", f"/permits/{permit.number}", clerk[1]).json
    assert read["station"] == XIONGBI and read["card_serial"] == 1000
    # from now on the issuing station is 雄壁派出所
    body = {"endorsed_on": "2027-07-01", "materials": ["id_card", "permit_card", "labor_contract"]}
    assert api("POST", f"/permits/{permit.number}/endorsements", clerk[1],
               json=body).status_code == 403
    assert api("POST", f"/permits/{permit.number}/endorsements", xiongbi[1],
               json=body).status_code == 201


@pytest.mark.parametrize("role, org", [("dept_clerk", "dept-education"), ("assistant", None),
                                       ("auditor", None), ("station_clerk", DANFENG),
                                       ("police_officer", None)])
def test_outside_the_county_is_422_whoever_asks(permit, users, api, role, org) -> None:  # type: ignore[no-untyped-def]
    _, token = users(role, org)
    before = counts()
    r = move(api, token, permit.number, code="530302001001", address="麒麟区南宁街道1号")
    assert r.status_code == 422 and r.json["error"] == "outside_county"
    assert "师宗县" in r.json["message"] and "第十六条" in r.json["message"]
    assert "residence_division_code" in r.json["fields"]
    assert counts() == before


@pytest.mark.parametrize("code, error", [
    ("530323", "residence_township_required"),
    ("530323999001", "unknown_township"),
    ("999999001001", "division_code_format"),
    ("5303231", "division_code_format"),
])
def test_codes_that_name_no_township_of_the_county(permit, xiongbi, api, code, error) -> None:  # type: ignore[no-untyped-def]
    before = counts()
    r = move(api, xiongbi[1], permit.number, code=code)
    assert r.status_code == 422 and r.json["error"] == error
    assert counts() == before


def test_only_the_new_address_station_or_the_county(permit, clerk, users, admin, api) -> None:  # type: ignore[no-untyped-def]
    _, dept = users("dept_clerk", "dept-education")
    before = counts()
    r = move(api, clerk[1], permit.number)  # the issuing station, not the new one
    assert r.status_code == 403 and "雄壁派出所" in r.json["message"]
    assert move(api, dept, permit.number).status_code == 403
    assert counts() == before
    r = move(api, admin[1], permit.number)
    assert r.status_code == 201 and r.json["station"] == XIONGBI


def test_a_move_inside_the_same_township_stays_at_the_station(permit, clerk, api) -> None:  # type: ignore[no-untyped-def]
    old_serial = permit.live_card.serial
    r = move(api, clerk[1], permit.number, code="530323001002", address="丹凤街道另一社区8号")
    assert r.status_code == 201 and r.json["station"] == DANFENG
    assert r.json["card_serial"] == old_serial + 1  # the station's next number


def test_materials_are_checked_when_given(permit, xiongbi, api) -> None:  # type: ignore[no-untyped-def]
    before = counts()
    r = move(api, xiongbi[1], permit.number, materials=["id_card"])
    assert r.status_code == 422 and r.json["error"] == "incomplete_materials"
    assert [m["code"] for m in r.json["missing"]] == ["permit_card", "residence_proof"]
    assert all("第十六条" in line for line in r.json["fields"]["materials"])
    assert counts() == before
    r = move(api, xiongbi[1], permit.number,
             materials=["id_card", "permit_card", "rental_contract"])
    assert r.status_code == 201


def test_same_address_and_dates_before_the_residence_are_refused(permit, clerk, xiongbi, api) -> None:  # type: ignore[no-untyped-def]
    before = counts()
    r = move(api, clerk[1], permit.number, code=DANFENG_CODE, address="丹凤街道某社区1号")
    assert r.status_code == 422 and r.json["error"] == "address_unchanged"
    r = move(api, xiongbi[1], permit.number, on="2026-07-14")
    assert r.status_code == 422 and r.json["error"] == "before_issue"
    assert counts() == before


def test_moving_home_ends_floating_status(ps, users, api) -> None:  # type: ignore[no-untyped-def]
    # hukou in 雄壁镇, living in 丹凤街道: floating; moving to 雄壁镇 is going home (第二条)
    holder = ps.holder(region="530323", hukou_division_code="530323102003",
                       hukou_address="师宗县雄壁镇某村")
    live_at(holder)
    ps.number_range(XIONGBI, 1000, 1999)
    permit = ps.permit(holder, issued_on=dt.date(2026, 7, 15))
    _, token = users("station_clerk", XIONGBI)
    before = counts()
    r = move(api, token, permit.number)
    assert r.status_code == 422 and r.json["error"] == "not_floating_population"
    assert "注销" in r.json["message"]
    assert counts() == before


def test_detained_card_and_revoked_permit_are_409(permit, xiongbi, api) -> None:  # type: ignore[no-untyped-def]
    card = permit.live_card
    card.status = "detained"
    db.session.commit()
    r = move(api, xiongbi[1], permit.number)
    assert r.status_code == 409 and r.json["error"] == "card_detained"
    permit.revoked_on, permit.revocation_reason = ON, "离开本县居住（《办法》第二条）"
    db.session.commit()
    r = move(api, xiongbi[1], permit.number)
    assert r.status_code == 409 and r.json["error"] == "permit_revoked"
