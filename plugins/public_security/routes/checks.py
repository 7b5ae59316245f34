"""POST /checks and GET /checks: police checks of a card, detention and release
(《办法》第二十一条). Only police roles act here: nobody but the police may detain a card."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BeforeValidator, Field, RootModel, model_validator
from sqlalchemy import select

from core import api

from .. import verification
from ..checks import B21, TZ, local_time, record_check
from ..models import Check

POLICE = {"county_admin", "station_clerk", "police_officer"}
# A device clock a few minutes fast is no reason to refuse a check.
CLOCK_SKEW = dt.timedelta(minutes=5)


def _iso_datetime(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value
    if not isinstance(value, str):
        raise ValueError("应为 ISO 8601 日期时间，如 2026-12-04T09:30:00+08:00")
    try:
        return dt.datetime.fromisoformat(value)
    except ValueError:
        raise ValueError("应为 ISO 8601 日期时间，如 2026-12-04T09:30:00+08:00") from None


def _not_in_future(value: dt.datetime) -> dt.datetime:
    now = dt.datetime.now(TZ).replace(tzinfo=None)
    if local_time(value) > now + CLOCK_SKEW:
        raise ValueError("不能晚于当前时间")
    return value


CheckTime = Annotated[dt.datetime, BeforeValidator(_iso_datetime), AfterValidator(_not_in_future)]


class CheckIn(api.In):
    card_serial: int | None = api.field("卡号", B21, default=None, ge=1)
    permit_number: str | None = api.field("居住证号码", B21, default=None, min_length=1,
                                          max_length=20)
    place: str = api.field("查验地点", B21, min_length=1, max_length=255)
    result: str = api.field("查验情况", B21, min_length=1, max_length=255)
    action: Literal["none", "detain", "release"] = api.field("处置", B21)
    checked_at: CheckTime | None = api.field(
        "查验时间", B21, default=None, description="默认为当前时间；不带时区的按北京时间")

    @model_validator(mode="after")
    def _one_card(self) -> "CheckIn":
        if (self.card_serial is None) == (self.permit_number is None):
            raise api.RuleError("card_serial", "card_or_permit",
                                f"卡号、居住证号码：应填写且只填写其中一项（{B21}）", B21)
        return self


class CheckVerify(api.Out):
    valid: bool
    status: str | None


class CheckOut(api.Out):
    id: int
    card_serial: int
    card_status: str = Field(description="live | detained | lost | returned | void")
    permit_number: str
    verify: CheckVerify = Field(description="此刻扫码核验的结果")


class ChecksQuery(api.In):
    permit_number: str = api.field("居住证号码", B21, min_length=1, max_length=20)


class CheckRow(api.Out):
    id: int
    card_serial: int | None
    permit_number: str | None
    checked_at: dt.datetime = Field(description="北京时间，带 +08:00")
    place: str
    result: str
    action: Literal["none", "detain", "release"]
    officer: str = Field(description="查验民警的用户名")
    org: str | None = Field(description="查验民警所属单位代码")


class CheckList(RootModel[list[CheckRow]]):
    """Checks of one permit's cards, newest first."""


def _locked(where: Any) -> Any:
    """SELECT … FOR UPDATE of one card, fresh from the database (two officers at once)."""
    return (select(api.Card).where(where).with_for_update()
            .execution_options(populate_existing=True))


def _card_for(body: CheckIn) -> Any:
    """The card checked: by serial, or the permit's live card — else its detained card (the
    one the police hold), else its newest. Locked for the act."""
    session = api.db.session
    if body.card_serial is not None:
        card = session.scalar(_locked(api.Card.serial == body.card_serial))
        if card is None:
            raise api.ApiError(404, "card_not_found", f"卡号 {body.card_serial} 不存在")
        return card
    permit = session.scalar(select(api.Permit).where(api.Permit.number == body.permit_number))
    if permit is None:
        raise api.ApiError(404, "permit_not_found", f"居住证号码 {body.permit_number} 不存在")
    if not permit.cards:
        raise api.ApiError(409, "no_card", f"居住证号码：{body.permit_number}没有证卡（{B21}）")
    card = min(permit.cards, key=lambda c: (c.status != "live", c.status != "detained", -c.id))
    return session.scalar(_locked(api.Card.id == card.id))


def routes(bp: api.ApiBlueprint) -> None:
    """Declare this resource's endpoints on the police blueprint."""

    @bp.route_api("/checks", method="POST", summary="查验居住证，依法扣押或发还（第二十一条）",
                  roles=POLICE, body=CheckIn, responses={201: CheckOut}, errors=(404, 409))
    def create_check(body: CheckIn, user: Any) -> tuple[CheckOut, int]:
        """Record a check; with action detain a live card is detained (it stops verifying),
        with release a detained card becomes live again."""
        card = _card_for(body)
        checked_at = body.checked_at or dt.datetime.now(TZ)
        check = record_check(api.db.session, card=card, officer=user, place=body.place,
                             result=body.result, action=body.action, checked_at=checked_at)
        api.db.session.commit()
        scan = verification.verify(api.db.session, verification.token_for(card), api.today())
        return CheckOut(id=check.id, card_serial=card.serial, card_status=card.status,
                        permit_number=card.permit.number,
                        verify=CheckVerify(valid=scan.valid, status=scan.status)), 201

    @bp.route_api("/checks", summary="居住证查验记录（第二十一条）", roles=POLICE,
                  query=ChecksQuery, responses={200: CheckList}, errors=(404,))
    def list_checks(query: ChecksQuery) -> list[dict[str, Any]]:
        """Every check of the permit's cards, newest first."""
        permit = api.db.session.scalar(
            select(api.Permit).where(api.Permit.number == query.permit_number))
        if permit is None:
            raise api.ApiError(404, "permit_not_found", f"居住证号码 {query.permit_number} 不存在")
        rows = api.db.session.scalars(
            select(Check).where(Check.permit_id == permit.id)
            .order_by(Check.checked_at.desc(), Check.id.desc()))
        return [CheckRow(
            id=c.id, card_serial=c.card.serial if c.card else None, permit_number=permit.number,
            checked_at=c.checked_at.replace(tzinfo=TZ), place=c.place, result=c.result,
            action=c.action, officer=c.officer.username, org=c.org.code if c.org else None,
        ).model_dump(mode="json") for c in rows]
