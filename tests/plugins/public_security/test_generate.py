"""The police's part of ``juzhu demo generate`` beyond registrations and permits
(plugins/public_security/generate.py): the stock register and counts (《办法》第八条) that
reconcile on every count, numbers used in date order, checks with detentions and releases
(第二十一条) as ``checks.record_check`` writes them, and moves within the county (第十六条) as
``address_change.change_address`` writes them. The kernel's and the other stages' invariants
are in tests/core/test_generate.py."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from typing import Any

import pytest
from sqlalchemy import func, select

from core import api as kernel
from core.db import db
from core.models import Card, Endorsement, Holder, Permit, Residence
from plugins.public_security import checks, stock, verification
from plugins.public_security import generate as ps_generate
from plugins.public_security.models import (AddressChange, CardReissue, Check, NumberRange,
                                            Registration, SerialUse, StockCount, StockIssue)
from tests.support import GENERATED_AS_OF as AS_OF
from tests.support import current_residences, generate_demo

COUNT = 1500
SEED = 1  # a run with detained cards both held and released
DANFENG = "station-530323001"


@pytest.fixture
def officers(app: Any, users: Any) -> dict[str, Any]:
    """Police officers of the county PSB and of 丹凤派出所, then the generated data."""
    made = {"county-psb": users("police_officer")[0], DANFENG: users("police_officer", DANFENG)[0]}
    generate_demo(app, COUNT, SEED)
    return made


def generated_ranges() -> dict[int, NumberRange]:
    """Each station's range from this run (by station id)."""
    return {r.station_id: r for r in db.session.scalars(
        select(NumberRange).where(NumberRange.note == "合成数据号段"))}


def balanced_on_every_count() -> set[dt.date]:
    days = set(db.session.scalars(select(StockCount.counted_on)))
    for day in sorted(days):
        books = stock.reconcile_all(db.session, as_of=day)
        assert books and all(r.counted_on == day and r.difference == 0 and not r.flagged
                             and r.note == "账实相符" for r in books), day
    return days


def test_every_station_balances_on_every_quarterly_count(officers: Any) -> None:
    stations = db.session.scalars(select(kernel.OrgUnit).where(
        kernel.OrgUnit.kind == "police_station")).all()
    ranges = generated_ranges()
    assert set(ranges) == {s.id for s in stations}
    quarters = list(ps_generate.quarter_ends(next(iter(ranges.values())).allocated_on, AS_OF))
    assert quarters[-1] == AS_OF and len(quarters) == 25  # six years and a month of quarters
    for s in stations:
        counted = db.session.scalars(select(StockCount.counted_on).where(
            StockCount.station_id == s.id).order_by(StockCount.counted_on)).all()
        assert counted == quarters
        books = stock.reconcile(db.session, s.id, as_of=AS_OF)
        assert books.counted_on == AS_OF and books.difference == 0 and not books.flagged
        assert books.issued > 0 and books.counted_on_hand == books.allocated - books.issued \
            - books.voided
    assert balanced_on_every_count() == set(quarters)
    # between two counts the books are compared as of the earlier one: still balanced
    assert not [r for r in stock.reconcile_all(db.session, as_of=dt.date(2025, 2, 14))
                if r.flagged or r.counted_on != dt.date(2024, 12, 31)]
    notes = Counter(db.session.scalars(select(StockCount.note)))
    assert set(notes) == {"季度盘点", "年终盘点"}


def test_numbers_are_used_in_date_order_and_handed_out_unused(officers: Any) -> None:
    ranges = generated_ranges()
    for station_id, rng in ranges.items():
        uses = db.session.scalars(select(SerialUse).where(SerialUse.range_id == rng.id)
                                  .order_by(SerialUse.serial)).all()
        # the lowest free number at each act: no gap below the cursor, days ascending
        assert [u.serial for u in uses] == list(range(rng.start, rng.next_free))
        assert all(a.used_on <= b.used_on for a, b in zip(uses, uses[1:]))
        assert all(u.station_id == station_id for u in uses)
        issues = db.session.scalars(select(StockIssue).where(StockIssue.station_id == station_id)
                                    .order_by(StockIssue.serial_from)).all()
        assert issues, station_id
        days = [u.used_on for u in uses]
        for issue in issues:
            stock.check_issue_serials(issue.quantity, issue.serial_from, issue.serial_to)
            assert rng.start <= issue.serial_from <= issue.serial_to <= rng.end
            assert rng.allocated_on <= issue.issued_on <= AS_OF
            assert issue.recipient.endswith("（窗口民警）")
            # none of its blanks was used before it was handed out
            inside = days[issue.serial_from - rng.start:issue.serial_to - rng.start + 1]
            assert all(day >= issue.issued_on for day in inside), issue.id
        assert all(a.serial_to < b.serial_from and a.issued_on <= b.issued_on
                   for a, b in zip(issues, issues[1:]))
        # every number used was handed out first: the issues run without a gap from the start
        assert issues[0].serial_from == rng.start
        assert all(a.serial_to + 1 == b.serial_from for a, b in zip(issues, issues[1:]))
        assert issues[-1].serial_to >= rng.next_free - 1
    # voided blanks keep their reason
    voided = db.session.scalars(select(SerialUse).where(SerialUse.kind == "voided")).all()
    assert voided and {u.reason for u in voided} == {ps_generate.VOID_REASON}


def test_checks_detentions_and_releases(officers: Any) -> None:
    rows = db.session.scalars(select(Check).order_by(Check.checked_at, Check.id)).all()
    actions = Counter(c.action for c in rows)
    assert actions["none"] and actions["detain"] and actions["release"], actions
    permits = db.session.scalar(select(func.count()).select_from(Permit))
    assert actions["none"] < 0.08 * permits and actions["detain"] < 0.02 * permits
    danfeng = db.session.scalar(select(kernel.OrgUnit.id).where(kernel.OrgUnit.code == DANFENG))
    by_card: dict[int, list[Check]] = defaultdict(list)
    for c in rows:
        by_card[c.card_id].append(c)
        card = c.card
        assert c.permit_id == card.permit_id and c.place and c.result
        assert card.issued_on <= c.checked_at.date() <= AS_OF
        # the station's own officer in 丹凤; the county PSB's elsewhere; org as record_check
        expected = officers[DANFENG if card.station_id == danfeng else "county-psb"]
        assert c.officer_id == expected.id and c.org_id == expected.org_id
        assert c.result == {"none": ps_generate.CHECKED, "release": ps_generate.RELEASED}.get(
            c.action, c.result)
        assert c.action != "detain" or c.result in ps_generate.DETAINED
    detained = released = 0
    for card_id, done in by_card.items():
        card = db.session.get(Card, card_id)
        permit = card.permit
        assert permit.revoked_on is None and card.id == permit.cards[-1].id  # the card in use
        # replayed through the service's own rules, the checks end in the card's status
        status, status_on = "live", card.issued_on
        for c in done:
            after = checks.card_status_after(c.action, serial=card.serial, status=status,
                                             permit_revoked=False, other_live_serial=None)
            checks.check_date_order(c.checked_at.date(), issued_on=card.issued_on,
                                    status_on=status_on, changes_status=after != status)
            if after != status:
                status, status_on = after, c.checked_at.date()
        assert (card.status, card.status_on) == (status, status_on)
        scan = verification.verify(db.session, verification.token_for(card), AS_OF)
        if card.status == "detained":
            detained += 1
            assert permit.live_card is None and not scan.valid  # no live card while held
        elif "release" in {c.action for c in done}:
            released += 1
            assert [c.action for c in done][-2:] == ["detain", "release"]
            assert done[-1].checked_at.date() > done[-2].checked_at.date()
            assert permit.live_card.id == card.id and scan.status is not None
    assert detained and released
    assert db.session.scalar(select(func.count()).select_from(Card).where(
        Card.status == "detained")) == detained


def test_moves_within_the_county(officers: Any, app: Any) -> None:
    changes = db.session.scalars(select(AddressChange)).all()
    unrevoked = db.session.scalar(select(func.count()).select_from(Permit).where(
        Permit.revoked_on.is_(None)))
    assert 0.005 * unrevoked < len(changes) < 0.03 * unrevoked
    ranges = db.session.scalars(select(NumberRange)).all()
    divisions = app.extensions["juzhu"].profile.divisions
    for ch in changes:
        permit = ch.permit
        assert permit.revoked_on is None and permit.issued_on < ch.on <= AS_OF
        assert permit.station_id == ch.new_station_id != ch.old_station_id
        reissue = db.session.get(CardReissue, ch.reissue_id)
        assert (reissue.reason, reissue.on, reissue.station_id, reissue.old_card_returned) == \
            ("address_change", ch.on, ch.new_station_id, True)
        old, new = reissue.old_card, reissue.new_card
        assert (old.status, old.status_on, old.station_id) == ("returned", ch.on,
                                                               ch.old_station_id)
        assert (new.issued_on, new.station_id, new.permit_id) == (ch.on, ch.new_station_id,
                                                                  permit.id)
        use = db.session.get(SerialUse, new.serial)
        assert (use.kind, use.card_id, use.used_on) == ("issued", new.id, ch.on)
        assert any(r.station_id == ch.new_station_id and r.start <= new.serial <= r.end
                   for r in ranges)
        # the old residence ends on the day and the new one starts on it (change_address)
        before, after = db.session.get(Residence, ch.old_residence_id), \
            db.session.get(Residence, ch.new_residence_id)
        assert before.holder_id == after.holder_id == permit.holder_id
        assert before.to_date == ch.on == after.from_date and after.to_date is None
        station = db.session.get(kernel.OrgUnit, ch.new_station_id)
        assert after.division_code[:9] == station.division_code[:9] != before.division_code[:9]
        assert kernel.rules.classify_floating(permit.holder.hukou_division_code,
                                              after.division_code, divisions).floating
        # endorsed where the permit was that day; replaced after the move at the new station
        for e in db.session.scalars(select(Endorsement).where(Endorsement.permit_id == permit.id)):
            assert e.station_id == (ch.old_station_id if e.endorsed_on < ch.on
                                    else ch.new_station_id)
        for r in db.session.scalars(select(CardReissue).where(
                CardReissue.permit_id == permit.id, CardReissue.reason != "address_change")):
            assert r.station_id == (ch.old_station_id if r.on < ch.on else ch.new_station_id)
        live = [c for c in permit.cards if c.status == "live"]
        assert len(live) <= 1 and all(c.station_id == ch.new_station_id for c in live)
    # one open residence per holder; registrations stay as made (one per holder)
    open_ = Counter(db.session.scalars(select(Residence.holder_id).where(
        Residence.to_date.is_(None))))
    assert len(open_) == COUNT and set(open_.values()) == {1}
    assert db.session.scalar(select(func.count()).select_from(Registration)) == COUNT
    # the stages after the police read each holder once, where they now live
    population = kernel.Population(db.session, app.extensions["juzhu"].profile, AS_OF, SEED,
                                   1, COUNT)
    read = [h for chunk in population.holders(size=400) for h in chunk]
    assert [h.id for h in read] == list(range(1, COUNT + 1))
    current = current_residences()
    assert all((h.residence_id, h.arrived_on) == (current[h.id].id, current[h.id].from_date)
               for h in read)


def test_without_an_officer_no_checks_and_again_balanced(app: Any) -> None:
    """No police officer account: no check is made up (a generator makes no accounts). A
    second run on the same database still balances every station on every count."""
    generate_demo(app, 300, SEED)
    assert db.session.scalar(select(func.count()).select_from(Check)) == 0
    first = balanced_on_every_count()
    generate_demo(app, 300, SEED)
    assert db.session.scalar(select(func.count()).select_from(Holder)) == 600
    assert balanced_on_every_count() == first
    spans = sorted((i.station_id, i.serial_from, i.serial_to)
                   for i in db.session.scalars(select(StockIssue)))
    assert all(a[0] != b[0] or a[2] < b[1] for a, b in zip(spans, spans[1:]))
    # both runs' numbers: each run's range used in date order from its start
    for rng in db.session.scalars(select(NumberRange)):
        days = db.session.scalars(select(SerialUse.used_on).where(SerialUse.range_id == rng.id)
                                  .order_by(SerialUse.serial)).all()
        assert days == sorted(days) and len(days) == rng.next_free - rng.start


def test_quarter_ends() -> None:
    ends = list(ps_generate.quarter_ends(dt.date(2020, 5, 31), dt.date(2021, 3, 31)))
    assert ends == [dt.date(2020, 6, 30), dt.date(2020, 9, 30), dt.date(2020, 12, 31),
                    dt.date(2021, 3, 31)]
    assert list(ps_generate.quarter_ends(dt.date(2020, 12, 31), dt.date(2020, 12, 30))) == []
