"""POST /applications, GET /applications/{id} and its printable notice or decision
(《办法》第十一条至第十三条; DESIGN §5).

The body has no override field and refuses unknown ones: eligibility follows from the facts
alone (第九条).
"""

from __future__ import annotations

from typing import Any, Literal

from flask import render_template, url_for
from pydantic import Field

from core import api

from .. import application as service
from ..materials import MATERIALS
from ..models import Application

B11, B12, B13 = "《办法》第十一条", "《办法》第十二条", "《办法》第十三条"
POLICE = {"county_admin", "station_clerk", "police_officer"}

Basis = Literal["employment", "residence", "study"]
Material = Literal[tuple(MATERIALS)]  # type: ignore[valid-type]  # the values of DESIGN §5


class ApplicationIn(api.In):
    holder_id: int = api.field("持证人", B11)
    accepted_on: api.IsoDate = api.field("受理日期", B13)
    basis: list[Basis] = api.field("申领条件", B11)
    materials: list[Material] = api.field("申领材料", B12)  # "photo" once per photo
    applicant: Literal["self", "guardian", "relative"] = api.field("申领人", B12)
    agent_id_number: str | None = api.field("代办人公民身份号码", B12, default=None,
                                            max_length=40)
    limited_mobility: bool = api.field("行动不便", B12, default=False)


class MissingOut(api.Out):
    code: str
    name: str


class ApplicationOut(api.Out):
    id: int
    document_number: str = Field(description="告知书或决定书编号")
    outcome: Literal["issued", "incomplete", "ineligible"]
    permit_number: str | None = None
    card_serial: int | None = None
    valid_until: api.IsoDate | None = None
    missing_materials: list[MissingOut]
    reasons: list[api.ReasonOut]
    notice_url: str | None = Field(None, description="一次性告知书或不予签发决定书（可打印）")
    warning: str | None = Field(None, description="《办法》失效后作出的结论所附的提示（第二十三条）")


def answer(app: Application) -> ApplicationOut:
    """The same answer at creation and on reading it back."""
    permit = app.permit
    first_card = permit.cards[0] if permit is not None and permit.cards else None
    return ApplicationOut(
        id=app.id, document_number=app.document_number, outcome=app.outcome,
        permit_number=permit.number if permit else None,
        card_serial=first_card.serial if first_card else None,
        valid_until=permit.valid_until if permit else None,
        missing_materials=[MissingOut(**m) for m in app.missing],
        reasons=[api.ReasonOut(**r) for r in app.reasons],
        notice_url=None if app.outcome == "issued"
        else url_for("public_security.application_notice", application_id=app.id),
        warning=api.rules.measures_warning(app.accepted_on))


def _visible(application_id: int, user: Any) -> Application:
    """404 when unknown; a station clerk sees only its own station's applications."""
    app = api.db.session.get(Application, application_id)
    if app is None:
        raise api.ApiError(404, "application_not_found", f"申领记录 {application_id} 不存在")
    if user.role == "station_clerk" and user.org_id != app.station_id:
        raise api.ApiError(403, "forbidden", f"无权查看：该申领由{app.station.name}受理")
    return app


def routes(bp: api.ApiBlueprint) -> None:
    """Declare this resource's endpoints on the police blueprint."""

    @bp.route_api("/applications", method="POST", summary="受理居住证申领（第十一条至第十三条）",
                  roles={"county_admin", "station_clerk"}, body=ApplicationIn,
                  responses={201: ApplicationOut}, errors=(403, 409),
                  description="材料齐全且符合条件的当场签发居住证（号码取受理派出所号段中最小的空号）；"
                              "材料不全的出具一次性告知书；不符合条件的出具不予签发决定书。"
                              "每次申领都留存记录。没有任何“特批”字段（《办法》第九条）。")
    def create_application(body: ApplicationIn, user: Any) -> tuple[ApplicationOut, int]:
        """Complete and eligible → issued on the spot; incomplete → a one-time notice;
        ineligible → a written decision. Every application is kept."""
        holder = api.db.session.get(api.Holder, body.holder_id)
        if holder is None:
            raise api.RuleError("holder_id", "holder_not_found",
                                f"持证人：编号{body.holder_id}不存在，请先登记持证人基本信息（《办法》第四条）",
                                "《办法》第四条")
        app = service.apply(api.db.session, holder=holder, accepted_on=body.accepted_on,
                            basis=list(body.basis), materials=list(body.materials),
                            applicant=body.applicant, agent_id_number=body.agent_id_number,
                            limited_mobility=body.limited_mobility, actor=user)
        out = answer(app)  # from the objects in hand: after the commit they would be re-read
        api.db.session.commit()
        return out, 201

    @bp.route_api("/applications/<int:application_id>", summary="查询居住证申领",
                  roles=POLICE, responses={200: ApplicationOut}, errors=(403, 404),
                  description="与受理时的答复相同；派出所民警只能查看本所受理的申领。")
    def read_application(application_id: int, user: Any) -> ApplicationOut:
        return answer(_visible(application_id, user))

    @bp.route_page("/applications/<int:application_id>/notice", roles=POLICE,
                   summary="居住证申领材料补正一次性告知书或不予签发居住证决定书（可打印）",
                   description="材料不全的为一次性告知书（《办法》第十三条），不符合条件的为不予签发"
                               "决定书（《办法》第十一条）；当场签发的申领没有此文书（404）。")
    def application_notice(application_id: int, user: Any) -> str:
        """Incomplete → 一次性告知书 (第十三条); ineligible → 不予签发决定书 with remedies."""
        app = _visible(application_id, user)
        if app.outcome == "issued":
            raise api.ApiError(404, "no_notice",
                               "该申领已当场签发居住证，没有告知书或决定书（《办法》第十三条）")
        full = api.sees_personal_data(user.role)

        def shown(number: str | None) -> str | None:
            return number if full or number is None else api.rules.mask_id_number(number)

        template = "application_notice.html" if app.outcome == "incomplete" \
            else "application_decision.html"
        return render_template(
            f"public_security/{template}", app=app, holder=app.holder,
            id_number=shown(app.holder.id_number), agent_id_number=shown(app.agent_id_number),
            station=app.station.name, accepted=api.zh_date(app.accepted_on),
            failed=[r for r in app.reasons if not r["passed"]], missing=app.missing,
            agent=app.applicant != "self", warning=api.rules.measures_warning(app.accepted_on))

