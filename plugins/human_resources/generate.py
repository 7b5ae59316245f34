"""人社's part of ``juzhu demo generate``: employment records (第十八条（二）) for about seven in
ten holders of working age — insured or not, some ended, half with a valid unified social
credit code (GB 32100) — and training or employment services (第十八条（七）（八）) for one in
ten, all dated between the holder's arrival and ``as_of``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from core import api

from .models import Employment, Training
from .rules import CREDIT_CHARS, credit_check_char

EMPLOYED_SHARE = 0.7
TRAINED_SHARE = 0.1
EMPLOYERS = ("师宗县演示建材有限公司", "师宗县演示物流有限公司", "师宗县演示煤业有限公司",
             "师宗县演示农业合作社", "师宗县演示餐饮服务部", "师宗县演示建筑工程有限公司",
             "师宗县演示商贸有限公司", "师宗县演示电子厂")
KINDS = ("skills_training", "job_guidance", "job_referral", "exam_registration")
PROVIDERS = ("师宗县职业技能培训中心", "师宗县公共就业和人才服务中心")
EMP_COLS = ("id", "holder_id", "employer", "credit_code", "started_on", "ended_on", "insured")
TRAIN_COLS = ("id", "holder_id", "kind", "on", "provider", "note")


def _credit_code(rng: Any) -> str:
    first17 = "91530323" + "".join(rng.choice(CREDIT_CHARS) for _ in range(9))
    return first17 + credit_check_char(first17)


def _day(rng: Any, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, max(0, (end - start).days)))


def generate(session: Any, population: api.Population) -> None:
    rng = population.rng("human_resources")
    as_of = population.as_of
    emp_id, train_id = population.next_id(Employment), population.next_id(Training)
    for chunk in population.holders():
        jobs, trainings = [], []
        for h in chunk:
            if not 16 <= population.age(h.birth_date) <= 60:
                continue
            if rng.random() < EMPLOYED_SHARE:
                started = _day(rng, h.arrived_on, as_of)
                ended = _day(rng, started, as_of) if rng.random() < 0.2 else None
                jobs.append((emp_id, h.id, rng.choice(EMPLOYERS),
                             _credit_code(rng) if rng.random() < 0.5 else None, started, ended,
                             rng.random() < 0.65))
                emp_id += 1
            if rng.random() < TRAINED_SHARE:
                trainings.append((train_id, h.id, rng.choice(KINDS), _day(rng, h.arrived_on, as_of),
                                  rng.choice(PROVIDERS), None))
                train_id += 1
        population.bulk_insert(Employment, jobs, EMP_COLS)
        population.bulk_insert(Training, trainings, TRAIN_COLS)
        population.progress(len(chunk))
