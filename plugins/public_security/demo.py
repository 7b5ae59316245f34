"""The police's part of ``juzhu init --demo``: a living station."""

from __future__ import annotations

import datetime as dt
from typing import Any


def seed(session: Any, profile: Any, as_of: dt.date) -> None:
    """Registrations, applications in every outcome, permits in every state, ranges, stock."""
