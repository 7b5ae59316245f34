"""Numbers of the papers a station hands out: registration receipts, notices, decisions.

``<kind letters><township code><year><6-digit sequence>``, e.g. DJ5303230012026000017 (DJ
登记凭证, WS 告知书/决定书): unique, readable
over the phone, and counted per station and year under a row lock so that two clerks never
print the same number.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from .models import DocumentSequence

PREFIXES = {"registration": "DJ", "document": "WS"}


def next_number(session: Session, station: object, kind: str, year: int) -> str:
    """The next document number of ``kind`` (``registration`` or ``document``)."""
    return reserve_numbers(session, station, kind, year, 1)[0]


def reserve_numbers(session: Session, station: object, kind: str, year: int,
                    n: int) -> list[str]:
    """``n`` consecutive document numbers at once (a bulk import takes a chunk's worth under
    one row lock instead of locking once per number)."""
    station_id = station.id  # type: ignore[attr-defined]
    stmt = (select(DocumentSequence)
            .where(DocumentSequence.station_id == station_id, DocumentSequence.kind == kind,
                   DocumentSequence.year == year).with_for_update())
    seq = session.scalar(stmt)
    if seq is None:
        seq = DocumentSequence(station_id=station_id, kind=kind, year=year, last=0)
        session.add(seq)
    first = (seq.last or 0) + 1
    seq.last = first + n - 1
    session.flush()
    code9 = (station.division_code or "")[:9] or str(station_id).zfill(9)  # type: ignore[attr-defined]
    prefix = f"{PREFIXES[kind]}{code9}{year}"
    return [f"{prefix}{i:06d}" for i in range(first, first + n)]
