"""Hypothesis settings for the property tests: a few hundred examples each, no example
database (CI stays stateless: a run never depends on what an earlier run found)."""

from __future__ import annotations

from hypothesis import HealthCheck, settings

settings.register_profile("juzhu-properties", max_examples=300, database=None, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
