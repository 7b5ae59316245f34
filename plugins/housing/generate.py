"""住房保障's part of ``juzhu demo generate``: housing facts (the dated history 第十八条（四）
reads) for about six in ten adult holders — most not owning housing in the county, some
owning more or less than the area threshold, insurance months, employment and income spread
across the thresholds, a few items not recorded (NULL: 未登记) — and for some a second,
earlier row, so decisions on past days replay a history. Recorded on or before ``as_of``.

About one in five holders with facts has applied for 公共租赁住房 (《公共租赁住房管理办法》第七条),
in the two years up to ``as_of``, mostly after the facts were recorded (a few up to a month
before, when none were yet). Each application stores what ``services.create_application``
would on ``applied_on``: the engine's decision of that day — the permit's reason, then
``rules.decide`` on the facts row in force and the thresholds of that day — as ``eligible``
and the failed codes, computed from the generated rows and the holder's latest permit
(``population.permits_of``), never one engine call per holder. Like the engine on a past
day, the permit is judged by its current dates; the day is never before its issue (the
engine would judge an earlier permit then). Each is then handled as the admin would:
已受理, under review (审核中) from within 20 days, a conclusion 10–120 days later — 不予配租 when
ineligible, else 轮候 and, after 30–720 days, 已配租 — each dated when it is reached, up to
``as_of``; so at most one is open per holder."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import lru_cache
from typing import Any

from core import api

from . import rules
from .entitlements import thresholds
from .models import HousingApplication, HousingFacts
from .parameters import PARAMETERS

SHARE = 0.6
# the columns after id and holder_id are rules.Facts' fields, in order
COLUMNS = ("id", "holder_id", "recorded_on", "owns_housing_in_county", "housing_area_sqm",
           "insurance_months", "employed", "monthly_income")
APPLIED_SHARE = 0.2  # of holders with facts
APPLYING_DAYS = 730
APPLICATION_COLUMNS = ("id", "holder_id", "applied_on", "household_size", "status",
                       "decided_on", "eligible", "failed_reasons", "note")
HOUSEHOLDS = ((1, 2, 3, 4, 5, 6), (20, 25, 30, 15, 7, 3))
# the first day every threshold of 第七条 is in force (create_application refuses earlier days)
FIRST_DAY = max(min(v.start for v in p.values) for p in PARAMETERS)


def _row(rng: Any, row_id: int, holder_id: int, on: dt.date) -> tuple[Any, ...]:
    owns = None if rng.random() < 0.04 else rng.random() < 0.15
    area = Decimal(rng.randint(600, 6000)) / 100 if owns else None
    months = None if rng.random() < 0.04 else rng.randint(0, 72)
    r = rng.random()
    employed = True if r < 0.85 else False if r < 0.95 else None
    income = None if rng.random() < 0.05 else Decimal(rng.randint(60000, 700000)) / 100
    return (row_id, holder_id, on, owns, area, months, employed, income)


def generate(session: Any, population: api.Population) -> None:
    rng = population.rng("housing")
    as_of = population.as_of
    row_id = population.next_id(HousingFacts)
    applications = Applications(population)
    for chunk in population.holders():
        rows = []
        for h in chunk:
            if population.age(h.birth_date) < 18 or rng.random() >= SHARE:
                continue
            start = max(h.arrived_on, as_of - dt.timedelta(days=730))
            on = start + dt.timedelta(days=rng.randint(0, (as_of - start).days))
            if rng.random() < 0.15 and on > h.arrived_on:  # an earlier record, since corrected
                span = (on - h.arrived_on).days - 1
                before = h.arrived_on + dt.timedelta(days=rng.randint(0, span))
                rows.append(_row(rng, row_id, h.id, before))
                row_id += 1
            rows.append(_row(rng, row_id, h.id, on))
            row_id += 1
        population.bulk_insert(HousingFacts, rows, COLUMNS)
        applications.add(chunk, rows)
        population.progress(len(chunk))


class Applications:
    """公租房申请 of holders with facts, from a stream of their own (the facts' draws stay as
    they were), decided as ``services.create_application`` decides (第十八条（四）)."""

    def __init__(self, population: api.Population) -> None:
        self.population = population
        self.rng = population.rng("housing.applications")
        self.next_id = population.next_id(HousingApplication)
        # the thresholds of 第七条 on a day (a few hundred distinct days)
        self.thresholds = lru_cache(maxsize=None)(
            lambda day: thresholds(lambda name: population.parameter(name, day)))

    def add(self, chunk: list[api.GeneratedHolder], facts: list[tuple[Any, ...]]) -> None:
        """Applications of ``chunk``'s holders, whose facts rows are ``facts`` (by holder,
        oldest first, as written)."""
        population, rng, as_of = self.population, self.rng, self.population.as_of
        by_holder: dict[int, list[tuple[Any, ...]]] = {}
        for row in facts:
            by_holder.setdefault(row[1], []).append(row)
        # Who applies is drawn first, so that only their permits are read.
        applicants = [h for h in chunk if h.id in by_holder and rng.random() < APPLIED_SHARE]
        permits = population.permits_of(applicants)
        rows = []
        for h in applicants:
            history = by_holder[h.id]
            permit = permits.get(h.id)
            start = max(h.arrived_on, FIRST_DAY, as_of - dt.timedelta(days=APPLYING_DAYS),
                        history[-1][2] - dt.timedelta(days=30),
                        permit.issued_on if permit is not None else h.arrived_on)
            if start > as_of:
                continue
            applied = start + dt.timedelta(days=rng.randint(0, (as_of - start).days))
            # the facts row in force that day: the latest recorded on or before it
            known = [row for row in history if row[2] <= applied]
            facts_on = rules.Facts(*known[-1][2:]) if known else None
            decision = population.with_permit(
                permit, applied, rules.decide(facts_on, self.thresholds(applied)))
            household = rng.choices(*HOUSEHOLDS)[0]
            status, decided = self.handling(decision.eligible, applied)
            rows.append((self.next_id, h.id, applied, household, status, decided,
                         decision.eligible, rules.failed_codes(decision.reasons), None))
            self.next_id += 1
        population.bulk_insert(HousingApplication, rows, APPLICATION_COLUMNS)

    def handling(self, eligible: bool, applied: dt.date) -> tuple[str, dt.date | None]:
        """The status on ``as_of`` and its decision date (轮候、已配租、不予配租 carry one,
        update_application requires it; 已受理、审核中 none)."""
        rng, as_of = self.rng, self.population.as_of
        review = applied + dt.timedelta(days=rng.randint(1, 20))
        concluded = review + dt.timedelta(days=rng.randint(10, 120))
        if concluded > as_of:
            return ("accepted" if review > as_of else "reviewing"), None
        if not eligible:
            return "rejected", concluded
        allocated = concluded + dt.timedelta(days=rng.randint(30, 720))
        return ("waiting", concluded) if allocated > as_of else ("allocated", allocated)
