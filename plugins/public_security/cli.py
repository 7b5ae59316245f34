"""The police's commands on the ``juzhu`` console script."""

from __future__ import annotations

from typing import Any


def register(cli: Any) -> None:
    """Add the police's commands to the root click group."""
