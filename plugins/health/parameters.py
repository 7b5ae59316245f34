"""The health department's dated parameters: none.

《办法》第十八条（六） grants free basic public health and family-planning services on a valid
permit and sets no threshold of its own (no age, period or amount), so there is nothing to date
and no 参数 page in the menu. Inventing one would add a condition the measures do not have
(docs/health.md). Should the county set one later, it is declared here with its source.
"""

from __future__ import annotations

from core import api


def parameters() -> list[api.Parameter]:
    return []
