"""Errors the kernel reports to operators: one clear line, never a traceback."""

from __future__ import annotations


class ConfigError(Exception):
    """Bad configuration (unknown plugin, unreachable database, missing key)."""


class PluginError(ConfigError):
    """A plugin failed to import, or returned something core cannot accept."""
