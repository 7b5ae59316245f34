"""Education's part of ``juzhu demo generate``: the children holders bring (随迁子女,
《办法》第十八条（三）). About four in ten holders aged 24–50 have one or two children under 18
(a few wards), born when the parent was at least 20, each with a valid GB 11643 number of
the parent's region that agrees with the child's birth date and sex (what services.add_child
checks); so every stage — too young, preschool, compulsory, past it — occurs."""

from __future__ import annotations

import datetime as dt
from typing import Any

from core import api

from .models import Child

SHARE = 0.4
COLUMNS = ("id", "holder_id", "name", "sex", "birth_date", "id_number", "relation")
COMPOUND = ("欧阳", "司马", "诸葛")
GIVEN = "子 梓 浩 宇 欣 怡 一 雨 思 晨 佳 嘉 语 涵 诗 轩 若 俊 安 乐 雅 博 文 可".split()


def surname(name: str) -> str:
    return name[:2] if name[:2] in COMPOUND else name[:1]


def generate(session: Any, population: api.Population) -> None:
    rng = population.rng("education")
    as_of = population.as_of
    child_id = population.next_id(Child)
    for chunk in population.holders():
        rows = []
        for h in chunk:
            age = population.age(h.birth_date)
            if not 24 <= age <= 50 or rng.random() >= SHARE:
                continue
            earliest = max(api.rules.add_years(h.birth_date, 20), api.rules.add_years(as_of, -17))
            for _ in range(1 if rng.random() < 0.6 else 2):
                born = earliest + dt.timedelta(days=rng.randint(0, (as_of - earliest).days))
                sex = rng.choice(("male", "female"))
                number, born = population.new_id_number(h.id_number[:6], born, sex)
                relation = "ward" if rng.random() < 0.02 else "son" if sex == "male" else "daughter"
                name = surname(h.name) + rng.choice(GIVEN) + rng.choice(GIVEN)
                rows.append((child_id, h.id, name, sex, born, number, relation))
                child_id += 1
        population.bulk_insert(Child, rows, COLUMNS)
        population.progress(len(chunk))
