"""The 司法行政 admin menu: who opens it, forms through the services, Chinese refusals."""

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
from plugins.justice.models import JusticeAidApplication, JusticeMeans

from .conftest import DANFENG, counts, login_as

VIEWS = ["justice_means", "justice_applications", "justice_parameters", "justice_explanations"]


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
    ("dept_clerk", "dept-justice", 200), ("county_admin", None, 200),
    ("dept_clerk", "dept-housing", 403), ("station_clerk", DANFENG, 403), ("auditor", None, 403),
])
def test_who_opens_the_justice_views(web: Any, users: Any, role: str, org: str | None,
                                     status: int) -> None:
    client = login_as(web, users, role, org)
    for view in VIEWS:
        assert client.get(f"/admin/{view}/").status_code == status, view
    if status == 200:
        menu = nav(client.get("/admin/justice_means/").text)
        for name in ("司法行政", "经济状况", "法律援助申请", "参数", "权益说明"):
            assert name in menu


def test_the_means_form_records_a_row_and_refuses_a_negative_income(web: Any, users: Any,
                                                                     jf: Any) -> None:
    holder = jf.holder()
    client = login_as(web, users, "dept_clerk", "dept-justice")
    assert "家庭人均月收入" in client.get("/admin/justice_means/new/").text
    before = counts()
    bad = client.post("/admin/justice_means/new/", data={
        "holder_id_number": holder.id_number, "recorded_on": "2026-03-01",
        "monthly_income_per_person": "-100"})
    assert bad.status_code == 200 and "家庭人均月收入：不能为负数" in text_of(bad.text)
    assert "第三十四条" in text_of(bad.text)
    unknown = client.post("/admin/justice_means/new/", data={
        "holder_id_number": "530302199003070000", "recorded_on": "2026-03-01"})
    assert "未找到该号码的持证人" in text_of(unknown.text)
    assert counts() == before
    ok = client.post("/admin/justice_means/new/", data={
        "holder_id_number": holder.id_number, "recorded_on": "2026-03-01",
        "monthly_income_per_person": "1680"})
    assert ok.status_code == 302
    assert counts() == (before[0] + 1, before[1], before[2] + 1)
    row = db.session.scalars(select(JusticeMeans)).one()
    assert str(row.monthly_income_per_person) == "1680.00"
    blank = client.post("/admin/justice_means/new/", data={
        "holder_id_number": holder.id_number, "recorded_on": "2026-03-02",
        "monthly_income_per_person": ""})
    assert blank.status_code == 302
    table = table_of(client.get("/admin/justice_means/").text)
    assert "1680.00元" in table and "未登记" in table and holder.id_number not in table
    assert kernel.rules.mask_id_number(holder.id_number) in table  # masked (DESIGN §5)


def test_an_application_through_the_form_then_decided(web: Any, users: Any, jf: Any) -> None:
    holder = jf.holder()
    jf.means(holder, dt.date(2026, 3, 1), "4800.00")
    client = login_as(web, users, "dept_clerk", "dept-justice")
    form = client.get("/admin/justice_applications/new/")
    assert "家庭暴力" in form.text and "免于经济困难审查" in form.text
    r = client.post("/admin/justice_applications/new/", data={
        "holder_id_number": holder.id_number, "applied_on": "2026-04-01", "matter": "labour"})
    assert r.status_code == 302
    r2 = client.post("/admin/justice_applications/new/", data={
        "holder_id_number": holder.id_number, "applied_on": "2026-04-01",
        "matter": "abuse_victim"})
    assert r2.status_code == 302
    rows = {a.matter: a for a in db.session.scalars(select(JusticeAidApplication))}
    assert (rows["labour"].eligible, rows["labour"].means_test_exempt) == (False, False)
    assert (rows["abuse_victim"].eligible, rows["abuse_victim"].means_test_exempt) == (True, True)
    table = table_of(client.get("/admin/justice_applications/").text)
    assert "请求确认劳动关系或者支付劳动报酬" in table and "免于审查（第三十二条）" in table
    assert "符合" in table and "不符合" in table and "已受理" in table
    assert "labour" not in table and "accepted" not in table  # no English codes shown
    again = client.post("/admin/justice_applications/new/", data={
        "holder_id_number": holder.id_number, "applied_on": "2026-04-02", "matter": "labour"})
    assert again.status_code == 200 and "已有受理待审查" in text_of(again.text)
    edit = f"/admin/justice_applications/edit/?id={rows['labour'].id}"
    assert client.get(edit).status_code == 200
    missing = client.post(edit, data={"status": "refused", "decided_on": ""})
    assert "决定日期：必须填写" in text_of(missing.text)
    early = client.post(edit, data={"status": "accepted", "decided_on": "2026-04-05"})
    assert "已受理”时不填写" in text_of(early.text)
    events = counts()[2]
    done = client.post(edit, data={"status": "refused", "decided_on": "2026-04-06",
                                   "note": "不符合经济困难标准"})
    assert done.status_code == 302
    db.session.expire_all()
    row = db.session.get(JusticeAidApplication, rows["labour"].id)
    assert (row.status, row.decided_on) == ("refused", dt.date(2026, 4, 6))
    assert counts()[2] == events + 1
    event = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert event.action == "justice_aid_application.update" and event.old["status"] == "accepted"


def test_means_are_not_edited(web: Any, users: Any, jf: Any) -> None:
    row = jf.means(jf.holder())
    client = login_as(web, users, "county_admin")
    client.post(f"/admin/justice_means/edit/?id={row.id}",
                data={"monthly_income_per_person": "1"})
    client.post("/admin/justice_means/delete/", data={"id": str(row.id)})
    db.session.expire_all()
    assert str(db.session.get(JusticeMeans, row.id).monthly_income_per_person) == "1500.00"


def test_a_new_standard_through_the_parameters_form(web: Any, users: Any) -> None:
    client = login_as(web, users, "dept_clerk", "dept-justice")
    page = client.get("/admin/justice_parameters/")
    assert "经济困难标准" in page.text and "云南省法律援助经济困难标准" in page.text
    today = kernel.today()
    bad = client.post("/admin/justice_parameters/new/", data={
        "name": "justice.hardship_income_max", "start_on": today.isoformat(), "value": "-1",
        "source": "测试"})
    assert "小于下限0元" in bad.text
    ok = client.post("/admin/justice_parameters/new/", data={
        "name": "justice.hardship_income_max", "start_on": today.isoformat(),
        "value": "2100", "source": "云南省司法厅（测试）"})
    assert ok.status_code == 302
