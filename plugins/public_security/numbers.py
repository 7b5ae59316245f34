"""Permit numbers and card serials (《办法》第七条、第八条; DESIGN §3 Numbers).

Numbers are integers and are card serials. The county PSB allocates ranges to stations;
issuing takes the lowest free number of the issuing station's ranges. Two clerks issuing at
the same moment never get the same number: the station's ranges are locked (SELECT … FOR
UPDATE on PostgreSQL; SQLite has one writer at a time), and ``SerialUse.serial`` is a primary
key, so even a bug here could not put one number on two cards.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import api

from .models import NumberRange, SerialUse

B7 = "《办法》第七条、第八条"


class NoNumbersLeft(api.RuleError):
    """The station has no free number in any of its ranges (API: 409 ``no_numbers_left``)."""

    http_status = 409

    def __init__(self, station_name: str) -> None:
        super().__init__(
            "station", "no_numbers_left",
            f"{station_name}已无可用的居住证号码：请县公安局为该所分配新的号段后再办理（{B7}）", B7)


def _locked_ranges(session: Session, station_id: int) -> list[NumberRange]:
    stmt = (select(NumberRange).where(NumberRange.station_id == station_id)
            .order_by(NumberRange.start).with_for_update())
    return list(session.scalars(stmt))


def take_serial(session: Session, station: Any, *, kind: str, on: dt.date,
                actor: Any = None, reason: str | None = None) -> SerialUse:
    """Take the lowest free number of ``station``'s ranges and record its use.

    ``kind`` is ``issued`` (the caller puts it on a card and sets ``card_id``) or ``voided``.
    Raises :class:`NoNumbersLeft`. Runs in the caller's transaction.
    """
    for rng in _locked_ranges(session, station.id):
        candidate = rng.next_free
        if candidate > rng.end:
            continue
        # Numbers above the cursor may already be used (a blank voided by serial): skip them.
        used_above = session.scalars(
            select(SerialUse.serial).where(SerialUse.serial >= candidate,
                                           SerialUse.serial <= rng.end)
            .order_by(SerialUse.serial)).all()
        for serial in used_above:
            if serial != candidate:
                break
            candidate += 1
        if candidate > rng.end:
            rng.next_free = candidate
            continue
        use = SerialUse(serial=candidate, range_id=rng.id, station_id=station.id, kind=kind,
                        used_on=on, reason=reason, used_by_id=getattr(actor, "id", None))
        session.add(use)
        rng.next_free = candidate + 1
        session.flush()
        return use
    raise NoNumbersLeft(station.name)


def new_card(session: Session, permit: Any, station: Any, *, on: dt.date,
             actor: Any = None) -> Any:
    """A new live card for ``permit`` with the next serial of ``station`` (the caller has
    already retired the previous live card: one live card per permit)."""
    use = take_serial(session, station, kind="issued", on=on, actor=actor)
    card = api.Card(permit_id=permit.id, serial=use.serial, station_id=station.id,
                    issued_on=on, status="live", status_on=on)
    session.add(card)
    session.flush()
    use.card_id = card.id
    return card
