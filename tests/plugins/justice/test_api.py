"""/api/v1/justice: means history, the matter list and the application register — who may
call, what is refused in Chinese naming the field, nothing half-written, every write audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import select

from core.db import db
from core.rules import mask_id_number
from core.models import AuditEvent
from plugins.justice.models import JusticeAidApplication

from .conftest import DANFENG, counts

D = dt.date


@pytest.fixture
def clerk(users: Any) -> tuple[Any, str]:
    return users("dept_clerk", "dept-justice")


def last_event() -> AuditEvent:
    return db.session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()


def test_put_means_adds_a_dated_row_and_get_lists_the_history(jf: Any, api: Any,
                                                              clerk: Any) -> None:
    holder = jf.holder()
    user, token = clerk
    before = counts()
    path = f"/justice/holders/{holder.id}/means"
    r = api("PUT", path, token, json={"recorded_on": "2026-03-01",
                                      "monthly_income_per_person": 1850.5})
    assert r.status_code == 201, r.json
    assert r.json["monthly_income_per_person"] == "1850.50"
    assert r.json["recorded_by"] == user.username
    unknown = api("PUT", path, token, json={"recorded_on": "2026-01-05"})
    assert unknown.status_code == 201 and unknown.json["monthly_income_per_person"] is None
    assert counts() == (before[0] + 2, before[1], before[2] + 2)
    event = last_event()
    assert (event.action, event.entity, event.actor) == ("justice_means.create", "justice_means",
                                                          user.username)
    assert event.new["recorded_on"] == "2026-01-05"
    history = api("GET", path, token).json
    assert [i["recorded_on"] for i in history["items"]] == ["2026-01-05", "2026-03-01"]


def test_who_may_call(jf: Any, api: Any, users: Any) -> None:
    holder = jf.holder()
    path = f"/justice/holders/{holder.id}/means"
    body = {"recorded_on": "2026-03-01", "monthly_income_per_person": "1000"}
    app_body = {"holder_id": holder.id, "applied_on": "2026-04-01", "matter": "labour"}
    assert api("PUT", path, json=body).status_code == 401
    assert api("POST", "/justice/applications", json=app_body).status_code == 401
    assert api("GET", "/justice/applications", "bad-token").status_code == 401
    _, housing = users("dept_clerk", "dept-housing")
    _, station = users("station_clerk", DANFENG)
    _, auditor = users("auditor")
    _, admin = users("county_admin")
    for token in (housing, station):
        assert api("PUT", path, token, json=body).status_code == 403
        assert api("GET", path, token).status_code == 403
        assert api("POST", "/justice/applications", token, json=app_body).status_code == 403
        assert api("GET", "/justice/applications", token).status_code == 403
        assert api("GET", "/justice/matters", token).status_code == 403
    assert "司法行政" in api("PUT", path, housing, json=body).json["message"]
    assert api("PUT", path, auditor, json=body).status_code == 403  # reads only
    assert api("GET", path, auditor).status_code == 200
    assert api("PUT", path, admin, json=body).status_code == 201
    assert counts()[:2] == (1, 0)


@pytest.mark.parametrize("body, field, words", [
    ({"recorded_on": "2026-03-01", "monthly_income_per_person": -1}, "monthly_income_per_person",
     "家庭人均月收入：不能为负数"),
    ({"recorded_on": "2026-03-01", "monthly_income_per_person": "12.345"},
     "monthly_income_per_person", "最多保留两位小数"),
    ({"recorded_on": "2999-03-01"}, "recorded_on", "登记日期：不能晚于今天"),
])
def test_bad_means_are_refused_in_chinese_and_write_nothing(jf: Any, api: Any, clerk: Any,
                                                            body: dict[str, Any], field: str,
                                                            words: str) -> None:
    holder = jf.holder()
    before = counts()
    r = api("PUT", f"/justice/holders/{holder.id}/means", clerk[1], json=body)
    assert r.status_code == 422, r.json
    assert list(r.json["fields"]) == [field] and words in r.json["fields"][field][0]
    assert "第三十四条" in r.json["message"]
    assert counts() == before


def test_malformed_input_is_422_even_for_another_department(jf: Any, api: Any,
                                                            users: Any) -> None:
    holder = jf.holder()
    _, housing = users("dept_clerk", "dept-housing")
    r = api("PUT", f"/justice/holders/{holder.id}/means", housing,
            json={"recorded_on": "1 March", "monthly_income_per_person": "a lot"})
    assert r.status_code == 422
    assert "登记日期" in r.json["fields"]["recorded_on"][0]
    assert "家庭人均月收入" in r.json["fields"]["monthly_income_per_person"][0]
    r = api("POST", "/justice/applications", housing,
            json={"holder_id": holder.id, "applied_on": "2026-04-01", "matter": "divorce"})
    assert r.status_code == 422 and "申请事项" in r.json["fields"]["matter"][0]
    assert counts()[:2] == (0, 0)


def test_unknown_holder_is_404(api: Any, clerk: Any) -> None:
    assert api("PUT", "/justice/holders/99999/means", clerk[1],
               json={"recorded_on": "2026-03-01"}).status_code == 404
    r = api("POST", "/justice/applications", clerk[1],
            json={"holder_id": 99999, "applied_on": "2026-04-01", "matter": "labour"})
    assert r.status_code == 404 and r.json["error"] == "holder_not_found"


def test_matters_list_both_articles(api: Any, clerk: Any) -> None:
    matters = api("GET", "/justice/matters", clerk[1]).json
    assert len(matters) == 14
    by_code = {m["code"]: m for m in matters}
    assert by_code["abuse_victim"] == {"code": "abuse_victim",
                                       "name": "遭受虐待、遗弃或者家庭暴力的受害人主张相关权益",
                                       "article": "第三十二条第（四）项", "means_test_exempt": True}
    assert by_code["labour"]["means_test_exempt"] is False


def test_applications_record_the_decision_of_their_day(jf: Any, api: Any, clerk: Any,
                                                        users: Any) -> None:
    poor, rich = jf.holder("王芳", "female"), jf.holder("李强")
    jf.means(poor, D(2026, 3, 1), "1200.00")
    jf.means(rich, D(2026, 3, 1), "5200.00")
    jf.means(rich, D(2026, 5, 1), "900.00")  # after the applications: does not count
    user, token = clerk
    before = counts()

    def apply(holder: Any, matter: str) -> Any:
        r = api("POST", "/justice/applications", token,
                json={"holder_id": holder.id, "applied_on": "2026-04-01", "matter": matter})
        assert r.status_code == 201, r.json
        return r.json

    granted = apply(poor, "labour")
    assert granted["eligible"] is True and granted["means_test_exempt"] is False
    assert [r["code"] for r in granted["reasons"]] == ["matter", "economic_hardship"]
    assert (granted["status"], granted["status_name"]) == ("accepted", "已受理")
    assert granted["matter_name"] == "请求确认劳动关系或者支付劳动报酬"
    assert granted["holder_id_number"] == mask_id_number(poor.id_number)  # masked (DESIGN §5)
    refused = apply(rich, "personal_injury")
    assert refused["eligible"] is False
    assert "5200.00元，高于经济困难标准2000.00元" in refused["reasons"][1]["text"]
    exempt = apply(rich, "abuse_victim")  # same person, a 第三十二条 matter
    assert exempt["eligible"] is True and exempt["means_test_exempt"] is True
    assert [r["code"] for r in exempt["reasons"]] == ["matter"]
    assert counts() == (before[0], before[1] + 3, before[2] + 3)
    event = last_event()
    assert event.action == "justice_aid_application.create" and event.actor == user.username
    assert event.new["matter"] == "abuse_victim" and event.new["means_test_exempt"] is True
    row = db.session.get(JusticeAidApplication, refused["id"])
    assert (row.matter, row.eligible, row.status) == ("personal_injury", False, "accepted")

    _, auditor = users("auditor")
    listing = api("GET", "/justice/applications", auditor)
    assert listing.status_code == 200 and len(listing.json) == 3
    assert rich.id_number not in str(listing.json) and poor.id_number not in str(listing.json)
    assert all("*" in a["holder_id_number"] for a in listing.json)
    mine = api("GET", f"/justice/applications?holder_id={rich.id}&matter=abuse_victim", token)
    assert [a["id"] for a in mine.json] == [exempt["id"]]
    assert api("GET", "/justice/applications?status=granted", token).json == []
    assert len(api("GET", "/justice/applications?status=&matter=", token).json) == 3


def test_the_same_pending_matter_twice_is_a_conflict(jf: Any, api: Any, clerk: Any) -> None:
    holder = jf.holder()
    body = {"holder_id": holder.id, "applied_on": "2026-04-01", "matter": "maintenance"}
    assert api("POST", "/justice/applications", clerk[1], json=body).status_code == 201
    before = counts()
    r = api("POST", "/justice/applications", clerk[1], json=body)
    assert r.status_code == 409 and r.json["error"] == "application_pending"
    assert "第四十三条" in r.json["message"]
    assert counts() == before
    other = api("POST", "/justice/applications", clerk[1], json={**body, "matter": "labour"})
    assert other.status_code == 201  # another matter is another case


@pytest.mark.parametrize("change, field, words", [
    ({"applied_on": "2999-01-01"}, "applied_on", "申请日期：不能晚于今天"),
    ({"applied_on": "2015-12-31"}, "applied_on", "尚无取值"),  # before any standard was in force
    ({"note": "x" * 256}, "note", "备注"),
])
def test_bad_applications_are_refused_and_write_nothing(jf: Any, api: Any, clerk: Any,
                                                        change: dict[str, Any], field: str,
                                                        words: str) -> None:
    holder = jf.holder()
    before = counts()
    r = api("POST", "/justice/applications", clerk[1],
            json={"holder_id": holder.id, "applied_on": "2026-04-01", "matter": "labour",
                  **change})
    assert r.status_code == 422, r.json
    assert words in r.json["fields"][field][0]
    assert counts() == before


def test_openapi_lists_the_justice_endpoints(client: Any) -> None:
    doc = client.get("/api/v1/openapi.json").json
    post = doc["paths"]["/api/v1/justice/applications"]["post"]
    assert set(post["responses"]) >= {"201", "401", "403", "404", "409", "422"}
    assert post["x-roles"] == ["county_admin", "dept_clerk"]
    assert "abuse_victim" in doc["components"]["schemas"]["JusticeApplicationIn"][
        "properties"]["matter"]["enum"]
