"""住房保障's part of ``juzhu init --demo``: housing facts for most demo holders — one for each
way of failing 第十八条（四） and some that pass — and a few applications in several states.

Everything goes through :mod:`.services` as the demo clerk ``housing`` (住建局), so the audit
chain is complete. Dates are relative to ``as_of``. Holders are the kernel's (and any another
plugin added before), in id order; the last one is left without facts (未登记).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from core import api

from . import services

D = Decimal
# owns, area per person, insurance months, employed, income per person — one scenario each
SCENARIOS: tuple[tuple[bool | None, Decimal | None, int | None, bool | None, Decimal | None], ...] = (
    (False, None, 26, True, D("2180.00")),        # eligible: no housing here
    (True, D("32.50"), 40, True, D("2600.00")),   # housing: owns more than 15 m² per person
    (False, None, 18, True, D("4250.00")),        # income above the threshold
    (False, None, 3, True, D("1900.00")),         # employment: 3 months < 6
    (None, None, 12, True, None),                 # housing and income not recorded
    (True, D("12.00"), 6, True, D("3000.00")),    # eligible: exactly on every threshold
    (False, None, 0, False, D("800.00")),         # not employed
    (False, None, 9, None, D("2500.00")),         # employment not recorded
)


def _user(session: Any, username: str) -> Any:
    return session.scalar(select(api.User).where(api.User.username == username))


def seed(session: Any, profile: Any, as_of: dt.date) -> None:
    clerk = _user(session, "housing")
    holders = session.scalars(select(api.Holder).order_by(api.Holder.id)).all()
    with_facts = holders[:-1] if len(holders) > 1 else holders
    for holder, (owns, area, months, employed, income) in zip(with_facts, SCENARIOS):
        services.record_facts(session, holder=holder, recorded_on=as_of - dt.timedelta(days=90),
                              owns_housing_in_county=owns, housing_area_sqm=area,
                              insurance_months=months, employed=employed, monthly_income=income,
                              actor=clerk, today=as_of)
    if with_facts:
        # a history: a year earlier the first holder had paid too few months in the county
        services.record_facts(session, holder=with_facts[0],
                              recorded_on=as_of - dt.timedelta(days=400),
                              owns_housing_in_county=False, housing_area_sqm=None,
                              insurance_months=2, employed=True, monthly_income=D("1900.00"),
                              actor=clerk, today=as_of)
    plans = [  # holder index, days ago, household, final status, decided days ago, note
        (0, 40, 3, "waiting", 20, "符合条件，进入轮候"),
        (1, 35, 2, "rejected", 15, "人均住房面积超过标准"),
        (4, 10, 4, "reviewing", None, "住房、收入情况待登记"),
        (3, 30, 1, "accepted", None, "社保月数不足，待补缴后复核"),
    ]
    for index, days, household, status, decided, note in plans:
        if index >= len(with_facts):
            continue
        applied_on = as_of - dt.timedelta(days=days)
        row, _ = services.create_application(session, holder=with_facts[index],
                                             applied_on=applied_on, household_size=household,
                                             note=note, actor=clerk, today=as_of)
        if status != "accepted":
            services.update_application(
                session, row, status=status,
                decided_on=None if decided is None else as_of - dt.timedelta(days=decided),
                note=note, actor=clerk, today=as_of)
