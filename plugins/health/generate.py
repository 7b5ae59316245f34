"""Health's part of ``juzhu demo generate``: a service log (第十八条（六）) for about three in
ten holders, one to three services each since they arrived, suited to age and sex (child
health under 7, elderly health from 65, maternal health for women 20–45). ``free`` is decided
as services.record_service decides it: the holder's permit valid on the day served."""

from __future__ import annotations

import datetime as dt
from typing import Any

from core import api

from .models import HealthService

SHARE = 0.3
COLUMNS = ("id", "holder_id", "service", "served_on", "provider", "free", "note")
GENERAL = ("health_records", "health_education", "vaccination", "chronic_disease",
           "tuberculosis", "tcm_health", "family_planning")
PROVIDERS = ("丹凤街道社区卫生服务中心", "漾月街道社区卫生服务中心", "雄壁镇卫生院", "葵山镇卫生院",
             "师宗县妇幼保健院", "师宗县疾病预防控制中心")


def services_for(age: int, sex: str) -> tuple[str, ...]:
    extra = ("child_health",) if age < 7 else ("elderly_health",) if age >= 65 else ()
    extra += ("maternal_health",) if sex == "female" and 20 <= age <= 45 else ()
    return GENERAL + extra


def generate(session: Any, population: api.Population) -> None:
    rng = population.rng("health")
    as_of = population.as_of
    row_id = population.next_id(HealthService)
    for chunk in population.holders():
        permits = population.permits_of(chunk)
        rows = []
        for h in chunk:
            if rng.random() >= SHARE:
                continue
            permit = permits.get(h.id)
            choices = services_for(population.age(h.birth_date), h.sex)
            for _ in range(rng.randint(1, 3)):
                on = h.arrived_on + dt.timedelta(days=rng.randint(0, (as_of - h.arrived_on).days))
                free = permit is not None and permit.valid_on(on)
                rows.append((row_id, h.id, rng.choice(choices), on, rng.choice(PROVIDERS), free,
                             None))
                row_id += 1
        population.bulk_insert(HealthService, rows, COLUMNS)
        population.progress(len(chunk))
