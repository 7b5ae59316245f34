"""Query plans of the admin lists at scale, as Markdown (for docs/scale.md).

Fills a fresh database with N synthetic holders (one residence each, a permit for nine in
ten, spread over the county's police stations) by plain bulk inserts, logs in through the
real login form, requests the admin pages with a Flask test client and captures the SQL the
real views send (SQLAlchemy ``before_cursor_execute``). Each captured query of a big table is
then explained: ``EXPLAIN QUERY PLAN`` on SQLite, ``EXPLAIN (ANALYZE, BUFFERS)`` on PostgreSQL
(database ``juzhu_explain`` beside the one named, created and dropped here). Last, the
median and p95 of repeated requests of the holders list and the ID search.

    .venv/bin/python benchmarks/explain.py --holders 1000000 --engine sqlite \\
        --engine postgresql > /tmp/explain.md

SQLite is explained as juzhu leaves it (no ANALYZE statistics); PostgreSQL after ANALYZE,
the state autovacuum keeps a loaded table in. A script, not a test: nothing is asserted.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import re
import statistics
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
PASSWORD = "explain-pass-1"
KEYS = {"JUZHU_SECRET_KEY": "explain-secret", "JUZHU_AUDIT_KEY": "explain-audit-key",
        "JUZHU_QR_KEY": "explain-qr-key", "JUZHU_PASSWORD_SALT": "explain-salt"}
BIG_TABLES = ("holder", "permit", "residence", "card", "endorsement", "audit_event")
SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
            "任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔")
GIVEN = ("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国文斌辉鹏飞宇浩然子涵欣怡梓轩"
         "雨泽晨博思语嘉瑶佳琪一诺宏志海燕春梅东林云峰家宝丹凤月琴德福金生永福兴旺")
CHUNK = 20_000


# -- the database ----------------------------------------------------------------------

@contextmanager
def database(engine_name: str, base_pg_url: str) -> Iterator[str]:
    """A fresh, empty database URL for ``engine_name``; removed afterwards."""
    if engine_name == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            yield f"sqlite:///{folder}/explain.sqlite"
        return
    base = make_url(base_pg_url)
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text('DROP DATABASE IF EXISTS "juzhu_explain" WITH (FORCE)'))
        conn.execute(text('CREATE DATABASE "juzhu_explain"'))
    try:
        yield base.set(database="juzhu_explain").render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text('DROP DATABASE IF EXISTS "juzhu_explain" WITH (FORCE)'))
        admin.dispose()


def build_app(url: str, instance: Path) -> Any:
    from core.app import create_app

    config = {**KEYS, "JUZHU_INSTANCE": str(instance), "SQLALCHEMY_DATABASE_URI": url,
              "TESTING": True, "WTF_CSRF_ENABLED": False, "SECURITY_PASSWORD_HASH": "argon2"}
    return create_app(config, enabled="", disabled="")


def id_number(i: int) -> str:
    """A well-formed, unique citizen ID number for holder ``i`` (i < 20 000 000)."""
    from core.rules import id_check_char

    birth = dt.date(1950, 1, 1) + dt.timedelta(days=i % 20_000)
    first17 = f"530302{birth:%Y%m%d}{i // 20_000:03d}"
    return first17 + id_check_char(first17)


def holder_rows(n: int, seed: int = 42) -> Iterator[tuple[Any, ...]]:
    rnd = random.Random(seed)
    for i in range(1, n + 1):
        number = id_number(i)
        name = rnd.choice(SURNAMES) + "".join(rnd.choice(GIVEN) for _ in range(rnd.choice((1, 2))))
        birth = f"{number[6:10]}-{number[10:12]}-{number[12:14]}"
        yield (i, name, "male" if int(number[16]) % 2 else "female", "汉族", birth, number,
               "云南省曲靖市麒麟区南宁街道 8 号", "530302001000", f"139{i:08d}",
               "2026-01-01 00:00:00.000000")


def fill(engine: Any, n: int) -> None:
    """N holders, one residence each, a permit for nine in ten (plain bulk inserts)."""
    with engine.connect() as conn:
        stations = conn.execute(text(
            "SELECT id, division_code FROM org_unit WHERE kind = 'police_station' "
            "ORDER BY id")).all()
        psb = conn.execute(text("SELECT id FROM org_unit WHERE kind = 'county_psb'")).scalar_one()
    tables = {
        "holder": ("id", "name", "sex", "ethnicity", "birth_date", "id_number",
                   "hukou_address", "hukou_division_code", "phone", "created_at"),
        "residence": ("id", "holder_id", "address", "division_code", "from_date"),
        "permit": ("id", "number", "holder_id", "authority_id", "station_id", "issued_on",
                   "valid_until", "continuous_residence_since"),
    }

    def station_of(i: int) -> Any:  # not i % 10: every tenth holder has no permit
        return stations[(i // 10) % len(stations)]

    def residences() -> Iterator[tuple[Any, ...]]:
        for i in range(1, n + 1):
            station = station_of(i)
            yield (i, i, "演示社区 1 号", f"{station.division_code}001", "2025-01-01")

    def permits() -> Iterator[tuple[Any, ...]]:
        for i in range(1, n + 1):
            if i % 10:
                issued = dt.date(2025, 1, 1) + dt.timedelta(days=i % 700)
                yield (i, f"530323{issued:%Y}{i:08d}", i, psb, station_of(i).id,
                       issued.isoformat(), issued.replace(year=issued.year + 1).isoformat(),
                       "2024-06-01")

    rows = {"holder": holder_rows(n), "residence": residences(), "permit": permits()}
    raw = engine.raw_connection()
    try:
        dbapi = raw.driver_connection
        for table, columns in tables.items():
            if engine.dialect.name == "sqlite":
                sql = (f"INSERT INTO {table} ({', '.join(columns)}) "
                       f"VALUES ({', '.join('?' * len(columns))})")
                batch: list[tuple[Any, ...]] = []
                for row in rows[table]:
                    batch.append(row)
                    if len(batch) == CHUNK:
                        dbapi.executemany(sql, batch)
                        batch.clear()
                dbapi.executemany(sql, batch)
            else:
                with dbapi.cursor() as cur:
                    with cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                        for row in rows[table]:
                            copy.write_row(row)
                    cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                f"(SELECT max(id) FROM {table}))")
        dbapi.commit()
    finally:
        raw.close()
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))


# -- capturing and explaining ----------------------------------------------------------

@contextmanager
def captured(engine: Any) -> Iterator[list[tuple[str, Any]]]:
    statements: list[tuple[str, Any]] = []

    def listen(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any,
               executemany: bool) -> None:
        statements.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", listen)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", listen)


def of_big_tables(statements: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    """The SELECTs that read a big table (not the session's user and role lookups)."""
    pattern = re.compile(r'\bFROM\s+"?(%s)"?\b' % "|".join(BIG_TABLES), re.I)
    seen, out = set(), []
    for statement, params in statements:
        if statement.lstrip().upper().startswith("SELECT") and pattern.search(statement):
            if statement not in seen:
                seen.add(statement)
                out.append((statement, params))
    return out


def short(statement: str) -> str:
    """The statement with its outermost column list elided (the plan is what matters)."""
    one = " ".join(statement.split())
    return re.sub(r"^SELECT (?!count\().{120,}? FROM ", "SELECT … FROM ", one, count=1)


def explain(engine: Any, statement: str, params: Any) -> str:
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            rows = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, params).all()
            depth = {0: -1}
            lines = []
            for node, parent, _unused, detail in rows:
                depth[node] = depth.get(parent, -1) + 1
                lines.append("  " * depth[node] + detail)
            return "\n".join(lines)
        rows = conn.exec_driver_sql("EXPLAIN (ANALYZE, BUFFERS) " + statement, params).all()
        return "\n".join(r[0] for r in rows)


def login(app: Any, username: str) -> Any:
    client = app.test_client()
    r = client.post("/login", data={"username": username, "password": PASSWORD})
    assert r.status_code == 302, f"login of {username} failed"
    return client


def timings(client: Any, url: str, runs: int) -> tuple[float, float, float]:
    """Fastest, median and p95 (ms) of ``runs`` requests, after two to warm caches (on a
    shared machine the fastest says most about the page itself)."""
    for _ in range(2):
        client.get(url)
    spent = []
    for _ in range(runs):
        start = time.perf_counter()
        r = client.get(url)
        spent.append((time.perf_counter() - start) * 1000)
        assert r.status_code == 200, (url, r.status_code)
    spent.sort()
    return spent[0], statistics.median(spent), spent[max(0, round(0.95 * runs) - 1)]


def run(engine_name: str, n: int, runs: int, pg_url: str) -> str:
    from core.auth import create_user
    from core.clock import today
    from core.db import db
    from core.seed import init

    out = []
    with database(engine_name, pg_url) as url, tempfile.TemporaryDirectory() as instance:
        app = build_app(url, Path(instance))
        init(app, demo=False, as_of=today())
        with app.app_context():
            started = time.perf_counter()
            fill(db.engine, n)
            filled = time.perf_counter() - started
            create_user(db.session, "explain_admin", "county_admin", password=PASSWORD)
            create_user(db.session, "explain_clerk", "station_clerk", "station-530323001",
                        password=PASSWORD)
            db.session.commit()
            sample = id_number(n // 2 + 1)  # a holder with a permit (not every tenth)
            with db.engine.connect() as conn:
                prefix = conn.execute(text("SELECT name FROM holder WHERE id = :i"),
                                      {"i": n // 3}).scalar_one()[:2]
            engine = db.engine
        admin, clerk = login(app, "explain_admin"), login(app, "explain_clerk")
        pages = [
            ("holders, first page (county admin)", admin, "/admin/holders/"),
            ("holders, page 3", admin, "/admin/holders/?page=2"),
            ("holders, search by full ID number", admin, f"/admin/holders/?search={sample}"),
            ("holders, search by name prefix", admin, f"/admin/holders/?search={prefix}"),
            ("holders, search by one-character surname", admin,
             f"/admin/holders/?search={prefix[0]}"),
            ("permits, first page (county admin)", admin, "/admin/public_security_permits/"),
            ("permits, search by holder's ID number", admin,
             f"/admin/public_security_permits/?search={sample}"),
            ("permits, first page of a station clerk (scoped)", clerk,
             "/admin/public_security_permits/"),
            ("permits, station clerk searches a name prefix", clerk,
             f"/admin/public_security_permits/?search={prefix}"),
        ]
        label = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}[engine_name]
        out.append(f"### {label}, {n:,} holders\n")
        out.append(f"Loaded in {filled:.0f} s. "
                   + ("Plans are `EXPLAIN QUERY PLAN` without ANALYZE statistics.\n"
                      if engine_name == "sqlite" else
                      "Plans are `EXPLAIN (ANALYZE, BUFFERS)` after `VACUUM ANALYZE`.\n"))
        for title, client, page in pages:
            with captured(engine) as statements:
                r = client.get(page)
            assert r.status_code == 200, (page, r.status_code)
            out.append(f"#### {title}\n\n`GET {page}`\n")
            with app.app_context():
                for statement, params in of_big_tables(statements):
                    out.append(f"```sql\n{short(statement)}\n-- {params!r}\n```\n")
                    out.append(f"```\n{explain(engine, statement, params)}\n```\n")
        out.append(f"#### Timings ({runs} requests through the test client, after 2 warm-ups)\n")
        out.append("| page | fastest ms | median ms | p95 ms |\n|---|---|---|---|")
        for title, client, page in (pages[0], pages[2], pages[6], pages[7]):
            fastest, median, p95 = timings(client, page, runs)
            out.append(f"| {title} | {fastest:.1f} | {median:.1f} | {p95:.1f} |")
        out.append("")
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--holders", type=int, default=1_000_000)
    parser.add_argument("--engine", action="append", choices=["sqlite", "postgresql"])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--pg-url", default=PG_URL,
                        help="a PostgreSQL database to connect to "
                             "(juzhu_explain is made beside it)")
    args = parser.parse_args()
    for engine_name in args.engine or ["sqlite"]:
        print(run(engine_name, args.holders, args.runs, args.pg_url), flush=True)


if __name__ == "__main__":
    main()
