"""司法行政's part of ``juzhu demo generate``: the economic situation (家庭人均月收入) that
legal aid's hardship test reads (第十八条（五）), for about a quarter of adult holders, on both
sides of the threshold and a few not recorded, dated between arrival and ``as_of``.

About one in ten adult holders whose means are recorded, and one in fifty of the others, has
applied for legal aid in the two years up to ``as_of`` (never before arriving, nor before the
hardship standard was in force), for a matter of 《法律援助法》第三十一条 (mostly unpaid wages and
injuries) or, for about one in ten, of 第三十二条.
Each application stores what ``services.create_application`` would on ``applied_on``:
``means_test_exempt`` from the matter, and ``eligible`` by ``rules.application_decision`` on
the means row in force that day (the generated one if recorded by then) and the standard of
that day — the permit plays no part in it — computed from the generated rows, never one query
per holder. The legal-aid body decides within 7 days (第四十三条): 给予 when eligible, else 不予,
except that about one in three whose situation was not recorded is found in hardship on
review and granted aid; applications of the last days may still be 已受理."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import lru_cache
from typing import Any

from core import api

from . import rules
from .models import JusticeAidApplication, JusticeMeans
from .parameters import HARDSHIP_MAX, PARAMETERS

SHARE = 0.25
COLUMNS = ("id", "holder_id", "recorded_on", "monthly_income_per_person")
# Who applies: those who had their means recorded (often for this) more than the others.
APPLIED_SHARE = {True: 0.1, False: 0.02}
APPLYING_DAYS = 730
DECISION_DAYS = 7  # 《法律援助法》第四十三条: decided within seven days of the application
VERIFIED_SHARE = 0.3  # of those with no income recorded: hardship found on review, aid given
APPLICATION_COLUMNS = ("id", "holder_id", "applied_on", "matter", "means_test_exempt",
                       "eligible", "status", "decided_on", "note")
# How often each matter is applied for: 第三十一条's unpaid wages and injuries lead.
MATTER_WEIGHTS = {
    "labour": 34, "personal_injury": 20, "maintenance": 12, "social_insurance": 8,
    "state_compensation": 2, "pension": 2, "legal_capacity": 2, "environment": 1,
    "other_31": 9, "abuse_victim": 6, "good_samaritan": 1, "martyr_dignity": 1,
    "wrongful_conviction": 1, "other_32": 1,
}
MATTER_CODES, WEIGHTS = tuple(MATTER_WEIGHTS), tuple(MATTER_WEIGHTS.values())
# the first day the hardship standard is in force (create_application refuses earlier days)
FIRST_DAY = min(v.start for p in PARAMETERS for v in p.values)


def generate(session: Any, population: api.Population) -> None:
    rng = population.rng("justice")
    as_of = population.as_of
    row_id = population.next_id(JusticeMeans)
    applications = Applications(population)
    for chunk in population.holders():
        rows = []
        for h in chunk:
            if population.age(h.birth_date) < 18 or rng.random() >= SHARE:
                continue
            on = h.arrived_on + dt.timedelta(days=rng.randint(0, (as_of - h.arrived_on).days))
            income = None if rng.random() < 0.03 else Decimal(rng.randint(30000, 600000)) / 100
            rows.append((row_id, h.id, on, income))
            row_id += 1
        population.bulk_insert(JusticeMeans, rows, COLUMNS)
        applications.add(chunk, rows)
        population.progress(len(chunk))


class Applications:
    """法律援助申请, from a stream of their own (the means' draws stay as they were)."""

    def __init__(self, population: api.Population) -> None:
        self.population = population
        self.rng = population.rng("justice.aid_applications")
        self.next_id = population.next_id(JusticeAidApplication)
        # the standard of 第三十四条 on a day, as create_application reads it
        self.hardship_max = lru_cache(maxsize=None)(
            lambda day: Decimal(population.parameter(HARDSHIP_MAX, day)))

    def add(self, chunk: list[api.GeneratedHolder], means: list[tuple[Any, ...]]) -> None:
        """Applications of ``chunk``'s adult holders; ``means`` are the rows just written
        for it (at most one a holder)."""
        population, rng, as_of = self.population, self.rng, self.population.as_of
        recorded = {holder_id: rules.Means(on, income) for _id, holder_id, on, income in means}
        rows = []
        for h in chunk:
            row = recorded.get(h.id)
            if (population.age(h.birth_date) < 18
                    or rng.random() >= APPLIED_SHARE[row is not None]):
                continue
            start = max(h.arrived_on, FIRST_DAY, as_of - dt.timedelta(days=APPLYING_DAYS))
            if start > as_of:
                continue
            applied = start + dt.timedelta(days=rng.randint(0, (as_of - start).days))
            matter = rng.choices(MATTER_CODES, WEIGHTS)[0]
            known = row if row is not None and row.recorded_on <= applied else None
            eligible = rules.application_decision(matter, known,
                                                  self.hardship_max(applied)).eligible
            decided = applied + dt.timedelta(days=rng.randint(0, DECISION_DAYS))
            if decided > as_of:
                status, decided_on = "accepted", None
            else:
                unknown = known is None or known.monthly_income_per_person is None
                granted = eligible or (unknown and rng.random() < VERIFIED_SHARE)
                status, decided_on = ("granted" if granted else "refused"), decided
            rows.append((self.next_id, h.id, applied, matter, rules.MATTERS[matter].exempt,
                         eligible, status, decided_on, None))
            self.next_id += 1
        population.bulk_insert(JusticeAidApplication, rows, APPLICATION_COLUMNS)
