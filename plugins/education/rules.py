"""《办法》第十八条（三）: a holder's children receive preschool and compulsory education.

Pure functions of the facts (the children's birth dates), the parameter values and a date:
no database, no Flask. The arithmetic:

- The school year containing ``as_of`` starts the day after the cut-off (``"08-31"`` → 9月1日).
  Its year Y (the "Y—Y+1学年") is ``as_of.year`` when ``as_of`` is after that year's cut-off
  day, else ``as_of.year - 1``.
- A child's age for the school year is the 周岁 on the cut-off day of Y (``api.rules.age_on``:
  民法典第二百零一条、第二百零二条; the birthday itself counts).
- Stage: 学前教育 if ``preschool_min <= age < compulsory_min``; 义务教育 if
  ``compulsory_min <= age <= compulsory_max``; otherwise none. A child born after the cut-off
  day has no age yet that year: too young.
- A holder is entitled when at least one child is of preschool or compulsory age.

For the SQL form the same conditions become birth-date ranges, computed here in Python
(:func:`passing_birth_ranges`): "age on C is at least n" holds exactly for births on or before
:func:`latest_birth_for_age` (C, n), so each age interval is one closed range of birth dates.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from typing import Iterable

from core import api

B183 = "《办法》第十八条（三）"
ONE_DAY = dt.timedelta(days=1)

SEXES = {"male": "男", "female": "女"}
#: the child's relation to the holder (the parent or guardian)
RELATIONS = {"son": "子", "daughter": "女", "ward": "被监护人"}
STAGES = {"preschool": "学前教育", "compulsory": "义务教育"}


@dataclass(frozen=True)
class AgeRules:
    """The parameter values one decision uses (education.* on the decision's date)."""

    preschool_min: int
    compulsory_min: int
    compulsory_max: int
    cutoff: str  # "MM-DD"


@dataclass(frozen=True)
class ChildFacts:
    id: int
    name: str
    birth_date: dt.date
    relation: str = "son"


# -- the school year ----------------------------------------------------------------------------

def cutoff_on(year: int, cutoff: str) -> dt.date:
    """The cut-off day of ``year`` (``"08-31"`` → 2026-08-31); ``"02-29"`` in a common year is
    that February's last day."""
    month, day = (int(part) for part in cutoff.split("-"))
    return dt.date(year, month, min(day, calendar.monthrange(year, month)[1]))


def school_year(as_of: dt.date, cutoff: str) -> int:
    """Y of the "Y—Y+1学年" containing ``as_of``."""
    return as_of.year if as_of > cutoff_on(as_of.year, cutoff) else as_of.year - 1


def first_day(year: int, cutoff: str) -> dt.date:
    """The first day of school year ``year``: the day after its cut-off."""
    return cutoff_on(year, cutoff) + ONE_DAY


def school_year_label(year: int) -> str:
    return f"{year}—{year + 1}学年"


def age_at_cutoff(birth: dt.date, year: int, cutoff: str) -> int | None:
    """The child's 周岁 on the cut-off day of ``year``; None if not yet born that day."""
    day = cutoff_on(year, cutoff)
    return None if birth > day else api.rules.age_on(birth, day)


def stage_for(age: int | None, rules: AgeRules) -> str | None:
    """"preschool", "compulsory" or None."""
    if age is None:
        return None
    if rules.compulsory_min <= age <= rules.compulsory_max:
        return "compulsory"
    if rules.preschool_min <= age < rules.compulsory_min:
        return "preschool"
    return None


def enters_grade_one(age: int | None, rules: AgeRules) -> bool:
    """Whether the child enters 一年级 this school year (age == the compulsory entry age)."""
    return age is not None and age == rules.compulsory_min


# -- the decision -------------------------------------------------------------------------------

def child_reason(child: ChildFacts, rules: AgeRules, year: int) -> api.Reason:
    """One reason for one child: of preschool or compulsory age in school year ``year``?"""
    day = cutoff_on(year, rules.cutoff)
    age = age_at_cutoff(child.birth_date, year, rules.cutoff)
    stage = stage_for(age, rules)
    who = (f"随迁子女{child.name}（{RELATIONS.get(child.relation, '子女')}，"
           f"{api.zh_date(child.birth_date)}出生）")
    when = f"{school_year_label(year)}按{api.zh_date(day)}计"
    code = f"child_{child.id}"
    if stage == "compulsory":
        grade = "，本学年入学一年级" if enters_grade_one(age, rules) else ""
        return api.Reason(code, True,
                          f"{who}{when}{age}周岁，属义务教育阶段（{rules.compulsory_min}至"
                          f"{rules.compulsory_max}周岁）{grade}，可在居住地接受义务教育", B183)
    if stage == "preschool":
        return api.Reason(code, True,
                          f"{who}{when}{age}周岁，属学前教育阶段（{rules.preschool_min}周岁至未满"
                          f"{rules.compulsory_min}周岁），可在居住地接受学前教育", B183)
    if age is None:
        return api.Reason(code, False,
                          f"{who}在{school_year_label(year)}的入学年龄计算截止日{api.zh_date(day)}"
                          "尚未出生，本学年不在学前教育、义务教育年龄段", B183)
    if age < min(rules.preschool_min, rules.compulsory_min):
        bar = (f"学前教育入园年龄{rules.preschool_min}周岁"
               if rules.preschool_min < rules.compulsory_min
               else f"义务教育入学年龄{rules.compulsory_min}周岁")
        return api.Reason(code, False,
                          f"{who}{when}{age}周岁，未满{bar}，本学年尚不在学前教育、义务教育年龄段",
                          B183)
    # Above both stages: the stages are contiguous (学前 ends where 义务 begins), so a child not
    # too young and of neither stage is past compulsory age.
    return api.Reason(code, False,
                      f"{who}{when}{age}周岁，已超过义务教育年龄上限{rules.compulsory_max}周岁", B183)


NO_CHILD = api.Reason(
    "no_child", False,
    "未登记随迁子女：子女接受学前教育、义务教育，须先在教育部门登记随迁子女的姓名、出生日期和公民身份号码",
    B183)


def decide(children: Iterable[ChildFacts], rules: AgeRules, as_of: dt.date) -> api.Decision:
    """Eligible when at least one child is of preschool or compulsory age in the school year
    containing ``as_of``; one reason per child, or one failed reason when none is registered."""
    year = school_year(as_of, rules.cutoff)
    reasons = [child_reason(c, rules, year) for c in children]
    if not reasons:
        return api.Decision(False, (NO_CHILD,))
    return api.Decision(any(r.passed for r in reasons), tuple(reasons))


# -- the same conditions as birth-date ranges (for SQL) --------------------------------------------

def latest_birth_for_age(day: dt.date, n: int) -> dt.date:
    """The latest birth date whose 周岁 on ``day`` is at least ``n`` (n >= 0).

    ``age_on(b, day) >= n`` ⟺ ``add_years(b, n) <= day``, which is monotone in ``b``; start
    from ``day`` n years back and step over the days the month-end rule folds together
    (born 2020-02-29 turns 6 on 2026-02-28)."""
    b = api.rules.add_years(day, -n)
    while api.rules.add_years(b + ONE_DAY, n) <= day:
        b += ONE_DAY
    while api.rules.add_years(b, n) > day:
        b -= ONE_DAY
    return b


def stage_age_ranges(rules: AgeRules, stages: Iterable[str] = ("preschool", "compulsory")
                     ) -> list[tuple[int, int]]:
    """The closed age intervals of the chosen stages, empty ones dropped."""
    bounds = {"preschool": (rules.preschool_min, rules.compulsory_min - 1),
              "compulsory": (rules.compulsory_min, rules.compulsory_max)}
    return [(lo, hi) for lo, hi in (bounds[s] for s in stages) if lo <= hi]


def passing_birth_ranges(rules: AgeRules, year: int,
                         stages: Iterable[str] = ("preschool", "compulsory")
                         ) -> list[tuple[dt.date, dt.date]]:
    """Closed birth-date ranges [earliest, latest] of the children whose age in school year
    ``year`` falls in one of ``stages``."""
    day = cutoff_on(year, rules.cutoff)
    out = []
    for lo, hi in stage_age_ranges(rules, stages):  # ages are never negative (minimum 0)
        out.append((latest_birth_for_age(day, hi + 1) + ONE_DAY, latest_birth_for_age(day, lo)))
    return out
