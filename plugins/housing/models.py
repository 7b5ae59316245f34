"""住房保障's own tables (prefixed ``housing_``; DESIGN §1).

``housing_facts`` is a dated history: each row is what the department knew about a holder's
housing, income and employment from ``recorded_on`` on; a correction is a new row, never an
edit, so a decision on any past day can be replayed. ``housing_application`` is the register
of 公共租赁住房 applications, each with the 第十八条（四） decision on the day it was made.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import (JSON, Boolean, CheckConstraint, Date, DateTime, ForeignKey, Index,
                        Integer, Numeric, String, func)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core import api

#: 申请状态 → Chinese name, in the order an application moves.
STATUSES = {
    "accepted": "已受理",
    "reviewing": "审核中",
    "waiting": "轮候",
    "allocated": "已配租",
    "rejected": "不予配租",
}
#: Statuses that carry a decision date (审核结论).
DECIDED = ("waiting", "allocated", "rejected")
#: Statuses of an application still being handled (a second one for the holder is a conflict).
OPEN = ("accepted", "reviewing", "waiting")


class HousingFacts(api.db.Model):
    """住房情况: housing, income and employment of one holder, as known from ``recorded_on``."""

    __tablename__ = "housing_facts"
    __table_args__ = (
        CheckConstraint("housing_area_sqm IS NULL OR housing_area_sqm >= 0",
                        name="housing_area_sqm"),
        CheckConstraint("insurance_months IS NULL OR insurance_months >= 0",
                        name="insurance_months"),
        CheckConstraint("monthly_income IS NULL OR monthly_income >= 0", name="monthly_income"),
        Index("housing_facts_holder_recorded", "holder_id", "recorded_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    holder_id: Mapped[int] = mapped_column(ForeignKey("holder.id"))
    recorded_on: Mapped[dt.date] = mapped_column(Date)
    # NULL everywhere below means "not recorded" (未登记), never "no".
    owns_housing_in_county: Mapped[bool | None] = mapped_column(Boolean)
    # 人均住房建筑面积 of the housing owned in the county, square metres per household member.
    housing_area_sqm: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    # Months of social insurance paid in the county (在本县缴纳社会保险月数).
    insurance_months: Mapped[int | None] = mapped_column(Integer)
    employed: Mapped[bool | None] = mapped_column(Boolean)
    # 家庭人均月收入, yuan per household member.
    monthly_income: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())

    holder = relationship("Holder")
    recorded_by = relationship("User")

    def __str__(self) -> str:
        return f"{self.holder.name if self.holder else self.holder_id}（{self.recorded_on}登记）"


class HousingApplication(api.db.Model):
    """公租房申请 register, with the 第十八条（四） decision on ``applied_on``."""

    __tablename__ = "housing_application"
    __table_args__ = (
        CheckConstraint("household_size >= 1", name="household_size"),
        CheckConstraint("status IN ('accepted', 'reviewing', 'waiting', 'allocated', 'rejected')",
                        name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    holder_id: Mapped[int] = mapped_column(ForeignKey("holder.id"), index=True)
    applied_on: Mapped[dt.date] = mapped_column(Date, index=True)
    household_size: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(10), index=True)
    decided_on: Mapped[dt.date | None] = mapped_column(Date)
    # The 第十八条（四） check's decision on applied_on (the three conditions of 第七条):
    # eligible, and the codes of the failed reasons ("housing", "income", "employment").
    eligible: Mapped[bool] = mapped_column(Boolean)
    failed_reasons: Mapped[list[str]] = mapped_column(JSON)
    note: Mapped[str | None] = mapped_column(String(255))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())

    holder = relationship("Holder")
    recorded_by = relationship("User")

    def __str__(self) -> str:
        return f"公租房申请 {self.id}"
