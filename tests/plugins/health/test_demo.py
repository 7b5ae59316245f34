"""The demo data: a dozen services over the last months, free while the permit was valid and
not free after 李娜's permit lapsed — whichever order the plugins seed in (the police's demo
issues the permits; when it runs after this plugin's, the rows wait for the commit)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import select

from core import api as kernel
from core.db import db
from plugins.health.models import HealthService

AS_OF = dt.date(2026, 12, 4)


def seed_demo(app: Any) -> None:
    """What ``core.seed.init(app, demo=True)`` does after upgrading the schema (the schema is
    at its heads already; init's upgrade would look for the branches this app leaves out)."""
    with app.app_context():
        state = app.extensions["juzhu"]
        state.hooks.seed_demo(session=db.session, profile=state.profile, as_of=AS_OF)
        db.session.commit()


@pytest.mark.parametrize("order", ["health,public_security", "public_security,health"])
def test_the_demo_shows_free_and_not_free_services(make_app: Any, batch_agrees: Any,
                                                   order: str) -> None:
    app = make_app(enabled=order)
    seed_demo(app)
    with app.app_context():
        services = db.session.scalars(select(HealthService)).all()
        assert len(services) >= 12
        assert {s.free for s in services} == {True, False}
        li = db.session.scalar(select(kernel.Holder).where(kernel.Holder.name == "李娜"))
        hers = sorted((s.served_on, s.free) for s in services if s.holder_id == li.id)
        assert [free for _, free in hers] == [True, False, False]  # her permit lapsed
        zhang = db.session.scalar(select(kernel.Holder).where(kernel.Holder.name == "张伟"))
        assert all(s.free for s in services if s.holder_id == zhang.id)
        reasons = {r.holder_id: r.reason for r in batch_agrees("art18.6", AS_OF)}
        assert reasons[zhang.id] == "" and reasons[li.id] == "suspended"
