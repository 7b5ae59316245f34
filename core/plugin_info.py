"""What `juzhu plugins` and the admin's 插件 page show: name, version, department, hooks,
entitlement codes and declared parameters."""

from __future__ import annotations

from typing import Any

from flask import Flask


def describe(app: Flask) -> list[dict[str, Any]]:
    state = app.extensions["juzhu"]
    pm = state.pm
    codes: dict[str, list[str]] = {}
    for code, (plugin, _ent) in state.entitlements.items():
        codes.setdefault(plugin, []).append(code)
    params: dict[str, list[str]] = {}
    for name in state.parameters:
        # A parameter's name is "<plugin>.<key>" (checked at startup), so it names its owner.
        params.setdefault(name.split(".", 1)[0], []).append(name)
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
            "parameters": params.get(record.name, []),  # in declaration order
        })
    return out
