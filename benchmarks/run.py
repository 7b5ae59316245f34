"""``make bench``: build a database of BENCH_HOLDERS synthetic holders and measure the figures
of benchmarks/targets.py on it; write benchmarks/results.json and results.md.

    BENCH_HOLDERS=1000000                 holders to generate (default 1,000,000)
    BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/juzhu_bench
                                          PostgreSQL instead of SQLite (benchmarks/work/);
                                          the database's name must contain "bench": it is
                                          emptied first
    BENCH_REUSE=1                         keep a database generated earlier with the same N
    BENCH_ONLY=serving,batch,...          measure only these groups

Benchmarks are not tests: nothing here asserts a speed. Each figure is measured once, beside
its floor where it has one, and the results file says which targets were met.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Any, Callable

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from . import batch, importing, issuance, serving
from .env import ROOT, Bench
from .targets import TARGETS, markdown, met

HERE = Path(__file__).parent
GROUPS: dict[str, Callable[[Bench], dict[str, Any]]] = {
    "serving": serving.measure,
    "batch": batch.measure,
    "sweep": batch.sweep,
    "import": importing.measure,
    "issuance": issuance.measure,
}


def say(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def reset(url: str, work: Path) -> None:
    """An empty database at ``url``."""
    if url.startswith("sqlite"):
        path = Path(make_url(url).database or "")
        for extra in ("", "-wal", "-shm", "-journal"):
            Path(str(path) + extra).unlink(missing_ok=True)
        return
    name = make_url(url).database or ""
    if "bench" not in name:
        sys.exit(f"BENCH_DATABASE_URL 的数据库名须含 bench（它会被清空）：{name}")
    admin = make_url(url).set(database="postgres")
    engine = create_engine(admin, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()


def build(bench: Bench, reuse: bool) -> dict[str, Any]:
    marker = bench.work / f"generated-{bench.database}.json"
    if reuse and marker.exists():
        done = json.loads(marker.read_text())
        if done.get("holders") == bench.holders and done.get("url") == bench.url:
            say(f"reusing the database generated earlier ({bench.holders:,} holders)")
            return done["figures"]
    bench.engine.dispose()
    reset(bench.url, bench.work)
    say("juzhu init")
    bench.run("init")
    # The generator records street checks and detained cards (第二十一条) only under an
    # existing police officer's account; it makes none itself.
    bench.user("bench_officer", "police_officer", "county-psb")
    say(f"juzhu demo generate --holders {bench.holders:,}")
    seconds, _ = bench.run("demo", "generate", "--holders", str(bench.holders),
                           "--seed", str(bench.seed))
    figures = {"generate_s": round(seconds, 1),
               "generate_holders_per_s": round(bench.holders / seconds)}
    if bench.database == "postgresql":
        # What a bulk load is followed by: the generator numbers permits in one UPDATE at the
        # end (a dead row per permit) and autovacuum would otherwise run in the middle of a
        # measurement. Timed apart; not part of generation.
        say("VACUUM ANALYZE")
        t0 = time.perf_counter()
        with bench.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))
        figures["vacuum_analyze_s"] = round(time.perf_counter() - t0, 1)
    marker.write_text(json.dumps({"holders": bench.holders, "url": bench.url,
                                  "figures": figures}))
    return figures


def main() -> None:
    holders = int(os.environ.get("BENCH_HOLDERS", "1000000"))
    work = HERE / "work"
    url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{work / 'bench.sqlite'}"
    only = [g for g in os.environ.get("BENCH_ONLY", "").split(",") if g]
    bench = Bench(holders=holders, url=url, work=work)
    figures: dict[str, Any] = dict(build(bench, os.environ.get("BENCH_REUSE") == "1"))
    for group, measure in GROUPS.items():
        if only and group not in only:
            continue
        if group == "issuance" and bench.database != "postgresql":
            say("issuance: PostgreSQL only (BENCH_DATABASE_URL); not measured")
            continue
        say(f"measuring {group}")
        t0 = time.perf_counter()
        got = measure(bench)
        say(f"{group}: {got} ({time.perf_counter() - t0:.0f} s)")
        figures.update(got)
    results = {"holders": holders, "database": bench.database,
               "figures": {k: figures.get(k) for k in TARGETS}
               | {k: v for k, v in figures.items() if k not in TARGETS}}
    (HERE / "results.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    (HERE / "results.md").write_text(markdown(holders, bench.database, results["figures"]))
    missed = [k for k in TARGETS if met(k, figures.get(k)) is False]
    print((HERE / "results.md").read_text())
    say(f"written {(HERE / 'results.json').relative_to(ROOT)}; targets missed: "
        f"{', '.join(missed) or 'none'}")


if __name__ == "__main__":
    main()
