"""Two clerks issuing at the same moment never get the same number (issue 3, 第七条、第八条).

Real concurrent writers: threads, each with its own app context and so its own session and
database connection, released together by a barrier. On PostgreSQL this proves the row lock
on the station's ranges (and the table lock on the register of ranges); on SQLite it proves
that the transaction takes the one write lock before reading the cursor. No write is
retried: each writer waits for the lock (SQLite: pysqlite's busy timeout) and succeeds.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from typing import Any, Callable

from sqlalchemy import event, func, select

from core.db import db
from core.models import AuditEvent, OrgUnit
from core.rules import RuleError
from plugins.public_security import numbers
from plugins.public_security.models import NumberRange, SerialUse

from .conftest import DANFENG, XIONGBI

D = dt.date(2026, 12, 1)
WRITERS, TAKES = 4, 25
START = 5303230010001


def _run(app: Any, workers: list[Callable[[], None]]) -> list[BaseException]:
    """Run each worker in its own thread and app context; the errors they raised."""
    errors: list[BaseException] = []

    def wrap(work: Callable[[], None]) -> None:
        try:
            with app.app_context():
                work()
        except BaseException as exc:  # reported to the test, never swallowed
            errors.append(exc)

    threads = [threading.Thread(target=wrap, args=(w,)) for w in workers]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not any(t.is_alive() for t in threads), "a writer hung"
    return errors


def test_concurrent_writers_never_share_a_number(app: Any, ps: Any) -> None:
    ps.number_range(DANFENG, START, START + 999)
    station_id = ps.station(DANFENG).id
    db.session.commit()
    barrier = threading.Barrier(WRITERS)
    taken: list[int] = []

    def writer() -> None:
        station = db.session.get(OrgUnit, station_id)
        db.session.commit()
        barrier.wait()
        for _ in range(TAKES):
            use = numbers.take_serial(db.session, station, kind="issued", on=D)
            serial = use.serial
            db.session.commit()  # one transaction per number, as a clerk's request
            taken.append(serial)

    assert _run(app, [writer] * WRITERS) == []
    total = WRITERS * TAKES
    assert len(taken) == total and len(set(taken)) == total
    assert sorted(taken) == list(range(START, START + total))  # exactly the lowest ones
    assert db.session.scalar(select(func.count()).select_from(SerialUse)) == total
    assert db.session.scalar(select(NumberRange.next_free)) == START + total


def _second_waits_for_first(app: Any, station_id: int) -> dict[str, Any]:
    """Two writers at one station: the first takes a number and holds its transaction open
    for 0.5 s; the second asks meanwhile. What each got, and whether the second had its
    number before the first committed."""
    first_took, release = threading.Event(), threading.Event()
    got: dict[str, Any] = {}

    def first() -> None:
        station = db.session.get(OrgUnit, station_id)
        got["first"] = numbers.take_serial(db.session, station, kind="issued", on=D).serial
        first_took.set()
        release.wait(30)
        got["released"] = time.monotonic()
        db.session.commit()

    def second() -> None:
        station = db.session.get(OrgUnit, station_id)
        db.session.commit()
        first_took.wait(30)
        got["second"] = numbers.take_serial(db.session, station, kind="issued", on=D).serial
        got["second_at"] = time.monotonic()
        db.session.commit()

    def referee() -> None:
        first_took.wait(30)
        time.sleep(0.5)
        got["second_before_release"] = "second" in got  # must still be waiting
        release.set()

    assert _run(app, [first, second, referee]) == []
    return got


def test_a_second_writer_waits_for_the_first_to_commit(app: Any, ps: Any) -> None:
    ps.number_range(DANFENG, 1, 10)
    got = _second_waits_for_first(app, ps.station(DANFENG).id)
    assert got["second_before_release"] is False
    assert (got["first"], got["second"]) == (1, 2) and got["second_at"] >= got["released"]


def test_a_writer_that_waited_for_a_ranges_last_number_takes_the_next_range(
        app: Any, ps: Any) -> None:
    """The first writer takes the last number of the lower range; the second, which waited
    for it, finds that range used up and takes the lowest number of the next (第八条)."""
    ps.number_range(DANFENG, 1, 1)
    ps.number_range(DANFENG, 11, 20)
    got = _second_waits_for_first(app, ps.station(DANFENG).id)
    assert got["second_before_release"] is False
    assert (got["first"], got["second"]) == (1, 11) and got["second_at"] >= got["released"]
    assert sorted(db.session.scalars(select(NumberRange.next_free))) == [2, 12]


def test_taking_a_number_leaves_used_up_ranges_alone(app: Any, ps: Any) -> None:
    """A station keeps its used-up ranges for ever; taking a number neither loads nor locks
    them, so a transaction holding one (e.g. a PSB audit reading it FOR UPDATE on
    PostgreSQL) does not hold up the counter."""
    used_up = ps.number_range(DANFENG, 1, 2)
    used_up.next_free = 3
    ps.number_range(DANFENG, 11, 20)
    used_up_id, station_id = used_up.id, ps.station(DANFENG).id
    db.session.commit()
    holding, release = threading.Event(), threading.Event()
    got: dict[str, Any] = {}

    def holder_of_the_used_up_range() -> None:
        db.session.execute(select(NumberRange).where(NumberRange.id == used_up_id)
                           .with_for_update())
        holding.set()
        release.wait(30)
        db.session.rollback()

    def taker() -> None:
        holding.wait(30)
        station = db.session.get(OrgUnit, station_id)
        loaded: list[int] = []

        def on_load(target: NumberRange, *context: Any) -> None:
            loaded.append(target.start)

        for name in ("load", "refresh"):
            event.listen(NumberRange, name, on_load)
        try:
            got["serial"] = numbers.take_serial(db.session, station, kind="issued", on=D).serial
        finally:
            for name in ("load", "refresh"):
                event.remove(NumberRange, name, on_load)
        got["loaded"] = loaded
        db.session.commit()
        got["taken_before_release"] = not release.is_set()

    def referee() -> None:
        holding.wait(30)
        time.sleep(3)
        release.set()

    assert _run(app, [holder_of_the_used_up_range, taker, referee]) == []
    assert got == {"serial": 11, "loaded": [11], "taken_before_release": True}


def test_two_overlapping_allocations_at_once_one_succeeds(app: Any, admin: Any) -> None:
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def allocate(station: str, start: int, end: int) -> Callable[[], None]:
        def work() -> None:
            barrier.wait()
            try:
                numbers.allocate_range(db.session, station=station, start=start, end=end, on=D,
                                       actor=None)
                db.session.commit()
                outcomes.append("allocated")
            except RuleError as err:
                db.session.rollback()
                outcomes.append(err.code)
        return work

    assert _run(app, [allocate(DANFENG, 1000, 1999), allocate(XIONGBI, 1500, 2499)]) == []
    assert sorted(outcomes) == ["allocated", "overlap"]
    assert db.session.scalar(select(func.count()).select_from(NumberRange)) == 1
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)
                             .where(AuditEvent.action == "number_range.allocate")) == 1


def test_an_allocation_waits_for_the_one_in_progress(app: Any, admin: Any) -> None:
    first_checked, release = threading.Event(), threading.Event()
    got: dict[str, Any] = {}

    def first() -> None:
        numbers.allocate_range(db.session, station=DANFENG, start=1000, end=1999, on=D,
                               actor=None)
        first_checked.set()
        release.wait(30)
        db.session.commit()

    def second() -> None:
        first_checked.wait(30)
        try:
            numbers.allocate_range(db.session, station=XIONGBI, start=1999, end=2999, on=D,
                                   actor=None)
            got["second"] = "allocated"
        except RuleError as err:
            got["second"] = err.code
        db.session.rollback()

    def referee() -> None:
        first_checked.wait(30)
        time.sleep(0.5)
        got["second_before_release"] = "second" in got  # blocked on the register's lock
        release.set()

    assert _run(app, [first, second, referee]) == []
    assert got["second_before_release"] is False and got["second"] == "overlap"
    assert db.session.scalar(select(func.count()).select_from(NumberRange)) == 1
