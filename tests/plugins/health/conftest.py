"""Factories for the health tests: holders and permits written straight to the
database (the acts themselves are tested through the API), and a logged-in admin client."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import func, select

from core.db import db
from core.models import AuditEvent
from tests.support import login  # noqa: F401  (the plugin's tests import it from here)

DANFENG = "station-530323001"


def rows(model: type) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


def last_event() -> Any:
    return db.session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()


class Factory:
    def __init__(self, people: Any) -> None:
        self.people = people

    def holder(self, *, name: str = "张伟", sex: str = "male",
               birth_date: dt.date = dt.date(1990, 3, 7), region: str = "530302") -> Any:
        return self.people.holder(name=name, sex=sex, birth_date=birth_date, region=region)

    def permit(self, holder: Any, *, issued_on: dt.date = dt.date(2026, 1, 15),
               valid_until: dt.date | None = None, revoked_on: dt.date | None = None) -> Any:
        """A permit row (valid one year from ``issued_on`` unless told)."""
        return self.people.permit(holder, issued_on=issued_on, valid_until=valid_until,
                                  revoked_on=revoked_on, prefix="2",
                                  revocation_reason="left_county" if revoked_on else None)


@pytest.fixture
def hp(app: Any, people: Any) -> Factory:
    return Factory(people)


