"""Factories for 人力资源和社会保障's tests: holders with valid ID numbers and permits written
straight into the database (a test of a rule need not go through the police's application),
and the department's own records through its services."""

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


class Factory:
    def __init__(self) -> None:
        self._seq = count(300)

    def holder(self, birth: dt.date, *, name: str = "张伟", sex: str = "male") -> Any:
        seq = next(self._seq) * 2 + (1 if sex == "male" else 0)
        first17 = f"530302{birth:%Y%m%d}{seq % 1000:03d}"
        holder = create_holder(db.session, HolderFacts(
            name, sex, "汉族", birth, first17 + id_check_char(first17), "云南省曲靖市麒麟区",
            "530302001000", None), as_of=max(birth, dt.date(2026, 12, 1)))
        db.session.commit()
        return holder

    def permit(self, holder: Any, issued_on: dt.date = dt.date(2026, 1, 15), *,
               since: dt.date | None = None, valid_until: dt.date | None = None,
               revoked_on: dt.date | None = None) -> Permit:
        station = db.session.scalar(select(OrgUnit).where(OrgUnit.code == DANFENG))
        psb = db.session.scalar(select(OrgUnit).where(OrgUnit.code == "county-psb"))
        n = next(self._seq)
        permit = Permit(number=f"8{n:06d}", holder_id=holder.id, authority_id=psb.id,
                        station_id=station.id, issued_on=issued_on,
                        valid_until=valid_until or kernel.rules.valid_until_for(issued_on),
                        continuous_residence_since=since or issued_on, revoked_on=revoked_on)
        db.session.add(permit)
        db.session.flush()
        db.session.add(Card(permit_id=permit.id, serial=80_000_000 + n, station_id=station.id,
                            issued_on=issued_on, status="live", status_on=issued_on))
        db.session.commit()
        return permit

    def employment(self, holder: Any, employer: str = "师宗县演示建材有限公司", *,
                   started_on: dt.date = dt.date(2025, 3, 1), ended_on: dt.date | None = None,
                   insured: bool = True) -> Any:
        from plugins.human_resources import services

        row = services.record_employment(db.session, holder=holder, employer=employer,
                                         credit_code=None, started_on=started_on,
                                         ended_on=ended_on, insured=insured, actor=None)
        db.session.commit()
        return row

    def training(self, holder: Any, kind: str = "skills_training",
                 on: dt.date = dt.date(2026, 5, 1)) -> Any:
        from plugins.human_resources import services

        row = services.record_training(db.session, holder=holder, kind=kind, on=on,
                                       provider="师宗县职业技能培训中心", note=None, actor=None)
        db.session.commit()
        return row


@pytest.fixture
def hr(app: Any) -> Factory:
    return Factory()
