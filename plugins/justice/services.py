"""司法行政's writes: validate first, then write, then the audit event in the same transaction.

The caller (an API view or an admin form) commits once; a refusal is an ``api.RuleError``
naming the field and the article, raised before anything is added to the session.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from core import api

from .entitlements import application_decision_on
from .models import DECIDED, STATUSES, JusticeAidApplication, JusticeMeans
from .rules import B31, MATTERS

B34 = "《法律援助法》第三十四条"
B43 = "《法律援助法》第四十三条"  # 审查后作出是否给予法律援助的决定
MAX_INCOME = Decimal("9999999999.99")  # what Numeric(12, 2) holds


class HolderNotFound(api.RuleError):
    http_status = 404


class ApplicationPending(api.RuleError):
    """The same matter of the same holder is already being reviewed (409)."""

    http_status = 409


def _refuse(field: str, code: str, message: str, basis: str) -> None:
    raise api.RuleError(field, code, f"{message}（{basis}）", basis)


def find_holder(session: Any, id_number: str | None, field: str = "holder_id_number") -> Any:
    """The holder of a citizen ID number typed in a form (the admin finds holders this way)."""
    number = (id_number or "").strip().upper()
    if not number:
        _refuse(field, "id_number_missing", "公民身份号码：必须填写", "《办法》第四条")
    holder = session.scalar(select(api.Holder).where(api.Holder.id_number == number))
    if holder is None:
        _refuse(field, "unknown_holder", "公民身份号码：未找到该号码的持证人，请先在公安窗口登记",
                "《办法》第四条")
    return holder


def get_holder(session: Any, holder_id: int, field: str = "holder_id") -> Any:
    holder = session.get(api.Holder, holder_id)
    if holder is None:
        raise HolderNotFound(field, "holder_not_found", f"持证人 {holder_id} 不存在", "《办法》第四条")
    return holder


def _date(field: str, title: str, value: dt.date | None, today: dt.date, basis: str) -> None:
    if value is None:
        _refuse(field, f"{field}_missing", f"{title}：必须填写", basis)
    if value > today:  # type: ignore[operator]
        _refuse(field, f"{field}_in_future", f"{title}：不能晚于今天（{api.zh_date(today)}）", basis)


def _note(note: str | None) -> str | None:
    note = (note or "").strip() or None
    if note is not None and len(note) > 255:
        _refuse("note", "note_too_long", "备注：不能超过255个字", "《办法》第二十条")
    return note


def record_means(session: Any, *, holder: Any, recorded_on: dt.date | None,
                 monthly_income_per_person: Decimal | None, actor: Any,
                 today: dt.date | None = None) -> JusticeMeans:
    """A new dated row of a holder's economic situation (history is never edited)."""
    today = today or api.today()
    _date("recorded_on", "登记日期", recorded_on, today, B34)
    income = monthly_income_per_person
    if income is not None:
        title = "家庭人均月收入"
        if not income.is_finite():
            _refuse("monthly_income_per_person", "income_invalid", f"{title}：不是有效的数字", B34)
        if income < 0:
            _refuse("monthly_income_per_person", "income_negative",
                    f"{title}：不能为负数（填写了{income}元）", B34)
        if income.as_tuple().exponent < -2:  # type: ignore[operator]
            _refuse("monthly_income_per_person", "income_precision", f"{title}：最多保留两位小数", B34)
        if income > MAX_INCOME:
            _refuse("monthly_income_per_person", "income_too_large", f"{title}：数值过大", B34)
        income = income.quantize(Decimal("0.01"))
    row = JusticeMeans(holder_id=holder.id, recorded_on=recorded_on,
                       monthly_income_per_person=income,
                       recorded_by_id=getattr(actor, "id", None))
    session.add(row)
    session.flush()
    api.record_audit(session, action="justice_means.create", entity="justice_means",
                     entity_id=row.id, actor=actor,
                     new={"holder_id": holder.id, "recorded_on": recorded_on,
                          "monthly_income_per_person": income})
    return row


def create_application(session: Any, *, holder: Any, applied_on: dt.date | None,
                       matter: str | None, note: str | None, actor: Any,
                       today: dt.date | None = None) -> tuple[JusticeAidApplication, Any]:
    """Register an application (已受理) with the decision on ``applied_on``: exempt matter
    (第三十二条) or economic hardship (第三十一条); returns the row and the decision."""
    today = today or api.today()
    _date("applied_on", "申请日期", applied_on, today, B31)
    if matter not in MATTERS:
        _refuse("matter", "matter_invalid", "申请事项：请从《法律援助法》第三十一条、第三十二条所列事项中选择",
                B31)
    note = _note(note)
    try:
        decision = application_decision_on(session, holder.id, matter, applied_on)  # type: ignore[arg-type]
    except api.ParameterError as err:
        raise api.RuleError("applied_on", err.code, f"申请日期：{err.message}", err.basis) from None
    pending = session.scalar(select(JusticeAidApplication.id).where(
        JusticeAidApplication.holder_id == holder.id, JusticeAidApplication.matter == matter,
        JusticeAidApplication.status == "accepted").limit(1))
    if pending is not None:
        raise ApplicationPending(
            "matter", "application_pending",
            f"该持证人就“{MATTERS[matter].name}”已有受理待审查的法律援助申请（编号{pending}），"  # type: ignore[index]
            f"请先作出决定（{B43}）", B43)
    row = JusticeAidApplication(holder_id=holder.id, applied_on=applied_on, matter=matter,
                                means_test_exempt=MATTERS[matter].exempt,  # type: ignore[index]
                                eligible=decision.eligible, status="accepted", note=note,
                                recorded_by_id=getattr(actor, "id", None))
    session.add(row)
    session.flush()
    api.record_audit(session, action="justice_aid_application.create",
                     entity="justice_aid_application", entity_id=row.id, actor=actor,
                     new={"holder_id": holder.id, "applied_on": applied_on, "matter": matter,
                          "means_test_exempt": row.means_test_exempt, "eligible": row.eligible,
                          "status": row.status, "note": note})
    return row, decision


def update_application(session: Any, row: JusticeAidApplication, *, status: str | None,
                       decided_on: dt.date | None, note: str | None, actor: Any,
                       today: dt.date | None = None) -> JusticeAidApplication:
    """Record the decision (给予 / 不予法律援助) with its date (第四十三条)."""
    today = today or api.today()
    if status not in STATUSES:
        _refuse("status", "status_invalid", "办理状态：取值无效，可选 " + "、".join(STATUSES.values()),
                B43)
    if status in DECIDED:
        _date("decided_on", "决定日期", decided_on, today, B43)
        if decided_on < row.applied_on:  # type: ignore[operator]
            _refuse("decided_on", "decided_before_applied",
                    f"决定日期：不能早于申请日期{api.zh_date(row.applied_on)}", B43)
    elif decided_on is not None:
        _refuse("decided_on", "decided_on_not_allowed",
                "决定日期：状态为“已受理”时不填写（作出决定后填写）", B43)
    note = _note(note)
    old = {"status": row.status, "decided_on": row.decided_on, "note": row.note}
    row.status, row.decided_on, row.note = status, decided_on, note  # type: ignore[assignment]
    session.flush()
    api.record_audit(session, action="justice_aid_application.update",
                     entity="justice_aid_application", entity_id=row.id, actor=actor, old=old,
                     new={"status": status, "decided_on": decided_on, "note": note})
    return row
