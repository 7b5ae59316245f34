"""Issuance under concurrency and faults, on a real PostgreSQL (issue 5 item 7; 第七条、第八条、
第十三条; DESIGN §2 audit, §7 several processes on one PostgreSQL).

Real separate processes (``_issuer.py``), each with its own app, engine and connection, issue
permits through the same service the API calls (``application.apply``): one transaction per
application. Two faults are shown:

1. several processes issuing from ONE station at the same moment: no number or card serial
   twice, every consumed serial on its card, the station's cursor right, the audit chain
   intact with one issuance event set per permit;
2. a process killed with SIGKILL while it holds the issuing transaction (a test plugin's
   ``permit_issued`` hook sleeps inside it): nothing of it survives (no half permit, no
   consumed number without a card, no audit gap), its locks are released, and the next
   issuance by another process takes the very number the killed one had taken.

The module uses its OWN database ``juzhu_faults_<pid>`` (``pg`` in ``conftest.py``; see
``support.py``).
"""

from __future__ import annotations

import json
import os
import signal
import time

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import OperationalError

from core.db import db
from core.models import OrgUnit, Permit
from plugins.public_security.models import Application, NumberRange, SerialUse

from .support import (DANFENG, DANFENG_CODE, EACH, KILL_START, PROCESSES, START,
                      WAIT, XIONGBI, XIONGBI_CODE, Env, Worker, allocate, assert_consistent,
                      count, make_holders, wait_for)

# -- 1. several processes, one station ----------------------------------------------------

def test_processes_issuing_at_one_station_share_nothing(pg: Env) -> None:
    started = time.monotonic()
    with pg.app.app_context():
        holder_ids = make_holders(DANFENG, DANFENG_CODE, range(100, 100 + PROCESSES * EACH))
        range_id = allocate(DANFENG, START, START + 999)
        db.session.remove()
    prepared = time.monotonic()
    go = pg.folder / "go"
    workers = [Worker(pg, f"issuer{i}", "issue", DANFENG, holder_ids[i::PROCESSES],
                      ready=str(pg.folder / f"ready{i}"), go=str(go))
               for i in range(PROCESSES)]
    try:
        wait_for("every worker ready",
                 lambda: all((pg.folder / f"ready{i}").exists() for i in range(PROCESSES)),
                 workers)
        go.write_text("go")  # all start issuing at once
        released = time.monotonic()
        results = [w.finish() for w in workers]
        issued_at = time.monotonic()
    finally:
        for w in workers:
            w.kill()
    elapsed = time.monotonic() - started

    rows = [r for result in results for r in result]
    assert [r["outcome"] for r in rows] == ["issued"] * PROCESSES * EACH
    got = sorted(int(r["number"]) for r in rows)
    # the lowest numbers of the range, each once, none skipped (第八条: lowest free first)
    assert got == list(range(START, START + PROCESSES * EACH))
    assert all(int(r["number"]) == r["serial"] for r in rows)
    # the processes really ran at the same time: their numbers interleave
    owner = {int(r["number"]): i for i, result in enumerate(results) for r in result}
    switches = sum(owner[n] != owner[n + 1] for n in got[:-1])
    assert switches > PROCESSES - 1, "the workers ran one after another: nothing was tested"

    with pg.app.app_context():
        figures = assert_consistent(pg.app)
        station_id = db.session.scalar(select(OrgUnit.id).where(OrgUnit.code == DANFENG))
        assert db.session.get(NumberRange, range_id).next_free == START + PROCESSES * EACH
        assert count(SerialUse, SerialUse.station_id == station_id) == PROCESSES * EACH
        issued = db.session.execute(select(Application.document_number).where(
            Application.station_id == station_id, Application.outcome == "issued")).scalars()
        assert len(set(issued)) == PROCESSES * EACH  # one application each, own number
        db.session.remove()
    print(f"\n[faults] {PROCESSES} processes x {EACH} = {len(rows)} concurrent issuances at one "
          f"station; duplicate numbers {figures['duplicate_numbers']}, duplicate serials "
          f"{figures['duplicate_serials']}; interleavings {switches}; issuing "
          f"{issued_at - released:.1f} s (preparing 100 holders {prepared - started:.1f} s, "
          f"starting the processes {released - prepared:.1f} s; {elapsed:.1f} s in all)")


# -- 2. a process killed inside the issuing transaction ------------------------------------

def _backend_pids(name: str, app_name: str) -> list[int]:
    return list(db.session.execute(text(
        "SELECT pid FROM pg_stat_activity WHERE datname = :d AND application_name = :a"),
        {"d": name, "a": app_name}).scalars())


def test_a_process_killed_mid_issuance_leaves_nothing_and_loses_no_number(pg: Env) -> None:
    started = time.monotonic()
    with pg.app.app_context():
        victim, successor = make_holders(XIONGBI, XIONGBI_CODE, range(300, 302))
        range_id = allocate(XIONGBI, KILL_START, KILL_START + 99)
        before = assert_consistent(pg.app)
        station_id = db.session.scalar(select(OrgUnit.id).where(OrgUnit.code == XIONGBI))
        db.session.remove()

    marker = pg.folder / "hang.marker"
    hang = Worker(pg, "hang", "hang", XIONGBI, [victim], marker=str(marker))
    try:
        wait_for("the issuance to reach permit_issued", marker.exists, [hang])
        held = json.loads(marker.read_text())
        assert held == {"number": str(KILL_START), "serial": KILL_START}
        with pg.app.app_context():
            # It holds the transaction: its backend is idle in transaction and the station's
            # ranges are locked against anyone else.
            states = db.session.execute(text(
                "SELECT state FROM pg_stat_activity WHERE datname = :d AND application_name = "
                "'juzhu_faults_hang'"), {"d": pg.name}).scalars().all()
            assert states == ["idle in transaction"]
            with pytest.raises(OperationalError, match="could not obtain lock"):
                db.session.execute(select(NumberRange.id).where(
                    NumberRange.station_id == station_id).with_for_update(nowait=True)).all()
            db.session.rollback()
            pids = _backend_pids(pg.name, "juzhu_faults_hang")
            db.session.remove()
        os.kill(hang.proc.pid, signal.SIGKILL)
        assert hang.proc.wait(WAIT) == -signal.SIGKILL
    finally:
        hang.kill()

    with pg.app.app_context():
        # The server ends the orphaned backend and rolls its transaction back.
        def gone() -> bool:
            alive = _backend_pids(pg.name, "juzhu_faults_hang")
            db.session.rollback()
            return not alive
        wait_for("the killed process's backend to end", gone, [])
        assert pids  # the backend existed, and is gone now
        after_kill = assert_consistent(pg.app)
        assert after_kill == before  # no permit, no card, no audit event of it
        assert count(SerialUse, SerialUse.serial == KILL_START) == 0
        assert count(Permit, Permit.holder_id == victim) == 0
        assert count(Application, Application.holder_id == victim) == 0
        assert db.session.get(NumberRange, range_id).next_free == KILL_START
        db.session.remove()

    # Another process issues next: it waits for no lock, takes the number the killed one had
    # taken, and the victim, applying again, gets the next one.
    nxt = Worker(pg, "successor", "issue", XIONGBI, [successor, victim],
                 ready=str(pg.folder / "ready-successor"), go=str(pg.folder / "go-successor"))
    try:
        (pg.folder / "go-successor").write_text("go")
        rows = nxt.finish()
    finally:
        nxt.kill()
    assert [(r["holder_id"], r["outcome"], r["number"]) for r in rows] == [
        (successor, "issued", str(KILL_START)), (victim, "issued", str(KILL_START + 1))]

    with pg.app.app_context():
        figures = assert_consistent(pg.app)
        assert figures["permits"] == before["permits"] + 2
        assert db.session.get(NumberRange, range_id).next_free == KILL_START + 2
        db.session.remove()
    print(f"\n[faults] SIGKILL inside the issuing transaction: number {KILL_START} held, "
          f"rolled back, re-issued to the next process; audit events {before['audit_events']} "
          f"-> {after_kill['audit_events']} after the kill -> {figures['audit_events']}; "
          f"{time.monotonic() - started:.1f} s")
