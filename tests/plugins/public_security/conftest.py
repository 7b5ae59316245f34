"""Factories for the police's tests.

The ``ps`` fixture makes holders, ranges, registrations and permits straight in the database,
so a test of endorsement need not go through an application. Tests of an act itself go through
the HTTP API (the ``api`` fixture) as other systems do.
"""

from __future__ import annotations

import datetime as dt
from itertools import count
from typing import Any

import pytest
from sqlalchemy import select

from core import api as kernel
from core.db import db
from core.holders import HolderFacts, create_holder
from core.models import OrgUnit
from core.rules import id_check_char

DANFENG = "station-530323001"  # 丹凤街道 (county seat)
XIONGBI = "station-530323102"  # 雄壁镇
DANFENG_CODE = "530323001001"  # a 12-digit community code in 丹凤街道
XIONGBI_CODE = "530323102001"


def make_id(region: str, birth: dt.date, seq: int, sex: str) -> str:
    seq = seq * 2 + (1 if sex == "male" else 0)
    first17 = f"{region}{birth:%Y%m%d}{seq % 1000:03d}"
    return first17 + id_check_char(first17)


class Factory:
    def __init__(self) -> None:
        self._seq = count(100)

    def station(self, code: str) -> OrgUnit:
        return db.session.scalar(select(OrgUnit).where(OrgUnit.code == code))

    def holder(self, *, name: str = "张伟", sex: str = "male",
               birth_date: dt.date = dt.date(1990, 3, 7), region: str = "530302",
               hukou_division_code: str = "530302001000",
               hukou_address: str = "云南省曲靖市麒麟区南宁街道", **kw: Any) -> Any:
        """A holder whose hukou is outside the county (floating wherever they live here)."""
        id_number = kw.pop("id_number", None) or make_id(region, birth_date, next(self._seq), sex)
        holder = create_holder(db.session, HolderFacts(
            name, sex, kw.pop("ethnicity", "汉族"), birth_date, id_number, hukou_address,
            hukou_division_code, kw.pop("phone", "13912345678")), as_of=dt.date(2026, 12, 1))
        db.session.commit()
        return holder

    def number_range(self, station_code: str, start: int, end: int,
                     on: dt.date = dt.date(2025, 1, 1)) -> Any:
        from plugins.public_security.models import NumberRange

        rng = NumberRange(station_id=self.station(station_code).id, start=start, end=end,
                          next_free=start, allocated_on=on)
        db.session.add(rng)
        db.session.commit()
        return rng

    def registration(self, holder: Any, *, station_code: str = DANFENG,
                     division_code: str = DANFENG_CODE, arrival: dt.date = dt.date(2026, 1, 5),
                     registered_on: dt.date = dt.date(2026, 1, 10)) -> Any:
        """A registration row (on time), with its residence, written directly."""
        from plugins.public_security.models import Registration

        residence = kernel.Residence(holder_id=holder.id, address="丹凤街道某社区1号",
                                     division_code=division_code, from_date=arrival)
        db.session.add(residence)
        db.session.flush()
        reg = Registration(
            receipt_number=f"DJTEST{next(self._seq)}", holder_id=holder.id,
            station_id=self.station(station_code).id, arrival_date=arrival,
            registered_on=registered_on, residence_address=residence.address,
            residence_division_code=division_code, deadline=registered_on, on_time=True,
            provisional=False, floating_reason="测试", residence_id=residence.id)
        db.session.add(reg)
        db.session.commit()
        return reg

    def permit(self, holder: Any = None, *, station_code: str = DANFENG,
               issued_on: dt.date = dt.date(2026, 1, 15),
               registered_on: dt.date = dt.date(2025, 7, 10), with_range: bool = True) -> Any:
        """A permit issued on ``issued_on`` at ``station_code``, with its first card, written
        directly (number from the station's ranges; a range is made if asked)."""
        from plugins.public_security import numbers

        holder = holder or self.holder()
        station = self.station(station_code)
        if with_range and not db.session.scalar(
                select(numbers.NumberRange.id).where(numbers.NumberRange.station_id == station.id)):
            base = 5303230000 + int(station_code[-3:]) * 100000
            self.number_range(station_code, base + 1, base + 99999)
        use = numbers.take_serial(db.session, station, kind="issued", on=issued_on)
        psb = db.session.scalar(select(OrgUnit).where(OrgUnit.kind == "county_psb"))
        permit = kernel.Permit(
            number=str(use.serial), holder_id=holder.id, authority_id=psb.id,
            station_id=station.id, issued_on=issued_on,
            valid_until=kernel.rules.valid_until_for(issued_on),
            continuous_residence_since=registered_on)
        db.session.add(permit)
        db.session.flush()
        card = kernel.Card(permit_id=permit.id, serial=use.serial, station_id=station.id,
                           issued_on=issued_on, status="live", status_on=issued_on)
        db.session.add(card)
        db.session.flush()
        use.card_id = card.id
        db.session.commit()
        return permit


@pytest.fixture
def ps(app: Any) -> Factory:
    return Factory()


@pytest.fixture
def clerk(users: Any) -> tuple[Any, str]:
    """A station clerk of 丹凤派出所: (user, token)."""
    return users("station_clerk", DANFENG)


@pytest.fixture
def admin(users: Any) -> tuple[Any, str]:
    return users("county_admin")
