"""Periods of months and years, as 民法典 第二百零一条、第二百零二条 count them.

民法典 第二百零一条: a period counted in years or months starts the day after the event (the
start day is not counted). 第二百零二条: it ends on the corresponding day of its last month,
or on that month's last day when the month has no corresponding day. So the period's last
day is simply "the same day N months on, clipped to the month's end"; a condition "满 N"
(at least N) is met on that last day, because 以上 includes the bound (第一千二百五十九条).
"""

from __future__ import annotations

import calendar
from datetime import date

from .errors import RuleError, zh_date

__all__ = ["add_months", "add_years", "age_on"]


def add_months(d: date, n: int) -> date:
    """The last day of a period of ``n`` months starting the day after ``d``.

    民法典 第二百零二条: the corresponding day, or the month's last day when there is none
    (2025-08-31 + 6 months → 2026-02-28). Negative ``n`` counts back by the same rule
    (2026-03-31 − 1 month → 2026-02-28), which is what "N months before" means in a notice.
    """
    months = d.year * 12 + (d.month - 1) + n
    year, month0 = divmod(months, 12)
    month = month0 + 1
    if not 1 <= year <= 9999:
        raise RuleError(
            field="date",
            code="date_out_of_range",
            message=f"日期超出可计算范围：{zh_date(d)}加{n}个月（民法典第二百零二条）",
            basis="民法典第二百零二条",
        )
    last = calendar.monthrange(year, month)[1]
    return date(year, month, min(d.day, last))


def add_years(d: date, n: int) -> date:
    """The last day of a period of ``n`` years starting the day after ``d``.

    民法典 第二百零二条: a year is twelve months, so 2024-02-29 + 1 year → 2025-02-28
    (February 2025 has no 29th: its last day ends the period). Negative ``n`` likewise.
    """
    return add_months(d, 12 * n)


def age_on(birth: date, as_of: date) -> int:
    """Full years of age (周岁) on ``as_of``.

    A person is N 周岁 from the last day of the N-year period that starts the day after
    birth (民法典 第二百零一条、第二百零二条; 以上 includes the bound, 第一千二百五十九条), i.e.
    from the Nth birthday. Someone born on 02-29 therefore turns a year older on 02-28 in a
    common year (the corresponding-day rule), not on 03-01. (The criminal-law reading "from
    the day after the birthday" is a special rule of 刑法 and does not apply to 《办法》.)

    Raises :class:`RuleError` (field ``birth_date``) when ``birth`` is after ``as_of``.
    """
    if birth > as_of:
        raise RuleError(
            field="birth_date",
            code="birth_date_after_as_of",
            message=f"出生日期{zh_date(birth)}晚于计算日{zh_date(as_of)}，无法计算周岁",
            basis="民法典第二百零一条",
        )
    years = as_of.year - birth.year
    # The birthday this year may not have come yet (or be clipped to 02-28).
    if add_years(birth, years) > as_of:
        years -= 1
    return years
