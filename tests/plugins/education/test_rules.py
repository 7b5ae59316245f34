"""第十八条（三）'s pure rules, table by table: the school year, the age on its cut-off day, the
stage, the reasons, and the birth-date ranges the SQL form compares with (no database)."""

from __future__ import annotations

import datetime as dt

import pytest

from core.rules import age_on
from plugins.education import rules
from plugins.education.rules import AgeRules, ChildFacts

D = dt.date
STD = AgeRules(preschool_min=3, compulsory_min=6, compulsory_max=15, cutoff="08-31")
B = "《办法》第十八条（三）"


@pytest.mark.parametrize("year, cutoff, expected", [
    (2026, "08-31", D(2026, 8, 31)),
    (2026, "02-29", D(2026, 2, 28)),  # no 29th in a common year: the month's last day
    (2028, "02-29", D(2028, 2, 29)),
    (2026, "09-01", D(2026, 9, 1)),
])
def test_cutoff_day(year: int, cutoff: str, expected: dt.date) -> None:
    assert rules.cutoff_on(year, cutoff) == expected


@pytest.mark.parametrize("as_of, cutoff, year", [
    (D(2026, 8, 31), "08-31", 2025),  # the cut-off day itself still belongs to last year
    (D(2026, 9, 1), "08-31", 2026),  # the day after starts the new school year
    (D(2026, 12, 4), "08-31", 2026),
    (D(2027, 1, 15), "08-31", 2026),
    (D(2026, 1, 1), "08-31", 2025),
    (D(2026, 7, 31), "07-31", 2025),
    (D(2026, 8, 1), "07-31", 2026),
])
def test_school_year_containing_a_date(as_of: dt.date, cutoff: str, year: int) -> None:
    assert rules.school_year(as_of, cutoff) == year


def test_first_day_and_label() -> None:
    assert rules.first_day(2026, "08-31") == D(2026, 9, 1)
    assert rules.first_day(2026, "07-31") == D(2026, 8, 1)
    assert rules.school_year_label(2026) == "2026—2027学年"


@pytest.mark.parametrize("birth, year, cutoff, age", [
    (D(2020, 8, 31), 2026, "08-31", 6),  # the birthday itself counts (民法典第一千二百五十九条)
    (D(2020, 9, 1), 2026, "08-31", 5),  # one day younger: not yet 6
    (D(2020, 8, 30), 2026, "08-31", 6),
    (D(2026, 8, 31), 2026, "08-31", 0),  # born on the cut-off day
    (D(2026, 9, 1), 2026, "08-31", None),  # not yet born on the cut-off day
    (D(2020, 2, 29), 2026, "02-28", 6),  # a 02-29 birthday falls on 02-28 in a common year
    (D(2020, 2, 29), 2026, "02-27", 5),
])
def test_age_on_the_cut_off_day(birth: dt.date, year: int, cutoff: str, age: int | None) -> None:
    assert rules.age_at_cutoff(birth, year, cutoff) == age


@pytest.mark.parametrize("age, stage", [
    (None, None), (0, None), (2, None),  # too young
    (3, "preschool"), (4, "preschool"), (5, "preschool"),  # 3 ≤ age < 6
    (6, "compulsory"), (9, "compulsory"), (15, "compulsory"),  # 6 ≤ age ≤ 15
    (16, None), (17, None),  # past compulsory age
])
def test_stage_by_age(age: int | None, stage: str | None) -> None:
    assert rules.stage_for(age, STD) == stage


@pytest.mark.parametrize("params, age, stage", [
    # each threshold moved by one: the boundary moves with it
    (dict(preschool_min=2), 2, "preschool"),
    (dict(preschool_min=4), 3, None),
    (dict(compulsory_min=7), 6, "preschool"),
    (dict(compulsory_min=5), 5, "compulsory"),
    (dict(compulsory_max=14), 15, None),
    (dict(compulsory_max=16), 16, "compulsory"),
    # a gap between the stages (preschool from 7, compulsory from 6): 6 is compulsory
    (dict(preschool_min=7), 6, "compulsory"),
])
def test_each_threshold_both_ways(params: dict, age: int, stage: str | None) -> None:
    changed = AgeRules(**{**STD.__dict__, **params})
    assert rules.stage_for(age, changed) == stage


@pytest.mark.parametrize("age, grade_one", [(5, False), (6, True), (7, False), (None, False)])
def test_grade_one_entry(age: int | None, grade_one: bool) -> None:
    assert rules.enters_grade_one(age, STD) is grade_one


# -- reasons and the decision -----------------------------------------------------------------

def child(cid: int, birth: dt.date, name: str = "张小明", relation: str = "son") -> ChildFacts:
    return ChildFacts(cid, name, birth, relation)


@pytest.mark.parametrize("birth, passed, says", [
    (D(2020, 8, 31), True, ["按2026年8月31日计6周岁", "义务教育阶段（6至15周岁）", "本学年入学一年级"]),
    (D(2019, 8, 31), True, ["计7周岁", "义务教育阶段"]),
    (D(2020, 9, 1), True, ["计5周岁", "学前教育阶段（3周岁至未满6周岁）"]),
    (D(2023, 8, 31), True, ["计3周岁", "学前教育阶段"]),
    (D(2023, 9, 1), False, ["计2周岁", "未满学前教育入园年龄3周岁"]),
    (D(2011, 9, 1), True, ["计14周岁", "义务教育阶段"]),
    (D(2010, 9, 1), True, ["计15周岁", "义务教育阶段"]),
    (D(2010, 8, 31), False, ["计16周岁", "已超过义务教育年龄上限15周岁"]),
    (D(2026, 10, 1), False, ["2026年8月31日尚未出生"]),
])
def test_one_reason_per_child(birth: dt.date, passed: bool, says: list[str]) -> None:
    reason = rules.child_reason(child(7, birth), STD, 2026)
    assert reason.code == "child_7" and reason.passed is passed and reason.basis == B
    assert "随迁子女张小明（子，" in reason.text and "2026—2027学年" in reason.text
    for text in says:
        assert text in reason.text, reason.text
    if "本学年入学一年级" not in says:
        assert "一年级" not in reason.text


def test_an_empty_preschool_stage_leaves_no_gap() -> None:
    """Preschool from 8 but compulsory from 6: the preschool stage is empty, 5 is too young."""
    odd = AgeRules(preschool_min=8, compulsory_min=6, compulsory_max=15, cutoff="08-31")
    young = rules.child_reason(child(1, D(2021, 8, 31)), odd, 2026)  # 5 周岁
    assert not young.passed and "未满义务教育入学年龄6周岁" in young.text
    six = rules.child_reason(child(1, D(2020, 8, 31)), odd, 2026)
    assert six.passed and "义务教育阶段" in six.text


def test_no_child_is_one_failed_reason() -> None:
    decision = rules.decide([], STD, D(2026, 12, 4))
    assert decision.eligible is False
    assert [(r.code, r.passed, r.basis) for r in decision.reasons] == [("no_child", False, B)]
    assert "未登记随迁子女" in decision.reasons[0].text


def test_one_child_of_age_is_enough() -> None:
    kids = [child(1, D(2009, 1, 1), "王雪", "daughter"), child(2, D(2020, 3, 15)),
            child(3, D(2025, 11, 14), "陈一鸣")]
    decision = rules.decide(kids, STD, D(2026, 12, 4))
    assert decision.eligible is True
    assert [(r.code, r.passed) for r in decision.reasons] == [
        ("child_1", False), ("child_2", True), ("child_3", False)]
    assert "（女，2009年1月1日出生）" in decision.reasons[0].text


def test_no_child_of_age_is_ineligible() -> None:
    decision = rules.decide([child(1, D(2009, 1, 1)), child(2, D(2025, 11, 14))], STD,
                            D(2026, 12, 4))
    assert decision.eligible is False and len(decision.reasons) == 2


def test_the_school_year_turns_on_the_day_after_the_cut_off() -> None:
    toddler = [child(1, D(2023, 5, 1))]  # 2 on 2025-08-31, 3 on 2026-08-31
    assert rules.decide(toddler, STD, D(2026, 8, 31)).eligible is False
    assert rules.decide(toddler, STD, D(2026, 9, 1)).eligible is True
    teen = [child(1, D(2010, 5, 1))]  # 15 on 2025-08-31, 16 on 2026-08-31
    assert rules.decide(teen, STD, D(2026, 8, 31)).eligible is True
    assert rules.decide(teen, STD, D(2026, 9, 1)).eligible is False


# -- birth-date ranges for SQL ------------------------------------------------------------------

@pytest.mark.parametrize("day, n, latest", [
    (D(2026, 8, 31), 6, D(2020, 8, 31)),
    (D(2026, 8, 31), 0, D(2026, 8, 31)),
    (D(2026, 2, 28), 6, D(2020, 2, 29)),  # 2020-02-29 turns 6 on 2026-02-28
    (D(2028, 2, 29), 4, D(2024, 2, 29)),
    (D(2028, 2, 28), 4, D(2024, 2, 28)),
    (D(2025, 2, 28), 1, D(2024, 2, 29)),
])
def test_latest_birth_for_an_age(day: dt.date, n: int, latest: dt.date) -> None:
    assert rules.latest_birth_for_age(day, n) == latest
    assert age_on(latest, day) >= n
    assert latest + dt.timedelta(days=1) > day or age_on(latest + dt.timedelta(days=1), day) < n


CASES = [STD,
         AgeRules(3, 6, 15, "02-28"), AgeRules(3, 6, 15, "02-29"), AgeRules(0, 6, 15, "08-31"),
         AgeRules(2, 7, 14, "07-31"), AgeRules(8, 6, 15, "08-31"), AgeRules(3, 6, 5, "08-31")]


@pytest.mark.parametrize("age", CASES)
@pytest.mark.parametrize("year", [2016, 2023, 2026, 2027])
def test_ranges_are_exactly_the_births_that_pass(age: AgeRules, year: int) -> None:
    """Every birth date over twenty years: in a range ⟺ of a passing stage (per stage too)."""
    day = rules.cutoff_on(year, age.cutoff)
    births = [day - dt.timedelta(days=i) for i in range(-400, 20 * 366)]
    for stages in (("preschool", "compulsory"), ("preschool",), ("compulsory",)):
        ranges = rules.passing_birth_ranges(age, year, stages)
        for birth in births:
            in_range = any(lo <= birth <= hi for lo, hi in ranges)
            stage = rules.stage_for(rules.age_at_cutoff(birth, year, age.cutoff), age)
            assert in_range is (stage in stages), (age, year, stages, birth, stage)


def test_empty_stages_give_no_range() -> None:
    assert rules.passing_birth_ranges(AgeRules(6, 6, 15, "08-31"), 2026, ("preschool",)) == []
    assert rules.passing_birth_ranges(AgeRules(3, 6, 5, "08-31"), 2026, ("compulsory",)) == []


def test_ranges_for_the_standard_values() -> None:
    assert rules.passing_birth_ranges(STD, 2026) == [
        (D(2020, 9, 1), D(2023, 8, 31)), (D(2010, 9, 1), D(2020, 8, 31))]
