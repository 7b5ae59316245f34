"""Set-based work over every holder or permit: ``juzhu entitlements evaluate`` (art18.4)
beside the per-holder engine in a loop, and ``juzhu sweep``.

The loop is the batch command's own ``--loop`` path (core.batch.loop_rows: permit state,
then the check, holder by holder), timed in-process on the first ``LOOP_SAMPLE`` holders;
its throughput is compared with the batch's over all holders.
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
import time
from typing import Any

from core import clock

from .env import Bench

CODE = "art18.4"
LOOP_SAMPLE = 5000


def loop_rate(bench: Bench, as_of: dt.date) -> float:
    """Holders per second through the per-holder engine, in one process."""
    os.environ.update({k: v for k, v in bench.env.items() if k.startswith("JUZHU_")})
    from core.app import create_app
    from core.batch import loop_rows
    from core.db import db
    from core.parameters import current_store

    app = create_app()
    with app.app_context():
        _plugin, ent = app.extensions["juzhu"].entitlements[CODE]
        store = current_store(db.session)
        rows = loop_rows(db.session, ent, as_of, store)
        next(rows)  # warm: first query, imports
        t0 = time.perf_counter()
        n = sum(1 for _ in itertools.islice(rows, LOOP_SAMPLE))
        seconds = time.perf_counter() - t0
        db.session.remove()
        db.engine.dispose()
    return n / seconds


def measure(bench: Bench) -> dict[str, Any]:
    as_of = clock.today()
    with open(bench.work / "evaluate.csv", "w") as out:
        seconds, _ = bench.run("entitlements", "evaluate", "--entitlement", CODE,
                               "--as-of", as_of.isoformat(), "--format", "csv", stdout=out)
    rows = sum(1 for _ in open(bench.work / "evaluate.csv")) - 1
    holders = bench.holder_count()
    assert rows == holders, f"batch wrote {rows} rows for {holders} holders"
    batch_rate = holders / seconds
    per_holder = loop_rate(bench, as_of)
    return {"batch_eval_s": round(seconds, 2),
            "batch_rows_per_s": round(batch_rate),
            "loop_rows_per_s": round(per_holder),
            "batch_vs_loop_speedup": round(batch_rate / per_holder, 1)}


def sweep(bench: Bench) -> dict[str, Any]:
    """The first sweep over the generated permits records every suspension due today."""
    permits = int(bench.scalar("SELECT count(*) FROM permit"))
    before = int(bench.scalar("SELECT count(*) FROM permit_status_event"))
    seconds, out = bench.run("sweep")
    recorded = int(bench.scalar("SELECT count(*) FROM permit_status_event")) - before
    again, _ = bench.run("sweep")  # idempotent: finds nothing left
    return {"sweep_s": round(seconds, 2), "sweep_permits": permits,
            "sweep_recorded": recorded, "sweep_again_s": round(again, 2)}
