"""Factories for 民政's tests: holders with valid ID numbers, permits written straight into
the database, and elections through the department's service."""

from __future__ import annotations

import datetime as dt
from itertools import count
from typing import Any

import pytest
from sqlalchemy import select

from core import api as kernel
from core.db import db
from core.holders import HolderFacts, create_holder
from core.models import Card, OrgUnit, Permit
from core.rules import id_check_char

DANFENG = "station-530323001"
COMMUNITY = "530323001001"
VILLAGE = "530323102201"


class Factory:
    def __init__(self) -> None:
        self._seq = count(500)

    def holder(self, birth: dt.date = dt.date(1990, 3, 7), *, name: str = "张伟",
               sex: str = "male") -> Any:
        seq = next(self._seq) * 2 + (1 if sex == "male" else 0)
        first17 = f"510104{birth:%Y%m%d}{seq % 1000:03d}"
        holder = create_holder(db.session, HolderFacts(
            name, sex, "汉族", birth, first17 + id_check_char(first17), "四川省成都市锦江区",
            "510104", None), as_of=max(birth, dt.date(2026, 12, 1)))
        db.session.commit()
        return holder

    def permit(self, holder: Any, issued_on: dt.date = dt.date(2026, 1, 15), *,
               since: dt.date | None = None, valid_until: dt.date | None = None,
               revoked_on: dt.date | None = None) -> Permit:
        station = db.session.scalar(select(OrgUnit).where(OrgUnit.code == DANFENG))
        psb = db.session.scalar(select(OrgUnit).where(OrgUnit.code == "county-psb"))
        n = next(self._seq)
        permit = Permit(number=f"7{n:06d}", holder_id=holder.id, authority_id=psb.id,
                        station_id=station.id, issued_on=issued_on,
                        valid_until=valid_until or kernel.rules.valid_until_for(issued_on),
                        continuous_residence_since=since or issued_on, revoked_on=revoked_on)
        db.session.add(permit)
        db.session.flush()
        db.session.add(Card(permit_id=permit.id, serial=70_000_000 + n, station_id=station.id,
                            issued_on=issued_on, status="live", status_on=issued_on))
        db.session.commit()
        return permit

    def election(self, *, held_on: dt.date = dt.date(2027, 3, 20),
                 closes_on: dt.date | None = None, kind: str = "community",
                 division_code: str = COMMUNITY, name: str = "丹凤街道演示社区居民委员会换届选举") -> Any:
        from plugins.civil_affairs import services

        election = services.create_election(
            db.session, name=name, division_code=division_code, kind=kind, held_on=held_on,
            registration_closes_on=closes_on or held_on - dt.timedelta(days=20), actor=None)
        db.session.commit()
        return election


@pytest.fixture
def ca(app: Any) -> Factory:
    return Factory()
