"""The police's JSON API (DESIGN §5), one module per resource, on one blueprint mounted at
``/api/v1`` (the contract fixes these paths without a plugin prefix)."""

from __future__ import annotations

from pathlib import Path

from core import api

from . import applications, checks, numbers, permits, registrations, verify

MODULES = (registrations, applications, numbers, permits, checks, verify)


def blueprint() -> api.ApiBlueprint:
    bp = api.ApiBlueprint("public_security", __name__, tags=["公安"],
                          template_folder=str(Path(__file__).parent.parent / "templates"))
    for module in MODULES:
        module.routes(bp)
    return bp
