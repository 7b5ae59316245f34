"""Permits issued per second by 4 concurrent clients on PostgreSQL, and duplicates (zero).

Clients are separate processes, each with its own HTTP connection to the app served by
gunicorn with ``WORKERS`` worker processes sharing the one PostgreSQL (a province's
deployment, docs/scale.md), posting ``POST /api/v1/applications`` with complete materials for
holders registered at 丹凤派出所 more than half a year ago (第十一条), so every application is
issued from the one station's range: the contended case, every issuance locking the same
range row (第八条: lowest free number first).

Then, as context (``pg_issuance_4_stations_per_s``, no target), the same number of
issuances with each client at a station of its own (``SPREAD``): what the machine does when
the station's locks are not what waits.

Preparation (not timed): holders and registrations through the HTTP API, and a fresh range
above every range the station holds, allocated through ``POST /number-ranges``.
"""

from __future__ import annotations

import datetime as dt
import http.client
import json
import multiprocessing
import os
import time
from typing import Any

import requests

from core import clock
from core.rules import id_check_char

from .env import Bench
from .serving import Served

CLIENTS = 4
# Sync workers, one per core: the workers are CPU-bound, and every worker beyond the cores
# only adds context switches while one of them holds the station's range lock (measured at
# 20 000 holders on 2 cores, 2026-12-05: 4 workers 95 issuances/s, 2 workers 115).
WORKERS = os.cpu_count() or 2
STATION, DIVISION = "station-530323001", "530323001001"  # 丹凤派出所 and a community of it
# Context (no target): each client at its own station, so no two of them wait for the same
# station's ranges and counter; only the county's audit head is shared. Beside the figure
# above it separates what one station's locks cost from what the machine can do.
SPREAD = [(STATION, DIVISION), ("station-530323002", "530323002001"),
          ("station-530323003", "530323003001"), ("station-530323102", "530323102001")]
MATERIALS = ["id_card", "photo", "photo", "rental_contract"]


def id_number(seq: int) -> str:
    """A valid GB 11643 ID number (region 530302, born from 1985 on), one per ``seq``; one a
    generated holder already has is answered 409 and skipped."""
    birth = dt.date(1985, 1, 1) + dt.timedelta(days=seq // 1000 % 5000)
    first17 = f"530302{birth:%Y%m%d}{seq % 1000:03d}"
    return first17 + id_check_char(first17)


def prepare(served: Served, token: str, n: int, bench: Bench,
            station: str = STATION, division: str = DIVISION) -> list[int]:
    """``n`` floating holders registered at ``station`` (``division`` one of its
    communities), eligible today, and a fresh range there for them; their ids."""
    http = requests.Session()
    http.headers["Authorization"] = f"Bearer {token}"
    registered_on = clock.today() - dt.timedelta(days=365)
    ids: list[int] = []
    seq = bench.rng.randint(0, 10**6)
    while len(ids) < n:
        seq += 1
        number = id_number(seq)
        birth = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
        made = http.post(f"{served.url}/api/v1/holders", json={
            "name": "测试" + "伟芳娜敏静丽强磊军洋"[seq % 10], "ethnicity": "汉族",
            "sex": "male" if int(number[16]) % 2 else "female", "birth_date": birth.isoformat(),
            "id_number": number, "hukou_address": "云南省曲靖市麒麟区南宁街道",
            "hukou_division_code": "530302001000"})
        if made.status_code == 409:  # that number exists already: take the next
            continue
        made.raise_for_status()
        holder_id = made.json()["id"]
        http.post(f"{served.url}/api/v1/registrations", json={
            "holder_id": holder_id, "arrival_date": (registered_on - dt.timedelta(days=3))
            .isoformat(), "residence_address": "丹凤街道某社区1号",
            "residence_division_code": division, "registered_on": registered_on.isoformat(),
        }).raise_for_status()
        ids.append(holder_id)
    top = bench.scalar(
        'SELECT max(r."end") FROM public_security_number_range r JOIN org_unit o '
        "ON o.id = r.station_id") or 5303230010000
    http.post(f"{served.url}/api/v1/number-ranges", json={
        "station": station, "start": top + 1, "end": top + n + 100}).raise_for_status()
    return ids


def client(args: tuple[str, str, list[int], Any, Any]) -> list[str]:
    """One client's share of the timed issuances, posted one after another.

    The standard library's ``http.client``, one connection per request (gunicorn's sync
    workers close it after each answer): the clients share the two cores with the server, and
    ``requests`` cost 1.25 ms of CPU per issuance here (measured 2026-12-05, /proc), CPU that
    a real other system spends on its own machine."""
    url, token, holder_ids, ready, go = args
    host, port = url.removeprefix("http://").split(":")
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    today = clock.today().isoformat()
    ready.wait()
    go.wait()
    numbers = []
    for holder_id in holder_ids:
        connection = http.client.HTTPConnection(host, int(port), timeout=60)
        connection.request("POST", "/api/v1/applications", json.dumps({
            "holder_id": holder_id, "accepted_on": today, "basis": ["residence"],
            "materials": MATERIALS, "applicant": "self"}), headers)
        answer = connection.getresponse()
        body = json.loads(answer.read())
        connection.close()
        if answer.status != 201 or body.get("outcome") != "issued":
            raise RuntimeError(f"issuance for holder {holder_id}: {answer.status} {body}")
        numbers.append(body["permit_number"])
    return numbers


def timed(served: Served, token: str, shares: list[list[int]]) -> tuple[list[str], float]:
    """Each share posted by its own client process, all released at once; (the permit
    numbers issued, seconds)."""
    with multiprocessing.Manager() as manager:
        ready, go = manager.Barrier(len(shares) + 1), manager.Event()
        with multiprocessing.Pool(len(shares)) as pool:
            pending = pool.map_async(client, [(served.url, token, ids, ready, go)
                                              for ids in shares])
            ready.wait()
            t0 = time.perf_counter()
            go.set()
            results = pending.get(timeout=3600)
            seconds = time.perf_counter() - t0
    return [n for share in results for n in share], seconds


def measure(bench: Bench, n: int = 2000) -> dict[str, Any]:
    served = Served(bench, workers=WORKERS)
    try:
        token = bench.token("bench_issue", "county_admin")
        ids = prepare(served, token, n, bench)
        numbers, seconds = timed(served, token, [ids[i::CLIENTS] for i in range(CLIENTS)])
        spread = [prepare(served, token, n // CLIENTS, bench, station, division)
                  for station, division in SPREAD[:CLIENTS]]
        spread_numbers, spread_seconds = timed(served, token, spread)
    finally:
        served.stop()
    issued = numbers + spread_numbers
    duplicates = int(bench.scalar(
        "SELECT count(*) FROM (SELECT number FROM permit GROUP BY number "
        "HAVING count(*) > 1) d"))
    return {"pg_issuance_per_s": round(len(numbers) / seconds, 1),
            "pg_duplicate_numbers": duplicates + len(issued) - len(set(issued)),
            "pg_issued": len(numbers),
            "pg_issuance_4_stations_per_s": round(len(spread_numbers) / spread_seconds, 1)}
