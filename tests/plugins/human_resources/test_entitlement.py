"""第十八条（二）（七）（八) through the engine: GET /holders/{id}/entitlements names each reason's
basis and the parameter values used; a suspended permit fails citing 第十四条; the SQL forms
agree with the per-holder checks over a mixed population; a new parameter value applies from
its start date only."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from core.db import db
from core.parameters import add_value
from plugins.human_resources.parameters import MIN_WORKING_AGE, TRAINING_AGE_MAX

D = dt.date
AS_OF = D(2026, 12, 4)
CODES = ("art18.2", "art18.7", "art18.8")


def items(api: Any, token: str, holder_id: int, as_of: dt.date) -> dict[str, Any]:
    resp = api("GET", f"/holders/{holder_id}/entitlements?as_of={as_of}", token)
    assert resp.status_code == 200, resp.json
    return {i["code"]: i for i in resp.json["items"]}


@pytest.fixture
def clerk(users: Any) -> str:
    return users("dept_clerk", "dept-hrss")[1]


def test_the_three_items_with_reasons_bases_and_parameters(hr: Any, api: Any, clerk: str) -> None:
    holder = hr.holder(D(1990, 3, 7))
    hr.permit(holder, D(2026, 1, 15))
    hr.employment(holder, "师宗县演示建材有限公司", started_on=D(2025, 3, 1))
    hr.training(holder, "exam_registration", D(2026, 6, 1))
    got = items(api, clerk, holder.id, AS_OF)
    assert {c: (got[c]["item"], got[c]["department"], got[c]["status"]) for c in CODES} == {
        "art18.2": ("（二）", "dept-hrss", "eligible"),
        "art18.7": ("（七）", "dept-hrss", "eligible"),
        "art18.8": ("（八）", "dept-hrss", "eligible")}
    social = got["art18.2"]
    assert [r["code"] for r in social["reasons"]] == ["permit", "working_age", "employment"]
    assert all(r["basis"] for r in social["reasons"])
    assert "由用人单位师宗县演示建材有限公司" in social["reasons"][2]["text"]
    assert social["parameters"] == [{
        "name": "human_resources.min_working_age", "title": "最低就业年龄", "unit": "岁", "value": 16,
        "since": "2016-01-01", "source": "《劳动法》第十五条：禁止用人单位招用未满十六周岁的未成年人"}]
    training = got["art18.7"]
    assert {p["name"]: (p["value"], p["since"]) for p in training["parameters"]} == {
        "human_resources.min_working_age": (16, "2016-01-01"),
        "human_resources.training_age_max": (60, "2016-01-01")}
    assert "演示值" in next(p["source"] for p in training["parameters"]
                          if p["name"] == "human_resources.training_age_max")
    exams = got["art18.8"]
    assert [r["code"] for r in exams["reasons"]] == ["permit", "qualification_exams",
                                                     "national_reform", "records"]
    assert exams["reasons"][1]["basis"] == "《办法》第十八条（八）"
    assert exams["parameters"] == []


def test_a_15_year_old_fails_the_working_age(hr: Any, api: Any, clerk: str) -> None:
    holder = hr.holder(D(2011, 6, 1), name="王小芳", sex="female")
    hr.permit(holder, D(2026, 1, 15))
    got = items(api, clerk, holder.id, AS_OF)
    for code in ("art18.2", "art18.7"):
        assert got[code]["status"] == "ineligible"
        assert got[code]["reasons"][0]["passed"] is True  # the permit is fine
        age = got[code]["reasons"][1]
        assert age["passed"] is False and "未满16周岁" in age["text"]
    assert got["art18.8"]["status"] == "eligible"


def test_a_suspended_permit_fails_every_item_citing_article_14(hr: Any, api: Any,
                                                               clerk: str) -> None:
    holder = hr.holder(D(1990, 3, 7))
    hr.permit(holder, D(2025, 1, 15))  # valid until 2026-01-15, never endorsed
    got = items(api, clerk, holder.id, AS_OF)
    for code in CODES:
        first = got[code]["reasons"][0]
        assert got[code]["status"] == "ineligible"
        assert first["code"] == "permit" and not first["passed"]
        assert first["basis"] == "《办法》第十四条" and "使用功能中止" in first["text"]
        # the department's own conditions still pass: the permit alone fails it
        assert all(r["passed"] for r in got[code]["reasons"][1:])


def test_no_permit_never_raises(hr: Any, api: Any, clerk: str) -> None:
    holder = hr.holder(D(1990, 3, 7))
    got = items(api, clerk, holder.id, AS_OF)
    assert {got[c]["status"] for c in CODES} == {"ineligible"}
    assert all(got[c]["reasons"][0]["code"] == "permit" for c in CODES)


def population(hr: Any) -> list[Any]:
    """Every branch: no permit, suspended, revoked; ages 15/16/60/61 at the boundary days;
    29 February births; insured, uninsured, ended and open-ended (NULL) employment."""
    people = []

    def person(birth: dt.date, permit: str | None = "valid", **job: Any) -> None:
        holder = hr.holder(birth)
        if permit == "valid":
            hr.permit(holder, D(2026, 1, 15))
        elif permit == "suspended":
            hr.permit(holder, D(2025, 1, 15))
        elif permit == "revoked":
            hr.permit(holder, D(2026, 1, 15), revoked_on=D(2026, 6, 1))
        if job:
            hr.employment(holder, **job)
        people.append(holder)

    person(D(1990, 3, 7), insured=True)
    person(D(1990, 3, 7), "suspended", insured=False, ended_on=D(2026, 2, 1))
    person(D(1990, 3, 7), "revoked")
    person(D(1990, 3, 7), None)
    person(D(2010, 12, 4))          # 16 on 2026-12-04
    person(D(2010, 12, 5))          # 16 on 2026-12-05
    person(D(1965, 12, 4))          # 61 on 2026-12-04
    person(D(1965, 12, 5))          # 61 on 2026-12-05
    person(D(2008, 2, 29))          # 17 on 2025-02-28 (no permit then), 18 on 2026-02-28
    person(D(1964, 2, 29), insured=False)  # 61 on 2025-02-28
    person(D(2012, 2, 29), None)
    return people


@pytest.mark.parametrize("code", CODES)
def test_batch_sql_agrees_with_the_checks(hr: Any, batch_agrees: Any, code: str) -> None:
    population(hr)
    days = [D(2026, 12, 3), D(2026, 12, 4), D(2026, 12, 5), D(2026, 2, 27), D(2026, 2, 28),
            D(2026, 3, 1), D(2025, 2, 28), D(2026, 6, 1)]
    outcomes = set()
    for day in days:
        rows = batch_agrees(code, day)
        assert len(rows) == 11
        outcomes |= {r.reason for r in rows}
    expected = {"", "no_permit", "suspended", "revoked"}
    if code != "art18.8":
        expected.add("conditions")
    assert outcomes == expected


def test_the_boundaries_in_the_batch(hr: Any, batch_agrees: Any) -> None:
    people = population(hr)
    sixteen, fifteen, sixty_one, sixty = people[4], people[5], people[6], people[7]

    def reason(code: str, day: dt.date, holder: Any) -> str:
        return next(r.reason for r in batch_agrees(code, day) if r.holder_id == holder.id)

    assert reason("art18.2", D(2026, 12, 4), sixteen) == ""
    assert reason("art18.2", D(2026, 12, 4), fifteen) == "conditions"
    assert reason("art18.2", D(2026, 12, 5), fifteen) == ""
    assert reason("art18.7", D(2026, 12, 4), sixty_one) == "conditions"
    assert reason("art18.7", D(2026, 12, 4), sixty) == ""
    assert reason("art18.7", D(2026, 12, 5), sixty) == "conditions"


def test_a_new_value_applies_from_its_start_only(hr: Any, api: Any, users: Any,
                                                 batch_agrees: Any) -> None:
    user, token = users("dept_clerk", "dept-hrss")
    holder = hr.holder(D(1966, 5, 1))  # 61 on 2027-05-01
    hr.permit(holder, D(2026, 1, 15))
    day = D(2027, 6, 1)
    # keep the permit valid in 2027
    from core.models import Permit
    permit = db.session.query(Permit).filter_by(holder_id=holder.id).one()
    permit.valid_until = D(2028, 1, 15)
    db.session.commit()
    assert items(api, token, holder.id, day)["art18.7"]["status"] == "ineligible"
    add_value(db.session, TRAINING_AGE_MAX, start_on=D(2027, 6, 1), raw_value="65",
              source="师宗县人社局2027年1号通知（演示）", entered_on=AS_OF, actor=user)
    db.session.commit()
    after = items(api, token, holder.id, day)["art18.7"]
    assert after["status"] == "eligible"
    used = {p["name"]: p for p in after["parameters"]}
    assert used["human_resources.training_age_max"]["value"] == 65
    assert used["human_resources.training_age_max"]["since"] == "2027-06-01"
    before = items(api, token, holder.id, D(2027, 5, 31))["art18.7"]
    assert before["status"] == "ineligible"  # not before its start
    assert {p["name"]: p["value"] for p in before["parameters"]}[
        "human_resources.training_age_max"] == 60
    assert [r.reason for r in batch_agrees("art18.7", D(2027, 6, 1))] == [""]
    assert [r.reason for r in batch_agrees("art18.7", D(2027, 5, 31))] == ["conditions"]
    # the minimum working age moves too, for art18.2 and art18.7 alike
    young = hr.holder(D(2011, 3, 1))  # 16 on 2027-03-01
    hr.permit(young, D(2026, 1, 15))
    add_value(db.session, MIN_WORKING_AGE, start_on=D(2027, 1, 1), raw_value="15",
              source="演示：假设的修订", entered_on=AS_OF, actor=user)
    db.session.commit()
    assert items(api, token, young.id, D(2026, 12, 31))["art18.2"]["status"] == "ineligible"
    assert items(api, token, young.id, D(2027, 1, 1))["art18.2"]["status"] == "eligible"


def test_one_evaluation_reads_the_training_records_once(hr: Any, api: Any, clerk: str) -> None:
    """（七）and（八）both count the training records; they share one query through
    ``facts.once``, and a second request (or another date) reads them afresh."""
    from benchmarks.explain import captured

    holder = hr.holder(D(1990, 3, 7))
    hr.permit(holder, D(2026, 1, 15))
    hr.training(holder, "exam_registration", D(2026, 6, 1))
    with captured(db.engine) as seen:
        first = items(api, clerk, holder.id, AS_OF)
        before = items(api, clerk, holder.id, D(2026, 5, 31))
    reads = [s for s, _p in seen if "FROM human_resources_training" in s]
    assert len(reads) == 2  # one per request
    # the record counts of each date, not the first request's: the exam shows on the later
    assert [r["code"] for r in first["art18.8"]["reasons"]][-1] == "records"
    assert "records" not in [r["code"] for r in before["art18.8"]["reasons"]]
