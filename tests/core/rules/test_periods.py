from __future__ import annotations

import calendar
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.rules import RuleError, add_months, add_years, age_on

DATES = st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31))


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (date(2025, 8, 31), 6, date(2026, 2, 28)),  # DESIGN §3: no 31st → month's last day
        (date(2026, 1, 10), 6, date(2026, 7, 10)),  # DESIGN §3: corresponding day
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2023, 1, 31), 1, date(2023, 2, 28)),
        (date(2025, 3, 31), 1, date(2025, 4, 30)),
        (date(2024, 12, 15), 1, date(2025, 1, 15)),
        (date(2025, 1, 31), 13, date(2026, 2, 28)),
        (date(2026, 1, 1), 0, date(2026, 1, 1)),
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
        (date(2026, 1, 15), -1, date(2025, 12, 15)),
        (date(2026, 5, 31), -12, date(2025, 5, 31)),
        (date(2024, 8, 31), -6, date(2024, 2, 29)),
    ],
)
def test_add_months(start: date, n: int, expected: date) -> None:
    assert add_months(start, n) == expected


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (date(2024, 2, 29), 1, date(2025, 2, 28)),  # DESIGN §3
        (date(2024, 2, 29), 4, date(2028, 2, 29)),
        (date(2024, 2, 29), -1, date(2023, 2, 28)),
        (date(2024, 2, 29), -4, date(2020, 2, 29)),
        (date(2026, 1, 15), 1, date(2027, 1, 15)),
        (date(2027, 1, 15), 1, date(2028, 1, 15)),
        (date(2026, 12, 31), 1, date(2027, 12, 31)),
    ],
)
def test_add_years(start: date, n: int, expected: date) -> None:
    assert add_years(start, n) == expected


@pytest.mark.parametrize(("start", "n"), [(date(9999, 12, 1), 1), (date(1, 1, 1), -1)])
def test_out_of_range(start: date, n: int) -> None:
    with pytest.raises(RuleError) as info:
        add_months(start, n)
    assert info.value.code == "date_out_of_range"


@pytest.mark.parametrize(
    ("birth", "as_of", "age"),
    [
        (date(2010, 6, 15), date(2026, 6, 14), 15),
        (date(2010, 6, 15), date(2026, 6, 15), 16),  # 满16周岁 on the birthday itself
        (date(2010, 6, 15), date(2026, 6, 16), 16),
        (date(2000, 2, 29), date(2001, 2, 27), 0),
        (date(2000, 2, 29), date(2001, 2, 28), 1),  # 02-29 births: older on 02-28 of common years
        (date(2000, 2, 29), date(2003, 2, 28), 3),
        (date(2000, 2, 29), date(2004, 2, 28), 3),  # leap year: the 29th exists
        (date(2000, 2, 29), date(2004, 2, 29), 4),
        (date(1990, 1, 1), date(1990, 1, 1), 0),
        (date(1990, 12, 31), date(2026, 1, 1), 35),
    ],
)
def test_age_on(birth: date, as_of: date, age: int) -> None:
    assert age_on(birth, as_of) == age


def test_age_before_birth_is_refused() -> None:
    with pytest.raises(RuleError) as info:
        age_on(date(2026, 1, 2), date(2026, 1, 1))
    assert (info.value.field, info.value.code) == ("birth_date", "birth_date_after_as_of")


@settings(max_examples=200, deadline=None, database=None)
@given(d=DATES, n=st.integers(min_value=-1200, max_value=1200))
def test_add_months_is_the_corresponding_day_or_the_last(d: date, n: int) -> None:
    result = add_months(d, n)
    assert (result.year * 12 + result.month) - (d.year * 12 + d.month) == n
    last = calendar.monthrange(result.year, result.month)[1]
    assert result.day == min(d.day, last)


@settings(max_examples=200, deadline=None, database=None)
@given(birth=DATES, days=st.integers(min_value=0, max_value=40000))
def test_age_grows_by_at_most_one_per_day(birth: date, days: int) -> None:
    as_of = birth + timedelta(days=days)
    age = age_on(birth, as_of)
    assert age >= 0
    assert add_years(birth, age) <= as_of < add_years(birth, age + 1)
