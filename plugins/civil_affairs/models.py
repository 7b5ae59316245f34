"""The tables of 民政 (prefixed ``civil_affairs_``; DESIGN §1): elections of village and
community committees, and holders' applications to take part in them (第十八条（一）).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (JSON, Boolean, CheckConstraint, Date, DateTime, ForeignKey, String,
                        UniqueConstraint, func)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core import api

P = "civil_affairs_"


class Election(api.db.Model):
    """选举: a village (村民委员会) or community (居民委员会) committee election."""

    __tablename__ = P + "election"
    __table_args__ = (
        CheckConstraint("kind IN ('village', 'community')", name="kind"),
        CheckConstraint("registration_closes_on <= held_on", name="dates"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    division_code: Mapped[str] = mapped_column(String(12), index=True)  # the village/community
    kind: Mapped[str] = mapped_column(String(10))
    held_on: Mapped[dt.date] = mapped_column(Date)
    registration_closes_on: Mapped[dt.date] = mapped_column(Date)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    applications: Mapped[list["VoterApplication"]] = relationship(
        back_populates="election", order_by="VoterApplication.id")

    def __str__(self) -> str:
        return self.name


class VoterApplication(api.db.Model):
    """参选申请: a holder asks to be put on the election's list (《村民委员会组织法》第十三条).

    ``eligible`` and ``reasons`` are the 第十八条（一） decision on the election day, stored when
    the application is made (and reassessed when the holder's permit is issued or endorsed
    before the election); ``approved`` is the 村民会议（村民代表会议） decision, NULL while pending.
    """

    __tablename__ = P + "voter_application"
    __table_args__ = (
        UniqueConstraint("election_id", "holder_id"),
        CheckConstraint("approved IS NULL OR approved_on IS NOT NULL", name="decision_dated"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Named: the convention's name (68 characters) is longer than PostgreSQL allows (63).
    election_id: Mapped[int] = mapped_column(
        ForeignKey(P + "election.id", name="fk_civil_affairs_voter_application_election"),
        index=True)
    holder_id: Mapped[int] = mapped_column(ForeignKey("holder.id"), index=True)
    applied_on: Mapped[dt.date] = mapped_column(Date)
    approved: Mapped[bool | None] = mapped_column(Boolean)
    approved_on: Mapped[dt.date | None] = mapped_column(Date)
    eligible: Mapped[bool] = mapped_column(Boolean)
    reasons: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    note: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    election: Mapped[Election] = relationship(back_populates="applications")
    holder = relationship("Holder")
    recorded_by = relationship("User")
