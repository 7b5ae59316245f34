"""Numbers of the papers a station hands out: registration receipts, notices, decisions.

``<kind letters><township code><year><6-digit sequence>``, e.g. DJ5303230012026000017 (DJ
登记凭证, WS 告知书/决定书): unique, readable over the phone, and counted per station and
year in one row (:func:`core.api.increment`: one statement, the row locked to the end of
the transaction) so that two clerks never print the same number.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from core import api

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
    last = api.increment(session, DocumentSequence,
                         {"station_id": station_id, "kind": kind, "year": year}, "last", n)
    first = last - n + 1
    code9 = (station.division_code or "")[:9] or str(station_id).zfill(9)  # type: ignore[attr-defined]
    prefix = f"{PREFIXES[kind]}{code9}{year}"
    return [f"{prefix}{i:06d}" for i in range(first, first + n)]
