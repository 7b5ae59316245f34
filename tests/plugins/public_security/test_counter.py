"""api.increment, as the document numbers use it: a counter row made on first use and counted
up in one statement."""

from __future__ import annotations

from sqlalchemy import select

from core import api
from core.db import db
from plugins.public_security.models import DocumentSequence


def test_first_use_makes_the_row_and_later_uses_count_on(app) -> None:  # type: ignore[no-untyped-def]
    station = db.session.scalar(select(api.OrgUnit).where(api.OrgUnit.kind == "police_station"))
    key = {"station_id": station.id, "kind": "document", "year": 1999}
    assert api.increment(db.session, DocumentSequence, key, "last") == 1
    assert api.increment(db.session, DocumentSequence, key, "last", 5) == 6
    assert api.increment(db.session, DocumentSequence, key, "last") == 7
    db.session.commit()
    assert db.session.get(DocumentSequence, (station.id, "document", 1999)).last == 7
    other = {**key, "year": 2000}
    assert api.increment(db.session, DocumentSequence, other, "last", 3) == 3
