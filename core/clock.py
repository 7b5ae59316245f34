""""Today" for the platform: the date in Asia/Shanghai (DESIGN §3). Rules never call this;
only the edges (API defaults, sweep, verification, demo data) do."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

TZ = ZoneInfo("Asia/Shanghai")


def today() -> dt.date:
    return dt.datetime.now(TZ).date()


def utcnow() -> dt.datetime:
    """Naive UTC, microsecond precision: what audit timestamps store."""
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
