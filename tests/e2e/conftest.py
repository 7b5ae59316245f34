"""Browser tests: Playwright driving Debian's Chromium against a real ``juzhu serve``.

- The server is the one a county runs: ``juzhu init --demo`` into a fresh SQLite database in
  a temporary instance folder, then ``juzhu serve`` (waitress) on a free port of 127.0.0.1,
  once per test session (per xdist worker). Flows make their own data, so their order does
  not matter.
- The browser is ``/usr/bin/chromium`` (``JUZHU_CHROMIUM`` overrides), headless, with its own
  empty profile; Playwright downloads nothing. Without Chromium the tests are skipped with
  the reason, unless ``JUZHU_E2E_REQUIRED=1`` (set by ``.ci/run`` and ``make e2e``), when they
  fail: CI must prove them.
- Every page a test opens is watched (``Watch``): a request leaving 127.0.0.1 is aborted and
  recorded, console errors, uncaught exceptions and Content-Security-Policy violations are
  recorded, and every HTML document's ``lang`` is read. The ``page`` fixture fails the test
  at its end when any of these happened, so each flow also proves: no network, no console
  error, no CSP violation, Chinese on every page.
- Screenshots go to ``artifacts/e2e/<test>/`` (git-ignored), named in the order taken.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any, Iterator

import pytest

from .browser import Watch

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts" / "e2e"
CHROMIUM = os.environ.get("JUZHU_CHROMIUM", "/usr/bin/chromium")
REQUIRED = os.environ.get("JUZHU_E2E_REQUIRED") == "1"
KEYS = {"JUZHU_SECRET_KEY": "e2e-secret", "JUZHU_AUDIT_KEY": "e2e-audit-key",
        "JUZHU_QR_KEY": "e2e-qr-key", "JUZHU_PASSWORD_SALT": "e2e-salt"}
START_TIMEOUT = 60  # seconds for the server to answer; a bound, never a speed assertion


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if Path(str(item.fspath)).is_relative_to(here):
            item.add_marker(pytest.mark.e2e)


def _need_chromium() -> None:
    if Path(CHROMIUM).exists():
        return
    message = (f"Chromium 未安装（{CHROMIUM}；apt install chromium），浏览器测试未运行")
    if REQUIRED:
        pytest.fail(message + "；JUZHU_E2E_REQUIRED=1 要求运行", pytrace=False)
    pytest.skip(message)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """A running ``juzhu serve`` with its instance folder and environment."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, **KEYS, "JUZHU_INSTANCE": str(folder / "instance"),
                    "JUZHU_DATABASE_URL": f"sqlite:///{folder / 'juzhu.sqlite'}",
                    "JUZHU_PUBLIC_URL": self.url}
        self.env.pop("JUZHU_TEST_DATABASE_URL", None)
        self.juzhu = str(Path(sys.executable).with_name("juzhu"))
        self.proc: subprocess.Popen[bytes] | None = None

    def run(self, *args: str) -> str:
        """Run a ``juzhu`` command against this server's database; its stdout."""
        done = subprocess.run([self.juzhu, *args], env=self.env, cwd=self.folder,
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, f"juzhu {' '.join(args)}: {done.stderr[-2000:]}"
        return done.stdout

    def start(self) -> None:
        self.run("init", "--demo")
        log = open(self.folder / "serve.log", "wb")
        self.proc = subprocess.Popen([self.juzhu, "serve", "--port", str(self.port)],
                                     env=self.env, cwd=self.folder, stdout=log,
                                     stderr=subprocess.STDOUT)
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            try:
                with urllib.request.urlopen(self.url + "/login", timeout=2) as answer:
                    if answer.status == 200:
                        return
            except OSError:
                pass
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("juzhu serve did not start:\n"
                                   + (self.folder / "serve.log").read_text()[-3000:])
            time.sleep(0.2)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    _need_chromium()
    srv = Server(tmp_path_factory.mktemp("e2e-server"))
    try:
        srv.start()
        yield srv
    finally:
        srv.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    _need_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        # launch() gives the browser a fresh temporary profile of its own
        chromium = pw.chromium.launch(executable_path=CHROMIUM, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def watch(browser: Any, server: Server, request: pytest.FixtureRequest) -> Iterator[Watch]:
    """A fresh browser context (no cookies) with the watch on; checked at the end."""
    name = re.sub(r"[^\w.-]+", "_", request.node.name)
    folder = ARTIFACTS / name
    shutil.rmtree(folder, ignore_errors=True)
    w = Watch(browser, server.url, folder)
    try:
        yield w
        w.assert_clean()
    finally:
        w.close()


@pytest.fixture
def page(watch: Watch) -> Any:
    return watch.page


@pytest.fixture(scope="session")
def county(server: Server) -> Any:
    """The HTTP API with a county admin's token (test_print.County), for facts a flow needs
    made beforehand, as another system would make them."""
    from .test_print import County

    return County(server)
