"""(being written)"""

from __future__ import annotations

from core import api


def routes(bp: api.ApiBlueprint) -> None:
    """Declare this resource's endpoints on the police blueprint."""
