"""Factories for the health tests: holders and permits written straight to the
database (the acts themselves are tested through the API), and a logged-in admin client."""

from __future__ import annotations

import datetime as dt
import re
from itertools import count
from typing import Any
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select

from core import api as kernel
from core.db import db
from core.models import AuditEvent, OrgUnit

DANFENG = "station-530323001"
PASSWORD = "pass-word-1"  # the `users` fixture's default password


def make_id(region: str, birth: dt.date, seq: int, sex: str) -> str:
    seq = seq * 2 + (1 if sex == "male" else 0)  # 17th digit: odd male, even female
    first17 = f"{region}{birth:%Y%m%d}{seq % 1000:03d}"
    return first17 + kernel.rules.id_check_char(first17)


def rows(model: type) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


def last_event() -> Any:
    return db.session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()


class Factory:
    def __init__(self) -> None:
        self._seq = count(100)

    def holder(self, *, name: str = "张伟", sex: str = "male",
               birth_date: dt.date = dt.date(1990, 3, 7), region: str = "530302") -> Any:
        holder = kernel.create_holder(db.session, kernel.HolderFacts(
            name, sex, "汉族", birth_date, make_id(region, birth_date, next(self._seq), sex),
            "云南省曲靖市麒麟区南宁街道", "530302001000", "13912345678"),
            as_of=dt.date(2026, 12, 1))
        db.session.commit()
        return holder

    def permit(self, holder: Any, *, issued_on: dt.date = dt.date(2026, 1, 15),
               valid_until: dt.date | None = None, revoked_on: dt.date | None = None) -> Any:
        """A permit row (valid one year from ``issued_on`` unless told)."""
        station = db.session.scalar(select(OrgUnit).where(OrgUnit.code == DANFENG))
        psb = db.session.scalar(select(OrgUnit).where(OrgUnit.kind == "county_psb"))
        permit = kernel.Permit(
            number=f"HLT{next(self._seq)}", holder_id=holder.id, authority_id=psb.id,
            station_id=station.id, issued_on=issued_on,
            valid_until=valid_until or kernel.rules.valid_until_for(issued_on),
            continuous_residence_since=issued_on, revoked_on=revoked_on,
            revocation_reason="left_county" if revoked_on else None)
        db.session.add(permit)
        db.session.commit()
        return permit


@pytest.fixture
def hp(app: Any) -> Factory:
    return Factory()


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
