"""民政: Voting and standing for election, community affairs (art18.1).

《办法》第十八条（一）. This plugin talks to the kernel only through :mod:`core.api`.
"""

from __future__ import annotations

from pathlib import Path

from core import api

DEPARTMENT = "dept-civil-affairs"
TITLE = "民政"
ARTICLES = "《办法》第十八条（一）"


@api.hookimpl
def register_migrations() -> Path:
    return Path(__file__).parent / "migrations" / "versions"
