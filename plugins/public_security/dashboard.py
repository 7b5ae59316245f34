"""Dashboard panels for a station chief and the county PSB (DESIGN §6)."""

from __future__ import annotations

from core import api


def panels() -> list[api.DashboardPanel]:
    return []
