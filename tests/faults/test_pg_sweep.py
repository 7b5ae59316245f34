"""Two sweeps at once on a real PostgreSQL (issue 5 item 7; 《办法》第十四条第二款).

``juzhu sweep`` may run twice at the same moment (a nightly job on two app hosts, or a clerk's
command beside the job). Each one reads the permits whose suspension is not yet recorded and
inserts the history rows. Here sweep A inserts its rows and holds its transaction open inside
the ``permit_suspended`` hook; sweep B, started meanwhile, reads the same permits as due (A
has not committed) and blocks on the unique ``(permit_id, status, on)`` index until A commits;
then its ``ON CONFLICT DO NOTHING`` skips every row. Without the constraint B would record
and announce every suspension a second time.

The module uses its OWN database ``juzhu_faults_<pid>`` (``pg`` in ``conftest.py``).
"""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter

from sqlalchemy import select, text

from core.db import db
from core.models import AuditEvent, PermitStatusEvent

from .support import (DANFENG, DANFENG_CODE, START, SWEEPER, Env, Worker, allocate,
                      assert_consistent, count, make_holders, wait_for)

PERMITS = 20
AS_OF = dt.date(2030, 1, 1)  # every permit issued in the test (2026-12-01, one year) is past


def _lock_waiting(env: Env, app_name: str) -> bool:
    with env.app.app_context():
        state = db.session.execute(text(
            "SELECT wait_event_type FROM pg_stat_activity WHERE datname = :d AND "
            "application_name = :a"), {"d": env.name, "a": app_name}).scalars().all()
        db.session.rollback()
        db.session.remove()
    return state == ["Lock"]


def _sweeper(env: Env, tag: str, **extra: object) -> Worker:
    return Worker(env, tag, "sweep", None, [], script=SWEEPER, as_of=AS_OF.isoformat(),
                  **extra)


def test_two_sweeps_at_once_record_each_suspension_once(pg: Env) -> None:
    started = time.monotonic()
    with pg.app.app_context():
        holder_ids = make_holders(DANFENG, DANFENG_CODE, range(600, 600 + PERMITS))
        allocate(DANFENG, START, START + 99)
        db.session.remove()
    (pg.folder / "go").write_text("go")
    issuer = Worker(pg, "issuer", "issue", DANFENG, holder_ids,
                    ready=str(pg.folder / "ready"), go=str(pg.folder / "go"))
    try:
        assert {r["outcome"] for r in issuer.finish()} == {"issued"}
    finally:
        issuer.kill()

    marker, release = pg.folder / "a.marker", pg.folder / "a.release"
    a = _sweeper(pg, "sweepA", marker=str(marker), release=str(release))
    b = None
    try:
        wait_for("sweep A to hold its transaction", marker.exists, [a])
        b = _sweeper(pg, "sweepB")
        # B read the permits as due and now waits on A's uncommitted index entries
        wait_for("sweep B to wait on A's rows", lambda: _lock_waiting(pg, "juzhu_faults_sweepB"),
                 [a, b])
        with pg.app.app_context():  # nothing of either is visible yet
            assert count(PermitStatusEvent) == 0
            db.session.remove()
        release.write_text("go")
        first, second = a.finish(), b.finish()
    finally:
        a.kill()
        if b is not None:
            b.kill()

    assert first == {"suspended": PERMITS, "hooks": PERMITS}
    assert second == {"suspended": 0, "hooks": 0}  # it skipped what A wrote, announced nothing
    again = _sweeper(pg, "sweepC")
    try:
        assert again.finish() == {"suspended": 0, "hooks": 0}
    finally:
        again.kill()

    with pg.app.app_context():
        rows = db.session.execute(select(PermitStatusEvent.permit_id, PermitStatusEvent.on)
                                  .where(PermitStatusEvent.status == "suspended")).all()
        assert len(rows) == PERMITS
        assert [k for k, n in Counter(rows).items() if n > 1] == []
        runs = sorted(e.new["suspended"] for e in db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "permit.sweep")))
        assert runs == [0, 0, PERMITS]  # three runs, each audited with what it recorded
        assert_consistent(pg.app)  # chain intact, nothing else disturbed
        db.session.remove()
    print(f"\n[faults] two concurrent sweeps over {PERMITS} lapsed permits: recorded "
          f"{first['suspended']} + {second['suspended']}, duplicates 0; "
          f"{time.monotonic() - started:.1f} s")
