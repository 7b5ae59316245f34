"""第十八条（六）免费享受基本公共卫生和计划生育服务 (DESIGN §4).

The measures ask nothing beyond a valid permit, which the engine checks first (第十四条), so
the check adds only what the permit gives (rules.decision, always passed) and the SQL form
selects every holder: the batch answer is then the permit's state alone, as the per-holder
answer is. No parameters: there is no threshold to date.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from core import api

from . import DEPARTMENT, rules

CODE = "art18.6"
TITLE = "免费享受基本公共卫生和计划生育服务"


def check(facts: api.CheckFacts) -> api.Decision:
    return rules.decision()


def sql(ctx: api.BatchContext) -> Any:
    return select(api.Holder.id)


def entitlements() -> list[api.Entitlement]:
    return [api.Entitlement(CODE, "（六）", TITLE, DEPARTMENT, check, sql)]
