"""司法行政's own tables (prefixed ``justice_``; DESIGN §1).

``justice_means`` is a dated history of a holder's economic situation (家庭人均月收入): each row
is what the department knew from ``recorded_on`` on; a correction is a new row. The register
``justice_aid_application`` holds legal-aid applications with the matter applied for and the
decision of the day (《法律援助法》第三十一条、第三十二条).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import (Boolean, CheckConstraint, Date, DateTime, ForeignKey, Index, Numeric,
                        String, func)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core import api

#: 办理状态 → Chinese name.
STATUSES = {
    "accepted": "已受理",
    "granted": "给予法律援助",
    "refused": "不予法律援助",
}
#: Statuses that carry a decision date (《法律援助法》第四十三条: 审查后作出决定).
DECIDED = ("granted", "refused")


class JusticeMeans(api.db.Model):
    """经济状况: a holder's household income per person, as known from ``recorded_on``."""

    __tablename__ = "justice_means"
    __table_args__ = (
        CheckConstraint("monthly_income_per_person IS NULL OR monthly_income_per_person >= 0",
                        name="monthly_income_per_person"),
        Index("justice_means_holder_recorded", "holder_id", "recorded_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    holder_id: Mapped[int] = mapped_column(ForeignKey("holder.id"))
    recorded_on: Mapped[dt.date] = mapped_column(Date)
    # 家庭人均月收入 in yuan; NULL: not recorded (未登记), never "no income".
    monthly_income_per_person: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())

    holder = relationship("Holder")
    recorded_by = relationship("User")

    def __str__(self) -> str:
        return f"{self.holder.name if self.holder else self.holder_id}（{self.recorded_on}登记）"


class JusticeAidApplication(api.db.Model):
    """法律援助申请: the matter, whether it is exempt from the means test, the decision of
    ``applied_on``, and how the application was handled."""

    __tablename__ = "justice_aid_application"
    __table_args__ = (
        CheckConstraint("status IN ('accepted', 'granted', 'refused')", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    holder_id: Mapped[int] = mapped_column(ForeignKey("holder.id"), index=True)
    applied_on: Mapped[dt.date] = mapped_column(Date, index=True)
    matter: Mapped[str] = mapped_column(String(30))  # a code of rules.MATTERS
    # 第三十二条: the matter needs no economic-hardship test (derived from the matter).
    means_test_exempt: Mapped[bool] = mapped_column(Boolean)
    # Exempt matter OR economic hardship on applied_on (rules.application_decision).
    eligible: Mapped[bool] = mapped_column(Boolean)
    status: Mapped[str] = mapped_column(String(10), index=True)
    decided_on: Mapped[dt.date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(String(255))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())

    holder = relationship("Holder")
    recorded_by = relationship("User")

    def __str__(self) -> str:
        return f"法律援助申请 {self.id}"
