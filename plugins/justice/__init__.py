"""司法行政: Legal aid (art18.5).

《办法》第十八条（五）. This plugin talks to the kernel only through :mod:`core.api`.
"""

from __future__ import annotations

from pathlib import Path

from core import api

DEPARTMENT = "dept-justice"
TITLE = "司法行政"
ARTICLES = "《办法》第十八条（五）"


@api.hookimpl
def register_migrations() -> Path:
    return Path(__file__).parent / "migrations" / "versions"
