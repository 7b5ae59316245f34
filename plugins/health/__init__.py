"""卫生健康: Free basic public health and family-planning services (art18.6).

《办法》第十八条（六）. This plugin talks to the kernel only through :mod:`core.api`.
"""

from __future__ import annotations

from pathlib import Path

from core import api

DEPARTMENT = "dept-health"
TITLE = "卫生健康"
ARTICLES = "《办法》第十八条（六）"


@api.hookimpl
def register_migrations() -> Path:
    return Path(__file__).parent / "migrations" / "versions"
