"""Log in (the page is in Chinese) → the dashboard with its charts (issue 7).

The charts are server-rendered SVG: the browser must draw them with no script from outside,
no CSP violation and no console error (the ``watch`` fixture), and each has its numbers in a
table a keyboard user can open.
"""

from __future__ import annotations

import pytest

from .browser import Watch


@pytest.mark.parametrize("username,charts", [("admin", 5), ("danfeng", 2)])
def test_login_then_the_dashboard_with_its_charts(watch: Watch, username: str,
                                                  charts: int) -> None:
    page = watch.page
    watch.goto("/login")
    assert page.locator("h1").inner_text() == "登录"
    watch.shot("login")
    watch.login(username)
    assert page.title().endswith("居住证管理平台") or "居住证" in page.title()
    svgs = page.locator("svg.juzhu-chart-svg[role=img]")
    assert svgs.count() >= charts
    for i in range(svgs.count()):
        box = svgs.nth(i).bounding_box()
        assert box and box["width"] > 100 and box["height"] > 20  # drawn, not collapsed
        assert svgs.nth(i).locator("title").first.text_content()  # it says what it shows
    # the numbers behind a chart open from the keyboard
    summary = page.locator("details.juzhu-chart-data summary").first
    summary.focus()
    page.keyboard.press("Enter")
    assert page.locator("details.juzhu-chart-data").first.get_attribute("open") is not None
    assert page.locator("details.juzhu-chart-data table").first.is_visible()
    watch.shot("dashboard")
