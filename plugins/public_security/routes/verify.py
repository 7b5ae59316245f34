"""GET /verify/{token} (public JSON, DESIGN §5) and GET /permits/{number}/card: the card's
print view with every item of 《办法》第四条 and the QR code that opens the verification page."""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify, render_template
from pydantic import Field
from sqlalchemy import select

from core import api

from .. import qr, verification
from ..pages import PUBLIC_HEADERS, verify_url

B4 = "《办法》第四条"
B15 = "《办法》第十五条"
ENDORSEMENTS_ON_CARD = 4  # the back of an ID-1 card has room for four endorsement lines


class VerificationOut(api.Out):
    valid: bool = Field(description="签名有效且为该居住证当前在用的证卡")
    status: str | None = Field(description="居住证今日状态：valid | suspended | revoked；伪造时为 null")
    masked_name: str | None = Field(description="脱敏姓名，如 张*、欧阳**")
    valid_until: api.IsoDate | None


def _no_live_card(permit: Any) -> str:
    """Why a permit has no card to print, in the clerk's words."""
    if permit.revoked_on is not None:
        return f"该居住证已于{api.zh_date(permit.revoked_on)}注销，不能打印证卡。"
    last = permit.cards[-1] if permit.cards else None
    if last is None:
        return "该居住证尚无证卡。"
    on = api.zh_date(last.status_on) if last.status_on else "此前"
    if last.status == "detained":
        return (f"证卡（卡号{last.serial}）已于{on}被公安机关扣押（《办法》第二十一条），"
                "发还后方可使用，现不能打印证卡。")
    if last.status == "lost":
        return f"证卡（卡号{last.serial}）已于{on}挂失作废，尚未补领：请先办理补领（{B15}）。"
    return (f"证卡（卡号{last.serial}）已于{on}{api.CARD_STATUSES.get(last.status, last.status)}，"
            "该居住证目前没有在用的证卡。")


def _open_residence(holder: Any) -> Any:
    """The holder's current 居住地住址: the latest residence not yet ended."""
    open_ones = [r for r in holder.residences if r.to_date is None]
    return open_ones[-1] if open_ones else None


def routes(bp: api.ApiBlueprint) -> None:
    """Declare this resource's endpoints on the police blueprint."""

    @bp.route_api("/verify/<token>", summary="居住证二维码核验（公开）", public=True,
                  responses={200: VerificationOut})
    def verify_token(token: str) -> Response:
        """Anyone who scans a card: valid, the permit's status today, masked name, valid until.
        A forged token answers 200 with valid false."""
        resp = jsonify(verification.verify(api.db.session, token, api.today()).as_dict())
        resp.headers.update(PUBLIC_HEADERS)
        return resp

    @bp.route_page("/permits/<number>/card", summary="居住证证卡打印（第四条，含核验二维码）",
                   roles={"county_admin", "station_clerk", "police_officer"})
    def permit_card(number: str, user: Any) -> Response:
        """Front and back of the ID-1 card; a station clerk prints only its own station's."""
        permit = api.db.session.scalar(select(api.Permit).where(api.Permit.number == number))
        if permit is None:
            raise api.ApiError(404, "permit_not_found", f"居住证号码 {number} 不存在")
        if user.role == "station_clerk" and user.org_id != permit.station_id:
            raise api.ApiError(403, "forbidden",
                               f"无权打印：该居住证现由{permit.station.name}管理（原办证机关）")
        holder = permit.holder
        # A revoked permit has no card to print, even if its card was never voided.
        card = permit.live_card if permit.revoked_on is None else None
        endorsements = list(api.db.session.scalars(
            select(api.Endorsement).where(api.Endorsement.permit_id == permit.id)
            .order_by(api.Endorsement.endorsed_on, api.Endorsement.id)))
        url = verify_url(verification.token_for(card)) if card is not None else None
        html = render_template(
            "public_security/card.html", permit=permit, holder=holder, card=card,
            sex=api.SEXES.get(holder.sex, holder.sex),
            id_number=holder.id_number if api.sees_personal_data(user.role)
            else api.rules.mask_id_number(holder.id_number),
            residence=_open_residence(holder), zh_date=api.zh_date,
            photo=api.photo_data_uri(holder.photo),
            endorsements=endorsements[-ENDORSEMENTS_ON_CARD:],
            endorsements_hidden=max(0, len(endorsements) - ENDORSEMENTS_ON_CARD),
            qr_svg=qr.svg_inline(url, title="居住证核验二维码") if url else None, verify_url=url,
            no_card=None if card is not None else _no_live_card(permit), basis=B4)
        resp = Response(html, mimetype="text/html")
        resp.headers.update({"Cache-Control": "no-store", "X-Robots-Tag": "noindex"})
        return resp
