"""The 公安 menu of the admin site: one view per model, station-scoped."""

from __future__ import annotations

from typing import Any


def views() -> list[Any]:
    return []
