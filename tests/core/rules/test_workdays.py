from __future__ import annotations

from datetime import date, timedelta

import chinese_calendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lunardate import LunarDate

from core.rules import (
    DayInfo,
    Deadline,
    OfficialCalendar,
    RuleError,
    add_working_days,
    day_info,
    is_on_time,
    statutory_holidays,
)

# --- add_working_days ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "n", "expected", "provisional"),
    [
        # DESIGN §3: arrival 2026-09-30 → 国庆/中秋 10-01…10-07, 10-10 (Sat) is a 调休 workday.
        (date(2026, 9, 30), 5, date(2026, 10, 13), False),
        (date(2026, 12, 1), 1, date(2026, 12, 2), False),  # plain weekday
        (date(2026, 12, 4), 1, date(2026, 12, 7), False),  # Friday → Monday
        (date(2026, 12, 5), 1, date(2026, 12, 7), False),  # from a Saturday
        (date(2026, 12, 4), 5, date(2026, 12, 11), False),
        # Fallback years: provisional.
        (date(2027, 2, 4), 1, date(2027, 2, 9), True),  # 除夕 2-5 (Fri) … 初三 2-8 (Mon)
        (date(2030, 9, 30), 5, date(2030, 10, 10), True),  # 国庆 10-01…10-03 only
        # Crossing into a fallback year makes the answer provisional.
        (date(2026, 12, 30), 5, date(2027, 1, 7), True),
        # Only the days examined matter: a deadline inside 2026 stays firm.
        (date(2026, 12, 28), 2, date(2026, 12, 30), False),
    ],
)
def test_add_working_days(start: date, n: int, expected: date, provisional: bool) -> None:
    assert add_working_days(start, n) == Deadline(expected, provisional)


@pytest.mark.parametrize("n", [0, -1, True, 1.5])
def test_n_must_be_at_least_one(n: object) -> None:
    with pytest.raises(RuleError) as info:
        add_working_days(date(2026, 1, 5), n)  # type: ignore[arg-type]
    assert (info.value.field, info.value.code) == ("n", "n_out_of_range")


@pytest.mark.parametrize(
    ("done_on", "on_time"),
    [(date(2026, 10, 1), True), (date(2026, 10, 13), True), (date(2026, 10, 14), False)],
)
def test_is_on_time(done_on: date, on_time: bool) -> None:
    ok, deadline = is_on_time(date(2026, 9, 30), done_on, 5)
    assert ok is on_time
    assert deadline == Deadline(date(2026, 10, 13), False)


# --- day_info: sources in order --------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "workday", "name"),
    [
        (date(2026, 10, 1), False, "国庆节"),
        (date(2026, 10, 10), True, "国庆节（调休上班）"),
        (date(2026, 12, 5), False, None),  # ordinary Saturday
        (date(2026, 12, 7), True, None),
    ],
)
def test_chinese_calendar_years(day: date, workday: bool, name: str | None) -> None:
    assert day_info(day) == DayInfo(day, workday, "chinese_calendar", name, False)


@pytest.mark.parametrize(
    ("day", "workday", "name"),
    [
        (date(2027, 1, 1), False, "元旦"),
        (date(2027, 2, 5), False, "春节"),  # 除夕 = lunar 12/29 (a short month)
        (date(2027, 2, 8), False, "春节"),  # 正月初三
        (date(2027, 2, 9), True, None),  # 初四: no 调休 in the fallback
        (date(2027, 2, 4), True, None),
        (date(2030, 2, 1), True, None),
        (date(2030, 2, 2), False, "春节"),  # 除夕 = lunar 12/30
        (date(2030, 2, 5), False, "春节"),
        (date(2030, 2, 6), True, None),
        (date(2027, 5, 3), True, None),  # 劳动节 is two days only
        (date(2027, 10, 4), True, None),  # 国庆 is three days only (10-04 is a Monday)
        (date(2027, 2, 13), False, None),  # plain Saturday
    ],
)
def test_fallback_years(day: date, workday: bool, name: str | None) -> None:
    assert day_info(day) == DayInfo(day, workday, "statutory_fallback", name, True)


@pytest.mark.parametrize("year", [2027, 2030, 2045, 2099])
def test_statutory_holidays_follow_the_law(year: int) -> None:
    days = statutory_holidays(year)
    assert len(days) == 13  # 2024 revision: 1+4+1+2+1+1+3
    new_year = LunarDate(year, 1, 1).to_solar_date()
    eve = new_year - timedelta(days=1)
    # 除夕 is the last day of lunar month 12, whether the 29th or the 30th.
    assert LunarDate.from_solar_date(eve.year, eve.month, eve.day).month == 12
    assert [d for d, n in sorted(days.items()) if n == "春节"] == [
        eve + timedelta(days=i) for i in range(4)
    ]
    assert LunarDate(year, 5, 5).to_solar_date() in days
    assert LunarDate(year, 8, 15).to_solar_date() in days
    (qingming,) = [d for d, n in days.items() if n == "清明节"]
    assert (qingming, "清明") in chinese_calendar.get_solar_terms(qingming, qingming)
    for fixed in [(1, 1), (5, 1), (5, 2), (10, 1), (10, 2), (10, 3)]:
        assert date(year, *fixed) in days


def test_mid_autumn_on_national_day_is_one_day_with_both_names() -> None:
    days = statutory_holidays(2028)
    assert LunarDate(2028, 8, 15).to_solar_date() == date(2028, 10, 3)
    assert len(days) == 12
    assert days[date(2028, 10, 3)] == "中秋节、国庆节"


def test_fallback_agrees_with_chinese_calendar_on_core_holidays() -> None:
    # In covered years every statutory holiday is an official day off (2025: first year of
    # the 2024 revision).
    for year in (2025, 2026):
        for day in statutory_holidays(year):
            assert not chinese_calendar.is_workday(day), day


def test_unsupported_years_are_a_rule_error() -> None:
    with pytest.raises(RuleError) as info:
        day_info(date(2101, 1, 3))
    assert info.value.code == "calendar_unsupported"


def test_fallback_when_chinese_calendar_has_no_data(monkeypatch: pytest.MonkeyPatch) -> None:
    # The package's range is not hard-coded: whatever it refuses goes to the fallback.
    def refuse(day: date) -> tuple[bool, str | None]:
        raise NotImplementedError("no data")

    from core.rules.workdays import _package_day

    monkeypatch.setattr(chinese_calendar, "get_holiday_detail", refuse)
    _package_day.cache_clear()  # answers cached by earlier tests were the real package's
    try:
        info = day_info(date(2026, 10, 10))  # a 调休 Saturday officially
        assert info == DayInfo(date(2026, 10, 10), False, "statutory_fallback", None, True)
        assert add_working_days(date(2026, 9, 30), 5) == Deadline(date(2026, 10, 9), True)
    finally:
        _package_day.cache_clear()  # later tests ask the real package again


# --- the admin-entered official arrangement comes first -----------------------------------


def test_official_entry_overrides_chinese_calendar() -> None:
    official = OfficialCalendar({date(2026, 10, 8): (False, "国庆节（县里补休）")})
    assert day_info(date(2026, 10, 8), official) == DayInfo(
        date(2026, 10, 8), False, "official", "国庆节（县里补休）", False
    )
    # The admin entered 2026, so 2026 is fully official: unlisted days follow the weekend
    # rule — 10-01 (Thu) is then a plain working day and 10-10 (Sat) a day off.
    assert day_info(date(2026, 10, 1), official).workday is True
    assert day_info(date(2026, 10, 10), official).workday is False
    assert add_working_days(date(2026, 10, 6), 2, official) == Deadline(date(2026, 10, 9), False)


def test_official_entries_override_the_fallback() -> None:
    official = OfficialCalendar(
        {
            date(2027, 2, 5): (False, "春节"),
            date(2027, 2, 8): (False, "春节"),
            date(2027, 2, 9): (False, "春节"),
            date(2027, 2, 20): (True, "春节（调休上班）"),  # a Saturday
        }
    )
    assert official.years == frozenset({2027})
    assert day_info(date(2027, 2, 20), official) == DayInfo(
        date(2027, 2, 20), True, "official", "春节（调休上班）", False
    )
    # 2027-01-01 is not listed: once a year is entered, the fallback no longer applies.
    assert day_info(date(2027, 1, 1), official) == DayInfo(
        date(2027, 1, 1), True, "official", None, False
    )
    assert add_working_days(date(2027, 2, 4), 1, official) == Deadline(date(2027, 2, 10), False)
    # Other years are untouched.
    assert day_info(date(2028, 1, 1), official).source == "statutory_fallback"


def test_empty_official_calendar() -> None:
    empty = OfficialCalendar.empty()
    assert empty.years == frozenset()
    assert day_info(date(2026, 10, 1), empty).source == "chinese_calendar"
    with pytest.raises(TypeError):
        empty.days[date(2026, 1, 1)] = (True, "x")  # type: ignore[index]


# --- properties ----------------------------------------------------------------------------


@settings(max_examples=150, deadline=None, database=None)
@given(
    start=st.dates(min_value=date(2004, 1, 1), max_value=date(2040, 12, 31)),
    n=st.integers(min_value=1, max_value=30),
)
def test_deadline_is_a_later_working_day(start: date, n: int) -> None:
    result = add_working_days(start, n)
    info = day_info(result.deadline)
    assert info.workday
    assert result.deadline - start >= timedelta(days=n)
    # Exactly n working days in (start, deadline].
    days = [start + timedelta(days=i) for i in range(1, (result.deadline - start).days + 1)]
    infos = [day_info(d) for d in days]
    assert sum(i.workday for i in infos) == n
    assert result.provisional == any(i.provisional for i in infos)
