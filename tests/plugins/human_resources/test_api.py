"""/api/v1/human_resources: create and read employment and training records; 401 without a
token, 403 for another department's clerk and for police, 422 in Chinese naming the field
with nothing written, one audit event per record."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import func, select

from core.db import db
from core.models import AuditEvent
from plugins.human_resources.models import Employment, Training

D = dt.date


def count(model: type) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def clerk(users: Any) -> str:
    return users("dept_clerk", "dept-hrss")[1]


def job(holder_id: int, **kw: Any) -> dict[str, Any]:
    return {"holder_id": holder_id, "employer": "师宗县演示建材有限公司",
            "credit_code": "91350100M000100Y43", "started_on": "2025-03-01", "insured": True, **kw}


def test_employment_is_recorded_audited_and_read_back(hr: Any, api: Any, clerk: str) -> None:
    holder = hr.holder(D(1990, 3, 7))
    events = count(AuditEvent)
    resp = api("POST", "/human_resources/employment", clerk, job(holder.id))
    assert resp.status_code == 201, resp.json
    body = resp.json
    assert body["employer"] == "师宗县演示建材有限公司" and body["insured"] is True
    assert body["ended_on"] is None and body["current"] is True
    row = db.session.get(Employment, body["id"])
    assert (row.holder_id, row.started_on, row.credit_code) == (holder.id, D(2025, 3, 1),
                                                                "91350100M000100Y43")
    assert row.recorded_by is not None and row.recorded_by.org.code == "dept-hrss"
    assert count(AuditEvent) == events + 1
    event = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert event.action == "human_resources_employment.create"
    assert event.entity == "human_resources_employment" and event.entity_id == str(row.id)
    assert event.new["employer"] == "师宗县演示建材有限公司" and event.org == "dept-hrss"
    ended = api("POST", "/human_resources/employment", clerk,
                job(holder.id, employer="师宗县演示餐馆", credit_code=None, started_on="2023-01-01",
                    ended_on="2024-12-31", insured=False))
    assert ended.status_code == 201 and ended.json["current"] is False
    listing = api("GET", f"/human_resources/holders/{holder.id}/employment", clerk)
    assert listing.status_code == 200
    assert [r["employer"] for r in listing.json] == ["师宗县演示建材有限公司", "师宗县演示餐馆"]


def test_training_is_recorded_audited_and_read_back(hr: Any, api: Any, clerk: str) -> None:
    holder = hr.holder(D(1990, 3, 7))
    events = count(AuditEvent)
    resp = api("POST", "/human_resources/training", clerk,
               {"holder_id": holder.id, "kind": "job_guidance", "on": "2026-11-20",
                "provider": "师宗县公共就业和人才服务中心", "note": "求职登记"})
    assert resp.status_code == 201, resp.json
    assert resp.json["kind_name"] == "职业指导" and resp.json["on"] == "2026-11-20"
    assert count(Training) == 1 and count(AuditEvent) == events + 1
    event = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert event.action == "human_resources_training.create" and event.new["kind"] == "job_guidance"
    listing = api("GET", f"/human_resources/holders/{holder.id}/training", clerk)
    assert [r["kind"] for r in listing.json] == ["job_guidance"]


@pytest.mark.parametrize("changes, field, words", [
    ({"ended_on": "2025-02-28"}, "ended_on", "结束日期：2025年2月28日早于开始日期2025年3月1日"),
    ({"started_on": "1980-01-01"}, "started_on", "开始日期：1980年1月1日早于持证人出生日期"),
    ({"credit_code": "91350100M000100Y44"}, "credit_code", "统一社会信用代码：校验码不符"),
    ({"started_on": "2025-13-01"}, "started_on", "开始日期：不是有效的日期"),
    ({"employer": ""}, "employer", "用人单位：不能为空"),
    ({"insured": None}, "insured", "是否参保"),
    ({"holder_id": 999999}, "holder_id", "持证人：编号为999999的持证人不存在"),
])
def test_bad_employment_is_422_in_chinese_and_writes_nothing(hr: Any, api: Any, clerk: str,
                                                             changes: dict[str, Any], field: str,
                                                             words: str) -> None:
    holder = hr.holder(D(1990, 3, 7))
    events = count(AuditEvent)
    resp = api("POST", "/human_resources/employment", clerk, {**job(holder.id), **changes})
    assert resp.status_code == 422, resp.json
    assert field in resp.json["fields"]
    assert any(words in m for m in resp.json["fields"][field]), resp.json
    assert count(Employment) == 0 and count(AuditEvent) == events


def test_bad_training_is_422(hr: Any, api: Any, clerk: str) -> None:
    holder = hr.holder(D(1990, 3, 7))
    for body, field in (({"kind": "golf"}, "kind"), ({"on": "1989-01-01"}, "on"),
                        ({"provider": ""}, "provider")):
        resp = api("POST", "/human_resources/training", clerk,
                   {"holder_id": holder.id, "kind": "skills_training", "on": "2026-05-01",
                    "provider": "师宗县职业技能培训中心", **body})
        assert resp.status_code == 422 and field in resp.json["fields"], resp.json
    assert count(Training) == 0


def test_who_may_call(hr: Any, api: Any, users: Any, clerk: str) -> None:
    holder = hr.holder(D(1990, 3, 7))
    hr.employment(holder)
    paths = [("POST", "/human_resources/employment", job(holder.id)),
             ("POST", "/human_resources/training",
              {"holder_id": holder.id, "kind": "skills_training", "on": "2026-05-01",
               "provider": "师宗县职业技能培训中心"}),
             ("GET", f"/human_resources/holders/{holder.id}/employment", None),
             ("GET", f"/human_resources/holders/{holder.id}/training", None)]
    other = users("dept_clerk", "dept-education")[1]
    station = users("station_clerk", "station-530323001")[1]
    police = users("police_officer")[1]
    auditor = users("auditor")[1]
    admin = users("county_admin")[1]
    for method, path, body in paths:
        assert api(method, path, None, body).status_code == 401
        assert api(method, path, other, body).status_code == 403
        assert api(method, path, station, body).status_code == 403
        assert api(method, path, police, body).status_code == 403
        expected = 201 if method == "POST" else 200
        assert api(method, path, admin, body).status_code == expected
        assert api(method, path, auditor, body).status_code == (403 if method == "POST" else 200)
    assert count(Employment) == 2 and count(Training) == 1  # the fixture's and the admin's
    assert api("GET", "/human_resources/holders/999999/employment", clerk).status_code == 404


def test_the_routes_are_in_the_openapi_document(api: Any) -> None:
    paths = api("GET", "/openapi.json").json["paths"]
    assert {"/api/v1/human_resources/employment", "/api/v1/human_resources/training",
            "/api/v1/human_resources/holders/{holder_id}/employment",
            "/api/v1/human_resources/holders/{holder_id}/training"} <= set(paths)
