"""The 民政 menu: opened by 民政's clerks and the county admin only; the forms go through the
services (one audit event each), show refusals in Chinese beside the field and write
nothing then; the meeting's decision is an edit of the application."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape
from typing import Any

import pytest
from sqlalchemy import func, select

from core.db import db
from core.models import AuditEvent
from plugins.civil_affairs.models import Election, VoterApplication
from tests.support import login

D = dt.date
VIEWS = ["civil_affairs_elections", "civil_affairs_voter_applications",
         "civil_affairs_parameters", "civil_affairs_explanations"]


def count(model: type) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


def table_of(html: str) -> str:
    match = re.search(r'(?s)<table class="[^"]*model-list[^"]*">(.*?)</table>', html)
    assert match, "no list table"
    return unescape(re.sub(r"\s+", " ", re.sub(r"(?s)<[^>]+>", " ", match.group(1))))


@pytest.mark.parametrize("role, org, status", [
    ("dept_clerk", "dept-civil-affairs", 200), ("county_admin", None, 200),
    ("dept_clerk", "dept-hrss", 403), ("station_clerk", "station-530323001", 403),
    ("auditor", None, 403),
])
def test_who_opens_the_views(web: Any, users: Any, role: str, org: str | None,
                             status: int) -> None:
    client = login(web, users, role, org)
    for endpoint in VIEWS:
        assert client.get(f"/admin/{endpoint}/").status_code == status, endpoint
    assert (">民政<" in client.get("/admin/").text.replace("\n", "").replace(" ", "")) \
        is (status == 200)


def test_an_election_through_the_form(web: Any, users: Any) -> None:
    client = login(web, users, "dept_clerk", "dept-civil-affairs")
    assert "报名截止日期" in client.get("/admin/civil_affairs_elections/new/").text
    events = count(AuditEvent)
    data = {"name": "雄壁镇演示村第十二届村民委员会换届选举", "kind": "village",
            "division_code": "530323102201", "held_on": "2027-03-20",
            "registration_closes_on": "2027-02-28"}
    bad = client.post("/admin/civil_affairs_elections/new/",
                      data={**data, "division_code": "530323102001"})
    assert bad.status_code == 200 and "村民委员会的代码末三位应为200至399" in unescape(bad.text)
    assert count(Election) == 0 and count(AuditEvent) == events
    assert client.post("/admin/civil_affairs_elections/new/", data=data).status_code == 302
    assert count(Election) == 1 and count(AuditEvent) == events + 1
    listing = table_of(client.get("/admin/civil_affairs_elections/").text)
    assert "村民委员会" in listing and "530323102201（雄壁镇）" in listing
    assert "village" not in listing


def test_an_application_and_the_meetings_decision(web: Any, users: Any, ca: Any) -> None:
    election = ca.election(held_on=D(2027, 3, 20))
    holder = ca.holder(D(1990, 3, 7), name="赵强")
    ca.permit(holder, D(2026, 1, 15), since=D(2025, 7, 1), valid_until=D(2028, 1, 15))
    client = login(web, users, "county_admin")
    form = client.get("/admin/civil_affairs_voter_applications/new/")
    assert election.name in form.text
    events = count(AuditEvent)
    data = {"election": str(election.id), "holder_id_number": holder.id_number,
            "applied_on": "2027-01-10", "note": ""}
    late = client.post("/admin/civil_affairs_voter_applications/new/",
                       data={**data, "applied_on": "2027-03-10"})
    assert "申请日期：2027年3月10日晚于报名截止日期2027年2月28日" in unescape(late.text)
    assert count(VoterApplication) == 0 and count(AuditEvent) == events
    assert client.post("/admin/civil_affairs_voter_applications/new/", data=data).status_code == 302
    application = db.session.scalars(select(VoterApplication)).one()
    assert application.eligible is True and count(AuditEvent) == events + 1
    twice = client.post("/admin/civil_affairs_voter_applications/new/", data=data)
    assert "不能重复申请" in unescape(twice.text) and count(VoterApplication) == 1
    listing = table_of(client.get("/admin/civil_affairs_voter_applications/").text)
    assert "赵强" in listing and "符合" in listing and "待定" in listing
    details = client.get(f"/admin/civil_affairs_voter_applications/details/?id={application.id}")
    assert "《宪法》第三十四条" in unescape(details.text)
    # the meeting's decision: refused before the application, then recorded
    url = f"/admin/civil_affairs_voter_applications/edit/?id={application.id}"
    edit = client.get(url)
    assert edit.status_code == 200 and "村民会议（村民代表会议）决定" in edit.text
    assert re.findall(r"<option selected[^>]*>([^<]*)", edit.text) == ["待村民会议（村民代表会议）决定"]
    early = client.post(url, data={"decision": "yes", "approved_on": "2027-01-01"})
    assert "决定日期：2027年1月1日早于申请日期2027年1月10日" in unescape(early.text)
    done = client.post(url, data={"decision": "yes", "approved_on": "2027-02-10"})
    assert done.status_code == 302
    db.session.expire_all()
    application = db.session.get(VoterApplication, application.id)
    assert (application.approved, application.approved_on) == (True, D(2027, 2, 10))
    event = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert event.action == "civil_affairs_voter_application.decide"
    assert "同意" in table_of(client.get("/admin/civil_affairs_voter_applications/").text)
