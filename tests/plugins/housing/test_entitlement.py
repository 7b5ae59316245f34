"""art18.4 through GET /api/v1/holders/{id}/entitlements, its batch SQL form (agreement with
the per-holder check, NULLs included) and a new parameter value from its start date on."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from core.db import db
from core.parameters import add_value
from plugins.housing.parameters import PARAMETERS

D = dt.date
SOURCE = "师宗县公共租赁住房保障对象准入条件（县住房城乡建设局，演示值）；《公共租赁住房管理办法》第七条"


def item(api: Any, token: str, holder_id: int, as_of: str) -> dict[str, Any]:
    resp = api("GET", f"/holders/{holder_id}/entitlements?as_of={as_of}", token)
    assert resp.status_code == 200, resp.json
    return next(i for i in resp.json["items"] if i["code"] == "art18.4")


def test_an_eligible_holder_with_reasons_bases_and_parameters(hf: Any, api: Any,
                                                             users: Any) -> None:
    holder = hf.holder()
    hf.permit(holder, D(2026, 1, 15))
    hf.facts(holder, D(2026, 3, 1), owns=True, area="15.00", months=6, income="3000.00")
    _, token = users("dept_clerk", "dept-housing")
    got = item(api, token, holder.id, "2026-06-01")
    assert got["status"] == "eligible" and got["eligible"]
    assert (got["item"], got["title"], got["department"]) == ("（四）", "申请保障性住房", "dept-housing")
    assert [r["code"] for r in got["reasons"]] == ["permit", "housing", "income", "employment"]
    assert all(r["passed"] for r in got["reasons"])
    assert got["reasons"][1]["basis"] == "《办法》第十八条（四）；《公共租赁住房管理办法》第七条"
    assert all(r["basis"] for r in got["reasons"])
    params = {p["name"]: p for p in got["parameters"]}
    assert params["housing.max_owned_area_sqm"] == {
        "name": "housing.max_owned_area_sqm", "title": "人均住房建筑面积上限", "unit": "平方米",
        "value": "15.00", "since": "2016-01-01", "source": SOURCE}
    assert params["housing.max_monthly_income"]["value"] == "3000.00"
    assert params["housing.min_insurance_months"]["value"] == 6


def test_the_latest_row_on_the_day_decides(hf: Any, api: Any, users: Any) -> None:
    holder = hf.holder()
    hf.permit(holder, D(2026, 1, 15))
    hf.facts(holder, D(2026, 3, 1), months=3)    # too few months
    hf.facts(holder, D(2026, 6, 1), months=9)    # enough from June
    _, token = users("county_admin")
    before = item(api, token, holder.id, "2026-05-31")
    assert before["status"] == "ineligible"
    assert "3个月，不足规定的6个月" in before["reasons"][3]["text"]
    assert item(api, token, holder.id, "2026-06-01")["status"] == "eligible"
    nothing = item(api, token, holder.id, "2026-02-28")  # before any row: nothing recorded
    assert nothing["status"] == "ineligible" and [r["passed"] for r in nothing["reasons"]] == \
        [True, False, False, False]
    assert "尚未登记" in nothing["reasons"][1]["text"]


def test_a_suspended_permit_fails_citing_article_14(hf: Any, api: Any, users: Any) -> None:
    holder = hf.holder()
    hf.permit(holder, D(2025, 1, 10))  # valid until 2026-01-10
    hf.facts(holder, D(2025, 3, 1))
    _, token = users("auditor")
    assert item(api, token, holder.id, "2026-01-10")["status"] == "eligible"
    got = item(api, token, holder.id, "2026-01-11")
    assert got["status"] == "ineligible"
    first = got["reasons"][0]
    assert first["code"] == "permit" and not first["passed"]
    assert first["basis"] == "《办法》第十四条" and "使用功能中止" in first["text"]
    # the department's own conditions still say what they found
    assert [r["passed"] for r in got["reasons"][1:]] == [True, True, True]


def population(hf: Any) -> list[Any]:
    """Every branch: each condition failing, NULLs, thresholds exact and ±1, history, no facts,
    no permit, suspended and revoked permits."""
    holders = []

    def one(permit: Any = D(2026, 1, 15), revoked: Any = None, rows: Any = ()) -> None:
        h = hf.holder()
        if permit:
            hf.permit(h, permit, revoked)
        for on, kw in rows:
            hf.facts(h, on, **kw)
        holders.append(h)

    march = D(2026, 3, 1)
    one(rows=[(march, {})])                                                     # eligible
    one(rows=[(march, {"owns": True, "area": "15.00"})])                        # area exact
    one(rows=[(march, {"owns": True, "area": "15.01"})])                        # area +0.01
    one(rows=[(march, {"owns": True, "area": None})])                           # area NULL
    one(rows=[(march, {"owns": None})])                                         # owns NULL
    one(rows=[(march, {"income": "3000.00"})])                                  # income exact
    one(rows=[(march, {"income": "3000.01"})])
    one(rows=[(march, {"income": None})])
    one(rows=[(march, {"months": 6})])                                          # months exact
    one(rows=[(march, {"months": 5})])
    one(rows=[(march, {"months": None})])
    one(rows=[(march, {"employed": False})])
    one(rows=[(march, {"employed": None})])
    one(rows=[(march, {"owns": None, "area": None, "months": None, "employed": None,
                       "income": None})])                                       # all NULL
    one(rows=[(march, {"months": 2}), (D(2026, 6, 1), {"months": 8})])          # history
    one(rows=[(march, {}), (D(2026, 6, 1), {"income": "5000.00"})])             # gets worse
    one(rows=[(march, {"months": 2}), (march, {"months": 8})])                  # same day twice
    one(rows=[(march, {}), (march, {"employed": False})])                       # same day, worse
    one(rows=[])                                                                # no facts
    one(permit=None, rows=[(march, {})])                                        # no permit
    one(permit=D(2025, 1, 10), rows=[(march, {})])                              # suspended
    one(revoked=D(2026, 5, 1), rows=[(march, {})])                              # revoked
    return holders


@pytest.mark.parametrize("as_of", [D(2026, 2, 28), D(2026, 3, 1), D(2026, 5, 31),
                                   D(2026, 6, 1), D(2027, 1, 15), D(2027, 1, 16)])
def test_batch_sql_agrees_with_the_check(hf: Any, batch_agrees: Any, as_of: dt.date) -> None:
    holders = population(hf)
    rows = {r.holder_id: r for r in batch_agrees("art18.4", as_of)}
    assert set(rows) >= {h.id for h in holders}


def test_batch_answers_on_chosen_days(hf: Any, batch_agrees: Any) -> None:
    holders = population(hf)
    ids = [h.id for h in holders]

    def eligible(as_of: dt.date) -> list[bool]:
        rows = {r.holder_id: r for r in batch_agrees("art18.4", as_of)}
        return [rows[i].eligible for i in ids]

    assert eligible(D(2026, 2, 28)) == [False] * len(ids)   # no facts recorded yet
    assert eligible(D(2026, 5, 31)) == [
        True, True, False, False, False, True, False, False, True, False, False, False, False,
        False, False, True, True, False, False, False, False, False]
    june = eligible(D(2026, 6, 1))
    assert june[14] is True and june[15] is False          # history: the June rows decide
    assert june[21] is False                               # revoked since May


def test_a_new_threshold_applies_from_its_start_not_before(hf: Any, api: Any, users: Any,
                                                          batch_agrees: Any) -> None:
    holder = hf.holder()
    hf.permit(holder, D(2026, 6, 1))
    hf.facts(holder, D(2026, 6, 1), income="3200.00")
    user, token = users("dept_clerk", "dept-housing")
    assert item(api, token, holder.id, "2027-01-01")["status"] == "ineligible"
    param = next(p for p in PARAMETERS if p.name == "housing.max_monthly_income")
    add_value(db.session, param, start_on=D(2027, 1, 1), raw_value="3500",
              source="师宗县住房城乡建设局2027年1号（测试）", entered_on=D(2026, 12, 5), actor=user)
    db.session.commit()
    after = item(api, token, holder.id, "2027-01-01")
    assert after["status"] == "eligible"
    assert "不超过规定标准3500.00元" in after["reasons"][2]["text"]
    used = {p["name"]: p for p in after["parameters"]}["housing.max_monthly_income"]
    assert (used["value"], used["since"]) == ("3500.00", "2027-01-01")
    before = item(api, token, holder.id, "2026-12-31")
    assert before["status"] == "ineligible" and "高于规定标准3000.00元" in before["reasons"][2]["text"]
    assert [r.eligible for r in batch_agrees("art18.4", D(2027, 1, 1))] == [True]
    assert [r.eligible for r in batch_agrees("art18.4", D(2026, 12, 31))] == [False]
