"""The education department's own table: the children a holder brings (随迁子女).

《办法》第十八条（三）gives a holder's children preschool and compulsory education where the
holder lives; the child's age on the school year's cut-off decides the stage, so the birth
date is required. The ID number (GB 11643) is checked against birth date and sex when the row
is written (services.add_child); a holder registers the same child once.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, Date, DateTime, ForeignKey, String, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core import api

from .rules import RELATIONS, SEXES  # noqa: F401  (the codes the check constraints allow)


class Child(api.db.Model):
    """随迁子女: a child of a holder (or a ward under the holder's guardianship)."""

    __tablename__ = "education_child"
    __table_args__ = (
        UniqueConstraint("holder_id", "id_number"),
        CheckConstraint("sex IN ('male', 'female')", name="sex"),
        CheckConstraint("relation IN ('son', 'daughter', 'ward')", name="relation"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    holder_id: Mapped[int] = mapped_column(ForeignKey("holder.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    sex: Mapped[str] = mapped_column(String(6))
    birth_date: Mapped[dt.date] = mapped_column(Date, index=True)
    id_number: Mapped[str] = mapped_column(String(18))
    relation: Mapped[str] = mapped_column(String(10))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())

    holder = relationship("Holder")

    def __str__(self) -> str:
        return self.name
