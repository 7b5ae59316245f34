"""The plugin manager: discovery by entry point, operator choice, validation.

A fresh manager is built per application (and so per test); there is no module-level one.
Installed is not enabled: ``JUZHU_PLUGINS`` (comma list, default: every installed plugin)
and ``JUZHU_DISABLE_PLUGINS`` decide. The kernel's own behaviour is shipped as default
plugins (``core.defaults``), always registered, exactly like a department's.
"""

from __future__ import annotations

import importlib
import os
from dataclasses import dataclass
from importlib.metadata import EntryPoint, entry_points
from types import ModuleType
from typing import Iterable, Sequence

import pluggy

from core import hookspecs
from core.errors import PluginError

ENTRY_POINT_GROUP = "juzhu.plugins"
DEFAULT_PLUGINS = (
    "core.defaults.holders_api",
    "core.defaults.calendar_api",
    "core.defaults.entitlements_api",
    "core.defaults.admin_views",
    "core.defaults.dashboard",
    "core.defaults.demo",
    "core.defaults.generate",
)


@dataclass(frozen=True)
class PluginRecord:
    name: str
    module: ModuleType
    version: str | None
    distribution: str | None
    builtin_default: bool


def _split(value: str | None) -> list[str]:
    return [p.strip() for p in (value or "").split(",") if p.strip()]


def installed_entry_points() -> dict[str, EntryPoint]:
    return {ep.name: ep for ep in entry_points(group=ENTRY_POINT_GROUP)}


class PluginManager(pluggy.PluginManager):
    """pluggy's manager plus the records `juzhu plugins` shows."""

    def __init__(self) -> None:
        super().__init__("juzhu")
        self.add_hookspecs(hookspecs)
        self.records: dict[str, PluginRecord] = {}

    def add(self, name: str, module: ModuleType, *, version: str | None = None,
            distribution: str | None = None, default: bool = False) -> None:
        self.register(module, name=name)
        self.records[name] = PluginRecord(name, module, version, distribution, default)

    def department_plugins(self) -> list[PluginRecord]:
        return [r for r in self.records.values() if not r.builtin_default]


def build_plugin_manager(
    enabled: str | Sequence[str] | None = None,
    disabled: str | Sequence[str] | None = None,
    extra: Iterable[tuple[str, ModuleType]] = (),
    discover: bool = True,
) -> PluginManager:
    """Build a manager with the default plugins, the chosen installed ones and `extra`.

    `enabled` / `disabled` default to ``JUZHU_PLUGINS`` / ``JUZHU_DISABLE_PLUGINS``. A name
    in the enable list that is not installed, or a plugin that fails to import and was not
    disabled, raises :class:`PluginError` with one line naming it.
    """
    if enabled is None:
        enabled = os.environ.get("JUZHU_PLUGINS")
    if disabled is None:
        disabled = os.environ.get("JUZHU_DISABLE_PLUGINS")
    enabled_names = _split(enabled) if isinstance(enabled, str) or enabled is None else list(enabled)
    disabled_names = set(_split(disabled) if isinstance(disabled, str) else disabled or [])

    pm = PluginManager()
    for modname in DEFAULT_PLUGINS:
        pm.add(modname.rsplit(".", 1)[1], importlib.import_module(modname), default=True)

    if discover:
        installed = installed_entry_points()
        unknown = [n for n in list(enabled_names) + sorted(disabled_names) if n not in installed]
        if unknown:
            raise PluginError(
                f"未安装的插件：{', '.join(unknown)}（JUZHU_PLUGINS / JUZHU_DISABLE_PLUGINS）；"
                f"已安装：{', '.join(sorted(installed)) or '无'}"
            )
        chosen = enabled_names or sorted(installed)
        for name in chosen:
            if name in disabled_names:
                continue
            ep = installed[name]
            try:
                module = ep.load()
            except Exception as exc:  # any import error names the plugin and stops startup
                raise PluginError(
                    f"插件 {name} 加载失败：{type(exc).__name__}: {exc}"
                    f"（可用 JUZHU_DISABLE_PLUGINS={name} 停用）"
                ) from exc
            dist = ep.dist
            pm.add(name, module, version=dist.version if dist else None,
                   distribution=dist.name if dist else None)

    for name, module in extra:
        pm.add(name, module)

    try:
        pm.check_pending()
    except pluggy.PluginValidationError as exc:
        name = pm.get_name(exc.plugin) or "?"
        raise PluginError(f"插件 {name} 实现了未定义的钩子：{exc}") from exc
    return pm
