"""Factories for 人力资源和社会保障's tests: holders with valid ID numbers and permits written
straight into the database (a test of a rule need not go through the police's application),
and the department's own records through its services."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from core.db import db

DANFENG = "station-530323001"


class Factory:
    def __init__(self, people: Any) -> None:
        self.people = people

    def holder(self, birth: dt.date, *, name: str = "张伟",
               sex: str = "male") -> Any:
        return self.people.holder(name=name, sex=sex, birth_date=birth, region="530302",
                                  address="云南省曲靖市麒麟区", division_code="530302001000", phone=None)

    def permit(self, holder: Any, issued_on: dt.date = dt.date(2026, 1, 15), *,
               since: dt.date | None = None, valid_until: dt.date | None = None,
               revoked_on: dt.date | None = None) -> Any:
        return self.people.permit(holder, issued_on=issued_on, since=since,
                                  valid_until=valid_until, revoked_on=revoked_on,
                                  prefix="8")

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
def hr(app: Any, people: Any) -> Factory:
    return Factory(people)
