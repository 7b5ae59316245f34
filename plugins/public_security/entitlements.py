"""Services of 第十八条 the police decide, and the settlement check of 第十九条."""

from __future__ import annotations

from core import api


def entitlements() -> list[api.Entitlement]:
    return []
