"""司法行政's part of ``juzhu demo generate``: the economic situation (家庭人均月收入) that
legal aid's hardship test reads (第十八条（五）), for about a quarter of adult holders, on both
sides of the threshold and a few not recorded, dated between arrival and ``as_of``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from core import api

from .models import JusticeMeans

SHARE = 0.25
COLUMNS = ("id", "holder_id", "recorded_on", "monthly_income_per_person")


def generate(session: Any, population: api.Population) -> None:
    rng = population.rng("justice")
    as_of = population.as_of
    row_id = population.next_id(JusticeMeans)
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
        population.progress(len(chunk))
