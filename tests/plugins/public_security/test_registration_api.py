"""POST /registrations and GET /registrations/{id} (《办法》第十条、第五条、第二条)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import func, select

from core import api as kernel
from core.db import db
from core.models import AuditEvent, Residence
from plugins.public_security.models import Registration

from .conftest import DANFENG, DANFENG_CODE, XIONGBI, XIONGBI_CODE

YANGYUE_CODE = "530323002001"  # 漾月街道, a county-seat subdistrict like 丹凤


def counts() -> tuple[int, ...]:
    """Registration, Residence and AuditEvent rows: unchanged after any refusal."""
    return tuple(db.session.scalar(select(func.count()).select_from(m))
                 for m in (Registration, Residence, AuditEvent))


def body(holder: Any, **kw: Any) -> dict[str, Any]:
    return {"holder_id": holder.id, "arrival_date": "2026-09-30",
            "residence_address": "丹凤街道翠云社区3号", "residence_division_code": DANFENG_CODE,
            "registered_on": "2026-10-13", **kw}


def local(ps: Any, township: str, **kw: Any) -> Any:
    """A holder whose hukou is in one of the county's townships."""
    return ps.holder(region="530323", hukou_division_code=f"{township}001",
                     hukou_address="云南省曲靖市师宗县", **kw)


# ------------------------------------------------------------------ deadline (DESIGN §3)

def test_design_example_registered_on_the_deadline_is_on_time(
        ps: Any, api: Any, clerk: Any,
) -> None:
    holder = ps.holder()
    res = api("POST", "/registrations", clerk[1], body(holder))
    assert res.status_code == 201, res.json
    out = res.json
    assert out["deadline"] == "2026-10-13" and out["on_time"] is True
    assert out["provisional"] is False and out["floating"] is True
    assert out["receipt_number"] == "DJ5303230012026000001"
    assert out["station"] == DANFENG
    assert out["receipt_url"] == f"/api/v1/registrations/{out['id']}/receipt"
    assert "外" in out["reason"] or "本省其他县" in out["reason"]
    assert "第二条" in out["reason"]
    reg = db.session.get(Registration, out["id"])
    assert reg.reported_by_id == clerk[0].id and reg.reporter_org_id is None


def test_design_example_registered_the_day_after_is_late_but_accepted(
        ps: Any, api: Any, clerk: Any,
) -> None:
    res = api("POST", "/registrations", clerk[1], body(ps.holder(), registered_on="2026-10-14"))
    assert res.status_code == 201, res.json
    assert res.json["deadline"] == "2026-10-13" and res.json["on_time"] is False


def test_a_2027_deadline_is_provisional(ps: Any, api: Any, clerk: Any, monkeypatch: Any) -> None:
    # The test DB has no CalendarDay rows and chinese-calendar stops at 2026: the deadline
    # comes from the statutory fallback (春节 2027-02-05…02-08 skipped). The clock is pinned
    # so that a 2027 registration date is not in the future.
    monkeypatch.setattr(kernel, "today", lambda: dt.date(2027, 3, 1))
    res = api("POST", "/registrations", clerk[1],
              body(ps.holder(), arrival_date="2027-02-01", registered_on="2027-02-10"))
    assert res.status_code == 201, res.json
    assert res.json["deadline"] == "2027-02-10"
    assert res.json["provisional"] is True and res.json["on_time"] is True


def test_registered_on_defaults_to_today(ps: Any, api: Any, clerk: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(kernel, "today", lambda: dt.date(2026, 10, 14))
    payload = body(ps.holder())
    del payload["registered_on"]
    res = api("POST", "/registrations", clerk[1], payload)
    assert res.status_code == 201, res.json
    assert res.json["registered_on"] == "2026-10-14" and res.json["on_time"] is False


def test_registered_on_in_the_future_is_refused(
        ps: Any, api: Any, clerk: Any, monkeypatch: Any,
) -> None:
    monkeypatch.setattr(kernel, "today", lambda: dt.date(2026, 10, 12))
    holder = ps.holder()
    before = counts()
    res = api("POST", "/registrations", clerk[1], body(holder))
    assert res.status_code == 422
    assert res.json["error"] == "date_in_future" and "registered_on" in res.json["fields"]
    assert "登记日期" in res.json["message"] and "第十条" in res.json["message"]
    assert counts() == before


def test_arrival_after_registration_is_refused_naming_both_dates(
        ps: Any, api: Any, clerk: Any,
) -> None:
    holder = ps.holder()
    before = counts()
    res = api("POST", "/registrations", clerk[1],
              body(holder, arrival_date="2026-10-14", registered_on="2026-10-13"))
    assert res.status_code == 422
    assert res.json["error"] == "arrival_after_registration"
    assert list(res.json["fields"]) == ["arrival_date"]
    msg = res.json["message"]
    assert "到达日期" in msg and "登记日期" in msg and "《办法》第十条" in msg
    assert counts() == before


@pytest.mark.parametrize("payload, field", [
    ({"arrival_date": "2026-13-01"}, "arrival_date"),
    ({"arrival_date": "30/09/2026"}, "arrival_date"),
    ({"residence_division_code": "123"}, "residence_division_code"),
    ({"residence_address": ""}, "residence_address"),
])
def test_malformed_input_is_422_naming_the_field(
        ps: Any, api: Any, clerk: Any, payload: Any, field: Any,
) -> None:
    holder = ps.holder()
    before = counts()
    res = api("POST", "/registrations", clerk[1], body(holder, **payload))
    assert res.status_code == 422 and field in res.json["fields"], res.json
    assert counts() == before


def test_unknown_holder_is_422_on_holder_id(api: Any, clerk: Any) -> None:
    before = counts()
    res = api("POST", "/registrations", clerk[1], body(type("H", (), {"id": 999999})()))
    assert res.status_code == 422
    assert res.json["error"] == "holder_not_found" and "holder_id" in res.json["fields"]
    assert counts() == before


# ------------------------------------------------------------- floating or not (第二条)

def test_same_township_is_not_floating(ps: Any, api: Any, clerk: Any) -> None:
    holder = local(ps, "530323001")
    before = counts()
    res = api("POST", "/registrations", clerk[1], body(holder))
    assert res.status_code == 422
    assert res.json["error"] == "not_floating_population"
    assert res.json["fields"] == {"residence_division_code": [res.json["message"]]}
    assert "丹凤街道" in res.json["message"] and "不属于流动人口" in res.json["message"]
    assert "第二条" in res.json["message"]
    assert counts() == before


def test_county_seat_subdistrict_to_another_is_not_floating(ps: Any, api: Any, admin: Any) -> None:
    res = api("POST", "/registrations", admin[1],
              body(local(ps, "530323001"), residence_division_code=YANGYUE_CODE))
    assert res.status_code == 422 and res.json["error"] == "not_floating_population"
    assert "县城区跨街道" in res.json["message"]


def test_from_a_town_to_the_county_seat_is_floating(ps: Any, api: Any, clerk: Any) -> None:
    res = api("POST", "/registrations", clerk[1], body(local(ps, "530323102")))
    assert res.status_code == 201, res.json
    assert "雄壁镇" in res.json["reason"] and "丹凤街道" in res.json["reason"]


@pytest.mark.parametrize("role, org", [("station_clerk", XIONGBI), ("dept_clerk", "dept-education"),
                                       ("auditor", None)])
def test_outside_the_county_is_422_whoever_sends_it(
        ps: Any, api: Any, users: Any, role: Any, org: Any,
) -> None:
    _, token = users(role, org)
    holder = ps.holder()
    before = counts()
    res = api("POST", "/registrations", token,
              body(holder, residence_division_code="530302001001"))
    assert res.status_code == 422
    assert res.json["error"] == "outside_county"
    assert "residence_division_code" in res.json["fields"]
    assert counts() == before


def test_residence_code_without_township_is_refused(ps: Any, api: Any, clerk: Any) -> None:
    res = api("POST", "/registrations", clerk[1],
              body(ps.holder(), residence_division_code="530323"))
    assert res.status_code == 422 and res.json["error"] == "residence_township_required"


# ----------------------------------------------------------------------- who may register

def test_a_clerk_of_another_station_gets_403_naming_the_right_station(
        ps: Any, api: Any, users: Any,
) -> None:
    _, token = users("station_clerk", XIONGBI)
    holder = ps.holder()
    before = counts()
    res = api("POST", "/registrations", token, body(holder))
    assert res.status_code == 403
    assert "丹凤派出所" in res.json["message"]
    assert counts() == before  # the act was rolled back, receipt number included
    ok = api("POST", "/registrations", token,
             body(holder, residence_division_code=XIONGBI_CODE, residence_address="雄壁镇1号"))
    assert ok.status_code == 201 and ok.json["station"] == XIONGBI
    assert ok.json["receipt_number"] == "DJ5303231022026000001"


def test_an_assistant_may_register_anywhere(ps: Any, api: Any, users: Any) -> None:
    user, token = users("assistant")
    res = api("POST", "/registrations", token, body(ps.holder()))
    assert res.status_code == 201, res.json
    reg = db.session.get(Registration, res.json["id"])
    assert reg.reported_by_id == user.id
    assert res.json["id_number"].count("*") == 8  # an assistant sees masked ID numbers


@pytest.mark.parametrize("role, org", [("auditor", None), ("police_officer", None),
                                       ("dept_clerk", "dept-education")])
def test_other_roles_get_403_with_valid_input(
        ps: Any, api: Any, users: Any, role: Any, org: Any,
) -> None:
    _, token = users(role, org)
    holder = ps.holder()
    before = counts()
    assert api("POST", "/registrations", token, body(holder)).status_code == 403
    assert counts() == before


def test_no_token_is_401(ps: Any, api: Any) -> None:
    assert api("POST", "/registrations", None, body(ps.holder())).status_code == 401


# --------------------------------------------------------------------- residence history

def test_registration_closes_the_previous_residence(ps: Any, api: Any, clerk: Any) -> None:
    holder = ps.holder()
    old = ps.registration(holder, station_code=XIONGBI, division_code=XIONGBI_CODE,
                          arrival=dt.date(2026, 1, 5), registered_on=dt.date(2026, 1, 6))
    res = api("POST", "/registrations", clerk[1], body(holder))
    assert res.status_code == 201, res.json
    history = db.session.scalars(select(Residence).where(Residence.holder_id == holder.id)
                                 .order_by(Residence.from_date)).all()
    assert [(r.division_code, r.from_date, r.to_date) for r in history] == [
        (XIONGBI_CODE, dt.date(2026, 1, 5), dt.date(2026, 9, 30)),
        (DANFENG_CODE, dt.date(2026, 9, 30), None),
    ]
    new = db.session.get(Registration, res.json["id"])
    assert new.residence_id == history[1].id and old.residence_id == history[0].id
    event = db.session.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc())).first()
    assert event.action == "registration.create" and event.entity_id == str(new.id)
    assert event.new["closed_residence_ids"] == [history[0].id]


def test_arrival_before_the_current_residence_began_is_refused(
        ps: Any, api: Any, clerk: Any,
) -> None:
    holder = ps.holder()
    ps.registration(holder, arrival=dt.date(2026, 10, 1), registered_on=dt.date(2026, 10, 2))
    before = counts()
    res = api("POST", "/registrations", clerk[1], body(holder))
    assert res.status_code == 422
    assert res.json["error"] == "arrival_before_current_residence"
    assert "arrival_date" in res.json["fields"]
    assert counts() == before


def test_receipt_numbers_count_on_per_station_and_year(ps: Any, api: Any, clerk: Any) -> None:
    first = api("POST", "/registrations", clerk[1], body(ps.holder()))
    second = api("POST", "/registrations", clerk[1], body(ps.holder()))
    assert [first.json["receipt_number"], second.json["receipt_number"]] == [
        "DJ5303230012026000001", "DJ5303230012026000002"]


# ------------------------------------------------------------------ GET /registrations/id

def test_read_by_police_roles_and_the_reporting_assistant_only(
        ps: Any, api: Any, users: Any, clerk: Any,
) -> None:
    _, reporter = users("assistant")
    _, other_assistant = users("assistant")
    reg_id = api("POST", "/registrations", reporter, body(ps.holder())).json["id"]
    for role, org in (("police_officer", None), ("station_clerk", XIONGBI), ("county_admin", None)):
        res = api("GET", f"/registrations/{reg_id}", users(role, org)[1])
        assert res.status_code == 200 and res.json["id_number"].count("*") == 0
    assert api("GET", f"/registrations/{reg_id}", reporter).status_code == 200
    assert api("GET", f"/registrations/{reg_id}", other_assistant).status_code == 403
    assert api("GET", f"/registrations/{reg_id}", users("auditor")[1]).status_code == 403
    assert api("GET", "/registrations/999999", clerk[1]).status_code == 404
