"""The plugin manager: discovery, operator choice, import failures, validation of what
plugins return, and a fresh manager per app."""

from __future__ import annotations

import sys
import types
from importlib.metadata import EntryPoint

import click
import pytest
from flask import Blueprint

from core import api
from core.errors import PluginError
from core.plugins import build_plugin_manager, installed_entry_points

BUILTIN = {"public_security", "education", "housing", "health", "human_resources", "justice",
           "civil_affairs"}


def plugin(name: str, **hooks) -> tuple[str, types.ModuleType]:  # type: ignore[no-untyped-def]
    """A real module carrying hook implementations, as a third-party plugin would."""
    module = types.ModuleType(name)
    for hook_name, fn in hooks.items():
        fn.__name__ = hook_name
        setattr(module, hook_name, api.hookimpl(fn))
    return name, module


def entitlement(code: str) -> api.Entitlement:
    return api.Entitlement(code=code, item="（十二）", title="测试服务", department="dept-health",
                           check=lambda **_: api.Decision(True, ()))


def test_builtin_plugins_are_found_through_entry_points() -> None:
    assert BUILTIN <= set(installed_entry_points())
    pm = build_plugin_manager(enabled="", disabled="")
    assert BUILTIN == {r.name for r in pm.department_plugins()}
    assert all(r.version for r in pm.department_plugins())


def test_enable_and_disable_lists() -> None:
    pm = build_plugin_manager(enabled="education,health", disabled="")
    assert {r.name for r in pm.department_plugins()} == {"education", "health"}
    pm = build_plugin_manager(enabled="", disabled="education")
    assert "education" not in {r.name for r in pm.department_plugins()}


def test_environment_variables_choose_plugins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JUZHU_PLUGINS", "justice")
    monkeypatch.setenv("JUZHU_DISABLE_PLUGINS", "")
    assert {r.name for r in build_plugin_manager().department_plugins()} == {"justice"}


def test_unknown_plugin_name_is_one_clear_line() -> None:
    with pytest.raises(PluginError) as info:
        build_plugin_manager(enabled="education,nosuch", disabled="")
    message = str(info.value)
    assert "nosuch" in message and "\n" not in message and "未安装" in message


@pytest.fixture
def broken_entry_point(tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    """A really installed-looking plugin whose module raises on import."""
    (tmp_path / "juzhu_broken_plugin.py").write_text("raise RuntimeError('坏掉的插件')\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    eps = dict(installed_entry_points())
    eps["broken"] = EntryPoint("broken", "juzhu_broken_plugin", "juzhu.plugins")
    monkeypatch.setattr("core.plugins.installed_entry_points", lambda: eps)
    yield
    sys.modules.pop("juzhu_broken_plugin", None)


@pytest.mark.usefixtures("broken_entry_point")
def test_plugin_that_fails_to_import_stops_startup_naming_it() -> None:
    with pytest.raises(PluginError) as info:
        build_plugin_manager(enabled="", disabled="")
    assert "broken" in str(info.value) and "坏掉的插件" in str(info.value)


@pytest.mark.usefixtures("broken_entry_point")
def test_disabled_broken_plugin_is_not_imported() -> None:
    pm = build_plugin_manager(enabled="", disabled="broken")
    assert "broken" not in pm.records
    assert "juzhu_broken_plugin" not in sys.modules


def test_misspelt_hook_fails_check_pending() -> None:
    with pytest.raises(PluginError) as info:
        build_plugin_manager(enabled="", disabled="", discover=False,
                             extra=[plugin("typo", register_entitlement=lambda: [])])
    assert "typo" in str(info.value)


def test_fresh_manager_per_app(make_app) -> None:  # type: ignore[no-untyped-def]
    a = make_app(enabled="education")
    b = make_app(enabled="health")
    assert a.extensions["juzhu"].pm is not b.extensions["juzhu"].pm
    assert "education" in a.extensions["juzhu"].pm.records
    assert "education" not in b.extensions["juzhu"].pm.records


def test_duplicate_entitlement_code_names_both_plugins(make_app) -> None:  # type: ignore[no-untyped-def]
    one = plugin("dept_one", register_entitlements=lambda: [entitlement("art18.12.bus")])
    two = plugin("dept_two", register_entitlements=lambda: [entitlement("art18.12.bus")])
    with pytest.raises(PluginError) as info:
        make_app(plugins=[one, two])
    # the plugin registered first is named first
    assert "插件 dept_one 与插件 dept_two" in str(info.value)
    assert "art18.12.bus" in str(info.value)


def test_entitlements_are_registered_and_ordered(make_app) -> None:  # type: ignore[no-untyped-def]
    extra = plugin("dept_x", register_entitlements=lambda: [entitlement("art18.12.bus"),
                                                             entitlement("art18.6")])
    app = make_app(plugins=[extra], discover=False)  # the health plugin owns the real art18.6
    assert list(app.extensions["juzhu"].entitlements)[:1] == ["art18.6"]
    assert app.extensions["juzhu"].entitlements["art18.12.bus"][0] == "dept_x"


def test_malformed_entitlement_code_is_refused(make_app) -> None:  # type: ignore[no-untyped-def]
    bad = plugin("dept_bad", register_entitlements=lambda: [entitlement("art18.13")])
    with pytest.raises(PluginError, match="dept_bad"):
        make_app(plugins=[bad])


def _view(endpoint: str, category: str | None = "测试"):  # type: ignore[no-untyped-def]
    class V(api.SecureView):
        @api.expose("/")
        def index(self):  # type: ignore[no-untyped-def]
            return "ok"
    return V(name="测试", endpoint=endpoint, category=category)


def test_admin_endpoint_must_carry_plugin_prefix(make_app) -> None:  # type: ignore[no-untyped-def]
    p = plugin("dept_a", register_admin_views=lambda app: [_view("other_page")])
    with pytest.raises(PluginError, match="dept_a_"):
        make_app(plugins=[p])


def test_duplicate_admin_endpoint_names_both_plugins(make_app) -> None:  # type: ignore[no-untyped-def]
    # Both pass the prefix check ("dept_" and "dept_x_"), then clash.
    a = plugin("dept", register_admin_views=lambda app: [_view("dept_x_page")])
    b = plugin("dept_x", register_admin_views=lambda app: [_view("dept_x_page")])
    with pytest.raises(PluginError) as info:
        make_app(plugins=[a, b])
    message = str(info.value)
    assert "插件 dept " in message and "插件 dept_x" in message and "重复" in message


def test_admin_view_without_category_is_refused(make_app) -> None:  # type: ignore[no-untyped-def]
    p = plugin("dept_c", register_admin_views=lambda app: [_view("dept_c_page", None)])
    with pytest.raises(PluginError, match="菜单分类"):
        make_app(plugins=[p])


def _api_bp(name: str, prefix: str, rule: str = "/ping") -> api.ApiBlueprint:
    bp = api.ApiBlueprint(name, __name__, url_prefix=prefix)

    @bp.route_api(rule, summary="测试")
    def ping():  # type: ignore[no-untyped-def]
        return {"ok": True}

    return bp


def test_plugin_api_is_mounted_under_api_v1(make_app) -> None:  # type: ignore[no-untyped-def]
    p = plugin("dept_d", register_api=lambda app: [_api_bp("dept_d", "/dept_d")])
    app = make_app(plugins=[p])
    rules = {r.rule for r in app.url_map.iter_rules()}
    assert "/api/v1/dept_d/ping" in rules
    assert "/api/v1/dept_d/ping" in app.test_client().get("/api/v1/openapi.json").json["paths"]


def test_duplicate_api_rule_names_both_plugins(make_app) -> None:  # type: ignore[no-untyped-def]
    a = plugin("dept_e", register_api=lambda app: [_api_bp("dept_e", "/shared")])
    b = plugin("dept_f", register_api=lambda app: [_api_bp("dept_f", "/shared")])
    with pytest.raises(PluginError) as info:
        make_app(plugins=[a, b])
    assert "dept_e" in str(info.value) and "dept_f" in str(info.value)


def test_api_blueprint_name_must_carry_plugin_prefix(make_app) -> None:  # type: ignore[no-untyped-def]
    p = plugin("dept_g", register_api=lambda app: [_api_bp("someone_else", "/g")])
    with pytest.raises(PluginError, match="dept_g"):
        make_app(plugins=[p])


def test_register_cli_adds_command_and_refuses_clash(make_app) -> None:  # type: ignore[no-untyped-def]
    from click.testing import CliRunner

    from core.cli import build_cli

    def add(cli: click.Group) -> None:
        @cli.command("hello")
        def hello() -> None:
            click.echo("你好")

    app = make_app(plugins=[plugin("dept_h", register_cli=add)])
    with app.app_context():
        result = CliRunner().invoke(build_cli(app), ["hello"])
    assert result.output.strip() == "你好"

    def clash(cli: click.Group) -> None:
        cli.add_command(click.Command("init", callback=lambda: None))

    app = make_app(plugins=[plugin("dept_i", register_cli=clash)])
    with app.app_context(), pytest.raises(PluginError, match="dept_i"):
        build_cli(app)


def test_dashboard_panels_from_plugins_render_for_their_roles(make_app, users) -> None:  # type: ignore[no-untyped-def]
    panel = api.DashboardPanel(key="dept_j.count", title="测试面板",
                               roles=frozenset({"dept_clerk"}),
                               render=lambda user, as_of: f"<b>{as_of.year}</b>")
    app = make_app(plugins=[plugin("dept_j", register_dashboard_panels=lambda app: [panel])])
    assert panel in app.extensions["juzhu"].panels
    dup = plugin("dept_k", register_dashboard_panels=lambda app: [panel])
    with pytest.raises(PluginError, match="dept_k"):
        make_app(plugins=[plugin("dept_j", register_dashboard_panels=lambda app: [panel]), dup])


def _page_bp(name: str, rule: str) -> Blueprint:
    bp = Blueprint(name, __name__)
    bp.add_url_rule(rule, endpoint="page", view_func=lambda: "<p>公开页面</p>")
    return bp


def test_register_pages_mounts_public_pages_as_they_are(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app(plugins=[plugin("dept_p", register_pages=lambda app: [_page_bp("dept_p", "/p/hello")])])
    resp = app.test_client().get("/p/hello")
    assert resp.status_code == 200 and "公开页面" in resp.get_data(as_text=True)


def test_register_pages_refuses_duplicates_and_foreign_names(make_app) -> None:  # type: ignore[no-untyped-def]
    a = plugin("dept_q", register_pages=lambda app: [_page_bp("dept_q", "/same")])
    b = plugin("dept_r", register_pages=lambda app: [_page_bp("dept_r", "/same")])
    with pytest.raises(PluginError) as info:
        make_app(plugins=[a, b])
    assert "dept_q" in str(info.value) and "dept_r" in str(info.value)
    c = plugin("dept_s", register_pages=lambda app: [_page_bp("other", "/s")])
    with pytest.raises(PluginError, match="dept_s"):
        make_app(plugins=[c])


def test_art19_is_a_valid_code_and_sorts_after_article_18(make_app) -> None:  # type: ignore[no-untyped-def]
    extra = plugin("dept_t", register_entitlements=lambda: [entitlement("art19"),
                                                             entitlement("art18.12.bus")])
    app = make_app(plugins=[extra], discover=False)  # public_security owns the real art19
    assert list(app.extensions["juzhu"].entitlements)[-2:] == ["art18.12.bus", "art19"]
