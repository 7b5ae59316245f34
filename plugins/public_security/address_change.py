"""居住地变更换证 (《办法》第十六条): a move inside the county is handled by the station of the
NEW address — the one exception to "only the issuing station". The permit moves to that
station, the old residence is closed (history kept), and a new card is made from the new
station's numbers. A move out of the county is refused, whoever asks.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import api

from . import permits, stations
from .models import AddressChange, CardReissue

B16 = "《办法》第十六条"
FIELD = "residence_division_code"
LABEL = "居住地区划代码"


def station_for_new_address(session: Session, residence_division_code: str) -> Any:
    """The station that handles the move: that of the new address's township.

    422 for a malformed code, one outside the county (``outside_county``: the permit cannot
    follow the holder out of the county), a bare county code (the township is needed) or a
    township the county does not have.
    """
    code = api.rules.check_division_code(residence_division_code, FIELD)
    divisions = api.profile().divisions
    county = divisions.county_name
    if not divisions.in_county(code):
        raise api.RuleError(
            FIELD, "outside_county",
            f"{LABEL}：新居住地不在{county}辖区内，本县居住证不能变更到县外地址；"
            f"应向新居住地公安机关申领当地居住证（{B16}）", B16)
    if len(code) == 6:
        raise api.RuleError(
            FIELD, "residence_township_required",
            f"{LABEL}：只到县级，请填写新居住地所在乡镇、街道的9位或12位区划代码，"
            f"以确定受理的派出所（{B16}）", B16)
    station = (stations.station_for_division(session, code)
               if divisions.township_of(code) else None)
    if station is None:
        raise api.RuleError(FIELD, "unknown_township",
                            f"{LABEL}：{code}不是{county}的乡镇、街道（{B16}）", B16)
    return station


def _open_residences(session: Session, holder_id: int) -> list[Any]:
    return list(session.scalars(
        select(api.Residence).where(api.Residence.holder_id == holder_id,
                                    api.Residence.to_date.is_(None))
        .order_by(api.Residence.from_date, api.Residence.id)))


def change_address(session: Session, *, permit: Any, on: dt.date, residence_address: str,
                   residence_division_code: str, actor: Any,
                   materials: Iterable[str] | None = None) -> AddressChange:
    """Move ``permit`` to the new address's station, in the caller's transaction (no commit).

    ``materials`` (第十六条: ID card, permit, a residence/employment/study proof) is checked
    when given; the contract's body has no such field, so a caller that omits it vouches that
    the station saw them.
    """
    station = station_for_new_address(session, residence_division_code)
    code = residence_division_code.strip()
    address = residence_address.strip()
    permits.require_not_before_issue(permit, on, "on", "变更日期", B16, card_act=True)
    permits.require_not_revoked(permit)
    holder = permit.holder
    floating = api.rules.classify_floating(holder.hukou_division_code, code,
                                           api.profile().divisions)
    if not floating.floating:
        raise api.RuleError(
            FIELD, "not_floating_population",
            f"{floating.reason}；迁居后不再需要居住证，应办理居住证注销，不予变更（{B16}）", B16)
    given = list(materials) if materials is not None else None
    if given is not None:
        permits.require_materials("居住地变更换证", given, B16)
    open_ = _open_residences(session, holder.id)
    current = open_[-1] if open_ else None
    if current is not None and on < current.from_date:
        raise api.RuleError(
            "on", "before_residence",
            f"变更日期：{api.zh_date(on)}早于现居住地址的起始日期{api.zh_date(current.from_date)}"
            f"（{B16}）", B16)
    if current is not None and (current.address, current.division_code) == (address, code):
        raise api.RuleError("residence_address", "address_unchanged",
                            f"居住地址：与现居住地址相同，无需变更（{B16}）", B16)
    old_card = permits.card_in_hand(permit)

    old_station = permit.station
    before = {"station": old_station.code, "card_serial": old_card.serial,
              "residence_address": current.address if current else None,
              "residence_division_code": current.division_code if current else None}
    for residence in open_:
        residence.to_date = on
    new_residence = api.Residence(holder_id=holder.id, address=address, division_code=code,
                                  from_date=on)
    session.add(new_residence)
    permit.station = station
    permits.retire_card(session, old_card, "returned", on)
    new_card = permits.issue_new_card(session, permit, station, on=on, actor=actor)
    reissue = CardReissue(permit_id=permit.id, reason="address_change", on=on,
                          station_id=station.id, old_card_id=old_card.id,
                          new_card_id=new_card.id, old_card_returned=True,
                          recorded_by_id=getattr(actor, "id", None))
    session.add(reissue)
    session.flush()
    change = AddressChange(permit_id=permit.id, on=on, old_station_id=old_station.id,
                           new_station_id=station.id,
                           old_residence_id=current.id if current else None,
                           new_residence_id=new_residence.id, reissue_id=reissue.id,
                           recorded_by_id=getattr(actor, "id", None))
    session.add(change)
    session.flush()
    api.record_audit(
        session, action="permit.address_change", entity="permit", entity_id=permit.id,
        actor=actor, old=before,
        new={"number": permit.number, "on": on, "station": station.code,
             "card_serial": new_card.serial, "residence_address": address,
             "residence_division_code": code,
             "materials": given})
    api.hooks().address_changed(permit=permit, old_residence=current,
                                new_residence=new_residence, actor=actor, session=session)
    return change
