"""The police's part of ``juzhu demo generate``: for every generated holder a registration
(《办法》第十条: about 80% within 5 working days, the rest late), applications (第十一条至第十三条:
issued, incomplete, ineligible), permits with their first card numbered from a range the
county PSB allocated to the station (第七条、第八条: a ``SerialUse`` for every number, a few
voided blanks), yearly endorsements on time or late (第十四条: a late one records the
suspension and the restoration), lost or damaged cards replaced (第十五条), revocations, and
a few landlords' and employers' reports.

The rows are the ones the service functions write (same columns, numbers, reasons and
texts), computed with the same pure rules, but written in bulk with explicit ids. Permits
whose validity ran out are left for ``juzhu sweep`` to record, as in a county where the sweep
has not run yet today.
"""

from __future__ import annotations

import datetime as dt
import random
from functools import lru_cache
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from core import api

from . import application, endorsement, revocation, sweep
from .documents import PREFIXES
from .models import (Application, CardReissue, DocumentSequence, NumberRange, Registration,
                     SerialUse, ThirdPartyReport)

ON_TIME_SHARE = 0.8
REVOKED_SHARE = 0.03
REPLACED_SHARE = 0.02
VOIDED_SHARE = 0.003
REPORTED_SHARE = 0.02
# behaviour at each endorsement window: on time, late, never
ENDORSE_ON_TIME, ENDORSE_LATE = 0.78, 0.10
VOID_REASON = "打印错位，卡面作废"
REPORTERS = (("employer", "师宗县演示建材有限公司"), ("employer", "师宗县演示物流有限公司"),
             ("landlord", "房屋出租人（个人）"), ("agency", "师宗县演示房屋中介服务部"))
REVOKE_REASONS = (("left_county", 80), ("settled", 15), ("died", 4), ("false_materials", 1))

REG_COLS = ("id", "receipt_number", "holder_id", "station_id", "arrival_date", "registered_on",
            "residence_address", "residence_division_code", "deadline", "on_time", "provisional",
            "floating_reason", "residence_id")
APP_COLS = ("id", "document_number", "holder_id", "station_id", "registration_id", "accepted_on",
            "basis", "materials", "applicant", "agent_id_number", "limited_mobility", "outcome",
            "missing", "reasons", "permit_id")
PERMIT_COLS = ("id", "number", "holder_id", "authority_id", "station_id", "issued_on",
               "valid_until", "continuous_residence_since", "revoked_on", "revocation_reason")
CARD_COLS = ("id", "permit_id", "serial", "station_id", "issued_on", "status", "status_on")
USE_COLS = ("serial", "range_id", "station_id", "kind", "used_on", "card_id", "reason")
END_COLS = ("id", "permit_id", "station_id", "endorsed_on", "late", "valid_until_before",
            "valid_until_after")
EVENT_COLS = ("id", "permit_id", "status", "on", "reason")
REISSUE_COLS = ("id", "permit_id", "reason", "on", "station_id", "old_card_id", "new_card_id",
                "old_card_returned")
REPORT_COLS = ("id", "reporter_kind", "reporter_name", "holder_id_number", "holder_id",
               "contract_date", "reported_on", "premises_address", "premises_division_code",
               "station_id", "deadline", "on_time", "provisional")


def _days(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    """A day in ``[start, end]`` (``start`` when the range is empty)."""
    return start + dt.timedelta(days=rng.randint(0, max(0, (end - start).days)))


class Ids:
    """Next explicit id per table, read once at the start."""

    def __init__(self, population: api.Population, *models: Any) -> None:
        self._next = {m: population.next_id(m) for m in models}

    def __call__(self, model: Any) -> int:
        n = self._next[model]
        self._next[model] = n + 1
        return n


class Numbers:
    """One new range per station, sized for its generated holders, above every number the
    county has allocated (第七条: ranges never overlap); serials taken lowest first."""

    def __init__(self, session: Session, population: api.Population, stations: dict[str, Any]):
        first, last = population.holder_ids.start, population.holder_ids.stop - 1
        town = func.substr(api.Residence.division_code, 1, 9)
        counts = dict(session.execute(
            select(town, func.count()).where(api.Residence.holder_id.between(first, last))
            .group_by(town)).all())
        top = session.scalar(select(func.max(NumberRange.end))) or 0
        start = (top // 1_000_000 + 1) * 1_000_000 + 1
        range_id = population.next_id(NumberRange)
        self.next: dict[int, int] = {}
        self.ranges: dict[int, tuple[int, int]] = {}  # station id -> (range id, end)
        rows = []
        for code9, station in sorted(stations.items()):
            size = (int(counts.get(code9, 0) * 1.1) // 1000 + 1) * 1000
            rows.append((range_id, station.id, start, start + size - 1, start,
                         population.as_of - dt.timedelta(days=6 * 365 + 30), "合成数据号段"))
            self.next[station.id] = start
            self.ranges[station.id] = (range_id, start + size - 1)
            range_id += 1
            start += size
        population.bulk_insert(NumberRange, rows, ("id", "station_id", "start", "end",
                                                   "next_free", "allocated_on", "note"))
        self.uses: list[tuple[Any, ...]] = []

    def take(self, station_id: int, kind: str, on: dt.date, card_id: int | None,
             reason: str | None = None) -> int:
        serial = self.next[station_id]
        range_id, end = self.ranges[station_id]
        if serial > end:  # sized with a margin: cannot happen unless the sizing is wrong
            raise RuntimeError(f"generated range of station {station_id} exhausted")
        self.next[station_id] = serial + 1
        self.uses.append((serial, range_id, station_id, kind, on, card_id, reason))
        return serial

    def close(self, session: Session) -> None:
        for station_id, (range_id, _end) in self.ranges.items():
            session.execute(update(NumberRange).where(NumberRange.id == range_id)
                            .values(next_free=self.next[station_id]))


class Documents:
    """Receipt and document numbers (<kind><township><year><sequence>) continuing each
    station's counters, written back at the end (documents.next_number's format)."""

    def __init__(self, session: Session) -> None:
        self.last = {(s.station_id, s.kind, s.year): s.last
                     for s in session.scalars(select(DocumentSequence))}
        self.known = set(self.last)

    def next(self, station: Any, kind: str, year: int) -> str:
        key = (station.id, kind, year)
        n = self.last.get(key, 0) + 1
        self.last[key] = n
        return f"{PREFIXES[kind]}{station.division_code[:9]}{year}{n:06d}"

    def close(self, session: Session, population: api.Population) -> None:
        for key in self.known:
            station_id, kind, year = key
            session.execute(update(DocumentSequence).where(
                DocumentSequence.station_id == station_id, DocumentSequence.kind == kind,
                DocumentSequence.year == year).values(last=self.last[key]))
        population.bulk_insert(DocumentSequence, [(*k, v) for k, v in self.last.items()
                                                  if k not in self.known],
                               ("station_id", "kind", "year", "last"))


class Police:
    def __init__(self, session: Session, population: api.Population) -> None:
        self.session, self.population = session, population
        self.rng = population.rng("public_security")
        self.as_of = population.as_of
        self.divisions = population.profile.divisions
        orgs = session.scalars(select(api.OrgUnit).where(api.OrgUnit.kind.in_(
            ("police_station", "county_psb")))).all()
        self.stations = {o.division_code[:9]: o for o in orgs
                         if o.kind == "police_station" and o.division_code}
        self.psb_id = next(o.id for o in orgs if o.kind == "county_psb")
        self.calendar = api.official_calendar(session)
        self.ids = Ids(population, Registration, Application, api.Permit, api.Card,
                       api.Endorsement, api.PermitStatusEvent, CardReissue, ThirdPartyReport)
        self.numbers = Numbers(session, population, self.stations)
        self.docs = Documents(session)
        self.deadline = lru_cache(maxsize=None)(self._deadline)
        self.floating = lru_cache(maxsize=None)(self._floating)
        # pure date rules, called several times per holder on a few thousand distinct days
        self.eligible_from = lru_cache(maxsize=None)(api.rules.residence_eligible_from)
        self.valid_until_for = lru_cache(maxsize=None)(api.rules.valid_until_for)
        self.reset()

    def _deadline(self, day: dt.date) -> Any:
        return api.rules.add_working_days(day, 5, self.calendar)

    @staticmethod
    @lru_cache(maxsize=None)
    def sixteenth(birth: dt.date) -> dt.date:
        """The day one born on ``birth`` turns 16 (第十二条: agents only for those under 16)."""
        return api.rules.add_years(birth, application.AGENT_AGE)

    def _floating(self, hukou: str, town: str) -> str:
        return api.rules.classify_floating(hukou, town, self.divisions).reason

    def reset(self) -> None:
        self.regs: list[tuple[Any, ...]] = []
        self.apps: list[tuple[Any, ...]] = []
        self.permits: list[tuple[Any, ...]] = []
        self.cards: list[list[Any]] = []
        self.endorsements: list[tuple[Any, ...]] = []
        self.events: list[tuple[Any, ...]] = []
        self.reissues: list[tuple[Any, ...]] = []
        self.reports: list[tuple[Any, ...]] = []

    def flush(self) -> None:
        """Write a chunk's rows, parents before children (PostgreSQL checks every FK)."""
        ins = self.population.bulk_insert
        ins(Registration, self.regs, REG_COLS)
        ins(api.Permit, self.permits, PERMIT_COLS)
        ins(api.Card, self.cards, CARD_COLS)
        ins(SerialUse, self.numbers.uses, USE_COLS)
        ins(Application, self.apps, APP_COLS)
        ins(api.Endorsement, self.endorsements, END_COLS)
        ins(api.PermitStatusEvent, self.events, EVENT_COLS)
        ins(CardReissue, self.reissues, REISSUE_COLS)
        ins(ThirdPartyReport, self.reports, REPORT_COLS)
        self.numbers.uses = []
        self.reset()

    # -- one holder ---------------------------------------------------------------------
    def holder(self, h: api.GeneratedHolder) -> None:
        rng, as_of = self.rng, self.as_of
        station = self.stations[h.residence_division_code[:9]]
        arrived = h.arrived_on
        due = self.deadline(arrived)
        if rng.random() < ON_TIME_SHARE:
            registered = _days(rng, arrived, due.deadline)
        else:
            registered = due.deadline + dt.timedelta(days=rng.randint(1, 90))
        registered = min(registered, as_of)
        reg_id = self.ids(Registration)
        self.regs.append((
            reg_id, self.docs.next(station, "registration", registered.year), h.id, station.id,
            arrived, registered, h.residence_address, h.residence_division_code, due.deadline,
            registered <= due.deadline, due.provisional,
            self.floating(h.hukou_division_code, h.residence_division_code[:9]),
            h.residence_id))
        if rng.random() < REPORTED_SHARE:
            self.report(h, station)
        self.applications(h, station, reg_id, registered)

    def report(self, h: api.GeneratedHolder, station: Any) -> None:
        rng = self.rng
        contract = max(h.birth_date, h.arrived_on - dt.timedelta(days=rng.randint(0, 5)))
        reported = min(self.as_of, contract + dt.timedelta(days=rng.randint(0, 12)))
        due = self.deadline(contract)
        kind, name = rng.choice(REPORTERS)
        self.reports.append((
            self.ids(ThirdPartyReport), kind, name, h.id_number, h.id, contract, reported,
            h.residence_address, h.residence_division_code, station.id, due.deadline,
            reported <= due.deadline, due.provisional))

    def applications(self, h: api.GeneratedHolder, station: Any, reg_id: int,
                     registered: dt.date) -> None:
        rng, as_of = self.rng, self.as_of
        eligible_from = self.eligible_from(registered)
        if eligible_from > as_of:
            if rng.random() < 0.1:  # came too early: a written decision (不予签发)
                self.apply(h, station, reg_id, registered, _days(rng, registered, as_of),
                           complete=True)
            return
        r = rng.random()
        if r < 0.04:
            return  # eligible, never applied
        if r < 0.07:  # too early first, then again when eligible
            self.apply(h, station, reg_id, registered,
                       _days(rng, registered, eligible_from - dt.timedelta(days=1)),
                       complete=True)
        accepted = _days(rng, eligible_from, min(as_of, eligible_from + dt.timedelta(days=120)))
        if r > 0.94:  # materials missing: a one-time notice, back a few days later
            self.apply(h, station, reg_id, registered, accepted, complete=False)
            accepted = accepted + dt.timedelta(days=rng.randint(1, 20))
            if accepted > as_of:
                return
        self.apply(h, station, reg_id, registered, accepted, complete=True)

    def apply(self, h: api.GeneratedHolder, station: Any, reg_id: int, registered: dt.date,
              accepted: dt.date, *, complete: bool) -> None:
        rng = self.rng
        under_16 = accepted < self.sixteenth(h.birth_date)
        agent = None
        if under_16:
            basis = ["residence"]
            materials = ["household_register", "photo", "photo", "rental_contract",
                         "agent_id_card", "principal_id_document"]
            parent_birth = api.rules.add_years(h.birth_date, -rng.randint(22, 38))
            agent, _born = self.population.new_id_number(h.id_number[:6], parent_birth,
                                                         rng.choice(("male", "female")))
            applicant = "guardian"
        else:
            r = rng.random()
            basis = (["residence"] if r < 0.4 else ["employment", "residence"] if r < 0.75
                     else ["employment"] if r < 0.95 else ["study"])
            materials = ["id_card", "photo", "photo", "rental_contract"]
            materials += ["labor_contract"] if "employment" in basis else []
            materials += ["student_card"] if "study" in basis else []
            applicant = "self"
        if not complete:
            materials.remove("photo")
        result = application.evaluate(registered_on=registered, accepted_on=accepted,
                                      basis=basis, materials=materials, under_16=under_16,
                                      by_agent=applicant != "self")
        permit_id = self.issue(h, station, registered, accepted) \
            if result.outcome == "issued" else None
        self.apps.append((
            self.ids(Application), self.docs.next(station, "document", accepted.year), h.id,
            station.id, reg_id, accepted, basis, materials, applicant, agent, False,
            result.outcome, [m.as_dict() for m in result.missing],
            [r.as_dict() for r in result.reasons], permit_id))

    def issue(self, h: api.GeneratedHolder, station: Any, registered: dt.date,
              on: dt.date) -> int:
        rng, as_of = self.rng, self.as_of
        if rng.random() < VOIDED_SHARE:  # a blank spoiled at the printer first
            self.numbers.take(station.id, "voided", on, None, VOID_REASON)
        permit_id, card_id = self.ids(api.Permit), self.ids(api.Card)
        serial = self.numbers.take(station.id, "issued", on, card_id)
        card = [card_id, permit_id, serial, station.id, on, "live", on]
        self.cards.append(card)
        revoked_on = reason = None
        if rng.random() < REVOKED_SHARE and (as_of - on).days > 30:
            revoked_on = _days(rng, on + dt.timedelta(days=30), as_of)
            code = rng.choices([c for c, _w in REVOKE_REASONS],
                               weights=[w for _c, w in REVOKE_REASONS])[0]
            reason = revocation.reason_text(code)
        valid_until, since = self.endorse(permit_id, station.id, on, registered,
                                          revoked_on - dt.timedelta(days=1) if revoked_on
                                          else as_of)
        self.permits.append((permit_id, str(serial), h.id, self.psb_id, station.id, on,
                             valid_until, since, revoked_on, reason))
        if revoked_on is not None:
            card[5], card[6] = "void", revoked_on
            self.events.append((self.ids(api.PermitStatusEvent), permit_id, "revoked",
                                revoked_on, f"注销：{reason}"[:255]))
        elif rng.random() < REPLACED_SHARE and (as_of - on).days > 1:
            self.replace(permit_id, station.id, card, _days(rng, on + dt.timedelta(days=1),
                                                            as_of))
        return permit_id

    def endorse(self, permit_id: int, station_id: int, issued: dt.date, registered: dt.date,
                horizon: dt.date) -> tuple[dt.date, dt.date]:
        """Yearly endorsements up to ``horizon``; returns (valid_until, residence since)."""
        rng = self.rng
        valid_until = self.valid_until_for(issued)
        since = registered
        while True:
            window = api.rules.endorsement_window(valid_until)
            if window.opens > horizon:
                return valid_until, since
            r = rng.random()
            if r < ENDORSE_ON_TIME:
                day = _days(rng, window.opens, valid_until)
            elif r < ENDORSE_ON_TIME + ENDORSE_LATE:
                day = valid_until + dt.timedelta(days=rng.randint(1, 120))
            else:
                return valid_until, since  # never endorsed: suspended after valid_until
            if day > horizon:
                return valid_until, since
            result = api.rules.endorse(valid_until, since, day)
            self.endorsements.append((self.ids(api.Endorsement), permit_id, station_id, day,
                                      result.late, valid_until, result.valid_until))
            if result.late:
                self.events.append((self.ids(api.PermitStatusEvent), permit_id, "suspended",
                                    valid_until + dt.timedelta(days=1), sweep.SUSPENDED))
                self.events.append((self.ids(api.PermitStatusEvent), permit_id, "valid", day,
                                    endorsement.RESTORED))
            valid_until, since = result.valid_until, result.continuous_residence_since

    def replace(self, permit_id: int, station_id: int, card: list[Any], on: dt.date) -> None:
        """第十五条: the old card lost (void) or handed back damaged; a new card, new serial."""
        lost = self.rng.random() < 0.6
        card[5], card[6] = ("lost" if lost else "returned"), on
        new_id = self.ids(api.Card)
        serial = self.numbers.take(station_id, "issued", on, new_id)
        self.cards.append([new_id, permit_id, serial, station_id, on, "live", on])
        self.reissues.append((self.ids(CardReissue), permit_id, "lost" if lost else "damaged",
                              on, station_id, card[0], new_id, not lost))


def generate(session: Session, population: api.Population) -> None:
    police = Police(session, population)
    for chunk in population.holders():
        for h in chunk:
            police.holder(h)
        police.flush()
        population.progress(len(chunk))
    police.numbers.close(session)
    police.docs.close(session, population)
