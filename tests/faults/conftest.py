"""The ``pg`` fixture: each fault-test module's own PostgreSQL database (support.py)."""

from .support import pg  # noqa: F401  (a fixture, found by pytest through this conftest)
