"""The education API: children (随迁子女) created and read, the enrolment list of a school year;
401 without a token, 403 for other departments and the police, 422 in Chinese naming the field
with nothing written, 409 for the same child twice, an audit event on success."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from core import api as kernel
from core.models import AuditEvent
from plugins.education import rules
from plugins.education.models import Child

from .conftest import last_event, make_id, rows

D = dt.date
B = "《办法》第十八条（三）"


def body(holder: Any, **kw: Any) -> dict[str, Any]:
    birth = kw.pop("birth", D(2020, 3, 15))
    sex = kw.get("sex", "male")
    return {"holder_id": holder.id, "name": "张子涵", "sex": sex, "birth_date": birth.isoformat(),
            "id_number": make_id("530302", birth, 7, sex), "relation": "son", **kw}


@pytest.fixture
def clerk(users: Any) -> str:
    return users("dept_clerk", "dept-education")[1]


def test_a_clerk_registers_a_child_and_reads_it_back(api: Any, edu: Any, clerk: str) -> None:
    holder = edu.holder()
    events = rows(AuditEvent)
    resp = api("POST", "/education/children", clerk, body(holder))
    assert resp.status_code == 201, resp.json
    got = resp.json
    assert (got["holder_id"], got["name"], got["sex"], got["relation"], got["relation_name"]) == \
        (holder.id, "张子涵", "male", "son", "子")
    assert got["birth_date"] == "2020-03-15"
    assert got["id_number"] == make_id("530302", D(2020, 3, 15), 7, "male")
    assert rows(Child) == 1 and rows(AuditEvent) == events + 1
    event = last_event()
    assert (event.action, event.entity, event.entity_id) == \
        ("education_child.create", "education_child", str(got["id"]))
    assert event.new["id_number"] == kernel.rules.mask_id_number(got["id_number"])
    assert got["id_number"] not in str(event.new)  # never the full number in the audit log
    listed = api("GET", f"/education/holders/{holder.id}/children", clerk)
    assert listed.status_code == 200 and [c["id"] for c in listed.json] == [got["id"]]
    # the department's clerk sees it masked too (DESIGN §5; only police roles see it in full)
    assert listed.json[0]["id_number"] == kernel.rules.mask_id_number(got["id_number"])


def test_the_county_admin_writes_and_the_auditor_reads_masked(api: Any, users: Any,
                                                               edu: Any) -> None:
    holder = edu.holder()
    _, admin = users("county_admin")
    typed = " " + body(holder)["id_number"].lower() + " "  # spaces and a lower-case x are folded
    resp = api("POST", "/education/children", admin, body(holder, id_number=typed))
    assert resp.status_code == 201
    _, auditor = users("auditor")
    listed = api("GET", f"/education/holders/{holder.id}/children", auditor)
    assert listed.status_code == 200
    assert listed.json[0]["id_number"] == "530302********" + resp.json["id_number"][-4:]
    denied = api("POST", "/education/children", auditor,
                 body(holder, birth=D(2021, 1, 1), name="张二"))
    assert denied.status_code == 403 and rows(Child) == 1


def test_without_a_token_401(api: Any, edu: Any) -> None:
    holder = edu.holder()
    assert api("POST", "/education/children", None, body(holder)).status_code == 401
    assert api("GET", f"/education/holders/{holder.id}/children").status_code == 401
    assert api("GET", "/education/enrolment").status_code == 401
    assert rows(Child) == 0


@pytest.mark.parametrize("role, org", [("dept_clerk", "dept-health"),
                                       ("dept_clerk", "dept-housing"),
                                       ("station_clerk", "station-530323001"),
                                       ("police_officer", None), ("assistant", None)])
def test_other_departments_and_the_police_403(api: Any, users: Any, edu: Any, role: str,
                                              org: str | None) -> None:
    holder = edu.holder()
    _, token = users(role, org)
    events = rows(AuditEvent)
    resp = api("POST", "/education/children", token, body(holder))
    assert resp.status_code == 403 and resp.json["error"] == "forbidden"
    assert rows(Child) == 0 and rows(AuditEvent) == events  # the act was rolled back
    assert api("GET", f"/education/holders/{holder.id}/children", token).status_code == 403
    assert api("GET", "/education/enrolment?school_year=2026", token).status_code == 403


@pytest.mark.parametrize("change, field, says", [
    (dict(birth=D(1990, 3, 7)), "birth_date", "不晚于持证人"),  # same day as the parent
    (dict(birth=D(1985, 1, 1)), "birth_date", "不晚于持证人"),  # older than the parent
    (dict(id_number="530302202003151613"), "id_number", "校验位"),
    (dict(id_number="12345"), "id_number", "格式错误"),
    (dict(id_number=make_id("530302", D(2020, 3, 16), 7, "male")), "birth_date", "不一致"),
    (dict(id_number=make_id("530302", D(2020, 3, 15), 7, "female")), "sex", "不一致"),
    (dict(relation="daughter"), "relation", "与子女性别“男”不一致"),
    (dict(birth_date="2020-02-30"), "birth_date", "不是有效的日期"),
    (dict(birth_date="15/03/2020"), "birth_date", "YYYY-MM-DD"),
    (dict(sex="boy"), "sex", "子女性别"),
    (dict(relation="uncle"), "relation", "与持证人关系"),
    (dict(name=""), "name", "子女姓名"),
    (dict(birth=D(2090, 1, 1)), "birth_date", "晚于今天"),
])
def test_bad_input_422_names_the_field_and_writes_nothing(api: Any, edu: Any, clerk: str,
                                                          change: dict, field: str,
                                                          says: str) -> None:
    holder = edu.holder(birth_date=D(1990, 3, 7))
    events = rows(AuditEvent)
    resp = api("POST", "/education/children", clerk, body(holder, **change))
    assert resp.status_code == 422, resp.json
    assert field in resp.json["fields"], resp.json
    message = " ".join(resp.json["fields"][field])
    assert says in message, message
    assert "《办法》" in message or "GB 11643" in message
    assert rows(Child) == 0 and rows(AuditEvent) == events


def test_a_child_older_than_the_parent_cites_article_18_3(api: Any, edu: Any, clerk: str) -> None:
    holder = edu.holder(birth_date=D(1990, 3, 7))
    resp = api("POST", "/education/children", clerk, body(holder, birth=D(1989, 1, 1)))
    assert resp.status_code == 422 and resp.json["error"] == "child_not_younger"
    assert B in resp.json["message"] and "出生日期" in resp.json["message"]


def test_invalid_input_is_422_even_for_a_role_that_may_not_write(api: Any, users: Any,
                                                                 edu: Any) -> None:
    holder = edu.holder()
    _, token = users("dept_clerk", "dept-health")
    resp = api("POST", "/education/children", token, body(holder, birth=D(1980, 1, 1)))
    assert resp.status_code == 422


def test_the_same_child_twice_409(api: Any, edu: Any, clerk: str) -> None:
    holder = edu.holder()
    assert api("POST", "/education/children", clerk, body(holder)).status_code == 201
    events = rows(AuditEvent)
    again = api("POST", "/education/children", clerk, body(holder, name="张子涵（重复）"))
    assert again.status_code == 409 and again.json["error"] == "child_exists"
    assert "id_number" in again.json["fields"] and B in again.json["message"]
    assert rows(Child) == 1 and rows(AuditEvent) == events
    # the same child under the other parent is that parent's registration
    other = edu.holder(name="李娜", sex="female", birth_date=D(1988, 11, 21))
    assert api("POST", "/education/children", clerk, body(other)).status_code == 201


def test_unknown_holder_404(api: Any, clerk: str, edu: Any) -> None:
    holder = edu.holder()
    resp = api("POST", "/education/children", clerk, body(holder, holder_id=holder.id + 99))
    assert resp.status_code == 404 and rows(Child) == 0
    assert api("GET", f"/education/holders/{holder.id + 99}/children", clerk).status_code == 404


# -- the enrolment list ---------------------------------------------------------------------------

@pytest.fixture
def school(edu: Any) -> dict[str, Any]:
    """School year 2026 (first day 2026-09-01, ages on 2026-08-31)."""
    valid = edu.holder(name="张伟")
    edu.permit(valid, issued_on=D(2026, 1, 15))
    kids = {
        "grade_one": edu.child(valid, D(2020, 8, 31), name="张一"),
        "preschool": edu.child(valid, D(2022, 1, 10), name="张二", sex="female",
                               relation="daughter"),
        "toddler": edu.child(valid, D(2025, 11, 14), name="张三"),
        "teen": edu.child(valid, D(2009, 6, 1), name="张四"),
        "nine": edu.child(valid, D(2017, 4, 2), name="张五"),
    }
    lapsed = edu.holder(name="李娜", sex="female", birth_date=D(1988, 11, 21))
    edu.permit(lapsed, issued_on=D(2025, 8, 31))  # valid through 2026-08-31 only
    kids["lapsed"] = edu.child(lapsed, D(2018, 1, 1), name="李一")
    later = edu.holder(name="王建国", birth_date=D(1979, 1, 15))
    edu.permit(later, issued_on=D(2026, 9, 2))  # issued after the first day
    kids["later"] = edu.child(later, D(2018, 1, 1), name="王一")
    revoked = edu.holder(name="孙敏", sex="female", birth_date=D(1993, 8, 3))
    edu.permit(revoked, issued_on=D(2026, 1, 10), revoked_on=D(2026, 9, 1))
    kids["revoked"] = edu.child(revoked, D(2018, 1, 1), name="孙一")
    unpermitted = edu.holder(name="杨丽", sex="female", birth_date=D(1992, 2, 29))
    kids["none"] = edu.child(unpermitted, D(2018, 1, 1), name="杨一")
    return kids


def test_enrolment_lists_children_of_valid_permits_on_the_first_day(api: Any, clerk: str,
                                                                    school: dict) -> None:
    resp = api("GET", "/education/enrolment?school_year=2026", clerk)
    assert resp.status_code == 200, resp.json
    got = resp.json
    assert (got["school_year"], got["label"], got["first_day"], got["cutoff_day"],
            got["stage"]) == (2026, "2026—2027学年", "2026-09-01", "2026-08-31", "all")
    assert {p["name"] for p in got["parameters"]} >= {"education.compulsory_age_min"}
    by_name = {c["name"]: c for c in got["children"]}
    assert set(by_name) == {"张一", "张二", "张五"} and got["count"] == 3
    assert (by_name["张一"]["age"], by_name["张一"]["stage"], by_name["张一"]["stage_name"],
            by_name["张一"]["enters_grade_one"]) == (6, "compulsory", "义务教育", True)
    assert (by_name["张二"]["age"], by_name["张二"]["stage"], by_name["张二"]["enters_grade_one"]) == \
        (4, "preschool", False)
    assert (by_name["张五"]["age"], by_name["张五"]["enters_grade_one"]) == (9, False)
    assert by_name["张一"]["holder_name"] == "张伟" and by_name["张一"]["permit_number"]
    assert by_name["张一"]["id_number"] == kernel.rules.mask_id_number(
        school["grade_one"].id_number)  # masked for the department's clerk (DESIGN §5)


def test_enrolment_by_stage_and_year(api: Any, clerk: str, school: dict) -> None:
    def names(query: str) -> list[str]:
        resp = api("GET", f"/education/enrolment?{query}", clerk)
        return [c["name"] for c in resp.json["children"]]

    assert names("school_year=2026&stage=compulsory") == ["张一", "张五"]  # youngest first
    assert names("school_year=2026&stage=preschool") == ["张二"]
    # school year 2025 (ages on 2025-08-31, permits on 2025-09-01): only 李娜's permit was
    # valid then (张伟's was issued 2026-01-15)
    assert names("school_year=2025&stage=all") == ["李一"]
    # school year 2027 (permits on 2027-09-01): 张伟's lapsed on 2027-01-15; 王建国's is valid
    assert names("school_year=2027") == ["王一"]


def test_enrolment_defaults_to_the_current_school_year_and_masks_for_the_auditor(
        api: Any, users: Any, school: dict) -> None:
    _, auditor = users("auditor")
    resp = api("GET", "/education/enrolment", auditor)
    assert resp.status_code == 200
    assert resp.json["school_year"] == rules.school_year(kernel.today(), "08-31")
    children = api("GET", "/education/enrolment?school_year=2026", auditor).json["children"]
    assert len(children) == 3
    expected = [school[k].id_number for k in ("preschool", "grade_one", "nine")]
    assert [c["id_number"] for c in children] == [kernel.rules.mask_id_number(n) for n in expected]


@pytest.mark.parametrize("query, field", [("school_year=abc", "school_year"),
                                          ("school_year=2015", "school_year"),
                                          ("stage=middle", "stage")])
def test_enrolment_bad_query_422(api: Any, clerk: str, query: str, field: str) -> None:
    resp = api("GET", f"/education/enrolment?{query}", clerk)
    assert resp.status_code == 422 and field in resp.json["fields"]
