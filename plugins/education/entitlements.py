"""第十八条（三）子女接受学前教育、义务教育 (DESIGN §4): the per-holder check, its SQL form, and
the enrolment list of a school year.

The engine puts the permit's state first, so the check adds only the department's condition:
a registered child of preschool or compulsory age in the school year containing ``as_of``
(rules.decide). The SQL form is the same condition as birth-date ranges computed in Python
from the same parameter values (rules.passing_birth_ranges), compared with the children's
birth dates in the database: no loop over holders, no date functions in SQL.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

from functools import cache

from sqlalchemy import bindparam, false, or_, select

from core import api

from . import DEPARTMENT, rules
from .models import Child
from .parameters import (COMPULSORY_AGE_MAX, COMPULSORY_AGE_MIN, PRESCHOOL_AGE_MIN,
                         SCHOOL_YEAR_CUTOFF, ValuesOn)

CODE = "art18.3"
TITLE = "子女接受学前教育、义务教育"


def age_rules(param: Callable[[str], Any]) -> rules.AgeRules:
    """The four parameter values, read through the decision's reader (which records them)."""
    return rules.AgeRules(preschool_min=param(PRESCHOOL_AGE_MIN),
                          compulsory_min=param(COMPULSORY_AGE_MIN),
                          compulsory_max=param(COMPULSORY_AGE_MAX),
                          cutoff=param(SCHOOL_YEAR_CUTOFF))


@cache
def _children() -> Any:
    # Built once with placeholders: building a select costs more than running it.
    return (select(Child).where(Child.holder_id == bindparam("holder_id"))
            .order_by(Child.birth_date, Child.id))


def child_facts(session: Any, holder_id: int) -> list[rules.ChildFacts]:
    children = session.scalars(_children(), {"holder_id": holder_id})
    return [rules.ChildFacts(c.id, c.name, c.birth_date, c.relation) for c in children]


def check(facts: api.CheckFacts) -> api.Decision:
    """The department's condition on ``facts.as_of`` (never needs the permit)."""
    return rules.decide(child_facts(facts.session, facts.holder.id), age_rules(facts.param),
                        facts.as_of)


def born_in(ranges: Iterable[tuple[dt.date, dt.date]]) -> Any:
    """Criterion: the child's birth date lies in one of the closed ranges."""
    conditions = [Child.birth_date.between(lo, hi) for lo, hi in ranges]
    return or_(*conditions) if conditions else false()


def sql(ctx: api.BatchContext) -> Any:
    """Holders with at least one child of preschool or compulsory age on ``ctx.as_of``."""
    age = age_rules(ctx.param)
    year = rules.school_year(ctx.as_of, age.cutoff)
    return (select(Child.holder_id)
            .where(born_in(rules.passing_birth_ranges(age, year))).distinct())


def entitlements() -> list[api.Entitlement]:
    return [api.Entitlement(CODE, "（三）", TITLE, DEPARTMENT, check, sql)]


# -- the enrolment list of a school year -----------------------------------------------------------

STAGE_CHOICES = {"all": ("preschool", "compulsory"), "preschool": ("preschool",),
                 "compulsory": ("compulsory",)}


@dataclass(frozen=True)
class EnrolmentRow:
    child_id: int
    child_name: str
    sex: str
    birth_date: dt.date
    id_number: str
    relation: str
    holder_id: int
    holder_name: str
    permit_number: str
    age: int
    stage: str  # "preschool" | "compulsory"
    enters_grade_one: bool


@dataclass(frozen=True)
class Enrolment:
    year: int
    label: str  # "2026—2027学年"
    first_day: dt.date  # the day the permits are judged on
    cutoff_day: dt.date  # the day the ages are counted on
    stage: str  # "all" | "preschool" | "compulsory"
    parameters: list[dict[str, Any]]
    rows: list[EnrolmentRow] = field(default_factory=list)


def school_year_start(session: Any, year: int) -> tuple[dt.date, ValuesOn]:
    """The first day of school year ``year`` and the parameters in force on it.

    The first day follows the cut-off, itself a parameter: start from 9月1日 and move to the
    day after the cut-off in force there (twice at most: a cut-off that moves the start onto
    a day with yet another cut-off is settled on the second pass)."""
    day = dt.date(year, 9, 1)
    for _ in range(3):
        values = ValuesOn(session, day)
        start = rules.first_day(year, values(SCHOOL_YEAR_CUTOFF))
        if start == day:
            break
        day = start
    return day, ValuesOn(session, day)


def enrolment(session: Any, year: int, stage: str = "all",
              limit: int | None = None) -> Enrolment:
    """Children of preschool and/or compulsory age in school year ``year`` whose parent's
    permit is valid on the school year's first day — one query."""
    day, values = school_year_start(session, year)
    age = age_rules(values)
    cutoff_day = rules.cutoff_on(year, age.cutoff)
    # each holder's permit on the first day, as the engine judges it (api.BatchContext)
    ctx = api.BatchContext(as_of=day, session=session, params=values)  # type: ignore[arg-type]
    permits = ctx.permits()
    stmt = (select(Child, api.Holder.name, permits.c.number)
            .join(api.Holder, api.Holder.id == Child.holder_id)
            .join(permits, permits.c.holder_id == Child.holder_id)
            .where(permits.c.status == "valid",
                   born_in(rules.passing_birth_ranges(age, year, STAGE_CHOICES[stage])))
            .order_by(Child.birth_date.desc(), Child.id))
    if limit is not None:
        stmt = stmt.limit(limit)
    rows = []
    for child, holder_name, number in session.execute(stmt):
        years = rules.age_at_cutoff(child.birth_date, year, age.cutoff)
        rows.append(EnrolmentRow(
            child.id, child.name, child.sex, child.birth_date, child.id_number, child.relation,
            child.holder_id, holder_name, number, years, rules.stage_for(years, age) or "",
            rules.enters_grade_one(years, age)))
    return Enrolment(year, rules.school_year_label(year), day, cutoff_day, stage,
                     values.used, rows)
