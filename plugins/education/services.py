"""Writes of the education department: registering a holder's child (随迁子女).

Validate everything first (each refusal a RuleError naming its field and article), then write
the row and its audit event in the caller's transaction. The API and the admin form both call
:func:`add_child`; the caller commits once or rolls back.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core import api

from .models import Child
from .rules import B183, RELATIONS, SEXES

B4 = "《办法》第四条"
GB = "GB 11643-1999"


class ChildExists(api.RuleError):
    """The holder has already registered a child with this ID number (API: 409)."""

    http_status = 409

    def __init__(self, child_id: int | None) -> None:
        super().__init__("id_number", "child_exists",
                         f"公民身份号码：该持证人已登记过此随迁子女，不能重复登记（{B183}）", B183)
        self.child_id = child_id


def _name(name: str | None) -> str:
    name = (name or "").strip()
    if not name:
        raise api.RuleError("name", "name_required", f"子女姓名：必须填写（{B183}）", B183)
    if len(name) > 100 or any(unicodedata.category(c) in ("Cc", "Cf") for c in name):
        raise api.RuleError("name", "name_invalid",
                            f"子女姓名：含有控制字符或超过100个字（{B183}）", B183)
    return name


def validate_child(holder: Any, *, name: str | None, sex: str | None, birth_date: dt.date | None,
                   id_number: str | None, relation: str | None, today: dt.date
                   ) -> dict[str, Any]:
    """The child's facts in canonical form, or the first RuleError (field, code, Chinese
    message naming the field and the article)."""
    name = _name(name)
    if sex not in SEXES:
        raise api.RuleError("sex", "sex_invalid", f"子女性别：应为男或女（{B4}）", B4)
    if relation not in RELATIONS:
        raise api.RuleError("relation", "relation_invalid",
                            f"与持证人关系：应为{'、'.join(RELATIONS.values())}之一（{B183}）", B183)
    if birth_date is None:
        raise api.RuleError("birth_date", "birth_date_required", f"子女出生日期：必须填写（{B183}）",
                            B183)
    if birth_date > today:
        raise api.RuleError("birth_date", "birth_date_in_future",
                            f"子女出生日期：{api.zh_date(birth_date)}晚于今天{api.zh_date(today)}（{B183}）",
                            B183)
    if birth_date <= holder.birth_date:
        raise api.RuleError(
            "birth_date", "child_not_younger",
            f"子女出生日期：{api.zh_date(birth_date)}不晚于持证人（父母或监护人）的出生日期"
            f"{api.zh_date(holder.birth_date)}，不能登记为其随迁子女（{B183}）", B183)
    parsed = api.rules.parse_id_number(id_number or "", as_of=today)  # field id_number
    api.rules.check_id_agrees(parsed, birth_date, sex)  # fields birth_date / sex
    expected = {"son": "male", "daughter": "female"}.get(relation)
    if expected is not None and expected != sex:
        raise api.RuleError(
            "relation", "relation_sex_mismatch",
            f"与持证人关系：“{RELATIONS[relation]}”与子女性别“{SEXES[sex]}”不一致（{B183}）", B183)
    if parsed.number == holder.id_number:
        raise api.RuleError("id_number", "id_number_is_holder",
                            f"公民身份号码：与持证人本人的号码相同（{B183}；{GB}）", B183)
    return {"name": name, "sex": sex, "birth_date": birth_date, "id_number": parsed.number,
            "relation": relation}


def add_child(session: Session, *, holder: Any, name: str | None, sex: str | None,
              birth_date: dt.date | None, id_number: str | None, relation: str | None,
              actor: Any, today: dt.date) -> Child:
    """Register a child of ``holder``; audited as ``education_child.create``. Does not commit."""
    facts = validate_child(holder, name=name, sex=sex, birth_date=birth_date,
                           id_number=id_number, relation=relation, today=today)
    existing = session.scalar(select(Child.id).where(Child.holder_id == holder.id,
                                                     Child.id_number == facts["id_number"]))
    if existing is not None:
        raise ChildExists(existing)
    child = Child(holder_id=holder.id, **facts)
    session.add(child)
    try:
        session.flush()
    except IntegrityError:  # a concurrent insert of the same child won the race
        raise ChildExists(None) from None  # the caller rolls the transaction back
    api.record_audit(session, action="education_child.create", entity="education_child",
                     entity_id=child.id, actor=actor,
                     new={"holder_id": holder.id, "name": facts["name"], "sex": facts["sex"],
                          "birth_date": facts["birth_date"].isoformat(),
                          "id_number": api.rules.mask_id_number(facts["id_number"]),
                          "relation": facts["relation"]})
    return child
