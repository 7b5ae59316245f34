"""Services of 第十八条 the police decide — （九）driving licence and vehicle registration,
（十）exit-entry documents, （十一）ID card renewal and replacement — and the settlement check of
第十九条 (DESIGN §4).

The engine puts the permit's state first (a suspended or missing permit fails every item,
第十四条); these checks add only the police's OWN conditions. For （九）（十）（十一） the measures
add none beyond the permit, so each check says what the permit gives in the county and, where a
later national reform grants the service without a permit, says that too: the citizen should not
be sent for a permit they do not need. 第十九条 reads the police's own records (the latest issued
application's proofs, the residence history) and decides in a pure function of those facts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from functools import cache

from sqlalchemy import bindparam, or_, select

from core import api

from .materials import GROUPS, MATERIALS
from .models import Application

DEPARTMENT = "county-psb"
B18 = "《办法》第十八条"
B19 = "《办法》第十九条"

# 合法稳定住所 (owned or rented) is proved by these; an accommodation certificate is not
# ownership or a tenancy of one's own, so it does not count here.
OWN_OR_RENTED = ("rental_contract", "property_certificate", "purchase_contract")
EMPLOYMENT_PROOFS = GROUPS["employment_proof"].any_of


def _permit_service(item: str, service: str) -> api.Reason:
    return api.Reason("permit_service", True,
                      f"持《云南省居住证》可在师宗县{service}", f"{B18}{item}")


def check_art18_9(facts: api.CheckFacts) -> api.Decision:
    """（九）驾驶培训、机动车驾驶证、机动车注册登记."""
    return api.Decision.from_reasons([
        _permit_service("（九）", "参加驾驶培训并申领机动车驾驶证，办理机动车注册登记手续"),
        api.Reason("national_reform", True,
                   "公安部交通管理改革措施：小型汽车驾驶证实行“全国通考”，申请人可在户籍地以外报考，"
                   "不再需要居住证；本项其他事项仍凭居住证办理",
                   "公安部交通管理便利措施"),
    ])


def check_art18_10(facts: api.CheckFacts) -> api.Decision:
    """（十）出入境证件."""
    return api.Decision.from_reasons([
        _permit_service("（十）", "办理出入境证件"),
        api.Reason("national_reform", True,
                   "国家移民管理局自2019年4月1日起实行出入境证件“全国通办”：内地居民可在全国任一"
                   "出入境接待窗口申请办理普通护照等出入境证件，无需居住证",
                   "国家移民管理局出入境便民措施"),
    ])


def check_art18_11(facts: api.CheckFacts) -> api.Decision:
    """（十一）换领、补领居民身份证."""
    return api.Decision.from_reasons([
        _permit_service("（十一）", "换领、补领居民身份证"),
        api.Reason("national_reform", True,
                   "公安部自2016年起全面实施居民身份证异地受理：在户籍所在地以外换领、补领居民身份证，"
                   "无需居住证",
                   "公安部居民身份证异地受理制度"),
    ])


@dataclass(frozen=True)
class SettlementFacts:
    """What the police know that bears on 第十九条, read from their own records."""

    # Materials and basis of the holder's latest issued application (None: none issued).
    materials: tuple[str, ...] | None
    basis: tuple[str, ...] | None
    has_open_residence: bool  # a registered residence covering the day asked


def settlement_decision(facts: SettlementFacts) -> api.Decision:
    """第十九条: 合法稳定住所 (owned or rented) OR 稳定生活来源. Either suffices, so the
    decision is eligible when one reason passes (not every reason, unlike from_reasons)."""
    materials = set(facts.materials or ())
    proofs = [MATERIALS[m] for m in OWN_OR_RENTED if m in materials]
    if proofs:
        residence = api.Reason("stable_residence", True,
                               f"有合法稳定住所：申领居住证时提交了{'、'.join(proofs)}", B19)
    elif facts.has_open_residence:
        residence = api.Reason("stable_residence", True, "有合法稳定住所：居住地住址已登记在册", B19)
    else:
        residence = api.Reason(
            "stable_residence", False,
            "未查到合法稳定住所（自有或租赁）的证明：无在册居住地住址，申领居住证时也未提交房屋租赁合同、"
            "房屋产权证明文件或购房合同（与稳定生活来源具备其一即可）", B19)
    employed = [MATERIALS[m] for m in EMPLOYMENT_PROOFS if m in materials]
    if "employment" in (facts.basis or ()) and employed:
        income = api.Reason("stable_income", True,
                            f"有稳定生活来源：以合法稳定就业申领居住证，并提交了{'、'.join(employed)}", B19)
    else:
        income = api.Reason(
            "stable_income", False,
            "未查到稳定生活来源的证明：申领居住证时未以合法稳定就业为条件并提交就业证明"
            "（与合法稳定住所具备其一即可）", B19)
    return api.Decision(eligible=residence.passed or income.passed, reasons=(residence, income))


@cache
def _latest_issued_application() -> Any:
    # Built once with placeholders: building a select costs more than running it.
    return (select(Application)
            .where(Application.holder_id == bindparam("holder_id"),
                   Application.outcome == "issued", Application.accepted_on <= bindparam("as_of"))
            .order_by(Application.accepted_on.desc(), Application.id.desc()).limit(1))


@cache
def _open_residence() -> Any:
    as_of, r = bindparam("as_of"), api.Residence
    return (select(r.id).where(r.holder_id == bindparam("holder_id"), r.from_date <= as_of,
                               or_(r.to_date.is_(None), r.to_date >= as_of)).limit(1))


def settlement_facts(facts: api.CheckFacts) -> SettlementFacts:
    """Read the police's own facts on ``facts.as_of``."""
    session, at = facts.session, {"holder_id": facts.holder.id, "as_of": facts.as_of}
    app = session.scalar(_latest_issued_application(), at)
    residence = session.scalar(_open_residence(), at)
    return SettlementFacts(
        materials=tuple(app.materials) if app else None,
        basis=tuple(app.basis) if app else None,
        has_open_residence=residence is not None)


def check_art19(facts: api.CheckFacts) -> api.Decision:
    """第十九条: may the holder apply for 常住户口 in the county."""
    return settlement_decision(settlement_facts(facts))


def permit_only_sql(ctx: api.BatchContext) -> Any:
    """（九）（十）（十一） add no condition of their own: every holder passes them, and the
    engine's permit part decides (the SQL form of the three checks above)."""
    return select(api.Holder.id)


def entitlements() -> list[api.Entitlement]:
    # art19 has no SQL form: it reads the latest issued application's materials, and is asked
    # about one holder at a time at the counter; a batch of it runs through the engine.
    return [
        api.Entitlement("art18.9", "（九）", "参加驾驶培训并申领机动车驾驶证，办理机动车注册登记手续",
                        DEPARTMENT, check_art18_9, permit_only_sql),
        api.Entitlement("art18.10", "（十）", "办理出入境证件", DEPARTMENT, check_art18_10,
                        permit_only_sql),
        api.Entitlement("art18.11", "（十一）", "换领、补领居民身份证", DEPARTMENT, check_art18_11,
                        permit_only_sql),
        api.Entitlement("art19", "第十九条", "申请常住户口（落户）", DEPARTMENT, check_art19),
    ]

