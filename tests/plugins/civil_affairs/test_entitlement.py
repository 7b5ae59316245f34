"""第十八条（一) through the engine: reasons with their bases and the parameter values used; a
suspended permit fails citing 第十四条; a late endorsement restarts the years; the SQL form
agrees with the check over a mixed population (no permit included); a new parameter value
applies from its start date only."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from core.db import db
from core.parameters import add_value
from plugins.civil_affairs.parameters import MIN_RESIDENCE_YEARS, VOTING_AGE

D = dt.date
AS_OF = D(2026, 12, 4)


def item(api: Any, token: str, holder_id: int, as_of: dt.date) -> dict[str, Any]:
    resp = api("GET", f"/holders/{holder_id}/entitlements?as_of={as_of}", token)
    assert resp.status_code == 200, resp.json
    return next(i for i in resp.json["items"] if i["code"] == "art18.1")


@pytest.fixture
def clerk(users: Any) -> str:
    return users("dept_clerk", "dept-civil-affairs")[1]


def test_eligible_with_reasons_bases_and_parameters(ca: Any, api: Any, clerk: str) -> None:
    holder = ca.holder(D(1990, 3, 7))
    ca.permit(holder, D(2026, 1, 15), since=D(2025, 7, 10))
    got = item(api, clerk, holder.id, AS_OF)
    assert (got["item"], got["department"], got["status"]) == ("（一）", "dept-civil-affairs",
                                                               "eligible")
    assert got["title"] == "选举权和被选举权，参与管理有关社会事务"
    assert [r["code"] for r in got["reasons"]] == ["permit", "voting_age", "residence_years",
                                                   "application"]
    assert [r["basis"] for r in got["reasons"][1:]] == [
        "《宪法》第三十四条", "《村民委员会组织法》第十三条、《办法》第十四条", "《村民委员会组织法》第十三条"]
    assert "自2025年7月10日起在居住地连续居住，至2026年12月4日已满1年" in got["reasons"][2]["text"]
    assert got["parameters"] == [
        {"name": "civil_affairs.voting_age", "title": "选举年龄", "unit": "岁", "value": 18,
         "since": "1982-12-04", "source": VOTING_AGE.values[0].source},
        {"name": "civil_affairs.min_residence_years", "title": "参加选举的最短居住年限",
         "unit": "年", "value": 1, "since": "2010-10-28",
         "source": MIN_RESIDENCE_YEARS.values[0].source}]


def test_the_exact_day_of_one_year(ca: Any, api: Any, clerk: str) -> None:
    holder = ca.holder(D(1990, 3, 7))
    ca.permit(holder, D(2026, 1, 15), since=D(2025, 12, 4))
    assert item(api, clerk, holder.id, D(2026, 12, 3))["status"] == "ineligible"
    assert item(api, clerk, holder.id, D(2026, 12, 4))["status"] == "eligible"


def test_a_suspended_permit_fails_citing_article_14(ca: Any, api: Any, clerk: str) -> None:
    holder = ca.holder(D(1990, 3, 7))
    ca.permit(holder, D(2025, 1, 15), since=D(2024, 7, 1))  # valid until 2026-01-15
    got = item(api, clerk, holder.id, AS_OF)
    assert got["status"] == "ineligible"
    assert got["reasons"][0]["basis"] == "《办法》第十四条" and not got["reasons"][0]["passed"]
    assert all(r["passed"] for r in got["reasons"][1:])


def test_a_late_endorsement_restarts_the_years(ca: Any, api: Any, clerk: str) -> None:
    holder = ca.holder(D(1990, 3, 7))
    # issued 2025-01-15, suspended from 2026-01-16, endorsed late on 2026-05-20: residence
    # counts again from that day (第十四条第二款)
    ca.permit(holder, D(2025, 1, 15), since=D(2026, 5, 20), valid_until=D(2027, 5, 20))
    got = item(api, clerk, holder.id, AS_OF)
    assert got["status"] == "ineligible" and got["reasons"][0]["passed"]
    residence = got["reasons"][2]
    assert not residence["passed"] and "2027年5月20日满1年" in residence["text"]
    assert item(api, clerk, holder.id, D(2027, 5, 20))["status"] == "eligible"


def test_no_permit_does_not_raise(ca: Any, api: Any, clerk: str) -> None:
    holder = ca.holder(D(1990, 3, 7))
    got = item(api, clerk, holder.id, AS_OF)
    assert got["status"] == "ineligible"
    assert got["reasons"][2]["text"].startswith("无有效居住证，居住年限无法计算")


def population(ca: Any) -> list[Any]:
    people = []

    def person(birth: dt.date, permit: str | None = "valid", since: dt.date = D(2025, 7, 1),
               issued: dt.date = D(2026, 1, 15)) -> None:
        holder = ca.holder(birth)
        if permit == "valid":
            ca.permit(holder, issued, since=since)
        elif permit == "suspended":
            ca.permit(holder, D(2025, 1, 15), since=since)
        elif permit == "revoked":
            ca.permit(holder, issued, since=since, revoked_on=D(2026, 6, 1))
        people.append(holder)

    person(D(1990, 3, 7))
    person(D(1990, 3, 7), None)
    person(D(1990, 3, 7), "suspended", D(2024, 7, 1))
    person(D(1990, 3, 7), "revoked")
    person(D(2008, 12, 4))                           # 18 on 2026-12-04
    person(D(2008, 12, 5))                           # 18 on 2026-12-05
    person(D(2008, 2, 29), since=D(2024, 7, 1))      # 18 on 2026-02-28
    person(D(1985, 1, 1), since=D(2025, 12, 4))      # 1 year on 2026-12-04
    person(D(1985, 1, 1), since=D(2025, 2, 28), issued=D(2025, 3, 1))  # 1 year on 2026-02-28
    person(D(1985, 1, 1), since=D(2024, 2, 29), issued=D(2025, 2, 1))  # 1 year on 2025-02-28
    return people


def test_batch_sql_agrees_with_the_check(ca: Any, batch_agrees: Any) -> None:
    people = population(ca)
    outcomes = set()
    for day in (D(2026, 12, 3), D(2026, 12, 4), D(2026, 12, 5), D(2026, 2, 27), D(2026, 2, 28),
                D(2025, 2, 27), D(2025, 2, 28), D(2026, 6, 1), D(2027, 3, 20)):
        rows = batch_agrees("art18.1", day)
        assert len(rows) == len(people)
        outcomes |= {r.reason for r in rows}
    assert outcomes == {"", "no_permit", "suspended", "revoked", "conditions"}

    def reason(day: dt.date, holder: Any) -> str:
        return next(r.reason for r in batch_agrees("art18.1", day) if r.holder_id == holder.id)

    assert reason(D(2026, 12, 4), people[4]) == ""             # the 18th birthday
    assert reason(D(2026, 12, 4), people[5]) == "conditions"   # the day before
    assert reason(D(2026, 12, 3), people[7]) == "conditions"
    assert reason(D(2026, 12, 4), people[7]) == ""             # one year to the day
    assert reason(D(2026, 2, 28), people[6]) == ""             # born 29 February
    assert reason(D(2026, 2, 27), people[6]) == "conditions"
    assert reason(D(2025, 2, 28), people[9]) == ""             # since 29 February
    assert reason(D(2025, 2, 27), people[9]) == "conditions"


def test_a_new_value_applies_from_its_start_only(ca: Any, api: Any, users: Any,
                                                 batch_agrees: Any) -> None:
    user, token = users("dept_clerk", "dept-civil-affairs")
    holder = ca.holder(D(1990, 3, 7))
    ca.permit(holder, D(2026, 1, 15), since=D(2025, 7, 1), valid_until=D(2028, 1, 15))
    assert item(api, token, holder.id, D(2027, 3, 1))["status"] == "eligible"
    add_value(db.session, MIN_RESIDENCE_YEARS, start_on=D(2027, 3, 1), raw_value="2",
              source="演示：假设的地方规定", entered_on=AS_OF, actor=user)
    db.session.commit()
    after = item(api, token, holder.id, D(2027, 3, 1))
    assert after["status"] == "ineligible" and "未满2年" in after["reasons"][2]["text"]
    assert {p["name"]: (p["value"], p["since"]) for p in after["parameters"]}[
        "civil_affairs.min_residence_years"] == (2, "2027-03-01")
    assert item(api, token, holder.id, D(2027, 2, 28))["status"] == "eligible"
    assert [r.reason for r in batch_agrees("art18.1", D(2027, 3, 1))] == ["conditions"]
    assert [r.reason for r in batch_agrees("art18.1", D(2027, 2, 28))] == [""]
    assert item(api, token, holder.id, D(2027, 7, 1))["status"] == "eligible"  # two years then
