"""The 卫生健康 menu: 服务记录 and 权益说明 (no 参数: the department has no parameters); the
health clerks and the county admin open them, nobody else does; the form records a service
through the same service function as the API and shows its Chinese refusal."""

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
from plugins.health.models import HealthService

from .conftest import last_event, login, rows

D = dt.date
VIEWS = ["/admin/health_services/", "/admin/health_explanations/"]


def text_of(html: str) -> str:
    return unescape(re.sub(r"\s+", " ", re.sub(r"(?s)<[^>]+>", " ", html)))


def test_the_health_clerk_sees_its_menu_and_views(web: Any, users: Any) -> None:
    client = login(web, users, "dept_clerk", "dept-health")
    menu = client.get("/admin/").text
    assert "卫生健康" in menu and "服务记录" in menu and "权益说明" in menu
    for url in VIEWS + ["/admin/health_services/new/"]:
        assert client.get(url).status_code == 200, url
    assert client.get("/admin/health_parameters/").status_code == 404  # no parameters


@pytest.mark.parametrize("role, org", [("dept_clerk", "dept-education"),
                                       ("station_clerk", "station-530323001"),
                                       ("police_officer", None), ("auditor", None),
                                       ("assistant", None)])
def test_others_get_403_on_every_view(web: Any, users: Any, role: str, org: str | None) -> None:
    client = login(web, users, role, org)
    for url in VIEWS + ["/admin/health_services/new/"]:
        assert client.get(url).status_code == 403, url


def test_the_county_admin_opens_every_view(web: Any, users: Any) -> None:
    client = login(web, users, "county_admin")
    for url in VIEWS + ["/admin/health_services/new/"]:
        assert client.get(url).status_code == 200, url


def form(holder: Any, **kw: Any) -> dict[str, str]:
    return {"holder_id_number": holder.id_number, "service": "chronic_disease",
            "served_on": "2026-10-02", "provider": "丹凤街道社区卫生服务中心", "note": "", **kw}


def test_the_form_records_a_service_and_says_whether_it_was_free(web: Any, users: Any,
                                                                  hp: Any) -> None:
    holder = hp.holder()
    hp.permit(holder, issued_on=D(2025, 10, 1))  # valid through 2026-10-01
    client = login(web, users, "dept_clerk", "dept-health")
    page = client.get("/admin/health_services/new/")
    assert "计划生育技术服务" in page.text and "服务机构" in page.text
    events = rows(AuditEvent)
    r = client.post("/admin/health_services/new/", data=form(holder), follow_redirects=True)
    assert r.status_code == 200
    assert "不属免费服务" in text_of(r.text) and "使用功能中止" in text_of(r.text)
    r = client.post("/admin/health_services/new/", data=form(holder, served_on="2026-10-01"),
                    follow_redirects=True)
    assert "免费：服务日2026年10月1日持有有效的" in text_of(r.text)
    got = db.session.scalars(select(HealthService).order_by(HealthService.id)).all()
    assert [(s.served_on, s.free) for s in got] == [(D(2026, 10, 2), False), (D(2026, 10, 1), True)]
    assert rows(AuditEvent) == events + 2 and last_event().action == "health_service.create"
    listing = text_of(client.get("/admin/health_services/").text)
    assert "慢性病患者健康管理" in listing and "免费（服务日居住证有效）" in listing
    assert "chronic_disease" not in listing.split("服务记录", 1)[-1]
    assert holder.id_number not in listing
    assert kernel.rules.mask_id_number(holder.id_number) in listing


@pytest.mark.parametrize("change, says", [
    (dict(served_on="2090-01-01"), "晚于今天"),
    (dict(holder_id_number="530302199003070000"), "持证人公民身份号码"),
    (dict(provider=""), "请填写服务机构"),
])
def test_a_bad_value_shows_the_chinese_error_and_writes_nothing(web: Any, users: Any, hp: Any,
                                                               change: dict, says: str) -> None:
    holder = hp.holder()
    client = login(web, users, "dept_clerk", "dept-health")
    events = rows(AuditEvent)
    r = client.post("/admin/health_services/new/", data=form(holder, **change))
    assert r.status_code == 200 and says in text_of(r.text)
    assert rows(HealthService) == 0 and rows(AuditEvent) == events


def test_no_edit_of_a_record(web: Any, users: Any, hp: Any, api: Any) -> None:
    holder = hp.holder()
    _, token = users("dept_clerk", "dept-health")
    made = api("POST", "/health/services", token, {
        "holder_id": holder.id, "service": "vaccination", "served_on": "2026-06-01",
        "provider": "丹凤街道社区卫生服务中心"}).json
    client = login(web, users, "dept_clerk", "dept-health")
    assert client.get(f"/admin/health_services/edit/?id={made['id']}").status_code in (302, 403)
    client.post(f"/admin/health_services/edit/?id={made['id']}", data=form(holder))
    db.session.expire_all()
    assert db.session.get(HealthService, made["id"]).service == "vaccination"
