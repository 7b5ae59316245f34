"""What every browser test shares: the watch on a page, logging in, and crawling.

``Watch`` owns one browser context and its page. It records what a county's intranet must
never see: a request to any host but 127.0.0.1 (aborted before it leaves), a console error,
an uncaught exception, a Content-Security-Policy violation (Chromium's
``securitypolicyviolation`` event, collected by an init script in every document), and a
document whose ``<html lang>`` is not Chinese.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

DEMO_PASSWORD = "juzhu-demo-2026"  # core/defaults/demo.py: every demo account's password

# Collected in every document before its own scripts run; read back after each navigation.
CSP_LISTENER = """
window.__juzhuCsp = [];
document.addEventListener('securitypolicyviolation', e => window.__juzhuCsp.push(
  `${e.violatedDirective} blocked ${e.blockedURI || '(inline)'} at ${e.sourceFile}:${e.lineNumber}`));
"""


class Watch:
    def __init__(self, browser: Any, base: str, artifacts: Path) -> None:
        self.base = base
        self.artifacts = artifacts
        self.shots = 0
        self.outside: list[str] = []
        self.errors: list[str] = []
        self.csp: list[str] = []
        self.langs: dict[str, str] = {}
        self.context = browser.new_context(locale="zh-CN", accept_downloads=True)
        self.context.add_init_script(CSP_LISTENER)
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda exc: self.errors.append(f"{self.page.url}: {exc}"))
        self.page.on("load", lambda _page: self._loaded())

    # -- the watch ---------------------------------------------------------------------

    def _route(self, route: Any) -> None:
        url = route.request.url
        if urlsplit(url).hostname != "127.0.0.1" and not url.startswith(("data:", "blob:")):
            self.outside.append(url)
            route.abort()
        else:
            route.continue_()

    def _console(self, message: Any) -> None:
        if message.type == "error":
            self.errors.append(f"{self.page.url}: {message.text}")

    def _loaded(self) -> None:
        try:
            info = self.page.evaluate(
                "() => [document.contentType, document.documentElement.lang, "
                "window.__juzhuCsp || []]")
        except Exception:  # the page navigated on meanwhile; its successor is read
            return
        content_type, lang, violations = info
        if content_type == "text/html":
            self.langs[self.page.url] = lang
        self.csp.extend(f"{self.page.url}: {v}" for v in violations)

    def check_now(self) -> None:
        """Read the current document's CSP violations (events fired after ``load``)."""
        self._loaded()

    def problems(self) -> list[str]:
        self.check_now()
        not_chinese = [f"{url}: lang={lang!r}" for url, lang in self.langs.items()
                       if not lang.lower().startswith("zh")]
        return ([f"请求离开本机：{u}" for u in self.outside]
                + [f"控制台错误：{e}" for e in self.errors]
                + [f"CSP 违规：{v}" for v in dict.fromkeys(self.csp)]
                + [f"页面语言不是中文：{x}" for x in not_chinese])

    def assert_clean(self) -> None:
        problems = self.problems()
        assert problems == [], "\n".join(problems)

    def close(self) -> None:
        self.context.close()

    # -- actions -----------------------------------------------------------------------

    def goto(self, path: str, expect_status: int | None = None) -> Any:
        """Open ``path``. With ``expect_status`` (a 403 a test means to see), the browser's
        console line about that status for this very page is expected, not an error."""
        answer = self.page.goto(urljoin(self.base, path))
        self.check_now()
        if expect_status is not None:
            assert answer is not None and answer.status == expect_status, answer
            said = f"{self.page.url}: Failed to load resource: the server responded with a " \
                   f"status of {expect_status}"
            self.errors[:] = [e for e in self.errors if not e.startswith(said)]
        return answer

    def shot(self, name: str) -> Path:
        """A full-page screenshot, kept as an artifact, in the order taken."""
        self.shots += 1
        self.artifacts.mkdir(parents=True, exist_ok=True)
        path = self.artifacts / f"{self.shots:02d}-{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def login(self, username: str, password: str = DEMO_PASSWORD) -> None:
        self.goto("/login")
        self.page.get_by_label("用户名").fill(username)
        self.page.get_by_label("密码").fill(password)
        self.page.get_by_role("button", name="登录").click()
        self.page.wait_for_url("**/admin/**")

    def links(self, selector: str = "a[href]") -> list[str]:
        """Same-origin links on the current page, as absolute paths, in page order."""
        hrefs = self.page.eval_on_selector_all(
            selector, "els => els.map(e => e.getAttribute('href'))")
        out = []
        for href in hrefs:
            if not href or href.startswith(("#", "javascript:", "mailto:")):
                continue
            full = urljoin(self.page.url, href)
            parts = urlsplit(full)
            if parts.hostname == "127.0.0.1":
                out.append(parts.path + (f"?{parts.query}" if parts.query else ""))
        return list(dict.fromkeys(out))
