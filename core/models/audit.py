"""Append-only audit events, chained per county and sealed with an HMAC (DESIGN §2)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, BigInteger, DateTime, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.db import db


class AuditEvent(db.Model):
    __tablename__ = "audit_event"
    __table_args__ = (
        UniqueConstraint("county_code", "seq", name="uq_audit_event_county_seq"),
        # the admin's search: an actor or an object exactly, an action by prefix ("holder.")
        Index("ix_audit_event_action", "action", postgresql_ops={"action": "varchar_pattern_ops"}),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    county_code: Mapped[str] = mapped_column(String(6))
    seq: Mapped[int] = mapped_column(BigInteger)
    at: Mapped[dt.datetime] = mapped_column(DateTime)
    actor: Mapped[str] = mapped_column(String(80), index=True)
    org: Mapped[str | None] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(80))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str | None] = mapped_column(String(40), index=True)
    old: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    new: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    prev_hash: Mapped[str] = mapped_column(String(64))
    key_id: Mapped[str] = mapped_column(String(16))
    seal: Mapped[str] = mapped_column(String(64))


class AuditHead(db.Model):
    """The head of each county's chain; its row lock serialises appends per county."""

    __tablename__ = "audit_head"

    county_code: Mapped[str] = mapped_column(String(6), primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger)
    seal: Mapped[str] = mapped_column(String(64))
