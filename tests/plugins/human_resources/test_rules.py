"""The pure rules of 第十八条（二）（七）（八), table by table: each condition both ways, the
birthday itself and the day before, 29 February birthdays, and the validation of records."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from core import api as kernel
from plugins.human_resources import rules
from plugins.human_resources.rules import EmploymentFact

D = dt.date


# -- the birth-date bound agrees with age_on on every day ------------------------------------------

@pytest.mark.parametrize("as_of, years, bound", [
    (D(2026, 12, 4), 16, D(2010, 12, 4)),
    (D(2025, 2, 28), 17, D(2008, 2, 29)),   # born 2008-02-29 turns 17 on 2025-02-28
    (D(2024, 2, 28), 16, D(2008, 2, 28)),   # 2024 is a leap year: the 29th is still to come
    (D(2024, 2, 29), 16, D(2008, 2, 29)),
    (D(2025, 3, 1), 17, D(2008, 3, 1)),
    (D(2025, 2, 28), 61, D(1964, 2, 29)),
])
def test_latest_birth_for_age(as_of: dt.date, years: int, bound: dt.date) -> None:
    assert rules.latest_birth_for_age(as_of, years) == bound


def test_the_bound_agrees_with_age_on_around_every_29_february() -> None:
    births = [D(2008, 2, 27) + dt.timedelta(days=i) for i in range(5)]
    births += [D(1964, 2, 26) + dt.timedelta(days=i) for i in range(6)]
    days = [D(y, 2, 25) + dt.timedelta(days=i) for y in (2024, 2025, 2026) for i in range(7)]
    for years in (16, 17, 18, 60, 61):
        for as_of in days:
            bound = rules.latest_birth_for_age(as_of, years)
            for birth in births:
                if birth <= as_of:
                    assert (kernel.rules.age_on(birth, as_of) >= years) == (birth <= bound), \
                        (birth, as_of, years)


# -- （二）working age ------------------------------------------------------------------------------

@pytest.mark.parametrize("birth, as_of, passed", [
    (D(2010, 12, 4), D(2026, 12, 4), True),    # the 16th birthday itself
    (D(2010, 12, 5), D(2026, 12, 4), False),   # the day before it
    (D(1990, 3, 7), D(2026, 12, 4), True),
    (D(2008, 2, 29), D(2024, 2, 28), False),   # leap year: 16 only on the 29th
    (D(2008, 2, 29), D(2024, 2, 29), True),
    (D(2027, 1, 1), D(2026, 12, 4), False),    # born after the day asked: no age, no error
])
def test_working_age(birth: dt.date, as_of: dt.date, passed: bool) -> None:
    decision = rules.social_insurance_decision(birth, as_of, 16, [])
    assert decision.eligible is passed
    first = decision.reasons[0]
    assert first.code == "working_age" and first.passed is passed
    assert "《办法》第十八条（二）" in first.basis and "《劳动法》第十五条" in first.basis
    if not passed:
        assert len(decision.reasons) == 1  # no insurance route offered under the working age
    if birth <= as_of and not passed:
        assert "未满16周岁" in first.text and "城乡居民基本医疗保险" in first.text


def test_a_29_february_birthday_counts_on_28_february_of_a_common_year() -> None:
    # min age 17 (a later parameter value): born 2008-02-29, 17 on 2025-02-28
    assert not rules.social_insurance_decision(D(2008, 2, 29), D(2025, 2, 27), 17, []).eligible
    assert rules.social_insurance_decision(D(2008, 2, 29), D(2025, 2, 28), 17, []).eligible


def fact(started: dt.date, ended: dt.date | None, insured: bool,
         name: str = "甲公司") -> EmploymentFact:
    return EmploymentFact(name, started, ended, insured)


@pytest.mark.parametrize("employments, as_of, expected", [
    ([fact(D(2025, 1, 1), None, True)], D(2026, 1, 1), "由用人单位甲公司"),
    ([fact(D(2025, 1, 1), D(2026, 1, 1), True)], D(2026, 1, 1), "由用人单位甲公司"),  # last day
    ([fact(D(2025, 1, 1), D(2025, 12, 31), True)], D(2026, 1, 1), "未登记在用人单位参保就业"),
    ([fact(D(2026, 1, 2), None, True)], D(2026, 1, 1), "未登记在用人单位参保就业"),  # not yet
    ([fact(D(2025, 1, 1), None, False)], D(2026, 1, 1), "在甲公司就业，但登记为用人单位未为其缴纳"),
    ([fact(D(2025, 1, 1), None, False), fact(D(2025, 6, 1), None, True, "乙公司")], D(2026, 1, 1),
     "由用人单位乙公司"),  # an insured job speaks first
    ([], D(2026, 1, 1), "未登记在用人单位参保就业"),
])
def test_the_employment_reason_says_how_to_take_part(employments: list[EmploymentFact],
                                                     as_of: dt.date, expected: str) -> None:
    decision = rules.social_insurance_decision(D(1990, 3, 7), as_of, 16, employments)
    assert decision.eligible
    reason = decision.reasons[1]
    assert reason.code == "employment" and reason.passed  # informational
    assert expected in reason.text
    if "由用人单位" in expected:
        assert "参加职工社会保险" in reason.text and "第五十八条" in reason.basis
    else:
        assert "可以灵活就业人员身份在居住地参加企业职工基本养老保险、职工基本医疗保险" in reason.text
        assert "户籍限制" in reason.text and reason.basis == "《社会保险法》第十条、第二十三条"


# -- （七）training age band, both bounds included ---------------------------------------------

@pytest.mark.parametrize("birth, as_of, passed, words", [
    (D(2010, 12, 4), D(2026, 12, 4), True, "在劳动年龄内（16至60周岁）"),   # 16th birthday
    (D(2010, 12, 5), D(2026, 12, 4), False, "未满16周岁"),                # 15, one day short
    (D(1965, 12, 5), D(2026, 12, 4), True, "2026年12月4日时60周岁"),        # 61 tomorrow
    (D(1965, 12, 4), D(2026, 12, 4), False, "已超过60周岁"),               # the 61st birthday
    (D(1964, 2, 29), D(2025, 2, 27), True, "2025年2月27日时60周岁"),
    (D(1964, 2, 29), D(2025, 2, 28), False, "时61周岁，已超过60周岁"),       # 61 on 02-28
    (D(2030, 1, 1), D(2026, 12, 4), False, "晚于判断日"),
])
def test_training_age(birth: dt.date, as_of: dt.date, passed: bool, words: str) -> None:
    decision = rules.training_decision(birth, as_of, 16, 60, {})
    assert decision.eligible is passed
    assert decision.reasons[0].code == "training_age"
    assert words in decision.reasons[0].text
    assert decision.reasons[0].basis == "《办法》第十八条（七）"
    codes = [r.code for r in decision.reasons]
    assert ("public_employment_service" in codes) is passed


def test_training_records_are_named_when_there_are_some() -> None:
    decision = rules.training_decision(D(1990, 3, 7), D(2026, 12, 4), 16, 60,
                                       {"skills_training": 2, "job_guidance": 1,
                                        "exam_registration": 5})
    records = decision.reasons[-1]
    assert records.code == "records" and records.text == "本部门在册记录：职业技能培训2次、职业指导1次"
    assert "records" not in [r.code for r in rules.training_decision(
        D(1990, 3, 7), D(2026, 12, 4), 16, 60, {"exam_registration": 1}).reasons]


# -- （八）qualification exams: the permit alone ----------------------------------------------

def test_qualification_exams_need_only_the_permit() -> None:
    decision = rules.qualification_decision({"exam_registration": 1})
    assert decision.eligible
    codes = [r.code for r in decision.reasons]
    assert codes == ["qualification_exams", "national_reform", "records"]
    assert decision.reasons[0].basis == "《办法》第十八条（八）"
    assert "多数全国统一的职业资格考试报名不以户籍或居住证为条件" in decision.reasons[1].text
    assert all(r.passed for r in decision.reasons)


# -- validation of records ------------------------------------------------------------------------

@pytest.mark.parametrize("code, expected", [
    ("91350100M000100Y43", "91350100M000100Y43"),
    (" 9144030071526726xg ", "9144030071526726XG"),   # stripped and upper-cased
    ("", None),
    (None, None),
])
def test_credit_codes_accepted(code: Any, expected: Any) -> None:
    assert rules.check_credit_code(code) == expected


@pytest.mark.parametrize("code, error", [
    ("91350100M000100Y44", "credit_code_check"),
    ("91350100M000100Y4", "credit_code_format"),     # 17 characters
    ("9135010OM000100Y43", "credit_code_format"),    # the letter O is not used
])
def test_credit_codes_refused(code: str, error: str) -> None:
    with pytest.raises(kernel.RuleError) as exc:
        rules.check_credit_code(code)
    assert exc.value.code == error and exc.value.field == "credit_code"
    assert exc.value.message.startswith("统一社会信用代码：") and "GB 32100-2015" in exc.value.message


def test_employment_dates() -> None:
    rules.check_employment_dates(D(1990, 3, 7), D(2026, 1, 1), D(2026, 1, 1))  # one day: fine
    rules.check_employment_dates(D(1990, 3, 7), D(2026, 1, 1), None)
    with pytest.raises(kernel.RuleError) as exc:
        rules.check_employment_dates(D(1990, 3, 7), D(2026, 1, 2), D(2026, 1, 1))
    assert exc.value.field == "ended_on" and exc.value.code == "ended_before_started"
    assert exc.value.message.startswith("结束日期：") and "《办法》第十八条（二）" in exc.value.message
    with pytest.raises(kernel.RuleError) as exc:
        rules.check_employment_dates(D(1990, 3, 7), D(1990, 3, 6), None)
    assert exc.value.field == "started_on"


def test_training_records_validated() -> None:
    rules.check_training(D(1990, 3, 7), "job_referral", D(2026, 1, 1))
    with pytest.raises(kernel.RuleError) as exc:
        rules.check_training(D(1990, 3, 7), "golf", D(2026, 1, 1))
    assert exc.value.field == "kind"
    with pytest.raises(kernel.RuleError) as exc:
        rules.check_training(D(1990, 3, 7), "exam_registration", D(1990, 1, 1))
    assert exc.value.field == "on" and "第十八条（八）" in exc.value.message
