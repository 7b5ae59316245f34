"""住房保障's JSON API under ``/api/v1/housing`` (DESIGN §5).

Reads: the county admin, the department's own clerks and the auditor; writes: the county admin
and the department's own clerks (《办法》第二十条). A clerk of another department gets 403 after
the input is validated (invalid input is 422 whoever sends it); the auditor sees ID numbers
masked.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from pydantic import Field, RootModel, field_validator
from sqlalchemy import select

from core import api

from . import DEPARTMENT, TITLE, services
from .models import STATUSES, HousingApplication, HousingFacts
from .rules import B7, B184, REASONS

READERS = frozenset({"county_admin", "dept_clerk", "auditor"})
WRITERS = frozenset({"county_admin", "dept_clerk"})
LIST_CAP = 500

bp = api.ApiBlueprint("housing", __name__, url_prefix="/housing", tags=[TITLE])


# -- schemas -----------------------------------------------------------------------------------

class HousingFactsIn(api.In):
    recorded_on: api.IsoDate = api.field("登记日期", B7, description="自该日起掌握的情况；不得晚于今天")
    owns_housing_in_county: bool | None = api.field("在本县是否有住房", B7, default=None,
                                                    description="null：未登记")
    housing_area_sqm: Decimal | None = api.field("人均住房建筑面积（平方米）", B7, default=None,
                                                 description="在本县有住房时填写；null：未登记")
    insurance_months: int | None = api.field("在本县缴纳社会保险月数", B7, default=None,
                                             description="不能为负数；null：未登记")
    employed: bool | None = api.field("是否在业", B7, default=None, description="null：未登记")
    monthly_income: Decimal | None = api.field("家庭人均月收入（元）", B7, default=None,
                                               description="不能为负数；null：未登记")


class HousingFactsOut(api.Out):
    id: int
    holder_id: int
    recorded_on: dt.date
    owns_housing_in_county: bool | None
    housing_area_sqm: Decimal | None = Field(description="平方米，两位小数的字符串")
    insurance_months: int | None
    employed: bool | None
    monthly_income: Decimal | None = Field(description="元，两位小数的字符串")
    recorded_by: str | None = Field(description="登记人的用户名")
    created_at: dt.datetime


class HousingFactsHistory(api.Out):
    holder_id: int
    items: list[HousingFactsOut] = Field(description="按登记日期从早到晚；判断取某日及以前最近的一条")


class HousingApplicationIn(api.In):
    holder_id: int = api.field("持证人", B184, ge=1)
    applied_on: api.IsoDate = api.field("申请日期", B184)
    household_size: int = api.field("家庭人口数", B7, description="至少1人")
    note: str | None = api.field("备注", default=None, max_length=255)


class HousingReasonOut(api.Out):
    code: str
    passed: bool
    text: str
    basis: str


class HousingApplicationOut(api.Out):
    id: int
    holder_id: int
    holder_name: str
    holder_id_number: str = Field(description="审计员看到的是遮蔽的号码")
    applied_on: dt.date
    household_size: int
    status: Literal["accepted", "reviewing", "waiting", "allocated", "rejected"]
    status_name: str = Field(description="已受理、审核中、轮候、已配租、不予配租")
    decided_on: dt.date | None
    eligible: bool = Field(description="申请日是否符合住房保障部门的三项条件（第七条）；居住证另由权益判断核验")
    failed_reasons: list[str] = Field(description="未满足的条件代码：housing、income、employment")
    failed_reason_names: list[str]
    note: str | None


class HousingApplicationCreated(HousingApplicationOut):
    reasons: list[HousingReasonOut] = Field(description="申请日三项条件的判断理由")


class HousingApplicationList(RootModel[list[HousingApplicationOut]]):
    """Applications, newest first (at most 500)."""


class HousingApplicationsQuery(api.In):
    status: Literal["accepted", "reviewing", "waiting", "allocated", "rejected"] | None = \
        api.field("办理状态", B184, default=None)
    holder_id: int | None = api.field("持证人", B184, default=None, ge=1)

    @field_validator("*", mode="before")
    @classmethod
    def _empty_is_absent(cls, value: Any) -> Any:
        return None if value == "" else value


def facts_out(row: HousingFacts) -> HousingFactsOut:
    return HousingFactsOut(
        id=row.id, holder_id=row.holder_id, recorded_on=row.recorded_on,
        owns_housing_in_county=row.owns_housing_in_county,
        housing_area_sqm=row.housing_area_sqm, insurance_months=row.insurance_months,
        employed=row.employed, monthly_income=row.monthly_income,
        recorded_by=row.recorded_by.username if row.recorded_by else None,
        created_at=row.created_at)


def application_out(row: HousingApplication, user: Any) -> dict[str, Any]:
    codes = list(row.failed_reasons or [])
    return dict(
        id=row.id, holder_id=row.holder_id, holder_name=row.holder.name,
        holder_id_number=api.shown_id_number(user, row.holder.id_number), applied_on=row.applied_on,
        household_size=row.household_size, status=row.status, status_name=STATUSES[row.status],
        decided_on=row.decided_on, eligible=row.eligible, failed_reasons=codes,
        failed_reason_names=[REASONS.get(c, c) for c in codes], note=row.note)


# -- routes ------------------------------------------------------------------------------------

@bp.route_api("/holders/<int:holder_id>/facts", method="PUT",
              summary="登记持证人的住房、收入和就业情况（新的一条，第十八条（四））", roles=WRITERS,
              body=HousingFactsIn, responses={201: HousingFactsOut}, errors=(404,))
def put_facts(holder_id: int, body: HousingFactsIn, user: Any) -> Any:
    """Adds a dated row; the history is kept (a correction is a new row)."""
    api.own_department(user, DEPARTMENT, TITLE)
    session = api.db.session
    holder = services.get_holder(session, holder_id)
    row = services.record_facts(session, holder=holder, actor=user, **body.model_dump())
    session.commit()
    return facts_out(row), 201


@bp.route_api("/holders/<int:holder_id>/facts", summary="持证人的住房情况登记历史（第十八条（四））",
              roles=READERS, responses={200: HousingFactsHistory}, errors=(404,))
def get_facts(holder_id: int, user: Any) -> Any:
    api.own_department(user, DEPARTMENT, TITLE)
    session = api.db.session
    services.get_holder(session, holder_id)
    rows = session.scalars(select(HousingFacts).where(HousingFacts.holder_id == holder_id)
                           .order_by(HousingFacts.recorded_on, HousingFacts.id))
    return HousingFactsHistory(holder_id=holder_id, items=[facts_out(r) for r in rows])


@bp.route_api("/applications", method="POST", summary="受理公共租赁住房申请（第十八条（四））",
              roles=WRITERS, body=HousingApplicationIn,
              responses={201: HousingApplicationCreated}, errors=(404, 409))
def create_application(body: HousingApplicationIn, user: Any) -> Any:
    """Registers the application as 已受理 with the decision on the day of application."""
    api.own_department(user, DEPARTMENT, TITLE)
    session = api.db.session
    holder = services.get_holder(session, body.holder_id)
    row, decision = services.create_application(
        session, holder=holder, applied_on=body.applied_on, household_size=body.household_size,
        note=body.note, actor=user)
    session.commit()
    return HousingApplicationCreated(**application_out(row, user),
                                     reasons=[r.as_dict() for r in decision.reasons]), 201


@bp.route_api("/applications", summary="公共租赁住房申请登记（第十八条（四））", roles=READERS,
              query=HousingApplicationsQuery, responses={200: HousingApplicationList})
def list_applications(query: HousingApplicationsQuery, user: Any) -> Any:
    api.own_department(user, DEPARTMENT, TITLE)
    stmt = select(HousingApplication).order_by(HousingApplication.applied_on.desc(),
                                               HousingApplication.id.desc()).limit(LIST_CAP)
    if query.status:
        stmt = stmt.where(HousingApplication.status == query.status)
    if query.holder_id:
        stmt = stmt.where(HousingApplication.holder_id == query.holder_id)
    rows = api.db.session.scalars(stmt)
    return HousingApplicationList([HousingApplicationOut(**application_out(r, user))
                                   for r in rows])


def blueprint() -> api.ApiBlueprint:
    return bp
