"""The official calendar as the working-day rule wants it, read from CalendarDay rows."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.models import CalendarDay
from core.rules import OfficialCalendar


def official_calendar(session: Session) -> OfficialCalendar:
    """Admin-entered official days (a few dozen rows a year): outranks chinese-calendar."""
    rows = session.execute(select(CalendarDay.day, CalendarDay.workday, CalendarDay.name))
    return OfficialCalendar(days={d: (w, n) for d, w, n in rows})
