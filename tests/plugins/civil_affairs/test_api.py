"""/api/v1/civil_affairs: elections, applications with the decision on the election day
(the same as GET /holders/{id}/entitlements that day), 409 twice, 422 late or bad input in
Chinese with nothing written, the meeting's decision, the list of voters, who may call."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import func, select

from core.db import db
from core.models import AuditEvent
from core.rules import mask_id_number
from plugins.civil_affairs.models import Election, VoterApplication

D = dt.date
HELD = D(2027, 3, 20)


def count(model: type, *where: Any) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def last_event() -> AuditEvent:
    return db.session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()


@pytest.fixture
def clerk(users: Any) -> str:
    return users("dept_clerk", "dept-civil-affairs")[1]


ELECTION = {"name": "雄壁镇演示村第十二届村民委员会换届选举", "division_code": "530323102201",
            "kind": "village", "held_on": "2027-03-20", "registration_closes_on": "2027-02-28"}


def test_an_election_is_created_audited_and_listed(api: Any, clerk: str) -> None:
    events = count(AuditEvent)
    resp = api("POST", "/civil_affairs/elections", clerk, ELECTION)
    assert resp.status_code == 201, resp.json
    assert resp.json["kind_name"] == "村民委员会" and resp.json["applications"] == 0
    assert count(AuditEvent) == events + 1
    assert last_event().action == "civil_affairs_election.create"
    assert last_event().new["division_code"] == "530323102201"
    listing = api("GET", "/civil_affairs/elections", clerk)
    assert [e["name"] for e in listing.json] == [ELECTION["name"]]


@pytest.mark.parametrize("changes, field, words", [
    ({"division_code": "530302001201"}, "division_code", "不是本县乡镇（街道）下的村（社区）代码"),
    ({"division_code": "530323102001"}, "division_code", "村民委员会的代码末三位应为200至399"),
    ({"division_code": "5303231022"}, "division_code", "应为12位村（社区）统计用区划代码"),
    ({"registration_closes_on": "2027-03-21"}, "registration_closes_on", "晚于选举日2027年3月20日"),
    ({"kind": "county"}, "kind", "选举类别：取值无效"),
    ({"held_on": "2027-02-30"}, "held_on", "选举日：不是有效的日期"),
])
def test_bad_elections_are_422_and_write_nothing(api: Any, clerk: str, changes: dict[str, Any],
                                                 field: str, words: str) -> None:
    events = count(AuditEvent)
    resp = api("POST", "/civil_affairs/elections", clerk, {**ELECTION, **changes})
    assert resp.status_code == 422, resp.json
    assert any(words in m for m in resp.json["fields"][field]), resp.json
    assert count(Election) == 0 and count(AuditEvent) == events


def test_an_application_stores_the_decision_on_the_election_day(ca: Any, api: Any,
                                                                 clerk: str) -> None:
    election = ca.election(held_on=HELD, kind="village", division_code="530323102201")
    holder = ca.holder(D(1990, 3, 7))
    ca.permit(holder, D(2026, 6, 1), since=D(2026, 3, 1))  # one year on 2027-03-01
    events = count(AuditEvent)
    resp = api("POST", f"/civil_affairs/elections/{election.id}/applications", clerk,
               {"holder_id": holder.id, "applied_on": "2027-01-10", "note": "本人申请"})
    assert resp.status_code == 201, resp.json
    body = resp.json
    assert body["eligible"] is True and body["approved"] is None
    assert [r["code"] for r in body["reasons"]] == ["permit", "voting_age", "residence_years",
                                                    "application"]
    # the same decision the entitlements API gives on the election day
    same = api("GET", f"/holders/{holder.id}/entitlements?as_of={HELD}", clerk).json
    art = next(i for i in same["items"] if i["code"] == "art18.1")
    assert body["reasons"] == art["reasons"] and body["parameters"] == art["parameters"]
    assert count(VoterApplication) == 1 and count(AuditEvent) == events + 1
    event = last_event()
    assert event.action == "civil_affairs_voter_application.create"
    assert event.new["eligible"] is True and event.org == "dept-civil-affairs"
    # twice: 409, nothing more written
    again = api("POST", f"/civil_affairs/elections/{election.id}/applications", clerk,
                {"holder_id": holder.id, "applied_on": "2027-01-11"})
    assert again.status_code == 409 and again.json["error"] == "already_applied"
    assert again.json["application_id"] == body["id"] and "不能重复申请" in again.json["message"]
    assert count(VoterApplication) == 1 and count(AuditEvent) == events + 1


def test_an_ineligible_applicant_is_recorded_with_the_reasons(ca: Any, api: Any,
                                                              clerk: str) -> None:
    election = ca.election(held_on=HELD)
    young = ca.holder(D(2009, 3, 21))  # 18 on 2027-03-21, the day after the election
    ca.permit(young, D(2026, 1, 15), since=D(2025, 1, 1), valid_until=D(2028, 1, 15))
    resp = api("POST", f"/civil_affairs/elections/{election.id}/applications", clerk,
               {"holder_id": young.id, "applied_on": "2027-02-01"})
    assert resp.status_code == 201 and resp.json["eligible"] is False
    assert not resp.json["reasons"][1]["passed"] and "未满18周岁" in resp.json["reasons"][1]["text"]
    nobody = ca.holder(D(1990, 3, 7))  # no permit at all
    resp = api("POST", f"/civil_affairs/elections/{election.id}/applications", clerk,
               {"holder_id": nobody.id, "applied_on": "2027-02-01"})
    assert resp.status_code == 201 and resp.json["eligible"] is False
    assert resp.json["reasons"][0]["code"] == "permit" and not resp.json["reasons"][0]["passed"]


@pytest.mark.parametrize("body, field, words", [
    ({"applied_on": "2027-03-01"}, "applied_on", "申请日期：2027年3月1日晚于报名截止日期2027年2月28日"),
    ({"applied_on": "2027-3-1"}, "applied_on", "日期格式应为 YYYY-MM-DD"),
    ({"holder_id": 999999}, "holder_id", "持证人：编号为999999的持证人不存在"),
    ({"holder_id": 0}, "holder_id", "持证人编号：数值过小"),
])
def test_bad_applications_are_422_and_write_nothing(ca: Any, api: Any, clerk: str,
                                                    body: dict[str, Any], field: str,
                                                    words: str) -> None:
    election = ca.election(held_on=HELD)
    holder = ca.holder()
    events = count(AuditEvent)
    resp = api("POST", f"/civil_affairs/elections/{election.id}/applications", clerk,
               {"holder_id": holder.id, "applied_on": "2027-01-10", **body})
    assert resp.status_code == 422, resp.json
    assert any(words in m for m in resp.json["fields"][field]), resp.json
    assert count(VoterApplication) == 0 and count(AuditEvent) == events
    assert api("POST", "/civil_affairs/elections/999/applications", clerk,
               {"holder_id": holder.id, "applied_on": "2027-01-10"}).status_code == 404


def test_the_voters_are_the_approved_and_eligible(ca: Any, api: Any, clerk: str,
                                                  users: Any) -> None:
    election = ca.election(held_on=HELD)
    ids = {}
    for name, since in (("张伟", D(2025, 1, 1)), ("王建国", D(2026, 6, 1)), ("李娜", D(2025, 1, 1))):
        holder = ca.holder(D(1980, 5, 5), name=name, sex="female" if name == "李娜" else "male")
        ca.permit(holder, D(2026, 1, 15), since=since, valid_until=D(2028, 1, 15))
        resp = api("POST", f"/civil_affairs/elections/{election.id}/applications", clerk,
                   {"holder_id": holder.id, "applied_on": "2027-01-10"})
        ids[name] = (holder, resp.json["id"], resp.json["eligible"])
    assert {n: e for n, (_h, _i, e) in ids.items()} == {"张伟": True, "王建国": False, "李娜": True}

    def decide(name: str, body: dict[str, Any]) -> Any:
        return api("POST", f"/civil_affairs/elections/{election.id}/applications/"
                           f"{ids[name][1]}/decision", clerk, body)

    events = count(AuditEvent)
    assert decide("张伟", {"approved": True, "approved_on": "2027-02-10"}).status_code == 200
    assert decide("王建国", {"approved": True, "approved_on": "2027-02-10"}).status_code == 200
    refused = decide("李娜", {"approved": True, "approved_on": "2027-03-21"})
    assert refused.status_code == 422 and "approved_on" in refused.json["fields"]
    assert decide("李娜", {"approved": False, "approved_on": "2027-02-10"}).json["approved"] is False
    assert count(AuditEvent) == events + 3
    assert last_event().action == "civil_affairs_voter_application.decide"

    voters = api("GET", f"/civil_affairs/elections/{election.id}/voters", clerk)
    assert voters.status_code == 200
    zhang = ids["张伟"][0]
    assert voters.json == [{"application_id": ids["张伟"][1], "holder_id": zhang.id, "name": "张伟",
                            "id_number": mask_id_number(zhang.id_number),  # masked (DESIGN §5)
                            "applied_on": "2027-01-10",
                            "approved_on": "2027-02-10"}]
    auditor = users("auditor")[1]
    masked = api("GET", f"/civil_affairs/elections/{election.id}/voters", auditor).json
    assert masked[0]["id_number"] == mask_id_number(zhang.id_number) != zhang.id_number
    listing = api("GET", "/civil_affairs/elections", clerk).json
    assert (listing[0]["applications"], listing[0]["voters"]) == (3, 1)
    apps = api("GET", f"/civil_affairs/elections/{election.id}/applications", auditor).json
    assert [a["approved"] for a in apps] == [True, True, False]


def test_who_may_call(ca: Any, api: Any, users: Any, clerk: str) -> None:
    election = ca.election(held_on=HELD)
    holder = ca.holder()
    calls = [("POST", "/civil_affairs/elections", {**ELECTION, "name": "另一次选举"}),
             ("GET", "/civil_affairs/elections", None),
             ("POST", f"/civil_affairs/elections/{election.id}/applications",
              {"holder_id": holder.id, "applied_on": "2027-01-10"}),
             ("GET", f"/civil_affairs/elections/{election.id}/applications", None),
             ("GET", f"/civil_affairs/elections/{election.id}/voters", None)]
    other = users("dept_clerk", "dept-hrss")[1]
    station = users("station_clerk", "station-530323001")[1]
    auditor = users("auditor")[1]
    admin = users("county_admin")[1]
    for method, path, body in calls:
        assert api(method, path, None, body).status_code == 401, path
        assert api(method, path, other, body).status_code == 403, path
        assert api(method, path, station, body).status_code == 403, path
        assert api(method, path, auditor, body).status_code == (403 if method == "POST" else 200)
        assert api(method, path, admin, body).status_code == (201 if method == "POST" else 200)
    assert count(Election) == 2 and count(VoterApplication) == 1
