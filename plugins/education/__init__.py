"""教育: Children's preschool and compulsory education (art18.3).

《办法》第十八条（三）. This plugin talks to the kernel only through :mod:`core.api`; this module
only wires its parts to the hooks.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from core import api

DEPARTMENT = "dept-education"
TITLE = "教育"
# Its demo stands on the police's demo permits (hook seed_demo).
SEED_AFTER = ("public_security",)
ARTICLES = "《办法》第十八条（三）"

from . import models  # noqa: E402,F401  (registers the plugin's table)


@api.hookimpl
def register_migrations() -> Path:
    return Path(__file__).parent / "migrations" / "versions"


@api.hookimpl
def register_parameters() -> list[api.Parameter]:
    from .parameters import parameters

    return parameters()


@api.hookimpl
def register_entitlements() -> list[api.Entitlement]:
    from .entitlements import entitlements

    return entitlements()


@api.hookimpl
def register_admin_views(app: Any) -> list[Any]:
    from .admin import views

    return views()


@api.hookimpl
def register_api(app: Any) -> list[Any]:
    from .routes import blueprint

    return [blueprint()]


@api.hookimpl
def seed_demo(session: Any, profile: Any, as_of: Any) -> None:
    from .demo import seed

    seed(session, profile, as_of)


@api.hookimpl
def generate_demo(session: Any, population: api.Population) -> None:
    from .generate import generate

    generate(session, population)
