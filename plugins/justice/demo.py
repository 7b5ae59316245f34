"""司法行政's part of ``juzhu init --demo``: economic situations of most demo holders (in
hardship, exactly on the standard, above it, not recorded) and legal-aid applications for
matters of 第三十一条 and 第三十二条, granted, refused and still being reviewed.

Everything goes through :mod:`.services` as the demo clerk ``justice`` (司法局), so the audit
chain is complete. Dates are relative to ``as_of``. Holders are the kernel's (and any another
plugin added before), in id order; the last one is left without a record (未登记).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from core import api

from . import services

# income per person per month, one per holder in id order (None: recorded as unknown)
INCOMES: tuple[Decimal | None, ...] = (
    Decimal("1350.00"),   # in hardship
    Decimal("3600.00"),   # above the standard
    Decimal("2000.00"),   # exactly the standard: in hardship
    None,                 # situation not recorded
    Decimal("2000.01"),   # one cent above
)
# holder index, matter, days ago, final status, decided days ago, note
PLANS = (
    (0, "labour", 30, "granted", 25, "追索劳动报酬，已指派律师"),
    (1, "personal_injury", 28, "refused", 22, "收入高于经济困难标准"),
    (1, "abuse_victim", 12, "granted", 8, "家庭暴力受害人，免于经济困难审查"),
    (3, "maintenance", 5, "accepted", None, "经济状况待核查"),
    (2, "good_samaritan", 3, "accepted", None, None),
)


def _user(session: Any, username: str) -> Any:
    return session.scalar(select(api.User).where(api.User.username == username))


def seed(session: Any, profile: Any, as_of: dt.date) -> None:
    clerk = _user(session, "justice")
    holders = session.scalars(select(api.Holder).order_by(api.Holder.id)).all()
    with_means = holders[:-1] if len(holders) > 1 else holders
    for holder, income in zip(with_means, INCOMES):
        services.record_means(session, holder=holder, recorded_on=as_of - dt.timedelta(days=60),
                              monthly_income_per_person=income, actor=clerk, today=as_of)
    for index, matter, days, status, decided, note in PLANS:
        if index >= len(with_means):
            continue
        row, _ = services.create_application(
            session, holder=with_means[index], applied_on=as_of - dt.timedelta(days=days),
            matter=matter, note=note, actor=clerk, today=as_of)
        if status != "accepted":
            services.update_application(session, row, status=status,
                                        decided_on=as_of - dt.timedelta(days=decided),
                                        note=note, actor=clerk, today=as_of)
