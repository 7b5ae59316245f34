"""暂住登记 (《办法》第十条、第五条): POST /registrations, GET /registrations/{id} and its
printed receipt, POST /third-party-reports, GET /registrations/overdue (DESIGN §5).

Both POSTs accept every role at the gate and authorise after validating: input that is
invalid whoever sends it is a 422 even for a role that could not have acted (DESIGN §5).
"""

from __future__ import annotations

from typing import Any, Literal

from flask import render_template, url_for
from pydantic import Field
from sqlalchemy import select

from core import api

from .. import registration as service
from .. import stations
from ..models import Registration

B2 = "《办法》第二条"
B10 = "《办法》第十条"
POLICE = api.POLICE_ROLES


class RegistrationIn(api.In):
    holder_id: int = api.field("持证人", B10)
    arrival_date: api.IsoDate = api.field("到达日期", B10)
    residence_address: str = api.field("居住地址", B10, min_length=1, max_length=255)
    residence_division_code: str = api.field("居住地区划代码", B2, min_length=6, max_length=12)
    registered_on: api.IsoDate | None = api.field("登记日期", B10, default=None)


class RegistrationOut(api.Out):
    id: int
    receipt_number: str = Field(description="暂住登记凭证编号")
    holder_id: int
    name: str
    id_number: str = Field(description="非公安角色看到的是脱敏号码")
    station: str = Field(description="登记派出所的机构代码（居住地所在乡镇、街道）")
    station_name: str
    arrival_date: api.IsoDate
    registered_on: api.IsoDate
    residence_address: str
    residence_division_code: str
    deadline: api.IsoDate = Field(description="到达之日起第5个工作日（第十条）")
    on_time: bool
    provisional: bool = Field(description="期间内有年份的国务院放假安排尚未录入时为 true")
    floating: Literal[True] = True
    reason: str = Field(description="属于流动人口的理由（第二条）")
    receipt_url: str


class ThirdPartyReportIn(api.In):
    reporter_kind: Literal["employer", "landlord", "agency"] = api.field("报送单位类别", B10)
    reporter_name: str = api.field("报送单位名称", B10, min_length=1, max_length=100)
    holder_id_number: str = api.field("公民身份号码", B10, min_length=1, max_length=18)
    contract_date: api.IsoDate = api.field("合同签订日期", B10)
    reported_on: api.IsoDate = api.field("报送日期", B10)
    premises_address: str | None = api.field("房屋（场所）地址", B10, default=None,
                                             max_length=255)
    premises_division_code: str | None = api.field("房屋所在地区划代码", B10, default=None,
                                                   max_length=12)


class ThirdPartyReportOut(api.Out):
    id: int
    deadline: api.IsoDate = Field(description="合同签订之日起第5个工作日（第十条第二款）")
    on_time: bool
    provisional: bool
    station: str | None = Field(description="房屋所在地派出所的机构代码；未填房屋所在地时为 null"
                                            "（由县公安局处理）")
    holder_id: int | None = Field(description="已有该身份证号码的持证人时为其 id")


class OverdueQuery(api.In):
    station: str | None = api.field("派出所", B10, default=None, max_length=64)
    as_of: api.IsoDate | None = api.field("截至日期", B10, default=None)


class OverdueItemOut(api.Out):
    kind: Literal["late_registration", "never_registered"]
    station: str | None
    holder_id: int | None
    name: str | None
    id_number: str
    due: api.IsoDate
    done_on: api.IsoDate | None
    source: str = Field(description="逾期登记：登记凭证编号；未登记：报送单位")
    days_late: int


class OverdueOut(api.Out):
    as_of: api.IsoDate
    station: str | None = Field(description="派出所机构代码；null 为全县")
    items: list[OverdueItemOut]


def _id_number(value: str, user: Any) -> str:
    return value if api.sees_personal_data(user.role) else api.rules.mask_id_number(value)


def _out(reg: Registration, user: Any) -> RegistrationOut:
    return RegistrationOut(
        id=reg.id, receipt_number=reg.receipt_number, holder_id=reg.holder_id,
        name=reg.holder.name, id_number=_id_number(reg.holder.id_number, user),
        station=reg.station.code, station_name=reg.station.name, arrival_date=reg.arrival_date,
        registered_on=reg.registered_on, residence_address=reg.residence_address,
        residence_division_code=reg.residence_division_code, deadline=reg.deadline,
        on_time=reg.on_time, provisional=reg.provisional, reason=reg.floating_reason,
        receipt_url=url_for("public_security.registration_receipt", registration_id=reg.id))


def _readable(registration_id: int, user: Any, *, own_station_only: bool) -> Registration:
    reg = api.db.session.get(Registration, registration_id)
    if reg is None:
        raise api.ApiError(404, "registration_not_found", f"暂住登记 {registration_id} 不存在")
    if not service.may_read(user, reg, own_station_only=own_station_only):
        raise api.ApiError(403)
    return reg


def routes(bp: api.ApiBlueprint) -> None:
    """Declare this resource's endpoints on the police blueprint."""

    @bp.route_api("/registrations", method="POST", summary="暂住登记（第十条）",
                  roles=service.REGISTRARS, roles_checked_in_view=True, body=RegistrationIn,
                  responses={201: RegistrationOut},
                  description="县局管理员；居住地在本所辖区的派出所民警；协助单位（第五条）。"
                              "其他角色 403，但无效输入一律先 422。不属于流动人口 → 422 "
                              "not_floating_population（第二条）。逾期登记照常受理并标为逾期。")
    def registration_create(body: RegistrationIn, user: Any) -> Any:
        session = api.db.session
        today = api.today()
        registered_on = body.registered_on or today
        service.check_not_future(registered_on, today, field="registered_on", label="登记日期")
        holder = session.get(api.Holder, body.holder_id)
        if holder is None:
            raise api.RuleError("holder_id", "holder_not_found",
                                f"持证人：{body.holder_id} 不存在，请先登记其基本信息（《办法》第四条）",
                                "《办法》第四条")
        reg = service.register(
            session, holder=holder, arrival_date=body.arrival_date,
            residence_address=body.residence_address,
            residence_division_code=body.residence_division_code, registered_on=registered_on,
            actor=user)
        service.authorize_registration(user, reg.station)  # 403 rolls the act back
        session.commit()
        return _out(reg, user), 201

    @bp.route_api("/registrations/<int:registration_id>", summary="查询暂住登记",
                  roles=POLICE | {"assistant"}, responses={200: RegistrationOut}, errors=(404,))
    def registration_read(registration_id: int, user: Any) -> Any:
        """公安角色；协助单位只能查看自己报送的登记。"""
        return _out(_readable(registration_id, user, own_station_only=False), user)

    @bp.route_page("/registrations/<int:registration_id>/receipt", summary="暂住登记凭证（打印）",
                   roles=POLICE | {"assistant"})
    def registration_receipt(registration_id: int, user: Any) -> Any:
        """县局管理员、民警、登记派出所的民警、报送该登记的协助单位。"""
        reg = _readable(registration_id, user, own_station_only=True)
        holder = reg.holder
        return render_template(
            "public_security/registration_receipt.html", reg=reg, holder=holder,
            sex=api.SEXES.get(holder.sex, holder.sex),
            id_number=_id_number(holder.id_number, user),
            eligible_from=api.rules.residence_eligible_from(reg.registered_on),
            zh_date=api.zh_date)

    @bp.route_api("/third-party-reports", method="POST", summary="第三方报送流动人口信息（第十条第二款）",
                  roles=service.REPORT_TAKERS, roles_checked_in_view=True, body=ThirdPartyReportIn,
                  responses={201: ThirdPartyReportOut},
                  description="县局管理员、派出所民警、协助单位。期限自合同签订之日起5个工作日；"
                              "分送房屋所在乡镇、街道的派出所，未填房屋所在地的由县公安局处理"
                              "（station 为 null）。")
    def third_party_report_create(body: ThirdPartyReportIn, user: Any) -> Any:
        session = api.db.session
        service.check_not_future(body.reported_on, api.today(), field="reported_on",
                                 label="报送日期")
        report = service.report_third_party(session, actor=user, **body.model_dump())
        service.authorize_report(user)  # 403 rolls the act back
        session.commit()
        return ThirdPartyReportOut(
            id=report.id, deadline=report.deadline, on_time=report.on_time,
            provisional=report.provisional, holder_id=report.holder_id,
            station=report.station.code if report.station is not None else None), 201

    @bp.route_api("/registrations/overdue", summary="逾期未登记名单（第十条）",
                  roles={"county_admin", "station_clerk", "police_officer"}, query=OverdueQuery,
                  responses={200: OverdueOut},
                  description="逾期登记，以及第三方已报送、报送期限已过仍未登记的人员。"
                              "派出所民警只能查看本所（默认本所）；县局管理员和民警可查看任一派出所，"
                              "不指定时为全县。")
    def registration_overdue(query: OverdueQuery, user: Any) -> Any:
        session = api.db.session
        station = None
        if query.station:
            station = stations.station_by_code(session, query.station)
            if station is None:
                raise api.RuleError("station", "unknown_station",
                                    f"派出所：{query.station} 不是本县的派出所（{B10}）", B10)
        elif user.role == "station_clerk":
            station = session.get(api.OrgUnit, user.org_id)
        if user.role == "station_clerk":
            stations.require_station(user, station, "派出所民警只能查看本所的逾期名单")
        as_of = query.as_of or api.today()
        codes = dict(session.execute(select(api.OrgUnit.id, api.OrgUnit.code)
                                     .where(api.OrgUnit.kind == "police_station")).all())
        items = service.overdue(session, station.id if station is not None else None, as_of)
        return OverdueOut(as_of=as_of, station=station.code if station is not None else None,
                          items=[OverdueItemOut(
                              kind=i.kind, station=codes.get(i.station_id), holder_id=i.holder_id,
                              name=i.name, id_number=_id_number(i.id_number, user), due=i.due,
                              done_on=i.done_on, source=i.source, days_late=i.days_late)
                              for i in items])
