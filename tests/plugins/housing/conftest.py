"""Factories for 住房保障's tests: holders, permits and facts rows written straight to the
database (the acts themselves are tested through the API and the admin forms)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select

from core.db import db
from plugins.housing.models import HousingApplication, HousingFacts

PASSWORD = "pass-word-1"  # the `users` fixture's default password
DANFENG = "station-530323001"


class Factory:
    def __init__(self, people: Any) -> None:
        self.people = people

    def holder(self, name: str = "张伟", sex: str = "male",
               birth_date: dt.date = dt.date(1990, 3, 7)) -> Any:
        return self.people.holder(name=name, sex=sex, birth_date=birth_date)

    def permit(self, holder: Any, issued_on: dt.date = dt.date(2026, 1, 15),
               revoked_on: dt.date | None = None) -> Any:
        """A permit valid one year from ``issued_on`` (suspended from the day after)."""
        return self.people.permit(holder, issued_on=issued_on, revoked_on=revoked_on,
                                  prefix="3")

    def facts(self, holder: Any, recorded_on: dt.date = dt.date(2026, 3, 1), *,
              owns: bool | None = False, area: str | None = None, months: int | None = 12,
              employed: bool | None = True, income: str | None = "2000.00") -> HousingFacts:
        row = HousingFacts(holder_id=holder.id, recorded_on=recorded_on,
                           owns_housing_in_county=owns,
                           housing_area_sqm=None if area is None else Decimal(area),
                           insurance_months=months, employed=employed,
                           monthly_income=None if income is None else Decimal(income))
        db.session.add(row)
        db.session.commit()
        return row


@pytest.fixture
def hf(app: Any, people: Any) -> Factory:
    return Factory(people)


def count_rows(model: type) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


def counts() -> tuple[int, int, int]:
    from core.models import AuditEvent

    return (count_rows(HousingFacts), count_rows(HousingApplication), count_rows(AuditEvent))


@pytest.fixture
def web(make_app: Any, app: Any) -> Any:
    """A second app on the test database for the browser side (see tests/core/test_admin.py:
    a request inside the test's own app context would share its ``g`` and so its login)."""
    return make_app()


def login(site: Any, username: str, password: str = PASSWORD) -> Any:
    client = site.test_client()
    r = client.post("/login", data={"username": username, "password": password})
    assert r.status_code == 302, re.findall(r'fs-error-msg">([^<]*)', r.text)
    assert urlsplit(r.headers["Location"]).path == "/admin/"
    return client


def login_as(site: Any, users: Any, role: str, org: str | None = None) -> Any:
    user, _token = users(role, org)
    return login(site, user.username)
