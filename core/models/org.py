"""Org units: the county PSB, police stations, departments, assisting parties (DESIGN §2)."""

from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from core.db import db

ORG_KINDS = {
    "county_psb": "县公安局",
    "police_station": "派出所",
    "department": "职能部门",
    "assisting_party": "协助单位",
}


class OrgUnit(db.Model):
    __tablename__ = "org_unit"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(20))
    # 6-digit county code: the audit chain and any future sharding key (DESIGN §2, §7).
    county_code: Mapped[str] = mapped_column(String(6))
    # For a police station: the 9-digit township division code it serves.
    division_code: Mapped[str | None] = mapped_column(String(12))

    def __str__(self) -> str:
        return self.name
