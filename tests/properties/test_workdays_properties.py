"""Properties of working-day deadlines (core/rules/workdays.py, 《办法》第十条)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from core.rules import OfficialCalendar, RuleError, add_working_days, day_info, is_on_time

from .strategies import DATES

PROFILE = settings.get_profile("juzhu-properties")
N = st.integers(1, 40)


@st.composite
def calendars(draw: st.DrawFn) -> OfficialCalendar | None:
    """No official arrangement, or an admin-entered one for a year near the start dates
    (any entries: the properties must hold whatever the State Council decides)."""
    if draw(st.booleans()):
        return None
    year = draw(st.integers(2024, 2030))
    days = draw(st.dictionaries(
        st.dates(min_value=dt.date(year, 1, 1), max_value=dt.date(year, 12, 31)),
        st.tuples(st.booleans(), st.sampled_from(["春节", "国庆节", "调休上班"])), max_size=25))
    return OfficialCalendar(days)


# Dates in and around the years chinese-calendar covers, and far from them (fallback).
STARTS = st.one_of(st.dates(min_value=dt.date(2023, 6, 1), max_value=dt.date(2031, 6, 30)),
                   DATES)


@settings(PROFILE)
@given(STARTS, N, calendars())
def test_deadline_is_a_working_day_after_the_start(start: dt.date, n: int,
                                                   official: OfficialCalendar | None) -> None:
    result = add_working_days(start, n, official)
    assert result.deadline > start
    assert day_info(result.deadline, official).workday
    # exactly n working days in (start, deadline]
    days = [start + dt.timedelta(days=i) for i in range(1, (result.deadline - start).days + 1)]
    assert sum(day_info(d, official).workday for d in days) == n
    assert result.provisional == any(day_info(d, official).provisional for d in days)


@settings(PROFILE)
@given(STARTS, N, N, calendars())
def test_n_then_m_equals_n_plus_m(start: dt.date, n: int, m: int,
                                  official: OfficialCalendar | None) -> None:
    first = add_working_days(start, n, official)
    second = add_working_days(first.deadline, m, official)
    both = add_working_days(start, n + m, official)
    assert second.deadline == both.deadline
    assert (first.provisional or second.provisional) == both.provisional


@settings(PROFILE)
@given(STARTS, st.integers(0, 60), N, calendars())
def test_deadline_is_monotone_in_the_start(start: dt.date, later_by: int, n: int,
                                           official: OfficialCalendar | None) -> None:
    later = start + dt.timedelta(days=later_by)
    assert add_working_days(start, n, official).deadline \
        <= add_working_days(later, n, official).deadline
    assert add_working_days(start, n, official).deadline \
        < add_working_days(start, n + 1, official).deadline


@settings(PROFILE)
@given(STARTS, N, st.integers(-10, 10))
def test_on_time_is_on_or_before_the_deadline(start: dt.date, n: int, offset: int) -> None:
    deadline = add_working_days(start, n).deadline
    on_time, returned = is_on_time(start, deadline + dt.timedelta(days=offset), n)
    assert returned.deadline == deadline
    assert on_time == (offset <= 0)


@settings(PROFILE, max_examples=100)
@given(STARTS, st.one_of(st.integers(max_value=0), st.just(True), st.floats(), st.text()))
def test_a_bad_count_is_a_rule_error(start: dt.date, n: object) -> None:
    with pytest.raises(RuleError) as err:
        add_working_days(start, n)  # type: ignore[arg-type]
    assert err.value.field == "n" and "民法典第二百零一条" in err.value.message


def test_the_example_of_design_section_3() -> None:
    assert add_working_days(dt.date(2026, 9, 30), 5).deadline == dt.date(2026, 10, 13)
