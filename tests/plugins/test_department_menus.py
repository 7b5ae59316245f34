"""Each department clerk sees its own menu and nothing else (issue 4, 第二十条): every admin view
of every plugin answers 200 to the clerks of the department that owns it and to the county
admin, and 403 to every other department's clerk; the menu a clerk is shown names only its
own department's category."""

from __future__ import annotations

from typing import Any

import pytest

DEPARTMENTS = {  # plugin: (org code, menu category)
    "education": ("dept-education", "教育"),
    "housing": ("dept-housing", "住房保障"),
    "health": ("dept-health", "卫生健康"),
    "human_resources": ("dept-hrss", "人力资源和社会保障"),
    "justice": ("dept-justice", "司法行政"),
    "civil_affairs": ("dept-civil-affairs", "民政"),
}


def plugin_views(app: Any) -> dict[str, list[Any]]:
    admin = app.extensions["juzhu"].admin
    out: dict[str, list[Any]] = {p: [] for p in DEPARTMENTS}
    out["public_security"] = []
    for view in admin._views:
        for plugin in out:
            if (view.endpoint or "").startswith(plugin + "_"):
                out[plugin].append(view)
    return out


def login(app: Any, users: Any, role: str, org: str | None) -> Any:
    client = app.test_client()
    user, _ = users(role, org, name=f"menu-{role}-{org}", password="pass-word-1")
    resp = client.post("/login", data={"username": user.username, "password": "pass-word-1"})
    assert resp.status_code == 302
    return client


def test_every_department_plugin_has_its_own_menu(app: Any) -> None:
    views = plugin_views(app)
    for plugin, (_org, category) in DEPARTMENTS.items():
        mine = views[plugin]
        names = {v.name for v in mine}
        assert {"参数", "权益说明"} <= names or plugin == "health", (plugin, names)
        assert "权益说明" in names, plugin
        assert len(mine) >= 3 or plugin == "health", (plugin, names)
        assert {v.category for v in mine} == {category}, plugin


@pytest.mark.parametrize("plugin", sorted(DEPARTMENTS))
def test_a_department_clerk_opens_only_its_own_views(app: Any, users: Any, plugin: str) -> None:
    org, category = DEPARTMENTS[plugin]
    client = login(app, users, "dept_clerk", org)
    views = plugin_views(app)
    for owner, owned in views.items():
        for view in owned:
            status = client.get(view.url + "/").status_code
            expected = 200 if owner == plugin else 403
            assert status == expected, (plugin, view.endpoint, status)
    menu = client.get("/admin/").text
    assert category in menu
    for other, (_o, other_category) in DEPARTMENTS.items():
        if other != plugin and other_category not in category:
            assert f">{other_category}<" not in menu and f"{other_category}\n" not in menu, other
    assert "公安" not in menu.split("<main")[0] if "<main" in menu else True


def test_the_county_admin_opens_every_department_view(app: Any, users: Any) -> None:
    client = login(app, users, "county_admin", None)
    for plugin, owned in plugin_views(app).items():
        for view in owned:
            assert client.get(view.url + "/").status_code == 200, view.endpoint


@pytest.mark.parametrize("role, org", [("station_clerk", "station-530323001"),
                                       ("police_officer", None), ("assistant", None)])
def test_police_and_assistants_do_not_open_department_views(app: Any, users: Any, role: str,
                                                            org: str | None) -> None:
    client = login(app, users, role, org)
    for plugin in DEPARTMENTS:
        for view in plugin_views(app)[plugin]:
            assert client.get(view.url + "/").status_code == 403, (role, view.endpoint)
