"""The holder look-up behind every form that takes a holder by ID number (issue 7 point 5):
``GET /admin/holders/lookup/?id_number=…``, a route of the 持证人 view, answered as JSON to
``core/static/juzhu/lookup.js`` while the clerk types.

Who may ask: the roles that open the 持证人 list — the county admin, station clerks, police
officers, department clerks and the auditor — which are exactly the roles with a form that
takes a holder by ID number (the counter's forms, the departments' forms, 权益说明); the
assistant is refused (403). It answers only a full, valid 18-character number (GB 11643-1999:
shape, province, birth date, check character, by ``core.rules.parse_id_number``), so it
cannot be used to list or guess holders; each answer is one statement on the unique index
of ``holder.id_number`` (the permit and residence by the indexed ``holder_id``).

What it shows, as the lists show the role (decided here):

- every role that may ask: the name in full (the 持证人 list shows it to all of them, and the
  clerk must see that the person at the counter is the one recorded), sex, birth date (the
  typed number already encodes both), the station of the current residence's township, and
  the current permit's number, status and end of validity;
- the residence address only to roles that see personal data (the police roles, DESIGN §5);
- never the ID number back, the phone or the hukou address.

Like a list search by ID number, a look-up is not written to the access log (a full record,
the details page, is: ``holder.view``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session, aliased

from core.models import Holder, OrgUnit, Permit, Residence
from core.models.holder import SEXES
from core.rules import RuleError, parse_id_number, permit_status
from core.rules.errors import zh_date

NOT_FOUND = "未找到持证人：请先在 持证人 中录入"
STATUS_TITLES = {"valid": "有效", "suspended": "使用功能中止（逾期未签注）", "revoked": "已注销"}


@dataclass(frozen=True)
class Found:
    name: str
    sex: str
    birth_date: dt.date
    permit_number: str | None
    permit_status: str | None
    valid_until: dt.date | None
    residence_address: str | None
    station: str | None


def find(session: Session, number: str, as_of: dt.date) -> Found | None:
    """The holder with citizen ID ``number`` (canonical form), their latest permit issued on
    or before ``as_of`` and their residence on ``as_of``, in one statement."""
    p, r = aliased(Permit), aliased(Residence)
    latest_permit = (select(p.id).where(p.holder_id == Holder.id, p.issued_on <= as_of)
                     .order_by(p.issued_on.desc(), p.id.desc()).limit(1)
                     .correlate(Holder).scalar_subquery())
    current_residence = (select(r.id).where(r.holder_id == Holder.id, r.from_date <= as_of,
                                            or_(r.to_date.is_(None), r.to_date >= as_of))
                         .order_by(r.from_date.desc(), r.id.desc()).limit(1)
                         .correlate(Holder).scalar_subquery())
    station = aliased(OrgUnit)
    row = session.execute(
        select(Holder.name, Holder.sex, Holder.birth_date, Permit.number, Permit.valid_until,
               Permit.revoked_on, Residence.address, station.name)
        .select_from(Holder)
        .outerjoin(Permit, Permit.id == latest_permit)
        .outerjoin(Residence, Residence.id == current_residence)
        .outerjoin(station, and_(station.kind == "police_station",
                                 station.division_code == func.substr(Residence.division_code,
                                                                      1, 9)))
        .where(Holder.id_number == number)).first()
    if row is None:
        return None
    name, sex, birth, permit_number, valid_until, revoked_on, address, station_name = row
    status = None if valid_until is None else permit_status(valid_until, as_of, revoked_on)
    return Found(name, sex, birth, permit_number, status, valid_until, address, station_name)


def answer(session: Session, raw: str, as_of: dt.date, *, full: bool,
           create_url: str | None) -> dict[str, Any]:
    """The look-up's JSON answer for the typed ``raw`` number.

    ``{"status": "invalid"|"not_found"|"found", "message": Chinese text, ...}``: ``invalid``
    names the field and GB 11643-1999 (``field``: ``id_number``); ``not_found`` carries
    ``create_url`` (the holder form) when the role may create holders; ``found`` carries
    ``holder`` (what :func:`find` read, the address only when ``full``)."""
    try:
        number = parse_id_number(raw, as_of=as_of).number
    except RuleError as err:
        return {"status": "invalid", "field": "id_number", "message": err.message}
    found = find(session, number, as_of)
    if found is None:
        out: dict[str, Any] = {"status": "not_found", "message": NOT_FOUND}
        if create_url:
            out["create_url"] = create_url
        return out
    sex = SEXES.get(found.sex, found.sex)
    parts = [f"{found.name}（{sex}，{zh_date(found.birth_date)}出生）"]
    residence = None
    if found.residence_address is None:
        parts.append("无现居住地登记")
    else:
        residence = {"station": found.station,
                     "address": found.residence_address if full else None}
        where = [f"{found.station}辖区" if found.station else "不在本县派出所辖区"]
        if full:
            where.append(found.residence_address)
        parts.append("现居住地：" + "，".join(where))
    permit = None
    if found.permit_number is not None:
        permit = {"number": found.permit_number, "status": found.permit_status,
                  "status_title": STATUS_TITLES.get(found.permit_status or "", ""),
                  "valid_until": found.valid_until.isoformat() if found.valid_until else None}
        until = f"（有效期至{zh_date(found.valid_until)}）" if found.valid_until else ""
        parts.append(f"居住证{found.permit_number}：{permit['status_title']}{until}")
    else:
        parts.append("未持有居住证")
    return {"status": "found", "message": "；".join(parts),
            "holder": {"name": found.name, "sex": found.sex, "sex_title": sex,
                       "birth_date": found.birth_date.isoformat(), "residence": residence,
                       "permit": permit}}
