"""What a site runs: `juzhu plugins [--json]` and the admin's 插件 page (系统 menu), with each
plugin's declared parameters."""

from __future__ import annotations

import datetime as dt
import json
import re
import types
from typing import Any

import pytest
from click.testing import CliRunner

from core import api
from core.cli import build_cli
from core.plugin_info import describe
from tests.support import login



def bus_plugin() -> tuple[str, types.ModuleType]:
    """A third-party plugin with one entitlement and one dated parameter."""
    module = types.ModuleType("dept_bus")
    module.DEPARTMENT = "dept-civil-affairs"  # type: ignore[attr-defined]
    module.TITLE = "公交优惠"  # type: ignore[attr-defined]
    module.ARTICLES = "《办法》第十八条（十二）"  # type: ignore[attr-defined]

    def register_parameters() -> list[api.Parameter]:
        return [api.Parameter(name="dept_bus.min_age", title="公交优惠最低年龄", unit="岁",
                              department="dept-civil-affairs", kind="int",
                              values=(api.parameter_value(dt.date(2016, 1, 1), 60, "县政府通知"),))]

    def register_entitlements() -> list[api.Entitlement]:
        return [api.Entitlement("art18.12.dept_bus", "（十二）", "乘坐公交优惠",
                                "dept-civil-affairs", lambda facts: api.Decision(True, ()))]

    for fn in (register_parameters, register_entitlements):
        setattr(module, fn.__name__, api.hookimpl(fn))
    return "dept_bus", module


@pytest.fixture
def site(make_app: Any, app: Any) -> Any:
    """The browser side: its own app on the test database, with the bus plugin (see
    test_admin.py on why a second app)."""
    return make_app(plugins=[bus_plugin()])


def test_describe_names_each_plugins_parameters(make_app: Any) -> None:
    app = make_app(plugins=[bus_plugin()])
    info = {p["name"]: p for p in describe(app)}
    assert info["dept_bus"]["parameters"] == ["dept_bus.min_age"]
    assert info["dept_bus"]["entitlements"] == ["art18.12.dept_bus"]
    # every plugin carries the key, and only its own names
    for name, p in info.items():
        assert all(n.startswith(name + ".") for n in p["parameters"]), name


def test_cli_plugins_shows_parameters(make_app: Any) -> None:
    app = make_app(plugins=[bus_plugin()])
    with app.app_context():
        as_json = CliRunner().invoke(build_cli(app), ["plugins", "--json"])
        as_text = CliRunner().invoke(build_cli(app), ["plugins"])
    assert as_json.exit_code == 0 and as_text.exit_code == 0
    [bus] = [p for p in json.loads(as_json.stdout) if p["name"] == "dept_bus"]
    assert bus["parameters"] == ["dept_bus.min_age"]
    assert {"name", "version", "department", "title", "articles", "hooks",
            "entitlements"} <= set(bus)
    assert "参数：dept_bus.min_age" in as_text.stdout


@pytest.mark.parametrize("role", ["county_admin", "auditor"])
def test_plugins_page_lists_what_runs(site: Any, users: Any, role: str) -> None:
    client = login(site, users, role)
    r = client.get("/admin/plugins/")
    assert r.status_code == 200
    text = r.get_data(as_text=True)
    # the police's plugin: department with its org's Chinese name, its hooks and entitlements
    row = re.search(r"<code>public_security</code>.*?</tr>", text, re.S)
    assert row, text
    cells = row.group(0)
    assert "师宗县公安局" in cells and "county-psb" in cells
    assert "<code>art18.9</code> 参加驾驶培训" in cells
    assert "<code>register_entitlements</code>" in cells
    # the third-party plugin: its parameter with title and unit, its department's name
    row = re.search(r"<code>dept_bus</code>.*?</tr>", text, re.S)
    assert row, text
    cells = row.group(0)
    assert "<code>dept_bus.min_age</code> 公交优惠最低年龄（岁）" in cells
    assert "师宗县民政局" in cells and "乘坐公交优惠" in cells and "《办法》第十八条（十二）" in cells
    # reachable from the 系统 menu
    assert 'href="/admin/plugins/"' in client.get("/admin/").get_data(as_text=True)


@pytest.mark.parametrize("role,org", [("station_clerk", "station-530323001"),
                                      ("dept_clerk", "dept-civil-affairs"),
                                      ("police_officer", None)])
def test_plugins_page_is_refused_to_other_roles(site: Any, users: Any, role: str,
                                                org: str | None) -> None:
    client = login(site, users, role, org)
    r = client.get("/admin/plugins/")
    assert r.status_code == 403 and "无权访问" in r.get_data(as_text=True)
    assert 'href="/admin/plugins/"' not in client.get("/admin/").get_data(as_text=True)
