"""住房保障: Applying for public rental housing (art18.4).

《办法》第十八条（四）. This plugin talks to the kernel only through :mod:`core.api`.
"""

from __future__ import annotations

from pathlib import Path

from core import api

DEPARTMENT = "dept-housing"
TITLE = "住房保障"
ARTICLES = "《办法》第十八条（四）"


@api.hookimpl
def register_migrations() -> Path:
    return Path(__file__).parent / "migrations" / "versions"
