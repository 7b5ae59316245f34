"""GET /registrations/overdue: late registrations and people reported by a third party but
never registered (《办法》第十条), per station."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from core.db import db
from plugins.public_security import registration

from .conftest import DANFENG, DANFENG_CODE, XIONGBI, XIONGBI_CODE, make_id

PERSON = make_id("530381", dt.date(1991, 1, 9), 7, "male")  # reported, not yet a holder
AS_OF = "2026-11-02"
DF_PREMISES = "530323001002"


def register(api: Any, token: str, holder: Any, arrival: str, registered: str,
             code: str = DANFENG_CODE) -> dict[str, Any]:
    res = api("POST", "/registrations", token, {
        "holder_id": holder.id, "arrival_date": arrival, "residence_address": "某社区1号",
        "residence_division_code": code, "registered_on": registered})
    assert res.status_code == 201, res.json
    return res.json


def report(api: Any, token: str, id_number: str, contract: str, premises: str | None) -> int:
    payload = {"reporter_kind": "employer", "reporter_name": "某公司", "holder_id_number": id_number,
               "contract_date": contract, "reported_on": contract}
    if premises:
        payload["premises_division_code"] = premises
    res = api("POST", "/third-party-reports", token, payload)
    assert res.status_code == 201, res.json
    return res.json["id"]


@pytest.fixture
def world(ps: Any, api: Any, admin: Any) -> dict[str, Any]:
    """Two stations' worth of late, on-time, reported and followed-up people."""
    token = admin[1]
    a, b, c, d, e, f = (ps.holder(name=n) for n in ("甲", "乙", "丙", "丁", "戊", "己"))
    late_df = register(api, token, a, "2026-09-30", "2026-10-14")       # 1 day late, 丹凤
    register(api, token, b, "2026-09-30", "2026-10-13")                 # on time: not listed
    late_xb = register(api, token, c, "2026-09-30", "2026-10-20", XIONGBI_CODE)  # 雄壁
    report(api, token, PERSON, "2026-09-01", DF_PREMISES)               # deadline 09-08
    report(api, token, d.id_number, "2026-09-02", XIONGBI_CODE)         # deadline 09-09
    report(api, token, e.id_number, "2026-09-01", DF_PREMISES)
    register(api, token, e, "2026-09-01", "2026-09-05")                 # followed up
    report(api, token, f.id_number, "2026-10-01", DF_PREMISES)          # deadline 10-13
    register(api, token, f, "2026-09-18", "2026-09-21")                 # before the contract
    report(api, token, make_id("110101", dt.date(1980, 5, 5), 3, "female"), "2026-09-03", None)
    return {"late_df": late_df, "late_xb": late_xb, "f": f}


def overdue(api: Any, token: str, **query: str) -> Any:
    qs = "&".join(f"{k}={v}" for k, v in {"as_of": AS_OF, **query}.items())
    return api("GET", f"/registrations/overdue?{qs}", token)


def test_county_wide_list_has_both_kinds(world: Any, api: Any, admin: Any) -> None:
    res = overdue(api, admin[1])
    assert res.status_code == 200, res.json
    assert res.json["as_of"] == AS_OF and res.json["station"] is None
    items = res.json["items"]
    assert [(i["kind"], i["station"], i["name"], i["due"], i["days_late"]) for i in items] == [
        ("never_registered", DANFENG, None, "2026-09-08", 55),
        ("never_registered", XIONGBI, "丁", "2026-09-09", 54),
        ("never_registered", None, None, "2026-09-10", 53),      # no premises: county PSB
        ("never_registered", DANFENG, "己", "2026-10-13", 20),   # registered before contract
        ("late_registration", XIONGBI, "丙", "2026-10-13", 7),
        ("late_registration", DANFENG, "甲", "2026-10-13", 1),
    ]
    first, late = items[0], items[-1]
    assert first["id_number"] == PERSON and first["holder_id"] is None
    assert first["done_on"] is None and first["source"] == "用人单位：某公司"
    assert late["done_on"] == "2026-10-14"
    assert late["source"] == world["late_df"]["receipt_number"]


def test_a_station_sees_only_its_own(
        world: Any, api: Any, admin: Any, clerk: Any, users: Any,
) -> None:
    expected = [("never_registered", "2026-09-08"), ("never_registered", "2026-10-13"),
                ("late_registration", "2026-10-13")]
    for token, query in ((admin[1], {"station": DANFENG}), (clerk[1], {})):
        res = overdue(api, token, **query)
        assert res.status_code == 200 and res.json["station"] == DANFENG
        assert [(i["kind"], i["due"]) for i in res.json["items"]] == expected
        assert {i["station"] for i in res.json["items"]} == {DANFENG}
    police = overdue(api, users("police_officer")[1], station=XIONGBI)
    assert police.status_code == 200
    assert [i["name"] for i in police.json["items"]] == ["丁", "丙"]


def test_a_clerk_may_not_read_another_station(world: Any, api: Any, clerk: Any, users: Any) -> None:
    assert overdue(api, clerk[1], station=XIONGBI).status_code == 403
    res = overdue(api, clerk[1], station="station-999")
    assert res.status_code == 422 and "station" in res.json["fields"]
    for role, org in (("dept_clerk", "dept-education"), ("auditor", None), ("assistant", None)):
        assert overdue(api, users(role, org)[1]).status_code == 403


def test_a_report_drops_off_once_the_person_registers(
        world: Any, api: Any, admin: Any, ps: Any,
) -> None:
    person = ps.holder(name="庚", id_number=PERSON, birth_date=dt.date(1991, 1, 9))
    register(api, admin[1], person, "2026-11-03", "2026-11-04")
    after = overdue(api, admin[1], as_of="2026-11-10").json["items"]
    assert PERSON not in [i["id_number"] for i in after]
    # as it stood before the registration, the person was still overdue
    before = overdue(api, admin[1]).json["items"]
    assert before[0]["id_number"] == PERSON and before[0]["name"] == "庚"


def test_before_the_deadline_passes_nothing_is_listed(world: Any, api: Any, admin: Any) -> None:
    assert overdue(api, admin[1], as_of="2026-09-08").json["items"] == []


def test_the_service_caps_the_list(world: Any) -> None:
    items = registration.overdue(db.session, None, dt.date(2026, 11, 2), limit=5)
    assert [i.kind for i in items] == ["never_registered"] * 4 + ["late_registration"]
    assert items[-1].name == "丙"
    assert registration.overdue(db.session, None, dt.date(2026, 11, 2), limit=3)[-1].due \
        == dt.date(2026, 9, 10)
