"""住房保障's writes: validate first, then write, then the audit event in the same transaction.

The caller (an API view or an admin form) commits once; a refusal is an ``api.RuleError``
naming the field and the article, raised before anything is added to the session.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from core import api

from .entitlements import decision_on
from .parameters import values_on
from .models import DECIDED, OPEN, STATUSES, HousingApplication, HousingFacts
from .rules import B7, failed_codes

#: The largest amounts the columns hold (Numeric(10, 2) and Numeric(12, 2)).
MAX_AREA = Decimal("99999999.99")
MAX_INCOME = Decimal("9999999999.99")
MAX_MONTHS = 1200
MAX_HOUSEHOLD = 30


class HolderNotFound(api.RuleError):
    http_status = 404


class ApplicationOpen(api.RuleError):
    """The holder already has an application being handled (409)."""

    http_status = 409


def _refuse(field: str, code: str, message: str) -> None:
    raise api.RuleError(field, code, f"{message}（{B7}）", B7)


def find_holder(session: Any, id_number: str | None, field: str = "holder_id_number") -> Any:
    """The holder of a citizen ID number typed in a form (the admin finds holders this way)."""
    number = (id_number or "").strip().upper()
    if not number:
        raise api.RuleError(field, "id_number_missing", "公民身份号码：必须填写（《办法》第四条）",
                            "《办法》第四条")
    holder = session.scalar(select(api.Holder).where(api.Holder.id_number == number))
    if holder is None:
        raise api.RuleError(field, "unknown_holder",
                            "公民身份号码：未找到该号码的持证人，请先在公安窗口登记（《办法》第四条）",
                            "《办法》第四条")
    return holder


def get_holder(session: Any, holder_id: int, field: str = "holder_id") -> Any:
    holder = session.get(api.Holder, holder_id)
    if holder is None:
        raise HolderNotFound(field, "holder_not_found", f"持证人 {holder_id} 不存在", "《办法》第四条")
    return holder


def _date_not_after_today(field: str, title: str, value: dt.date | None, today: dt.date) -> None:
    if value is None:
        _refuse(field, f"{field}_missing", f"{title}：必须填写")
    if value > today:  # type: ignore[operator]
        _refuse(field, f"{field}_in_future", f"{title}：不能晚于今天（{api.zh_date(today)}）")


def _amount(field: str, title: str, unit: str, value: Decimal | None, maximum: Decimal) -> None:
    if value is None:
        return
    if not value.is_finite():
        _refuse(field, f"{field}_invalid", f"{title}：不是有效的数字")
    if value < 0:
        _refuse(field, f"{field}_negative", f"{title}：不能为负数（填写了{value}{unit}）")
    if value.as_tuple().exponent < -2:  # type: ignore[operator]
        _refuse(field, f"{field}_precision", f"{title}：最多保留两位小数")
    if value > maximum:
        _refuse(field, f"{field}_too_large", f"{title}：数值过大")


def _cents(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(Decimal("0.01"))


def validate_facts(*, recorded_on: dt.date | None, owns_housing_in_county: bool | None,
                   housing_area_sqm: Decimal | None, insurance_months: int | None,
                   monthly_income: Decimal | None, today: dt.date) -> None:
    _date_not_after_today("recorded_on", "登记日期", recorded_on, today)
    _amount("housing_area_sqm", "人均住房建筑面积", "平方米", housing_area_sqm, MAX_AREA)
    if owns_housing_in_county is False and housing_area_sqm is not None:
        _refuse("housing_area_sqm", "area_without_housing",
                "人均住房建筑面积：登记为在本县无住房时不应填写住房面积")
    if insurance_months is not None:
        if insurance_months < 0:
            _refuse("insurance_months", "insurance_months_negative",
                    f"在本县缴纳社会保险月数：不能为负数（填写了{insurance_months}个月）")
        if insurance_months > MAX_MONTHS:
            _refuse("insurance_months", "insurance_months_too_large",
                    f"在本县缴纳社会保险月数：不能超过{MAX_MONTHS}个月")
    _amount("monthly_income", "家庭人均月收入", "元", monthly_income, MAX_INCOME)


def record_facts(session: Any, *, holder: Any, recorded_on: dt.date | None,
                 owns_housing_in_county: bool | None, housing_area_sqm: Decimal | None,
                 insurance_months: int | None, employed: bool | None,
                 monthly_income: Decimal | None, actor: Any,
                 today: dt.date | None = None) -> HousingFacts:
    """A new dated row of a holder's housing facts (history is never edited)."""
    validate_facts(recorded_on=recorded_on, owns_housing_in_county=owns_housing_in_county,
                   housing_area_sqm=housing_area_sqm, insurance_months=insurance_months,
                   monthly_income=monthly_income, today=today or api.today())
    housing_area_sqm, monthly_income = _cents(housing_area_sqm), _cents(monthly_income)
    row = HousingFacts(holder_id=holder.id, recorded_on=recorded_on,
                       owns_housing_in_county=owns_housing_in_county,
                       housing_area_sqm=housing_area_sqm, insurance_months=insurance_months,
                       employed=employed, monthly_income=monthly_income,
                       recorded_by_id=getattr(actor, "id", None))
    session.add(row)
    session.flush()
    api.record_audit(session, action="housing_facts.create", entity="housing_facts",
                     entity_id=row.id, actor=actor, new={
                         "holder_id": holder.id, "recorded_on": recorded_on,
                         "owns_housing_in_county": owns_housing_in_county,
                         "housing_area_sqm": housing_area_sqm,
                         "insurance_months": insurance_months, "employed": employed,
                         "monthly_income": monthly_income})
    return row


def create_application(session: Any, *, holder: Any, applied_on: dt.date | None,
                       household_size: int | None, note: str | None, actor: Any,
                       today: dt.date | None = None) -> tuple[HousingApplication, Any]:
    """Register an application (status 已受理) with the 第十八条（四） check's decision on
    ``applied_on`` (the three conditions of 第七条); returns the row and the decision."""
    today = today or api.today()
    _date_not_after_today("applied_on", "申请日期", applied_on, today)
    if household_size is None or household_size < 1:
        _refuse("household_size", "household_size_too_small", "家庭人口数：至少为1人")
    if household_size > MAX_HOUSEHOLD:  # type: ignore[operator]
        _refuse("household_size", "household_size_too_large", f"家庭人口数：不能超过{MAX_HOUSEHOLD}人")
    note = (note or "").strip() or None
    if note is not None and len(note) > 255:
        _refuse("note", "note_too_long", "备注：不能超过255个字")
    try:
        values_on(session, applied_on)  # the thresholds must be in force on that day
    except api.ParameterError as err:
        raise api.RuleError("applied_on", err.code, f"申请日期：{err.message}", err.basis) from None
    decision = decision_on(session, holder.id, applied_on)  # type: ignore[arg-type]
    open_id = session.scalar(select(HousingApplication.id).where(
        HousingApplication.holder_id == holder.id, HousingApplication.status.in_(OPEN)).limit(1))
    if open_id is not None:
        raise ApplicationOpen("holder_id", "application_open",
                              f"该持证人已有正在办理的公租房申请（编号{open_id}），办结前不能重复申请（{B7}）", B7)
    row = HousingApplication(holder_id=holder.id, applied_on=applied_on,
                             household_size=household_size, status="accepted",
                             eligible=decision.eligible,
                             failed_reasons=failed_codes(decision.reasons), note=note,
                             recorded_by_id=getattr(actor, "id", None))
    session.add(row)
    session.flush()
    api.record_audit(session, action="housing_application.create", entity="housing_application",
                     entity_id=row.id, actor=actor, new={
                         "holder_id": holder.id, "applied_on": applied_on,
                         "household_size": household_size, "status": row.status,
                         "eligible": row.eligible, "failed_reasons": row.failed_reasons,
                         "note": note})
    return row, decision


def update_application(session: Any, row: HousingApplication, *, status: str | None,
                       decided_on: dt.date | None, note: str | None, actor: Any,
                       today: dt.date | None = None) -> HousingApplication:
    """Move an application on (审核中、轮候、已配租、不予配租); a decision carries its date."""
    today = today or api.today()
    if status not in STATUSES:
        _refuse("status", "status_invalid", "办理状态：取值无效，可选 " + "、".join(STATUSES.values()))
    if status in DECIDED:
        _date_not_after_today("decided_on", "决定日期", decided_on, today)
        if decided_on < row.applied_on:  # type: ignore[operator]
            _refuse("decided_on", "decided_before_applied",
                    f"决定日期：不能早于申请日期{api.zh_date(row.applied_on)}")
    elif decided_on is not None:
        _refuse("decided_on", "decided_on_not_allowed",
                f"决定日期：状态为“{STATUSES[status]}”时不填写（仅轮候、已配租、不予配租有决定日期）")  # type: ignore[index]
    note = (note or "").strip() or None
    if note is not None and len(note) > 255:
        _refuse("note", "note_too_long", "备注：不能超过255个字")
    old = {"status": row.status, "decided_on": row.decided_on, "note": row.note}
    row.status, row.decided_on, row.note = status, decided_on, note  # type: ignore[assignment]
    session.flush()
    api.record_audit(session, action="housing_application.update", entity="housing_application",
                     entity_id=row.id, actor=actor, old=old,
                     new={"status": status, "decided_on": decided_on, "note": note})
    return row
