"""``juzhu backup PATH`` / ``juzhu restore PATH --yes`` (core/backup.py).

The round trips seed the demo, take a snapshot of every row of every table, back up, damage
the database (changed, deleted and added rows), restore, and require every table to equal the
snapshot again — except the one ``system.restore`` event the restore appends to the chain.
SQLite runs everywhere; PostgreSQL runs against its own database ``juzhu_backup_test`` on the
local server (never the shared test databases).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import MetaData, select, text
from sqlalchemy.engine import Engine

from core.cli import build_cli
from core.db import db
from core.seed import init

AS_OF = dt.date(2026, 6, 1)
JUZHU = Path(sys.executable).with_name("juzhu")
KEYS = {"JUZHU_SECRET_KEY": "bk-secret", "JUZHU_AUDIT_KEY": "bk-audit-key",
        "JUZHU_QR_KEY": "bk-qr-key", "JUZHU_PASSWORD_SALT": "bk-salt"}
PG_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/"
# One per test process (xdist workers, and whole-suite runs side by side on one machine):
# the tests drop and recreate it, so two processes must never share it.
PG_NAME = f"juzhu_backup_test_{os.getpid()}"


def snapshot(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table the database holds (reflected, so nothing is left out)."""
    meta = MetaData()
    meta.reflect(bind=engine)
    assert {t.name for t in db.metadata.sorted_tables} <= set(meta.tables)
    out: dict[str, list[tuple[Any, ...]]] = {}
    with engine.connect() as conn:
        for table in meta.sorted_tables:
            order = list(table.primary_key.columns) or list(table.columns)
            out[table.name] = [tuple(r) for r in conn.execute(select(table).order_by(*order))]
    return out


def audit_rows(engine: Engine) -> list[dict[str, Any]]:
    with engine.connect() as conn:
        rows = [dict(r._mapping) for r in conn.execute(text(
            "SELECT seq, action, new FROM audit_event ORDER BY seq"))]
    for row in rows:  # SQLite hands JSON back as text, PostgreSQL as objects
        if isinstance(row["new"], str):
            row["new"] = json.loads(row["new"])
    return rows


def damage(engine: Engine) -> None:
    """Change, delete and add rows across several tables, audit chain included."""
    with engine.begin() as conn:
        assert conn.execute(text("UPDATE holder SET name = '改动后的名字'")).rowcount > 0
        conn.execute(text("DELETE FROM api_token"))
        assert conn.execute(text("DELETE FROM audit_event WHERE seq > 20")).rowcount > 0
        conn.execute(text("UPDATE audit_head SET seq = 20"))
        conn.execute(text("UPDATE org_unit SET name = '伪造单位' WHERE code = 'county-psb'"))


def assert_restored(before: dict[str, list[tuple[Any, ...]]],
                    after: dict[str, list[tuple[Any, ...]]], engine: Engine) -> None:
    assert set(after) == set(before)
    assert sum(len(rows) for rows in before.values()) > 200  # the demo really is there
    for name in before:
        if name in ("audit_event", "audit_head"):
            continue
        assert after[name] == before[name], f"table {name} differs after restore"
    # the chain is the backup's plus exactly one appended event: the restore itself
    assert after["audit_event"][:-1] == before["audit_event"]
    events = audit_rows(engine)
    assert events[-1]["action"] == "system.restore"
    assert events[-1]["seq"] == len(before["audit_event"]) + 1
    assert [h[1] for h in after["audit_head"]] == [h[1] + 1 for h in before["audit_head"]]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def round_trip(app: Any, tmp_path: Path, backup_name: str) -> None:
    init(app, demo=True, as_of=AS_OF)
    cli, runner = build_cli(app), CliRunner()
    engine = db.engine
    before = snapshot(engine)
    target = tmp_path / backup_name

    made = runner.invoke(cli, ["backup", str(target)])
    assert made.exit_code == 0, made.output
    digest = sha256(target)
    assert f"已备份到 {target}" in made.stdout and digest in made.stdout
    # system.backup is recorded in the source, after the copy: so it is not in the copy
    events = audit_rows(engine)
    assert events[-1]["action"] == "system.backup"
    assert events[-1]["new"]["sha256"] == digest and events[-1]["new"]["path"] == str(target)
    assert len(events) == len(before["audit_event"]) + 1

    damage(engine)
    damaged = snapshot(engine)
    assert damaged["holder"] != before["holder"]

    refused = runner.invoke(cli, ["restore", str(target)])
    assert refused.exit_code == 2
    assert refused.stderr.startswith("错误：--yes：") and str(target) in refused.stderr
    assert "持证人" in refused.stderr and "审计事件 20 条" in refused.stderr
    assert snapshot(engine) == damaged  # nothing was touched

    done = runner.invoke(cli, ["restore", str(target), "--yes"])
    assert done.exit_code == 0, done.output
    assert "审计链完好" in done.stdout
    assert sha256(target) == digest  # the backup itself is untouched
    assert_restored(before, snapshot(db.engine), db.engine)


# -- SQLite -----------------------------------------------------------------------------------

@pytest.fixture
def sqlite_app(make_app: Any, tmp_path: Path) -> Any:
    app = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'live.sqlite'}")
    with app.app_context():
        yield app


def test_sqlite_round_trip_restores_every_table(sqlite_app: Any, tmp_path: Path) -> None:
    round_trip(sqlite_app, tmp_path, "copy.sqlite")
    # The live database runs in WAL mode (core.db.configure_engine); its backup is one
    # plain file, whose copy needs no -wal beside it.
    journal = {name: sqlite3.connect(tmp_path / name).execute("PRAGMA journal_mode").fetchone()[0]
               for name in ("live.sqlite", "copy.sqlite")}
    assert journal == {"live.sqlite": "wal", "copy.sqlite": "delete"}
    assert not list(tmp_path.glob(".*.tmp"))  # no temporary file left beside either file
    tables = {r[0] for r in sqlite3.connect(tmp_path / "live.sqlite").execute(
        "SELECT name FROM sqlite_master WHERE type='table'")}
    assert "juzhu_backup" not in tables and "juzhu_backup" in {
        r[0] for r in sqlite3.connect(tmp_path / "copy.sqlite").execute(
            "SELECT name FROM sqlite_master WHERE type='table'")}


def test_restore_refuses_what_is_not_a_juzhu_backup(sqlite_app: Any, tmp_path: Path) -> None:
    init(sqlite_app, demo=False, as_of=AS_OF)
    cli, runner = build_cli(sqlite_app), CliRunner()
    text_file = tmp_path / "notes.txt"
    text_file.write_text("不是备份", encoding="utf-8")
    plain_sqlite = tmp_path / "plain.sqlite"
    sqlite3.connect(plain_sqlite).execute("CREATE TABLE alembic_version (v TEXT)").connection \
        .commit()
    before = snapshot(db.engine)
    cases = {
        str(tmp_path / "missing.sqlite"): "不存在",
        str(text_file): "既非 SQLite 数据库文件",
        str(plain_sqlite): "缺少表 juzhu_backup, audit_event, audit_head",
        str(tmp_path / "live.sqlite"): "缺少表 juzhu_backup",  # the live database itself
    }
    for path, reason in cases.items():
        r = runner.invoke(cli, ["restore", path, "--yes"])
        assert r.exit_code == 2, (path, r.output)
        assert r.stderr.startswith("错误：PATH：") and reason in r.stderr, r.stderr
        assert "备份规则" in r.stderr and "Traceback" not in r.stderr
    assert snapshot(db.engine) == before

    target = tmp_path / "b.sqlite"
    assert runner.invoke(cli, ["backup", str(target)]).exit_code == 0
    first = sha256(target)
    again = runner.invoke(cli, ["backup", str(target)])
    assert again.exit_code == 2 and "错误：PATH：" in again.stderr and "--force" in again.stderr
    assert sha256(target) == first
    forced = runner.invoke(cli, ["backup", str(target), "--force"])
    assert forced.exit_code == 0, forced.output
    assert sha256(target) != first  # the second copy holds the first backup's event


def test_restore_of_a_tampered_backup_reports_the_broken_chain(sqlite_app: Any,
                                                                tmp_path: Path) -> None:
    init(sqlite_app, demo=True, as_of=AS_OF)
    cli, runner = build_cli(sqlite_app), CliRunner()
    target = tmp_path / "b.sqlite"
    assert runner.invoke(cli, ["backup", str(target)]).exit_code == 0
    with sqlite3.connect(target) as conn:
        (new,) = conn.execute("SELECT new FROM audit_event WHERE seq = 7").fetchone()
        conn.execute("UPDATE audit_event SET new = ? WHERE seq = 7",
                     (json.dumps({**json.loads(new), "name": "伪造"}, ensure_ascii=False),))
    r = runner.invoke(cli, ["restore", str(target), "--yes"])
    assert r.exit_code == 1
    assert "第 7 条" in r.stderr and "封印不符" in r.stderr and "审计链校验失败：1 处问题" in r.stderr
    assert "审计链完好" not in r.stdout
    # the restore happened and is itself on record
    assert audit_rows(db.engine)[-1]["action"] == "system.restore"


def test_console_script_backs_up_and_restores_sqlite(tmp_path: Path) -> None:
    live = tmp_path / "live.sqlite"
    environ = {k: v for k, v in os.environ.items() if not k.startswith("JUZHU_")}
    environ.update(KEYS, JUZHU_INSTANCE=str(tmp_path), JUZHU_DATABASE_URL=f"sqlite:///{live}")

    def juzhu(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(JUZHU), *args], env=environ, capture_output=True, text=True,
                              timeout=120, check=False)

    assert juzhu("init", "--demo").returncode == 0
    names = sqlite3.connect(live).execute("SELECT id, name FROM holder ORDER BY id").fetchall()
    target = tmp_path / "backups" / "juzhu-2026-06-01.sqlite"
    target.parent.mkdir()
    made = juzhu("backup", str(target))
    assert made.returncode == 0, made.stderr
    assert made.stdout.startswith(f"已备份到 {target}") and made.stderr == ""

    with sqlite3.connect(live) as conn:
        conn.execute("DELETE FROM holder WHERE id = ?", (names[-1][0],))
    refused = juzhu("restore", str(target))
    assert refused.returncode == 2 and refused.stdout == ""
    assert refused.stderr.startswith("错误：--yes：") and str(live) in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1

    done = juzhu("restore", str(target), "--yes")
    assert done.returncode == 0, done.stderr
    assert "审计链完好" in done.stdout and "Traceback" not in done.stderr
    assert sqlite3.connect(live).execute(
        "SELECT id, name FROM holder ORDER BY id").fetchall() == names
    assert juzhu("audit", "verify").returncode == 0


# -- PostgreSQL -------------------------------------------------------------------------------

def _pg_reachable() -> bool:
    import psycopg

    try:
        psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", connect_timeout=3).close()
    except psycopg.OperationalError:
        return False
    return True


def _pg_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres",
                         autocommit=True) as conn:
        conn.execute(sql)


@pytest.fixture
def pg_app(make_app: Any) -> Any:
    if not _pg_reachable():
        if os.environ.get("JUZHU_TEST_DATABASE_URL"):
            pytest.fail("PostgreSQL at 127.0.0.1:5432 is unreachable but JUZHU_TEST_DATABASE_URL "
                        "is set: the backup round trip must run")
        pytest.skip("no PostgreSQL server at 127.0.0.1:5432")
    _pg_admin(f'DROP DATABASE IF EXISTS "{PG_NAME}" WITH (FORCE)')
    _pg_admin(f'CREATE DATABASE "{PG_NAME}"')
    app = make_app(SQLALCHEMY_DATABASE_URI=PG_SERVER + PG_NAME)
    try:
        with app.app_context():
            yield app
            db.session.remove()
            db.engine.dispose()
    finally:
        _pg_admin(f'DROP DATABASE IF EXISTS "{PG_NAME}" WITH (FORCE)')


def test_postgresql_round_trip_restores_every_table(pg_app: Any, tmp_path: Path) -> None:
    round_trip(pg_app, tmp_path, "copy.dump")
    assert (tmp_path / "copy.dump").read_bytes()[:5] == b"PGDMP"


def test_postgresql_refuses_a_sqlite_backup(pg_app: Any, tmp_path: Path) -> None:
    init(pg_app, demo=False, as_of=AS_OF)
    fake = tmp_path / "x.sqlite"
    with sqlite3.connect(fake) as conn:
        for t in ("alembic_version", "audit_event", "audit_head"):
            conn.execute(f"CREATE TABLE {t} (x)")
        conn.execute("CREATE TABLE juzhu_backup (format, created_at, source, county, heads)")
        conn.execute("INSERT INTO juzhu_backup VALUES (1, '2026-06-01', 'x', '530323', '[]')")
    r = CliRunner().invoke(build_cli(pg_app), ["restore", str(fake), "--yes"])
    assert r.exit_code == 2, r.output
    assert r.stderr.startswith("错误：PATH：") and "是 SQLite 备份，不能恢复到" in r.stderr
