"""``juzhu init --demo``: 住房保障's tables get rows and the demo shows both outcomes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from core.db import db
from core.models import AuditEvent
from core.seed import init
from plugins.housing.models import HousingApplication, HousingFacts

AS_OF = dt.date(2026, 12, 1)


def test_demo_data_covers_eligible_and_ineligible(make_app: Any, tmp_path: Path,
                                                  batch_agrees: Any) -> None:
    # the police's demo too: its permits make the engine's answers meaningful
    app = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'demo.sqlite'}",
                   enabled="housing,public_security")
    assert init(app, demo=True, as_of=AS_OF)["demo_seeded"]
    with app.app_context():
        facts = db.session.scalars(select(HousingFacts)).all()
        assert len(facts) >= 5
        assert {f.owns_housing_in_county for f in facts} >= {True, False, None}
        apps = db.session.scalars(select(HousingApplication)).all()
        assert len(apps) >= 3
        assert {a.eligible for a in apps} == {True, False}
        assert {a.status for a in apps} >= {"accepted", "waiting", "rejected"}
        assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "housing_facts.create")) == len(facts)
        rows = batch_agrees("art18.4", AS_OF)
        assert any(r.eligible for r in rows)
        assert any(r.reason == "conditions" for r in rows)  # a valid permit, conditions fail
        # an older row in the history: the first holder was not yet eligible a year ago
        earlier = {r.holder_id: r for r in batch_agrees("art18.4", AS_OF - dt.timedelta(days=200))}
        assert not earlier[min(f.holder_id for f in facts)].eligible
