"""Permits (the legal status), cards (the physical object), endorsements (《办法》第十四条).

A permit's status is derived from its dates (core.rules.permit_dates.permit_status); the
status events only record what `juzhu sweep` and the PSB did, for the history.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (BigInteger, Boolean, Date, DateTime, ForeignKey, Index, String,
                        UniqueConstraint, func, text)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db import db

CARD_STATUSES = {
    "live": "在用",
    "returned": "已交回",
    "lost": "已挂失作废",
    "void": "已作废",
    "detained": "已扣押",
}


class Permit(db.Model):
    __tablename__ = "permit"
    __table_args__ = (
        # A holder has at most one live (unrevoked) permit (DESIGN §3, 注销).
        Index(
            "uq_permit_live_holder", "holder_id", unique=True,
            sqlite_where=text("revoked_on IS NULL"), postgresql_where=text("revoked_on IS NULL"),
        ),
        # A holder's permits latest first: the engine's and the batch's "latest permit on a
        # day" read it without sorting; its prefix serves every lookup by holder.
        Index("ix_permit_holder_issued", "holder_id", "issued_on", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    holder_id: Mapped[int] = mapped_column(ForeignKey("holder.id"))
    # 签发机关: the county PSB (《办法》第十四条); 原办证机关: the station.
    authority_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"))
    station_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)
    issued_on: Mapped[dt.date] = mapped_column(Date)
    valid_until: Mapped[dt.date] = mapped_column(Date, index=True)
    continuous_residence_since: Mapped[dt.date] = mapped_column(Date)
    revoked_on: Mapped[dt.date | None] = mapped_column(Date)
    revocation_reason: Mapped[str | None] = mapped_column(String(255))

    holder = relationship("Holder")
    station = relationship("OrgUnit", foreign_keys=[station_id])
    authority = relationship("OrgUnit", foreign_keys=[authority_id])
    cards: Mapped[list["Card"]] = relationship(back_populates="permit", order_by="Card.id")

    @property
    def live_card(self) -> "Card | None":
        return next((c for c in self.cards if c.status == "live"), None)


class Card(db.Model):
    __tablename__ = "card"
    __table_args__ = (
        # One live card per permit.
        Index(
            "uq_card_live_permit", "permit_id", unique=True,
            sqlite_where=text("status = 'live'"), postgresql_where=text("status = 'live'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    permit_id: Mapped[int] = mapped_column(ForeignKey("permit.id"), index=True)
    # Serials come from the stations' number ranges (《办法》第七条); unique county-wide.
    serial: Mapped[int] = mapped_column(BigInteger, unique=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"))
    issued_on: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10), default="live")
    status_on: Mapped[dt.date | None] = mapped_column(Date)

    permit: Mapped[Permit] = relationship(back_populates="cards")


class Endorsement(db.Model):
    __tablename__ = "endorsement"

    id: Mapped[int] = mapped_column(primary_key=True)
    permit_id: Mapped[int] = mapped_column(ForeignKey("permit.id"), index=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)
    endorsed_on: Mapped[dt.date] = mapped_column(Date)
    late: Mapped[bool] = mapped_column(Boolean)
    valid_until_before: Mapped[dt.date] = mapped_column(Date)
    valid_until_after: Mapped[dt.date] = mapped_column(Date)

    permit = relationship("Permit")
    station = relationship("OrgUnit")


class PermitStatusEvent(db.Model):
    """Status history: suspensions recorded by the sweep, restorations, revocations."""

    __tablename__ = "permit_status_event"
    # One event of a kind per permit and day: two sweeps racing cannot record a suspension
    # twice (the second one's insert skips; see plugins/public_security/sweep.py).
    __table_args__ = (UniqueConstraint("permit_id", "status", "on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    permit_id: Mapped[int] = mapped_column(ForeignKey("permit.id"), index=True)
    status: Mapped[str] = mapped_column(String(10))
    on: Mapped[dt.date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(String(255))
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())
