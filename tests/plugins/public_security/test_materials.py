"""第十二条 materials as data: every missing item at once, groups, basis proofs, agents."""

from __future__ import annotations

import pytest

from plugins.public_security.materials import (MATERIALS, missing_for_application,
                                               missing_for_endorsement)

FULL = ["id_card", "photo", "photo", "rental_contract"]


def codes(items):  # type: ignore[no-untyped-def]
    return [m.code for m in items]


@pytest.mark.parametrize("materials, basis, under_16, agent, expected", [
    (FULL, ["residence"], False, False, []),
    (FULL, ["employment"], False, False, ["employment_proof"]),
    (FULL + ["labor_contract"], ["employment"], False, False, []),
    (FULL, ["study"], False, False, ["study_proof"]),
    (FULL + ["student_card"], ["study", "employment"], False, False, ["employment_proof"]),
    (["photo"], ["residence"], False, False, ["identity_document", "photo", "residence_proof"]),
    ([], ["employment"], False, True,
     ["identity_document", "photo", "residence_proof", "employment_proof", "agent_id_card",
      "principal_id_document"]),
    (["household_register", "photo", "photo", "rental_contract"], ["residence"], True, False, []),
    (["household_register", "photo", "photo", "rental_contract"], ["residence"], False, False,
     ["identity_document"]),
    (FULL + ["agent_id_card", "principal_id_document"], ["residence"], True, True, []),
])
def test_missing_for_application(materials, basis, under_16, agent, expected) -> None:  # type: ignore[no-untyped-def]
    assert codes(missing_for_application(materials, basis, under_16=under_16,
                                         by_agent=agent)) == expected


def test_missing_photo_count_and_group_names_are_chinese() -> None:
    items = missing_for_application(["id_card", "photo"], ["residence"], under_16=False,
                                    by_agent=False)
    assert [m.name for m in items] == [
        "本人证件照（共需2张，缺1张）",
        "居住地住址证明（房屋租赁合同、房屋产权证明文件、购房合同、"
        "住宿证明（房屋出租人、用人单位或就读学校出具）之一）",
    ]


def test_every_api_value_has_a_chinese_name() -> None:
    assert set(MATERIALS) == {
        "id_card", "household_register", "photo", "rental_contract", "property_certificate",
        "purchase_contract", "accommodation_certificate", "business_license", "labor_contract",
        "employment_certificate", "student_card", "school_certificate", "agent_id_card",
        "principal_id_document", "permit_card"}


@pytest.mark.parametrize("materials, expected", [
    (["id_card", "permit_card", "labor_contract"], []),
    (["id_card", "permit_card"], ["residence_proof"]),
    (["rental_contract"], ["id_card", "permit_card"]),
])
def test_missing_for_endorsement(materials, expected) -> None:  # type: ignore[no-untyped-def]
    assert codes(missing_for_endorsement(materials)) == expected
