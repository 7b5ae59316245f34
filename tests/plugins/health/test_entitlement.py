"""art18.6 through the engine: GET /holders/{id}/entitlements (the permit decides; the reasons
list the services, with their articles; no parameters), and the batch SQL form agreeing with
the per-holder check over a mixed population on several dates."""

from __future__ import annotations

import datetime as dt
from typing import Any

from core import api as kernel

D = dt.date
B = "《办法》第十八条（六）"
AS_OF = D(2026, 12, 4)


def item(api: Any, token: str, holder: Any, as_of: dt.date) -> dict[str, Any]:
    resp = api("GET", f"/holders/{holder.id}/entitlements?as_of={as_of}", token)
    assert resp.status_code == 200, resp.json
    return next(i for i in resp.json["items"] if i["code"] == "art18.6")


def test_registered_without_parameters(app: Any) -> None:
    plugin, ent = kernel.state().entitlements["art18.6"]
    assert plugin == "health"
    assert (ent.item, ent.department) == ("（六）", "dept-health")
    assert ent.title == "免费享受基本公共卫生和计划生育服务" and ent.sql is not None
    assert not [n for n in kernel.state().parameters if n.startswith("health.")]


def test_a_valid_permit_is_all_it_needs(api: Any, users: Any, hp: Any) -> None:
    _, token = users("dept_clerk", "dept-health")
    holder = hp.holder()
    hp.permit(holder, issued_on=D(2026, 1, 15))
    got = item(api, token, holder, AS_OF)
    assert (got["status"], got["eligible"], got["item"], got["department"]) == \
        ("eligible", True, "（六）", "dept-health")
    assert [r["code"] for r in got["reasons"]] == ["permit", "permit_suffices", "residents_covered"]
    assert all(r["passed"] for r in got["reasons"])
    assert got["reasons"][1]["basis"] == B and "计划生育技术服务" in got["reasons"][1]["text"]
    assert got["parameters"] == []


def test_a_suspended_permit_fails_citing_article_14(api: Any, users: Any, hp: Any) -> None:
    _, token = users("auditor")
    holder = hp.holder()
    hp.permit(holder, issued_on=D(2025, 10, 1))  # valid through 2026-10-01
    got = item(api, token, holder, AS_OF)
    assert got["status"] == "ineligible"
    assert got["reasons"][0]["basis"] == "《办法》第十四条" and not got["reasons"][0]["passed"]
    assert "使用功能中止" in got["reasons"][0]["text"]
    assert item(api, token, holder, D(2026, 10, 1))["status"] == "eligible"
    assert item(api, token, holder, D(2026, 10, 2))["status"] == "ineligible"


def test_batch_agrees_with_the_check_on_several_dates(batch_agrees: Any, hp: Any) -> None:
    valid = hp.holder(name="甲")
    hp.permit(valid, issued_on=D(2026, 1, 15))
    suspended = hp.holder(name="乙")
    hp.permit(suspended, issued_on=D(2025, 6, 1))
    revoked = hp.holder(name="丙")
    hp.permit(revoked, issued_on=D(2026, 1, 10), revoked_on=D(2026, 11, 1))
    none = hp.holder(name="丁")
    renewed = hp.holder(name="戊")  # an old revoked permit, then a new one
    hp.permit(renewed, issued_on=D(2024, 1, 10), revoked_on=D(2024, 6, 1))
    hp.permit(renewed, issued_on=D(2026, 3, 1))
    keys = {valid.id: "valid", suspended.id: "suspended", revoked.id: "revoked", none.id: "none",
            renewed.id: "renewed"}

    def reasons(as_of: dt.date) -> dict[str, str]:
        return {keys[r.holder_id]: r.reason for r in batch_agrees("art18.6", as_of)}

    assert reasons(AS_OF) == {"valid": "", "suspended": "suspended", "revoked": "revoked",
                              "none": "no_permit", "renewed": ""}
    assert reasons(D(2026, 1, 15)) == {"valid": "", "suspended": "", "revoked": "",
                                       "none": "no_permit", "renewed": "revoked"}
    assert reasons(D(2026, 6, 1))["suspended"] == ""  # its last valid day
    assert reasons(D(2026, 6, 2))["suspended"] == "suspended"
    assert set(reasons(D(2016, 1, 1)).values()) == {"no_permit"}
    assert reasons(D(2027, 1, 15))["valid"] == ""  # its last valid day
    assert reasons(D(2027, 1, 16))["valid"] == "suspended"
