"""民政's JSON API under ``/api/v1/civil_affairs`` (DESIGN §5): elections, voter applications
with their 第十八条（一） decision, the meeting's decision, and the list of voters.

Reads: the county admin, 民政's clerks and the auditor (ID numbers masked for the auditor);
writes: the county admin and 民政's clerks. A clerk of another department gets 403.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, RootModel, model_validator
from sqlalchemy import select

from core import api

from . import DEPARTMENT, TITLE, rules, services
from .models import Election, VoterApplication
from .rules import B18_1, B_VILLAGE, B_VILLAGE_LIST, KINDS

READERS = frozenset({"county_admin", "dept_clerk", "auditor"})
WRITERS = frozenset({"county_admin", "dept_clerk"})


def election_or_404(election_id: int) -> Election:
    election = api.db.session.get(Election, election_id)
    if election is None:
        raise api.ApiError(404, "election_not_found", f"选举 {election_id} 不存在")
    return election


class ElectionIn(api.In):
    name: str = api.field("选举名称", B18_1, min_length=1, max_length=100)
    division_code: str = api.field("区划代码", B_VILLAGE, min_length=1, max_length=12,
                                   description="村（社区）的12位统计用区划代码")
    kind: Literal["village", "community"] = api.field(
        "选举类别", B18_1, description="village 村民委员会、community 居民委员会")
    held_on: api.IsoDate = api.field("选举日", B_VILLAGE_LIST)
    registration_closes_on: api.IsoDate = api.field("报名截止日期", B_VILLAGE_LIST)

    @model_validator(mode="after")
    def _valid_whoever_sends_it(self) -> "ElectionIn":
        rules.check_division(self.division_code, self.kind, services.divisions())
        rules.check_election_dates(self.held_on, self.registration_closes_on)
        return self


class ElectionOut(api.Out):
    id: int
    name: str
    division_code: str
    kind: str
    kind_name: str = Field(description="村民委员会 | 居民委员会")
    held_on: api.IsoDate
    registration_closes_on: api.IsoDate
    applications: int = Field(description="参选申请数")
    voters: int = Field(description="已列入参加选举名单的人数（经同意且符合条件）")


class ElectionList(RootModel[list[ElectionOut]]):
    """Elections, latest election day first."""


class VoterApplicationIn(api.In):
    holder_id: int = api.field("持证人编号", B_VILLAGE, ge=1)
    applied_on: api.IsoDate = api.field("申请日期", B_VILLAGE)
    note: str | None = api.field("备注", B_VILLAGE, default=None, max_length=255)


class VoterApplicationOut(api.Out):
    id: int
    election_id: int
    holder_id: int
    applied_on: api.IsoDate
    eligible: bool = Field(description="选举日的第十八条（一）判断")
    reasons: list[api.ReasonOut]
    approved: bool | None = Field(description="村民会议（村民代表会议）是否同意；null 为待定")
    approved_on: api.IsoDate | None
    note: str | None


class VoterApplicationCreated(VoterApplicationOut):
    parameters: list[dict[str, Any]] = Field(description="判断所用的参数取值（值、起始日期、来源）")


class VoterApplicationList(RootModel[list[VoterApplicationOut]]):
    """An election's applications in the order they were made."""


class DecisionIn(api.In):
    approved: bool | None = api.field("是否同意", B_VILLAGE,
                                      description="村民会议或者村民代表会议的决定；null 为待定")
    approved_on: api.IsoDate | None = api.field("决定日期", B_VILLAGE, default=None)


class VoterOut(api.Out):
    application_id: int
    holder_id: int
    name: str
    id_number: str = Field(description="公民身份号码；审计员看到的是遮蔽后的号码")
    applied_on: api.IsoDate
    approved_on: api.IsoDate | None


class VoterList(RootModel[list[VoterOut]]):
    """参加选举的村民（居民）名单: approved and eligible, by application."""


def election_out(election: Election) -> ElectionOut:
    apps = election.applications
    return ElectionOut(id=election.id, name=election.name, division_code=election.division_code,
                       kind=election.kind, kind_name=KINDS[election.kind],
                       held_on=election.held_on,
                       registration_closes_on=election.registration_closes_on,
                       applications=len(apps),
                       voters=sum(1 for a in apps if a.approved and a.eligible))


def application_out(a: VoterApplication) -> dict[str, Any]:
    return VoterApplicationOut(id=a.id, election_id=a.election_id, holder_id=a.holder_id,
                          applied_on=a.applied_on, eligible=a.eligible, reasons=a.reasons,
                          approved=a.approved, approved_on=a.approved_on,
                          note=a.note).model_dump(mode="json")


def blueprint() -> api.ApiBlueprint:
    bp = api.ApiBlueprint("civil_affairs", __name__, url_prefix="/civil_affairs", tags=["民政"])

    @bp.route_api("/elections", method="POST", summary="登记村（居）民委员会选举（第十八条（一））",
                  roles=WRITERS, body=ElectionIn, responses={201: ElectionOut}, errors=(403, 422))
    def create_election(body: ElectionIn, user: Any) -> tuple[ElectionOut, int]:
        """A village or community committee election of the county, with its election day and
        the last day to apply."""
        api.own_department(user, DEPARTMENT, TITLE)
        election = services.create_election(
            api.db.session, name=body.name, division_code=body.division_code, kind=body.kind,
            held_on=body.held_on, registration_closes_on=body.registration_closes_on, actor=user)
        api.db.session.commit()
        return election_out(election), 201

    @bp.route_api("/elections", summary="选举一览（第十八条（一））", roles=READERS,
                  responses={200: ElectionList}, errors=(403,))
    def list_elections(user: Any) -> list[dict[str, Any]]:
        api.own_department(user, DEPARTMENT, TITLE)
        rows = api.db.session.scalars(
            select(Election).order_by(Election.held_on.desc(), Election.id.desc()))
        return [election_out(e).model_dump(mode="json") for e in rows]

    @bp.route_api("/elections/<int:election_id>/applications", method="POST",
                  summary="持证人申请参加选举（《村民委员会组织法》第十三条）", roles=WRITERS,
                  body=VoterApplicationIn, responses={201: VoterApplicationCreated},
                  errors=(403, 404, 409, 422))
    def create_application(election_id: int, body: VoterApplicationIn, user: Any) -> Any:
        """Stores the 第十八条（一） decision on the election day (``eligible``, ``reasons``).
        ``applied_on`` after registration closes → 422; a second application → 409."""
        api.own_department(user, DEPARTMENT, TITLE)
        election = election_or_404(election_id)
        session = api.db.session
        application, decision = services.apply(
            session, election=election, holder=services.holder_for(session, body.holder_id),
            applied_on=body.applied_on, note=body.note, actor=user)
        session.commit()
        return {**application_out(application), "parameters": decision.parameters}, 201

    @bp.route_api("/elections/<int:election_id>/applications", summary="某次选举的参选申请",
                  roles=READERS, responses={200: VoterApplicationList}, errors=(403, 404))
    def list_applications(election_id: int, user: Any) -> list[dict[str, Any]]:
        api.own_department(user, DEPARTMENT, TITLE)
        election = election_or_404(election_id)
        return [application_out(a) for a in election.applications]

    @bp.route_api("/elections/<int:election_id>/applications/<int:application_id>/decision",
                  method="POST", summary="记录村民会议（村民代表会议）是否同意（第十三条）",
                  roles=WRITERS, body=DecisionIn, responses={200: VoterApplicationOut},
                  errors=(403, 404, 422))
    def decide_application(election_id: int, application_id: int, body: DecisionIn,
                           user: Any) -> dict[str, Any]:
        api.own_department(user, DEPARTMENT, TITLE)
        election = election_or_404(election_id)
        application = api.db.session.get(VoterApplication, application_id)
        if application is None or application.election_id != election.id:
            raise api.ApiError(404, "application_not_found", f"参选申请 {application_id} 不存在")
        services.decide(api.db.session, application, approved=body.approved,
                        approved_on=body.approved_on, actor=user)
        api.db.session.commit()
        return application_out(application)

    @bp.route_api("/elections/<int:election_id>/voters",
                  summary="参加选举的村民（居民）名单：经同意且符合条件（第十三条）", roles=READERS,
                  responses={200: VoterList}, errors=(403, 404))
    def list_voters(election_id: int, user: Any) -> list[dict[str, Any]]:
        api.own_department(user, DEPARTMENT, TITLE)
        election_or_404(election_id)
        rows = api.db.session.scalars(
            select(VoterApplication)
            .where(VoterApplication.election_id == election_id,
                   VoterApplication.approved.is_(True), VoterApplication.eligible.is_(True))
            .order_by(VoterApplication.id))
        return [VoterOut(application_id=a.id, holder_id=a.holder_id, name=a.holder.name,
                         id_number=api.shown_id_number(user, a.holder.id_number),
                         applied_on=a.applied_on, approved_on=a.approved_on).model_dump(mode="json")
                for a in rows]

    return bp
