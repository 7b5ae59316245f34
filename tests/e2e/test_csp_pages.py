"""Every admin page under the real Content-Security-Policy, in a real browser (issue 5 item 4).

The server sends ``script-src 'nonce-…'`` with no ``'unsafe-inline'``, and the admin's
templates carry no inline handlers (core/app.py ``_security_headers``). Whether the bundled
scripts (jQuery, select2, bootstrap, the date pickers of Flask-Admin) still run under it is
something only a browser can tell: a blocked script or style is a ``securitypolicyviolation``
event and a console error, which the ``watch`` fixture turns into a failure.

For each role the crawl opens every page its menu links to, then on each list page the
first few create, edit, details and print pages it links to. The pages must also load
without console errors and in Chinese, and fetch nothing from outside 127.0.0.1.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from .browser import Watch

# One account per kind of menu (core/defaults/demo.py): the county admin sees every view;
# the others see their own scope.
ROLES = ["admin", "danfeng", "police", "edu", "housing", "auditor"]
FORMS = ("/new/", "/edit/", "/details/", "print")
PER_LIST = 3  # form pages opened from each list page


def crawlable(path: str) -> bool:
    """Pages a GET may open without side effects or downloads."""
    low = path.lower()
    return not any(part in low for part in ("/export", ".csv", ".xlsx", "/logout", "/static/",
                                            "/static?", "/login"))


def crawl(watch: Watch) -> list[str]:
    """Open the menu's pages, then a few form pages of each; return every path opened."""
    watch.goto("/admin/")
    toggles = watch.page.locator("nav a.dropdown-toggle")
    for i in range(toggles.count()):  # open every menu: a toggle must run under the CSP too
        toggles.nth(i).click()
        watch.page.keyboard.press("Escape")
    menu = [p for p in watch.links("a[href^='/admin/']") if crawlable(p) and "?" not in p]
    opened: list[str] = ["/admin/"]
    forms: list[str] = []
    for path in menu:
        if path in opened:
            continue
        answer = watch.goto(path)
        opened.append(path)
        assert answer is not None and answer.status == 200, f"{path}: {answer and answer.status}"
        found = [p for p in watch.links() if crawlable(p) and any(f in p for f in FORMS)]
        forms.extend(found[:PER_LIST])
    for path in dict.fromkeys(forms):
        if urlsplit(path).path in {urlsplit(o).path for o in opened} and "?" not in path:
            continue
        answer = watch.goto(path)
        opened.append(path)
        assert answer is not None and answer.status < 400, f"{path}: {answer and answer.status}"
    return opened


@pytest.mark.parametrize("username", ROLES)
def test_every_page_of_a_role_runs_under_the_csp(watch: Watch, username: str) -> None:
    watch.login(username)
    watch.shot("dashboard")
    opened = crawl(watch)
    # the crawl reached pages beyond the dashboard (a broken menu would prove nothing)
    assert len(opened) > 3, opened
    problems = watch.problems()
    assert problems == [], "\n".join(problems)
    print(f"\n[e2e] {username}: {len(opened)} pages opened under the CSP, no violation")


def test_the_server_sends_a_nonce_policy_without_unsafe_inline(watch: Watch) -> None:
    for path in ("/login", "/admin/"):
        answer = watch.goto(path)
        policy = answer.headers["content-security-policy"]
        assert "script-src 'self' 'nonce-" in policy and "unsafe-inline" not in policy
        assert "default-src 'self'" in policy


def test_the_watch_sees_a_violation_and_an_outside_request(watch: Watch) -> None:
    """The crawl's silence means something only if the watch reports what it should: a
    page (served here by the test) whose inline script its policy forbids, and an image
    from another host."""
    probe = watch.base + "/__probe"
    watch.page.route(probe, lambda route: route.fulfill(
        status=200, content_type="text/html",
        headers={"Content-Security-Policy": "script-src 'self'"},
        body='<html lang="en"><body><script>1</script>'
             '<img src="http://203.0.113.9/x.png"></body></html>'))
    watch.goto("/__probe")
    watch.page.wait_for_timeout(300)  # the image request and the event are asynchronous
    problems = watch.problems()
    assert any(p.startswith("CSP 违规") and "script-src" in p for p in problems), problems
    assert any(p.startswith("请求离开本机") and "203.0.113.9" in p for p in problems), problems
    assert any(p.startswith("页面语言不是中文") for p in problems), problems
    watch.goto("/login")  # leave the probe, then forget what it was made to show
    for seen in (watch.outside, watch.errors, watch.csp, watch.langs):
        seen.clear()


def test_the_login_page_and_a_refused_login_run_under_the_csp(watch: Watch) -> None:
    watch.goto("/login")
    # an unknown name: the demo accounts' lockout counters stay untouched for other tests
    watch.page.get_by_label("用户名").fill("nobody")
    watch.page.get_by_label("密码").fill("not-the-password")
    watch.page.get_by_role("button", name="登录").click()
    watch.page.wait_for_load_state()
    assert "/login" in watch.page.url
    watch.shot("refused")
    assert watch.page.locator("html").get_attribute("lang", timeout=5000).startswith("zh")
