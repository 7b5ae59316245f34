"""``juzhu sweep`` (《办法》第十四条第二款): records the suspensions that dates imply, once;
status never waited for it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from core import api as kernel
from core.cli import build_cli
from core.db import db
from core.models import AuditEvent, PermitStatusEvent
from plugins.public_security import sweep
from plugins.public_security.endorsement import endorse_permit
from plugins.public_security.revocation import revoke

D = dt.date(2027, 1, 16)
FULL = ["id_card", "permit_card", "rental_contract"]


def suspensions() -> list[tuple[int, dt.date]]:
    return [(e.permit_id, e.on) for e in db.session.scalars(
        select(PermitStatusEvent).where(PermitStatusEvent.status == "suspended")
        .order_by(PermitStatusEvent.permit_id))]


def sweep_audits() -> list[Any]:
    return db.session.scalars(select(AuditEvent).where(AuditEvent.action == "permit.sweep")
                              .order_by(AuditEvent.seq)).all()


def test_records_each_lapsed_permit_once(ps, clerk, api) -> None:  # type: ignore[no-untyped-def]
    lapsed = ps.permit(issued_on=dt.date(2026, 1, 15))  # valid_until 2027-01-15
    last_day = ps.permit(issued_on=dt.date(2026, 1, 16))  # valid through 2027-01-16
    revoked = ps.permit(issued_on=dt.date(2025, 6, 1))
    revoke(db.session, permit=revoked, on=dt.date(2025, 9, 1), reason="died", actor=None)
    db.session.commit()
    # status is derived before any sweep
    assert api("GET", f"/permits/{lapsed.number}?as_of=2027-01-16",
               clerk[1]).json["status"] == "suspended"

    assert sweep.sweep(db.session, D) == 1
    db.session.commit()
    assert suspensions() == [(lapsed.id, D)]
    event = db.session.scalar(select(PermitStatusEvent).where(
        PermitStatusEvent.status == "suspended"))
    assert "逾期未签注" in event.reason and "第十四条" in event.reason

    assert sweep.sweep(db.session, D) == 0  # idempotent
    assert sweep.sweep(db.session, dt.date(2027, 1, 17)) == 1  # the next day: last_day lapses
    db.session.commit()
    assert suspensions() == [(lapsed.id, D), (last_day.id, dt.date(2027, 1, 17))]
    assert [a.new for a in sweep_audits()] == [
        {"as_of": "2027-01-16", "suspended": 1}, {"as_of": "2027-01-16", "suspended": 0},
        {"as_of": "2027-01-17", "suspended": 1}]


def test_a_late_endorsement_starts_a_new_period(ps) -> None:  # type: ignore[no-untyped-def]
    permit = ps.permit(issued_on=dt.date(2026, 1, 15))
    assert sweep.sweep(db.session, D) == 1
    endorse_permit(db.session, permit=permit, endorsed_on=dt.date(2027, 2, 1), materials=FULL,
                   actor=None)
    db.session.commit()
    assert sweep.sweep(db.session, dt.date(2027, 6, 1)) == 0
    # the late endorsement found the suspension already recorded: no second row for it
    assert suspensions() == [(permit.id, D)]
    assert sweep.sweep(db.session, dt.date(2028, 2, 2)) == 1  # valid_until 2028-02-01 lapsed
    assert suspensions()[-1] == (permit.id, dt.date(2028, 2, 2))


def test_pages_cover_every_permit(ps, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(sweep, "BATCH", 2)
    made = [ps.permit(issued_on=dt.date(2025, 1, 1) + dt.timedelta(days=i)) for i in range(5)]
    assert sweep.sweep(db.session, D) == 5
    assert suspensions() == [(p.id, p.valid_until + dt.timedelta(days=1)) for p in made]
    assert sweep.sweep(db.session, D) == 0


def test_cli_prints_a_chinese_summary_and_is_idempotent(app, ps) -> None:  # type: ignore[no-untyped-def]
    permit = ps.permit(issued_on=dt.date(2026, 1, 15))
    cli = build_cli(app)
    runner = CliRunner()
    first = runner.invoke(cli, ["sweep", "--as-of", "2027-01-16"])
    assert first.exit_code == 0, first.output
    assert "已记录 1 个居住证的使用功能中止（截至 2027-01-16）" in first.stdout
    second = runner.invoke(cli, ["sweep", "--as-of", "2027-01-16"])
    assert "已记录 0 个" in second.stdout
    db.session.expire_all()
    assert suspensions() == [(permit.id, D)]  # committed by the command


def test_cli_defaults_to_today(app, ps) -> None:  # type: ignore[no-untyped-def]
    ps.permit(issued_on=dt.date(2020, 1, 15))
    result = CliRunner().invoke(build_cli(app), ["sweep"])
    assert result.exit_code == 0
    assert f"已记录 1 个居住证的使用功能中止（截至 {kernel.today().isoformat()}）" in result.stdout


@pytest.mark.parametrize("value", ["2027-13-01", "20270116", "tomorrow", "2027-1-16"])
def test_cli_refuses_a_malformed_date_in_chinese(app, ps, value) -> None:  # type: ignore[no-untyped-def]
    ps.permit(issued_on=dt.date(2020, 1, 15))
    result = CliRunner().invoke(build_cli(app), ["sweep", "--as-of", value])
    assert result.exit_code != 0
    assert "--as-of 应为 YYYY-MM-DD" in result.stderr
    assert db.session.scalar(select(func.count()).select_from(PermitStatusEvent)) == 0
    assert not sweep_audits()


def test_valid_through_valid_until(ps) -> None:  # type: ignore[no-untyped-def]
    permit = ps.permit(issued_on=dt.date(2026, 1, 15))
    assert sweep.sweep(db.session, permit.valid_until) == 0 and suspensions() == []
    assert sweep.sweep(db.session, permit.valid_until + dt.timedelta(days=1)) == 1


def test_a_suspension_already_written_by_another_sweep_is_skipped(ps, clerk) -> None:  # type: ignore[no-untyped-def]
    """What a concurrent sweep leaves behind (tests/faults/test_pg_sweep.py races two real
    processes on PostgreSQL): the database refuses a second identical event, and
    ``insert_new`` returns only the rows it wrote, so the hook fires for those alone."""
    from sqlalchemy.exc import IntegrityError

    one, two = ps.permit(issued_on=dt.date(2026, 1, 1)), ps.permit(issued_on=dt.date(2026, 1, 2))
    row = {"permit_id": one.id, "status": "suspended", "on": sweep.suspension_day(one),
           "reason": sweep.SUSPENDED}
    db.session.add(PermitStatusEvent(**row))
    db.session.flush()
    with pytest.raises(IntegrityError):  # the unique (permit_id, status, on) constraint
        with db.session.begin_nested():
            db.session.add(PermitStatusEvent(**row))
    written = kernel.insert_new(db.session, PermitStatusEvent, [
        row, {**row, "permit_id": two.id, "on": sweep.suspension_day(two)}],
        returning=[PermitStatusEvent.permit_id])
    assert [r.permit_id for r in written] == [two.id]
    assert kernel.insert_new(db.session, PermitStatusEvent, [row],
                             returning=[PermitStatusEvent.id]) == []
    assert sorted(suspensions()) == sorted([(one.id, sweep.suspension_day(one)),
                                            (two.id, sweep.suspension_day(two))])
    # a sweep now finds nothing left to record for either
    assert sweep.sweep(db.session, dt.date(2028, 1, 1)) == 0
