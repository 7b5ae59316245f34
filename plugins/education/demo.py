"""The education department's part of ``juzhu init --demo``: children of the kernel's demo
holders, through the same service as the API (audited as the demo clerk ``edu``).

Ages are set relative to the school year containing ``as_of`` so the demo shows every case
whenever it is built: a child entering 一年级 this school year (张伟), one of preschool age
(欧阳晓燕), one a year old — too young (陈𠀾), one past compulsory age (王建国), a child of
compulsory age whose parent's permit is suspended (李娜: the police's demo leaves her permit
unendorsed) and one whose parent holds no permit (杨丽).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import api

from . import rules, services
from .parameters import SCHOOL_YEAR_CUTOFF, ValuesOn


def _id(region: str, birth: dt.date, seq: int, sex: str) -> str:
    seq = seq * 2 + (1 if sex == "male" else 0)  # 17th digit: odd male, even female
    first17 = f"{region}{birth:%Y%m%d}{seq:03d}"
    return first17 + api.rules.id_check_char(first17)


def seed(session: Session, profile: Any, as_of: dt.date) -> None:
    clerk = session.scalar(select(api.User).where(api.User.username == "edu"))
    cutoff = ValuesOn(session, as_of)(SCHOOL_YEAR_CUTOFF)
    year = rules.school_year(as_of, cutoff)
    day = rules.cutoff_on(year, cutoff)  # ages are counted on this day

    def aged(years: int, month: int, dom: int) -> dt.date:
        """Born on month-dom so as to be ``years`` 周岁 on the cut-off day."""
        born = dt.date(day.year - years, month, dom)
        return born if born <= day else dt.date(day.year - years - 1, month, dom)

    toddler = api.rules.add_years(as_of, -1) - dt.timedelta(days=20)
    # parent, child's name, sex, relation, birth date
    children = (
        ("张伟", "张子涵", "male", "son", aged(6, 3, 15)),          # enters 一年级
        ("欧阳晓燕", "欧阳欣怡", "female", "daughter", aged(4, 1, 10)),  # preschool
        ("陈𠀾", "陈一鸣", "male", "son", toddler),                   # one year old: too young
        ("王建国", "王雪", "female", "daughter", aged(17, 6, 1)),      # past compulsory age
        ("李娜", "李浩然", "male", "son", aged(10, 4, 2)),            # permit suspended
        ("杨丽", "杨诗涵", "female", "daughter", aged(8, 7, 7)),       # parent has no permit
        ("杨丽", "杨小宝", "male", "ward", aged(3, 8, 30)),           # preschool, a ward
    )
    for seq, (parent, name, sex, relation, born) in enumerate(children, start=80):
        holder = session.scalar(select(api.Holder).where(api.Holder.name == parent))
        if holder is None:  # the kernel's demo holders are not there
            continue
        services.add_child(session, holder=holder, name=name, sex=sex, birth_date=born,
                           id_number=_id(holder.id_number[:6], born, seq, sex),
                           relation=relation, actor=clerk, today=as_of)
