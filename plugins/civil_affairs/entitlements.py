"""第十八条（一）选举权和被选举权: the per-holder check, its SQL form, and the same decision for
one holder on an election day, to store with a voter application.

The engine puts the permit's state first; :func:`check_art18_1` adds only 民政's own
conditions (voting age, years of continuous residence from the permit's
``continuous_residence_since``) and never raises when the holder has no permit.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import api

from . import DEPARTMENT, rules

VOTING_AGE = "civil_affairs.voting_age"
MIN_YEARS = "civil_affairs.min_residence_years"


def check_art18_1(facts: api.CheckFacts) -> api.Decision:
    since = facts.permit.continuous_residence_since if facts.permit is not None else None
    return rules.voter_decision(facts.holder.birth_date, since, facts.as_of,
                                facts.param(VOTING_AGE), facts.param(MIN_YEARS))


def sql_art18_1(ctx: api.BatchContext) -> Any:
    """Holders old enough on ``as_of`` whose permit's residence started early enough."""
    permits = ctx.permits()
    latest_birth = rules.latest_start(ctx.as_of, ctx.param(VOTING_AGE))
    latest_since = rules.latest_start(ctx.as_of, ctx.param(MIN_YEARS))
    return (select(api.Holder.id)
            .join(permits, permits.c.holder_id == api.Holder.id)
            .where(api.Holder.birth_date <= latest_birth,
                   permits.c.continuous_residence_since <= latest_since))


def entitlements() -> list[api.Entitlement]:
    return [api.Entitlement("art18.1", "（一）", "选举权和被选举权，参与管理有关社会事务", DEPARTMENT,
                            check_art18_1, sql_art18_1)]


# -- the decision stored with a voter application -------------------------------------------------


@dataclass(frozen=True)
class VoterDecision:
    eligible: bool
    reasons: tuple[api.Reason, ...]
    parameters: list[dict[str, Any]]


def decision_on(session: Session, holder: Any, as_of: dt.date) -> VoterDecision:
    """The full art18.1 decision for ``holder`` on ``as_of`` (an election day), from the
    kernel's engine: exactly what the entitlements API answers that day."""
    item = api.decide("art18.1", holder, as_of)
    return VoterDecision(item.eligible, tuple(item.reasons), list(item.parameters))
