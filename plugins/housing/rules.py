"""The conditions of 第十八条（四） (申请保障性住房), as pure functions of the recorded facts and
the dated thresholds. No database, no Flask: the check and the application register read the
facts and pass them in.

《公共租赁住房管理办法》第七条: 申请公共租赁住房，应当符合以下条件：（一）在本地无住房或者住房
面积低于规定标准；（二）收入、财产低于规定标准；（三）申请人为外来务工人员的，在本地稳定就业
达到规定年限。具体条件由直辖市和市、县级人民政府住房保障主管部门根据本地区实际情况确定。

A residence-permit holder is a floating person (《办法》第二条), so the third condition always
applies; 稳定就业 is read as "employed AND social insurance paid in the county for at least the
minimum months". NULL facts are never read as "no": an unrecorded fact fails its condition
with a text saying it is not recorded.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from core import api

B184 = "《办法》第十八条（四）"
B7 = "《公共租赁住房管理办法》第七条"

#: Reason code → Chinese name (the register shows failed codes by these names).
REASONS = {
    "housing": "住房条件",
    "income": "收入条件",
    "employment": "稳定就业",
}


@dataclass(frozen=True)
class Facts:
    """One row of housing facts (None fields: not recorded)."""

    recorded_on: dt.date
    owns_housing_in_county: bool | None
    housing_area_sqm: Decimal | None
    insurance_months: int | None
    employed: bool | None
    monthly_income: Decimal | None


@dataclass(frozen=True)
class Thresholds:
    max_owned_area_sqm: Decimal
    max_monthly_income: Decimal
    min_insurance_months: int


def housing_reason(facts: Facts | None, t: Thresholds) -> api.Reason:
    """（一）在本地无住房或者住房面积低于规定标准 (人均面积不超过上限)."""
    basis = f"{B184}；{B7}"
    if facts is None:
        return api.Reason("housing", False, "住房保障部门尚未登记该持证人的住房、收入和就业情况，"
                          "无法判断是否符合公共租赁住房申请条件；请持相关证明到县住房保障部门登记", basis)
    when = f"（{api.zh_date(facts.recorded_on)}登记）"
    if facts.owns_housing_in_county is None:
        return api.Reason("housing", False, f"未登记住房情况（在本县是否有住房）{when}", basis)
    if facts.owns_housing_in_county is False:
        return api.Reason("housing", True, f"在本县无住房{when}", basis)
    area = facts.housing_area_sqm
    if area is None:
        return api.Reason("housing", False,
                          f"在本县有住房，但未登记人均住房建筑面积，无法判断是否低于规定标准{when}", basis)
    if area <= t.max_owned_area_sqm:
        return api.Reason("housing", True,
                          f"在本县有住房，人均住房建筑面积{area}平方米，不超过规定标准"
                          f"{t.max_owned_area_sqm}平方米{when}", basis)
    return api.Reason("housing", False,
                      f"在本县有住房，人均住房建筑面积{area}平方米，超过规定标准"
                      f"{t.max_owned_area_sqm}平方米{when}", basis)


def income_reason(facts: Facts | None, t: Thresholds) -> api.Reason:
    """（二）收入低于规定标准 (家庭人均月收入不超过上限)."""
    if facts is None:
        return api.Reason("income", False, "住房保障部门尚未登记该持证人的收入情况", B7)
    income = facts.monthly_income
    if income is None:
        return api.Reason("income", False, "未登记收入（家庭人均月收入）", B7)
    if income <= t.max_monthly_income:
        return api.Reason("income", True, f"家庭人均月收入{income}元，不超过规定标准"
                          f"{t.max_monthly_income}元", B7)
    return api.Reason("income", False, f"家庭人均月收入{income}元，高于规定标准"
                      f"{t.max_monthly_income}元", B7)


def employment_reason(facts: Facts | None, t: Thresholds) -> api.Reason:
    """（三）外来务工人员在本地稳定就业达到规定年限: employed and months >= minimum."""
    need = t.min_insurance_months
    if facts is None:
        return api.Reason("employment", False, "住房保障部门尚未登记该持证人的就业和社会保险情况", B7)
    if facts.employed is None:
        return api.Reason("employment", False, "未登记就业情况", B7)
    if facts.employed is False:
        return api.Reason("employment", False,
                          f"未在本县就业：外来务工人员须在本县稳定就业（在业并在本县缴纳社会保险满{need}个月）",
                          B7)
    months = facts.insurance_months
    if months is None:
        return api.Reason("employment", False, "在业，但未登记在本县缴纳社会保险的月数", B7)
    if months >= need:
        return api.Reason("employment", True,
                          f"在本县稳定就业：在业，在本县缴纳社会保险{months}个月，达到规定的{need}个月", B7)
    return api.Reason("employment", False,
                      f"在业，但在本县缴纳社会保险{months}个月，不足规定的{need}个月", B7)


def decide(facts: Facts | None, t: Thresholds) -> api.Decision:
    """All three conditions must pass (第七条: 应当符合以下条件)."""
    return api.Decision.from_reasons([housing_reason(facts, t), income_reason(facts, t),
                                      employment_reason(facts, t)])


def failed_codes(reasons: list[api.Reason] | tuple[api.Reason, ...]) -> list[str]:
    return [r.code for r in reasons if not r.passed]


def reason_names(codes: list[str] | None) -> str:
    """Failed reason codes as the register shows them: "住房条件、收入条件"."""
    return "、".join(REASONS.get(c, c) for c in codes or ())
