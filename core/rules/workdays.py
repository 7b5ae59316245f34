"""Working days, for the "N 个工作日内" deadlines (《办法》第十条; 居住证暂行条例第九条).

Which days are working days is decided, in order, by:

1. the official arrangement an admin entered (:class:`OfficialCalendar`) — once a year has
   any entry, that year is official: unlisted days follow the weekend rule;
2. the ``chinese_calendar`` package (the State Council arrangements it ships; it raises
   ``NotImplementedError`` for years it does not cover, so its range is never hard-coded);
3. a statutory fallback: the holidays of 全国年节及纪念日放假办法 (2024 revision, 第二条)
   plus Saturdays and Sundays, without the yearly 调休 or 补假 that only the State Council's
   notice fixes. Answers that relied on it are ``provisional``.

Counting follows 民法典 第二百零一条: the day of the event is not counted.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property, lru_cache
from types import MappingProxyType
from typing import Literal

import chinese_calendar
from chinese_calendar.constants import Holiday
from lunardate import LunarDate

from .errors import RuleError

__all__ = [
    "OfficialCalendar",
    "DayInfo",
    "Deadline",
    "day_info",
    "statutory_holidays",
    "add_working_days",
    "is_on_time",
]

Source = Literal["official", "chinese_calendar", "statutory_fallback"]
HOLIDAY_LAW = "全国年节及纪念日放假办法第二条"


@dataclass(frozen=True)
class OfficialCalendar:
    """The official holiday arrangement an admin entered: date → (is_workday, Chinese name)."""

    days: Mapping[date, tuple[bool, str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # Read-only copy: one calendar is shared by every computation of a request.
        object.__setattr__(self, "days", MappingProxyType(dict(self.days)))

    @classmethod
    def empty(cls) -> OfficialCalendar:
        return cls({})

    @cached_property
    def years(self) -> frozenset[int]:
        """Years the admin has entered at all; each of them counts as fully official."""
        return frozenset(d.year for d in self.days)


@dataclass(frozen=True)
class DayInfo:
    """Whether one day is a working day, and who says so."""

    day: date
    workday: bool
    source: Source
    name: str | None
    provisional: bool


@dataclass(frozen=True)
class Deadline:
    """The last day of a working-day period; provisional if the fallback was consulted."""

    deadline: date
    provisional: bool


@lru_cache(maxsize=256)
def _statutory_holidays(year: int) -> Mapping[date, str]:
    try:
        new_year = LunarDate(year, 1, 1).to_solar_date()
        dragon_boat = LunarDate(year, 5, 5).to_solar_date()
        mid_autumn = LunarDate(year, 8, 15).to_solar_date()
        qingming = [
            d for d, term in chinese_calendar.get_solar_terms(date(year, 4, 1), date(year, 4, 30))
            if term == "清明"
        ]
    except (ValueError, NotImplementedError) as exc:
        # Both libraries stop around 2100; a date that far out is an input error.
        raise RuleError(
            field="day",
            code="calendar_unsupported",
            message=f"无法计算{year}年的法定节假日（{HOLIDAY_LAW}）",
            basis=HOLIDAY_LAW,
        ) from exc
    days: dict[date, str] = {}

    def add(d: date, name: str) -> None:
        # 中秋 can fall on 10-01…10-03 (2028): one day off, both names.
        days[d] = f"{days[d]}、{name}" if d in days else name

    add(date(year, 1, 1), "元旦")
    # 春节 runs from 除夕 — the last day of lunar month 12, the 29th or the 30th, i.e. the
    # day before 正月初一 — to 正月初三.
    for offset in range(-1, 3):
        add(new_year + timedelta(days=offset), "春节")
    for d in qingming:
        add(d, "清明节")
    add(date(year, 5, 1), "劳动节")
    add(date(year, 5, 2), "劳动节")
    add(dragon_boat, "端午节")
    add(mid_autumn, "中秋节")
    for day in (1, 2, 3):
        add(date(year, 10, day), "国庆节")
    return MappingProxyType(days)


def statutory_holidays(year: int) -> Mapping[date, str]:
    """The statutory holidays of a year (全国年节及纪念日放假办法, 2024 revision, 第二条).

    元旦 1 day; 春节 4 days (除夕 to 正月初三); 清明 1 day (the solar term); 劳动节 5/1–5/2;
    端午 (lunar 5/5); 中秋 (lunar 8/15); 国庆 10/1–10/3 — 13 days, 12 when 中秋 falls on
    国庆. 第六条's 补假 for a holiday on a weekend is not modelled: the law does not say which
    working day it is. Years before 2004 (not in chinese_calendar) get these same rules,
    not the older versions of the law; answers for them are provisional like any fallback.
    """
    return _statutory_holidays(year)


def _chinese_calendar_name(raw: str | None, workday: bool) -> str | None:
    if raw is None:
        return None
    try:
        name = Holiday(raw).chinese
    except ValueError:
        name = raw
    return f"{name}（调休上班）" if workday else name


@lru_cache(maxsize=8192)
def _package_day(d: date) -> tuple[bool, str | None] | None:
    """chinese_calendar's answer for ``d``, or None for a year it does not cover. Cached: the
    package scans its whole table for every date it is asked (a bulk import asks each
    arrival's next days), and its answer for a date never changes within a process."""
    try:
        return chinese_calendar.get_holiday_detail(d)
    except NotImplementedError:
        return None


def day_info(d: date, official: OfficialCalendar | None = None) -> DayInfo:
    """Whether ``d`` is a working day: official entry, then chinese_calendar, then fallback."""
    if official is not None and d.year in official.years:
        entry = official.days.get(d)
        if entry is not None:
            return DayInfo(d, entry[0], "official", entry[1], False)
        return DayInfo(d, d.weekday() < 5, "official", None, False)
    known = _package_day(d)
    if known is not None:
        is_holiday, raw = known
        return DayInfo(d, not is_holiday, "chinese_calendar",
                       _chinese_calendar_name(raw, not is_holiday), False)
    name = statutory_holidays(d.year).get(d)
    return DayInfo(d, name is None and d.weekday() < 5, "statutory_fallback", name, True)


def add_working_days(start: date, n: int, official: OfficialCalendar | None = None) -> Deadline:
    """The Nth working day after ``start`` — the deadline of "自 start 起 N 个工作日内".

    The start day is not counted (民法典 第二百零一条); weekends and holidays are skipped and
    adjusted working weekends (调休) count. E.g. 2026-09-30, n=5 → 2026-10-13. The result is
    ``provisional`` when any day examined came from the statutory fallback. ``n`` ≥ 1.
    """
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise RuleError(
            field="n",
            code="n_out_of_range",
            message="工作日数应为不小于1的整数（民法典第二百零一条）",
            basis="民法典第二百零一条",
        )
    day, counted, provisional = start, 0, False
    while counted < n:
        day += timedelta(days=1)
        info = day_info(day, official)
        provisional = provisional or info.provisional
        if info.workday:
            counted += 1
    return Deadline(day, provisional)


def is_on_time(
    event_day: date, done_on: date, n: int, official: OfficialCalendar | None = None
) -> tuple[bool, Deadline]:
    """Whether something due within ``n`` working days of ``event_day`` was done on time.

    Done on the deadline itself is on time (内 includes the last day). Used for 《办法》第十条:
    registration within 5 working days of arrival, third-party reports within 5 working days
    of the contract.
    """
    deadline = add_working_days(event_day, n, official)
    return done_on <= deadline.deadline, deadline

