"""《办法》第十八条（六）: free basic public health and family-planning services.

Pure functions: no database, no Flask. The measures set no condition beyond a valid permit,
which the entitlement engine already checks first (第十四条), so the department's own decision
always passes and says what the permit gives. The service log asks the same question for one
day in the past: was the holder's permit valid on the day served (then the service was free
under 第十八条（六）)?
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from core import api

B186 = "《办法》第十八条（六）"
B14 = "《办法》第十四条"
B18 = "《办法》第十八条"
B_NATIONAL = "《基本医疗卫生与健康促进法》第十五条；《国家基本公共卫生服务规范（第三版）》"

#: The national basic public health service items (国家基本公共卫生服务规范（第三版）) and
#: 计划生育技术服务, by code; the order is the order of the 规范.
SERVICES = {
    "health_records": "建立居民健康档案",
    "health_education": "健康教育",
    "vaccination": "预防接种",
    "child_health": "0—6岁儿童健康管理",
    "maternal_health": "孕产妇健康管理",
    "elderly_health": "老年人健康管理",
    "chronic_disease": "慢性病患者健康管理（高血压、2型糖尿病）",
    "mental_disorder": "严重精神障碍患者管理",
    "tuberculosis": "肺结核患者健康管理",
    "tcm_health": "中医药健康管理",
    "infectious_disease_report": "传染病及突发公共卫生事件报告和处理",
    "health_supervision": "卫生计生监督协管",
    "family_planning": "计划生育技术服务",
}
BASIC_PUBLIC_HEALTH = tuple(code for code in SERVICES if code != "family_planning")

PERMIT_SUFFICES = api.Reason(
    "permit_suffices", True,
    "第十八条（六）除有效的《云南省居住证》外不设其他条件：持证人在居住地免费享受国家基本公共卫生服务（"
    + "、".join(SERVICES[c] for c in BASIC_PUBLIC_HEALTH) + "）和计划生育技术服务", B186)
RESIDENTS_COVERED = api.Reason(
    "residents_covered", True,
    "国家基本公共卫生服务面向辖区常住人口免费提供；居住证是持证人作为常住人口享受基本公共服务的证明"
    "（《办法》第三条），持证人与户籍居民同等享有", B_NATIONAL)


def decision() -> api.Decision:
    """The department's part of art18.6: nothing beyond the permit (always passes)."""
    return api.Decision.from_reasons([PERMIT_SUFFICES, RESIDENTS_COVERED])


# -- the service log ------------------------------------------------------------------------------

@dataclass(frozen=True)
class PermitOnDay:
    """The holder's permit on the day served: the latest issued on or before it."""

    number: str
    status: str  # "valid" | "suspended" | "revoked" (api.rules.permit_status)
    valid_until: dt.date


def permit_reason(permit: PermitOnDay | None, served_on: dt.date) -> api.Reason:
    day = f"服务日{api.zh_date(served_on)}"
    if permit is None:
        return api.Reason("permit", False,
                          f"{day}未持有《云南省居住证》：第十八条（六）的免费服务凭居住证享有", B18)
    if permit.status == "valid":
        return api.Reason("permit", True,
                          f"{day}持有有效的《云南省居住证》（号码{permit.number}，有效期至"
                          f"{api.zh_date(permit.valid_until)}）", B14)
    if permit.status == "suspended":
        return api.Reason("permit", False,
                          f"{day}居住证（号码{permit.number}）有效期至{api.zh_date(permit.valid_until)}，"
                          "逾期未签注，使用功能中止，该次服务不属第十八条（六）的免费服务；补办签注后恢复", B14)
    return api.Reason("permit", False, f"{day}居住证（号码{permit.number}）已注销", B18)


def service_decision(permit: PermitOnDay | None, served_on: dt.date) -> api.Decision:
    """Was the service on ``served_on`` free under 第十八条（六）? Yes iff the permit was valid
    that day (the same answer as the art18.6 decision on that day)."""
    first = permit_reason(permit, served_on)
    return api.Decision(first.passed, (first, PERMIT_SUFFICES))


def service_code(raw: str | None) -> str:
    """The service's code; its Chinese name is accepted too. Unknown → RuleError naming the
    field ``service`` and listing the allowed names."""
    text = (raw or "").strip()
    if text in SERVICES:
        return text
    by_name = {name: code for code, name in SERVICES.items()}
    if text in by_name:
        return by_name[text]
    allowed = "、".join(f"{name}（{code}）" for code, name in SERVICES.items())
    raise api.RuleError("service", "service_unknown",
                        f"服务项目：“{text}”不是可登记的服务项目，可选：{allowed}（{B186}）", B186)


def check_served_on(served_on: dt.date | None, *, today: dt.date, birth_date: dt.date) -> dt.date:
    """The day served: given, not in the future, not before the holder was born."""
    if served_on is None:
        raise api.RuleError("served_on", "served_on_required", f"服务日期：必须填写（{B186}）", B186)
    if served_on > today:
        raise api.RuleError("served_on", "served_on_in_future",
                            f"服务日期：{api.zh_date(served_on)}晚于今天{api.zh_date(today)}，"
                            f"只能登记已提供的服务（{B186}）", B186)
    if served_on < birth_date:
        raise api.RuleError("served_on", "served_on_before_birth",
                            f"服务日期：{api.zh_date(served_on)}早于持证人的出生日期"
                            f"{api.zh_date(birth_date)}（{B186}）", B186)
    return served_on
