"""第十八条（二）（七）（八): the per-holder checks and their SQL forms (DESIGN §4).

The engine puts the permit's state first; these checks add only the department's own
conditions, read thresholds only through ``facts.param`` / ``ctx.param``, and never raise when
the holder has no permit. Each SQL form selects the ids of holders whose department
conditions pass on ``ctx.as_of``; the birth-date bounds are computed here in Python with the
same 周岁 rule as :func:`api.rules.age_on`, so the two forms agree on every holder and day.
"""

from __future__ import annotations

from collections import Counter
from functools import cache
from typing import Any

from sqlalchemy import bindparam, or_, select

from core import api

from . import DEPARTMENT, rules
from .models import Employment, Training

MIN_AGE = "human_resources.min_working_age"
MAX_AGE = "human_resources.training_age_max"


@cache
def _employments() -> Any:
    # Built once with placeholders: building a select costs more than running it.
    as_of = bindparam("as_of")
    return select(Employment).where(
        Employment.holder_id == bindparam("holder_id"), Employment.started_on <= as_of,
        or_(Employment.ended_on.is_(None), Employment.ended_on >= as_of))


@cache
def _training_kinds() -> Any:
    return select(Training.kind).where(Training.holder_id == bindparam("holder_id"),
                                       Training.on <= bindparam("as_of"))


def employments_of(facts: api.CheckFacts) -> list[rules.EmploymentFact]:
    """The holder's employments current on ``facts.as_of``."""
    rows = facts.session.scalars(_employments(),
                                 {"holder_id": facts.holder.id, "as_of": facts.as_of})
    return [rules.EmploymentFact(r.employer, r.started_on, r.ended_on, r.insured) for r in rows]


def record_counts(facts: api.CheckFacts) -> Counter[str]:
    """How many training / service records of each kind the holder has up to ``as_of``
    (read once for （七） and （八） together)."""
    def read() -> Counter[str]:
        return Counter(facts.session.scalars(
            _training_kinds(), {"holder_id": facts.holder.id, "as_of": facts.as_of}))
    return facts.once(("human_resources", "record_counts"), read)


# -- （二）参加社会保险，享受相关待遇 ---------------------------------------------------------------

def check_art18_2(facts: api.CheckFacts) -> api.Decision:
    min_age = facts.param(MIN_AGE)
    return rules.social_insurance_decision(facts.holder.birth_date, facts.as_of, min_age,
                                           employments_of(facts))


def sql_art18_2(ctx: api.BatchContext) -> Any:
    oldest_birth = rules.latest_birth_for_age(ctx.as_of, ctx.param(MIN_AGE))
    return select(api.Holder.id).where(api.Holder.birth_date <= oldest_birth)


# -- （七）参加职业技能培训和享受公共就业指导服务 ---------------------------------------------------

def check_art18_7(facts: api.CheckFacts) -> api.Decision:
    min_age, max_age = facts.param(MIN_AGE), facts.param(MAX_AGE)
    return rules.training_decision(facts.holder.birth_date, facts.as_of, min_age, max_age,
                                   record_counts(facts))


def sql_art18_7(ctx: api.BatchContext) -> Any:
    # min_age <= age  ⟺  birth <= latest_birth_for_age(as_of, min_age)
    # age <= max_age  ⟺  not (age >= max_age + 1)
    #                 ⟺  birth > latest_birth_for_age(as_of, max_age + 1)
    young_bound = rules.latest_birth_for_age(ctx.as_of, ctx.param(MIN_AGE))
    old_bound = rules.latest_birth_for_age(ctx.as_of, ctx.param(MAX_AGE) + 1)
    return select(api.Holder.id).where(api.Holder.birth_date <= young_bound,
                                       api.Holder.birth_date > old_bound)


# -- （八）职称评审、职业资格考试、职业资格注册登记 ---------------------------------------------------

def check_art18_8(facts: api.CheckFacts) -> api.Decision:
    counts = record_counts(facts)
    return rules.qualification_decision(counts)


def sql_art18_8(ctx: api.BatchContext) -> Any:
    """No condition beyond the permit (the engine adds it): every holder passes."""
    return select(api.Holder.id)


def entitlements() -> list[api.Entitlement]:
    return [
        api.Entitlement("art18.2", "（二）", "参加社会保险，享受相关待遇", DEPARTMENT,
                        check_art18_2, sql_art18_2),
        api.Entitlement("art18.7", "（七）", "参加职业技能培训和享受公共就业指导服务", DEPARTMENT,
                        check_art18_7, sql_art18_7),
        api.Entitlement("art18.8", "（八）",
                        "参加专业技术职称资格考评、职业（执业）资格考试、职业（执业）资格注册登记",
                        DEPARTMENT, check_art18_8, sql_art18_8),
    ]
