"""The education department's JSON API, under ``/api/v1/education`` (DESIGN §5).

- ``POST /children``: register a holder's child (随迁子女) → 201; 409 when the holder already
  registered that ID number; 422 naming the field and article.
- ``GET /holders/<id>/children``: the holder's registered children.
- ``GET /enrolment?school_year=&stage=``: children of preschool / compulsory age in a school
  year whose parent's permit is valid on its first day (one query).

Reads: county_admin, the education department's clerks, the auditor (ID numbers masked).
Writes: county_admin and the education department's clerks. A clerk of another department
gets 403; invalid input is a 422 whoever sends it (checked before the role, DESIGN §5).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, RootModel
from sqlalchemy import select

from core import api

from . import DEPARTMENT, TITLE, entitlements, rules, services
from .models import Child
from .parameters import SCHOOL_YEAR_CUTOFF, ValuesOn
from .rules import B183

READERS = frozenset({"county_admin", "dept_clerk", "auditor"})
WRITERS = frozenset({"county_admin", "dept_clerk"})


class ChildIn(api.In):
    holder_id: int = api.field("持证人", B183, ge=1)
    name: str = api.field("子女姓名", B183, min_length=1, max_length=100)
    sex: Literal["male", "female"] = api.field("子女性别", "《办法》第四条")
    birth_date: api.IsoDate = api.field("子女出生日期", B183)
    id_number: str = api.field("子女公民身份号码", B183, min_length=1, max_length=40)
    relation: Literal["son", "daughter", "ward"] = api.field(
        "与持证人关系", B183, description="son 子、daughter 女、ward 被监护人")


class ChildOut(api.Out):
    id: int
    holder_id: int
    name: str
    sex: str = Field(description="male | female")
    birth_date: api.IsoDate
    id_number: str = Field(description="审计员看到的是遮蔽后的号码")
    relation: str = Field(description="son | daughter | ward")
    relation_name: str = Field(description="子、女、被监护人")


class ChildList(RootModel[list[ChildOut]]):
    """The holder's children, oldest first."""


class EnrolmentQuery(api.In):
    school_year: int | None = api.field("学年", B183, default=None, ge=2016, le=2100,
                                        description="“2026—2027学年”写 2026；默认为今天所在学年")
    stage: Literal["all", "preschool", "compulsory"] = api.field(
        "教育阶段", B183, default="all", description="all | preschool 学前教育 | compulsory 义务教育")


class EnrolmentChildOut(api.Out):
    child_id: int
    name: str
    sex: str
    birth_date: api.IsoDate
    id_number: str
    relation: str
    holder_id: int
    holder_name: str
    permit_number: str
    age: int = Field(description="截止日的周岁")
    stage: str = Field(description="preschool | compulsory")
    stage_name: str = Field(description="学前教育 | 义务教育")
    enters_grade_one: bool = Field(description="本学年入学一年级（年龄等于义务教育入学年龄）")


class ParameterUsed(api.Out):
    name: str
    title: str
    unit: str
    value: Any
    since: api.IsoDate
    source: str


class EnrolmentOut(api.Out):
    school_year: int
    label: str = Field(description="例如“2026—2027学年”")
    first_day: api.IsoDate = Field(description="学年第一天：判断居住证是否有效的日期")
    cutoff_day: api.IsoDate = Field(description="计算年龄的截止日")
    stage: str
    parameters: list[ParameterUsed]
    count: int
    children: list[EnrolmentChildOut]


def _child_out(child: Child, id_number: str) -> ChildOut:
    """The child with ``id_number`` as the user may see it (``api.shown_id_number``)."""
    return ChildOut(id=child.id, holder_id=child.holder_id, name=child.name, sex=child.sex,
                    birth_date=child.birth_date, id_number=id_number, relation=child.relation,
                    relation_name=rules.RELATIONS[child.relation])


def current_school_year(session: Any, today: dt.date) -> int:
    """The school year containing ``today``, by the cut-off in force today."""
    return rules.school_year(today, ValuesOn(session, today)(SCHOOL_YEAR_CUTOFF))


def blueprint() -> api.ApiBlueprint:
    bp = api.ApiBlueprint("education", __name__, url_prefix="/education", tags=["教育"],
                          template_folder=str(Path(__file__).parent / "templates"))

    @bp.route_api("/children", method="POST", summary="登记随迁子女（第十八条（三））",
                  roles=WRITERS, roles_checked_in_view=True, body=ChildIn,
                  responses={201: ChildOut}, errors=(403, 404, 409, 422))
    def education_child_create(body: ChildIn, user: Any) -> Any:
        """Register a child of a holder. The child must be younger than the holder; the ID
        number (GB 11643) must agree with birth date and sex. Other departments' clerks and
        other roles get 403 — after any 422, which invalid input gets whoever sends it."""
        session = api.db.session
        holder = session.get(api.Holder, body.holder_id)
        if holder is None:
            raise api.ApiError(404, "holder_not_found", f"持证人 {body.holder_id} 不存在",
                               {"holder_id": [f"持证人：{body.holder_id} 不存在"]})
        child = services.add_child(session, holder=holder, name=body.name, sex=body.sex,
                                   birth_date=body.birth_date, id_number=body.id_number,
                                   relation=body.relation, actor=user, today=api.today())
        api.own_department(user, DEPARTMENT, TITLE, roles=WRITERS)  # 403 rolls the act back
        session.commit()
        return _child_out(child, child.id_number), 201

    @bp.route_api("/holders/<int:holder_id>/children", summary="持证人登记的随迁子女",
                  roles=READERS, responses={200: ChildList}, errors=(403, 404))
    def education_children(holder_id: int, user: Any) -> Any:
        api.own_department(user, DEPARTMENT, TITLE)
        session = api.db.session
        if session.get(api.Holder, holder_id) is None:
            raise api.ApiError(404, "holder_not_found", f"持证人 {holder_id} 不存在")
        children = session.scalars(select(Child).where(Child.holder_id == holder_id)
                                   .order_by(Child.birth_date, Child.id))
        return [_child_out(c, api.shown_id_number(user, c.id_number)).model_dump(mode="json")
                for c in children]

    @bp.route_api("/enrolment", summary="入学资格名单：某学年的适龄随迁子女（第十八条（三））",
                  roles=READERS, query=EnrolmentQuery, responses={200: EnrolmentOut},
                  errors=(403, 422))
    def education_enrolment(query: EnrolmentQuery, user: Any) -> Any:
        """Children of preschool and/or compulsory age (on the school year's cut-off day) whose
        parent's permit is valid on the school year's first day; ``enters_grade_one`` marks
        the children of the compulsory entry age."""
        api.own_department(user, DEPARTMENT, TITLE)
        session = api.db.session
        year = query.school_year or current_school_year(session, api.today())
        result = entitlements.enrolment(session, year, query.stage)
        return EnrolmentOut(
            school_year=result.year, label=result.label, first_day=result.first_day,
            cutoff_day=result.cutoff_day, stage=result.stage,
            parameters=[ParameterUsed(**p) for p in result.parameters], count=len(result.rows),
            children=[EnrolmentChildOut(
                child_id=r.child_id, name=r.child_name, sex=r.sex, birth_date=r.birth_date,
                id_number=api.shown_id_number(user, r.id_number),
                relation=r.relation, holder_id=r.holder_id, holder_name=r.holder_name,
                permit_number=r.permit_number, age=r.age, stage=r.stage,
                stage_name=rules.STAGES[r.stage], enters_grade_one=r.enters_grade_one)
                for r in result.rows])

    return bp
