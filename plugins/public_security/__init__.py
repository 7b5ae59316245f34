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


@api.hookimpl
def register_pages(app: Any) -> list[Any]:
    from .pages import blueprint

    return [blueprint()]


@api.hookimpl
def register_cli(cli: Any) -> None:
    from .cli import register

    register(cli)


@api.hookimpl
def register_entitlements() -> list[api.Entitlement]:
    from .entitlements import entitlements

    return entitlements()


@api.hookimpl
def register_admin_views(app: Any) -> list[Any]:
    from .admin import views

    return views()


@api.hookimpl
def register_dashboard_panels(app: Any) -> list[api.DashboardPanel]:
    from .dashboard import panels

    return panels()


@api.hookimpl
def seed_demo(session: Any, profile: Any, as_of: Any) -> None:
    from .demo import seed

    seed(session, profile, as_of)


@api.hookimpl
def generate_demo(session: Any, population: api.Population) -> None:
    from .generate import generate

    generate(session, population)
