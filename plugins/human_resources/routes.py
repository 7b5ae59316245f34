"""The department's JSON API under ``/api/v1/human_resources`` (DESIGN §5): employment records
(第十八条（二）) and the training / employment-service register (第十八条（七）（八）).

Reads: the county admin, this department's clerks and the auditor; writes: the county admin
and this department's clerks. A clerk of another department gets 403 (第二十条: each department
serves within its own duties). Input invalid whoever sends it is a 422 first.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field, RootModel, model_validator
from sqlalchemy import select

from core import api

from . import DEPARTMENT, TITLE, rules, services
from .models import Employment, Training
from .rules import B18_2, B18_7, TRAINING_KINDS

READERS = frozenset({"county_admin", "dept_clerk", "auditor"})
WRITERS = frozenset({"county_admin", "dept_clerk"})


def holder_or_404(holder_id: int) -> Any:
    holder = api.db.session.get(api.Holder, holder_id)
    if holder is None:
        raise api.ApiError(404, "holder_not_found", f"持证人 {holder_id} 不存在")
    return holder


CreditCode = Annotated[str | None, AfterValidator(rules.check_credit_code)]


class EmploymentIn(api.In):
    holder_id: int = api.field("持证人编号", B18_2, ge=1)
    employer: str = api.field("用人单位", B18_2, min_length=1, max_length=100)
    credit_code: CreditCode = api.field("统一社会信用代码", rules.B_CREDIT_CODE, default=None)
    started_on: api.IsoDate = api.field("开始日期", B18_2)
    ended_on: api.IsoDate | None = api.field("结束日期", B18_2, default=None,
                                             description="最后在职日；在职中不填")
    insured: bool = api.field("是否参保", B18_2, description="用人单位是否为其缴纳社会保险")

    @model_validator(mode="after")
    def _dates_in_order(self) -> "EmploymentIn":
        rules.check_end_not_before_start(self.started_on, self.ended_on)
        return self


class EmploymentOut(api.Out):
    id: int
    holder_id: int
    employer: str
    credit_code: str | None
    started_on: api.IsoDate
    ended_on: api.IsoDate | None
    insured: bool
    current: bool = Field(description="今天是否仍在该单位就业")


class EmploymentList(RootModel[list[EmploymentOut]]):
    """A holder's employments, latest first."""


class TrainingIn(api.In):
    holder_id: int = api.field("持证人编号", B18_7, ge=1)
    kind: Literal["skills_training", "job_guidance", "job_referral", "exam_registration"] = \
        api.field("类别", B18_7, description="、".join(f"{k} {v}" for k, v in TRAINING_KINDS.items()))
    on: api.IsoDate = api.field("日期", B18_7)
    provider: str = api.field("提供机构", B18_7, min_length=1, max_length=100)
    note: str | None = api.field("备注", B18_7, default=None, max_length=255)


class TrainingOut(api.Out):
    id: int
    holder_id: int
    kind: str
    kind_name: str = Field(description="类别的中文名称")
    on: api.IsoDate
    provider: str
    note: str | None


class TrainingList(RootModel[list[TrainingOut]]):
    """A holder's training and employment-service records, latest first."""


def employment_out(row: Employment, today: dt.date) -> EmploymentOut:
    return EmploymentOut(id=row.id, holder_id=row.holder_id, employer=row.employer,
                         credit_code=row.credit_code, started_on=row.started_on,
                         ended_on=row.ended_on, insured=row.insured,
                         current=row.started_on <= today and (row.ended_on is None
                                                              or row.ended_on >= today))


def training_out(row: Training) -> TrainingOut:
    return TrainingOut(id=row.id, holder_id=row.holder_id, kind=row.kind,
                       kind_name=TRAINING_KINDS[row.kind], on=row.on, provider=row.provider,
                       note=row.note)


def blueprint() -> api.ApiBlueprint:
    bp = api.ApiBlueprint("human_resources", __name__, url_prefix="/human_resources",
                          tags=["人力资源和社会保障"])

    @bp.route_api("/employment", method="POST", summary="就业登记（第十八条（二））",
                  roles=WRITERS, body=EmploymentIn, responses={201: EmploymentOut},
                  errors=(403, 422))
    def create_employment(body: EmploymentIn, user: Any) -> tuple[EmploymentOut, int]:
        """Record one employment of a holder: the employer, its dates and whether it pays
        social insurance. ``ended_on`` before ``started_on`` is a 422 naming ``ended_on``."""
        api.own_department(user, DEPARTMENT, TITLE)
        session = api.db.session
        row = services.record_employment(
            session, holder=services.holder_for(session, body.holder_id, B18_2),
            employer=body.employer, credit_code=body.credit_code, started_on=body.started_on,
            ended_on=body.ended_on, insured=body.insured, actor=user)
        session.commit()
        return employment_out(row, api.today()), 201

    @bp.route_api("/holders/<int:holder_id>/employment", summary="持证人的就业登记（第十八条（二））",
                  roles=READERS, responses={200: EmploymentList}, errors=(403, 404))
    def list_employment(holder_id: int, user: Any) -> list[dict[str, Any]]:
        api.own_department(user, DEPARTMENT, TITLE)
        holder_or_404(holder_id)
        rows = api.db.session.scalars(
            select(Employment).where(Employment.holder_id == holder_id)
            .order_by(Employment.started_on.desc(), Employment.id.desc()))
        today = api.today()
        return [employment_out(r, today).model_dump(mode="json") for r in rows]

    @bp.route_api("/training", method="POST", summary="培训与就业服务登记（第十八条（七）（八））",
                  roles=WRITERS, body=TrainingIn, responses={201: TrainingOut}, errors=(403, 422))
    def create_training(body: TrainingIn, user: Any) -> tuple[TrainingOut, int]:
        """Record a vocational training, a job guidance or referral, or an exam registration."""
        api.own_department(user, DEPARTMENT, TITLE)
        session = api.db.session
        row = services.record_training(
            session, holder=services.holder_for(session, body.holder_id, B18_7), kind=body.kind,
            on=body.on, provider=body.provider, note=body.note, actor=user)
        session.commit()
        return training_out(row), 201

    @bp.route_api("/holders/<int:holder_id>/training",
                  summary="持证人的培训与就业服务记录（第十八条（七）（八））", roles=READERS,
                  responses={200: TrainingList}, errors=(403, 404))
    def list_training(holder_id: int, user: Any) -> list[dict[str, Any]]:
        api.own_department(user, DEPARTMENT, TITLE)
        holder_or_404(holder_id)
        rows = api.db.session.scalars(
            select(Training).where(Training.holder_id == holder_id)
            .order_by(Training.on.desc(), Training.id.desc()))
        return [training_out(r).model_dump(mode="json") for r in rows]

    return bp
