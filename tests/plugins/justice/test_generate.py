"""``juzhu demo generate``'s 法律援助申请 (第十八条（五）; 《法律援助法》第三十一条、第三十二条): each
stores exactly what ``services.create_application`` would on its day — ``means_test_exempt``
from the matter, ``eligible`` by the matter and the means and standard of that day — and is
decided as ``update_application`` allows, within the 7 days of 第四十三条."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

import pytest

from core.db import db
from plugins.justice import services
from plugins.justice.entitlements import application_decision_on
from plugins.justice.generate import FIRST_DAY
from plugins.justice.models import DECIDED, JusticeAidApplication
from plugins.justice.rules import MATTERS
from tests.support import GENERATED_AS_OF as AS_OF
from tests.support import all_rows, current_residences, generate_demo


@pytest.fixture
def apps(app: Any) -> list[Any]:
    """The applications of a generated population of 1 500 holders."""
    generate_demo(app)
    return all_rows(JusticeAidApplication)


def test_each_stores_the_decision_of_its_day(apps: list[Any]) -> None:
    assert len(apps) > 30
    for a in apps:
        decision = application_decision_on(db.session, a.holder_id, a.matter, a.applied_on)
        assert a.eligible == decision.eligible, a.id
        assert a.means_test_exempt == MATTERS[a.matter].exempt, a.id
    assert {a.eligible for a in apps} == {True, False}
    assert {a.means_test_exempt for a in apps} == {True, False}
    # a 第三十一条 matter is eligible on the means alone: both ways occur
    assert {a.eligible for a in apps if not a.means_test_exempt} == {True, False}


def test_dates_and_statuses_are_the_registers(apps: list[Any]) -> None:
    arrived = {holder_id: r.from_date for holder_id, r in current_residences().items()}
    for a in apps:
        assert max(arrived[a.holder_id], FIRST_DAY) <= a.applied_on <= AS_OF
        assert (a.decided_on is not None) == (a.status in DECIDED), a.id
        if a.decided_on is not None:  # 第四十三条: decided within seven days
            assert a.applied_on <= a.decided_on <= a.applied_on + dt.timedelta(days=7), a.id
        assert a.eligible <= (a.status != "refused"), a.id  # eligible: never refused
        services.update_application(db.session, a, status=a.status, decided_on=a.decided_on,
                                    note=a.note, actor=None, today=AS_OF)
    pending = Counter((a.holder_id, a.matter) for a in apps if a.status == "accepted")
    assert not pending or max(pending.values()) == 1
    statuses = Counter(a.status for a in apps)
    assert statuses["granted"] and statuses["refused"], statuses
