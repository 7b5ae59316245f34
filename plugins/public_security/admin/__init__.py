"""The 公安 menu of the admin site: one view per model, station-scoped, plus the
reconciliation, overdue and bulk-import pages. Every endpoint starts with ``public_security_``."""

from __future__ import annotations

from typing import Any

from . import applications, checks, imports, numbers, overdue, permits, reconciliation, \
    registrations, reissues

MODULES = (registrations, imports, applications, permits, reissues, numbers, reconciliation,
           overdue, checks)


def views() -> list[Any]:
    return [view for module in MODULES for view in module.views()]
