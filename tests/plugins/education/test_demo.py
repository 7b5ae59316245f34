"""The demo data (``juzhu init --demo``): children of the demo holders showing every outcome —
a child entering 一年级, a preschool child, one too young, one past compulsory age, and
children of holders whose permit is suspended or missing."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select

from core import api as kernel
from core.db import db
from plugins.education.entitlements import enrolment
from plugins.education.models import Child

AS_OF = dt.date(2026, 12, 4)


def seed_demo(app: Any) -> None:
    """What ``core.seed.init(app, demo=True)`` does after upgrading the schema: every enabled
    plugin's demo data in one transaction (the schema is already at its heads here; init's
    upgrade would look for the branches of plugins this app leaves out)."""
    with app.app_context():
        state = app.extensions["juzhu"]
        state.hooks.seed_demo(session=db.session, profile=state.profile, as_of=AS_OF)
        db.session.commit()


def test_the_demo_shows_both_outcomes(make_app: Any, batch_agrees: Any) -> None:
    app = make_app(enabled="education,public_security")  # the police's demo issues permits
    seed_demo(app)
    with app.app_context():
        children = db.session.scalars(select(Child)).all()
        assert len(children) >= 6
        names = {h.id: h.name for h in db.session.scalars(select(kernel.Holder))}
        reasons = {names[r.holder_id]: r.reason for r in batch_agrees("art18.3", AS_OF)}
        assert reasons["张伟"] == "" and reasons["欧阳晓燕"] == ""  # eligible
        assert reasons["陈𠀾"] == "conditions" and reasons["王建国"] == "conditions"
        assert reasons["李娜"] == "suspended"  # a child of age, the permit suspended
        assert reasons["杨丽"] == "no_permit"
        listed = enrolment(db.session, 2026).rows
        grade_one = [r for r in listed if r.enters_grade_one]
        assert [r.holder_name for r in grade_one] == ["张伟"]
        assert any(r.stage == "preschool" for r in listed)
