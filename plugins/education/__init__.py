"""教育: Children's preschool and compulsory education (art18.3).

《办法》第十八条（三）. This plugin talks to the kernel only through :mod:`core.api`.
"""

from __future__ import annotations

from pathlib import Path

from core import api

DEPARTMENT = "dept-education"
TITLE = "教育"
ARTICLES = "《办法》第十八条（三）"


@api.hookimpl
def register_migrations() -> Path:
    return Path(__file__).parent / "migrations" / "versions"
