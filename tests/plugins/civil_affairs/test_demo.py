"""``juzhu init --demo``: two elections, applications from eligible and ineligible demo
holders — whatever order the plugins seed in, the decisions follow the police's demo permits
(张伟 on the list, 王建国's late endorsement keeping him off although approved)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select

from core.db import db
from core.models import Holder
from core.seed import init
from plugins.civil_affairs.demo import next_spring
from plugins.civil_affairs.models import Election, VoterApplication

AS_OF = dt.date(2026, 12, 4)


def test_next_spring() -> None:
    assert next_spring(dt.date(2026, 12, 4)) == dt.date(2027, 3, 20)
    assert next_spring(dt.date(2026, 1, 10)) == dt.date(2026, 3, 20)
    assert next_spring(dt.date(2026, 1, 25)) == dt.date(2027, 3, 20)


def test_the_demo_shows_both_outcomes(app: Any, users: Any, api: Any) -> None:
    assert init(app, demo=True, as_of=AS_OF)["demo_seeded"]
    db.session.expire_all()
    elections = {e.kind: e for e in db.session.scalars(select(Election))}
    assert set(elections) == {"village", "community"}
    assert elections["village"].held_on == dt.date(2027, 3, 20)
    apps = {a.holder.name: a for a in db.session.scalars(select(VoterApplication))}
    assert db.session.scalar(select(func.count()).select_from(VoterApplication)) == 6
    assert apps["张伟"].eligible and apps["张伟"].approved
    assert not apps["王建国"].eligible and apps["王建国"].approved
    assert not apps["王建国"].reasons[2]["passed"]  # years restarted by his late endorsement
    assert not apps["陈𠀾"].eligible and not apps["李娜"].eligible and not apps["杨丽"].eligible

    token = users("dept_clerk", "dept-civil-affairs")[1]
    community = elections["community"]
    voters = api("GET", f"/civil_affairs/elections/{community.id}/voters", token).json
    assert [v["name"] for v in voters] == ["张伟"]
    # what was stored agrees with the entitlements API on the election day
    for name, application in apps.items():
        holder = db.session.scalar(select(Holder).where(Holder.name == name))
        items = api("GET", f"/holders/{holder.id}/entitlements?as_of="
                           f"{application.election.held_on}", token).json["items"]
        art = next(i for i in items if i["code"] == "art18.1")
        assert art["eligible"] == application.eligible, name
        assert art["reasons"] == application.reasons, name
