"""公安: registration, applications, issuance, endorsement, replacement, address change,
number ranges, stock register and checks.

《办法》第五条至第十六条、第十八条（九）（十）（十一）、第十九条、第二十一条. This plugin talks to
the kernel only through :mod:`core.api`; this module only wires its parts to the hooks.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from core import api

from . import models  # noqa: F401  (registers the plugin's tables)

DEPARTMENT = "county-psb"
TITLE = "公安"
ARTICLES = "《办法》第五条至第十六条、第十八条（九）（十）（十一）、第十九条、第二十一条"


@api.hookimpl
def register_migrations() -> Path:
    return Path(__file__).parent / "migrations" / "versions"


@api.hookimpl
def register_api(app: Any) -> list[Any]:
    from .routes import blueprint

    return [blueprint()]
