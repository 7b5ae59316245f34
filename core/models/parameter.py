"""Values of dated parameters entered by a department (DESIGN §4, OpenFisca-style).

A row is one value of one parameter, starting on ``start_on``. Rows are never edited or
deleted: a change is a new row with a later start, so the history of what the rules used on any
day stays readable. The statutory baseline a plugin declares in code is the history's first
part; these rows are the department's later changes (:mod:`core.parameters`).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, DateTime, ForeignKey, String, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db import db


class ParameterValue(db.Model):
    __tablename__ = "parameter_value"
    __table_args__ = (UniqueConstraint("name", "start_on", name="uq_parameter_value_name_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80))  # e.g. "housing.min_insurance_months"
    start_on: Mapped[dt.date] = mapped_column(Date)
    # Kept as text in the parameter's canonical form ("6", "2500.00", "08-31"); the declared
    # kind parses it, so one table serves every kind.
    value: Mapped[str] = mapped_column(String(40))
    source: Mapped[str] = mapped_column(String(255))  # the document that set this value
    note: Mapped[str | None] = mapped_column(String(255))
    entered_on: Mapped[dt.date] = mapped_column(Date)
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())

    entered_by = relationship("User")

    def __str__(self) -> str:
        return f"{self.name} = {self.value}（自{self.start_on}）"
