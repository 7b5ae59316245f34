"""The 住房保障 admin menu: who opens it, forms through the services, Chinese refusals."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape
from typing import Any

import pytest
from sqlalchemy import select

from core import api as kernel
from core.db import db
from core.models import AuditEvent
from plugins.housing.models import HousingApplication, HousingFacts

from .conftest import DANFENG, counts, login_as

VIEWS = ["housing_facts", "housing_applications", "housing_parameters", "housing_explanations"]


def text_of(html: str) -> str:
    return unescape(re.sub(r"\s+", " ", re.sub(r"(?s)<[^>]+>", " ", html)))


def table_of(html: str) -> str:
    match = re.search(r'(?s)<table class="[^"]*model-list[^"]*">(.*?)</table>', html)
    return text_of(match.group(1)) if match else ""


def nav(html: str) -> str:
    match = re.search(r"(?s)<nav\b.*?</nav>", html)
    assert match, "no navigation bar"
    return match.group(0)


@pytest.mark.parametrize("role, org, status", [
    ("dept_clerk", "dept-housing", 200), ("county_admin", None, 200),
    ("dept_clerk", "dept-justice", 403), ("station_clerk", DANFENG, 403), ("auditor", None, 403),
])
def test_who_opens_the_housing_views(web: Any, users: Any, role: str, org: str | None,
                                     status: int) -> None:
    client = login_as(web, users, role, org)
    for view in VIEWS:
        assert client.get(f"/admin/{view}/").status_code == status, view
    if status == 200:
        menu = nav(client.get("/admin/housing_facts/").text)
        assert "住房保障" in menu
        for name in ("住房情况", "公租房申请", "参数", "权益说明"):
            assert name in menu


def test_another_departments_clerk_does_not_see_the_menu(web: Any, users: Any) -> None:
    client = login_as(web, users, "dept_clerk", "dept-justice")
    assert "住房情况" not in nav(client.get("/admin/").text)


def facts_form(id_number: str, **kw: str) -> dict[str, str]:
    return {"holder_id_number": id_number, "recorded_on": "2026-03-01",
            "owns_housing_in_county": "yes", "housing_area_sqm": "12.5",
            "insurance_months": "8", "employed": "yes", "monthly_income": "2400", **kw}


def test_the_facts_form_records_a_row_through_the_service(web: Any, users: Any, hf: Any) -> None:
    holder = hf.holder()
    client = login_as(web, users, "dept_clerk", "dept-housing")
    form = client.get("/admin/housing_facts/new/")
    assert form.status_code == 200 and "在本县缴纳社会保险月数" in form.text and "未登记" in form.text
    before = counts()
    r = client.post("/admin/housing_facts/new/", data=facts_form(holder.id_number.lower()))
    assert r.status_code == 302
    assert counts() == (before[0] + 1, before[1], before[2] + 1)  # one row, one audit event
    row = db.session.scalars(select(HousingFacts)).one()
    assert (row.owns_housing_in_county, str(row.housing_area_sqm), row.insurance_months,
            row.employed, str(row.monthly_income)) == (True, "12.50", 8, True, "2400.00")
    event = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert event.action == "housing_facts.create"  # audited once, by the service
    unknown = client.post("/admin/housing_facts/new/",
                          data=facts_form(holder.id_number, owns_housing_in_county="",
                                          housing_area_sqm="", employed=""))
    assert unknown.status_code == 302
    listing = client.get("/admin/housing_facts/")
    table = table_of(listing.text)
    assert "12.50平方米" in table and "未登记" in table and "在业" in table
    assert holder.name in table and holder.id_number not in table  # masked (DESIGN §5)
    assert kernel.rules.mask_id_number(holder.id_number) in table


@pytest.mark.parametrize("change, words", [
    ({"insurance_months": "-1"}, "在本县缴纳社会保险月数：不能为负数"),
    ({"monthly_income": "-5"}, "家庭人均月收入：不能为负数"),
    ({"owns_housing_in_county": "no"}, "在本县无住房时不应填写住房面积"),
    ({"holder_id_number": "530302199003070000"}, "未找到该号码的持证人"),
])
def test_a_bad_value_shows_the_chinese_error_and_writes_nothing(web: Any, users: Any, hf: Any,
                                                                change: dict[str, str],
                                                                words: str) -> None:
    holder = hf.holder()
    client = login_as(web, users, "county_admin")
    before = counts()
    r = client.post("/admin/housing_facts/new/", data=facts_form(holder.id_number, **change))
    assert r.status_code == 200 and words in text_of(r.text)
    assert counts() == before


def test_facts_are_not_edited_or_deleted(web: Any, users: Any, hf: Any) -> None:
    row = hf.facts(hf.holder())
    client = login_as(web, users, "dept_clerk", "dept-housing")
    client.post(f"/admin/housing_facts/edit/?id={row.id}", data={"insurance_months": "1"})
    client.post("/admin/housing_facts/delete/", data={"id": str(row.id)})
    db.session.expire_all()
    assert db.session.get(HousingFacts, row.id).insurance_months == 12


def test_an_application_through_the_form_then_moved_on(web: Any, users: Any, hf: Any) -> None:
    holder = hf.holder()
    hf.facts(holder, dt.date(2026, 3, 1), income="3800.00")
    hf.permit(holder)
    client = login_as(web, users, "dept_clerk", "dept-housing")
    r = client.post("/admin/housing_applications/new/", data={
        "holder_id_number": holder.id_number, "applied_on": "2026-04-01", "household_size": "2",
        "note": ""})
    assert r.status_code == 302
    app_row = db.session.scalars(select(HousingApplication)).one()
    assert (app_row.status, app_row.eligible, app_row.failed_reasons) == \
        ("accepted", False, ["income"])
    table = table_of(client.get("/admin/housing_applications/").text)
    assert "已受理" in table and "不符合" in table and "收入条件" in table
    assert "accepted" not in table and "income" not in table  # no English codes shown
    # a second open application is refused beside the ID number
    again = client.post("/admin/housing_applications/new/", data={
        "holder_id_number": holder.id_number, "applied_on": "2026-04-02", "household_size": "2"})
    assert again.status_code == 200 and "正在办理" in text_of(again.text)
    # moving on: a decision needs its date
    edit = f"/admin/housing_applications/edit/?id={app_row.id}"
    assert client.get(edit).status_code == 200
    missing = client.post(edit, data={"status": "rejected", "decided_on": "", "note": ""})
    assert missing.status_code == 200 and "决定日期：必须填写" in text_of(missing.text)
    early = client.post(edit, data={"status": "rejected", "decided_on": "2026-03-01"})
    assert "不能早于申请日期2026年4月1日" in text_of(early.text)
    db.session.expire_all()
    assert db.session.get(HousingApplication, app_row.id).status == "accepted"
    events = counts()[2]
    done = client.post(edit, data={"status": "rejected", "decided_on": "2026-04-20",
                                   "note": "收入超过标准"})
    assert done.status_code == 302
    db.session.expire_all()
    row = db.session.get(HousingApplication, app_row.id)
    assert (row.status, row.decided_on, row.note) == ("rejected", dt.date(2026, 4, 20), "收入超过标准")
    assert counts()[2] == events + 1
    event = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert event.action == "housing_application.update"
    assert event.old["status"] == "accepted" and event.new["status"] == "rejected"
    assert "不予配租" in table_of(client.get("/admin/housing_applications/").text)


def test_the_parameters_page_lists_the_thresholds_with_sources(web: Any, users: Any) -> None:
    client = login_as(web, users, "dept_clerk", "dept-housing")
    page = client.get("/admin/housing_parameters/")
    assert page.status_code == 200
    for words in ("人均住房建筑面积上限", "家庭人均月收入上限", "在本县缴纳社会保险月数下限",
                  "师宗县公共租赁住房保障对象准入条件", "第七条"):
        assert words in page.text
    today = kernel.today()
    bad = client.post("/admin/housing_parameters/new/", data={
        "name": "housing.min_insurance_months", "start_on": today.isoformat(), "value": "-1",
        "source": "测试"})
    assert bad.status_code == 200 and "小于下限0个月" in bad.text
