"""/api/v1/housing: facts history and the application register — who may call, what is
refused in Chinese naming the field, nothing half-written, every write audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import select

from core.db import db
from core.rules import mask_id_number
from core.models import AuditEvent
from plugins.housing.models import HousingApplication, HousingFacts

from .conftest import DANFENG, counts

D = dt.date
FACTS = {"recorded_on": "2026-03-01", "owns_housing_in_county": False, "insurance_months": 12,
         "employed": True, "monthly_income": "2100.5"}


@pytest.fixture
def clerk(users: Any) -> tuple[Any, str]:
    return users("dept_clerk", "dept-housing")


def last_event() -> AuditEvent:
    return db.session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()


def test_put_facts_adds_a_dated_row_and_get_lists_the_history(hf: Any, api: Any,
                                                              clerk: Any) -> None:
    holder = hf.holder()
    user, token = clerk
    before = counts()
    r = api("PUT", f"/housing/holders/{holder.id}/facts", token, json=FACTS)
    assert r.status_code == 201, r.json
    assert r.json["monthly_income"] == "2100.50" and r.json["insurance_months"] == 12
    assert r.json["housing_area_sqm"] is None and r.json["recorded_by"] == user.username
    r2 = api("PUT", f"/housing/holders/{holder.id}/facts", token,
             json={"recorded_on": "2026-02-01", "owns_housing_in_county": True,
                   "housing_area_sqm": 18})
    assert r2.status_code == 201 and r2.json["housing_area_sqm"] == "18.00"
    assert r2.json["employed"] is None and r2.json["monthly_income"] is None  # not recorded
    assert counts() == (before[0] + 2, before[1], before[2] + 2)
    event = last_event()
    assert (event.action, event.entity, event.actor) == ("housing_facts.create", "housing_facts",
                                                          user.username)
    assert event.new["housing_area_sqm"] == "18.00" and event.new["recorded_on"] == "2026-02-01"
    history = api("GET", f"/housing/holders/{holder.id}/facts", token)
    assert history.status_code == 200
    assert [i["recorded_on"] for i in history.json["items"]] == ["2026-02-01", "2026-03-01"]


def test_who_may_call(hf: Any, api: Any, users: Any) -> None:
    holder = hf.holder()
    path = f"/housing/holders/{holder.id}/facts"
    assert api("PUT", path, json=FACTS).status_code == 401
    assert api("GET", "/housing/applications").status_code == 401
    assert api("GET", path, "not-a-token").status_code == 401
    _, justice = users("dept_clerk", "dept-justice")
    _, station = users("station_clerk", DANFENG)
    _, auditor = users("auditor")
    _, admin = users("county_admin")
    body = {"holder_id": holder.id, "applied_on": "2026-04-01", "household_size": 2}
    for token in (justice, station):
        assert api("PUT", path, token, json=FACTS).status_code == 403
        assert api("GET", path, token).status_code == 403
        assert api("POST", "/housing/applications", token, json=body).status_code == 403
        assert api("GET", "/housing/applications", token).status_code == 403
    refused = api("PUT", path, justice, json=FACTS)
    assert refused.json["error"] == "forbidden" and "住房保障" in refused.json["message"]
    assert api("PUT", path, auditor, json=FACTS).status_code == 403  # reads only
    assert api("GET", path, auditor).status_code == 200
    assert api("PUT", path, admin, json=FACTS).status_code == 201
    assert counts()[0] == 1


@pytest.mark.parametrize("change, field, words", [
    ({"insurance_months": -1}, "insurance_months", "在本县缴纳社会保险月数：不能为负数"),
    ({"monthly_income": "-0.01"}, "monthly_income", "家庭人均月收入：不能为负数"),
    ({"owns_housing_in_county": True, "housing_area_sqm": -3}, "housing_area_sqm",
     "人均住房建筑面积：不能为负数"),
    ({"housing_area_sqm": 20}, "housing_area_sqm", "在本县无住房时不应填写住房面积"),
    ({"monthly_income": "1000.001"}, "monthly_income", "最多保留两位小数"),
    ({"recorded_on": "2999-01-01"}, "recorded_on", "登记日期：不能晚于今天"),
])
def test_bad_facts_are_refused_in_chinese_and_write_nothing(hf: Any, api: Any, clerk: Any,
                                                            change: dict[str, Any], field: str,
                                                            words: str) -> None:
    holder = hf.holder()
    before = counts()
    r = api("PUT", f"/housing/holders/{holder.id}/facts", clerk[1], json={**FACTS, **change})
    assert r.status_code == 422, r.json
    assert words in r.json["message"] and "第七条" in r.json["message"]
    assert list(r.json["fields"]) == [field] and words in r.json["fields"][field][0]
    assert counts() == before


def test_malformed_input_is_422_naming_the_field_even_for_another_department(
        hf: Any, api: Any, users: Any) -> None:
    holder = hf.holder()
    _, justice = users("dept_clerk", "dept-justice")
    r = api("PUT", f"/housing/holders/{holder.id}/facts", justice,
            json={**FACTS, "insurance_months": "six", "recorded_on": "2026-3-1"})
    assert r.status_code == 422
    assert "在本县缴纳社会保险月数" in r.json["fields"]["insurance_months"][0]
    assert "登记日期" in r.json["fields"]["recorded_on"][0]
    assert counts()[0] == 0


def test_unknown_holder_is_404(api: Any, clerk: Any) -> None:
    r = api("PUT", "/housing/holders/99999/facts", clerk[1], json=FACTS)
    assert r.status_code == 404 and r.json["error"] == "holder_not_found"
    assert api("POST", "/housing/applications", clerk[1],
               json={"holder_id": 99999, "applied_on": "2026-04-01",
                     "household_size": 1}).status_code == 404
    assert counts()[:2] == (0, 0)


def test_an_application_records_the_decision_of_its_day(hf: Any, api: Any, clerk: Any,
                                                         users: Any) -> None:
    ok, poor_fit = hf.holder("王芳", "female"), hf.holder("李强")
    hf.facts(ok, D(2026, 3, 1))
    hf.facts(poor_fit, D(2026, 3, 1), months=2)
    hf.facts(poor_fit, D(2026, 5, 1), months=8)  # after the application: does not count
    hf.permit(ok)
    hf.permit(poor_fit)
    user, token = clerk
    before = counts()
    r = api("POST", "/housing/applications", token,
            json={"holder_id": ok.id, "applied_on": "2026-04-01", "household_size": 3,
                  "note": "三口之家"})
    assert r.status_code == 201, r.json
    assert r.json["eligible"] is True and r.json["failed_reasons"] == []
    assert (r.json["status"], r.json["status_name"]) == ("accepted", "已受理")
    # the engine's decision of that day: the permit first, then 第七条's three conditions
    assert [x["code"] for x in r.json["reasons"]] == ["permit", "housing", "income", "employment"]
    # the department's clerk sees it masked (DESIGN §5: only police roles see it in full)
    assert r.json["holder_id_number"] == mask_id_number(ok.id_number) != ok.id_number
    r2 = api("POST", "/housing/applications", token,
             json={"holder_id": poor_fit.id, "applied_on": "2026-04-01", "household_size": 1})
    assert r2.status_code == 201
    assert r2.json["eligible"] is False and r2.json["failed_reasons"] == ["employment"]
    assert r2.json["failed_reason_names"] == ["稳定就业"]
    assert "2个月，不足规定的6个月" in r2.json["reasons"][3]["text"]
    assert counts() == (before[0], before[1] + 2, before[2] + 2)
    event = last_event()
    assert event.action == "housing_application.create" and event.actor == user.username
    assert event.new["failed_reasons"] == ["employment"] and event.new["eligible"] is False
    row = db.session.get(HousingApplication, r2.json["id"])
    assert (row.eligible, row.failed_reasons, row.household_size) == (False, ["employment"], 1)

    # the register, newest first, filtered; the auditor sees masked ID numbers
    _, auditor = users("auditor")
    listing = api("GET", "/housing/applications?status=accepted", auditor)
    assert listing.status_code == 200 and len(listing.json) == 2
    assert all("*" in a["holder_id_number"] for a in listing.json)
    assert ok.id_number not in str(listing.json)
    mine = api("GET", f"/housing/applications?holder_id={ok.id}", token).json
    assert [a["id"] for a in mine] == [r.json["id"]] and mine[0]["note"] == "三口之家"
    assert api("GET", "/housing/applications?status=allocated", token).json == []
    assert len(api("GET", "/housing/applications?status=&holder_id=", token).json) == 2
    bad = api("GET", "/housing/applications?status=done", token)
    assert bad.status_code == 422 and "办理状态" in bad.json["message"]


def test_a_second_open_application_is_a_conflict(hf: Any, api: Any, clerk: Any) -> None:
    holder = hf.holder()
    body = {"holder_id": holder.id, "applied_on": "2026-04-01", "household_size": 2}
    assert api("POST", "/housing/applications", clerk[1], json=body).status_code == 201
    before = counts()
    r = api("POST", "/housing/applications", clerk[1], json=body)
    assert r.status_code == 409 and r.json["error"] == "application_open"
    assert "正在办理" in r.json["message"]
    assert counts() == before


@pytest.mark.parametrize("change, field, words", [
    ({"household_size": 0}, "household_size", "家庭人口数：至少为1人"),
    ({"household_size": 31}, "household_size", "家庭人口数：不能超过30人"),
    ({"applied_on": "2999-01-01"}, "applied_on", "申请日期：不能晚于今天"),
    ({"applied_on": "2015-12-31"}, "applied_on", "尚无取值"),
])
def test_bad_applications_are_refused_and_write_nothing(hf: Any, api: Any, clerk: Any,
                                                        change: dict[str, Any], field: str,
                                                        words: str) -> None:
    holder = hf.holder()
    before = counts()
    r = api("POST", "/housing/applications", clerk[1],
            json={"holder_id": holder.id, "applied_on": "2026-04-01", "household_size": 2,
                  **change})
    assert r.status_code == 422, r.json
    assert words in r.json["fields"][field][0]
    assert counts() == before


def test_openapi_lists_the_housing_endpoints(client: Any) -> None:
    doc = client.get("/api/v1/openapi.json").json
    put = doc["paths"]["/api/v1/housing/holders/{holder_id}/facts"]["put"]
    assert set(put["responses"]) >= {"201", "401", "403", "404", "422"}
    assert put["x-roles"] == ["county_admin", "dept_clerk"]
    post = doc["paths"]["/api/v1/housing/applications"]["post"]
    assert "409" in post["responses"]
    assert doc["components"]["schemas"]["HousingFactsIn"]["properties"]["insurance_months"][
        "title"] == "在本县缴纳社会保险月数"


def test_facts_rows_are_never_half_written(hf: Any, api: Any, clerk: Any) -> None:
    """The service refuses before it adds anything: a refused row leaves no trace."""
    holder = hf.holder()
    api("PUT", f"/housing/holders/{holder.id}/facts", clerk[1],
        json={**FACTS, "insurance_months": -5})
    assert db.session.scalar(select(HousingFacts.id)) is None
