"""Official holiday arrangements entered by an admin (DESIGN §3, working days)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, String
from sqlalchemy.orm import Mapped, mapped_column

from core.db import db


class CalendarDay(db.Model):
    __tablename__ = "calendar_day"

    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    workday: Mapped[bool] = mapped_column(Boolean)
    name: Mapped[str] = mapped_column(String(50))
    # Where the arrangement was published (e.g. 国办发明电〔2026〕x号).
    source: Mapped[str | None] = mapped_column(String(255))
