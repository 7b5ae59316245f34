"""GET /api/v1/holders/{id}/entitlements: the permit's state comes first in every item, a
check that raises fails alone, a department's own verdict is its Decision.eligible."""

from __future__ import annotations

import datetime as dt
import types
from typing import Any

import pytest
from sqlalchemy import select

from core import api as kernel
from core.db import db
from core.holders import HolderFacts, create_holder
from core.models import Card, OrgUnit, Permit
from core.rules import id_check_char


def make_holder() -> Any:
    first17 = "53030219900307021"
    holder = create_holder(db.session, HolderFacts(
        "张伟", "male", "汉族", dt.date(1990, 3, 7), first17 + id_check_char(first17),
        "云南省曲靖市麒麟区", "530302", None), as_of=dt.date(2026, 1, 1))
    db.session.commit()
    return holder


def make_permit(holder: Any, issued_on: dt.date, revoked_on: dt.date | None = None) -> Permit:
    station = db.session.scalar(select(OrgUnit).where(OrgUnit.code == "station-530323001"))
    psb = db.session.scalar(select(OrgUnit).where(OrgUnit.code == "county-psb"))
    permit = Permit(number="1001", holder_id=holder.id, authority_id=psb.id,
                    station_id=station.id, issued_on=issued_on,
                    valid_until=kernel.rules.valid_until_for(issued_on),
                    continuous_residence_since=issued_on, revoked_on=revoked_on)
    db.session.add(permit)
    db.session.flush()
    db.session.add(Card(permit_id=permit.id, serial=1001, station_id=station.id,
                        issued_on=issued_on, status="live", status_on=issued_on))
    db.session.commit()
    return permit


def dept_plugin() -> tuple[str, types.ModuleType]:
    """A department with three services: one always granted, one that needs either of two
    conditions, and one whose check is broken."""
    def either(facts: kernel.CheckFacts) -> kernel.Decision:
        reasons = (kernel.Reason("a", False, "条件甲不满足", "测试"),
                   kernel.Reason("b", True, "条件乙满足", "测试"))
        return kernel.Decision(any(r.passed for r in reasons), reasons)

    def boom(facts: kernel.CheckFacts) -> kernel.Decision:
        raise RuntimeError("broken check")

    ents = [
        kernel.Entitlement("art18.12.bus", "（十二）", "公交优惠", "dept-health",
                           lambda facts: kernel.Decision(True, ())),
        kernel.Entitlement("art18.12.either", "（十二）", "任一条件", "dept-health", either),
        kernel.Entitlement("art18.12.boom", "（十二）", "出错的服务", "dept-health", boom),
    ]
    module = types.ModuleType("dept_test")
    module.register_entitlements = kernel.hookimpl(lambda: ents)  # type: ignore[attr-defined]
    module.register_entitlements.__name__ = "register_entitlements"
    return "dept_test", module


@pytest.fixture
def site(make_app: Any) -> Any:
    app = make_app(plugins=[dept_plugin()])
    with app.app_context():
        yield app


def get(site: Any, token: str, holder_id: int, as_of: str | None = None) -> Any:
    query = f"?as_of={as_of}" if as_of else ""
    return site.test_client().get(f"/api/v1/holders/{holder_id}/entitlements{query}",
                                  headers={"Authorization": f"Bearer {token}"})


def items(resp: Any) -> dict[str, Any]:
    return {i["code"]: i for i in resp.json["items"]}


def test_valid_permit_then_the_departments_own_verdict(site, users) -> None:  # type: ignore[no-untyped-def]
    holder = make_holder()
    make_permit(holder, dt.date(2026, 1, 15))
    _, token = users("dept_clerk", "dept-health")
    resp = get(site, token, holder.id, "2026-06-01")
    assert resp.status_code == 200 and resp.json["as_of"] == "2026-06-01"
    got = items(resp)
    assert got["art18.12.bus"]["status"] == "eligible" and got["art18.12.bus"]["eligible"]
    first = got["art18.12.bus"]["reasons"][0]
    assert first["code"] == "permit" and first["passed"] and "2027年1月15日" in first["text"]
    # eligible on either condition, though one reason failed
    assert got["art18.12.either"]["status"] == "eligible"
    assert [r["passed"] for r in got["art18.12.either"]["reasons"]] == [True, False, True]
    # the broken check fails alone
    assert got["art18.12.boom"]["status"] == "error" and not got["art18.12.boom"]["eligible"]
    assert got["art18.12.boom"]["reasons"][-1]["code"] == "check_error"
    # the police's items answer too, in article order, art19 last
    codes = list(got)
    assert codes.index("art18.9") < codes.index("art18.10") < codes.index("art18.12.bus")
    assert codes[-1] == "art19"


@pytest.mark.parametrize("as_of, issued, revoked, words, basis", [
    ("2027-01-16", dt.date(2026, 1, 15), None, "使用功能中止", "《办法》第十四条"),
    ("2026-06-01", dt.date(2026, 1, 15), dt.date(2026, 5, 1), "已注销", "《办法》第十八条"),
    ("2025-06-01", dt.date(2026, 1, 15), None, "未持有", "《办法》第十八条"),
])
def test_no_valid_permit_fails_every_item_citing_its_article(site, users, as_of, issued, revoked,
                                                              words, basis) -> None:  # type: ignore[no-untyped-def]
    holder = make_holder()
    make_permit(holder, issued, revoked)
    _, token = users("county_admin")
    got = items(get(site, token, holder.id, as_of))
    for code, item in got.items():
        if item["status"] == "error":
            continue
        assert item["status"] == "ineligible", code
        assert words in item["reasons"][0]["text"] and item["reasons"][0]["basis"] == basis


def test_roles_unknown_holder_and_bad_date(site, users) -> None:  # type: ignore[no-untyped-def]
    holder = make_holder()
    _, assistant = users("assistant")
    _, auditor = users("auditor")
    assert get(site, assistant, holder.id).status_code == 403
    assert get(site, auditor, holder.id).status_code == 200
    assert get(site, auditor, 99999).status_code == 404
    bad = get(site, auditor, holder.id, "2026-13-01")
    assert bad.status_code == 422 and "判断日期" in bad.json["message"]


def test_after_the_measures_lapse_the_answer_carries_a_warning(site, users) -> None:  # type: ignore[no-untyped-def]
    holder = make_holder()
    _, token = users("county_admin")
    assert get(site, token, holder.id, "2029-12-31").json["warning"] is None
    assert "第二十三条" in get(site, token, holder.id, "2030-02-01").json["warning"]


def test_print_view_lists_every_item_with_reasons_and_articles(site, users) -> None:  # type: ignore[no-untyped-def]
    holder = make_holder()
    make_permit(holder, dt.date(2026, 1, 15))
    holder.name = "<b>张伟</b>"
    db.session.commit()
    _, token = users("dept_clerk", "dept-health")
    resp = site.test_client().get(f"/api/v1/holders/{holder.id}/entitlements/print?as_of=2026-06-01",
                                  headers={"Authorization": f"Bearer {token}"})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and '<html lang="zh-CN">' in html
    assert "公共服务权益说明" in html and "2026年6月1日" in html
    assert "公交优惠" in html and "可以享有" in html and "暂无法判断" in html
    assert "《办法》第十四条" in html and "第十九条 申请常住户口" in html  # articles
    assert "&lt;b&gt;张伟&lt;/b&gt;" in html and "<b>张伟" not in html
    assert holder.id_number not in html and holder.id_number[:6] + "********" in html  # masked
    _, assistant = users("assistant")
    assert site.test_client().get(f"/api/v1/holders/{holder.id}/entitlements/print",
                                  headers={"Authorization": f"Bearer {assistant}"}).status_code == 403


def test_department_clerk_opens_the_explanation_from_the_admin_menu(client, users) -> None:  # type: ignore[no-untyped-def]
    holder = make_holder()
    users("dept_clerk", "dept-education", name="edu1", password="pass-word-1")
    client.post("/login", data={"username": "edu1", "password": "pass-word-1"})
    # from the education menu; the kernel's own entry is for the police and the county
    assert client.get("/admin/explanations/").status_code == 403
    page = client.get("/admin/education_explanations/")
    assert page.status_code == 200 and "公共服务权益说明" in page.text and "公民身份号码" in page.text
    assert 'href="/admin/education_explanations/"' in page.text  # in the clerk's menu
    assert client.get("/admin/housing_explanations/").status_code == 403  # not another's menu
    bad = client.post("/admin/education_explanations/",
                      data={"id_number": "123", "as_of": "2026-06-01"})
    assert bad.status_code == 200 and "公民身份号码" in bad.text and "alert-danger" in bad.text
    ok = client.post("/admin/education_explanations/", data={"id_number": holder.id_number,
                                                              "as_of": "2026-06-01"})
    assert ok.status_code == 302
    assert ok.headers["Location"].endswith(f"/holders/{holder.id}/entitlements/print?as_of=2026-06-01")
    printed = client.get(ok.headers["Location"])
    assert printed.status_code == 200 and "公共服务权益说明" in printed.text
