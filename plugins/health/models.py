"""The health department's own table: the service log (服务记录) of 《办法》第十八条（六）.

Each row is one basic public health or family-planning service given to a holder, and whether
it was free under 第十八条（六）: ``free`` is decided when the row is written, from the
holder's permit on the day served (valid → free), and kept as it was decided.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (Boolean, CheckConstraint, Date, DateTime, ForeignKey, String, func)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core import api

from .rules import SERVICES

_CODES = ", ".join(f"'{code}'" for code in SERVICES)


class HealthService(api.db.Model):
    """服务记录: one service given to one holder on one day."""

    __tablename__ = "health_service"
    __table_args__ = (CheckConstraint(f"service IN ({_CODES})", name="service"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    holder_id: Mapped[int] = mapped_column(ForeignKey("holder.id"), index=True)
    service: Mapped[str] = mapped_column(String(32))
    served_on: Mapped[dt.date] = mapped_column(Date, index=True)
    provider: Mapped[str] = mapped_column(String(100))  # e.g. 丹凤街道社区卫生服务中心
    free: Mapped[bool] = mapped_column(Boolean)
    note: Mapped[str | None] = mapped_column(String(255))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())

    holder = relationship("Holder")
    recorded_by = relationship("User")
