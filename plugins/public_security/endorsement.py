"""签注 (《办法》第十四条; 《居住证暂行条例》第十条): once a year, at the issuing station, in the
30 days ending on ``valid_until``; late ones restore the permit and restart residence years.

The dates come from the pure rule ``api.rules.endorse``; this module writes what it decides.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Iterable

from sqlalchemy.orm import Session

from core import api

from . import permits, sweep

B14 = "《办法》第十四条"
RESTORED = "补办签注，使用功能恢复（《办法》第十四条）"


def check_endorsement_input(permit: Any, endorsed_on: dt.date) -> None:
    """What is wrong whoever asks: an endorsement dated before the permit was issued."""
    permits.require_not_before_issue(permit, endorsed_on, "endorsed_on", "签注日期", B14)


def endorse_permit(session: Session, *, permit: Any, endorsed_on: dt.date,
                   materials: Iterable[str], actor: Any) -> api.Endorsement:
    """Endorse ``permit`` on ``endorsed_on`` in the caller's transaction (no commit).

    Refusals, in order: dated before issue (422), revoked (409 ``permit_revoked``), window
    not open (409 ``window_not_open`` with ``opens``), materials missing (422
    ``incomplete_materials``) — the window comes before the materials so that a holder who
    came too early is not first sent away to fetch papers.
    """
    check_endorsement_input(permit, endorsed_on)
    permits.require_not_revoked(permit)
    result = api.rules.endorse(permit.valid_until, permit.continuous_residence_since,
                               endorsed_on)
    given = list(materials)
    permits.require_materials("签注", given, B14)

    before = {"valid_until": permit.valid_until,
              "continuous_residence_since": permit.continuous_residence_since}
    if result.late:
        # The suspension happened whether or not a sweep ran; keep the history whole.
        sweep.record_suspension(session, permit)
    endorsement = api.Endorsement(
        permit_id=permit.id, station_id=permit.station_id, endorsed_on=endorsed_on,
        late=result.late, valid_until_before=permit.valid_until,
        valid_until_after=result.valid_until)
    session.add(endorsement)
    permit.valid_until = result.valid_until
    permit.continuous_residence_since = result.continuous_residence_since
    if result.late:
        session.add(api.PermitStatusEvent(permit_id=permit.id, status="valid", on=endorsed_on,
                                          reason=RESTORED))
    session.flush()
    api.record_audit(
        session, action="permit.endorse", entity="permit", entity_id=permit.id, actor=actor,
        old=before,
        new={"number": permit.number, "endorsed_on": endorsed_on, "late": result.late,
             "valid_until": result.valid_until,
             "continuous_residence_since": result.continuous_residence_since,
             "materials": given, "station": permit.station.code})
    api.hooks().permit_endorsed(permit=permit, endorsement=endorsement, actor=actor,
                                session=session)
    return endorsement
