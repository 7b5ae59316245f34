"""The typed facade through which core calls every hook, with keyword arguments.

``register_*`` hooks are collected per plugin (so an error can name the plugin) and
validated here; event hooks are plain broadcasts.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

from core.errors import PluginError

if TYPE_CHECKING:
    import click
    from flask import Blueprint, Flask
    from flask_admin import BaseView
    from sqlalchemy.orm import Session

    from core.dashboard import DashboardPanel
    from core.entitlements import Entitlement
    from core.generate import Population
    from core.parameters import Parameter
    from core.models import Card, Endorsement, Permit, Residence, User
    from core.plugins import PluginManager
    from core.profile import Profile


class Hooks:
    def __init__(self, pm: "PluginManager") -> None:
        self.pm = pm

    def listened(self, hook: str) -> bool:
        """Whether any enabled plugin implements ``hook``: a bulk job may then skip building
        the objects an event hook would receive (the sweep over a million permits)."""
        return bool(getattr(self.pm.hook, hook).get_hookimpls())

    # -- collection -------------------------------------------------------------------
    def _collect(self, hook: str, *, order: Any = None, **kwargs: Any) -> list[tuple[str, Any]]:
        """Call each implementation of `hook` alone, keeping which plugin returned what."""
        out = []
        # registration order (pluggy would call them last-registered-first)
        impls = getattr(self.pm.hook, hook).get_hookimpls()
        for impl in (order(impls) if order else impls):
            args = {name: kwargs[name] for name in impl.argnames}
            out.append((impl.plugin_name, impl.function(**args)))
        return out

    def _flatten(self, hook: str, **kwargs: Any) -> list[tuple[str, Any]]:
        return [(plugin, item) for plugin, items in self._collect(hook, **kwargs)
                for item in (items or [])]

    @staticmethod
    def _unique(items: list[tuple[str, Any]], key: Any, what: str) -> None:
        seen: dict[Any, str] = {}
        for plugin, item in items:
            k = key(item)
            if k in seen:
                raise PluginError(f"{what} {k!r} 重复：插件 {seen[k]} 与插件 {plugin} 都注册了它")
            seen[k] = plugin

    # -- register_* -------------------------------------------------------------------
    def entitlements(self) -> list[tuple[str, "Entitlement"]]:
        items = self._flatten("register_entitlements")
        for plugin, ent in items:
            try:
                ent.validate()
            except ValueError as exc:
                raise PluginError(f"插件 {plugin}：{exc}") from exc
        self._unique(items, lambda e: e.code, "权益代码")
        return sorted(items, key=lambda pe: _entitlement_sort_key(pe[1].code))

    def parameters(self) -> dict[str, "Parameter"]:
        from core.parameters import collect

        return collect(self._flatten("register_parameters"))

    def admin_views(self, app: "Flask") -> list[tuple[str, "BaseView"]]:
        items = self._flatten("register_admin_views", app=app)
        for plugin, view in items:
            if self.pm.records[plugin].builtin_default:
                continue
            if not (view.endpoint or "").startswith(plugin + "_"):
                raise PluginError(
                    f"插件 {plugin} 的管理视图端点 {view.endpoint!r} 必须以 {plugin}_ 开头")
            if not view.category:
                raise PluginError(f"插件 {plugin} 的管理视图 {view.endpoint!r} 没有菜单分类")
        self._unique(items, lambda v: v.endpoint, "管理视图端点")
        return items

    def api_blueprints(self, app: "Flask") -> list[tuple[str, "Blueprint"]]:
        return self._blueprints("register_api", app, "API 蓝图")

    def page_blueprints(self, app: "Flask") -> list[tuple[str, "Blueprint"]]:
        return self._blueprints("register_pages", app, "页面蓝图")

    def _blueprints(self, hook: str, app: "Flask", what: str) -> list[tuple[str, "Blueprint"]]:
        """Blueprints named after their plugin (the kernel's defaults excepted), each once."""
        items = self._flatten(hook, app=app)
        for plugin, bp in items:
            if not self.pm.records[plugin].builtin_default and not bp.name.startswith(plugin):
                raise PluginError(f"插件 {plugin} 的{what}名 {bp.name!r} 必须以 {plugin} 开头")
        self._unique(items, lambda b: b.name, what)
        return items


    def cli_commands(self, cli: "click.Group") -> None:
        for impl in self.pm.hook.register_cli.get_hookimpls():
            before = dict(cli.commands)
            impl.function(**{n: cli for n in impl.argnames})
            # click silently replaces a command of the same name: refuse that instead.
            clash = sorted(n for n, cmd in before.items() if cli.commands.get(n) is not cmd)
            if clash:
                raise PluginError(f"插件 {impl.plugin_name} 的命令与已有命令重名：{', '.join(clash)}")

    def dashboard_panels(self, app: "Flask") -> list["DashboardPanel"]:
        items = self._flatten("register_dashboard_panels", app=app)
        self._unique(items, lambda p: p.key, "仪表板面板")
        return sorted((p for _, p in items), key=lambda p: (p.order, p.key))

    def migration_dirs(self) -> dict[str, Path]:
        return {plugin: Path(path) for plugin, path in self._collect("register_migrations")
                if path}

    # -- demo data and events -----------------------------------------------------------
    def seed_demo(self, *, session: "Session", profile: "Profile", as_of: dt.date) -> None:
        # In registration order (the kernel's defaults first), not pluggy's last-first: a
        # plugin's demo data stands on the kernel's demo users and holders (hookspec). A
        # plugin whose demo builds on another's (a department's on the police's permits)
        # names it in its module's SEED_AFTER and runs after it.
        self._collect("seed_demo", order=_seed_order, session=session, profile=profile,
                      as_of=as_of)

    def generate_demo(self, *, session: "Session", population: "Population") -> None:
        # The same order as seed_demo: the kernel's holders first, the police's permits
        # before the departments' rows that stand on them (SEED_AFTER).
        self._collect("generate_demo", order=_seed_order, session=session,
                      population=population)

    def generate_demo_plugins(self) -> list[str]:
        """The plugins that generate, in the order they run (for the progress bar)."""
        return [impl.plugin_name
                for impl in _seed_order(self.pm.hook.generate_demo.get_hookimpls())]

    def permit_issued(self, *, permit: "Permit", card: "Card", actor: "User | None",
                      session: "Session") -> None:
        self.pm.hook.permit_issued(permit=permit, card=card, actor=actor, session=session)

    def permit_endorsed(self, *, permit: "Permit", endorsement: "Endorsement",
                        actor: "User | None", session: "Session") -> None:
        self.pm.hook.permit_endorsed(permit=permit, endorsement=endorsement, actor=actor,
                                     session=session)

    def permit_suspended(self, *, permit: "Permit", on: dt.date, session: "Session") -> None:
        self.pm.hook.permit_suspended(permit=permit, on=on, session=session)

    def permit_replaced(self, *, permit: "Permit", old_card: "Card", new_card: "Card",
                        reason: str, actor: "User | None", session: "Session") -> None:
        self.pm.hook.permit_replaced(permit=permit, old_card=old_card, new_card=new_card,
                                     reason=reason, actor=actor, session=session)

    def address_changed(self, *, permit: "Permit", old_residence: "Residence | None",
                        new_residence: "Residence", actor: "User | None",
                        session: "Session") -> None:
        self.pm.hook.address_changed(permit=permit, old_residence=old_residence,
                                     new_residence=new_residence, actor=actor, session=session)


def _seed_order(impls: list[Any]) -> list[Any]:
    """Registration order, except that each plugin follows the plugins in its ``SEED_AFTER``
    (names of plugins that are not enabled are ignored; a cycle stops startup)."""
    by_name = {impl.plugin_name: impl for impl in impls}
    done: list[Any] = []
    visiting: set[str] = set()

    def visit(impl: Any) -> None:
        if impl in done:
            return
        if impl.plugin_name in visiting:
            raise PluginError(f"插件 {impl.plugin_name} 的 SEED_AFTER 形成循环")
        visiting.add(impl.plugin_name)
        for name in getattr(impl.plugin, "SEED_AFTER", ()):
            if name in by_name:
                visit(by_name[name])
        visiting.discard(impl.plugin_name)
        done.append(impl)

    for impl in impls:
        visit(impl)
    return done


def _entitlement_sort_key(code: str) -> tuple[int, int, str]:
    if code == "art19":
        return (19, 0, "")
    parts = code.split(".")
    return (18, int(parts[1]), ".".join(parts[2:]))
