"""A permit's life over HTTP (DESIGN §5): read it, endorse it (第十四条), replace its card
(第十五条), move it with its holder (第十六条), change recorded facts (变更), revoke it (注销).

Each act: 401 → 422 body → 403 role (the decorator), then 404 unknown number, then what is
wrong whoever asks (422), then the issuing-station check (403), then the service, whose
refusals are 409 (state) or 422 (facts). One commit per act, nothing written on a refusal.
"""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from typing import Any, Iterator, Literal

from pydantic import Field

from core import api

from .. import (address_change, changes, endorsement, materials, permits, replacement,
                revocation, stations, verification)

B14 = "《办法》第十四条"
B15 = "《办法》第十五条"
B16 = "《办法》第十六条"
B4 = "《办法》第四条"
READERS = {"county_admin", "station_clerk", "police_officer", "dept_clerk", "auditor"}
STATION_ACTORS = {"county_admin", "station_clerk"}

Material = Literal[tuple(materials.MATERIALS)]  # type: ignore[valid-type]


# -- schemas --------------------------------------------------------------------------------

class PermitQuery(api.In):
    as_of: api.IsoDate | None = api.field("查询日期（默认今天）", default=None)


class WindowOut(api.Out):
    opens: api.IsoDate = Field(description="签注期第一天")
    closes: api.IsoDate = Field(description="签注期最后一天（即有效期届满日）")


class PermitOut(api.Out):
    number: str
    holder_id: int
    station: str = Field(description="原办证机关（派出所）的单位代码")
    status: Literal["valid", "suspended", "revoked"]
    issued_on: api.IsoDate
    valid_until: api.IsoDate
    continuous_residence_since: api.IsoDate
    card_serial: int | None = Field(description="在用证卡的卡号；无在用证卡时为 null")
    endorsement_window: WindowOut
    verify_token: str | None = Field(description="在用证卡二维码中的核验令牌")
    card_url: str = Field(description="证卡打印页")
    as_of: api.IsoDate
    revoked_on: api.IsoDate | None
    revocation_reason: str | None


class EndorsementIn(api.In):
    endorsed_on: api.IsoDate = api.field("签注日期", B14)
    materials: list[Material] = api.field("签注材料", B14, default_factory=list)


class EndorsementOut(api.Out):
    number: str
    endorsed_on: api.IsoDate
    late: bool = Field(description="逾期补办签注")
    status: Literal["valid", "suspended", "revoked"]
    valid_until: api.IsoDate
    continuous_residence_since: api.IsoDate


class ReplacementIn(api.In):
    reason: Literal["lost", "damaged"] = api.field("办理原因", B15)
    on: api.IsoDate = api.field("办理日期", B15)
    old_card_returned: bool = api.field("是否交回原证", B15, default=False)


class ReplacementOut(api.Out):
    number: str
    card_serial: int
    old_card_serial: int
    old_card_status: Literal["returned", "lost"]
    card_url: str


class AddressChangeIn(api.In):
    on: api.IsoDate = api.field("变更日期", B16)
    residence_address: str = api.field("新居住地址", B16, min_length=1, max_length=255)
    residence_division_code: str = api.field("新居住地区划代码", B16, min_length=1,
                                             max_length=12)
    materials: list[Material] | None = api.field(
        "换证材料（可选；提供时核对是否齐全）", B16, default=None)


class AddressChangeOut(api.Out):
    number: str
    station: str = Field(description="新居住地派出所的单位代码（居住证现属该所）")
    card_serial: int
    card_url: str


class FactChangeIn(api.In):
    on: api.IsoDate = api.field("变更日期", B4)
    name: str | None = api.field("姓名", B4, max_length=100, default=None)
    ethnicity: str | None = api.field("民族", B4, max_length=20, default=None)
    hukou_address: str | None = api.field("常住户口所在地住址", B4, max_length=255, default=None)
    hukou_division_code: str | None = api.field("户籍区划代码", B4, max_length=12, default=None)
    phone: str | None = api.field("联系电话（空字符串表示删除）", max_length=20, default=None)


class FieldChangeOut(api.Out):
    field: str
    old: str | None
    new: str | None


class FactChangeOut(api.Out):
    number: str
    changes: list[FieldChangeOut]
    card_serial: int | None = Field(description="在用证卡的卡号（变更证面事项时为新卡）")
    new_card: bool


class RevocationIn(api.In):
    on: api.IsoDate = api.field("注销日期")
    reason: Literal["settled", "left_county", "died", "false_materials"] = api.field("注销原因")
    note: str | None = api.field("备注", max_length=200, default=None)


class RevocationOut(api.Out):
    number: str
    status: Literal["revoked"]
    revoked_on: api.IsoDate
    revocation_reason: str


# -- helpers --------------------------------------------------------------------------------

def _permit(number: str) -> Any:
    permit = permits.find_permit(api.db.session, number)
    if permit is None:
        raise api.ApiError(404, "permit_not_found", f"居住证号码 {number} 不存在")
    return permit


def _card_url(number: str) -> str:
    return f"/api/v1/permits/{number}/card"


@contextmanager
def _materials_refusal() -> Iterator[None]:
    """incomplete_materials lists each missing item in ``fields.materials`` and ``missing``."""
    try:
        yield
    except permits.IncompleteMaterials as err:
        raise api.ApiError(422, err.code, err.message, {"materials": err.lines},
                           missing=err.missing) from None


def permit_out(permit: Any, as_of: dt.date) -> PermitOut:
    card = permit.live_card
    window = api.rules.endorsement_window(permit.valid_until)
    return PermitOut(
        number=permit.number, holder_id=permit.holder_id, station=permit.station.code,
        status=permits.status_on(permit, as_of), issued_on=permit.issued_on,
        valid_until=permit.valid_until,
        continuous_residence_since=permit.continuous_residence_since,
        card_serial=card.serial if card else None,
        endorsement_window=WindowOut(opens=window.opens, closes=window.closes),
        verify_token=verification.token_for(card) if card else None,
        card_url=_card_url(permit.number), as_of=as_of, revoked_on=permit.revoked_on,
        revocation_reason=permit.revocation_reason)


# -- endpoints ------------------------------------------------------------------------------

def routes(bp: api.ApiBlueprint) -> None:
    """Declare the permit endpoints on the police blueprint."""

    @bp.route_api("/permits/<number>", summary="查询居住证（状态按日期推算，第十四条）",
                  roles=READERS, query=PermitQuery, responses={200: PermitOut}, errors=(404,))
    def read_permit(number: str, query: PermitQuery):  # type: ignore[no-untyped-def]
        """The permit on ``as_of`` (default today): suspended from the day after valid_until
        even if no sweep ran; revoked from its revocation date."""
        return permit_out(_permit(number), query.as_of or api.today())

    @bp.route_api("/permits/<number>/endorsements", method="POST",
                  summary="签注（原办证机关，第十四条）", roles=STATION_ACTORS,
                  body=EndorsementIn, responses={201: EndorsementOut}, errors=(404, 409))
    def endorse(number: str, body: EndorsementIn, user):  # type: ignore[no-untyped-def]
        """On time in the 30 days ending on valid_until (one year more); late after it
        (valid again, one year from the day, residence years restart); earlier → 409
        window_not_open with ``opens``. County admin, or the issuing station's clerk."""
        permit = _permit(number)
        endorsement.check_endorsement_input(permit, body.endorsed_on)
        stations.require_station(user, permit.station, f"签注应到原办证机关办理（{B14}）")
        with _materials_refusal():
            done = endorsement.endorse_permit(api.db.session, permit=permit,
                                              endorsed_on=body.endorsed_on,
                                              materials=body.materials, actor=user)
        api.db.session.commit()
        return EndorsementOut(
            number=permit.number, endorsed_on=done.endorsed_on, late=done.late,
            status=permits.status_on(permit, done.endorsed_on), valid_until=permit.valid_until,
            continuous_residence_since=permit.continuous_residence_since), 201

    @bp.route_api("/permits/<number>/replacements", method="POST",
                  summary="换领、补领（原办证机关，第十五条）", roles=STATION_ACTORS,
                  body=ReplacementIn, responses={201: ReplacementOut}, errors=(404, 409))
    def replace(number: str, body: ReplacementIn, user):  # type: ignore[no-untyped-def]
        """Damaged: the old card must be handed in (else 422 old_card_required). Lost: the
        old card is declared void. New serial, same number and validity."""
        permit = _permit(number)
        replacement.check_replacement_input(permit, reason=body.reason, on=body.on,
                                            old_card_returned=body.old_card_returned)
        stations.require_station(user, permit.station, f"换领、补领应到原办证机关办理（{B15}）")
        reissue = replacement.replace_card(api.db.session, permit=permit, reason=body.reason,
                                           on=body.on, old_card_returned=body.old_card_returned,
                                           actor=user)
        api.db.session.commit()
        return ReplacementOut(number=permit.number, card_serial=reissue.new_card.serial,
                              old_card_serial=reissue.old_card.serial,
                              old_card_status=reissue.old_card.status,
                              card_url=_card_url(permit.number)), 201

    @bp.route_api("/permits/<number>/address-changes", method="POST",
                  summary="居住地变更换证（新居住地派出所，第十六条）",
                  roles={"county_admin", "station_clerk"}, roles_checked_in_view=True,
                  body=AddressChangeIn, responses={201: AddressChangeOut}, errors=(404, 409))
    def change_address(number: str, body: AddressChangeIn, user):  # type: ignore[no-untyped-def]
        """Inside the county only (else 422 outside_county, whoever asks: the role is checked
        here, after the address). Then county admin, or the clerk of the NEW address's
        station; the permit moves to that station with a new card."""
        station = address_change.station_for_new_address(api.db.session,
                                                         body.residence_division_code)
        stations.require_station(user, station, f"居住地变更应到新居住地派出所办理（{B16}）")
        permit = _permit(number)
        with _materials_refusal():
            change = address_change.change_address(
                api.db.session, permit=permit, on=body.on,
                residence_address=body.residence_address,
                residence_division_code=body.residence_division_code, actor=user,
                materials=body.materials)
        api.db.session.commit()
        return AddressChangeOut(number=permit.number, station=change.new_station.code,
                                card_serial=permit.live_card.serial,
                                card_url=_card_url(permit.number)), 201

    @bp.route_api("/permits/<number>/changes", method="POST",
                  summary="登记事项变更（原办证机关，第四条）", roles=STATION_ACTORS,
                  body=FactChangeIn, responses={201: FactChangeOut}, errors=(404, 409))
    def change_facts(number: str, body: FactChangeIn, user):  # type: ignore[no-untyped-def]
        """Name, ethnicity, hukou address or code (a new card), or phone (no new card); every
        field audited with old and new values; no change at all → 422."""
        permit = _permit(number)
        wanted = body.model_dump(exclude_unset=True, exclude={"on"})
        changes.proposed_changes(permit, on=body.on, changes=wanted)
        stations.require_station(user, permit.station, f"登记事项变更应到原办证机关办理（{B4}）")
        rows = changes.change_facts(api.db.session, permit=permit, on=body.on, changes=wanted,
                                    actor=user)
        api.db.session.commit()
        card = permit.live_card
        return FactChangeOut(
            number=permit.number,
            changes=[FieldChangeOut(field=r.field, old=r.old_value, new=r.new_value)
                     for r in rows],
            card_serial=card.serial if card else None,
            new_card=any(r.reissue_id is not None for r in rows)), 201

    @bp.route_api("/permits/<number>/revocation", method="POST",
                  summary="注销居住证（县公安局）", roles={"county_admin"}, body=RevocationIn,
                  responses={201: RevocationOut}, errors=(404, 409))
    def revoke(number: str, body: RevocationIn, user):  # type: ignore[no-untyped-def]
        """Settlement (第十九条), leaving the county, death, false materials (条例第十八条):
        the card is voided and stops verifying; already revoked → 409."""
        permit = _permit(number)
        revocation.revoke(api.db.session, permit=permit, on=body.on, reason=body.reason,
                          actor=user, note=body.note)
        api.db.session.commit()
        return RevocationOut(number=permit.number, status="revoked", revoked_on=permit.revoked_on,
                             revocation_reason=permit.revocation_reason), 201
