"""变更 of recorded facts through the API (《办法》第四条): the issuing station, the same
validation as a new holder, old and new values audited, a new card when a printed field
changes (not for the phone)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest
from sqlalchemy import func, select

from core.db import db
from core.models import AuditEvent, Card, Holder, Permit, Residence
from plugins.public_security.changes import diff_facts, facts_of
from plugins.public_security.models import CardReissue, FactChange, SerialUse

from .conftest import DANFENG_CODE, XIONGBI


def counts() -> dict[str, int]:
    return {m.__name__: db.session.scalar(select(func.count()).select_from(m))
            for m in (Card, SerialUse, CardReissue, FactChange, AuditEvent)}


def change(api: Any, token: str, number: str, on: str = "2026-06-01", **fields: Any) -> Any:
    return api("POST", f"/permits/{number}/changes", token, json={"on": on, **fields})


@pytest.fixture
def permit(ps):  # type: ignore[no-untyped-def]
    return ps.permit(issued_on=dt.date(2026, 1, 15))


def test_a_new_name_is_audited_and_makes_a_new_card(permit, clerk, api) -> None:  # type: ignore[no-untyped-def]
    old_serial = permit.live_card.serial
    r = change(api, clerk[1], permit.number, name="张维")
    assert r.status_code == 201, r.json
    assert r.json["changes"] == [{"field": "name", "old": "张伟", "new": "张维"}]
    assert r.json["new_card"] is True and r.json["card_serial"] == old_serial + 1
    db.session.expire_all()
    p = db.session.get(Permit, permit.id)
    assert p.holder.name == "张维" and p.number == permit.number
    assert [c.status for c in p.cards] == ["returned", "live"]
    row = db.session.scalar(select(FactChange))
    assert (row.field, row.old_value, row.new_value, row.on) == (
        "name", "张伟", "张维", dt.date(2026, 6, 1))
    reissue = db.session.get(CardReissue, row.reissue_id)
    assert reissue.reason == "change" and reissue.new_card.serial == old_serial + 1
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "permit.change"))
    assert event.old == {"name": "张伟"}
    assert event.new["name"] == "张维" and event.new["card_serial"] == old_serial + 1


def test_phone_only_keeps_the_card(permit, clerk, api) -> None:  # type: ignore[no-untyped-def]
    serial = permit.live_card.serial
    before = counts()
    r = change(api, clerk[1], permit.number, phone="13800001111")
    assert r.status_code == 201, r.json
    assert r.json["changes"] == [{"field": "phone", "old": "13912345678", "new": "13800001111"}]
    assert r.json["new_card"] is False and r.json["card_serial"] == serial
    after = counts()
    assert (after["Card"], after["CardReissue"], after["FactChange"]) == (
        before["Card"], before["CardReissue"], before["FactChange"] + 1)


def test_several_fields_make_one_card_and_one_row_each(permit, clerk, api) -> None:  # type: ignore[no-untyped-def]
    r = change(api, clerk[1], permit.number, hukou_address="云南省曲靖市沾益区西平街道5号",
               hukou_division_code="530303001000", ethnicity="彝族")
    assert r.status_code == 201, r.json
    assert [c["field"] for c in r.json["changes"]] == ["ethnicity", "hukou_address",
                                                       "hukou_division_code"]
    assert db.session.scalar(select(func.count()).select_from(CardReissue)) == 1
    rows = db.session.scalars(select(FactChange)).all()
    assert len(rows) == 3 and len({r.reissue_id for r in rows}) == 1
    holder = db.session.get(Holder, permit.holder_id)
    db.session.refresh(holder)
    assert (holder.ethnicity, holder.hukou_division_code) == ("彝族", "530303001000")


@pytest.mark.parametrize("fields, error, field", [
    ({"ethnicity": "火星族"}, "ethnicity_invalid", "ethnicity"),
    ({"hukou_division_code": "12345"}, "division_code_format", "hukou_division_code"),
    ({"name": "  "}, "name_required", "name"),
    ({"phone": "12"}, "phone_invalid", "phone"),
    ({"name": "张伟"}, "no_change", "_body"),
    ({}, "no_change", "_body"),
    ({"sex": "female"}, "invalid_input", "sex"),
])
def test_invalid_or_empty_changes_are_422(permit, clerk, api, fields, error, field) -> None:  # type: ignore[no-untyped-def]
    before = counts()
    r = change(api, clerk[1], permit.number, **fields)
    assert r.status_code == 422 and r.json["error"] == error
    assert field in r.json["fields"]
    assert counts() == before


def test_only_the_issuing_station(permit, users, admin, api) -> None:  # type: ignore[no-untyped-def]
    _, other = users("station_clerk", XIONGBI)
    before = counts()
    r = change(api, other, permit.number, name="张维")
    assert r.status_code == 403 and "原办证机关" in r.json["message"]
    assert change(api, other, permit.number, ethnicity="火星族").status_code == 422
    assert change(api, other, permit.number, on="2026-01-01", name="张维").status_code == 422
    assert counts() == before
    assert change(api, admin[1], permit.number, name="张维").status_code == 201


def test_hukou_moved_to_the_residence_is_settlement_not_change(ps, clerk, api) -> None:  # type: ignore[no-untyped-def]
    holder = ps.holder()
    db.session.add(Residence(holder_id=holder.id, address="丹凤街道某社区1号",
                             division_code=DANFENG_CODE, from_date=dt.date(2025, 7, 1)))
    db.session.commit()
    permit = ps.permit(holder)
    before = counts()
    r = change(api, clerk[1], permit.number, hukou_division_code="530323001003",
               hukou_address="师宗县丹凤街道某社区3号")
    assert r.status_code == 422 and r.json["error"] == "not_floating_population"
    assert "注销" in r.json["message"] and "第十九条" in r.json["message"]
    assert counts() == before


def test_revoked_permit_and_detained_card_are_409(permit, clerk, api) -> None:  # type: ignore[no-untyped-def]
    permit.live_card.status = "detained"
    db.session.commit()
    assert change(api, clerk[1], permit.number, name="张维").json["error"] == "card_detained"
    # the phone is not on the card: no card needs handing in
    assert change(api, clerk[1], permit.number, phone="13800001111").status_code == 201
    permit.revoked_on, permit.revocation_reason = dt.date(2026, 7, 1), "持证人死亡（《办法》第二条）"
    db.session.commit()
    r = change(api, clerk[1], permit.number, phone="13800002222")
    assert r.status_code == 409 and r.json["error"] == "permit_revoked"


def test_diff_facts_lists_changed_fields_in_article_order(permit) -> None:  # type: ignore[no-untyped-def]
    current = facts_of(permit.holder)
    proposed = dataclasses.replace(current, phone=None, name="李四", sex="female")
    assert diff_facts(current, proposed) == [("name", "张伟", "李四"),
                                             ("phone", "13912345678", None)]
    assert diff_facts(current, current) == []
