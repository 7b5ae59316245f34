"""art18.5 through GET /api/v1/holders/{id}/entitlements, its batch SQL form (agreement with
the per-holder check, NULLs included) and a new standard from its start date on."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from core.db import db
from core.parameters import add_value
from plugins.justice.parameters import PARAMETERS

D = dt.date
SOURCE = "云南省法律援助经济困难标准：参照当地城乡居民最低生活保障标准（演示值）；《法律援助法》第三十四条"


def item(api: Any, token: str, holder_id: int, as_of: str) -> dict[str, Any]:
    resp = api("GET", f"/holders/{holder_id}/entitlements?as_of={as_of}", token)
    assert resp.status_code == 200, resp.json
    return next(i for i in resp.json["items"] if i["code"] == "art18.5")


def test_a_holder_in_hardship_with_reasons_bases_and_parameters(jf: Any, api: Any,
                                                               users: Any) -> None:
    holder = jf.holder()
    jf.permit(holder, D(2026, 1, 15))
    jf.means(holder, D(2026, 3, 1), "2000.00")
    _, token = users("dept_clerk", "dept-justice")
    got = item(api, token, holder.id, "2026-06-01")
    assert got["status"] == "eligible" and got["eligible"]
    assert (got["item"], got["title"], got["department"]) == ("（五）", "获得法律援助", "dept-justice")
    assert [(r["code"], r["passed"]) for r in got["reasons"]] == [
        ("permit", True), ("residence_application", True), ("economic_hardship", True),
        ("no_means_test", True)]
    assert all(r["basis"] for r in got["reasons"])
    assert got["parameters"] == [{
        "name": "justice.hardship_income_max", "title": "经济困难标准（家庭人均月收入上限）",
        "unit": "元", "value": "2000.00", "since": "2022-01-01", "source": SOURCE}]


def test_above_the_standard_or_unrecorded_is_ineligible_saying_why(jf: Any, api: Any,
                                                                    users: Any) -> None:
    rich, unknown = jf.holder("赵强"), jf.holder("钱芳", "female")
    for h in (rich, unknown):
        jf.permit(h, D(2026, 1, 15))
    jf.means(rich, D(2026, 3, 1), "2000.01")
    jf.means(unknown, D(2026, 3, 1), None)
    _, token = users("county_admin")
    got = item(api, token, rich.id, "2026-06-01")
    assert got["status"] == "ineligible"
    assert "高于经济困难标准2000.00元" in got["reasons"][2]["text"]
    got = item(api, token, unknown.id, "2026-06-01")
    assert got["status"] == "ineligible" and "可在申请法律援助时" in got["reasons"][2]["text"]
    # before the first row: nothing recorded either
    assert "未登记经济状况，" in item(api, token, rich.id, "2026-02-28")["reasons"][2]["text"]


def test_a_suspended_permit_fails_citing_article_14(jf: Any, api: Any, users: Any) -> None:
    holder = jf.holder()
    jf.permit(holder, D(2025, 1, 10))  # valid until 2026-01-10
    jf.means(holder, D(2025, 3, 1), "900.00")
    _, token = users("auditor")
    assert item(api, token, holder.id, "2026-01-10")["status"] == "eligible"
    got = item(api, token, holder.id, "2026-01-11")
    assert got["status"] == "ineligible"
    assert got["reasons"][0]["basis"] == "《办法》第十四条" and not got["reasons"][0]["passed"]
    assert "使用功能中止" in got["reasons"][0]["text"]
    assert got["reasons"][2]["passed"]  # the department's own condition still passes


def population(jf: Any) -> list[Any]:
    holders = []

    def one(rows: Any = (), permit: Any = D(2026, 1, 15), revoked: Any = None) -> None:
        h = jf.holder()
        if permit:
            jf.permit(h, permit, revoked)
        for on, income in rows:
            jf.means(h, on, income)
        holders.append(h)

    march, june = D(2026, 3, 1), D(2026, 6, 1)
    one([(march, "1500.00")])                            # 0 in hardship
    one([(march, "2000.00")])                            # 1 exactly the standard
    one([(march, "2000.01")])                            # 2 one cent above
    one([(march, "0.00")])                               # 3 no income
    one([(march, None)])                                 # 4 NULL
    one([])                                              # 5 nothing recorded
    one([(march, "1500.00"), (june, "2600.00")])         # 6 no longer poor from June
    one([(march, "2600.00"), (june, None)])              # 7 later unknown
    one([(march, "2600.00"), (june, "1800.00")])         # 8 poor from June
    one([(march, "2600.00"), (march, "1000.00")])        # 9 same day, the later entry
    one([(march, "1000.00"), (march, None)])             # 10 same day, later unknown
    one([(march, "1500.00")], permit=None)               # 11 no permit
    one([(march, "1500.00")], permit=D(2025, 1, 10))     # 12 suspended
    one([(march, "1500.00")], revoked=D(2026, 5, 1))     # 13 revoked
    return holders


@pytest.mark.parametrize("as_of", [D(2026, 2, 28), D(2026, 3, 1), D(2026, 5, 31),
                                   D(2026, 6, 1), D(2027, 1, 16)])
def test_batch_sql_agrees_with_the_check(jf: Any, batch_agrees: Any, as_of: dt.date) -> None:
    holders = population(jf)
    rows = {r.holder_id: r for r in batch_agrees("art18.5", as_of)}
    assert set(rows) >= {h.id for h in holders}


def test_batch_answers_on_chosen_days(jf: Any, batch_agrees: Any) -> None:
    ids = [h.id for h in population(jf)]

    def eligible(as_of: dt.date) -> list[bool]:
        rows = {r.holder_id: r for r in batch_agrees("art18.5", as_of)}
        return [rows[i].eligible for i in ids]

    assert not any(eligible(D(2026, 2, 28)))
    assert eligible(D(2026, 5, 31)) == [True, True, False, True, False, False, True, False,
                                        False, True, False, False, False, False]
    assert eligible(D(2026, 6, 1)) == [True, True, False, True, False, False, False, False,
                                       True, True, False, False, False, False]


def test_a_new_standard_applies_from_its_start_not_before(jf: Any, api: Any, users: Any,
                                                         batch_agrees: Any) -> None:
    holder = jf.holder()
    jf.permit(holder, D(2026, 6, 1))
    jf.means(holder, D(2026, 6, 1), "2300.00")
    user, token = users("dept_clerk", "dept-justice")
    assert item(api, token, holder.id, "2027-01-01")["status"] == "ineligible"
    add_value(db.session, PARAMETERS[0], start_on=D(2027, 1, 1), raw_value="2400",
              source="云南省司法厅2027年调整（测试）", entered_on=D(2026, 12, 5), actor=user)
    db.session.commit()
    after = item(api, token, holder.id, "2027-01-01")
    assert after["status"] == "eligible" and "不超过经济困难标准2400.00元" in after["reasons"][2]["text"]
    assert (after["parameters"][0]["value"], after["parameters"][0]["since"]) == \
        ("2400.00", "2027-01-01")
    assert item(api, token, holder.id, "2026-12-31")["status"] == "ineligible"
    assert [r.eligible for r in batch_agrees("art18.5", D(2027, 1, 1))] == [True]
    assert [r.eligible for r in batch_agrees("art18.5", D(2026, 12, 31))] == [False]
