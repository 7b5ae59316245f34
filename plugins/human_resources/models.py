"""The tables of 人力资源和社会保障 (prefixed ``human_resources_``; DESIGN §1).

Employment records say who employs a holder and whether the employer pays social insurance
(第十八条（二）); the training register records vocational training and public employment
services given to holders (第十八条（七）（八）).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, CheckConstraint, Date, DateTime, ForeignKey, String, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core import api

P = "human_resources_"


class Employment(api.db.Model):
    """就业登记: one employment of a holder; ``ended_on`` NULL while it lasts."""

    __tablename__ = P + "employment"
    __table_args__ = (
        CheckConstraint("ended_on IS NULL OR ended_on >= started_on", name="dates"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    holder_id: Mapped[int] = mapped_column(ForeignKey("holder.id"), index=True)
    employer: Mapped[str] = mapped_column(String(100))
    # 统一社会信用代码 (GB 32100-2015), when the clerk has it.
    credit_code: Mapped[str | None] = mapped_column(String(18))
    started_on: Mapped[dt.date] = mapped_column(Date)
    ended_on: Mapped[dt.date | None] = mapped_column(Date)  # the last day employed
    insured: Mapped[bool] = mapped_column(Boolean)  # the employer pays social insurance
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    holder = relationship("Holder")
    recorded_by = relationship("User")


class Training(api.db.Model):
    """培训与就业服务: a vocational training or public employment service given on a day."""

    __tablename__ = P + "training"
    __table_args__ = (
        CheckConstraint(
            "kind IN ('skills_training', 'job_guidance', 'job_referral', 'exam_registration')",
            name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    holder_id: Mapped[int] = mapped_column(ForeignKey("holder.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    on: Mapped[dt.date] = mapped_column(Date)
    provider: Mapped[str] = mapped_column(String(100))
    note: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    holder = relationship("Holder")
    recorded_by = relationship("User")
