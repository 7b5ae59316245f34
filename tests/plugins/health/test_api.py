"""The health API: services recorded and read, ``free`` decided from the permit on the day
served; 401 without a token, 403 for other departments and the police, 422 in Chinese naming
the field with nothing written, an audit event on success."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from core import api as kernel
from core.models import AuditEvent
from plugins.health.models import HealthService

from .conftest import last_event, rows

D = dt.date
B = "《办法》第十八条（六）"


def body(holder: Any, **kw: Any) -> dict[str, Any]:
    return {"holder_id": holder.id, "service": "vaccination", "served_on": "2026-06-01",
            "provider": "丹凤街道社区卫生服务中心", **kw}


@pytest.fixture
def clerk(users: Any) -> str:
    return users("dept_clerk", "dept-health")[1]


@pytest.fixture
def lapsed(hp: Any) -> Any:
    """A holder whose permit was valid through 2026-10-01 and never endorsed."""
    holder = hp.holder()
    hp.permit(holder, issued_on=D(2025, 10, 1))
    return holder


def test_a_service_while_the_permit_is_valid_is_free(api: Any, clerk: str, lapsed: Any) -> None:
    events = rows(AuditEvent)
    resp = api("POST", "/health/services", clerk, body(lapsed, served_on="2026-10-01",
                                                       note="第一剂"))
    assert resp.status_code == 201, resp.json
    got = resp.json
    assert got["free"] is True and got["service"] == "vaccination"
    assert got["service_name"] == "预防接种" and got["served_on"] == "2026-10-01"
    assert got["note"] == "第一剂" and got["provider"] == "丹凤街道社区卫生服务中心"
    assert [r["code"] for r in got["reasons"]] == ["permit", "permit_suffices"]
    assert got["reasons"][0]["passed"] and got["reasons"][1]["basis"] == B
    assert rows(HealthService) == 1 and rows(AuditEvent) == events + 1
    event = last_event()
    assert (event.action, event.entity, event.entity_id) == \
        ("health_service.create", "health_service", str(got["id"]))
    assert event.new["free"] is True and event.new["service"] == "vaccination"
    row = kernel.db.session.get(HealthService, got["id"])
    assert row.recorded_by_id is not None


def test_a_service_after_the_permit_lapsed_is_not_free(api: Any, clerk: str, lapsed: Any) -> None:
    resp = api("POST", "/health/services", clerk, body(lapsed, served_on="2026-10-02",
                                                       service="计划生育技术服务"))
    assert resp.status_code == 201
    assert resp.json["free"] is False and resp.json["service"] == "family_planning"
    first = resp.json["reasons"][0]
    assert not first["passed"] and first["basis"] == "《办法》第十四条"
    assert "使用功能中止" in first["text"]


def test_before_any_permit_and_after_revocation_not_free(api: Any, clerk: str, hp: Any) -> None:
    holder = hp.holder()
    hp.permit(holder, issued_on=D(2026, 3, 1), revoked_on=D(2026, 9, 1))
    before = api("POST", "/health/services", clerk, body(holder, served_on="2026-02-28"))
    first_day = api("POST", "/health/services", clerk, body(holder, served_on="2026-03-01"))
    revoked = api("POST", "/health/services", clerk, body(holder, served_on="2026-09-01"))
    assert [r.json["free"] for r in (before, first_day, revoked)] == [False, True, False]
    assert "未持有" in before.json["reasons"][0]["text"]
    assert "已注销" in revoked.json["reasons"][0]["text"]


def test_the_log_reads_back_newest_first(api: Any, users: Any, clerk: str, lapsed: Any) -> None:
    for day in ("2026-05-01", "2026-11-01", "2026-08-01"):
        resp = api("POST", "/health/services", clerk, body(lapsed, served_on=day))
        assert resp.status_code == 201
    for token in (clerk, users("county_admin")[1], users("auditor")[1]):
        got = api("GET", f"/health/holders/{lapsed.id}/services", token)
        assert got.status_code == 200
        assert [(s["served_on"], s["free"]) for s in got.json] == [
            ("2026-11-01", False), ("2026-08-01", True), ("2026-05-01", True)]
        assert got.json[0]["service_name"] == "预防接种" and "reasons" not in got.json[0]


def test_the_county_admin_may_record(api: Any, users: Any, lapsed: Any) -> None:
    _, admin = users("county_admin")
    assert api("POST", "/health/services", admin, body(lapsed)).status_code == 201


def test_without_a_token_401(api: Any, lapsed: Any) -> None:
    assert api("POST", "/health/services", None, body(lapsed)).status_code == 401
    assert api("GET", f"/health/holders/{lapsed.id}/services").status_code == 401
    assert rows(HealthService) == 0


@pytest.mark.parametrize("role, org", [("dept_clerk", "dept-education"),
                                       ("station_clerk", "station-530323001"),
                                       ("police_officer", None), ("assistant", None),
                                       ("auditor", None)])
def test_others_may_not_record_403(api: Any, users: Any, lapsed: Any, role: str,
                                   org: str | None) -> None:
    _, token = users(role, org)
    events = rows(AuditEvent)
    resp = api("POST", "/health/services", token, body(lapsed))
    assert resp.status_code == 403
    assert rows(HealthService) == 0 and rows(AuditEvent) == events
    read = api("GET", f"/health/holders/{lapsed.id}/services", token)
    assert read.status_code == (200 if role == "auditor" else 403)


@pytest.mark.parametrize("change, field, says", [
    (dict(served_on="2090-01-01"), "served_on", "晚于今天"),
    (dict(served_on="1980-01-01"), "served_on", "早于持证人的出生日期"),
    (dict(served_on="2026-13-01"), "served_on", "不是有效的日期"),
    (dict(service="dentistry"), "service", "可选：建立居民健康档案（health_records）"),
    (dict(provider=""), "provider", "服务机构"),
    (dict(holder_id=0), "holder_id", "持证人"),
    (dict(note="很长" * 200), "note", "备注"),
])
def test_bad_input_422_names_the_field_and_writes_nothing(api: Any, clerk: str, lapsed: Any,
                                                          change: dict, field: str,
                                                          says: str) -> None:
    events = rows(AuditEvent)
    resp = api("POST", "/health/services", clerk, body(lapsed, **change))
    assert resp.status_code == 422, resp.json
    assert field in resp.json["fields"], resp.json
    message = " ".join(resp.json["fields"][field])
    assert says in message and B in message, message
    assert rows(HealthService) == 0 and rows(AuditEvent) == events


def test_a_future_date_is_422_even_for_a_role_that_may_not_record(api: Any, users: Any,
                                                                  lapsed: Any) -> None:
    _, token = users("dept_clerk", "dept-education")
    resp = api("POST", "/health/services", token, body(lapsed, served_on="2090-01-01"))
    assert resp.status_code == 422 and resp.json["error"] == "served_on_in_future"


def test_unknown_holder_404(api: Any, clerk: str, lapsed: Any) -> None:
    assert api("POST", "/health/services", clerk,
               body(lapsed, holder_id=lapsed.id + 99)).status_code == 404
    assert api("GET", f"/health/holders/{lapsed.id + 99}/services", clerk).status_code == 404
    assert rows(HealthService) == 0
