"""The police's part of ``juzhu demo generate``: for every generated holder a registration
(《办法》第十条: about 80% within 5 working days, the rest late), applications (第十一条至第十三条:
issued, incomplete, ineligible), permits with their first card numbered from a range the
county PSB allocated to the station (第七条、第八条: a ``SerialUse`` for every number, a few
voided blanks), yearly endorsements on time or late (第十四条: a late one records the
suspension and the restoration), lost or damaged cards replaced (第十五条), revocations, and
a few landlords' and employers' reports. Then:

- moves (第十六条): about 1.5% of the unrevoked permits move, some day after issue, to
  another township of the county where the holder is still floating: the residence is
  closed that day and a new one opened (the kernel's rows: plugins that run later read the
  new one, see ``Population.holders``), the permit goes to the new station, the card in hand
  is handed back and a new one is numbered from the new station's range; endorsements and
  replacements after the move are the new station's;
- checks (第二十一条): about 4% of the cards in use were checked in the street (查验, nothing
  done), 0.4% detained (the card is no longer the permit's live card) and half of those
  released since (live again), each a ``Check`` as ``checks.record_check`` writes it. A
  check is recorded by a police officer: the database's active ``police_officer`` accounts
  (the station's own, else the county PSB's, else any). A generator makes no accounts, so
  a database without one (``juzhu init`` without ``--demo``) gets no checks; create one
  first (``juzhu user create NAME --role police_officer [--org station-…]``) to have them;
- the stock register (第八条): a station's numbers are taken in date order, as the service
  takes the lowest free number at each act, so a 领用登记 (``StockIssue``) hands a clerk a
  run of blanks every month or so — about a month's use, dated the day the first of them
  was used — and a 盘点 (``StockCount``) at every quarter's end counts what
  ``stock.reconcile`` expects on hand that day: every station balances on every count. A
  count someone recorded after ``as_of`` (the demo's) is not redone.

The rows are the ones the service functions write (same columns, numbers, reasons and
texts), computed with the same pure rules, but written in bulk with explicit ids. Permits
whose validity ran out are left for ``juzhu sweep`` to record, as in a county where the sweep
has not run yet today.
"""

from __future__ import annotations

import bisect
import datetime as dt
import random
from array import array
from functools import lru_cache
from typing import Any, Iterable, Iterator, NamedTuple

from sqlalchemy import (BigInteger, Column, MetaData, String, Table, bindparam, func, select,
                        update)
from sqlalchemy.orm import Session

from core import api

from . import application, checks, endorsement, revocation, stock, sweep
from .documents import PREFIXES
from .models import (AddressChange, Application, CardReissue, Check, DocumentSequence,
                     NumberRange, Registration, SerialUse, StockCount, StockIssue,
                     ThirdPartyReport)

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
MOVED_SHARE = 0.015  # of the unrevoked permits (第十六条)
MOVE_STREETS = ("新华路", "滨河路", "振兴路", "南环路", "富民街", "园丁巷")
# 第二十一条: the card in use checked in the street; detained; of the detained, released
CHECKED_SHARE, DETAINED_SHARE, RELEASED_SHARE = 0.04, 0.004, 0.5
CHECK_PLACES = ("集贸市场", "汽车客运站", "出租屋", "建筑工地", "工业园区", "夜市")
CHECKED = "人证一致，证件有效"
DETAINED = ("持证人涉嫌冒用他人证件，依法扣押", "证件信息涉嫌被涂改，依法扣押")
RELEASED = "经核查，证件系本人合法持有，依法发还"
STOCK_CLERKS = ("李明", "王芳", "张磊", "赵静", "杨帆", "陈琳")  # who takes blanks (领用人)

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
RESIDENCE_COLS = ("id", "holder_id", "address", "division_code", "from_date", "to_date")
MOVE_COLS = ("id", "permit_id", "on", "old_station_id", "new_station_id", "old_residence_id",
             "new_residence_id", "reissue_id")
CHECK_COLS = ("id", "card_id", "permit_id", "officer_id", "org_id", "checked_at", "place",
              "result", "action")
ISSUE_COLS = ("id", "station_id", "recipient", "quantity", "serial_from", "serial_to",
              "issued_on")
COUNT_COLS = ("id", "station_id", "counted_on", "on_hand", "note")


def _days(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    """A day in ``[start, end]`` (``start`` when the range is empty)."""
    return start + dt.timedelta(days=rng.randint(0, max(0, (end - start).days)))


def quarter_ends(first: dt.date, last: dt.date) -> Iterator[dt.date]:
    """The last days of the quarters from the one holding ``first`` up to ``last``."""
    year, month = first.year, (first.month - 1) // 3 * 3 + 3
    while True:
        end = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1))
        if end > last:
            return
        yield end
        year, month = (year + 1, 3) if month == 12 else (year, month + 3)


def set_by_id(session: Session, table: Table, column: str, kind: Any,
              pairs: Iterable[tuple[int, Any]]) -> None:
    """``UPDATE table SET column = value WHERE id = …`` for many rows: the (id, value) pairs
    are bulk written to a temporary table and joined in one UPDATE … FROM (an UPDATE per row
    would cost a statement each)."""
    conn = session.connection()
    tmp = Table(f"generated_{table.name}_{column}", MetaData(),
                Column("id", BigInteger, primary_key=True), Column("value", kind),
                prefixes=["TEMPORARY"])
    tmp.create(conn)
    api.bulk_write(session, tmp, pairs, ("id", "value"))
    session.execute(update(table).where(table.c.id == tmp.c.id).values({column: tmp.c.value}))
    tmp.drop(conn)


class Move(NamedTuple):
    """A planned 居住地变更 (第十六条): the day and the new residence."""

    on: dt.date
    station: Any
    division_code: str
    address: str


class Ids:
    """Next explicit id per table, read once at the start."""

    def __init__(self, population: api.Population, *models: Any) -> None:
        self._next = {m: population.next_id(m) for m in models}

    def __call__(self, model: Any) -> int:
        n = self._next[model]
        self._next[model] = n + 1
        return n

    def peek(self, model: Any) -> int:
        """The id the next row of ``model`` will get."""
        return self._next[model]


class Numbers:
    """One new range per station, sized for its generated holders, above every number the
    county has allocated (第七条: ranges never overlap).

    The service takes a station's lowest free number at each act, so its serials rise with
    the days they were used on. The generator decides holder by holder, not day by day: a
    take only notes (day, card) and :meth:`deal` hands the numbers out in date order (on one
    day, in the order taken) once every holder is done. Cards wait for their serials in
    :class:`Cards`; a permit is written with a provisional number (minus its first card's
    id), set right at the end."""

    def __init__(self, session: Session, population: api.Population, stations: dict[str, Any]):
        first, last = population.holder_ids.start, population.holder_ids.stop - 1
        town = func.substr(api.Residence.division_code, 1, 9)
        counts = dict(session.execute(
            select(town, func.count()).where(api.Residence.holder_id.between(first, last))
            .group_by(town)).all())
        top = session.scalar(select(func.max(NumberRange.end))) or 0
        start = (top // 1_000_000 + 1) * 1_000_000 + 1
        range_id = population.next_id(NumberRange)
        self.allocated_on = population.as_of - dt.timedelta(days=6 * 365 + 30)
        self.start: dict[int, int] = {}
        self.ranges: dict[int, tuple[int, int]] = {}  # station id -> (range id, end)
        # per station, each take: its day (ordinal) and card id (0: a voided blank)
        self.days: dict[int, array[int]] = {}
        self.cards: dict[int, array[int]] = {}
        self.order: dict[int, array[int]] = {}  # per station, the takes in serial order
        rows = []
        for code9, station in sorted(stations.items()):
            size = (int(counts.get(code9, 0) * 1.1) // 1000 + 1) * 1000
            rows.append((range_id, station.id, start, start + size - 1, start,
                         self.allocated_on, "合成数据号段"))
            self.start[station.id] = start
            self.ranges[station.id] = (range_id, start + size - 1)
            self.days[station.id], self.cards[station.id] = array("l"), array("q")
            range_id += 1
            start += size
        population.bulk_insert(NumberRange, rows, ("id", "station_id", "start", "end",
                                                   "next_free", "allocated_on", "note"))

    def void(self, station_id: int, on: dt.date) -> None:
        """A blank spoiled at the printer."""
        self.days[station_id].append(on.toordinal())
        self.cards[station_id].append(0)

    def card(self, station_id: int, on: dt.date, card_id: int) -> int:
        """A number for card ``card_id``; returns the provisional one."""
        self.days[station_id].append(on.toordinal())
        self.cards[station_id].append(card_id)
        return -card_id

    def deal(self, cards: "Cards") -> dict[int, tuple[list[int], list[int]]]:
        """Number every take in date order, each card's serial into ``cards``. Returns per
        station the days (ordinals) of its issued and of its voided numbers, ascending."""
        books = {}
        for station_id, (_range_id, end) in self.ranges.items():
            days, card_ids = self.days[station_id], self.cards[station_id]
            if self.start[station_id] + len(days) - 1 > end:  # sized with a margin
                raise RuntimeError(f"generated range of station {station_id} exhausted")
            order = self.order[station_id] = array(
                "l", sorted(range(len(days)), key=days.__getitem__))  # stable: take order
            issued: list[int] = []
            voided: list[int] = []
            for serial, i in enumerate(order, start=self.start[station_id]):
                if card_ids[i]:
                    cards.serial[card_ids[i] - cards.first_id] = serial
                    issued.append(days[i])
                else:
                    voided.append(days[i])
            books[station_id] = (issued, voided)
        return books

    def uses(self, day_of: Any) -> Iterator[tuple[Any, ...]]:
        """Every number's ``SerialUse`` row, in serial order (after :meth:`deal`)."""
        for station_id, (range_id, _end) in self.ranges.items():
            days, card_ids = self.days[station_id], self.cards[station_id]
            for serial, i in enumerate(self.order[station_id], start=self.start[station_id]):
                day = day_of(days[i])
                if card_ids[i]:
                    yield serial, range_id, station_id, "issued", day, card_ids[i], None
                else:
                    yield serial, range_id, station_id, "voided", day, None, VOID_REASON

    def close(self, session: Session) -> None:
        """Move every range's cursor past the numbers taken."""
        for station_id, (range_id, _end) in self.ranges.items():
            session.execute(update(NumberRange).where(NumberRange.id == range_id)
                            .values(next_free=self.start[station_id]
                                    + len(self.days[station_id])))


class Cards:
    """The generated cards, kept compactly (a few bytes each, not a tuple: a million of
    them wait for the last holder) until :meth:`Numbers.deal` has given them serials."""

    STATUSES = tuple(api.CARD_STATUSES)

    def __init__(self, first_id: int) -> None:
        self.first_id = first_id
        self.permit, self.serial = array("q"), array("q")
        self.station, self.issued, self.status, self.status_on = (
            array("l"), array("l"), array("b"), array("l"))

    def add(self, cards: list[list[Any]]) -> None:
        """A chunk's cards (CARD_COLS lists), in id order, in their final status."""
        code = {s: i for i, s in enumerate(self.STATUSES)}
        for card_id, permit_id, _serial, station_id, issued_on, status, status_on in cards:
            if card_id != self.first_id + len(self.permit):  # ids are implicit: in order
                raise RuntimeError(f"card {card_id} out of order")
            self.permit.append(permit_id)
            self.serial.append(0)
            self.station.append(station_id)
            self.issued.append(issued_on.toordinal())
            self.status.append(code[status])
            self.status_on.append(status_on.toordinal())

    def rows(self, day_of: Any) -> Iterator[tuple[Any, ...]]:
        for i, permit_id in enumerate(self.permit):
            yield (self.first_id + i, permit_id, self.serial[i], self.station[i],
                   day_of(self.issued[i]), self.STATUSES[self.status[i]],
                   day_of(self.status_on[i]))


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
                       api.Endorsement, api.PermitStatusEvent, CardReissue, ThirdPartyReport,
                       api.Residence, AddressChange, Check)
        self.numbers = Numbers(session, population, self.stations)
        self.card_book = Cards(self.ids.peek(api.Card))
        self.first_permit_id = self.ids.peek(api.Permit)
        self.first_cards = array("q")  # each permit's first card, by permit id
        # written at the end, after the cards they name
        self.reissues: list[tuple[Any, ...]] = []
        self.moves: list[tuple[Any, ...]] = []
        self.checks: list[tuple[Any, ...]] = []
        self.docs = Documents(session)
        self.deadline = lru_cache(maxsize=None)(self._deadline)
        self.floating = lru_cache(maxsize=None)(self._floating)
        # pure date rules, called several times per holder on a few thousand distinct days
        self.eligible_from = lru_cache(maxsize=None)(api.rules.residence_eligible_from)
        self.valid_until_for = lru_cache(maxsize=None)(api.rules.valid_until_for)
        # moves and checks draw from streams of their own: the draws above stay as they were
        self.moving = population.rng("public_security.moves")
        self.checking = population.rng("public_security.checks")
        towns = population.profile.divisions.townships
        self.towns = {code9: towns[code9] for code9 in self.stations}
        self.town_of = {s.id: towns[code9].name for code9, s in self.stations.items()}
        self.officers = self._officers(session)
        self.reset()

    def _officers(self, session: Session) -> dict[int, list[tuple[int, int | None]]]:
        """Who checks cards in each station's township: the active police officers of that
        station, else of the county PSB, else any (none at all: no checks)."""
        rows = session.execute(
            select(api.User.id, api.User.org_id)
            .where(api.User.active.is_(True), api.User.roles.any(name="police_officer"))
            .order_by(api.User.id)).all()
        anyone = [(user_id, org_id) for user_id, org_id in rows]
        by_org: dict[int | None, list[tuple[int, int | None]]] = {}
        for user_id, org_id in anyone:
            by_org.setdefault(org_id, []).append((user_id, org_id))
        return {s.id: by_org.get(s.id) or by_org.get(self.psb_id) or anyone
                for s in self.stations.values()}

    def _deadline(self, day: dt.date) -> Any:
        return api.rules.add_working_days(day, 5, self.calendar)

    @staticmethod
    @lru_cache(maxsize=None)
    def sixteenth(birth: dt.date) -> dt.date:
        """The day one born on ``birth`` turns 16 (第十二条: agents only for those under 16)."""
        return api.rules.add_years(birth, application.AGENT_AGE)

    def _floating(self, hukou: str, town: str) -> Any:
        return api.rules.classify_floating(hukou, town, self.divisions)

    def reset(self) -> None:
        self.regs: list[tuple[Any, ...]] = []
        self.apps: list[tuple[Any, ...]] = []
        self.permits: list[tuple[Any, ...]] = []
        self.cards: list[list[Any]] = []
        self.endorsements: list[tuple[Any, ...]] = []
        self.events: list[tuple[Any, ...]] = []
        self.reports: list[tuple[Any, ...]] = []
        self.closed: list[dict[str, Any]] = []  # residences a move ended
        self.residences: list[tuple[Any, ...]] = []

    def flush(self) -> None:
        """Write a chunk's rows, parents before children (PostgreSQL checks every FK); the
        cards and what names them wait for :meth:`finish`."""
        ins = self.population.bulk_insert
        ins(Registration, self.regs, REG_COLS)
        ins(api.Permit, self.permits, PERMIT_COLS)
        self.card_book.add(self.cards)
        ins(Application, self.apps, APP_COLS)
        ins(api.Endorsement, self.endorsements, END_COLS)
        ins(api.PermitStatusEvent, self.events, EVENT_COLS)
        ins(ThirdPartyReport, self.reports, REPORT_COLS)
        if self.closed:  # as change_address does: the old residence ends, then the new one
            r = api.Residence.__table__
            self.session.execute(update(r).where(r.c.id == bindparam("rid"))
                                 .values(to_date=bindparam("day")), self.closed)
        ins(api.Residence, self.residences, RESIDENCE_COLS)
        self.reset()

    def finish(self) -> None:
        """After the last chunk: the numbers dealt in date order, the cards with their
        serials and what names them, the permits' numbers, the stock register and counts,
        the document counters."""
        ins, day_of = self.population.bulk_insert, lru_cache(maxsize=None)(dt.date.fromordinal)
        earlier = self.earlier_uses()
        books = self.numbers.deal(self.card_book)
        ins(api.Card, self.card_book.rows(day_of), CARD_COLS)
        ins(SerialUse, self.numbers.uses(day_of), USE_COLS)
        ins(CardReissue, self.reissues, REISSUE_COLS)
        ins(AddressChange, self.moves, MOVE_COLS)
        ins(Check, self.checks, CHECK_COLS)
        first, serial = self.card_book.first_id, self.card_book.serial
        set_by_id(self.session, api.Permit.__table__, "number", String(20),
                  ((self.first_permit_id + i, str(serial[card_id - first]))
                   for i, card_id in enumerate(self.first_cards)))
        self.numbers.close(self.session)
        self.stock(books, earlier)
        self.docs.close(self.session, self.population)

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
            self.floating(h.hukou_division_code, h.residence_division_code[:9]).reason,
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
            self.numbers.void(station.id, on)
        permit_id, card_id = self.ids(api.Permit), self.ids(api.Card)
        serial = self.numbers.card(station.id, on, card_id)
        self.first_cards.append(card_id)
        card = [card_id, permit_id, serial, station.id, on, "live", on]
        self.cards.append(card)
        revoked_on = reason = None
        if rng.random() < REVOKED_SHARE and (as_of - on).days > 30:
            revoked_on = _days(rng, on + dt.timedelta(days=30), as_of)
            code = rng.choices([c for c, _w in REVOKE_REASONS],
                               weights=[w for _c, w in REVOKE_REASONS])[0]
            reason = revocation.reason_text(code)
        move = None if revoked_on else self.plan_move(h, on)
        valid_until, since = self.endorse(permit_id, station.id, on, registered,
                                          revoked_on - dt.timedelta(days=1) if revoked_on
                                          else as_of, move)
        self.permits.append((permit_id, str(serial), h.id, self.psb_id,
                             move.station.id if move else station.id, on, valid_until, since,
                             revoked_on, reason))
        if revoked_on is not None:
            card[5], card[6] = "void", revoked_on
            self.events.append((self.ids(api.PermitStatusEvent), permit_id, "revoked",
                                revoked_on, f"注销：{reason}"[:255]))
            return permit_id
        replaced = None
        if rng.random() < REPLACED_SHARE and (as_of - on).days > 1:
            replaced = _days(rng, on + dt.timedelta(days=1), as_of)
        # the card events in date order, each on the card the one before left in use
        if replaced and move and replaced < move.on:
            card, replaced = self.replace(permit_id, station.id, card, replaced), None
        if move:
            card = self.move(h, permit_id, station.id, card, move)
        here = move.station.id if move else station.id
        if replaced:
            card = self.replace(permit_id, here, card, replaced)
        self.check(permit_id, card, here)
        return permit_id

    def endorse(self, permit_id: int, station_id: int, issued: dt.date, registered: dt.date,
                horizon: dt.date, move: Move | None) -> tuple[dt.date, dt.date]:
        """Yearly endorsements up to ``horizon``, at the station that has the permit that
        day (the new one from a move on); returns (valid_until, residence since)."""
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
            at = move.station.id if move and day >= move.on else station_id
            self.endorsements.append((self.ids(api.Endorsement), permit_id, at, day,
                                      result.late, valid_until, result.valid_until))
            if result.late:
                self.events.append((self.ids(api.PermitStatusEvent), permit_id, "suspended",
                                    valid_until + dt.timedelta(days=1), sweep.SUSPENDED))
                self.events.append((self.ids(api.PermitStatusEvent), permit_id, "valid", day,
                                    endorsement.RESTORED))
            valid_until, since = result.valid_until, result.continuous_residence_since

    def new_card(self, permit_id: int, station_id: int, old: list[Any],
                 status: str, on: dt.date) -> list[Any]:
        """The card in use retired (``status`` on ``on``) and its successor made that day
        from ``station_id``'s numbers (permits.retire_card, then permits.issue_new_card)."""
        old[5], old[6] = status, on
        new_id = self.ids(api.Card)
        card = [new_id, permit_id, self.numbers.card(station_id, on, new_id), station_id, on,
                "live", on]
        self.cards.append(card)
        return card

    def replace(self, permit_id: int, station_id: int, card: list[Any],
                on: dt.date) -> list[Any]:
        """第十五条: the old card lost (void) or handed back damaged; a new card, new serial."""
        lost = self.rng.random() < 0.6
        new = self.new_card(permit_id, station_id, card, "lost" if lost else "returned", on)
        self.reissues.append((self.ids(CardReissue), permit_id, "lost" if lost else "damaged",
                              on, station_id, card[0], new[0], not lost))
        return new

    def plan_move(self, h: api.GeneratedHolder, issued: dt.date) -> Move | None:
        """Whether, when and where the holder of a permit issued on ``issued`` moves
        (第十六条): to a township where they are still floating (address_change refuses the
        others), the county seat drawing more, as in the kernel's residences."""
        rng = self.moving
        if rng.random() >= MOVED_SHARE or issued >= self.as_of:
            return None
        here = h.residence_division_code[:9]
        towns = [t for code9, t in self.towns.items() if code9 != here
                 and self.floating(h.hukou_division_code, code9).floating]
        if not towns:
            return None
        town = rng.choices(towns, weights=[3 if t.county_seat else 1 for t in towns])[0]
        return Move(_days(rng, issued + dt.timedelta(days=1), self.as_of),
                    self.stations[town.code9], f"{town.code9}{rng.randint(1, 6):03d}",
                    f"{town.name}{rng.choice(MOVE_STREETS)}{rng.randint(1, 300)}号")

    def move(self, h: api.GeneratedHolder, permit_id: int, old_station_id: int,
             card: list[Any], move: Move) -> list[Any]:
        """What address_change.change_address writes: the residence ended on the day and a
        new one from it, the card in hand returned, a new card of the new station, the
        re-issue and the change (the permit's station is set where the permit is made)."""
        new = self.new_card(permit_id, move.station.id, card, "returned", move.on)
        reissue_id, residence_id = self.ids(CardReissue), self.ids(api.Residence)
        self.reissues.append((reissue_id, permit_id, "address_change", move.on,
                              move.station.id, card[0], new[0], True))
        self.closed.append({"rid": h.residence_id, "day": move.on})
        self.residences.append((residence_id, h.id, move.address, move.division_code,
                                move.on, None))
        self.moves.append((self.ids(AddressChange), permit_id, move.on, old_station_id,
                           move.station.id, h.residence_id, residence_id, reissue_id))
        return new

    def check(self, permit_id: int, card: list[Any], station_id: int) -> None:
        """第二十一条: the card in use checked in the street, or detained and perhaps released
        since, by an officer of the station; statuses by checks.card_status_after."""
        officers = self.officers[station_id]
        rng = self.checking
        if not officers or (r := rng.random()) >= CHECKED_SHARE + DETAINED_SHARE:
            return
        officer = rng.choice(officers)
        place = f"{self.town_of[station_id]}{rng.choice(CHECK_PLACES)}"
        day = _days(rng, card[4], self.as_of)
        if r >= DETAINED_SHARE:
            self.record_check(permit_id, card, officer, place, day, CHECKED, "none")
            return
        self.record_check(permit_id, card, officer, place, day, rng.choice(DETAINED), "detain")
        if day < self.as_of and rng.random() < RELEASED_SHARE:
            self.record_check(permit_id, card, officer, place,
                              _days(rng, day + dt.timedelta(days=1), self.as_of), RELEASED,
                              "release")

    def record_check(self, permit_id: int, card: list[Any], officer: tuple[int, int | None],
                     place: str, day: dt.date, result: str, action: str) -> None:
        status = checks.card_status_after(action, serial=card[2], status=card[5],
                                          permit_revoked=False, other_live_serial=None)
        checks.check_date_order(day, issued_on=card[4], status_on=card[6],
                                changes_status=status != card[5])
        at = dt.datetime.combine(day, dt.time(self.checking.randint(8, 21),
                                              self.checking.randint(0, 59)))
        self.checks.append((self.ids(Check), card[0], permit_id, *officer, at, place, result,
                            action))
        if status != card[5]:
            card[5], card[6] = status, day

    # -- the stock (第八条) -----------------------------------------------------------------
    def earlier_uses(self) -> dict[int, tuple[list[int], list[int]]]:
        """Days (ordinals) of the numbers the stations used before this run, issued and
        voided: a count covers all of a station's books."""
        out: dict[int, tuple[list[int], list[int]]] = {s.id: ([], []) for s in
                                                       self.stations.values()}
        for station_id, kind, day, n in self.session.execute(
                select(SerialUse.station_id, SerialUse.kind, SerialUse.used_on, func.count())
                .group_by(SerialUse.station_id, SerialUse.kind, SerialUse.used_on)):
            if station_id in out:
                issued, voided = out[station_id]
                (voided if kind == "voided" else issued).extend([day.toordinal()] * n)
        return out

    def stock(self, books: dict[int, tuple[list[int], list[int]]],
              earlier: dict[int, tuple[list[int], list[int]]]) -> None:
        """Per station, 领用登记 of about a month's use of blanks each (two window clerks
        take them in turn) and a 盘点 at every quarter's end with what the books expect."""
        rng = self.population.rng("public_security.stock")
        ranges: dict[int, list[tuple[int, int, dt.date]]] = {}
        for station_id, start, end, on in self.session.execute(
                select(NumberRange.station_id, NumberRange.start, NumberRange.end,
                       NumberRange.allocated_on)):
            ranges.setdefault(station_id, []).append((start, end, on))
        issue_id, count_id = self.population.next_id(StockIssue), self.population.next_id(
            StockCount)
        issues, counts = [], []
        for station_id, (issued, voided) in books.items():
            # In serial order the days ascend: a run of blanks handed out on the day the
            # first of them was used was unused that day.
            days = sorted(issued + voided)
            start, end = self.numbers.start[station_id], self.numbers.ranges[station_id][1]
            clerks = rng.sample(STOCK_CLERKS, 2)
            months = max(1.0, (self.as_of.toordinal() - days[0]) / 30.4) if days else 1.0
            batch = max(10, round(len(days) / months / 10) * 10)
            for k in range(0, len(days), batch):  # the last run is partly still unused
                lo, hi = start + k, min(start + k + batch - 1, end)
                stock.check_issue_serials(hi - lo + 1, lo, hi)
                issues.append((issue_id, station_id, f"{rng.choice(clerks)}（窗口民警）",
                               hi - lo + 1, lo, hi, dt.date.fromordinal(days[k])))
                issue_id += 1
            all_issued = sorted(issued + earlier[station_id][0])
            all_voided = sorted(voided + earlier[station_id][1])
            for day in quarter_ends(self.numbers.allocated_on, self.as_of):
                n = day.toordinal()
                allocated = sum(e - s + 1 for s, e, on in ranges[station_id] if on <= day)
                on_hand, *_ = stock.balance(allocated, bisect.bisect_right(all_issued, n),
                                            bisect.bisect_right(all_voided, n), None)
                counts.append((count_id, station_id, day, on_hand,
                               "年终盘点" if day.month == 12 else "季度盘点"))
                count_id += 1
        self.population.bulk_insert(StockIssue, issues, ISSUE_COLS)
        self.population.bulk_insert(StockCount, counts, COUNT_COLS)


def generate(session: Session, population: api.Population) -> None:
    police = Police(session, population)
    for chunk in population.holders():
        for h in chunk:
            police.holder(h)
        police.flush()
        population.progress(len(chunk))
    police.finish()
