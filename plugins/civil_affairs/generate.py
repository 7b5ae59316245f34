"""民政's part of ``juzhu demo generate``: the coming committee elections (第十八条（一）) of
every community (居委会, codes 001–) and village (村委会, codes 201–) where generated holders
live, held 30–120 days after ``as_of`` with registration closing 20 days before. Voter
applications are not generated: each stores the engine's decision on the election day, which
the admin and API make one holder at a time."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select

from core import api

from . import rules
from .models import Election

COLUMNS = ("id", "name", "division_code", "kind", "held_on", "registration_closes_on")


def generate(session: Any, population: api.Population) -> None:
    rng = population.rng("civil_affairs")
    first, last = population.holder_ids.start, population.holder_ids.stop - 1
    codes = session.scalars(select(api.Residence.division_code).where(
        api.Residence.holder_id.between(first, last)).group_by(api.Residence.division_code)
        .order_by(api.Residence.division_code)).all()
    divisions = population.profile.divisions
    row_id = population.next_id(Election)
    rows = []
    for code in codes:
        kind = "community" if int(code[9:]) < 200 else "village"
        rules.check_division(code, kind, divisions)  # the admin's own check
        town = divisions.township_of(code)
        held = population.as_of + dt.timedelta(days=rng.randint(30, 120))
        name = (f"{town.name}{code[9:]}{'社区居民委员会' if kind == 'community' else '村民委员会'}"
                f"换届选举（合成）")
        rows.append((row_id, name, code, kind, held, held - dt.timedelta(days=20)))
        row_id += 1
    population.bulk_insert(Election, rows, COLUMNS)
    population.progress(population.count)
