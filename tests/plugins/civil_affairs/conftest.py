"""Factories for 民政's tests: holders with valid ID numbers, permits written straight into
the database, and elections through the department's service."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from core.db import db

DANFENG = "station-530323001"
COMMUNITY = "530323001001"
VILLAGE = "530323102201"


class Factory:
    def __init__(self, people: Any) -> None:
        self.people = people

    def holder(self, birth: dt.date = dt.date(1990, 3, 7), *, name: str = "张伟",
               sex: str = "male") -> Any:
        return self.people.holder(name=name, sex=sex, birth_date=birth, region="510104",
                                  address="四川省成都市锦江区", division_code="510104", phone=None)

    def permit(self, holder: Any, issued_on: dt.date = dt.date(2026, 1, 15), *,
               since: dt.date | None = None, valid_until: dt.date | None = None,
               revoked_on: dt.date | None = None) -> Any:
        return self.people.permit(holder, issued_on=issued_on, since=since,
                                  valid_until=valid_until, revoked_on=revoked_on,
                                  prefix="7")

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
def ca(app: Any, people: Any) -> Factory:
    return Factory(people)
