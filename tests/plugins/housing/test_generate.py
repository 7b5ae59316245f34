"""``juzhu demo generate``'s 公租房申请 (第十八条（四）; 《公共租赁住房管理办法》第七条): each stores
exactly what ``services.create_application`` would on its day — the engine's decision, the
permit first, as ``eligible`` and the failed codes — and is handled as the admin's
``update_application`` allows: a decision date only on 轮候、已配租、不予配租, never before the
application nor after ``as_of``, 不予配租 only when ineligible, one open application a holder."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from sqlalchemy import select

from core.db import db
from plugins.housing import services
from plugins.housing.entitlements import decision_on
from plugins.housing.models import DECIDED, OPEN, HousingApplication, HousingFacts
from plugins.housing.parameters import START
from plugins.housing.rules import failed_codes
from tests.support import GENERATED_AS_OF as AS_OF
from tests.support import all_rows, current_residences, generate_demo


@pytest.fixture
def apps(app: Any) -> list[Any]:
    """The applications of a generated population of 1 500 holders."""
    generate_demo(app)
    return all_rows(HousingApplication)


def test_each_stores_the_decision_of_its_day(apps: list[Any]) -> None:
    assert len(apps) > 50
    for a in apps:
        decision = decision_on(db.session, a.holder_id, a.applied_on)
        assert a.eligible == decision.eligible, a.id
        assert a.failed_reasons == failed_codes(decision.reasons), a.id
    assert {a.eligible for a in apps} == {True, False}
    failed = Counter(code for a in apps for code in a.failed_reasons)
    assert set(failed) == {"permit", "housing", "income", "employment"}, failed


def test_dates_and_statuses_are_the_registers(apps: list[Any]) -> None:
    arrived = {holder_id: r.from_date for holder_id, r in current_residences().items()}
    with_facts = set(db.session.scalars(select(HousingFacts.holder_id)))
    assert 0.1 * len(with_facts) < len(apps) < 0.3 * len(with_facts)  # about one in five
    for a in apps:
        assert a.holder_id in with_facts
        assert max(arrived[a.holder_id], START) <= a.applied_on <= AS_OF
        assert 1 <= a.household_size <= services.MAX_HOUSEHOLD
        assert (a.decided_on is not None) == (a.status in DECIDED), a.id
        if a.status == "rejected":
            assert not a.eligible, a.id
        if a.status in ("waiting", "allocated"):
            assert a.eligible, a.id
        # the admin's own checks accept the row as it stands
        services.update_application(db.session, a, status=a.status, decided_on=a.decided_on,
                                    note=a.note, actor=None, today=AS_OF)
    open_ = Counter(a.holder_id for a in apps if a.status in OPEN)
    assert max(open_.values()) == 1
    statuses = Counter(a.status for a in apps)
    assert len(statuses) >= 4 and statuses["rejected"] and statuses["reviewing"], statuses
    assert statuses["waiting"] + statuses["allocated"], statuses
