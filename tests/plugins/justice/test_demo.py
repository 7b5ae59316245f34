"""``juzhu init --demo``: 司法行政's tables get rows and the demo shows both outcomes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from core.db import db
from core.models import AuditEvent
from core.seed import init
from plugins.justice.models import JusticeAidApplication, JusticeMeans

AS_OF = dt.date(2026, 12, 1)


def test_demo_data_covers_eligible_and_ineligible(make_app: Any, tmp_path: Path,
                                                  batch_agrees: Any) -> None:
    # the police's demo too: its permits make the engine's answers meaningful
    app = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'demo.sqlite'}",
                   enabled="justice,public_security")
    assert init(app, demo=True, as_of=AS_OF)["demo_seeded"]
    with app.app_context():
        means = db.session.scalars(select(JusticeMeans)).all()
        assert len(means) >= 4
        assert None in {m.monthly_income_per_person for m in means}
        apps = db.session.scalars(select(JusticeAidApplication)).all()
        assert len(apps) >= 4
        assert {a.eligible for a in apps} == {True, False}
        assert {a.means_test_exempt for a in apps} == {True, False}
        # an exempt matter of someone not in hardship: eligible anyway (第三十二条)
        assert any(a.means_test_exempt and a.eligible for a in apps)
        assert {a.status for a in apps} == {"accepted", "granted", "refused"}
        assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "justice_means.create")) == len(means)
        rows = batch_agrees("art18.5", AS_OF)
        assert any(r.eligible for r in rows)
        assert any(r.reason == "conditions" for r in rows)
