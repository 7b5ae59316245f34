"""The printable one-time notice (一次性告知书, 第十三条) and the written decision (不予签发
居住证决定书, 第十一条), served to the bearer token that applied."""

from __future__ import annotations

import datetime as dt
from typing import Any

from .conftest import XIONGBI, make_id

FULL = ["id_card", "photo", "photo", "rental_contract"]


def apply(ps: Any, api: Any, token: str, name: str = "张伟", **kw: Any) -> dict[str, Any]:
    holder = ps.holder(name=name)
    ps.registration(holder, registered_on=dt.date(2026, 1, 10))
    payload = {"holder_id": holder.id, "accepted_on": "2026-07-10", "basis": ["residence"],
               "materials": FULL, "applicant": "self", **kw}
    res = api("POST", "/applications", token, payload)
    assert res.status_code == 201, res.json
    return res.json


def page(api: Any, url: str, token: str | None) -> Any:
    return api("GET", url.removeprefix("/api/v1"), token)


def test_notice_lists_every_missing_item_with_articles_date_and_station(ps, api, clerk) -> None:  # type: ignore[no-untyped-def]
    out = apply(ps, api, clerk[1], basis=["employment"], materials=["photo"])
    res = page(api, out["notice_url"], clerk[1])
    assert res.status_code == 200 and res.mimetype == "text/html"
    html = res.get_data(as_text=True)
    assert "<title>居住证申领材料补正一次性告知书</title>" in html
    assert out["document_number"] in html and "张伟" in html
    assert "2026年7月10日" in html and "丹凤派出所" in html
    assert "《办法》第十二条、第十三条" in html
    assert "补齐材料后可再次申领；办理居住证不收取任何费用（《办法》第六条）" in html
    for item in out["missing_materials"]:
        assert f"<li>{item['name']}</li>" in html
    assert len(out["missing_materials"]) == 4  # identity, photos, residence and employment proof
    assert "房屋租赁合同、房屋产权证明文件、购房合同" in html  # a group with its alternatives
    assert "行政复议" not in html  # a notice, not a decision


def test_decision_gives_reasons_articles_and_remedies(ps, api, clerk) -> None:  # type: ignore[no-untyped-def]
    out = apply(ps, api, clerk[1], accepted_on="2026-07-09", basis=[])
    html = page(api, out["notice_url"], clerk[1]).get_data(as_text=True)
    assert "<title>不予签发居住证决定书</title>" in html and out["document_number"] in html
    for reason in out["reasons"]:
        assert not reason["passed"] and reason["text"] in html
    assert "（《办法》第十一条）" in html and "2026年7月9日" in html
    assert ("如不服本决定，可以自收到本决定书之日起六十日内依法申请行政复议，或者自知道或者应当知道"
            "本行政行为之日起六个月内依法向人民法院提起行政诉讼") in html
    assert "《中华人民共和国行政复议法》" in html and "《中华人民共和国行政诉讼法》" in html
    assert "一次性告知" not in html


def test_pages_answer_police_roles_and_refuse_others(ps, api, clerk, users) -> None:  # type: ignore[no-untyped-def]
    url = apply(ps, api, clerk[1], materials=[])["notice_url"]
    assert page(api, url, users("county_admin")[1]).status_code == 200
    assert page(api, url, users("police_officer")[1]).status_code == 200
    for token in (users("station_clerk", XIONGBI)[1], users("auditor")[1],
                  users("dept_clerk", "dept-education")[1], users("assistant")[1]):
        assert page(api, url, token).status_code == 403
    assert page(api, url, None).status_code == 401
    assert page(api, "/applications/999999/notice", clerk[1]).status_code == 404


def test_an_issued_application_has_no_notice(ps, api, clerk) -> None:  # type: ignore[no-untyped-def]
    ps.number_range("station-530323001", 1000, 1999)
    out = apply(ps, api, clerk[1])
    assert out["outcome"] == "issued" and out["notice_url"] is None
    res = api("GET", f"/applications/{out['id']}/notice", clerk[1])
    assert res.status_code == 404 and res.json["error"] == "no_notice"


def test_markup_in_the_holders_name_is_escaped(ps, api, clerk) -> None:  # type: ignore[no-untyped-def]
    out = apply(ps, api, clerk[1], name="<script>alert(1)</script>张", materials=[])
    html = page(api, out["notice_url"], clerk[1]).get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;张" in html


def test_an_agents_application_names_the_agent(ps, api, clerk) -> None:  # type: ignore[no-untyped-def]
    agent = make_id("530323", dt.date(1985, 1, 1), 9, "female")
    holder = ps.holder(name="王小明", birth_date=dt.date(2015, 5, 1))
    ps.registration(holder, registered_on=dt.date(2026, 1, 10))
    res = api("POST", "/applications", clerk[1], {
        "holder_id": holder.id, "accepted_on": "2026-07-10", "basis": ["residence"],
        "materials": ["household_register", "photo", "photo", "rental_contract"],
        "applicant": "guardian", "agent_id_number": agent})
    html = page(api, res.json["notice_url"], clerk[1]).get_data(as_text=True)
    assert "代办人公民身份号码" in html and agent in html
    assert "代办人合法有效身份证件" in html and "委托人（申领人）合法有效身份证件" in html
