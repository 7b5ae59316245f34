"""The figures `make bench` measures and their targets at 1,000,000 holders (issue 6).

Each is (meaning, comparison, target). A figure measured as ``None`` was not measured on
this database (the PostgreSQL issuance figures on a SQLite run) and is shown as such.
"""

from __future__ import annotations

from typing import Any

TARGETS: dict[str, tuple[str, str, float]] = {
    "entitlements_api_p50_ms": ("GET /holders/{id}/entitlements, median (ms)", "<=", 10),
    "entitlements_api_p99_ms": ("GET /holders/{id}/entitlements, 99th percentile (ms)", "<=", 30),
    "entitlements_api_vs_floor": ("its median ÷ the floor endpoint's median", "<=", 3),
    "batch_eval_s": ("juzhu entitlements evaluate art18.4, all holders (s)", "<=", 20),
    "batch_vs_loop_speedup": ("batch throughput ÷ per-holder loop throughput", ">=", 50),
    "admin_list_p95_ms": ("admin holders list: first page and ID search, p95 (ms)", "<=", 150),
    "sweep_s": ("juzhu sweep over all permits (s)", "<=", 10),
    "import_rows_per_s": ("juzhu import registrations, CSV, full validation (rows/s)", ">=", 20000),
    "import_vs_executemany": ("that rate ÷ raw executemany of the same rows", ">=", 0.25),
    "pg_issuance_per_s": ("permits issued per second, 4 concurrent clients, PostgreSQL", ">=", 200),
    "pg_duplicate_numbers": ("duplicate permit numbers among them", "<=", 0),
    "serve_peak_rss_mb": ("peak memory of the serving process (MB)", "<=", 300),
}


def met(name: str, value: Any) -> bool | None:
    """Whether ``value`` meets its target; None when it was not measured."""
    if value is None:
        return None
    _meaning, op, target = TARGETS[name]
    return value <= target if op == "<=" else value >= target


def markdown(holders: int, database: str, figures: dict[str, Any]) -> str:
    lines = [f"# Benchmark results: {holders:,} holders on {database}", "",
             "| name | meaning | measured | target | met |", "|---|---|---|---|---|"]
    for name, (meaning, op, target) in TARGETS.items():
        value = figures.get(name)
        shown = "not measured" if value is None else (
            f"{value:,.2f}" if isinstance(value, float) else f"{value:,}")
        verdict = {True: "yes", False: "**no**", None: "—"}[met(name, value)]
        lines.append(f"| `{name}` | {meaning} | {shown} | {op} {target:g} | {verdict} |")
    extra = {k: v for k, v in figures.items() if k not in TARGETS}
    if extra:
        lines += ["", "Context (no target):", ""]
        lines += [f"- `{k}`: {v}" for k, v in extra.items()]
    return "\n".join(lines) + "\n"
