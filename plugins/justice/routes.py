"""司法行政's JSON API under ``/api/v1/justice`` (DESIGN §5).

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
from .models import STATUSES, JusticeAidApplication, JusticeMeans
from .rules import B31, B34, B185, MATTERS

READERS = frozenset({"county_admin", "dept_clerk", "auditor"})
WRITERS = frozenset({"county_admin", "dept_clerk"})
LIST_CAP = 500

MatterCode = Literal[tuple(MATTERS)]  # type: ignore[valid-type]
StatusCode = Literal["accepted", "granted", "refused"]

bp = api.ApiBlueprint("justice", __name__, url_prefix="/justice", tags=[TITLE])


# -- schemas -----------------------------------------------------------------------------------

class JusticeMeansIn(api.In):
    recorded_on: api.IsoDate = api.field("登记日期", B34, description="自该日起掌握的情况；不得晚于今天")
    monthly_income_per_person: Decimal | None = api.field(
        "家庭人均月收入（元）", B34, default=None, description="不能为负数；null：未登记")


class JusticeMeansOut(api.Out):
    id: int
    holder_id: int
    recorded_on: dt.date
    monthly_income_per_person: Decimal | None = Field(description="元，两位小数的字符串")
    recorded_by: str | None = Field(description="登记人的用户名")
    created_at: dt.datetime


class JusticeMeansHistory(api.Out):
    holder_id: int
    items: list[JusticeMeansOut] = Field(description="按登记日期从早到晚；判断取某日及以前最近的一条")


class JusticeApplicationIn(api.In):
    holder_id: int = api.field("持证人", B185, ge=1)
    applied_on: api.IsoDate = api.field("申请日期", B31)
    matter: MatterCode = api.field("申请事项", B31, description="见 GET /justice/matters")
    note: str | None = api.field("备注", default=None, max_length=255)


class JusticeReasonOut(api.Out):
    code: str
    passed: bool
    text: str
    basis: str


class JusticeApplicationOut(api.Out):
    id: int
    holder_id: int
    holder_name: str
    holder_id_number: str = Field(description="审计员看到的是遮蔽的号码")
    applied_on: dt.date
    matter: str
    matter_name: str
    means_test_exempt: bool = Field(description="第三十二条：不受经济困难条件的限制")
    eligible: bool = Field(description="申请日：免于经济困难审查的事项，或经济困难")
    status: StatusCode
    status_name: str = Field(description="已受理、给予法律援助、不予法律援助")
    decided_on: dt.date | None
    note: str | None


class JusticeApplicationCreated(JusticeApplicationOut):
    reasons: list[JusticeReasonOut] = Field(description="申请日的判断理由")


class JusticeApplicationList(RootModel[list[JusticeApplicationOut]]):
    """Applications, newest first (at most 500)."""


class JusticeApplicationsQuery(api.In):
    status: StatusCode | None = api.field("办理状态", B185, default=None)
    matter: MatterCode | None = api.field("申请事项", B31, default=None)
    holder_id: int | None = api.field("持证人", B185, default=None, ge=1)

    @field_validator("*", mode="before")
    @classmethod
    def _empty_is_absent(cls, value: Any) -> Any:
        return None if value == "" else value


class JusticeMatterOut(api.Out):
    code: str
    name: str
    article: str = Field(description="《法律援助法》的条、项")
    means_test_exempt: bool


class JusticeMatterList(RootModel[list[JusticeMatterOut]]):
    """The matters an application may name: 第三十一条, then 第三十二条."""


def means_out(row: JusticeMeans) -> JusticeMeansOut:
    return JusticeMeansOut(id=row.id, holder_id=row.holder_id, recorded_on=row.recorded_on,
                           monthly_income_per_person=row.monthly_income_per_person,
                           recorded_by=row.recorded_by.username if row.recorded_by else None,
                           created_at=row.created_at)


def application_out(row: JusticeAidApplication, user: Any) -> dict[str, Any]:
    return dict(
        id=row.id, holder_id=row.holder_id, holder_name=row.holder.name,
        holder_id_number=api.shown_id_number(user, row.holder.id_number), applied_on=row.applied_on,
        matter=row.matter, matter_name=MATTERS[row.matter].name if row.matter in MATTERS
        else row.matter, means_test_exempt=row.means_test_exempt, eligible=row.eligible,
        status=row.status, status_name=STATUSES[row.status], decided_on=row.decided_on,
        note=row.note)


# -- routes ------------------------------------------------------------------------------------

@bp.route_api("/holders/<int:holder_id>/means", method="PUT",
              summary="登记持证人的经济状况（新的一条，第十八条（五））", roles=WRITERS,
              body=JusticeMeansIn, responses={201: JusticeMeansOut}, errors=(404,))
def put_means(holder_id: int, body: JusticeMeansIn, user: Any) -> Any:
    """Adds a dated row; the history is kept (a correction is a new row)."""
    api.own_department(user, DEPARTMENT, TITLE)
    session = api.db.session
    holder = services.get_holder(session, holder_id)
    row = services.record_means(session, holder=holder, actor=user, **body.model_dump())
    session.commit()
    return means_out(row), 201


@bp.route_api("/holders/<int:holder_id>/means", summary="持证人的经济状况登记历史（第十八条（五））",
              roles=READERS, responses={200: JusticeMeansHistory}, errors=(404,))
def get_means(holder_id: int, user: Any) -> Any:
    api.own_department(user, DEPARTMENT, TITLE)
    session = api.db.session
    services.get_holder(session, holder_id)
    rows = session.scalars(select(JusticeMeans).where(JusticeMeans.holder_id == holder_id)
                           .order_by(JusticeMeans.recorded_on, JusticeMeans.id))
    return JusticeMeansHistory(holder_id=holder_id, items=[means_out(r) for r in rows])


@bp.route_api("/matters", summary="法律援助申请事项（《法律援助法》第三十一条、第三十二条）",
              roles=READERS, responses={200: JusticeMatterList})
def list_matters(user: Any) -> Any:
    api.own_department(user, DEPARTMENT, TITLE)
    return JusticeMatterList([JusticeMatterOut(code=m.code, name=m.name, article=m.article,
                                               means_test_exempt=m.exempt)
                              for m in MATTERS.values()])


@bp.route_api("/applications", method="POST", summary="受理法律援助申请（第十八条（五））",
              roles=WRITERS, body=JusticeApplicationIn,
              responses={201: JusticeApplicationCreated}, errors=(404, 409))
def create_application(body: JusticeApplicationIn, user: Any) -> Any:
    """Registers the application as 已受理 with the decision on the day of application."""
    api.own_department(user, DEPARTMENT, TITLE)
    session = api.db.session
    holder = services.get_holder(session, body.holder_id)
    row, decision = services.create_application(session, holder=holder,
                                                applied_on=body.applied_on, matter=body.matter,
                                                note=body.note, actor=user)
    session.commit()
    return JusticeApplicationCreated(**application_out(row, user),
                                     reasons=[r.as_dict() for r in decision.reasons]), 201


@bp.route_api("/applications", summary="法律援助申请登记（第十八条（五））", roles=READERS,
              query=JusticeApplicationsQuery, responses={200: JusticeApplicationList})
def list_applications(query: JusticeApplicationsQuery, user: Any) -> Any:
    api.own_department(user, DEPARTMENT, TITLE)
    stmt = select(JusticeAidApplication).order_by(JusticeAidApplication.applied_on.desc(),
                                                  JusticeAidApplication.id.desc()).limit(LIST_CAP)
    if query.status:
        stmt = stmt.where(JusticeAidApplication.status == query.status)
    if query.matter:
        stmt = stmt.where(JusticeAidApplication.matter == query.matter)
    if query.holder_id:
        stmt = stmt.where(JusticeAidApplication.holder_id == query.holder_id)
    rows = api.db.session.scalars(stmt)
    return JusticeApplicationList([JusticeApplicationOut(**application_out(r, user))
                                   for r in rows])


def blueprint() -> api.ApiBlueprint:
    return bp
