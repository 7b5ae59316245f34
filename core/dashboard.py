"""Dashboard panels: what a station chief asks each morning (DESIGN §6)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

from markupsafe import Markup

if TYPE_CHECKING:
    from core.models import User


@dataclass(frozen=True)
class DashboardPanel:
    key: str  # unique across plugins, e.g. "public_security.overdue"
    title: str  # Chinese
    roles: frozenset[str]  # roles that see the panel
    render: Callable[["User", dt.date], Markup | str]  # HTML; escape what you interpolate
    order: int = 100
