"""The pure rules of an application (《办法》第十一条、第十二条), table by table."""

from __future__ import annotations

import datetime as dt

import pytest

from core.rules import RuleError
from plugins.public_security.application import (basis_reason, check_agent, evaluate,
                                                  residence_reason)

from .conftest import make_id

D = dt.date
FULL = ["id_card", "photo", "photo", "rental_contract"]
ADULT = D(1990, 3, 7)
CHILD = D(2015, 5, 1)
HOLDER_ID = make_id("530302", ADULT, 1, "male")
AGENT_ID = make_id("530323", D(1985, 1, 1), 2, "female")


@pytest.mark.parametrize("registered_on, accepted_on, passed", [
    (D(2026, 1, 10), D(2026, 7, 9), False),  # DESIGN §3: eligible from 2026-07-10
    (D(2026, 1, 10), D(2026, 7, 10), True),
    (D(2025, 8, 31), D(2026, 2, 27), False),  # no 02-31: the month's last day
    (D(2025, 8, 31), D(2026, 2, 28), True),
    (D(2026, 1, 10), D(2026, 1, 10), False),
])
def test_residence_of_six_months_counts_from_registration(registered_on, accepted_on,
                                                          passed) -> None:  # type: ignore[no-untyped-def]
    reason = residence_reason(registered_on, accepted_on)
    assert reason.passed is passed
    assert reason.code == "residence_six_months" and reason.basis == "《办法》第十一条"


def test_residence_reason_names_the_dates_in_chinese() -> None:
    failed = residence_reason(D(2026, 1, 10), D(2026, 7, 9))
    assert "2026年1月10日" in failed.text and "2026年7月10日" in failed.text
    assert "2026年7月9日" in failed.text and "未满半年" in failed.text
    assert "已满半年" in residence_reason(D(2026, 1, 10), D(2026, 7, 10)).text


@pytest.mark.parametrize("basis, passed, words", [
    ([], False, "不符合申领条件"),
    (["employment"], True, "合法稳定就业"),
    (["study", "residence", "study"], True, "连续就读、合法稳定住所"),
])
def test_at_least_one_basis_of_article_11(basis, passed, words) -> None:  # type: ignore[no-untyped-def]
    reason = basis_reason(basis)
    assert reason.passed is passed and words in reason.text and reason.code == "basis"


@pytest.mark.parametrize("accepted_on, basis, materials, under_16, agent, outcome, missing", [
    (D(2026, 7, 10), ["residence"], FULL, False, False, "issued", []),
    (D(2026, 7, 10), ["residence"], ["id_card", "photo", "rental_contract"], False, False,
     "incomplete", ["photo"]),
    (D(2026, 7, 10), ["employment"], FULL, False, False, "incomplete", ["employment_proof"]),
    # ineligible wins over incomplete, and the missing items are still listed
    (D(2026, 7, 9), ["residence"], ["id_card"], False, False, "ineligible",
     ["photo", "residence_proof"]),
    (D(2026, 7, 10), [], FULL, False, False, "ineligible", []),
    (D(2026, 7, 10), ["residence"],
     ["household_register", "photo", "photo", "rental_contract", "agent_id_card",
      "principal_id_document"], True, True, "issued", []),
    (D(2026, 7, 10), ["residence"], FULL + ["principal_id_document"], False, True,
     "incomplete", ["agent_id_card"]),
])
def test_evaluate(accepted_on, basis, materials, under_16, agent, outcome, missing) -> None:  # type: ignore[no-untyped-def]
    result = evaluate(registered_on=D(2026, 1, 10), accepted_on=accepted_on, basis=basis,
                      materials=materials, under_16=under_16, by_agent=agent)
    assert result.outcome == outcome
    assert [m.code for m in result.missing] == missing
    assert [r.code for r in result.reasons] == ["residence_six_months", "basis"]


def agent(**kw):  # type: ignore[no-untyped-def]
    facts = dict(holder_birth_date=ADULT, holder_id_number=HOLDER_ID,
                 accepted_on=D(2026, 7, 10), applicant="guardian", agent_id_number=AGENT_ID,
                 limited_mobility=False)
    return check_agent(**{**facts, **kw})


@pytest.mark.parametrize("kw, result", [
    (dict(applicant="self", agent_id_number=None), None),
    (dict(holder_birth_date=CHILD), AGENT_ID),
    (dict(limited_mobility=True, applicant="relative"), AGENT_ID),
    (dict(holder_birth_date=CHILD, agent_id_number=f" {AGENT_ID} "), AGENT_ID),  # canonical
    # the day before the 16th birthday: still under 16 (周岁 from the birthday itself)
    (dict(holder_birth_date=D(2010, 7, 11), accepted_on=D(2026, 7, 10)), AGENT_ID),
])
def test_agents_allowed(kw, result) -> None:  # type: ignore[no-untyped-def]
    assert agent(**kw) == result


@pytest.mark.parametrize("kw, field, code", [
    (dict(), "applicant", "agent_not_allowed"),
    (dict(holder_birth_date=D(2010, 7, 10), accepted_on=D(2026, 7, 10)), "applicant",  # 16 today
     "agent_not_allowed"),
    (dict(holder_birth_date=CHILD, agent_id_number=None), "agent_id_number",
     "agent_id_number_required"),
    (dict(holder_birth_date=CHILD, agent_id_number="530323198501010000"), "agent_id_number",
     "id_number_checksum"),
    (dict(holder_birth_date=CHILD, agent_id_number=HOLDER_ID), "agent_id_number",
     "agent_is_holder"),
    (dict(applicant="self"), "agent_id_number", "agent_id_number_unexpected"),
])
def test_agents_refused(kw, field, code) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(RuleError) as info:
        agent(**kw)
    assert (info.value.field, info.value.code) == (field, code)
    assert "第十二条" in info.value.message
