"""The police's own tables (prefixed ``public_security_``; DESIGN §1).

The permit, its cards, endorsements and the residence history are the kernel's
(``api.Permit``, ``api.Card``, ``api.Endorsement``, ``api.Residence``); these tables hold what
only the police do: registrations, applications, the number code space and its paper stock,
card re-issues, fact changes and checks.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (JSON, BigInteger, Boolean, CheckConstraint, Date, DateTime, ForeignKey,
                        Index, Integer, String, Text, func)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core import api

P = "public_security_"


class Registration(api.db.Model):
    """暂住登记 (《办法》第十条): a floating person's arrival, reported at the station."""

    __tablename__ = P + "registration"
    __table_args__ = (
        # the holder's latest registration, read by every application (public_security_0004)
        Index(P + "registration_holder_latest", "holder_id", "registered_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # 暂住登记凭证编号: <township code><year><6-digit sequence>, printed on the receipt.
    receipt_number: Mapped[str] = mapped_column(String(24), unique=True)
    # No index of its own: registration_holder_latest starts with it (public_security_0005).
    holder_id: Mapped[int] = mapped_column(ForeignKey("holder.id"))
    # The station of the residence's township (第十条: 居住地公安派出所).
    station_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)
    arrival_date: Mapped[dt.date] = mapped_column(Date)
    registered_on: Mapped[dt.date] = mapped_column(Date, index=True)
    residence_address: Mapped[str] = mapped_column(String(255))
    residence_division_code: Mapped[str] = mapped_column(String(12))
    deadline: Mapped[dt.date] = mapped_column(Date)
    on_time: Mapped[bool] = mapped_column(Boolean)
    provisional: Mapped[bool] = mapped_column(Boolean)
    floating_reason: Mapped[str] = mapped_column(String(255))  # the 第二条 reason
    residence_id: Mapped[int | None] = mapped_column(ForeignKey("residence.id"))
    # Who reported it: a station clerk, or an assistant (第五条) and its org.
    reported_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    reporter_org_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())

    holder = relationship("Holder")
    station = relationship("OrgUnit", foreign_keys=[station_id])


class ThirdPartyReport(api.db.Model):
    """A report by an employer, landlord or agency (第十条第二款): counted from the contract."""

    __tablename__ = P + "third_party_report"
    __table_args__ = (
        CheckConstraint("reporter_kind IN ('employer', 'landlord', 'agency')",
                        name="reporter_kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reporter_kind: Mapped[str] = mapped_column(String(10))
    reporter_name: Mapped[str] = mapped_column(String(100))
    # The reported person may not be a holder yet: the ID number is what the reporter knows.
    holder_id_number: Mapped[str] = mapped_column(String(18), index=True)
    holder_id: Mapped[int | None] = mapped_column(ForeignKey("holder.id"), index=True)
    contract_date: Mapped[dt.date] = mapped_column(Date)
    reported_on: Mapped[dt.date] = mapped_column(Date)
    premises_address: Mapped[str | None] = mapped_column(String(255))
    premises_division_code: Mapped[str | None] = mapped_column(String(12))
    # The station of the premises' township; None when the premises are not given (county PSB).
    station_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id"), index=True)
    deadline: Mapped[dt.date] = mapped_column(Date)
    on_time: Mapped[bool] = mapped_column(Boolean)
    provisional: Mapped[bool] = mapped_column(Boolean)
    reported_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())

    station = relationship("OrgUnit", foreign_keys=[station_id])


class Application(api.db.Model):
    """居住证申领 (《办法》第十一条至第十三条): every application is kept, whatever its outcome."""

    __tablename__ = P + "application"
    __table_args__ = (
        CheckConstraint("outcome IN ('issued', 'incomplete', 'ineligible')", name="outcome"),
        # the holder's latest issued application, read by every entitlements request
        # (migration public_security_0003)
        Index(P + "application_holder_issued", "holder_id", "outcome", "accepted_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Document number of the notice or decision: <township code><year><6-digit sequence>.
    document_number: Mapped[str] = mapped_column(String(24), unique=True)
    holder_id: Mapped[int] = mapped_column(ForeignKey("holder.id"), index=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)
    registration_id: Mapped[int | None] = mapped_column(
        ForeignKey(P + "registration.id", name="fk_public_security_application_registration"))
    accepted_on: Mapped[dt.date] = mapped_column(Date)
    basis: Mapped[list[str]] = mapped_column(JSON)
    materials: Mapped[list[str]] = mapped_column(JSON)
    applicant: Mapped[str] = mapped_column(String(10))  # self | guardian | relative
    agent_id_number: Mapped[str | None] = mapped_column(String(18))
    limited_mobility: Mapped[bool] = mapped_column(Boolean, default=False)
    outcome: Mapped[str] = mapped_column(String(10), index=True)
    missing: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)  # [{code, name}]
    reasons: Mapped[list[dict[str, object]]] = mapped_column(JSON, default=list)
    permit_id: Mapped[int | None] = mapped_column(ForeignKey("permit.id"))
    accepted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())

    holder = relationship("Holder")
    station = relationship("OrgUnit", foreign_keys=[station_id])
    registration = relationship("Registration")
    permit = relationship("Permit")


class NumberRange(api.db.Model):
    """A range of permit numbers allocated by the county PSB to a station (第七条、第八条).

    ``[start, end]`` inclusive; ranges never overlap county-wide. ``next_free`` is a cursor:
    every number below it is used, so the lowest free number is found from it without
    scanning (numbers above it may already be used by a voided blank and are skipped).
    """

    __tablename__ = P + "number_range"
    __table_args__ = (
        CheckConstraint('start >= 1 AND "end" >= start', name="bounds"),
        Index(P + "number_range_station_start", "station_id", "start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"))
    start: Mapped[int] = mapped_column(BigInteger, unique=True)
    end: Mapped[int] = mapped_column(BigInteger, unique=True)
    next_free: Mapped[int] = mapped_column(BigInteger)
    allocated_on: Mapped[dt.date] = mapped_column(Date)
    allocated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    note: Mapped[str | None] = mapped_column(String(255))

    station = relationship("OrgUnit")

    @property
    def size(self) -> int:
        return self.end - self.start + 1


class SerialUse(api.db.Model):
    """Every number that left the stock: on a card (issued) or spoiled (voided).

    The primary key is the number, so no number can be used twice anywhere in the county —
    whatever the application code does, the database refuses a duplicate.
    """

    __tablename__ = P + "serial_use"
    __table_args__ = (CheckConstraint("kind IN ('issued', 'voided')", name="kind"),)

    serial: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    range_id: Mapped[int] = mapped_column(
        ForeignKey(P + "number_range.id", name="fk_public_security_serial_use_range"), index=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)
    kind: Mapped[str] = mapped_column(String(8))
    used_on: Mapped[dt.date] = mapped_column(Date)
    card_id: Mapped[int | None] = mapped_column(ForeignKey("card.id"), unique=True)
    reason: Mapped[str | None] = mapped_column(String(255))  # why a blank was voided
    used_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    station = relationship("OrgUnit")
    card = relationship("Card")


class StockIssue(api.db.Model):
    """领用登记: blank cards handed out by the station's stock keeper to a member of staff."""

    __tablename__ = P + "stock_issue"
    __table_args__ = (CheckConstraint("serial_to >= serial_from AND quantity >= 1",
                                      name="serials"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)
    recipient: Mapped[str] = mapped_column(String(50))
    quantity: Mapped[int] = mapped_column(Integer)
    serial_from: Mapped[int] = mapped_column(BigInteger)
    serial_to: Mapped[int] = mapped_column(BigInteger)
    issued_on: Mapped[dt.date] = mapped_column(Date)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    station = relationship("OrgUnit")


class StockCount(api.db.Model):
    """盘点: the blank cards physically on hand at a station on a day."""

    __tablename__ = P + "stock_count"
    __table_args__ = (CheckConstraint("on_hand >= 0", name="on_hand"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)
    counted_on: Mapped[dt.date] = mapped_column(Date)
    on_hand: Mapped[int] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(String(255))
    counted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    station = relationship("OrgUnit")


class CardReissue(api.db.Model):
    """A new card for the same permit: replacement (第十五条), fact change (变更) or address
    change (第十六条). Number and validity stay; the serial is new."""

    __tablename__ = P + "card_reissue"
    __table_args__ = (
        CheckConstraint("reason IN ('lost', 'damaged', 'change', 'address_change')",
                        name="reason"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    permit_id: Mapped[int] = mapped_column(ForeignKey("permit.id"), index=True)
    reason: Mapped[str] = mapped_column(String(16))
    on: Mapped[dt.date] = mapped_column(Date)
    station_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)
    old_card_id: Mapped[int | None] = mapped_column(ForeignKey("card.id"))
    new_card_id: Mapped[int] = mapped_column(ForeignKey("card.id"))
    old_card_returned: Mapped[bool] = mapped_column(Boolean, default=False)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    permit = relationship("Permit")
    station = relationship("OrgUnit")
    old_card = relationship("Card", foreign_keys=[old_card_id])
    new_card = relationship("Card", foreign_keys=[new_card_id])


class AddressChange(api.db.Model):
    """居住地变更 (第十六条): within the county, done by the new address's station."""

    __tablename__ = P + "address_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    permit_id: Mapped[int] = mapped_column(ForeignKey("permit.id"), index=True)
    on: Mapped[dt.date] = mapped_column(Date)
    old_station_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"))
    new_station_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)
    old_residence_id: Mapped[int | None] = mapped_column(ForeignKey("residence.id"))
    new_residence_id: Mapped[int] = mapped_column(ForeignKey("residence.id"))
    reissue_id: Mapped[int] = mapped_column(
        ForeignKey(P + "card_reissue.id", name="fk_public_security_address_change_reissue"))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    permit = relationship("Permit")
    old_station = relationship("OrgUnit", foreign_keys=[old_station_id])
    new_station = relationship("OrgUnit", foreign_keys=[new_station_id])


class FactChange(api.db.Model):
    """变更: one recorded 第四条 fact changed, with old and new values (and a new card)."""

    __tablename__ = P + "fact_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    permit_id: Mapped[int] = mapped_column(ForeignKey("permit.id"), index=True)
    holder_id: Mapped[int] = mapped_column(ForeignKey("holder.id"), index=True)
    field: Mapped[str] = mapped_column(String(40))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    on: Mapped[dt.date] = mapped_column(Date)
    station_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)
    reissue_id: Mapped[int | None] = mapped_column(
        ForeignKey(P + "card_reissue.id", name="fk_public_security_fact_change_reissue"))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    permit = relationship("Permit")
    station = relationship("OrgUnit")


class Check(api.db.Model):
    """查验 (第二十一条): a police check of a card, and a detention or release if any."""

    __tablename__ = P + "check"
    __table_args__ = (
        CheckConstraint("action IN ('none', 'detain', 'release')", name="action"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    card_id: Mapped[int | None] = mapped_column(ForeignKey("card.id"), index=True)
    permit_id: Mapped[int | None] = mapped_column(ForeignKey("permit.id"), index=True)
    officer_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    org_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id"), index=True)
    checked_at: Mapped[dt.datetime] = mapped_column(DateTime)
    place: Mapped[str] = mapped_column(String(255))
    result: Mapped[str] = mapped_column(String(255))
    action: Mapped[str] = mapped_column(String(8), default="none")

    card = relationship("Card")
    permit = relationship("Permit")
    officer = relationship("User")
    org = relationship("OrgUnit")


class DocumentSequence(api.db.Model):
    """Per-station, per-year counters for receipt and document numbers (locked on use)."""

    __tablename__ = P + "document_sequence"

    station_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)  # registration | document
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last: Mapped[int] = mapped_column(Integer, default=0)
