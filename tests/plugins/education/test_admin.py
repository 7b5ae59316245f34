"""The 教育 menu: the education clerks and the county admin open every view, nobody else does;
the 随迁子女 form goes through the same service as the API and shows its Chinese refusal;
the 入学资格名单 page lists a school year; the 参数 form adds a value."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape
from typing import Any

import pytest
from sqlalchemy import select

from core.db import db
from core.models import AuditEvent, ParameterValue
from plugins.education.models import Child

from .conftest import last_event, login, make_id, rows

D = dt.date
VIEWS = ["/admin/education_children/", "/admin/education_enrolment/",
         "/admin/education_parameters/", "/admin/education_explanations/"]


def text_of(html: str) -> str:
    return unescape(re.sub(r"\s+", " ", re.sub(r"(?s)<[^>]+>", " ", html)))


def test_the_education_clerk_sees_its_menu_and_views(web: Any, users: Any) -> None:
    client = login(web, users, "dept_clerk", "dept-education")
    menu = client.get("/admin/").text
    assert "教育" in menu
    for name in ("随迁子女", "入学资格名单", "参数", "权益说明"):
        assert name in menu, name
    for url in VIEWS:
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("role, org", [("dept_clerk", "dept-health"),
                                       ("station_clerk", "station-530323001"),
                                       ("police_officer", None), ("auditor", None),
                                       ("assistant", None)])
def test_others_get_403_on_every_view(web: Any, users: Any, role: str, org: str | None) -> None:
    client = login(web, users, role, org)
    for url in VIEWS + ["/admin/education_children/new/"]:
        assert client.get(url).status_code == 403, url


def test_the_county_admin_opens_every_view(web: Any, users: Any) -> None:
    client = login(web, users, "county_admin")
    for url in VIEWS + ["/admin/education_children/new/"]:
        assert client.get(url).status_code == 200, url


def form(holder: Any, **kw: Any) -> dict[str, str]:
    birth = kw.pop("birth", D(2020, 3, 15))
    return {"holder_id_number": holder.id_number, "name": "张子涵", "sex": "male",
            "birth_date": birth.isoformat(), "id_number": make_id("530302", birth, 9, "male"),
            "relation": "son", **kw}


def test_the_form_registers_a_child_through_the_service(web: Any, users: Any, edu: Any) -> None:
    holder = edu.holder()
    client = login(web, users, "dept_clerk", "dept-education")
    page = client.get("/admin/education_children/new/")
    assert page.status_code == 200 and "持证人公民身份号码" in page.text and "被监护人" in page.text
    events = rows(AuditEvent)
    r = client.post("/admin/education_children/new/", data=form(holder))
    assert r.status_code == 302, text_of(r.text)[:500]
    child = db.session.scalars(select(Child)).one()
    assert (child.holder_id, child.name, child.birth_date, child.relation) == \
        (holder.id, "张子涵", D(2020, 3, 15), "son")
    assert rows(AuditEvent) == events + 1  # once, by the service (not again by the view)
    assert last_event().action == "education_child.create"
    listing = text_of(client.get("/admin/education_children/").text)
    assert "张子涵" in listing and "子" in listing and "男" in listing
    assert "male" not in listing and "son" not in listing  # no English codes shown
    assert holder.id_number not in listing  # the parent's number is masked


@pytest.mark.parametrize("change, says", [
    (dict(birth=D(1985, 1, 1)), "不晚于持证人"),  # the child older than the parent
    (dict(id_number="530302202003151613"), "校验位错误"),
    (dict(holder_id_number="530302199003070000"), "持证人公民身份号码"),
    (dict(relation="daughter"), "不一致"),
])
def test_a_bad_value_shows_the_chinese_error_and_writes_nothing(web: Any, users: Any, edu: Any,
                                                               change: dict, says: str) -> None:
    holder = edu.holder()
    client = login(web, users, "dept_clerk", "dept-education")
    events = rows(AuditEvent)
    r = client.post("/admin/education_children/new/", data=form(holder, **change))
    assert r.status_code == 200
    assert says in text_of(r.text)
    assert rows(Child) == 0 and rows(AuditEvent) == events


def test_no_edit_of_a_registered_child(web: Any, users: Any, edu: Any) -> None:
    holder = edu.holder()
    child = edu.child(holder, D(2020, 3, 15))
    client = login(web, users, "dept_clerk", "dept-education")
    assert client.get(f"/admin/education_children/edit/?id={child.id}").status_code in (302, 403)
    r = client.post(f"/admin/education_children/edit/?id={child.id}",
                    data=form(holder, name="改名"))
    assert r.status_code in (302, 403)
    db.session.expire_all()
    assert db.session.get(Child, child.id).name == "张小明"


def test_the_enrolment_page_lists_a_school_year(web: Any, users: Any, edu: Any) -> None:
    holder = edu.holder()
    edu.permit(holder, issued_on=D(2026, 1, 15))
    edu.child(holder, D(2020, 8, 31), name="张一")
    edu.child(holder, D(2025, 11, 14), name="张三")  # too young: not listed
    client = login(web, users, "dept_clerk", "dept-education")
    page = text_of(client.get("/admin/education_enrolment/?school_year=2026").text)
    assert "2026—2027学年" in page and "2026年8月31日" in page and "2026年9月1日" in page
    assert "张一" in page and "张三" not in page and "义务教育" in page and "共 1 名" in page
    assert "compulsory" not in page.split("查询", 1)[-1]
    preschool = text_of(
        client.get("/admin/education_enrolment/?school_year=2026&stage=preschool").text)
    assert "张一" not in preschool and "没有符合条件的随迁子女" in preschool
    bad = text_of(client.get("/admin/education_enrolment/?school_year=abc").text)
    assert "学年应为2016至2100之间的年份" in bad


def test_the_parameter_form_adds_a_value(web: Any, users: Any) -> None:
    from core.clock import today

    client = login(web, users, "dept_clerk", "dept-education")
    listing = text_of(client.get("/admin/education_parameters/").text)
    assert "义务教育入学年龄" in listing and "《中华人民共和国义务教育法》第十一条" in listing
    bad = client.post("/admin/education_parameters/new/", data={
        "name": "education.compulsory_age_min", "start_on": today().isoformat(), "value": "-1",
        "source": "测试"})
    assert "小于下限0岁" in text_of(bad.text)
    ok = client.post("/admin/education_parameters/new/", data={
        "name": "education.school_year_cutoff", "start_on": today().isoformat(),
        "value": "8-31", "source": "师宗县教育体育局通知（测试）"})
    assert ok.status_code == 302
    row = db.session.scalars(select(ParameterValue)).one()
    assert (row.name, row.value) == ("education.school_year_cutoff", "08-31")
