"""公安: Registration, applications, issuance, endorsement, replacement, address change, number ranges, stock register and checks.

《办法》第五条至第十六条、第十八条（九）（十）（十一）、第十九条、第二十一条. This plugin talks to the kernel only through :mod:`core.api`.
"""

from __future__ import annotations

from pathlib import Path

from core import api

DEPARTMENT = "county-psb"
TITLE = "公安"
ARTICLES = "《办法》第五条至第十六条、第十八条（九）（十）（十一）、第十九条、第二十一条"


@api.hookimpl
def register_migrations() -> Path:
    return Path(__file__).parent / "migrations" / "versions"
