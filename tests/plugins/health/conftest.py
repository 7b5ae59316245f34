"""Factories for the health tests: holders and permits written straight to the
database (the acts themselves are tested through the API), and a logged-in admin client."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select

from core.db import db
from core.models import AuditEvent

DANFENG = "station-530323001"
PASSWORD = "pass-word-1"  # the `users` fixture's default password


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


@pytest.fixture
def web(make_app: Any, app: Any) -> Any:
    """A second app on the test database for the browser side (see tests/core/test_admin.py:
    each request gets its own context, so one client's login never leaks into another's)."""
    return make_app()


def login(site: Any, users: Any, role: str, org: str | None = None) -> Any:
    """A client of ``site`` logged in through the real login form as a new user."""
    user, _token = users(role, org)
    client = site.test_client()
    r = client.post("/login", data={"username": user.username, "password": PASSWORD})
    assert r.status_code == 302, re.findall(r'fs-error-msg">([^<]*)', r.text)
    assert urlsplit(r.headers["Location"]).path == "/admin/"
    return client
