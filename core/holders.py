"""Holder records (《办法》第四条): one validation for the API, the admin and imports."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core import audit
from core.models import ETHNICITIES, Holder
from core.models.holder import SEXES
from core.rules import RuleError, check_division_code, check_id_agrees, parse_id_number

BASIS = "《办法》第四条"
PHONE_RE = re.compile(r"^(1\d{10}|0\d{2,3}-?\d{7,8})$")


class DuplicateIdNumber(RuleError):
    def __init__(self, holder_id: int) -> None:
        super().__init__("id_number", "duplicate_id_number",
                         f"公民身份号码已登记（持证人编号 {holder_id}），不能重复录入（{BASIS}）", BASIS)
        self.holder_id = holder_id


@dataclass(frozen=True)
class HolderFacts:
    name: str
    sex: str
    ethnicity: str
    birth_date: dt.date
    id_number: str
    hukou_address: str
    hukou_division_code: str
    phone: str | None = None


def check_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise RuleError("name", "name_required", f"姓名：必须填写（{BASIS}）", BASIS)
    # isprintable() is False for every Cc and Cf character: the per-character look-up runs
    # only for the rare name it cannot clear at once.
    if len(name) > 100 or (not name.isprintable()
                           and any(unicodedata.category(c) in ("Cc", "Cf") for c in name)):
        raise RuleError("name", "name_invalid", f"姓名：含有控制字符或超过 100 个字（{BASIS}）", BASIS)
    return name


def validate(facts: HolderFacts, as_of: dt.date) -> HolderFacts:
    """Check every field; the first error raises a RuleError naming field and article."""
    name = check_name(facts.name)
    if facts.sex not in SEXES:
        raise RuleError("sex", "sex_invalid", f"性别：应为 male 或 female（{BASIS}）", BASIS)
    if facts.ethnicity not in ETHNICITIES:
        raise RuleError("ethnicity", "ethnicity_invalid",
                        f"民族：应为 GB 3304 所列名称之一（{BASIS}）", BASIS)
    parsed = parse_id_number(facts.id_number, as_of=as_of)
    check_id_agrees(parsed, facts.birth_date, facts.sex)
    address = (facts.hukou_address or "").strip()
    if not address:
        raise RuleError("hukou_address", "hukou_address_required",
                        f"常住户口所在地住址：必须填写（{BASIS}）", BASIS)
    code = check_division_code(facts.hukou_division_code, "hukou_division_code")
    phone = (facts.phone or "").strip() or None
    if phone is not None and not PHONE_RE.match(phone):
        # A contact detail the platform keeps beside the 第四条 items, not one of them.
        raise RuleError("phone", "phone_invalid",
                        "联系电话：应为 11 位手机号或带区号的固定电话（联系方式，非《办法》第四条登载项）",
                        "联系方式")
    return HolderFacts(name, facts.sex, facts.ethnicity, facts.birth_date, parsed.number,
                       address, code, phone)


def create_holder(session: Session, facts: HolderFacts, *, as_of: dt.date,
                  actor: Any = None) -> Holder:
    """Validate, insert and audit one holder in the caller's transaction."""
    facts = validate(facts, as_of)
    existing = session.scalar(select(Holder.id).where(Holder.id_number == facts.id_number))
    if existing is not None:
        raise DuplicateIdNumber(existing)
    holder = Holder(**facts.__dict__)
    session.add(holder)
    try:
        session.flush()
    except IntegrityError:  # a concurrent insert of the same number won the race
        session.rollback()
        existing = session.scalar(select(Holder.id).where(Holder.id_number == facts.id_number))
        raise DuplicateIdNumber(existing or 0) from None
    audit.record(session, action="holder.create", entity="holder", entity_id=holder.id,
                 actor=actor, new=dict(facts.__dict__))
    return holder
