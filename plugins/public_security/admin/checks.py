"""查验 (《办法》第二十一条): checks recorded by the police, with any detention or release.
Read-only here; checks are recorded through the API by the officer who made them."""

from __future__ import annotations

from typing import Any

from ..models import Check
from .base import StationScopedView, chosen

ACTIONS = {"none": "仅查验", "detain": "扣押证件", "release": "发还证件"}


class CheckView(StationScopedView):
    """A clerk sees the checks recorded by its own station (the check's org)."""

    station_column = "org_id"
    column_list = ["checked_at", "permit.number", "card.serial", "place", "result", "action",
                   "officer", "org"]
    column_labels = {"checked_at": "查验时间", "permit.number": "居住证号码", "card.serial": "卡号",
                     "place": "查验地点", "result": "查验结果", "action": "处置",
                     "officer": "查验民警", "org": "所属单位"}
    column_searchable_list = ["place", "permit.number"]
    column_search_kinds = {"place": "prefix"}  # the start of the place; a permit number exactly
    column_filters = ["action", "checked_at"]
    column_choices = {"action": list(ACTIONS.items())}
    column_formatters = {"action": chosen("action", ACTIONS),
                         "officer": lambda v, c, m, n: m.officer.username if m.officer else ""}


def views() -> list[Any]:
    return [CheckView(Check, "查验记录", "checks")]
