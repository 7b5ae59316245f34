"""``juzhu demo generate`` (core/generate.py and every plugin's ``generate_demo``): a few
hundred generated holders make a coherent juzhu database — valid and unique ID numbers,
floating people (第二条), registrations on time and late (第十条), permits numbered from the
stations' ranges with their cards and serial uses (第七条、第八条), every permit state
(第十四条), children for education — on which the entitlements API, batch evaluation, the
sweep and the audit chain all work. Plus the command's refusals."""

from __future__ import annotations

import datetime as dt
import types
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select, text

from core import api as kernel
from core.cli import build_cli
from core.db import db
from core.models import AuditEvent, Card, Endorsement, Holder, Permit, Residence
from core.rules import (add_working_days, check_id_agrees, classify_floating, parse_id_number,
                        permit_status)

AS_OF = dt.date(2026, 6, 30)
COUNT = 400
SEED = 7


def generate(app: Any, *args: str) -> Any:
    return CliRunner().invoke(build_cli(app), ["demo", "generate", *args])


@pytest.fixture
def generated(app: Any) -> Any:
    result = generate(app, "--holders", str(COUNT), "--seed", str(SEED),
                      "--as-of", AS_OF.isoformat())
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    return app


def ps_models() -> Any:
    from plugins.public_security import models

    return models


def test_holders_have_valid_unique_ids_and_are_floating(generated: Any) -> None:
    holders = db.session.scalars(select(Holder)).all()
    assert len(holders) == COUNT
    assert len({h.id_number for h in holders}) == COUNT
    for h in holders:
        parsed = parse_id_number(h.id_number, as_of=AS_OF)
        check_id_agrees(parsed, h.birth_date, h.sex)
    assert len({h.hukou_division_code[:6] for h in holders}) >= 20  # many counties
    assert any(len(h.hukou_division_code) == 12 for h in holders)  # other townships too
    ages = Counter("child" if kernel.rules.age_on(h.birth_date, AS_OF) < 18 else "adult"
                   for h in holders)
    assert ages["adult"] > ages["child"] > 0
    divisions = generated.extensions["juzhu"].profile.divisions
    for res in db.session.scalars(select(Residence)):
        # a move (第十六条) ends the residence before on the day the new one starts
        assert res.from_date <= AS_OF and (res.to_date is None
                                           or res.from_date <= res.to_date <= AS_OF)
        assert classify_floating(res.holder.hukou_division_code, res.division_code,
                                 divisions).floating
    current = Counter(db.session.scalars(select(Residence.holder_id).where(
        Residence.to_date.is_(None))))
    assert len(current) == COUNT and set(current.values()) == {1}


def test_registrations_on_time_and_late(generated: Any) -> None:
    reg = ps_models().Registration
    rows = db.session.scalars(select(reg)).all()
    assert len(rows) == COUNT
    calendar = kernel.official_calendar(db.session)
    for r in rows:
        assert r.arrival_date <= r.registered_on <= AS_OF
        assert r.deadline == add_working_days(r.arrival_date, 5, calendar).deadline
        assert r.on_time == (r.registered_on <= r.deadline)
        assert r.residence_id is not None and r.floating_reason
    on_time = sum(r.on_time for r in rows)
    assert 0.65 * COUNT < on_time < COUNT  # about 80% on time, some late
    assert len({r.receipt_number for r in rows}) == COUNT


def test_permits_cards_serials_and_ranges_agree(generated: Any) -> None:
    m = ps_models()
    ranges = {r.id: r for r in db.session.scalars(select(m.NumberRange))}
    uses = {u.serial: u for u in db.session.scalars(select(m.SerialUse))}
    permits = db.session.scalars(select(Permit)).all()
    assert permits
    for p in permits:
        first = p.cards[0]
        assert p.number == str(first.serial) and first.issued_on == p.issued_on
        live = [c for c in p.cards if c.status == "live"]
        # none once revoked, or while the police hold its card (第二十一条)
        assert len(live) == (0 if p.revoked_on or p.cards[-1].status == "detained" else 1)
        for card in p.cards:
            use = uses[card.serial]
            rng = ranges[use.range_id]
            assert use.kind == "issued" and use.card_id == card.id
            assert rng.station_id == card.station_id
            assert rng.start <= card.serial < rng.next_free <= rng.end + 1
        assert p.cards[-1].station_id == p.station_id  # a moved permit's card: the new station's
        app_row = db.session.scalar(select(m.Application).where(m.Application.permit_id == p.id))
        assert app_row.outcome == "issued" and app_row.accepted_on == p.issued_on
    issued_cards = db.session.scalar(select(func.count()).select_from(Card))
    assert sum(u.kind == "issued" for u in uses.values()) == issued_cards
    spans = sorted((r.start, r.end) for r in ranges.values())
    assert all(a[1] < b[0] for a, b in zip(spans, spans[1:]))  # no overlap (第七条)
    outcomes = Counter(db.session.scalars(select(m.Application.outcome)))
    assert outcomes["issued"] == len(permits) and outcomes["ineligible"] > 0


def test_every_permit_state_and_endorsements(generated: Any) -> None:
    permits = db.session.scalars(select(Permit)).all()
    states = Counter(permit_status(p.valid_until, AS_OF, p.revoked_on) for p in permits)
    assert states["valid"] and states["suspended"] and states["revoked"], states
    late = on_time = 0
    for p in permits:
        ends = db.session.scalars(select(Endorsement).where(Endorsement.permit_id == p.id)
                                  .order_by(Endorsement.endorsed_on)).all()
        if ends:
            assert ends[-1].valid_until_after == p.valid_until
            for before, after in zip(ends, ends[1:]):
                assert before.valid_until_after == after.valid_until_before
        else:
            assert p.valid_until == kernel.rules.valid_until_for(p.issued_on)
        moved = db.session.scalar(select(ps_models().AddressChange).where(
            ps_models().AddressChange.permit_id == p.id))
        for e in ends:  # at the station that had the permit that day (第十六条)
            at = moved.old_station_id if moved and e.endorsed_on < moved.on else p.station_id
            assert e.endorsed_on <= AS_OF and e.station_id == at
            late += e.late
            on_time += not e.late
    assert late and on_time
    # a permit more than a year old and still valid has been endorsed
    old_valid = [p for p in permits if p.revoked_on is None and p.valid_until >= AS_OF
                 and kernel.rules.add_years(p.issued_on, 1) < AS_OF]
    assert old_valid and all(
        db.session.scalar(select(func.count()).where(Endorsement.permit_id == p.id))
        for p in old_valid)


def test_children_are_linked_with_valid_numbers(generated: Any) -> None:
    from plugins.education.models import Child

    children = db.session.scalars(select(Child)).all()
    assert children
    for child in children:
        parsed = parse_id_number(child.id_number, as_of=AS_OF)
        check_id_agrees(parsed, child.birth_date, child.sex)
        assert kernel.rules.age_on(child.birth_date, AS_OF) < 18
        assert child.holder.id_number[:6] == child.id_number[:6]


def test_foreign_keys_and_audit_chain(generated: Any) -> None:
    if db.engine.dialect.name == "sqlite":
        assert db.session.execute(text("PRAGMA foreign_key_check")).all() == []
    events = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "demo.generate")).all()
    assert len(events) == 1
    assert events[0].new["holders"] == COUNT and events[0].new["seed"] == SEED
    result = CliRunner().invoke(build_cli(generated), ["audit", "verify"])
    assert result.exit_code == 0, result.output


def test_entitlements_api_answers_for_generated_holders(generated: Any, users: Any,
                                                         api: Any) -> None:
    _admin, token = users("county_admin")
    ids = db.session.scalars(select(Holder.id).order_by(Holder.id)).all()
    for holder_id in ids[::20]:
        resp = api("GET", f"/holders/{holder_id}/entitlements?as_of={AS_OF}", token)
        assert resp.status_code == 200, resp.get_json()
        items = resp.get_json()["items"]
        assert items and not [i for i in items if i["status"] == "error"]


@pytest.mark.parametrize("code", ["art18.3", "art18.4"])
def test_batch_agrees_with_the_engine_on_generated_data(generated: Any, batch_agrees: Any,
                                                        code: str) -> None:
    rows = batch_agrees(code, AS_OF)
    assert len(rows) == COUNT
    assert {r.eligible for r in rows} == {True, False}


def test_sweep_records_what_the_dates_imply(generated: Any) -> None:
    m = kernel.PermitStatusEvent
    due = [p for p in db.session.scalars(select(Permit))
           if p.revoked_on is None and p.valid_until < AS_OF]
    result = CliRunner().invoke(build_cli(generated), ["sweep", "--as-of", AS_OF.isoformat()])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    for p in due:
        assert db.session.scalar(select(func.count()).where(
            m.permit_id == p.id, m.status == "suspended",
            m.on == p.valid_until + dt.timedelta(days=1))) == 1
    again = CliRunner().invoke(build_cli(generated), ["sweep", "--as-of", AS_OF.isoformat()])
    assert "0 个" in again.output


def test_generating_again_appends_without_collisions(generated: Any) -> None:
    result = generate(generated, "--holders", "100", "--seed", str(SEED),
                      "--as-of", AS_OF.isoformat())
    assert result.exit_code == 0, result.output
    numbers = db.session.scalars(select(Holder.id_number)).all()
    assert len(numbers) == COUNT + 100 == len(set(numbers))
    assert "编号 401–500" in result.output


def test_generate_demo_hook_runs_after_the_kernel_and_police(make_app: Any) -> None:
    """A plugin's ``generate_demo`` gets the population with the kernel's holders and, when it
    names the police in SEED_AFTER, their permits already written."""
    seen: list[Any] = []
    module = types.ModuleType("dept_g")
    module.SEED_AFTER = ("public_security",)  # type: ignore[attr-defined]

    def generate_demo(session, population):  # type: ignore[no-untyped-def]
        chunk = next(population.holders())
        seen.append((population.count, len(chunk), len(population.permits_of(chunk))))
        population.progress(population.count)

    module.generate_demo = kernel.hookimpl(generate_demo)  # type: ignore[attr-defined]
    app = make_app(plugins=[("dept_g", module)])
    with app.app_context():
        result = generate(app, "--holders", "50", "--as-of", AS_OF.isoformat())
    assert result.exit_code == 0, result.output
    assert seen and seen[0][0] == seen[0][1] == 50 and seen[0][2] > 0


def test_refusals(app: Any, make_app: Any, tmp_path: Path) -> None:
    zero = generate(app, "--holders", "0")
    assert zero.exit_code == 2 and "--holders" in zero.output
    future = generate(app, "--holders", "5", "--as-of", "2999-01-01")
    assert future.exit_code == 2 and "--as-of" in future.output
    bad = generate(app, "--holders", "5", "--as-of", "2026-13-01")
    assert bad.exit_code == 2 and "YYYY-MM-DD" in bad.output
    assert db.session.scalar(select(func.count()).select_from(Holder)) == 0
    empty = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'empty.sqlite'}")
    with empty.app_context():
        fresh = generate(empty, "--holders", "5")
    assert fresh.exit_code == 2 and "juzhu init" in fresh.output


def test_department_rows_keep_their_rules(generated: Any) -> None:
    """Health's ``free`` is the permit's state on the day served (第十八条（六）); housing facts,
    employments, trainings and means are dated between arrival and ``as_of``; credit codes
    carry their GB 32100 check character; elections are in the county's communities and
    villages (第十八条（一）)."""
    from plugins.civil_affairs.models import Election
    from plugins.civil_affairs.rules import check_division
    from plugins.health.models import HealthService
    from plugins.housing.models import HousingFacts
    from plugins.human_resources.models import Employment, Training
    from plugins.human_resources.rules import credit_check_char
    from plugins.justice.models import JusticeMeans

    arrived = dict(db.session.execute(select(Residence.holder_id, Residence.from_date)).all())
    permits = {p.holder_id: p for p in db.session.scalars(select(Permit))}
    services = db.session.scalars(select(HealthService)).all()
    assert {s.free for s in services} == {True, False}
    for s in services:
        p = permits.get(s.holder_id)
        assert s.free == (p is not None and p.issued_on <= s.served_on
                          and permit_status(p.valid_until, s.served_on, p.revoked_on) == "valid")
        assert arrived[s.holder_id] <= s.served_on <= AS_OF
    for model, day in ((HousingFacts, "recorded_on"), (JusticeMeans, "recorded_on"),
                       (Employment, "started_on"), (Training, "on")):
        rows = db.session.scalars(select(model)).all()
        assert rows, model
        assert all(arrived[r.holder_id] <= getattr(r, day) <= AS_OF for r in rows), model
    jobs = db.session.scalars(select(Employment)).all()
    codes = [j.credit_code for j in jobs if j.credit_code]
    assert codes and all(c[-1] == credit_check_char(c[:17]) for c in codes)
    assert all(j.ended_on is None or j.started_on <= j.ended_on <= AS_OF for j in jobs)
    divisions = generated.extensions["juzhu"].profile.divisions
    elections = db.session.scalars(select(Election)).all()
    assert {e.kind for e in elections} == {"community", "village"}
    for e in elections:
        assert check_division(e.division_code, e.kind, divisions) == e.division_code
        assert e.registration_closes_on < e.held_on and e.held_on > AS_OF
