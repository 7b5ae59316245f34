"""第十八条（五） 获得法律援助: the per-holder check and its set-based SQL form.

Both read the holder's latest ``justice_means`` row recorded on or before ``as_of`` (ties on
the day: the row entered last) and pass when its income per person is recorded and not above
the standard, so batch and per-holder answers agree, NULLs included (DESIGN §4).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from functools import cache

from sqlalchemy import bindparam, select

from core import api

from . import DEPARTMENT, rules
from .models import JusticeMeans
from .parameters import HARDSHIP_MAX, values_on

CODE = "art18.5"


@cache
def _latest_means() -> Any:
    # Built once with placeholders: building a select costs more than running it.
    return (select(JusticeMeans)
            .where(JusticeMeans.holder_id == bindparam("holder_id"),
                   JusticeMeans.recorded_on <= bindparam("as_of"))
            .order_by(JusticeMeans.recorded_on.desc(), JusticeMeans.id.desc()).limit(1))


def latest_means(session: Any, holder_id: int, as_of: dt.date) -> JusticeMeans | None:
    return session.scalar(_latest_means(), {"holder_id": holder_id, "as_of": as_of})


def means_of(row: JusticeMeans | None) -> rules.Means | None:
    return None if row is None else rules.Means(row.recorded_on, row.monthly_income_per_person)


def check(facts: api.CheckFacts) -> api.Decision:
    hardship_max = Decimal(facts.param(HARDSHIP_MAX))
    return rules.decide(means_of(latest_means(facts.session, facts.holder.id, facts.as_of)),
                        hardship_max)


def sql(ctx: api.BatchContext) -> Any:
    """Holders whose latest means row on ``ctx.as_of`` shows economic hardship (the latest
    row found as the per-holder check finds it, on ``justice_means_holder_recorded``)."""
    hardship_max = Decimal(ctx.param(HARDSHIP_MAX))
    m = JusticeMeans
    return select(m.holder_id).where(api.latest_on(m, "recorded_on", ctx.as_of),
                                     m.monthly_income_per_person.is_not(None),
                                     m.monthly_income_per_person <= hardship_max)


def entitlements() -> list[api.Entitlement]:
    return [api.Entitlement(CODE, "（五）", "获得法律援助", DEPARTMENT, check, sql)]


def application_decision_on(session: Any, holder_id: int, matter: str,
                            on: dt.date) -> api.Decision:
    """The decision an application records: its matter, and the means as known on ``on``
    with the standard of that day."""
    hardship_max = Decimal(values_on(session, on)[HARDSHIP_MAX])
    return rules.application_decision(matter, means_of(latest_means(session, holder_id, on)),
                                      hardship_max)
