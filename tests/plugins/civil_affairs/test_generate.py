"""``juzhu demo generate``'s voter applications (第十八条（一）; 《村民委员会组织法》第十三条): each
stores exactly what ``services.apply`` would — the engine's decision on the election day,
reasons and texts alike — and keeps the register's rules: the holder lives in the election's
community or village, applied before registration closed and not after ``as_of``, and the
meeting's decision, mostly still pending, is dated between the application and ``as_of``."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

import pytest
from sqlalchemy import select

from core.db import db
from core.models import Holder, Permit
from core.rules import age_on
from plugins.civil_affairs import rules
from plugins.civil_affairs.entitlements import decision_on
from plugins.civil_affairs.models import VoterApplication
from plugins.civil_affairs.services import reassess
from tests.support import GENERATED_AS_OF as AS_OF
from tests.support import all_rows, current_residences, generate_demo


@pytest.fixture
def apps(app: Any) -> list[Any]:
    """The applications of a generated population of 1 500 holders."""
    generate_demo(app)
    return all_rows(VoterApplication)


def test_each_stores_the_engines_decision_on_the_election_day(apps: list[Any]) -> None:
    assert len(apps) > 50
    for a in apps:
        decision = decision_on(db.session, a.holder, a.election.held_on)
        assert a.eligible == decision.eligible, a.id
        assert a.reasons == [r.as_dict() for r in decision.reasons], a.id
    # the service's own reassessment (run when a permit is issued or endorsed) changes none
    for holder_id in {a.holder_id for a in apps}:
        assert reassess(db.session, holder_id, AS_OF, None, "test") == 0, holder_id
    # every way the decision goes: eligible, and failing on the permit or on the years
    assert {a.eligible for a in apps} == {True, False}
    failed = Counter(r["code"] for a in apps for r in a.reasons if not r["passed"])
    assert failed["permit"] and failed["residence_years"], failed
    # every wording of the engine's permit reason: valid, suspended, revoked, none
    permit_texts = Counter(next(word for word in ("持有有效", "逾期未签注", "已注销", "未持有")
                                if word in a.reasons[0]["text"]) for a in apps)
    assert len(permit_texts) == 4, permit_texts
    assert all([r["code"] for r in a.reasons]
               == ["permit", "voting_age", "residence_years", "application"] for a in apps)


def test_who_applied_when_and_the_meetings_decision(apps: list[Any]) -> None:
    residence = current_residences()
    adults = sum(age_on(b, AS_OF) >= 18 for b in db.session.scalars(select(Holder.birth_date)))
    assert 0.05 * adults < len(apps) < 0.2 * adults  # about one adult in ten
    revoked = dict(db.session.execute(select(Permit.holder_id, Permit.revoked_on)
                                      .where(Permit.revoked_on.is_not(None))).all())
    for a in apps:
        e, home = a.election, residence[a.holder_id]
        assert home.division_code == e.division_code
        assert age_on(a.holder.birth_date, AS_OF) >= 18
        assert max(home.from_date, AS_OF - dt.timedelta(days=60)) <= a.applied_on <= AS_OF
        assert a.applied_on <= e.registration_closes_on
        # no hook reassesses on a revocation: a revoked holder applied after it
        assert a.holder_id not in revoked or revoked[a.holder_id] <= a.applied_on
        assert rules.check_approval(a.approved, a.approved_on, a.applied_on,
                                    e.held_on) == a.approved_on
        assert a.approved_on is None or a.approved_on <= AS_OF
    decided = [a for a in apps if a.approved is not None]
    assert 0 < len(decided) < len(apps) / 4  # mostly pending: the elections are to come
    assert {a.approved for a in decided} == {True, False}
