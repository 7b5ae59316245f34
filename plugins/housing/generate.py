"""住房保障's part of ``juzhu demo generate``: housing facts (the dated history 第十八条（四）
reads) for about six in ten adult holders — most not owning housing in the county, some
owning more or less than the area threshold, insurance months, employment and income spread
across the thresholds, a few items not recorded (NULL: 未登记) — and for some a second,
earlier row, so decisions on past days replay a history. Recorded on or before ``as_of``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from core import api

from .models import HousingFacts

SHARE = 0.6
COLUMNS = ("id", "holder_id", "recorded_on", "owns_housing_in_county", "housing_area_sqm",
           "insurance_months", "employed", "monthly_income")


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
        population.progress(len(chunk))
