"""``juzhu sweep``: record the suspensions that dates imply (《办法》第十四条第二款).

Status never waits for this job (it is derived from ``valid_until``); the sweep writes the
history: one ``PermitStatusEvent(status="suspended", on=valid_until + 1 day)`` per unrevoked
permit whose validity ended before ``as_of``, and fires ``permit_suspended`` for it. Those rows
are the per-permit record; the run itself is one audit event (``permit.sweep`` with ``as_of``
and the count), so a million suspensions do not make a million audit events.

"Already recorded" is tested as a suspension dated after the *current* ``valid_until``: the
sweep only writes ``valid_until + 1`` and an endorsement only moves ``valid_until`` forward, so
this is the same condition as ``on = valid_until + 1`` (only the written day needs the
dialect's date arithmetic, :func:`_day_after`). A late endorsement moved ``valid_until``, so
it needs no special case.

Two sweeps may run at once (a cron job and a clerk's command, or two app hosts): the unique
``(permit_id, status, on)`` constraint and ``api.insert_new`` (ON CONFLICT DO NOTHING …
RETURNING) let the later one skip what the earlier one wrote, so no suspension is recorded
or announced twice (tests/faults/test_pg_sweep.py).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import exists, func, literal, select
from sqlalchemy.orm import Session

from core import api

SUSPENDED = "逾期未签注，居住证使用功能中止（《办法》第十四条）"
BATCH = 5000  # permits loaded per page for the permit_suspended hook


def suspension_day(permit: Any) -> dt.date:
    """The first day of suspension: the day after ``valid_until``."""
    return permit.valid_until + dt.timedelta(days=1)


def _recorded() -> Any:
    """Correlated test: this permit's current suspension is already in the history."""
    ev = api.PermitStatusEvent
    return exists().where(ev.permit_id == api.Permit.id, ev.status == "suspended",
                          ev.on > api.Permit.valid_until)


def _day_after(session: Session) -> Any:
    """``valid_until + 1 day`` in SQL (the one piece of date arithmetic the engines spell
    differently)."""
    if session.get_bind().dialect.name == "sqlite":
        return func.date(api.Permit.valid_until, "+1 day")
    return api.Permit.valid_until + literal(1)


def sweep(session: Session, as_of: dt.date) -> int:
    """Record every suspension due on ``as_of``; return how many were recorded (0 on a
    second run). Runs in the caller's transaction; does not commit.

    One statement, ``INSERT … SELECT … ON CONFLICT DO NOTHING RETURNING permit_id``: the
    database finds the lapsed unrevoked permits whose suspension is not yet recorded and
    writes the rows itself (no permit row travels to Python). Permit objects are loaded only
    when a plugin listens to ``permit_suspended``, only those this run wrote, by pages."""
    P = api.Permit
    due = (select(P.id, literal("suspended"), _day_after(session), literal(SUSPENDED))
           .where(P.revoked_on.is_(None), P.valid_until < as_of, ~_recorded()))
    written = sorted(row.permit_id for row in api.insert_new_from(
        session, api.PermitStatusEvent, ["permit_id", "status", "on", "reason"], due,
        returning=[api.PermitStatusEvent.permit_id]))
    hooks = api.hooks()
    if hooks.listened("permit_suspended"):
        for i in range(0, len(written), BATCH):
            for permit in session.scalars(select(P).where(P.id.in_(written[i:i + BATCH]))
                                          .order_by(P.id)):
                hooks.permit_suspended(permit=permit, on=suspension_day(permit),
                                       session=session)
            session.flush()  # what the hooks wrote, before the next page is read
    api.record_audit(session, action="permit.sweep", entity="permit", actor=None,
                     new={"as_of": as_of, "suspended": len(written)})
    return len(written)


def record_suspension(session: Session, permit: Any) -> bool:
    """Record one permit's current suspension if the sweep has not (a late endorsement needs
    the history whole: suspended, then restored). True when a row was written."""
    ev = api.PermitStatusEvent
    if session.scalar(select(ev.id).where(ev.permit_id == permit.id, ev.status == "suspended",
                                          ev.on > permit.valid_until).limit(1)) is not None:
        return False
    on = suspension_day(permit)
    if not api.insert_new(session, api.PermitStatusEvent,
                          [{"permit_id": permit.id, "status": "suspended", "on": on,
                            "reason": SUSPENDED}], returning=[api.PermitStatusEvent.id]):
        return False  # a sweep recorded it meanwhile
    api.hooks().permit_suspended(permit=permit, on=on, session=session)
    return True
