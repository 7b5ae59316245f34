"""Figures measured over HTTP against a real ``juzhu serve`` (waitress), as other systems and
clerks meet it: the entitlements API beside its floor, the admin holders list, and the peak
memory of the serving process.

The floor is ``GET /api/v1/holders/{id}``: the same server, token check, routing and JSON
shell, reading one holder row by id (for the county admin: no access-log write). The two are
timed interleaved, request by request, so a noisy moment costs both alike and the ratio holds.
"""

from __future__ import annotations

import re
import statistics
import subprocess
import time
import urllib.request
from pathlib import Path
from typing import Any

import requests

from .env import Bench


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1))))
    return ordered[k]


def peak_rss_mb(pid: int) -> float:
    """The process's peak resident set (VmHWM), in MB (Linux /proc)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc status")


class Served:
    """``juzhu serve`` on a free port of 127.0.0.1 for the bench's database."""

    def __init__(self, bench: Bench, workers: int = 0) -> None:
        """``juzhu serve`` (one process, waitress threads); with ``workers``, gunicorn with
        that many worker processes on ``core.wsgi:app`` (a province's deployment)."""
        self.bench = bench
        self.port = bench.free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = open(bench.work / "serve.log", "wb")
        if workers:
            gunicorn = str(Path(bench.juzhu).with_name("gunicorn"))
            command = [gunicorn, "-w", str(workers), "-b", f"127.0.0.1:{self.port}",
                       "core.wsgi:app"]
        else:
            command = [bench.juzhu, "serve", "--port", str(self.port)]
        self.proc = subprocess.Popen(command, env={**bench.env, "JUZHU_REQUIRE_KEYS": "1"},
                                     cwd=bench.work, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(self.url + "/login", timeout=2):
                    return
            except OSError:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("juzhu serve did not start: "
                                       + (bench.work / "serve.log").read_text()[-2000:])
                time.sleep(0.3)

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(30)
        self.log.close()


def api_figures(bench: Bench, served: Served, requests_n: int) -> dict[str, Any]:
    token = bench.token("bench_api", "county_admin")
    ids = bench.sample_holder_ids(requests_n)
    http = requests.Session()
    http.headers["Authorization"] = f"Bearer {token}"
    for holder_id in ids[:20]:  # warm: imports, caches, the pool
        http.get(f"{served.url}/api/v1/holders/{holder_id}/entitlements").raise_for_status()
        http.get(f"{served.url}/api/v1/holders/{holder_id}").raise_for_status()
    ent, floor = [], []
    for holder_id in ids:
        t0 = time.perf_counter()
        answer = http.get(f"{served.url}/api/v1/holders/{holder_id}/entitlements")
        t1 = time.perf_counter()
        assert answer.status_code == 200, answer.text[:300]
        assert not [i for i in answer.json()["items"] if i["status"] == "error"], answer.text
        row = http.get(f"{served.url}/api/v1/holders/{holder_id}")
        t2 = time.perf_counter()
        assert row.status_code == 200
        ent.append((t1 - t0) * 1000)
        floor.append((t2 - t1) * 1000)
    p50 = statistics.median(ent)
    return {"entitlements_api_p50_ms": round(p50, 2),
            "entitlements_api_p99_ms": round(percentile(ent, 99), 2),
            "entitlements_api_vs_floor": round(p50 / statistics.median(floor), 2),
            "floor_p50_ms": round(statistics.median(floor), 2),
            "entitlements_api_requests": len(ids)}


def admin_login(served: Served, username: str, password: str) -> requests.Session:
    http = requests.Session()
    page = http.get(served.url + "/login").text
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    answer = http.post(served.url + "/login", data={
        "username": username, "password": password, "csrf_token": csrf.group(1) if csrf else ""})
    if "/admin" not in answer.url:
        raise RuntimeError(f"admin login failed for {username}")
    return http


def admin_figures(bench: Bench, served: Served, requests_n: int) -> dict[str, Any]:
    http = admin_login(served, *bench.user("bench_admin", "county_admin"))
    id_numbers = bench.sample_id_numbers(requests_n)
    for _ in range(3):  # warm
        http.get(served.url + "/admin/holders/").raise_for_status()
    first, search = [], []
    for number in id_numbers:
        t0 = time.perf_counter()
        page = http.get(served.url + "/admin/holders/")
        t1 = time.perf_counter()
        found = http.get(served.url + "/admin/holders/", params={"search": number})
        t2 = time.perf_counter()
        assert page.status_code == 200 and found.status_code == 200
        assert number in found.text, "the search by ID number did not find its holder"
        first.append((t1 - t0) * 1000)
        search.append((t2 - t1) * 1000)
    return {"admin_list_p95_ms": round(percentile(first + search, 95), 2),
            "admin_first_page_p95_ms": round(percentile(first, 95), 2),
            "admin_id_search_p95_ms": round(percentile(search, 95), 2)}


def measure(bench: Bench) -> dict[str, Any]:
    served = Served(bench)
    try:
        figures = api_figures(bench, served, bench.requests)
        figures.update(admin_figures(bench, served, max(20, bench.requests // 10)))
        figures["serve_peak_rss_mb"] = round(peak_rss_mb(served.proc.pid), 1)
    finally:
        served.stop()
    return figures

