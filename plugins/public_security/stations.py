"""Which station acts, and whether the calling user may act for it (DESIGN §5 role table)."""

from __future__ import annotations

from functools import cache
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import api


def station_by_code(session: Session, code: str) -> Any:
    """The police station with org code ``code`` (e.g. ``station-530323001``), or None."""
    return session.scalar(select(api.OrgUnit).where(api.OrgUnit.code == code,
                                                    api.OrgUnit.kind == "police_station"))


def station_for_division(session: Session, division_code: str) -> Any:
    """The station serving the township of a 9- or 12-digit in-county division code."""
    code = api.profile().station_code_for(division_code)
    return station_by_code(session, code) if code else None


@cache
def county_psb_id() -> Any:
    """The county PSB's id (the issuing authority, 第十四条) as a SQL expression: written
    into the INSERT itself, it costs no round trip of its own. Built once: it has no
    parameter, and every issuance writes it."""
    return select(api.OrgUnit.id).where(api.OrgUnit.kind == "county_psb").scalar_subquery()


def acts_for(user: Any, station: Any) -> bool:
    """County admin acts for every station; a station clerk only for its own."""
    if user is None:
        return False
    if user.role == "county_admin":
        return True
    return user.role == "station_clerk" and station is not None and user.org_id == station.id


def require_station(user: Any, station: Any, what: str) -> None:
    """403 unless ``user`` may act for ``station``; ``what`` says which rule binds them."""
    if not acts_for(user, station):
        name = station.name if station is not None else "相应派出所"
        raise api.ApiError(403, "forbidden", f"无权办理：{what}，应由{name}办理")
