"""第十八条（四） rules, condition by condition, both ways, thresholds exact (pure functions)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from plugins.housing import rules

D = Decimal
T = rules.Thresholds(max_owned_area_sqm=D("15.00"), max_monthly_income=D("3000.00"),
                     min_insurance_months=6)
ON = dt.date(2026, 3, 1)


def facts(**kw: Any) -> rules.Facts:
    base = dict(recorded_on=ON, owns_housing_in_county=False, housing_area_sqm=None,
                insurance_months=12, employed=True, monthly_income=D("2000.00"))
    return rules.Facts(**{**base, **kw})


@pytest.mark.parametrize("owns, area, passed, words", [
    (False, None, True, "在本县无住房"),
    (True, D("15.00"), True, "不超过规定标准15.00平方米"),   # exactly the threshold
    (True, D("14.99"), True, "14.99平方米"),
    (True, D("15.01"), False, "超过规定标准15.00平方米"),     # one cent above
    (True, D("0.00"), True, "0.00平方米"),
    (True, None, False, "未登记人均住房建筑面积"),
    (None, None, False, "未登记住房情况"),
    (None, D("10.00"), False, "未登记住房情况"),               # area alone says nothing
])
def test_housing_condition(owns: Any, area: Any, passed: bool, words: str) -> None:
    reason = rules.housing_reason(facts(owns_housing_in_county=owns, housing_area_sqm=area), T)
    assert reason.code == "housing" and reason.passed is passed
    assert words in reason.text, reason.text
    assert "2026年3月1日登记" in reason.text
    assert reason.basis == "《办法》第十八条（四）；《公共租赁住房管理办法》第七条"


@pytest.mark.parametrize("income, passed, words", [
    (D("3000.00"), True, "3000.00元，不超过规定标准3000.00元"),
    (D("2999.99"), True, "不超过"),
    (D("3000.01"), False, "3000.01元，高于规定标准3000.00元"),
    (D("0.00"), True, "0.00元"),
    (None, False, "未登记收入"),
])
def test_income_condition(income: Any, passed: bool, words: str) -> None:
    reason = rules.income_reason(facts(monthly_income=income), T)
    assert (reason.code, reason.passed) == ("income", passed)
    assert words in reason.text and reason.basis == "《公共租赁住房管理办法》第七条"


@pytest.mark.parametrize("employed, months, passed, words", [
    (True, 6, True, "缴纳社会保险6个月，达到规定的6个月"),    # exactly the minimum
    (True, 7, True, "7个月"),
    (True, 5, False, "5个月，不足规定的6个月"),               # one month short
    (True, 0, False, "0个月"),
    (False, 24, False, "未在本县就业"),                        # months without a job
    (None, 24, False, "未登记就业情况"),
    (True, None, False, "未登记在本县缴纳社会保险的月数"),
    (None, None, False, "未登记就业情况"),
])
def test_employment_condition(employed: Any, months: Any, passed: bool, words: str) -> None:
    reason = rules.employment_reason(facts(employed=employed, insurance_months=months), T)
    assert (reason.code, reason.passed) == ("employment", passed)
    assert words in reason.text, reason.text
    assert reason.basis == "《公共租赁住房管理办法》第七条"


def test_the_minimum_follows_the_threshold_given() -> None:
    higher = rules.Thresholds(D("15.00"), D("3000.00"), 12)
    assert not rules.employment_reason(facts(insurance_months=6), higher).passed
    assert "不足规定的12个月" in rules.employment_reason(facts(insurance_months=6), higher).text


@pytest.mark.parametrize("kw, eligible, failed", [
    ({}, True, []),
    ({"owns_housing_in_county": True, "housing_area_sqm": D("15.00"),
      "monthly_income": D("3000.00"), "insurance_months": 6}, True, []),  # every bound exact
    ({"owns_housing_in_county": True, "housing_area_sqm": D("20.00")}, False, ["housing"]),
    ({"monthly_income": D("3500.00")}, False, ["income"]),
    ({"employed": False}, False, ["employment"]),
    ({"owns_housing_in_county": None, "monthly_income": None, "employed": None}, False,
     ["housing", "income", "employment"]),
])
def test_eligible_only_when_all_three_pass(kw: dict[str, Any], eligible: bool,
                                           failed: list[str]) -> None:
    decision = rules.decide(facts(**kw), T)
    assert decision.eligible is eligible
    assert [r.code for r in decision.reasons] == ["housing", "income", "employment"]
    assert rules.failed_codes(decision.reasons) == failed


def test_nothing_recorded_fails_all_three_saying_so() -> None:
    decision = rules.decide(None, T)
    assert not decision.eligible
    assert [(r.code, r.passed) for r in decision.reasons] == [
        ("housing", False), ("income", False), ("employment", False)]
    assert all("尚未登记" in r.text for r in decision.reasons)
    assert "第十八条（四）" in decision.reasons[0].basis


def test_reason_names_are_chinese() -> None:
    assert rules.reason_names(["housing", "employment"]) == "住房条件、稳定就业"
    assert rules.reason_names([]) == ""
