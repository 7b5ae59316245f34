"""art18.3 through the engine: GET /holders/{id}/entitlements (reasons with their articles, the
parameters used with since and source), the batch SQL form agreeing with the per-holder check
over a mixed population, and a new parameter value applying from its start date only."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import func, select

from core import api as kernel
from core.db import db
from core.models import AuditEvent
from core.parameters import ParameterError, add_value

D = dt.date
B = "《办法》第十八条（三）"
AS_OF = D(2026, 12, 4)


def item(api: Any, token: str, holder: Any, as_of: dt.date) -> dict[str, Any]:
    resp = api("GET", f"/holders/{holder.id}/entitlements?as_of={as_of}", token)
    assert resp.status_code == 200, resp.json
    return next(i for i in resp.json["items"] if i["code"] == "art18.3")


def test_registered_with_its_item_title_and_owner(app: Any) -> None:
    plugin, ent = kernel.state().entitlements["art18.3"]
    assert plugin == "education"
    assert (ent.item, ent.department, ent.title) == ("（三）", "dept-education", "子女接受学前教育、义务教育")
    assert ent.sql is not None


def test_a_child_of_compulsory_age_with_a_valid_permit(api: Any, users: Any, edu: Any) -> None:
    _, token = users("dept_clerk", "dept-education")
    holder = edu.holder()
    edu.permit(holder, issued_on=D(2026, 1, 15))
    kid = edu.child(holder, D(2020, 8, 31))  # 6 on 2026-08-31: enters 一年级
    got = item(api, token, holder, AS_OF)
    assert (got["status"], got["eligible"], got["item"], got["department"]) == \
        ("eligible", True, "（三）", "dept-education")
    permit, reason = got["reasons"]
    assert permit["code"] == "permit" and permit["passed"] and permit["basis"] == "《办法》第十四条"
    assert reason["code"] == f"child_{kid.id}" and reason["passed"] and reason["basis"] == B
    assert "张小明" in reason["text"] and "2026—2027学年" in reason["text"]
    assert "6周岁" in reason["text"] and "本学年入学一年级" in reason["text"]
    params = {p["name"]: p for p in got["parameters"]}
    assert set(params) == {"education.preschool_age_min", "education.compulsory_age_min",
                           "education.compulsory_age_max", "education.school_year_cutoff"}
    assert params["education.compulsory_age_min"]["value"] == 6
    assert params["education.compulsory_age_min"]["since"] == "2016-01-01"
    assert "《中华人民共和国义务教育法》第十一条" in params["education.compulsory_age_min"]["source"]
    assert params["education.preschool_age_min"]["since"] == "2016-03-01"
    assert "教育部令第39号" in params["education.preschool_age_min"]["source"]
    assert params["education.school_year_cutoff"]["value"] == "08-31"
    assert params["education.compulsory_age_max"]["value"] == 15
    # before the 2016 规程 took effect, the 1996 one applied (same age)
    early = {p["name"]: p for p in item(api, token, holder, D(2016, 2, 1))["parameters"]}
    assert early["education.preschool_age_min"]["since"] == "2016-01-01"
    assert "国家教育委员会令第25号" in early["education.preschool_age_min"]["source"]


def test_a_suspended_permit_fails_citing_article_14(api: Any, users: Any, edu: Any) -> None:
    _, token = users("auditor")
    holder = edu.holder()
    edu.permit(holder, issued_on=D(2025, 10, 1))  # valid until 2026-10-01, never endorsed
    edu.child(holder, D(2019, 5, 1))
    got = item(api, token, holder, AS_OF)
    assert got["status"] == "ineligible" and got["eligible"] is False
    assert got["reasons"][0]["code"] == "permit" and not got["reasons"][0]["passed"]
    assert got["reasons"][0]["basis"] == "《办法》第十四条" and "使用功能中止" in got["reasons"][0]["text"]
    assert got["reasons"][1]["passed"]  # the child is of age; the permit is what fails
    assert item(api, token, holder, D(2026, 10, 1))["status"] == "eligible"  # its last valid day


def test_no_permit_and_no_child(api: Any, users: Any, edu: Any) -> None:
    _, token = users("county_admin")
    holder = edu.holder()
    got = item(api, token, holder, AS_OF)
    assert got["status"] == "ineligible"
    assert [r["code"] for r in got["reasons"]] == ["permit", "no_child"]
    assert got["reasons"][1]["basis"] == B and "未登记随迁子女" in got["reasons"][1]["text"]


def test_only_too_young_and_too_old_children(api: Any, users: Any, edu: Any) -> None:
    _, token = users("county_admin")
    holder = edu.holder(birth_date=D(1975, 1, 1))
    edu.permit(holder)
    edu.child(holder, D(2025, 11, 14), name="陈一鸣")  # one year old
    edu.child(holder, D(2009, 6, 1), name="王雪", sex="female", relation="daughter")  # 17
    got = item(api, token, holder, AS_OF)
    assert got["status"] == "ineligible"
    texts = [r["text"] for r in got["reasons"][1:]]
    assert "王雪" in texts[0] and "已超过义务教育年龄上限15周岁" in texts[0]  # oldest first
    assert "陈一鸣" in texts[1] and "未满学前教育入园年龄3周岁" in texts[1]


# -- batch agreement -----------------------------------------------------------------------------

@pytest.fixture
def population(edu: Any) -> dict[str, Any]:
    """Every branch: permit valid / suspended / revoked / none, no child (NULL), children on
    each boundary of school year 2026 (cut-off 2026-08-31) and of 2025."""
    def person(key: str, births: list[dt.date], permit: str | None = "valid") -> Any:
        holder = edu.holder(name=key, birth_date=D(1980, 1, 1))
        if permit == "valid":
            edu.permit(holder, issued_on=D(2025, 12, 20))  # valid through 2026-12-20
        elif permit == "suspended":
            edu.permit(holder, issued_on=D(2025, 6, 1))  # suspended from 2026-06-02
        elif permit == "revoked":
            edu.permit(holder, issued_on=D(2026, 1, 10), revoked_on=D(2026, 11, 1))
        elif permit == "late":
            edu.permit(holder, issued_on=D(2026, 12, 1))
        for birth in births:
            edu.child(holder, birth)
        return holder

    return {
        "grade_one": person("甲", [D(2020, 8, 31)]),  # exactly 6 on the cut-off
        "five": person("乙", [D(2020, 9, 1)]),  # 5: preschool
        "three": person("丙", [D(2023, 8, 31)]),  # exactly 3
        "two": person("丁", [D(2023, 9, 1)]),  # one day short of 3
        "fifteen": person("戊", [D(2010, 9, 1)]),  # 15
        "sixteen": person("己", [D(2010, 8, 31)]),  # 16 on the cut-off
        "no_child": person("庚", []),  # NULL facts: outer join finds nothing
        "no_permit": person("辛", [D(2019, 1, 1)], permit=None),
        "suspended": person("壬", [D(2019, 1, 1)], permit="suspended"),
        "revoked": person("癸", [D(2019, 1, 1)], permit="revoked"),
        "late_permit": person("子", [D(2019, 1, 1)], permit="late"),
        "mixed": person("丑", [D(2005, 1, 1), D(2018, 1, 1), D(2026, 1, 1)]),
        "unborn": person("寅", [D(2026, 9, 1)]),  # born after the cut-off
        "two_of_age": person("卯", [D(2019, 1, 1), D(2022, 1, 1)]),  # one row, not two
    }


def reasons_by_key(rows: list[Any], population: dict[str, Any]) -> dict[str, str]:
    by_id = {r.holder_id: r.reason for r in rows}
    return {key: by_id[h.id] for key, h in population.items()}


def test_batch_agrees_with_the_check_on_several_dates(batch_agrees: Any,
                                                      population: dict[str, Any]) -> None:
    got = reasons_by_key(batch_agrees("art18.3", AS_OF), population)
    assert got == {"grade_one": "", "five": "", "three": "", "two": "conditions",
                   "fifteen": "", "sixteen": "conditions", "no_child": "conditions",
                   "no_permit": "no_permit", "suspended": "suspended", "revoked": "revoked",
                   "late_permit": "", "mixed": "", "unborn": "conditions", "two_of_age": ""}
    # 2026-08-31 is still school year 2025 (cut-off 2025-08-31): everyone a year younger
    got = reasons_by_key(batch_agrees("art18.3", D(2026, 8, 31)), population)
    assert (got["grade_one"], got["two"], got["sixteen"], got["three"]) == \
        ("", "conditions", "", "conditions")
    assert got["suspended"] == "suspended" and got["late_permit"] == "no_permit"
    got = reasons_by_key(batch_agrees("art18.3", D(2026, 9, 1)), population)
    assert (got["three"], got["two"], got["sixteen"]) == ("", "conditions", "conditions")
    for as_of in (D(2027, 9, 1), D(2025, 12, 31), D(2016, 3, 1)):
        batch_agrees("art18.3", as_of)


# -- a new parameter value ----------------------------------------------------------------------

def test_a_new_value_applies_from_its_start_and_not_before(api: Any, users: Any, edu: Any,
                                                          batch_agrees: Any) -> None:
    user, token = users("dept_clerk", "dept-education")
    holder = edu.holder()
    edu.permit(holder, issued_on=D(2026, 11, 1))  # valid through 2027-11-01
    edu.child(holder, D(2011, 8, 31))  # 15 on 2026-08-31
    param = kernel.state().parameters["education.compulsory_age_max"]
    assert item(api, token, holder, D(2027, 1, 1))["status"] == "eligible"
    events = db.session.scalar(select(func.count()).select_from(AuditEvent))
    add_value(db.session, param, start_on=D(2027, 1, 1), raw_value="14",
              source="师宗县教育体育局2026年第5号通知（测试）", entered_on=AS_OF, actor=user)
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == events + 1
    before = item(api, token, holder, D(2026, 12, 31))
    after = item(api, token, holder, D(2027, 1, 1))
    assert before["status"] == "eligible"
    assert "义务教育阶段（6至15周岁）" in before["reasons"][1]["text"]
    assert after["status"] == "ineligible"
    assert "已超过义务教育年龄上限14周岁" in after["reasons"][1]["text"]
    used = {p["name"]: p for p in after["parameters"]}["education.compulsory_age_max"]
    assert (used["value"], used["since"]) == (14, "2027-01-01")
    assert "第5号通知" in used["source"]
    assert [r.reason for r in batch_agrees("art18.3", D(2026, 12, 31))] == [""]
    assert [r.reason for r in batch_agrees("art18.3", D(2027, 1, 1))] == ["conditions"]
    # school year 2026 began before the new value: its enrolment list still uses 15
    resp = api("GET", "/education/enrolment?school_year=2026", token)
    assert {p["name"]: p["value"] for p in resp.json["parameters"]}[
        "education.compulsory_age_max"] == 15
    # a value may not start before the day it is entered (no rule changes the past)
    with pytest.raises(ParameterError) as err:
        add_value(db.session, param, start_on=D(2026, 12, 1), raw_value="16", source="测试",
                  entered_on=AS_OF, actor=user)
    assert err.value.code == "start_in_past"
    db.session.rollback()


def test_a_new_cut_off_moves_the_school_year(api: Any, users: Any, edu: Any,
                                             batch_agrees: Any) -> None:
    """A cut-off of 07-31 from 2027-07-01: 2027-08-01 already starts school year 2027."""
    user, token = users("dept_clerk", "dept-education")
    holder = edu.holder()
    edu.permit(holder, issued_on=D(2026, 11, 1))
    edu.child(holder, D(2024, 7, 31))  # 2 on 2026-08-31; 3 on 2027-07-31
    add_value(db.session, kernel.state().parameters["education.school_year_cutoff"],
              start_on=D(2027, 7, 1), raw_value="7-31", source="测试通知", entered_on=AS_OF,
              actor=user)
    db.session.commit()
    assert item(api, token, holder, D(2027, 7, 31))["status"] == "ineligible"
    got = item(api, token, holder, D(2027, 8, 1))
    assert got["status"] == "eligible" and "按2027年7月31日计3周岁" in got["reasons"][1]["text"]
    assert [r.reason for r in batch_agrees("art18.3", D(2027, 8, 1))] == [""]
    resp = api("GET", "/education/enrolment?school_year=2027&stage=preschool", token)
    assert resp.json["first_day"] == "2027-08-01" and resp.json["cutoff_day"] == "2027-07-31"
    assert [c["age"] for c in resp.json["children"]] == [3]


def test_the_printed_explanation_names_the_child_and_the_values_used(api: Any, users: Any,
                                                                     edu: Any) -> None:
    _, token = users("dept_clerk", "dept-education")
    holder = edu.holder()
    edu.permit(holder)
    edu.child(holder, D(2022, 1, 10), name="欧阳欣怡", sex="female", relation="daughter")
    html = api("GET", f"/holders/{holder.id}/entitlements/print?as_of=2026-12-04", token).text
    assert "子女接受学前教育、义务教育" in html and "欧阳欣怡" in html and "学前教育阶段" in html
    assert "义务教育入学年龄6岁" in html and B in html
