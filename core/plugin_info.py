"""What `juzhu plugins` shows: name, version, department, hooks, entitlement codes."""

from __future__ import annotations

from typing import Any

from flask import Flask


def describe(app: Flask) -> list[dict[str, Any]]:
    state = app.extensions["juzhu"]
    pm = state.pm
    codes: dict[str, list[str]] = {}
    for code, (plugin, _ent) in state.entitlements.items():
        codes.setdefault(plugin, []).append(code)
    out = []
    for record in pm.department_plugins():
        module = record.module
        hooks = sorted(h.name for h in pm.get_hookcallers(module) or [])
        out.append({
            "name": record.name,
            "version": record.version,
            "distribution": record.distribution,
            "department": getattr(module, "DEPARTMENT", None),
            "title": getattr(module, "TITLE", record.name),
            "articles": getattr(module, "ARTICLES", None),
            "hooks": hooks,
            "entitlements": codes.get(record.name, []),  # in article order, as the kernel keeps them
        })
    return out
