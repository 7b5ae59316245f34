"""第十八条（四） 申请保障性住房: the per-holder check and its set-based SQL form.

Both read the same fact: the holder's latest ``housing_facts`` row recorded on or before
``as_of`` (ties on the day: the row entered last), and apply the same NULL-safe conditions, so
batch and per-holder answers agree (DESIGN §4). The engine puts the permit's state first.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Callable

from functools import cache

from sqlalchemy import and_, bindparam, or_, select

from core import api

from . import DEPARTMENT, rules
from .models import HousingFacts
from .parameters import MAX_AREA, MAX_INCOME, MIN_MONTHS, values_on

CODE = "art18.4"


def thresholds(param: Callable[[str], Any]) -> rules.Thresholds:
    return rules.Thresholds(max_owned_area_sqm=Decimal(param(MAX_AREA)),
                            max_monthly_income=Decimal(param(MAX_INCOME)),
                            min_insurance_months=int(param(MIN_MONTHS)))


@cache
def _latest_facts() -> Any:
    # Built once with placeholders: building a select costs more than running it.
    return (select(HousingFacts)
            .where(HousingFacts.holder_id == bindparam("holder_id"),
                   HousingFacts.recorded_on <= bindparam("as_of"))
            .order_by(HousingFacts.recorded_on.desc(), HousingFacts.id.desc()).limit(1))


def latest_facts(session: Any, holder_id: int, as_of: dt.date) -> HousingFacts | None:
    return session.scalar(_latest_facts(), {"holder_id": holder_id, "as_of": as_of})


def facts_of(row: HousingFacts | None) -> rules.Facts | None:
    if row is None:
        return None
    return rules.Facts(recorded_on=row.recorded_on,
                       owns_housing_in_county=row.owns_housing_in_county,
                       housing_area_sqm=row.housing_area_sqm,
                       insurance_months=row.insurance_months, employed=row.employed,
                       monthly_income=row.monthly_income)


def check(facts: api.CheckFacts) -> api.Decision:
    t = thresholds(facts.param)
    row = latest_facts(facts.session, facts.holder.id, facts.as_of)
    return rules.decide(facts_of(row), t)


def sql(ctx: api.BatchContext) -> Any:
    """Holders whose latest facts row on ``ctx.as_of`` passes all three conditions (the
    latest row found as the per-holder check finds it, on ``housing_facts_holder_recorded``)."""
    t = thresholds(ctx.param)
    f = HousingFacts
    housing = or_(f.owns_housing_in_county.is_(False),
                  and_(f.owns_housing_in_county.is_(True), f.housing_area_sqm.is_not(None),
                       f.housing_area_sqm <= t.max_owned_area_sqm))
    income = and_(f.monthly_income.is_not(None), f.monthly_income <= t.max_monthly_income)
    employment = and_(f.employed.is_(True), f.insurance_months.is_not(None),
                      f.insurance_months >= t.min_insurance_months)
    return select(f.holder_id).where(api.latest_on(f, "recorded_on", ctx.as_of),
                                     housing, income, employment)


def entitlements() -> list[api.Entitlement]:
    return [api.Entitlement(CODE, "（四）", "申请保障性住房", DEPARTMENT, check, sql)]


# -- the decision on one day, for the application register ---------------------------------------

def decision_on(session: Any, holder_id: int, on: dt.date) -> Any:
    """第十八条（四） for one holder on ``on``, from the kernel's engine: the permit's state
    first, then the three conditions of 第七条, with that day's parameter values — exactly
    what the entitlements API answers for that day, and what the register records."""
    return api.decide(CODE, session.get(api.Holder, holder_id), on)
