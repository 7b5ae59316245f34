"""Writes of 人力资源和社会保障: validate every fact first, then write the row and its audit
event in the caller's transaction. The API and the admin forms call these same functions and
commit once; a refusal (:class:`api.RuleError`, naming the field and the article) leaves
nothing written."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import api

from . import rules
from .models import Employment, Training

EMPLOYMENT = "human_resources_employment"
TRAINING = "human_resources_training"


def holder_for(session: Session, holder_id: Any, basis: str) -> Any:
    """The holder a record is about, or a refusal naming ``holder_id``."""
    holder = session.get(api.Holder, holder_id) if isinstance(holder_id, int) else None
    if holder is None:
        raise api.RuleError("holder_id", "holder_not_found",
                            f"持证人：编号为{holder_id}的持证人不存在（{basis}）", basis)
    return holder


def holder_by_id_number(session: Session, id_number: str | None, basis: str) -> Any:
    """The holder whose citizen ID number a clerk typed (admin forms), or a refusal."""
    value = (id_number or "").strip().upper()
    holder = session.scalar(select(api.Holder).where(api.Holder.id_number == value)) \
        if value else None
    if holder is None:
        raise api.RuleError("holder_id_number", "holder_not_found",
                            f"公民身份号码：未找到该持证人，请核对号码（{basis}）", basis)
    return holder


def _employment_values(row: Employment) -> dict[str, Any]:
    return {"holder_id": row.holder_id, "employer": row.employer,
            "credit_code": row.credit_code, "started_on": row.started_on.isoformat(),
            "ended_on": row.ended_on.isoformat() if row.ended_on else None,
            "insured": row.insured}


def record_employment(session: Session, *, holder: Any, employer: str | None,
                      credit_code: str | None, started_on: dt.date | None,
                      ended_on: dt.date | None, insured: bool | None, actor: Any) -> Employment:
    """就业登记 (第十八条（二）): one employment of a holder. Audited."""
    employer = rules.check_text(employer, "employer", "用人单位", 100, rules.B18_2)
    credit_code = rules.check_credit_code(credit_code)
    if started_on is None:
        raise api.RuleError("started_on", "started_on_missing",
                            f"开始日期：必须填写（{rules.B18_2}）", rules.B18_2)
    rules.check_employment_dates(holder.birth_date, started_on, ended_on)
    if insured is None:
        raise api.RuleError("insured", "insured_missing",
                            f"是否参保：必须填写用人单位是否为其缴纳社会保险（{rules.B18_2}）", rules.B18_2)
    row = Employment(holder_id=holder.id, employer=employer, credit_code=credit_code,
                     started_on=started_on, ended_on=ended_on, insured=bool(insured),
                     recorded_by_id=getattr(actor, "id", None))
    session.add(row)
    session.flush()
    api.record_audit(session, action=f"{EMPLOYMENT}.create", entity=EMPLOYMENT, entity_id=row.id,
                     new=_employment_values(row), actor=actor)
    return row


def update_employment(session: Session, row: Employment, *, ended_on: dt.date | None,
                      insured: bool | None, actor: Any) -> Employment:
    """An employment ends, or the employer starts (stops) paying insurance. Audited with the
    old and new values; the employer and start date are not rewritten (record a new one)."""
    rules.check_employment_dates(row.holder.birth_date, row.started_on, ended_on)
    old = _employment_values(row)
    row.ended_on, row.insured = ended_on, bool(insured)
    session.flush()
    new = _employment_values(row)
    changed = {k: v for k, v in new.items() if old[k] != v}
    if changed:
        api.record_audit(session, action=f"{EMPLOYMENT}.update", entity=EMPLOYMENT,
                         entity_id=row.id, old={k: old[k] for k in changed}, new=changed,
                         actor=actor)
    return row


def record_training(session: Session, *, holder: Any, kind: str | None, on: dt.date | None,
                    provider: str | None, note: str | None, actor: Any) -> Training:
    """培训与就业服务 (第十八条（七）（八）): one training or service record. Audited."""
    kind = (kind or "").strip()
    if on is None:
        raise api.RuleError("on", "on_missing", f"日期：必须填写（{rules.B18_7}）", rules.B18_7)
    rules.check_training(holder.birth_date, kind, on)
    provider = rules.check_text(provider, "provider", "提供机构", 100, rules.B18_7)
    note = rules.check_text(note, "note", "备注", 255, rules.B18_7, required=False)
    row = Training(holder_id=holder.id, kind=kind, on=on, provider=provider, note=note,
                   recorded_by_id=getattr(actor, "id", None))
    session.add(row)
    session.flush()
    api.record_audit(session, action=f"{TRAINING}.create", entity=TRAINING, entity_id=row.id,
                     new={"holder_id": holder.id, "kind": kind, "on": on.isoformat(),
                          "provider": provider, "note": note}, actor=actor)
    return row
