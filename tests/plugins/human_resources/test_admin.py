"""The 人力资源和社会保障 menu: opened by the department's clerks and the county admin only;
the forms go through the services (one audit event), show refusals in Chinese beside the
field and write nothing then."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape
from typing import Any

import pytest
from sqlalchemy import func, select

from core.db import db
from core.rules import mask_id_number
from core.models import AuditEvent
from plugins.human_resources.models import Employment, Training
from tests.support import login

D = dt.date
VIEWS = ["human_resources_employment", "human_resources_training",
         "human_resources_parameters", "human_resources_explanations"]


def count(model: type) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


def text_of(html: str) -> str:
    return unescape(re.sub(r"\s+", " ", re.sub(r"(?s)<[^>]+>", " ", html)))


def table_of(html: str) -> str:
    """The text of a list view's table (not the filters' hidden data)."""
    match = re.search(r'(?s)<table class="[^"]*model-list[^"]*">(.*?)</table>', html)
    assert match, "no list table"
    return text_of(match.group(1))


@pytest.mark.parametrize("role, org, status", [
    ("dept_clerk", "dept-hrss", 200), ("county_admin", None, 200),
    ("dept_clerk", "dept-civil-affairs", 403), ("station_clerk", "station-530323001", 403),
    ("auditor", None, 403),
])
def test_who_opens_the_views(web: Any, users: Any, role: str, org: str | None,
                             status: int) -> None:
    client = login(web, users, role, org)
    for endpoint in VIEWS:
        assert client.get(f"/admin/{endpoint}/").status_code == status, endpoint
    menu = client.get("/admin/").text
    assert ("人力资源和社会保障" in menu) is (status == 200)


def test_the_lists_are_chinese(web: Any, users: Any, hr: Any) -> None:
    holder = hr.holder(D(1990, 3, 7), name="李娜", sex="female")
    hr.employment(holder, "师宗县演示餐馆", insured=False)
    hr.training(holder, "job_referral")
    client = login(web, users, "dept_clerk", "dept-hrss")
    employment = table_of(client.get("/admin/human_resources_employment/").text)
    assert "李娜" in employment and holder.id_number not in employment  # masked (DESIGN §5)
    assert mask_id_number(holder.id_number) in employment
    assert "未缴纳" in employment and "在职" in employment and "用人单位" in employment
    training = table_of(client.get("/admin/human_resources_training/").text)
    assert "职业介绍" in training and "job_referral" not in training


def test_employment_created_through_the_form(web: Any, users: Any, hr: Any) -> None:
    holder = hr.holder(D(1990, 3, 7))
    client = login(web, users, "dept_clerk", "dept-hrss")
    form = client.get("/admin/human_resources_employment/new/")
    assert form.status_code == 200 and "公民身份号码" in form.text and "统一社会信用代码" in form.text
    events = count(AuditEvent)
    data = {"holder_id_number": holder.id_number, "employer": "师宗县演示建材有限公司",
            "credit_code": "91350100M000100Y43", "started_on": "2025-03-01", "ended_on": "",
            "insured": "y"}
    bad = client.post("/admin/human_resources_employment/new/",
                      data={**data, "ended_on": "2025-01-01"})
    assert bad.status_code == 200
    assert "结束日期：2025年1月1日早于开始日期2025年3月1日" in unescape(bad.text)
    unknown = client.post("/admin/human_resources_employment/new/",
                          data={**data, "holder_id_number": "530302199003070000"})
    assert "公民身份号码：未找到该持证人" in unescape(unknown.text)
    assert count(Employment) == 0 and count(AuditEvent) == events
    ok = client.post("/admin/human_resources_employment/new/", data=data)
    assert ok.status_code == 302
    row = db.session.scalars(select(Employment)).one()
    assert (row.holder_id, row.insured, row.ended_on) == (holder.id, True, None)
    assert count(AuditEvent) == events + 1  # audited once, by the service
    # the employment ends: an edit, audited with old and new values
    edit = client.post(f"/admin/human_resources_employment/edit/?id={row.id}",
                       data={"ended_on": "2026-10-31", "insured": "y"})
    assert edit.status_code == 302
    db.session.expire_all()
    assert db.session.get(Employment, row.id).ended_on == D(2026, 10, 31)
    event = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert event.action == "human_resources_employment.update"
    assert event.old == {"ended_on": None} and event.new == {"ended_on": "2026-10-31"}
    refused = client.post(f"/admin/human_resources_employment/edit/?id={row.id}",
                          data={"ended_on": "2020-01-01", "insured": "y"})
    assert "结束日期：2020年1月1日早于开始日期" in unescape(refused.text)
    db.session.expire_all()
    assert db.session.get(Employment, row.id).ended_on == D(2026, 10, 31)


def test_training_created_through_the_form(web: Any, users: Any, hr: Any) -> None:
    holder = hr.holder(D(1990, 3, 7))
    client = login(web, users, "county_admin")
    events = count(AuditEvent)
    data = {"holder_id_number": holder.id_number, "kind": "skills_training", "on": "2026-05-01",
            "provider": "师宗县职业技能培训中心", "note": "电工"}
    bad = client.post("/admin/human_resources_training/new/", data={**data, "on": "1980-01-01"})
    assert "日期：1980年1月1日早于持证人出生日期" in unescape(bad.text)
    assert count(Training) == 0 and count(AuditEvent) == events
    assert client.post("/admin/human_resources_training/new/", data=data).status_code == 302
    assert count(Training) == 1 and count(AuditEvent) == events + 1
    row = db.session.scalars(select(Training)).one()
    edit = client.get(f"/admin/human_resources_training/edit/?id={row.id}")
    assert edit.status_code in (302, 403)  # a register: no edits
