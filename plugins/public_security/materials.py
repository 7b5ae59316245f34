"""The materials of 《办法》第十二条 (application) and 第十四条/第十六条 (endorsement, address
change), kept as data: which items exist, which alternatives satisfy a group, and which
basis needs which proof. The checks in the acts read these tables; a change of the rules is a
change here, not in code.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Iterable

B12 = "《办法》第十二条"

#: Every materials value of the API (DESIGN §5) with its Chinese name.
MATERIALS: dict[str, str] = {
    "id_card": "本人居民身份证",
    "household_register": "居民户口簿（未满16周岁）",
    "photo": "本人证件照",
    "rental_contract": "房屋租赁合同",
    "property_certificate": "房屋产权证明文件",
    "purchase_contract": "购房合同",
    "accommodation_certificate": "住宿证明（房屋出租人、用人单位或就读学校出具）",
    "business_license": "工商营业执照",
    "labor_contract": "劳动合同",
    "employment_certificate": "用人单位出具的劳动关系证明",
    "student_card": "学生证",
    "school_certificate": "就读学校出具的就读证明",
    "agent_id_card": "代办人合法有效身份证件",
    "principal_id_document": "委托人（申领人）合法有效身份证件",
    "permit_card": "居住证",
}


@dataclass(frozen=True)
class Group:
    """A requirement any one of several materials satisfies."""

    code: str
    name: str
    any_of: tuple[str, ...]

    @property
    def described(self) -> str:
        """The name with its alternatives, as the one-time notice prints it."""
        return f"{self.name}（{'、'.join(MATERIALS[m] for m in self.any_of)}之一）"


GROUPS: dict[str, Group] = {g.code: g for g in (
    # For a child under 16 the household register stands in for the ID card (DESIGN §3).
    Group("identity_document", "本人身份证件", ("id_card", "household_register")),
    Group("residence_proof", "居住地住址证明",
          ("rental_contract", "property_certificate", "purchase_contract",
           "accommodation_certificate")),
    Group("employment_proof", "就业证明",
          ("business_license", "labor_contract", "employment_certificate")),
    Group("study_proof", "就读证明", ("student_card", "school_certificate")),
)}

#: Which proof each basis of 第十一条 needs (the residence basis is proved by the residence
#: proof every applicant brings anyway).
BASIS_PROOF: dict[str, str] = {
    "employment": "employment_proof",
    "residence": "residence_proof",
    "study": "study_proof",
}
BASIS_NAMES: dict[str, str] = {
    "employment": "合法稳定就业", "residence": "合法稳定住所", "study": "连续就读",
}
PHOTOS_REQUIRED = 2

#: 第十四条 (endorsement) and 第十六条 (address change): ID card, the permit, and a residence,
#: employment or study proof. Its code stays within the contract's group codes (DESIGN §5);
#: its name lists every alternative.
ANY_PROOF = Group("residence_proof", "居住地住址、就业或就读证明",
                  GROUPS["residence_proof"].any_of + GROUPS["employment_proof"].any_of
                  + GROUPS["study_proof"].any_of)


@dataclass(frozen=True)
class Missing:
    """One missing item: a materials value or a group (API ``{code, name}``)."""

    code: str
    name: str

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "name": self.name}


def name_of(code: str) -> str:
    """The Chinese name of a materials value or group code."""
    if code in GROUPS:
        return GROUPS[code].described
    return MATERIALS[code]


def _group_missing(group: Group, given: Counter[str]) -> Missing | None:
    return None if any(given[m] for m in group.any_of) else Missing(group.code, group.described)


def missing_for_application(materials: Iterable[str], basis: Iterable[str], *, under_16: bool,
                            by_agent: bool) -> list[Missing]:
    """Every item missing from an application at once (一次性告知, 第十三条), in the order of
    第十二条: identity, photos, residence proof, basis proofs, agent documents."""
    given = Counter(materials)
    missing: list[Missing] = []
    identity = GROUPS["identity_document"]
    if not (given["id_card"] or (under_16 and given["household_register"])):
        # An adult's household register is not an identity document for this purpose.
        missing.append(Missing(identity.code, identity.described if under_16
                               else f"{identity.name}（{MATERIALS['id_card']}）"))
    if given["photo"] < PHOTOS_REQUIRED:
        short = PHOTOS_REQUIRED - given["photo"]
        missing.append(Missing("photo", f"{MATERIALS['photo']}（共需{PHOTOS_REQUIRED}张，缺{short}张）"))
    for code in ["residence_proof", *(BASIS_PROOF[b] for b in dict.fromkeys(basis)
                                      if BASIS_PROOF.get(b) not in (None, "residence_proof"))]:
        item = _group_missing(GROUPS[code], given)
        if item:
            missing.append(item)
    if by_agent:
        for code in ("agent_id_card", "principal_id_document"):
            if not given[code]:
                missing.append(Missing(code, MATERIALS[code]))
    return missing


def missing_for_endorsement(materials: Iterable[str]) -> list[Missing]:
    """第十四条 (and 第十六条): ID card, permit card and one proof."""
    given = Counter(materials)
    missing = [Missing(code, MATERIALS[code]) for code in ("id_card", "permit_card")
               if not given[code]]
    item = _group_missing(ANY_PROOF, given)
    if item:
        missing.append(item)
    return missing
