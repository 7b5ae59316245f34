"""GET /api/v1/calendar/working-days (DESIGN §3): official days, chinese-calendar, fallback."""

from __future__ import annotations

import datetime as dt

import pytest

from core.db import db
from core.models import CalendarDay

ROLES = [("county_admin", None), ("station_clerk", "station-530323002"),
         ("police_officer", None), ("dept_clerk", "dept-justice"), ("assistant", None),
         ("auditor", None)]


@pytest.mark.parametrize("role,org", ROLES)
def test_every_role_may_ask(api, users, role, org) -> None:  # type: ignore[no-untyped-def]
    _, token = users(role, org)
    r = api("GET", "/calendar/working-days?from=2026-09-30&n=5", token)
    assert r.status_code == 200
    assert r.json == {"deadline": "2026-10-13", "provisional": False}


def test_anonymous_is_401(api) -> None:  # type: ignore[no-untyped-def]
    assert api("GET", "/calendar/working-days?from=2026-09-30&n=5").status_code == 401


def test_year_without_arrangement_is_provisional(api, users) -> None:  # type: ignore[no-untyped-def]
    _, token = users("auditor")
    r = api("GET", "/calendar/working-days?from=2030-09-30&n=5", token)
    assert r.status_code == 200 and r.json["provisional"] is True
    # 2030-10-01..03 are statutory holidays; Oct 5-6 a weekend: 4, 7, 8, 9, 10
    assert r.json["deadline"] == "2030-10-10"


def test_admin_entered_days_outrank_everything(api, users) -> None:  # type: ignore[no-untyped-def]
    _, token = users("county_admin")
    db.session.add_all([
        CalendarDay(day=dt.date(2030, 10, d), workday=False, name="国庆节") for d in range(1, 8)
    ] + [CalendarDay(day=dt.date(2030, 10, 12), workday=True, name="国庆节调休上班")])
    db.session.commit()
    r = api("GET", "/calendar/working-days?from=2030-09-30&n=5", token)
    # Oct 1-7 off (Tue-Mon): 8, 9, 10, 11 and the working Saturday 12
    assert r.json == {"deadline": "2030-10-12", "provisional": False}


@pytest.mark.parametrize("query,field", [
    ("from=2026-13-01&n=5", "from"), ("from=2026/09/30&n=5", "from"), ("n=5", "from"),
    ("from=2026-09-30&n=0", "n"), ("from=2026-09-30&n=abc", "n"), ("from=2026-09-30", "n"),
])
def test_bad_query_is_422(api, users, query, field) -> None:  # type: ignore[no-untyped-def]
    _, token = users("auditor")
    r = api("GET", f"/calendar/working-days?{query}", token)
    assert r.status_code == 422
    assert field in r.json["fields"], r.json
