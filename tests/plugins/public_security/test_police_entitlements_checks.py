"""The police's entitlements (DESIGN §4): 第十八条（九）（十）（十一） and the settlement check of
第十九条 — registered through the hook, each reason with its basis, the national reforms said."""

from __future__ import annotations

import datetime as dt
from itertools import count
from typing import Any

import pytest

from core import api as kernel
from core.db import db
from plugins.public_security.entitlements import SettlementFacts, settlement_decision
from plugins.public_security.models import Application

from .conftest import DANFENG, DANFENG_CODE

AS_OF = dt.date(2026, 12, 1)
_docs = count(1)


def entitlement(code: str) -> Any:
    plugin, ent = kernel.state().entitlements[code]
    assert plugin == "public_security"
    return ent


def facts(holder: Any, as_of: dt.date = AS_OF) -> kernel.CheckFacts:
    return kernel.CheckFacts(holder=holder, permit=None, as_of=as_of, session=db.session)


def application(ps: Any, holder: Any, *, basis: list[str], materials: list[str],
                outcome: str = "issued", accepted_on: dt.date = dt.date(2026, 1, 15)) -> Any:
    app = Application(
        document_number=f"WSTEST{next(_docs)}", holder_id=holder.id,
        station_id=ps.station(DANFENG).id, accepted_on=accepted_on, basis=basis,
        materials=materials, applicant="self", outcome=outcome, missing=[], reasons=[],
        created_at=dt.datetime(2026, 1, 15, 9, 0))
    db.session.add(app)
    db.session.commit()
    return app


def residence(holder: Any, *, from_date: dt.date = dt.date(2025, 7, 1),
              to_date: dt.date | None = None) -> None:
    db.session.add(kernel.Residence(holder_id=holder.id, address="丹凤街道龙庆路12号",
                                    division_code=DANFENG_CODE, from_date=from_date,
                                    to_date=to_date))
    db.session.commit()


def test_codes_items_and_owner_are_registered(app) -> None:  # type: ignore[no-untyped-def]
    expected = {"art18.9": "（九）", "art18.10": "（十）", "art18.11": "（十一）",
                "art19": "第十九条"}
    for code, item in expected.items():
        ent = entitlement(code)
        assert (ent.code, ent.item, ent.department) == (code, item, "county-psb")
        assert ent.title
    assert entitlement("art18.10").title == "办理出入境证件"
    assert entitlement("art18.11").title == "换领、补领居民身份证"


@pytest.mark.parametrize("code, item, says", [
    ("art18.9", "（九）", "驾驶证"), ("art18.10", "（十）", "出入境证件"),
    ("art18.11", "（十一）", "居民身份证异地受理"),
])
def test_article_18_items_give_the_county_service_and_the_national_reform(ps, code, item, says) -> None:  # type: ignore[no-untyped-def]
    decision = entitlement(code).check(facts(ps.holder()))
    assert decision.eligible is True
    assert [r.code for r in decision.reasons] == ["permit_service", "national_reform"]
    service, reform = decision.reasons
    assert service.passed and service.basis == f"《办法》第十八条{item}"
    assert "师宗县" in service.text
    assert reform.passed and says in reform.text
    assert "无需居住证" in reform.text or "不再需要居住证" in reform.text
    # the engine states the permit's state; the department's check must not repeat it
    assert not any("第十四条" in r.basis or r.code.startswith("permit_state")
                   for r in decision.reasons)


def test_art19_rented_home_is_a_stable_residence(ps) -> None:  # type: ignore[no-untyped-def]
    holder = ps.holder()
    application(ps, holder, basis=["residence"],
                materials=["id_card", "photo", "photo", "rental_contract"])
    decision = entitlement("art19").check(facts(holder))
    assert decision.eligible is True
    residence_reason, income_reason = decision.reasons
    assert residence_reason.code == "stable_residence" and residence_reason.passed
    assert "房屋租赁合同" in residence_reason.text
    assert income_reason.code == "stable_income" and not income_reason.passed
    assert {r.basis for r in decision.reasons} == {"《办法》第十九条"}


def test_art19_employment_with_proof_is_a_stable_income(ps) -> None:  # type: ignore[no-untyped-def]
    holder = ps.holder()
    application(ps, holder, basis=["employment"],
                materials=["id_card", "photo", "photo", "accommodation_certificate",
                           "labor_contract"])
    decision = entitlement("art19").check(facts(holder))
    assert decision.eligible is True
    residence_reason, income_reason = decision.reasons
    assert not residence_reason.passed  # an accommodation certificate is not one's own home
    assert income_reason.passed and "劳动合同" in income_reason.text


def test_art19_open_residence_counts(ps) -> None:  # type: ignore[no-untyped-def]
    holder = ps.holder()
    residence(holder)
    decision = entitlement("art19").check(facts(holder))
    assert decision.eligible is True and decision.reasons[0].passed


def test_art19_neither_condition_is_ineligible(ps) -> None:  # type: ignore[no-untyped-def]
    holder = ps.holder()
    residence(holder, from_date=dt.date(2025, 1, 1), to_date=dt.date(2025, 12, 31))  # ended
    application(ps, holder, basis=["employment"],  # employment claimed but no proof
                materials=["id_card", "photo", "photo", "accommodation_certificate"])
    application(ps, holder, basis=["residence"], outcome="incomplete",  # not issued
                materials=["rental_contract"], accepted_on=dt.date(2026, 2, 1))
    decision = entitlement("art19").check(facts(holder))
    assert decision.eligible is False
    assert [(r.code, r.passed) for r in decision.reasons] == [
        ("stable_residence", False), ("stable_income", False)]
    assert all("具备其一即可" in r.text for r in decision.reasons)


def test_art19_reads_facts_as_of_the_day_asked(ps) -> None:  # type: ignore[no-untyped-def]
    holder = ps.holder()
    application(ps, holder, basis=["residence"], materials=["property_certificate"],
                accepted_on=dt.date(2026, 6, 1))
    assert entitlement("art19").check(facts(holder, dt.date(2026, 5, 31))).eligible is False
    assert entitlement("art19").check(facts(holder, dt.date(2026, 6, 1))).eligible is True


def test_art19_takes_the_latest_issued_application(ps) -> None:  # type: ignore[no-untyped-def]
    holder = ps.holder()
    application(ps, holder, basis=["residence"], materials=["purchase_contract"],
                accepted_on=dt.date(2025, 1, 10))
    application(ps, holder, basis=["study"], materials=["student_card",
                                                         "accommodation_certificate"],
                accepted_on=dt.date(2026, 1, 10))
    assert entitlement("art19").check(facts(holder)).eligible is False


@pytest.mark.parametrize("materials, basis, open_residence, expected", [
    (None, None, False, (False, False)),
    (None, None, True, (True, False)),
    (("rental_contract",), ("residence",), False, (True, False)),
    (("property_certificate",), ("residence",), False, (True, False)),
    (("purchase_contract",), ("residence",), False, (True, False)),
    (("accommodation_certificate",), ("residence",), False, (False, False)),
    (("business_license",), ("employment",), False, (False, True)),
    (("employment_certificate",), ("employment",), False, (False, True)),
    (("labor_contract",), ("study",), False, (False, False)),  # proof without the basis
    ((), ("employment",), False, (False, False)),  # basis without the proof
    (("rental_contract", "labor_contract"), ("employment", "residence"), False, (True, True)),
])
def test_settlement_decision_table(materials, basis, open_residence, expected) -> None:  # type: ignore[no-untyped-def]
    decision = settlement_decision(SettlementFacts(materials, basis, open_residence))
    assert tuple(r.passed for r in decision.reasons) == expected
    assert decision.eligible is any(expected)


def test_batch_sql_agrees_with_the_checks_for_items_9_to_11(ps, batch_agrees) -> None:  # type: ignore[no-untyped-def]
    """（九）（十）（十一） add no condition: in a batch the permit alone decides, exactly as the
    per-holder engine does (no permit, valid, suspended)."""
    ps.holder(name="无证")
    ps.permit(issued_on=dt.date(2026, 1, 15))
    ps.permit(issued_on=dt.date(2025, 1, 10))
    for code in ("art18.9", "art18.10", "art18.11"):
        rows = batch_agrees(code, dt.date(2026, 6, 1))
        assert sorted(r.reason for r in rows) == ["", "no_permit", "suspended"]
