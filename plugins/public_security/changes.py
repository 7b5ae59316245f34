"""变更 of a holder's recorded facts (《办法》第四条、第六条): at the issuing station, every field
audited with its old and new value, and a new card when a printed field changed.

Name, ethnicity, hukou address and hukou division code are printed on the card (第四条); the
phone is a contact detail kept beside them, so changing only the phone makes no new card.
Sex, birth date and ID number follow the citizen ID number (GB 11643) and are not changed
here: a new ID number is a new identity document, not a 变更.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import api

from . import permits
from .models import CardReissue, FactChange

B4 = "《办法》第四条"
#: Fields a 变更 may change, with their Chinese labels, in the order of 第四条.
FIELDS = {"name": "姓名", "ethnicity": "民族", "hukou_address": "常住户口所在地住址",
          "hukou_division_code": "户籍区划代码", "phone": "联系电话"}
ON_CARD = frozenset(FIELDS) - {"phone"}
FIXED = {"sex": "性别", "birth_date": "出生日期", "id_number": "公民身份号码"}


def diff_facts(current: api.HolderFacts, proposed: api.HolderFacts) -> list[tuple[str, Any, Any]]:
    """(field, old, new) for every changeable field that differs (pure)."""
    return [(f, getattr(current, f), getattr(proposed, f)) for f in FIELDS
            if getattr(current, f) != getattr(proposed, f)]


def facts_of(holder: Any) -> api.HolderFacts:
    return api.HolderFacts(holder.name, holder.sex, holder.ethnicity, holder.birth_date,
                           holder.id_number, holder.hukou_address, holder.hukou_division_code,
                           holder.phone)


def proposed_changes(permit: Any, *, on: dt.date,
                     changes: dict[str, str | None]) -> list[tuple[str, Any, Any]]:
    """Validate the new facts as a new holder's would be (api.validate_holder, 第四条) and
    return what differs; 422 for a field that cannot change here or for no change at all."""
    for name in changes:
        if name in FIXED:
            raise api.RuleError(
                name, "field_not_changeable",
                f"{FIXED[name]}：与公民身份号码绑定，不能通过变更修改；身份证件变更后应重新核实身份"
                f"（{B4}）", B4)
        if name not in FIELDS:
            raise api.RuleError(name, "field_not_changeable",
                                f"{name}：不是可变更的登记事项（{B4}）", B4)
    current = facts_of(permit.holder)
    # Every field is checked again, as for a new holder.
    proposed = api.validate_holder(dataclasses.replace(current, **changes), on)
    diff = diff_facts(current, proposed)
    if not diff:
        raise api.RuleError("_body", "no_change",
                            f"变更内容：与现登记信息相同，没有需要变更的事项（{B4}）", B4)
    permits.require_not_before_issue(permit, on, "on", "变更日期", B4,
                                     card_act=reprints(diff))
    return diff


def reprints(diff: list[tuple[str, Any, Any]]) -> bool:
    """Whether the changes touch a field printed on the card (so a new card is made)."""
    return any(f in ON_CARD for f, _, _ in diff)


def _still_floating(session: Session, holder: Any, hukou_code: str) -> None:
    """A hukou moved to where the holder lives ends floating status (第二条): that is a
    settlement, to be revoked (注销), not a 变更."""
    residence = session.scalar(
        select(api.Residence).where(api.Residence.holder_id == holder.id,
                                    api.Residence.to_date.is_(None))
        .order_by(api.Residence.from_date.desc(), api.Residence.id.desc()).limit(1))
    divisions = api.profile().divisions
    if residence is None or divisions.township_of(residence.division_code) is None:
        return
    result = api.rules.classify_floating(hukou_code, residence.division_code, divisions)
    if not result.floating:
        raise api.RuleError(
            "hukou_division_code", "not_floating_population",
            f"{result.reason}；户籍已迁入居住地的，应办理居住证注销（落户，《办法》第十九条），"
            "不予变更", "《办法》第二条")


def change_facts(session: Session, *, permit: Any, on: dt.date, changes: dict[str, str | None],
                 actor: Any) -> list[FactChange]:
    """Record a 变更 in the caller's transaction (no commit): one FactChange per changed field,
    one audit event with old and new values, and — when a printed field changed — the old card
    returned and a new one made (CardReissue ``change``; hook ``permit_replaced``)."""
    diff = proposed_changes(permit, on=on, changes=changes)
    permits.require_not_revoked(permit)
    holder = permit.holder
    new_values = {f: new for f, _, new in diff}
    if "hukou_division_code" in new_values:
        _still_floating(session, holder, new_values["hukou_division_code"])
    old_card = permits.card_in_hand(permit) if reprints(diff) else None

    for f, new in new_values.items():
        setattr(holder, f, new)
    reissue = new_card = None
    if old_card is not None:
        permits.retire_card(session, old_card, "returned", on)
        new_card = permits.issue_new_card(session, permit, permit.station, on=on, actor=actor)
        reissue = CardReissue(permit_id=permit.id, reason="change", on=on,
                              station_id=permit.station_id, old_card_id=old_card.id,
                              new_card_id=new_card.id, old_card_returned=True,
                              recorded_by_id=getattr(actor, "id", None))
        session.add(reissue)
        session.flush()
    rows = [FactChange(permit_id=permit.id, holder_id=holder.id, field=f,
                       old_value=None if old is None else str(old),
                       new_value=None if new is None else str(new), on=on,
                       station_id=permit.station_id, reissue_id=reissue.id if reissue else None,
                       recorded_by_id=getattr(actor, "id", None)) for f, old, new in diff]
    session.add_all(rows)
    session.flush()
    api.record_audit(
        session, action="permit.change", entity="permit", entity_id=permit.id, actor=actor,
        old={f: old for f, old, _ in diff},
        new={**new_values, "number": permit.number, "on": on, "holder_id": holder.id,
             "card_serial": new_card.serial if new_card else None})
    if new_card is not None:
        api.hooks().permit_replaced(permit=permit, old_card=old_card, new_card=new_card,
                                    reason="change", actor=actor, session=session)
    return rows
